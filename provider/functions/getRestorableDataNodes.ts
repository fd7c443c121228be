/**
 * `hwddm:backup:getRestorableDataNodes`: the data nodes of the target instance
 * `targetInstanceId` that the source data node `sourceDataNodeId` can be restored into at
 * `restoreTime` (every page); `availableOnly` keeps the available ones.
 */
import { listTargetDataNodes } from "../restore/operations";
import { GetRestorableDataNodesResult, TOKENS } from "../types";
import { requiredTime } from "./getRelatedDataNodes";
import type { ArgReader, DataFunction } from "./index";
import { RESTORABLE_DATA_NODES_KEYS } from "./keys";

interface Own {
  targetInstanceId: string;
  sourceDataNodeId: string;
  restoreTimeEpochMs: number;
  availableOnly?: boolean;
}

export const restorableDataNodesFunction: DataFunction<Own, GetRestorableDataNodesResult> = {
  token: TOKENS.getRestorableDataNodes,
  idName: "restorable-data-nodes",
  keys: RESTORABLE_DATA_NODES_KEYS,

  check: (read: ArgReader): Own => ({
    targetInstanceId: read.id("targetInstanceId", true) ?? "",
    sourceDataNodeId: read.id("sourceDataNodeId", true) ?? "",
    restoreTimeEpochMs: requiredTime(read, "restoreTime"),
    availableOnly: read.boolean("availableOnly"),
  }),

  idParams: (own) => ({
    targetInstanceId: own.targetInstanceId,
    sourceDataNodeId: own.sourceDataNodeId,
    restoreTime: own.restoreTimeEpochMs,
    availableOnly: own.availableOnly,
  }),

  async run({ client, common, paging, signal }, own) {
    const list = await listTargetDataNodes(
      client,
      {
        instanceId: common.instanceId,
        targetInstanceId: own.targetInstanceId,
        sourceDataNodeId: own.sourceDataNodeId,
        restoreTimeMs: own.restoreTimeEpochMs,
        offset: common.offset,
        limit: common.limit,
        paging,
      },
      signal,
    );
    return {
      projectId: list.projectId,
      targetInstanceId: own.targetInstanceId,
      sourceDataNodeId: own.sourceDataNodeId,
      restoreTimeEpochMs: own.restoreTimeEpochMs,
      dataNodes: own.availableOnly ? list.dataNodes.filter((n) => n.available) : list.dataNodes,
      total: list.total,
      warnings: list.warnings,
    };
  },
};
