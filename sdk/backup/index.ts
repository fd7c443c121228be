// The `backup` module of the hwddm package: both data functions, their dynamic-resource faces,
// and both selection functions (the choice made in the provider).

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
export { RestorableInstances, RestoreTimeIntervals } from "./dynamic";
export type { RestorableInstancesArgs, RestoreTimeIntervalsArgs } from "./dynamic";
