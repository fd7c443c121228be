/**
 * The two DDM restore queries as async functions of the core: validate the ids, walk every
 * page asked for, decode each body against the contract and reshape it to camelCase.
 * They take any `PageSource` (a `DdmClient` is one), so they are testable with a fake.
 */
import { DEFAULT_PAGING, PagingOptions } from "./defaults";
import { decodeRestorableInstancesAs, decodeRestoreTimeIntervalsAs } from "./contract";
import type { ResponseContext, RestorableInstanceWire, RestoreTimeIntervalWire } from "./wire";
import { NetworkError } from "./errors";
import { WalkOptions, collectPages } from "./paging";
import { formatRfc3339 } from "./time";
import { RestorableInstance, RestoreTimeIntervalOut } from "./types";
import { FailureCollector, checkId, checkLimit, checkOffset } from "./validate";

/** What the operations need from a client: `Pick<DdmClient, "projectId" | "getJson">`. */
export interface PageSource {
  projectId(signal?: AbortSignal): Promise<string>;
  getJson(
    path: string,
    query: Record<string, string | number>,
    signal?: AbortSignal,
  ): Promise<ResponseContext>;
}

export interface ListOptions {
  /** ID of the DDM instance whose backup is to be restored. */
  instanceId: string;
  /** Records skipped, integer >= 0; default 0. */
  offset?: number;
  /** Most records in all, integer >= 1; default every record from `offset`. */
  limit?: number;
  /** Page size and concurrency overrides (tests, benchmarks); defaults DEFAULT_PAGING. */
  paging?: Partial<PagingOptions>;
}

export interface ListResult {
  projectId: string;
  /** The API's `total`. */
  total: number;
  /** Non-fatal notes (e.g. the list changed while it was paged); empty when none. */
  warnings: string[];
  /** HTTP list requests made (each may have been retried inside the client). */
  requests: number;
}

export interface RestorableInstancesList extends ListResult {
  instances: RestorableInstance[];
}

export interface RestoreTimeIntervalsList extends ListResult {
  /** Sorted by start, then end. */
  intervals: RestoreTimeIntervalOut[];
}

type Resource = "restorable-instances" | "restorable-time-interval";

/** `/v3/{project_id}/instances/{instance_id}/backups/{resource}` with both ids encoded. */
export function restorePath(projectId: string, instanceId: string, resource: Resource): string {
  return `/v3/${encodeURIComponent(projectId)}/instances/${encodeURIComponent(instanceId)}/backups/${resource}`;
}

async function prepare(
  source: PageSource,
  opts: ListOptions,
  resource: Resource,
  signal: AbortSignal | undefined,
): Promise<{ projectId: string; path: string }> {
  const f = new FailureCollector();
  const instanceId = f.check(() => checkId("instanceId", opts.instanceId));
  if (opts.offset !== undefined) f.check(() => checkOffset(opts.offset));
  if (opts.limit !== undefined) f.check(() => checkLimit(opts.limit));
  f.throwIfAny();
  const projectId = checkId("projectId", await source.projectId(signal));
  return { projectId, path: restorePath(projectId, instanceId!, resource) };
}

/** The walker's options for one list call (the restore calls walk with these too). */
export function walkOptions<T>(
  opts: Pick<ListOptions, "offset" | "limit" | "paging">,
  path: string,
  key: (item: T) => string,
  signal: AbortSignal | undefined,
): WalkOptions<T> {
  return {
    offset: opts.offset,
    limit: opts.limit,
    pageSize: opts.paging?.pageSize ?? DEFAULT_PAGING.pageSize,
    concurrency: opts.paging?.concurrency ?? DEFAULT_PAGING.concurrency,
    maxPages: opts.paging?.maxPages ?? DEFAULT_PAGING.maxPages,
    maxRecords: opts.paging?.maxRecords ?? DEFAULT_PAGING.maxRecords,
    key,
    signal,
    // The same error the client throws for a cancelled request.
    abortError: () =>
      new NetworkError({
        code: "ABORTED",
        detail: "the request was cancelled",
        request: { method: "GET", path, attempts: 0 },
        retryable: false,
      }),
  };
}

/** One decoded record in the shape the functions return. */
function toRestorableInstance(i: RestorableInstanceWire): RestorableInstance {
  return {
    instanceId: i.instance_id,
    instanceName: i.instance_name,
    status: i.status,
    available: i.available,
    unavailableReason: i.unavailable_reason,
    vpcName: i.vpc_name,
  };
}

/** One decoded window (its times already parsed by the contract's check) in the shape the functions return. */
function toRestoreTimeInterval(
  _w: RestoreTimeIntervalWire,
  start: number,
  end: number,
): RestoreTimeIntervalOut {
  return {
    startTime: formatRfc3339(start),
    endTime: formatRfc3339(end),
    startTimeEpochMs: start,
    endTimeEpochMs: end,
  };
}

/** Every instance (in the `offset`/`limit` range) that `instanceId`'s backup can be restored into. */
export async function listRestorableInstances(
  source: PageSource,
  opts: ListOptions,
  signal?: AbortSignal,
): Promise<RestorableInstancesList> {
  const { projectId, path } = await prepare(source, opts, "restorable-instances", signal);
  const got = await collectPages<RestorableInstance>(
    async (offset, limit, pageSignal) => {
      const page = decodeRestorableInstancesAs(
        await source.getJson(path, { offset, limit }, pageSignal),
        toRestorableInstance,
      );
      return { total: page.total, items: page.items };
    },
    walkOptions(opts, path, (i: RestorableInstance) => i.instanceId, signal),
  );
  return {
    projectId,
    instances: got.items,
    total: got.total,
    warnings: got.warnings,
    requests: got.requests,
  };
}

/** The windows (in the `offset`/`limit` range) that `instanceId` can be restored to, sorted by start. */
export async function listRestoreTimeIntervals(
  source: PageSource,
  opts: ListOptions,
  signal?: AbortSignal,
): Promise<RestoreTimeIntervalsList> {
  const { projectId, path } = await prepare(source, opts, "restorable-time-interval", signal);
  const got = await collectPages<RestoreTimeIntervalOut>(
    async (offset, limit, pageSignal) => {
      const page = decodeRestoreTimeIntervalsAs(
        await source.getJson(path, { offset, limit }, pageSignal),
        toRestoreTimeInterval,
      );
      return { total: page.total, items: page.items };
    },
    walkOptions(
      opts,
      path,
      // Both times are fixed-width RFC 3339 strings already made: joined, they identify a window.
      (w: RestoreTimeIntervalOut) => w.startTime + w.endTime,
      signal,
    ),
  );
  const intervals = got.items.sort(
    (a, b) => a.startTimeEpochMs - b.startTimeEpochMs || a.endTimeEpochMs - b.endTimeEpochMs,
  );
  return { projectId, intervals, total: got.total, warnings: got.warnings, requests: got.requests };
}
