// `hwddm:backup:planRestore`, in the shape of Pulumi's generated SDKs.
// Keep in step with provider/schema.json (test/sdk/schema.spec.ts checks it).

import * as pulumi from "@pulumi/pulumi";
import * as inputs from "../types/input";
import * as outputs from "../types/output";
import * as utilities from "../utilities";

/**
 * Plans a restore of the given DDM instance's backup, with read-only calls only.
 *
 * The provider chooses the target as `selectRestoreTarget` does (the first available
 * candidate matching every given criterion), the time as `selectRestoreTime` does (`latest` or
 * `at`, one of the two, kept `marginSeconds` from its window's edges), lists the source's data
 * nodes at that time and maps each to an available data node of the target. The default
 * mapping: the source's data nodes in the API's order, each taking the first available target
 * data node no earlier one took (when that leaves one without a target although a complete
 * mapping exists, that mapping is found). A given `dataNodeRelations` is checked, never
 * changed. When nothing fits, the invoke fails (and with it `pulumi preview`) naming what is
 * missing. Every record is read: there is no `offset`/`limit`. The plan is what a
 * `hwddm.backup.Restore` with the same target, time and mapping would send.
 *
 * ## Example Usage
 *
 * ```typescript
 * import * as hwddm from "pulumi-hwddm";
 *
 * const plan = hwddm.backup.planRestore({
 *     instanceId: "1f5c9fd6cd984056ba89c8c87cc03278in09",
 *     vpcName: "vpc-ddm-172",
 *     latest: true,
 *     marginSeconds: "5m",
 * });
 * export const targetInstanceName = plan.then(p => p.targetInstanceName);
 * export const mapping = plan.then(p => p.dataNodeRelations.map(r => `${r.sourceInstanceName} -> ${r.targetInstanceName}`));
 * ```
 */
