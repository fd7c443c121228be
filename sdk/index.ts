/**
 * pulumi-hwddm: the Pulumi package `hwddm`. Which instances a Huawei Cloud DDM backup can be
 * restored into, and to which points in time, with values known at `pulumi preview`.
 *
 * ```typescript
 * import * as hwddm from "pulumi-hwddm";
 *
 * const candidates = hwddm.backup.getRestorableInstancesOutput({ instanceId: source });
 * const windows = hwddm.backup.getRestoreTimeIntervalsOutput({ instanceId: source });
 * const target = candidates.apply(r => hwddm.selectRestoreTarget(r));
 * const time = windows.apply(w => hwddm.selectRestoreTime(w, { latest: true }));
 *
 * // Or let the provider choose (the same choice, served to every Pulumi language):
 * const chosen = hwddm.backup.selectRestoreTargetOutput({ instanceId: source, vpcName: "vpc-ddm-172" });
 * const latest = hwddm.backup.selectRestoreTimeOutput({ instanceId: source, latest: true });
 *
 * // Plan a restore (read-only), then run it (it overwrites the target's data):
 * const plan = hwddm.backup.planRestoreOutput({ instanceId: source, vpcName: "vpc-ddm-172", latest: true });
 * const restore = new hwddm.backup.Restore("restore", {
 *     instanceId: source,
 *     targetInstanceId: plan.targetInstanceId,
 *     restoreTime: plan.restoreTime,
 * });
 * ```
 */
import * as backup from "./backup";
import * as config from "./config";
import * as types from "./types";

export { backup, config, types };

export { Provider } from "./provider";
export type { ProviderArgs } from "./provider";

// Pure selection helpers: a function result in, a restore target or time out (or a SelectionError).
// backup.selectRestoreTarget/selectRestoreTime make the same choice in the provider.
export { selectRestoreTarget, selectRestoreTime } from "../provider/select";
export type { RestoreTimeOptions, TargetCriteria } from "../provider/select";
export type { RestoreTime } from "../provider/time";

// The error family every face throws (isInstance works across copies of the package).
export {
  ApiError,
  ConfigurationError,
  HwddmError,
  NetworkError,
  ResponseError,
  SelectionError,
  ValidationError,
} from "../provider/errors";
export type { HwddmErrorKind, InputFailure } from "../provider/errors";

export { RESOURCE_TOKENS, TOKENS } from "../provider/types";
export { getVersion } from "./utilities";
