// `hwddm:backup:selectRestoreTarget`, in the shape of Pulumi's generated SDKs.
// Keep in step with provider/schema.json (test/sdk/schema.spec.ts checks it).

import * as pulumi from "@pulumi/pulumi";
import * as outputs from "../types/output";
import * as utilities from "../utilities";

/**
 * Chooses the instance a backup of the given instance is to be restored into.
 *
 * The provider fetches every candidate (as `getRestorableInstances` does) and returns the
 * first available one that matches every given criterion; with no criteria, the first
 * available one. When none fits, the invoke fails (and with it `pulumi preview`) with a
 * message listing every candidate with its status, availability, `unavailableReason` and why
 * it does not match. The same choice as the `selectRestoreTarget` helper, made in the
 * provider, so every Pulumi language gets it.
 *
 * ## Example Usage
 *
 * ```typescript
 * import * as hwddm from "pulumi-hwddm";
 *
 * const chosen = hwddm.backup.selectRestoreTarget({
 *     instanceId: "1f5c9fd6cd984056ba89c8c87cc03278in09",
 *     vpcName: "vpc-ddm-172",
 *     nameRegex: "^ddm-",
 * });
 * export const targetInstanceId = chosen.then(r => r.target.instanceId);
 * ```
 */
export function selectRestoreTarget(
  args: SelectRestoreTargetArgs,
  opts?: pulumi.InvokeOptions,
): Promise<SelectRestoreTargetResult> {
  opts = utilities.invokeOptions(opts);
  return pulumi.runtime.invoke(
    "hwddm:backup:selectRestoreTarget",
    {
      endpoint: args.endpoint,
      instanceId: args.instanceId,
      limit: args.limit,
      name: args.name,
      nameRegex: args.nameRegex,
      offset: args.offset,
      projectId: args.projectId,
      region: args.region,
      status: args.status,
      targetInstanceId: args.targetInstanceId,
      vpcName: args.vpcName,
    },
    opts,
  );
}

/**
 * A collection of arguments for invoking selectRestoreTarget.
 */
export interface SelectRestoreTargetArgs {
  /**
   * Overrides the provider's DDM endpoint, e.g. `https://ddm.ap-southeast-1.myhuaweicloud.com`.
   */
  endpoint?: string;
  /**
   * ID of the DDM instance whose backup is to be restored (the source). Required.
   */
  instanceId: string;
  /**
   * Most candidates considered in all; an integer >= 1. Default: every record from `offset`.
   */
  limit?: number;
  /**
   * Choose the target with exactly this name.
   */
  name?: string;
  /**
   * Choose the first target whose name matches this JavaScript regular expression.
   */
  nameRegex?: string;
  /**
   * Candidates skipped before the first considered; an integer >= 0. Default 0.
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
   * Choose a target with this status, e.g. `normal`.
   */
  status?: string;
  /**
   * Choose the target with this instance id, exactly (the source is `instanceId`).
   */
  targetInstanceId?: string;
  /**
   * Choose a target in this VPC (exact name).
   */
  vpcName?: string;
}

/**
 * A collection of values returned by selectRestoreTarget.
 */
export interface SelectRestoreTargetResult {
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
   * The chosen target: the first available instance that matches every given criterion.
   */
  readonly target: outputs.backup.RestorableInstance;
  /**
   * The API's `total` of candidates.
   */
  readonly total: number;
  /**
   * Non-fatal notes, e.g. that the list changed while it was paged. Empty when none.
   */
  readonly warnings: readonly string[];
}

/**
 * Chooses the instance a backup of the given instance is to be restored into.
 *
 * The Output form of `selectRestoreTarget`: takes Inputs, so it can follow values that other
 * resources produce. When an input is unknown (at preview), the result is unknown and no
 * request is made. When no candidate fits, the program fails with the provider's message
 * listing every candidate.
 *
 * ## Example Usage
 *
 * ```typescript
 * import * as pulumi from "@pulumi/pulumi";
 * import * as hwddm from "pulumi-hwddm";
 *
 * const config = new pulumi.Config();
 * const chosen = hwddm.backup.selectRestoreTargetOutput({
 *     instanceId: config.require("sourceInstanceId"),
 *     vpcName: "vpc-ddm-172",
 * });
 * export const targetInstanceId = chosen.target.instanceId;
 * export const targetInstanceName = chosen.target.instanceName;
 * ```
 */
export function selectRestoreTargetOutput(
  args: SelectRestoreTargetOutputArgs,
  opts?: pulumi.InvokeOutputOptions,
): pulumi.Output<SelectRestoreTargetResult> {
  opts = utilities.invokeOptions(opts);
  return pulumi.runtime.invokeOutput(
    "hwddm:backup:selectRestoreTarget",
    {
      endpoint: args.endpoint,
      instanceId: args.instanceId,
      limit: args.limit,
      name: args.name,
      nameRegex: args.nameRegex,
      offset: args.offset,
      projectId: args.projectId,
      region: args.region,
      status: args.status,
      targetInstanceId: args.targetInstanceId,
      vpcName: args.vpcName,
    },
    opts,
  );
}

/**
 * A collection of arguments for invoking selectRestoreTarget.
 */
export interface SelectRestoreTargetOutputArgs {
  /**
   * Overrides the provider's DDM endpoint, e.g. `https://ddm.ap-southeast-1.myhuaweicloud.com`.
   */
  endpoint?: pulumi.Input<string>;
  /**
   * ID of the DDM instance whose backup is to be restored (the source). Required.
   */
  instanceId: pulumi.Input<string>;
  /**
   * Most candidates considered in all; an integer >= 1. Default: every record from `offset`.
   */
  limit?: pulumi.Input<number>;
  /**
   * Choose the target with exactly this name.
   */
  name?: pulumi.Input<string>;
  /**
   * Choose the first target whose name matches this JavaScript regular expression.
   */
  nameRegex?: pulumi.Input<string>;
  /**
   * Candidates skipped before the first considered; an integer >= 0. Default 0.
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
   * Choose a target with this status, e.g. `normal`.
   */
  status?: pulumi.Input<string>;
  /**
   * Choose the target with this instance id, exactly (the source is `instanceId`).
   */
  targetInstanceId?: pulumi.Input<string>;
  /**
   * Choose a target in this VPC (exact name).
   */
  vpcName?: pulumi.Input<string>;
}
