// The `backup` module of the hwddm package: both data functions and their dynamic-resource faces.

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
export { RestorableInstances, RestoreTimeIntervals } from "./dynamic";
export type { RestorableInstancesArgs, RestoreTimeIntervalsArgs } from "./dynamic";
