/**
 * The restore calls' answers (docs/api/ddm-restore-jobs-v3.md), checked by hand and mapped to
 * camelCase. A body that does not match is a ResponseError naming the field, as for the two
 * list queries (contract.ts); unknown extra fields are ignored. Leniency decided here:
 * - strings the API may leave out or send as `null` (`unavailable_reason`, `private_ip`,
 *   `vpc_name`, `version`, `engine_name`, `instance_status`, a job's `process`) decode as `""`;
 * - times may come as epoch milliseconds (a number) or in the API's string forms (time.ts);
 * - `data_volume_size` may come as a number or a numeric string (bytes; the reference says both).
 */
import { ResponseError, describeValue } from "../errors";
import { formatRfc3339, tryParseApiTime } from "../time";
import type { RelatedDataNodeOut, TargetDataNodeOut } from "../types";
import type { ResponseContext } from "../wire";

/**
 * One data node of the source instance (`related_data_nodes[]`): decoded, it is exactly what
 * getRelatedDataNodes returns.
 */
export type RelatedDataNode = RelatedDataNodeOut;

/**
 * One data node of the target instance a source data node can be restored into
 * (`target_data_nodes[]`): decoded, it is exactly what getRestorableDataNodes returns.
 */
export type TargetDataNode = TargetDataNodeOut;

/** A DDM job (`GET /v3/{project_id}/jobs/{job_id}`). */
export interface Job {
  id: string;
  name: string;
  /** `Running`, `Completed` or `Failed` (kept as the API sends it). */
  status: string;
  /** Progress such as `60%`; `""` when the API sends none. */
  process: string;
  /** RFC 3339 UTC; absent when the API sends none. */
  createdTime?: string;
  endTime?: string;
  /** The instance the job works on (the restore's target). */
  instanceId: string;
  instanceName: string;
  /** Why it failed, when the API says. */
  failReason: string;
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Checks fields of one answer, naming each by its dotted path. */
class Reader {
  constructor(private readonly res: ResponseContext) {}

  fail(field: string, detail: string): never {
    throw new ResponseError({
      field,
      detail,
      status: this.res.status,
      requestId: this.res.requestId,
      request: { method: this.res.method, path: this.res.path },
    });
  }

  object(v: unknown, field: string): Json {
    if (!isObject(v)) this.fail(field, `got ${describeValue(v)}; expected an object`);
    return v;
  }

  array(v: unknown, field: string): unknown[] {
    if (!Array.isArray(v)) this.fail(field, `got ${describeValue(v)}; expected an array`);
    return v;
  }

  string(o: Json, key: string, at: string): string {
    const v = o[key];
    if (typeof v !== "string") this.fail(`${at}${key}`, `got ${describeValue(v)}; expected a string`);
    return v;
  }

  /** A string the API may omit or send as null: `""` then. */
  optionalString(o: Json, key: string, at: string): string {
    const v = o[key];
    if (v === undefined || v === null) return "";
    if (typeof v !== "string") this.fail(`${at}${key}`, `got ${describeValue(v)}; expected a string`);
    return v;
  }

  boolean(o: Json, key: string, at: string): boolean {
    const v = o[key];
    if (typeof v !== "boolean") this.fail(`${at}${key}`, `got ${describeValue(v)}; expected true or false`);
    return v;
  }

  count(o: Json, key: string, at: string): number {
    const v = o[key];
    if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0)
      this.fail(`${at}${key}`, `got ${describeValue(v)}; expected an integer >= 0`);
    return v;
  }

  /** A size in bytes that may be a number or a numeric string; undefined when absent. */
  size(o: Json, key: string, at: string): number | undefined {
    const v = o[key];
    if (v === undefined || v === null || v === "") return undefined;
    const n = typeof v === "string" ? Number(v) : v;
    if (typeof n !== "number" || !Number.isFinite(n) || n < 0)
      this.fail(`${at}${key}`, `got ${describeValue(v)}; expected a size in bytes`);
    return n;
  }

