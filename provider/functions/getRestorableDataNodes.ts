/**
 * `hwddm:backup:getRestorableDataNodes`: the data nodes of the target instance
 * `targetInstanceId` that the source data node `sourceDataNodeId` can be restored into at
 * `restoreTime` (every page); `availableOnly` keeps the available ones.
 */
import { listTargetDataNodes } from "../restore/operations";
import { GET_RESTORABLE_DATA_NODES } from "../spec/functions";
import { GetRestorableDataNodesResult } from "../types";
import { requiredTime } from "./getRelatedDataNodes";
import type { DataFunction } from "./index";

interface Own {
  targetInstanceId: string;
  sourceDataNodeId: string;
  restoreTimeEpochMs: number;
  availableOnly?: boolean;
}

export const restorableDataNodesFunction: DataFunction<Own, GetRestorableDataNodesResult> = {
  spec: GET_RESTORABLE_DATA_NODES,
  idName: "restorable-data-nodes",

  checks: { restoreTime: requiredTime },

  check: (_read, declared): Own => ({
    targetInstanceId: "",
    sourceDataNodeId: "",
    ...(declared as Partial<Own>),
    restoreTimeEpochMs: (declared.restoreTime as number | undefined) ?? 0,
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
