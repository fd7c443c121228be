// `hwddm:backup:selectRestoreTime`, in the shape of Pulumi's generated SDKs.
// Keep in step with provider/schema.json (test/sdk/schema.spec.ts checks it).

import * as pulumi from "@pulumi/pulumi";
import * as utilities from "../utilities";

/**
 * Chooses the point in time the given instance is to be restored to.
 *
 * The provider fetches every restore window (as `getRestoreTimeIntervals` does) and returns
 * the latest restorable time (`latest: true`) or the given `at`, kept `marginSeconds` away
 * from both edges of its window. When none fits, the invoke fails (and with it
 * `pulumi preview`) with a message naming the windows. The same choice as the
 * `selectRestoreTime` helper, made in the provider, so every Pulumi language gets it.
 *
 * ## Example Usage
 *
 * ```typescript
 * import * as hwddm from "pulumi-hwddm";
 *
 * const chosen = hwddm.backup.selectRestoreTime({
 *     instanceId: "1f5c9fd6cd984056ba89c8c87cc03278in09",
 *     latest: true,
 *     marginSeconds: "5m",
 * });
 * export const restoreTimeEpochMs = chosen.then(r => r.epochMs);
 * ```
 */
export function selectRestoreTime(
  args: SelectRestoreTimeArgs,
  opts?: pulumi.InvokeOptions,
): Promise<SelectRestoreTimeResult> {
  opts = utilities.invokeOptions(opts);
  return pulumi.runtime.invoke(
    "hwddm:backup:selectRestoreTime",
    {
      at: args.at,
      endpoint: args.endpoint,
      instanceId: args.instanceId,
      latest: args.latest,
      limit: args.limit,
      marginSeconds: args.marginSeconds,
      offset: args.offset,
      projectId: args.projectId,
      region: args.region,
    },
    opts,
  );
}

/**
 * A collection of arguments for invoking selectRestoreTime.
 */
export interface SelectRestoreTimeArgs {
  /**
   * Choose this time when it is restorable: RFC 3339 (or the API's forms, e.g.
   * `2025-05-20T09:40:40+0000`) or epoch milliseconds. Give this or `latest`.
   */
  at?: string | number;
  /**
   * Overrides the provider's DDM endpoint, e.g. `https://ddm.ap-southeast-1.myhuaweicloud.com`.
   */
  endpoint?: string;
  /**
   * ID of the DDM instance to be restored (the source). Required.
   */
  instanceId: string;
  /**
   * `true`: choose the latest restorable time, kept `marginSeconds` from the window's edges.
   * Give this or `at`.
   */
  latest?: boolean;
  /**
   * Most windows considered in all; an integer >= 1. Default: every record from `offset`.
   */
  limit?: number;
  /**
   * Keep the time this far from both edges of its window: seconds, or a duration such as
   * `90s`, `5m`, `1h`. Default 0.
   */
  marginSeconds?: number | string;
  /**
   * Windows skipped before the first considered; an integer >= 0. Default 0.
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
}

/**
 * A collection of values returned by selectRestoreTime.
 */
export interface SelectRestoreTimeResult {
  /**
   * The chosen restore time in milliseconds since the Unix epoch (the unit DDM's restore call takes).
   */
  readonly epochMs: number;
  /**
   * Deterministic id of this query (same inputs, same id).
   */
  readonly id: string;
  /**
   * ID of the source DDM instance.
   */
  readonly instanceId: string;
  /**
   * Project id used.
   */
  readonly projectId: string;
  /**
   * Region used.
   */
  readonly region: string;
  /**
   * The chosen restore time, RFC 3339 UTC with milliseconds, e.g. `2025-05-21T11:15:43.000Z`.
   */
  readonly time: string;
  /**
   * The API's `total` of windows.
   */
  readonly total: number;
  /**
   * Non-fatal notes, e.g. that the list changed while it was paged. Empty when none.
   */
  readonly warnings: readonly string[];
}

/**
 * Chooses the point in time the given instance is to be restored to.
 *
 * The Output form of `selectRestoreTime`: takes Inputs, so it can follow values that other
 * resources produce. When an input is unknown (at preview), the result is unknown and no
 * request is made. When no time fits, the program fails with the provider's message naming
 * the windows.
 *
 * ## Example Usage
 *
 * ```typescript
 * import * as pulumi from "@pulumi/pulumi";
 * import * as hwddm from "pulumi-hwddm";
 *
 * const config = new pulumi.Config();
 * const chosen = hwddm.backup.selectRestoreTimeOutput({
 *     instanceId: config.require("sourceInstanceId"),
 *     latest: true,
 *     marginSeconds: 300,
 * });
 * export const restoreTime = chosen.time;
 * export const restoreTimeEpochMs = chosen.epochMs;
 * ```
 */
export function selectRestoreTimeOutput(
  args: SelectRestoreTimeOutputArgs,
  opts?: pulumi.InvokeOutputOptions,
): pulumi.Output<SelectRestoreTimeResult> {
  opts = utilities.invokeOptions(opts);
  return pulumi.runtime.invokeOutput(
    "hwddm:backup:selectRestoreTime",
    {
      at: args.at,
      endpoint: args.endpoint,
      instanceId: args.instanceId,
      latest: args.latest,
      limit: args.limit,
      marginSeconds: args.marginSeconds,
      offset: args.offset,
      projectId: args.projectId,
      region: args.region,
    },
    opts,
  );
}

/**
 * A collection of arguments for invoking selectRestoreTime.
 */
export interface SelectRestoreTimeOutputArgs {
  /**
   * Choose this time when it is restorable: RFC 3339 (or the API's forms, e.g.
   * `2025-05-20T09:40:40+0000`) or epoch milliseconds. Give this or `latest`.
   */
  at?: pulumi.Input<string | number>;
  /**
   * Overrides the provider's DDM endpoint, e.g. `https://ddm.ap-southeast-1.myhuaweicloud.com`.
   */
  endpoint?: pulumi.Input<string>;
  /**
   * ID of the DDM instance to be restored (the source). Required.
   */
  instanceId: pulumi.Input<string>;
  /**
   * `true`: choose the latest restorable time, kept `marginSeconds` from the window's edges.
   * Give this or `at`.
   */
  latest?: pulumi.Input<boolean>;
  /**
   * Most windows considered in all; an integer >= 1. Default: every record from `offset`.
   */
  limit?: pulumi.Input<number>;
  /**
   * Keep the time this far from both edges of its window: seconds, or a duration such as
   * `90s`, `5m`, `1h`. Default 0.
   */
  marginSeconds?: pulumi.Input<number | string>;
  /**
   * Windows skipped before the first considered; an integer >= 0. Default 0.
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
}