export function planRestore(args: PlanRestoreArgs, opts?: pulumi.InvokeOptions): Promise<PlanRestoreResult> {
  opts = utilities.invokeOptions(opts);
  return pulumi.runtime.invoke(
    "hwddm:backup:planRestore",
    {
      at: args.at,
      dataNodeRelations: args.dataNodeRelations,
      endpoint: args.endpoint,
      instanceId: args.instanceId,
      latest: args.latest,
      marginSeconds: args.marginSeconds,
      name: args.name,
      nameRegex: args.nameRegex,
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
 * A collection of arguments for invoking planRestore.
 */
export interface PlanRestoreArgs {
  /**
   * Restore to this time when it is restorable: RFC 3339 (or the API's forms, e.g.
   * `2025-05-20T09:40:40+0000`) or epoch milliseconds. Give this or `latest`.
   */
  at?: string | number;
  /**
   * The data-node mapping to check (never changed): every source data node exactly once, each to
   * an available target data node. Default: the mapping rule above.
   */
  dataNodeRelations?: inputs.backup.DataNodeRelation[];
  /**
   * Overrides the provider's DDM endpoint, e.g. `https://ddm.ap-southeast-1.myhuaweicloud.com`.
   */
  endpoint?: string;
  /**
   * ID of the DDM instance whose backup is to be restored (the source). Required.
   */
  instanceId: string;
  /**
   * `true`: restore to the latest restorable time, kept `marginSeconds` from the window's edges.
   * Give this or `at` (one of the two).
   */
  latest?: boolean;
  /**
   * Keep the time this far from both edges of its window: seconds, or a duration such as `90s`,
   * `5m`, `1h`. Default 0.
   */
  marginSeconds?: number | string;
  /**
   * Choose the target with exactly this name.
   */
  name?: string;
  /**
   * Choose the first target whose name matches this JavaScript regular expression.
   */
  nameRegex?: string;
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
 * A collection of values returned by planRestore.
 */
export interface PlanRestoreResult {
  /**
   * Every source data node at that time, each mapped once to an available target data node.
   */
  readonly dataNodeRelations: readonly outputs.backup.PlannedDataNodeRelation[];
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
   * The chosen point in time, RFC 3339 UTC with milliseconds, e.g. `2025-05-21T11:15:43.000Z`.
   */
  readonly restoreTime: string;
  /**
   * The chosen point in time in milliseconds since the Unix epoch (the unit DDM's restore call
   * takes).
   */
  readonly restoreTimeEpochMs: number;
  /**
   * ID of the chosen target DDM instance.
   */
  readonly targetInstanceId: string;
  /**
   * Name of the chosen target DDM instance.
   */
  readonly targetInstanceName: string;
  /**
   * Non-fatal notes, e.g. that the list changed while it was paged. Empty when none.
   */
  readonly warnings: readonly string[];
}

/**
 * Plans a restore of the given DDM instance's backup, with read-only calls only.
 *
 * The Output form of `planRestore`: takes Inputs, so it can follow values that other resources
 * produce. When an input is unknown (at preview), the result is unknown and no request is
 * made. Its outputs feed a `hwddm.backup.Restore` directly.
 *
 * ## Example Usage
 *
 * ```typescript
 * import * as pulumi from "@pulumi/pulumi";
 * import * as hwddm from "pulumi-hwddm";
 *
 * const config = new pulumi.Config();
 * const instanceId = config.require("sourceInstanceId");
 * const plan = hwddm.backup.planRestoreOutput({ instanceId, nameRegex: "^ddm-restore-", latest: true });
 * const restore = new hwddm.backup.Restore("restore", {
 *     instanceId,
 *     targetInstanceId: plan.targetInstanceId,
 *     restoreTime: plan.restoreTime,
 *     dataNodeRelations: plan.dataNodeRelations.apply(rs =>
 *         rs.map(r => ({ sourceInstanceId: r.sourceInstanceId, targetInstanceId: r.targetInstanceId })),
 *     ),
 * });
 * export const jobId = restore.jobId;
 * ```
 */
export function planRestoreOutput(
  args: PlanRestoreOutputArgs,
  opts?: pulumi.InvokeOutputOptions,
): pulumi.Output<PlanRestoreResult> {
  opts = utilities.invokeOptions(opts);
  return pulumi.runtime.invokeOutput(
    "hwddm:backup:planRestore",
    {
      at: args.at,
      dataNodeRelations: args.dataNodeRelations,
      endpoint: args.endpoint,
      instanceId: args.instanceId,
      latest: args.latest,
      marginSeconds: args.marginSeconds,
      name: args.name,
      nameRegex: args.nameRegex,
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
 * A collection of arguments for invoking planRestore.
 */
export interface PlanRestoreOutputArgs {
  /**
   * Restore to this time when it is restorable: RFC 3339 (or the API's forms, e.g.
   * `2025-05-20T09:40:40+0000`) or epoch milliseconds. Give this or `latest`.
   */
  at?: pulumi.Input<string | number>;
  /**
   * The data-node mapping to check (never changed): every source data node exactly once, each to
   * an available target data node. Default: the mapping rule above.
   */
  dataNodeRelations?: pulumi.Input<pulumi.Input<inputs.backup.DataNodeRelationArgs>[]>;
  /**
   * Overrides the provider's DDM endpoint, e.g. `https://ddm.ap-southeast-1.myhuaweicloud.com`.
   */
  endpoint?: pulumi.Input<string>;
  /**
   * ID of the DDM instance whose backup is to be restored (the source). Required.
   */
  instanceId: pulumi.Input<string>;
  /**
   * `true`: restore to the latest restorable time, kept `marginSeconds` from the window's edges.
   * Give this or `at` (one of the two).
   */
  latest?: pulumi.Input<boolean>;
  /**
   * Keep the time this far from both edges of its window: seconds, or a duration such as `90s`,
   * `5m`, `1h`. Default 0.
   */
  marginSeconds?: pulumi.Input<number | string>;
  /**
   * Choose the target with exactly this name.
   */
  name?: pulumi.Input<string>;
  /**
   * Choose the first target whose name matches this JavaScript regular expression.
   */
  nameRegex?: pulumi.Input<string>;
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
