// The `backup` module of the hwddm package: the data functions, their dynamic-resource faces,
// the selection functions (the choice made in the provider), the restore plan and the Restore
// resource.

export { getRestorableInstances, getRestorableInstancesOutput } from "./getRestorableInstances";
export type {
  GetRestorableInstancesArgs,
  GetRestorableInstancesOutputArgs,
  GetRestorableInstancesResult,
} from "./getRestorableInstances";
export { getRestoreTimeIntervals, getRestoreTimeIntervalsOutput } from "./getRestoreTimeIntervals";
export type {
  GetRestoreTimeIntervalsArgs,
  GetRestoreTimeIntervalsOutputArgs,
  GetRestoreTimeIntervalsResult,
} from "./getRestoreTimeIntervals";
export { selectRestoreTarget, selectRestoreTargetOutput } from "./selectRestoreTarget";
export type {
  SelectRestoreTargetArgs,
  SelectRestoreTargetOutputArgs,
  SelectRestoreTargetResult,
} from "./selectRestoreTarget";
export { selectRestoreTime, selectRestoreTimeOutput } from "./selectRestoreTime";
export type {
  SelectRestoreTimeArgs,
  SelectRestoreTimeOutputArgs,
  SelectRestoreTimeResult,
} from "./selectRestoreTime";
export { getRelatedDataNodes, getRelatedDataNodesOutput } from "./getRelatedDataNodes";
export type {
  GetRelatedDataNodesArgs,
  GetRelatedDataNodesOutputArgs,
  GetRelatedDataNodesResult,
} from "./getRelatedDataNodes";
export { getRestorableDataNodes, getRestorableDataNodesOutput } from "./getRestorableDataNodes";
export type {
  GetRestorableDataNodesArgs,
  GetRestorableDataNodesOutputArgs,
  GetRestorableDataNodesResult,
} from "./getRestorableDataNodes";
export { planRestore, planRestoreOutput } from "./planRestore";
export type { PlanRestoreArgs, PlanRestoreOutputArgs, PlanRestoreResult } from "./planRestore";
export { Restore } from "./restore";
export type { RestoreArgs } from "./restore";
export { RestorableInstances, RestoreTimeIntervals } from "./dynamic";
export type { RestorableInstancesArgs, RestoreTimeIntervalsArgs } from "./dynamic";
