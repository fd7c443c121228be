/**
 * `hwddm:backup:getRelatedDataNodes`: the data nodes of the source instance `instanceId` at
 * `restoreTime` (every page), as the restore maps them one by one to the target's data nodes.
 */
import { listRelatedDataNodes } from "../restore/operations";
import { formatRfc3339, parseTimeInput } from "../time";
import { GET_RELATED_DATA_NODES } from "../spec/functions";
import { GetRelatedDataNodesResult } from "../types";
import type { ArgReader, DataFunction } from "./index";

/** A required time argument as epoch ms (0 when missing or bad: the failure is recorded). */
export function requiredTime(read: ArgReader, key: string): number {
  const v = read.args[key];
  if (v === undefined || v === "") {
    read.failures.add(key, "is required; expected an RFC 3339 time or epoch milliseconds");
    return 0;
  }
  return read.failures.check(() => parseTimeInput(v, key)) ?? 0;
}

export const relatedDataNodesFunction: DataFunction<
  { restoreTimeEpochMs: number },
  GetRelatedDataNodesResult
> = {
  spec: GET_RELATED_DATA_NODES,
  idName: "related-data-nodes",

  check: (read) => ({ restoreTimeEpochMs: requiredTime(read, "restoreTime") }),

  idParams: (own) => ({ restoreTime: own.restoreTimeEpochMs }),

  async run({ client, common, paging, signal }, own) {
    const list = await listRelatedDataNodes(
      client,
      {
        instanceId: common.instanceId,
        restoreTimeMs: own.restoreTimeEpochMs,
        offset: common.offset,
        limit: common.limit,
        paging,
      },
      signal,
    );
    const latest = list.latestRestorableTimeEpochMs;
    return {
      projectId: list.projectId,
      restoreTime: formatRfc3339(own.restoreTimeEpochMs),
      restoreTimeEpochMs: own.restoreTimeEpochMs,
      dataNodes: list.dataNodes,
      ...(latest === undefined
        ? {}
        : { latestRestorableTime: formatRfc3339(latest), latestRestorableTimeEpochMs: latest }),
      total: list.total,
      warnings: list.warnings,
    };
  },
};