  /** A time as epoch ms (number) or in the API's string forms; undefined when absent. */
  time(o: Json, key: string, at: string): number | undefined {
    const v = o[key];
    if (v === undefined || v === null || v === "") return undefined;
    if (typeof v === "number") {
      if (!Number.isSafeInteger(v) || v < 0)
        this.fail(`${at}${key}`, `got ${describeValue(v)}; expected epoch milliseconds`);
      return v;
    }
    if (typeof v === "string") {
      // Epoch milliseconds sent as a string.
      if (/^\d{1,16}$/.test(v)) return Number(v);
      const t = tryParseApiTime(v);
      if (typeof t === "number") return t;
      this.fail(`${at}${key}`, t);
    }
    return this.fail(`${at}${key}`, `got ${describeValue(v)}; expected a time`);
  }
}

/** A related-dn page: the source's data nodes at the asked time, `total`, and the latest restorable time. */
export function decodeRelatedDataNodes(res: ResponseContext): {
  items: RelatedDataNode[];
  total: number;
  latestRestorableTimeEpochMs?: number;
} {
  const r = new Reader(res);
  const body = r.object(res.data, "(body)");
  const list = r.array(body.related_data_nodes, "related_data_nodes");
  const items = list.map((v, i): RelatedDataNode => {
    const at = `related_data_nodes[${i}].`;
    const o = r.object(v, at.slice(0, -1));
    const node: RelatedDataNode = {
      instanceId: r.string(o, "instance_id", at),
      instanceName: r.optionalString(o, "instance_name", at),
      instanceStatus: r.optionalString(o, "instance_status", at),
      version: r.optionalString(o, "version", at),
      engineName: r.optionalString(o, "engine_name", at),
    };
    const size = r.size(o, "data_volume_size", at);
    if (size !== undefined) node.dataVolumeSize = size;
    return node;
  });
  const total = body.total === undefined ? items.length : r.count(body, "total", "");
  const latest = r.time(body, "latest_restorable_time", "");
  return latest === undefined ? { items, total } : { items, total, latestRestorableTimeEpochMs: latest };
}

/** A restorable-data-node answer: the target's data nodes, and `total` (the list's length when absent). */
export function decodeTargetDataNodes(res: ResponseContext): { items: TargetDataNode[]; total: number } {
  // Paged like related-dn (offset, limit, total); older answers without total are one page.
  const r = new Reader(res);
  const body = r.object(res.data, "(body)");
  const list = r.array(body.target_data_nodes, "target_data_nodes");
  const items = list.map((v, i): TargetDataNode => {
    const at = `target_data_nodes[${i}].`;
    const o = r.object(v, at.slice(0, -1));
    return {
      instanceId: r.string(o, "instance_id", at),
      instanceName: r.optionalString(o, "instance_name", at),
      engineName: r.optionalString(o, "engine_name", at),
      status: r.optionalString(o, "status", at),
      available: r.boolean(o, "available", at),
      unavailableReason: r.optionalString(o, "unavailable_reason", at),
      vpcName: r.optionalString(o, "vpc_name", at),
      privateIp: r.optionalString(o, "private_ip", at),
    };
  });
  const total = body.total === undefined ? items.length : r.count(body, "total", "");
  return { items, total };
}

/** The restore POST's answer: the job id. */
export function decodeRestoreAnswer(res: ResponseContext): { jobId: string } {
  const r = new Reader(res);
  const body = r.object(res.data, "(body)");
  const jobId = r.string(body, "job_id", "");
  if (jobId === "") r.fail("job_id", "got an empty string; expected the restore job's id");
  return { jobId };
}

/** A job answer. */
export function decodeJob(res: ResponseContext): Job {
  const r = new Reader(res);
  const body = r.object(res.data, "(body)");
  const o = r.object(body.job, "job");
  const instance =
    o.instance === undefined || o.instance === null ? {} : r.object(o.instance, "job.instance");
  const created = r.time(o, "created_time", "job.");
  const ended = r.time(o, "end_time", "job.");
  const job: Job = {
    id: r.string(o, "id", "job."),
    name: r.optionalString(o, "name", "job."),
    status: r.string(o, "status", "job."),
    process: r.optionalString(o, "process", "job."),
    instanceId: r.optionalString(instance, "id", "job.instance."),
    instanceName: r.optionalString(instance, "name", "job.instance."),
    failReason: r.optionalString(o, "fail_reason", "job."),
  };
  if (created !== undefined) job.createdTime = formatRfc3339(created);
  if (ended !== undefined) job.endTime = formatRfc3339(ended);
  return job;
}
