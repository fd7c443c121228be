/**
 * The four calls of a restore as async functions of the core, on the one client: the source's
 * data nodes at a time (related-dn, paged), the target data nodes one source data node can go
 * to (restorable-data-node), the restore itself (the POST; never sent twice, see
 * `DdmClient.postJson`) and a job's state.
 */
import type { PagingOptions } from "../defaults";
import { ApiError, NetworkError } from "../errors";
import { PageSource, walkOptions } from "../operations";
import { collectPages } from "../paging";
import { formatRfc3339 } from "../time";
import { checkId } from "../validate";
import type { JsonResponse } from "../client";
import {
  Job,
  RelatedDataNode,
  TargetDataNode,
  decodeJob,
  decodeRelatedDataNodes,
  decodeRestoreAnswer,
  decodeTargetDataNodes,
} from "./wire";

/** What the restore calls need from a client (a `DdmClient` is one). */
export interface RestoreSource extends PageSource {
  postJson(path: string, body: unknown, signal?: AbortSignal): Promise<JsonResponse>;
}

/** One source data node and the target data node it is restored into (the POST's `data_node_relations[]`). */
export interface DataNodeRelation {
  sourceInstanceId: string;
  targetInstanceId: string;
}

/** `/v3/{project_id}/instances/{instance_id}/backups/{tail}` with both ids encoded. */
function backupsPath(projectId: string, instanceId: string, tail: string): string {
  return `/v3/${encodeURIComponent(projectId)}/instances/${encodeURIComponent(instanceId)}/backups/${tail}`;
}

/** Which records of a list to read: `offset` skipped, at most `limit` (default all), page sizes. */
export interface ListRange {
  offset?: number;
  limit?: number;
  paging?: Partial<PagingOptions>;
}

async function projectOf(source: PageSource, signal?: AbortSignal): Promise<string> {
  return checkId("projectId", await source.projectId(signal));
}

/** The source's data nodes at `restoreTimeMs` (every page), and the API's latest restorable time. */
export async function listRelatedDataNodes(
  source: PageSource,
  opts: ListRange & { instanceId: string; restoreTimeMs: number },
  signal?: AbortSignal,
): Promise<{
  projectId: string;
  dataNodes: RelatedDataNode[];
  total: number;
  latestRestorableTimeEpochMs?: number;
  warnings: string[];
}> {
  const instanceId = checkId("instanceId", opts.instanceId);
  const projectId = await projectOf(source, signal);
  const path = backupsPath(projectId, instanceId, "related-dn");
  let latest: number | undefined;
  const got = await collectPages<RelatedDataNode>(
    async (offset, limit, pageSignal) => {
      const page = decodeRelatedDataNodes(
        await source.getJson(path, { restore_time: opts.restoreTimeMs, offset, limit }, pageSignal),
      );
      latest ??= page.latestRestorableTimeEpochMs;
      return { items: page.items, total: page.total };
    },
    walkOptions(opts, path, (n) => n.instanceId, signal),
  );
  const out = { projectId, dataNodes: got.items, total: got.total, warnings: got.warnings };
  return latest === undefined ? out : { ...out, latestRestorableTimeEpochMs: latest };
}

/**
 * The target's data nodes that the source data node `sourceDataNodeId` can be restored into at
 * `restoreTimeMs` (every page).
 */
export async function listTargetDataNodes(
  source: PageSource,
  opts: ListRange & {
    instanceId: string;
    targetInstanceId: string;
    sourceDataNodeId: string;
    restoreTimeMs: number;
  },
  signal?: AbortSignal,
): Promise<{ projectId: string; dataNodes: TargetDataNode[]; total: number; warnings: string[] }> {
  const instanceId = checkId("instanceId", opts.instanceId);
  const target = checkId("targetInstanceId", opts.targetInstanceId);
  const dn = checkId("sourceDataNodeId", opts.sourceDataNodeId);
  const projectId = await projectOf(source, signal);
  const path = backupsPath(projectId, instanceId, "restorable-data-node");
  const query = { target_instance_id: target, source_dn_instance_id: dn, restore_time: opts.restoreTimeMs };
  const got = await collectPages<TargetDataNode>(
    async (offset, limit, pageSignal) =>
      decodeTargetDataNodes(await source.getJson(path, { ...query, offset, limit }, pageSignal)),
    walkOptions(opts, path, (n) => n.instanceId, signal),
  );
  return { projectId, dataNodes: got.items, total: got.total, warnings: got.warnings };
}

/** A job's state. */
export async function getJob(
  source: PageSource,
  jobId: string,
  signal?: AbortSignal,
): Promise<{ projectId: string; job: Job }> {
  const id = checkId("jobId", jobId);
  const projectId = await projectOf(source, signal);
  const res = await source.getJson(
    `/v3/${encodeURIComponent(projectId)}/jobs/${encodeURIComponent(id)}`,
    {},
    signal,
  );
  return { projectId, job: decodeJob(res) };
}

/** What the restore POST restores: source at a time, into a target, data node by data node. */
export interface RestoreRequest {
  instanceId: string;
  targetInstanceId: string;
  restoreTimeEpochMs: number;
  dataNodeRelations: readonly DataNodeRelation[];
}

/**
 * Send the restore (one POST; the client retries it only when it cannot have been acted on)
 * and return the job id. When the outcome is unknown (the POST may have reached DDM), the
 * error says so and how to find out, and keeps `outcomeUnknown`.
 */
export async function startRestore(
  source: RestoreSource,
  req: RestoreRequest,
  signal?: AbortSignal,
): Promise<{ projectId: string; jobId: string; requestId: string }> {
  const instanceId = checkId("instanceId", req.instanceId);
  const target = checkId("targetInstanceId", req.targetInstanceId);
  const projectId = await projectOf(source, signal);
  const body = {
    source: { instance_id: instanceId, restore_time: req.restoreTimeEpochMs },
    target: { instance_id: target },
    data_node_relations: req.dataNodeRelations.map((r) => ({
      source_instance_id: r.sourceInstanceId,
      target_instance_id: r.targetInstanceId,
    })),
  };
  let res: JsonResponse;
  try {
    res = await source.postJson(backupsPath(projectId, instanceId, "recovery"), body, signal);
  } catch (e) {
    if (ApiError.isInstance(e) && e.outcomeUnknown) throw restoreMayHaveStarted(e, req);
    throw e;
  }
  return { projectId, jobId: decodeRestoreAnswer(res).jobId, requestId: res.requestId };
}

/** The same failure, its message saying the restore may be running and what to check before sending it again. */
function restoreMayHaveStarted(e: ApiError, req: RestoreRequest): ApiError {
  const note =
    `the restore of ${req.instanceId} at ${formatRfc3339(req.restoreTimeEpochMs)} into ${req.targetInstanceId} ` +
    `may have started although no job id came back: check the target instance's tasks in the DDM console ` +
    `(Task Center) before sending it again`;
  const init = {
    request: { method: e.method, path: e.path, attempts: e.attempts },
    retryable: false,
    outcomeUnknown: true,
  };
  if (e.status === 0) {
    return new NetworkError(
      {
        ...init,
        code: e.errorCode,
        detail: e.errorMsg,
        message: `DDM API ${e.method} ${e.path} failed: network error ${e.errorCode} (${note})`,
      },
      { cause: e },
    );
  }
  return new ApiError(
    {
      ...init,
      status: e.status,
      errorCode: e.errorCode,
      errorMsg: e.errorMsg,
      requestId: e.requestId,
      message: `DDM API ${e.method} ${e.path} failed with HTTP ${e.status} (${note})`,
    },
    { cause: e },
  );
}
