// `hwddm:backup:getRestorableDataNodes`, in the shape of Pulumi's generated SDKs.
// Keep in step with provider/schema.json (test/sdk/schema.spec.ts checks it).

import * as pulumi from "@pulumi/pulumi";
import * as outputs from "../types/output";
import * as utilities from "../utilities";

/**
 * Lists the data nodes of a target DDM instance that one source data node can be restored into.
 *
 * For a source DDM instance, a target DDM instance, one data node of the source (an
 * `instanceId` from `getRelatedDataNodes`) and a point in time, the API offers the target's
 * data nodes with whether each is available and, when not, why (another VPC, already
 * associated with another instance, abnormal, an older version, another engine, read-only).
 * Every page is fetched; `availableOnly` keeps the usable ones. The answer is known at
 * `pulumi preview`. `planRestore` does this for every data node and chooses.
 *
 * ## Example Usage
 *
 * ```typescript
 * import * as hwddm from "pulumi-hwddm";
 *
 * const candidates = hwddm.backup.getRestorableDataNodes({
 *     instanceId: "1f5c9fd6cd984056ba89c8c87cc03278in09",
 *     targetInstanceId: "2f0324a9a5b84d7da0c9a1a7b4e4a1c2in09",
 *     sourceDataNodeId: "6b7c3a9e2f0d4c1b8a5e7d9f1c3b5a7din01",
 *     restoreTime: "2025-05-20T10:00:00Z",
 *     availableOnly: true,
 * });
 * export const targetDataNodeIds = candidates.then(r => r.dataNodes.map(n => n.instanceId));
 * ```
 */
export function getRestorableDataNodes(
  args: GetRestorableDataNodesArgs,
  opts?: pulumi.InvokeOptions,
): Promise<GetRestorableDataNodesResult> {
  opts = utilities.invokeOptions(opts);
  return pulumi.runtime.invoke(
    "hwddm:backup:getRestorableDataNodes",
    {
      availableOnly: args.availableOnly,
      endpoint: args.endpoint,
      instanceId: args.instanceId,
      limit: args.limit,
      offset: args.offset,
      projectId: args.projectId,
      region: args.region,
      restoreTime: args.restoreTime,
      sourceDataNodeId: args.sourceDataNodeId,
      targetInstanceId: args.targetInstanceId,
    },
    opts,
  );
}

/**
 * A collection of arguments for invoking getRestorableDataNodes.
 */
export interface GetRestorableDataNodesArgs {
  /**
   * Keep only data nodes with `available: true`. Default false.
   */
  availableOnly?: boolean;
  /**
   * Overrides the provider's DDM endpoint, e.g. `https://ddm.ap-southeast-1.myhuaweicloud.com`.
   */
  endpoint?: string;
  /**
   * ID of the DDM instance whose backup is to be restored (the source). Required.
   */
  instanceId: string;
  /**
   * Most data nodes returned in all; an integer >= 1. Default: every record from `offset`.
   */
  limit?: number;
  /**
   * Data nodes skipped before the first returned; an integer >= 0. Default 0.
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
   * The point in time: RFC 3339 (or the API's forms, e.g. `2025-05-20T09:40:40+0000`) or epoch
   * milliseconds. Required.
   */
  restoreTime: string | number;
  /**
   * ID of the source data node (a `dataNodes[].instanceId` of `getRelatedDataNodes`). Required.
   */
  sourceDataNodeId: string;
  /**
   * ID of the DDM instance to restore into (the target). Required.
   */
  targetInstanceId: string;
}

/**
 * A collection of values returned by getRestorableDataNodes.
 */
export interface GetRestorableDataNodesResult {
  /**
   * The target's data nodes offered for the source data node (all pages), after the filter.
   */
  readonly dataNodes: readonly outputs.backup.TargetDataNode[];
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
   * `restoreTime` in milliseconds since the Unix epoch.
   */
  readonly restoreTimeEpochMs: number;
  /**
   * ID of the source data node.
   */
  readonly sourceDataNodeId: string;
  /**
   * ID of the target DDM instance.
   */
  readonly targetInstanceId: string;
  /**
   * The API's `total` (before the filter).
   */
  readonly total: number;
  /**
   * Non-fatal notes, e.g. that the list changed while it was paged. Empty when none.
   */
  readonly warnings: readonly string[];
}

/**
 * Lists the data nodes of a target DDM instance that one source data node can be restored into.
 *
 * The Output form of `getRestorableDataNodes`: takes Inputs, so it can follow values that other
 * resources or functions produce. When an input is unknown (at preview), the result is unknown
 * and no request is made.
 *
 * ## Example Usage
 *
 * ```typescript
 * import * as pulumi from "@pulumi/pulumi";
 * import * as hwddm from "pulumi-hwddm";
 *
 * const config = new pulumi.Config();
 * const instanceId = config.require("sourceInstanceId");
 * const restoreTime = "2025-05-20T10:00:00Z";
 * const target = hwddm.backup.selectRestoreTargetOutput({ instanceId, vpcName: "vpc-ddm-172" });
 * const nodes = hwddm.backup.getRelatedDataNodesOutput({ instanceId, restoreTime });
 * const candidates = hwddm.backup.getRestorableDataNodesOutput({
 *     instanceId,
 *     restoreTime,
 *     targetInstanceId: target.target.instanceId,
 *     sourceDataNodeId: nodes.dataNodes.apply(ns => ns[0].instanceId),
 *     availableOnly: true,
 * });
 * export const firstCandidate = candidates.dataNodes.apply(ds => ds[0]?.instanceName);
 * ```
 */
export function getRestorableDataNodesOutput(
  args: GetRestorableDataNodesOutputArgs,
  opts?: pulumi.InvokeOutputOptions,
): pulumi.Output<GetRestorableDataNodesResult> {
  opts = utilities.invokeOptions(opts);
  return pulumi.runtime.invokeOutput(
    "hwddm:backup:getRestorableDataNodes",
    {
      availableOnly: args.availableOnly,
      endpoint: args.endpoint,
      instanceId: args.instanceId,
      limit: args.limit,
      offset: args.offset,
      projectId: args.projectId,
      region: args.region,
      restoreTime: args.restoreTime,
      sourceDataNodeId: args.sourceDataNodeId,
      targetInstanceId: args.targetInstanceId,
    },
    opts,
  );
}

/**
 * A collection of arguments for invoking getRestorableDataNodes.
 */
export interface GetRestorableDataNodesOutputArgs {
  /**
   * Keep only data nodes with `available: true`. Default false.
   */
  availableOnly?: pulumi.Input<boolean>;
  /**
   * Overrides the provider's DDM endpoint, e.g. `https://ddm.ap-southeast-1.myhuaweicloud.com`.
   */
  endpoint?: pulumi.Input<string>;
  /**
   * ID of the DDM instance whose backup is to be restored (the source). Required.
   */
  instanceId: pulumi.Input<string>;
  /**
   * Most data nodes returned in all; an integer >= 1. Default: every record from `offset`.
   */
  limit?: pulumi.Input<number>;
  /**
   * Data nodes skipped before the first returned; an integer >= 0. Default 0.
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
   * The point in time: RFC 3339 (or the API's forms, e.g. `2025-05-20T09:40:40+0000`) or epoch
   * milliseconds. Required.
   */
  restoreTime: pulumi.Input<string | number>;
  /**
   * ID of the source data node (a `dataNodes[].instanceId` of `getRelatedDataNodes`). Required.
   */
  sourceDataNodeId: pulumi.Input<string>;
  /**
   * ID of the DDM instance to restore into (the target). Required.
   */
  targetInstanceId: pulumi.Input<string>;
}
