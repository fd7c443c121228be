// `hwddm:backup:getRestorableInstances`, in the shape of Pulumi's generated SDKs.
// Keep in step with provider/schema.json (test/sdk/schema.spec.ts checks it).

import * as pulumi from "@pulumi/pulumi";
import * as outputs from "../types/output";
import * as utilities from "../utilities";

/**
 * Lists the DDM instances that a backup of the given instance can be restored into.
 *
 * Every page of the API is fetched, then the filters apply; `total` stays the API's count.
 * The answer is known at `pulumi preview`, so a restore target can be chosen, shown and
 * checked before anything changes. Pair it with `selectRestoreTarget` to pick one.
 *
 * ## Example Usage
 *
 * ```typescript
 * import * as hwddm from "pulumi-hwddm";
 *
 * const candidates = hwddm.backup.getRestorableInstancesOutput({
 *     instanceId: "1f5c9fd6cd984056ba89c8c87cc03278in09",
 *     availableOnly: true,
 *     vpcName: "vpc-ddm-172",
 * });
 * const target = candidates.apply(r => hwddm.selectRestoreTarget(r, { nameRegex: "^ddm-restore-" }));
 * export const targetInstanceId = target.instanceId;
 * ```
 */
export function getRestorableInstances(
  args: GetRestorableInstancesArgs,
  opts?: pulumi.InvokeOptions,
): Promise<GetRestorableInstancesResult> {
  opts = utilities.invokeOptions(opts);
  return pulumi.runtime.invoke(
    "hwddm:backup:getRestorableInstances",
    {
      availableOnly: args.availableOnly,
      endpoint: args.endpoint,
      instanceId: args.instanceId,
      limit: args.limit,
      nameRegex: args.nameRegex,
      offset: args.offset,
      projectId: args.projectId,
      region: args.region,
      status: args.status,
      vpcName: args.vpcName,
    },
    opts,
  );
}

/**
 * A collection of arguments for invoking getRestorableInstances.
 */
export interface GetRestorableInstancesArgs {
  /**
   * Keep only instances with `available: true`. Default false.
   */
  availableOnly?: boolean;
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
   * Keep only instances whose name matches this JavaScript regular expression.
   */
  nameRegex?: string;
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
   * Keep only instances whose status equals this, e.g. `normal`.
   */
  status?: string;
  /**
   * Keep only instances in this VPC (exact name).
   */
  vpcName?: string;
}

/**
 * A collection of values returned by getRestorableInstances.
 */
export interface GetRestorableInstancesResult {
  /**
   * Deterministic id of this query (same inputs, same id).
   */
  readonly id: string;
  /**
   * ID of the source DDM instance.
   */
  readonly instanceId: string;
  /**
   * The instances fetched (all pages), after filters.
   */
  readonly instances: readonly outputs.backup.RestorableInstance[];
  /**
   * Project id used.
   */
  readonly projectId: string;
  /**
   * Region used.
   */
  readonly region: string;
  /**
   * The API's `total` (before filters).
   */
  readonly total: number;
  /**
   * Non-fatal notes, e.g. that the list changed while it was paged. Empty when none.
   */
  readonly warnings: readonly string[];
}

/**
 * Lists the DDM instances that a backup of the given instance can be restored into.
 *
 * The Output form of `getRestorableInstances`: takes Inputs, so it can follow values that
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
 * const candidates = hwddm.backup.getRestorableInstancesOutput({
 *     instanceId: config.require("sourceInstanceId"),
 *     availableOnly: true,
 * });
 * export const candidateNames = candidates.instances.apply(list => list.map(i => i.instanceName));
 * ```
 */
export function getRestorableInstancesOutput(
  args: GetRestorableInstancesOutputArgs,
  opts?: pulumi.InvokeOutputOptions,
): pulumi.Output<GetRestorableInstancesResult> {
  opts = utilities.invokeOptions(opts);
  return pulumi.runtime.invokeOutput(
    "hwddm:backup:getRestorableInstances",
    {
      availableOnly: args.availableOnly,
      endpoint: args.endpoint,
      instanceId: args.instanceId,
      limit: args.limit,
      nameRegex: args.nameRegex,
      offset: args.offset,
      projectId: args.projectId,
      region: args.region,
      status: args.status,
      vpcName: args.vpcName,
    },
    opts,
  );
}

/**
 * A collection of arguments for invoking getRestorableInstances.
 */
export interface GetRestorableInstancesOutputArgs {
  /**
   * Keep only instances with `available: true`. Default false.
   */
  availableOnly?: pulumi.Input<boolean>;
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
   * Keep only instances whose name matches this JavaScript regular expression.
   */
  nameRegex?: pulumi.Input<string>;
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
   * Keep only instances whose status equals this, e.g. `normal`.
   */
  status?: pulumi.Input<string>;
  /**
   * Keep only instances in this VPC (exact name).
   */
  vpcName?: pulumi.Input<string>;
}
