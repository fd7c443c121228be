// `hwddm:backup:getRelatedDataNodes`, in the shape of Pulumi's generated SDKs.
// Keep in step with provider/schema.json (test/sdk/schema.spec.ts checks it).

import * as pulumi from "@pulumi/pulumi";
import * as outputs from "../types/output";
import * as utilities from "../utilities";

/**
 * Lists the data nodes of the given DDM instance at a point in time.
 *
 * A DDM instance keeps its data in data nodes (RDS for MySQL instances); a restore maps each
 * data node the source had at the restore time to one data node of the target. This lists
 * them (every page of the API, in the order it gives), with the latest restorable time the
 * API reports. The answer is known at `pulumi preview`. Pass a data node's `instanceId` to
 * `getRestorableDataNodes` to see where it can go, or let `planRestore` map them all.
 *
 * ## Example Usage
 *
 * ```typescript
 * import * as hwddm from "pulumi-hwddm";
 *
 * const nodes = hwddm.backup.getRelatedDataNodes({
 *     instanceId: "1f5c9fd6cd984056ba89c8c87cc03278in09",
 *     restoreTime: "2025-05-20T10:00:00Z",
 * });
 * export const dataNodeIds = nodes.then(r => r.dataNodes.map(n => n.instanceId));
 * ```
 */
export function getRelatedDataNodes(
  args: GetRelatedDataNodesArgs,
  opts?: pulumi.InvokeOptions,
): Promise<GetRelatedDataNodesResult> {
  opts = utilities.invokeOptions(opts);
  return pulumi.runtime.invoke(
    "hwddm:backup:getRelatedDataNodes",
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
 * A collection of arguments for invoking getRelatedDataNodes.
 */
export interface GetRelatedDataNodesArgs {
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
}

/**
 * A collection of values returned by getRelatedDataNodes.
 */
export interface GetRelatedDataNodesResult {
  /**
   * The source's data nodes at that time (all pages), in the order the API lists them.
   */
  readonly dataNodes: readonly outputs.backup.RelatedDataNode[];
  /**
   * Deterministic id of this query (same inputs, same id).
   */
  readonly id: string;
  /**
   * ID of the source DDM instance.
   */
  readonly instanceId: string;
  /**
   * The latest restorable time the API reports, RFC 3339 UTC with milliseconds. Absent when the
   * API gives none.
   */
  readonly latestRestorableTime?: string;
  /**
   * `latestRestorableTime` in epoch milliseconds. Absent when the API gives none.
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
   * `restoreTime`, RFC 3339 UTC with milliseconds.
   */
  readonly restoreTime: string;
  /**
   * `restoreTime` in milliseconds since the Unix epoch.
   */
  readonly restoreTimeEpochMs: number;
  /**
   * The API's `total` of data nodes.
   */
  readonly total: number;
  /**
   * Non-fatal notes, e.g. that the list changed while it was paged. Empty when none.
   */
  readonly warnings: readonly string[];
}

/**
 * Lists the data nodes of the given DDM instance at a point in time.
 *
 * The Output form of `getRelatedDataNodes`: takes Inputs, so it can follow values that other
 * resources or functions produce (a time chosen by `selectRestoreTimeOutput`, for one). When an
 * input is unknown (at preview), the result is unknown and no request is made.
 *
 * ## Example Usage
 *
 * ```typescript
 * import * as pulumi from "@pulumi/pulumi";
 * import * as hwddm from "pulumi-hwddm";
 *
 * const config = new pulumi.Config();
 * const instanceId = config.require("sourceInstanceId");
 * const time = hwddm.backup.selectRestoreTimeOutput({ instanceId, latest: true, marginSeconds: 60 });
 * const nodes = hwddm.backup.getRelatedDataNodesOutput({ instanceId, restoreTime: time.time });
 * export const dataNodeNames = nodes.dataNodes.apply(ns => ns.map(n => n.instanceName));
 * ```
 */
export function getRelatedDataNodesOutput(
  args: GetRelatedDataNodesOutputArgs,
  opts?: pulumi.InvokeOutputOptions,
): pulumi.Output<GetRelatedDataNodesResult> {
  opts = utilities.invokeOptions(opts);
  return pulumi.runtime.invokeOutput(
    "hwddm:backup:getRelatedDataNodes",
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
 * A collection of arguments for invoking getRelatedDataNodes.
 */
export interface GetRelatedDataNodesOutputArgs {
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
}
