// `hwddm:backup:getRestoreTimeIntervals`, in the shape of Pulumi's generated SDKs.
// Keep in step with provider/schema.json (test/sdk/schema.spec.ts checks it).

import * as pulumi from "@pulumi/pulumi";
import * as outputs from "../types/output";
import * as utilities from "../utilities";

/**
 * Lists the windows of time the given DDM instance can be restored to.
 *
 * Every page of the API is fetched and the windows sorted by start; times come back as
 * RFC 3339 UTC with milliseconds and as epoch milliseconds (the unit DDM's restore call
 * takes). With `restoreTime`, the result also says whether that time is restorable. The
 * answer is known at `pulumi preview`. Pair it with `selectRestoreTime` to pick a time.
 *
 * ## Example Usage
 *
 * ```typescript
 * import * as hwddm from "pulumi-hwddm";
 *
 * const windows = hwddm.backup.getRestoreTimeIntervalsOutput({
 *     instanceId: "1f5c9fd6cd984056ba89c8c87cc03278in09",
 *     restoreTime: "2025-05-20T10:00:00Z",
 * });
 * export const restorable = windows.restoreTimeRestorable;
 * export const latest = windows.apply(w => hwddm.selectRestoreTime(w, { latest: true, marginSeconds: 60 }));
 * ```
 */
export function getRestoreTimeIntervals(
  args: GetRestoreTimeIntervalsArgs,
  opts?: pulumi.InvokeOptions,
): Promise<GetRestoreTimeIntervalsResult> {
  opts = utilities.invokeOptions(opts);
  return pulumi.runtime.invoke(
    "hwddm:backup:getRestoreTimeIntervals",
    {
      endpoint: args.endpoint,
      instanceId: args.instanceId,
      limit: args.limit,
      offset: args.offset,
      projectId: args.projectId,
      region: args.region,
      restoreTime: args.restoreTime,
    },
    opts,
  );
}

/**
 * A collection of arguments for invoking getRestoreTimeIntervals.
 */
export interface GetRestoreTimeIntervalsArgs {
  /**
   * Overrides the provider's DDM endpoint, e.g. `https://ddm.ap-southeast-1.myhuaweicloud.com`.
   */
  endpoint?: string;
  /**
   * ID of the DDM instance whose backup is to be restored. Required.
   */
  instanceId: string;
  /**
   * Most records returned in all; an integer >= 1. Default: every record from `offset`.
   */
  limit?: number;
  /**
   * Records skipped before the first returned; an integer >= 0. Default 0.
   */
  offset?: number;
  /**
   * Overrides the provider's project id.
   */
  projectId?: string;
  /**
   * Overrides the provider's region, e.g. `ap-southeast-1`.
   */
  region?: string;
  /**
   * A time to check: RFC 3339 (or the API's forms, e.g. `2025-05-20T09:40:40+0000`) or epoch milliseconds.
   */
  restoreTime?: string | number;
}

/**
 * A collection of values returned by getRestoreTimeIntervals.
 */
export interface GetRestoreTimeIntervalsResult {
  /**
   * Start of the earliest window, RFC 3339 UTC with milliseconds. Absent when there are no windows.
   */
  readonly earliestRestorableTime?: string;
  /**
   * `earliestRestorableTime` in epoch milliseconds. Absent when there are no windows.
   */
  readonly earliestRestorableTimeEpochMs?: number;
  /**
   * Deterministic id of this query (same inputs, same id).
   */
  readonly id: string;
  /**
   * ID of the source DDM instance.
   */
  readonly instanceId: string;
  /**
   * The restorable windows, sorted by start time.
   */
  readonly intervals: readonly outputs.backup.RestoreTimeInterval[];
  /**
   * End of the latest window, RFC 3339 UTC with milliseconds. Absent when there are no windows.
   */
  readonly latestRestorableTime?: string;
  /**
   * `latestRestorableTime` in epoch milliseconds. Absent when there are no windows.
   */
  readonly latestRestorableTimeEpochMs?: number;
  /**
   * Project id used.
   */
  readonly projectId: string;
  /**
   * Region used.
   */
  readonly region: string;
  /**
   * `restoreTime` in epoch milliseconds. Present when `restoreTime` was given.
   */
  readonly restoreTimeEpochMs?: number;
  /**
   * Whether `restoreTime` falls inside a window (edges included). Present when `restoreTime` was given.
   */
  readonly restoreTimeRestorable?: boolean;
  /**
   * The API's `total`.
   */
  readonly total: number;
  /**
   * Non-fatal notes, e.g. that the list changed while it was paged. Empty when none.
   */
  readonly warnings: readonly string[];
}

/**
 * Lists the windows of time the given DDM instance can be restored to.
 *
 * The Output form of `getRestoreTimeIntervals`: takes Inputs, so it can follow values that
 * other resources produce. When an input is unknown (at preview), the result is unknown
 * and no request is made.
 *
 * ## Example Usage
 *
 * ```typescript
 * import * as pulumi from "@pulumi/pulumi";
 * import * as hwddm from "pulumi-hwddm";
 *
 * const config = new pulumi.Config();
 * const windows = hwddm.backup.getRestoreTimeIntervalsOutput({ instanceId: config.require("sourceInstanceId") });
 * export const restoreTime = windows.apply(w => hwddm.selectRestoreTime(w, { latest: true }).time);
 * ```
 */
export function getRestoreTimeIntervalsOutput(
  args: GetRestoreTimeIntervalsOutputArgs,
  opts?: pulumi.InvokeOutputOptions,
): pulumi.Output<GetRestoreTimeIntervalsResult> {
  opts = utilities.invokeOptions(opts);
  return pulumi.runtime.invokeOutput(
    "hwddm:backup:getRestoreTimeIntervals",
    {
      endpoint: args.endpoint,
      instanceId: args.instanceId,
      limit: args.limit,
      offset: args.offset,
      projectId: args.projectId,
      region: args.region,
      restoreTime: args.restoreTime,
    },
    opts,
  );
}

/**
 * A collection of arguments for invoking getRestoreTimeIntervals.
 */
export interface GetRestoreTimeIntervalsOutputArgs {
  /**
   * Overrides the provider's DDM endpoint, e.g. `https://ddm.ap-southeast-1.myhuaweicloud.com`.
   */
  endpoint?: pulumi.Input<string>;
  /**
   * ID of the DDM instance whose backup is to be restored. Required.
   */
  instanceId: pulumi.Input<string>;
  /**
   * Most records returned in all; an integer >= 1. Default: every record from `offset`.
   */
  limit?: pulumi.Input<number>;
  /**
   * Records skipped before the first returned; an integer >= 0. Default 0.
   */
  offset?: pulumi.Input<number>;
  /**
   * Overrides the provider's project id.
   */
  projectId?: pulumi.Input<string>;
  /**
   * Overrides the provider's region, e.g. `ap-southeast-1`.
   */
  region?: pulumi.Input<string>;
  /**
   * A time to check: RFC 3339 (or the API's forms, e.g. `2025-05-20T09:40:40+0000`) or epoch milliseconds.
   */
  restoreTime?: pulumi.Input<string | number>;
}
