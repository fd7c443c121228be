/**
 * The four DDM calls a restore needs (`docs/api/ddm-restore-jobs-v3.md`): routing, query and
 * body validation, and the answers. `server.ts` authenticates and applies the HTTP faults
 * first, then hands the request here.
 *
 *   POST /v3/{project_id}/instances/{instance_id}/backups/recovery            → 202 {job_id}
 *   GET  /v3/{project_id}/instances/{instance_id}/backups/related-dn          → 200 page
 *   GET  /v3/{project_id}/instances/{instance_id}/backups/restorable-data-node → 200 page
 *   GET  /v3/{project_id}/jobs/{job_id}                                       → 200 {job}
 */
import { tryParseApiTime } from "../provider/time";
import type { FaultDecision } from "./fault-plan";
import type { Fixture, FixtureInstance, FixtureProject } from "./fixture";
import { formatApiTime } from "./fixture";
import { HttpFailure, failure, pagingOf, parameterError } from "./http-errors";
import { JobRecord, JobTable } from "./jobs";

export const RESTORE_ROUTES = ["restore", "related-dn", "restorable-data-node", "job"] as const;
export type RestoreRoute = (typeof RESTORE_ROUTES)[number];

export function isRestoreRoute(route: string): route is RestoreRoute {
  return (RESTORE_ROUTES as readonly string[]).includes(route);
}

/** A path of one of the four calls, split into decoded segments (`["", "v3", ...]`). */
export interface RestorePath {
  route: RestoreRoute;
  /** The method the path takes. */
  allow: string;
  projectId: string;
  instanceId?: string;
  jobId?: string;
}

/** Which restore call a path is, if any (the method is checked by the caller). */
export function classifyRestorePath(s: string[]): RestorePath | undefined {
  if (s.length === 7 && s[3] === "instances" && s[5] === "backups" && s[2] !== "" && s[4] !== "") {
    const at = { projectId: s[2], instanceId: s[4] };
    if (s[6] === "recovery") return { route: "restore", allow: "POST", ...at };
    if (s[6] === "related-dn") return { route: "related-dn", allow: "GET", ...at };
    if (s[6] === "restorable-data-node") return { route: "restorable-data-node", allow: "GET", ...at };
  }
  if (s.length === 5 && s[3] === "jobs" && s[2] !== "" && s[4] !== "")
    return { route: "job", allow: "GET", projectId: s[2], jobId: s[4] };
  return undefined;
}

/** The start of a body for the `stall:body` and `malformed` faults on these routes. */
export const RESTORE_PARTIAL_BODIES: Record<RestoreRoute, string> = {
  restore: '{"job_id":"e4a1b0c2',
  "related-dn": '{"related_data_nodes":[{"instance_id":"a1c3e5f7091b4d6f8a0c2e4f6a8b0d1cin01","instance_na',
  "restorable-data-node":
    '{"target_data_nodes":[{"instance_id":"d3e5f7a9b1c34d5e8f0a2b4c6d8e0f1ain01","avail',
  job: '{"job":{"id":"e4a1b0c2000000000000000000000001","name":"RestoreInstance","status":"Run',
};

export interface RestoreContext {
  fixture(): Fixture;
  jobs: JobTable;
  /** Called once per restore job created (the POST was accepted, whether or not its answer arrives). */
  accepted(): void;
}

export interface RestoreReply {
  status: number;
  body: unknown;
}

/** Answer one authenticated request to a restore route. Throws HttpFailure for error answers. */
export function restoreAnswer(
  ctx: RestoreContext,
  path: RestorePath,
  rawQuery: string,
  body: Buffer,
  decision: FaultDecision,
): RestoreReply {
  switch (path.route) {
    case "restore":
      return restore(ctx, path, body, decision);
    case "related-dn":
      return relatedDn(ctx, path, rawQuery);
    case "restorable-data-node":
      return restorableDataNode(ctx, path, rawQuery);
    case "job":
      return job(ctx, path, decision);
  }
}

/** The wire form of a job (`GET /v3/{project_id}/jobs/{job_id}`). */
export function jobWire(j: JobRecord): { job: Record<string, unknown> } {
  return {
    job: {
      id: j.id,
      name: j.name,
      status: j.status,
      created_time: formatApiTime(j.createdAt),
      end_time: j.endedAt !== undefined ? formatApiTime(j.endedAt) : "",
      process: j.status === "Running" ? `${j.percent}%` : "",
      instance: { id: j.targetInstanceId, name: j.targetInstanceName },
    },
  };
}

// ---------------------------------------------------------------------------------------

function bad(detail: string): HttpFailure {
  return parameterError(`Parameter error: ${detail}`);
}

function find(
  ctx: RestoreContext,
  path: RestorePath,
): { project: FixtureProject; instance?: FixtureInstance } {
  const project = ctx.fixture().projects.find((p) => p.id === path.projectId);
  if (!project) throw failure("projectNotFound");
  if (path.instanceId === undefined) return { project };
  const instance = project.instances.find((i) => i.id === path.instanceId);
  if (!instance) throw failure("instanceNotFound");
  return { project, instance };
}

/** A restore time (epoch ms) inside one of the instance's windows, ends included. */
function inWindow(instance: FixtureInstance, ms: number): boolean {
  return instance.restoreWindows.some((w) => {
    const start = tryParseApiTime(w.start_time);
    const end = tryParseApiTime(w.end_time);
    return typeof start === "number" && typeof end === "number" && ms >= start && ms <= end;
  });
}

/** One required query parameter, given once. */
function required(q: URLSearchParams, name: string): string {
  const all = q.getAll(name);
  if (all.length === 0 || all[0] === "") throw bad(`${name} is required.`);
  if (all.length > 1) throw bad(`${name} is given more than once.`);
  return all[0];
}

function restoreTimeQuery(q: URLSearchParams): number {
  const text = required(q, "restore_time");
  if (!/^\d{1,15}$/.test(text)) throw bad("restore_time must be an integer (epoch milliseconds).");
  return Number(text);
}

function checkWindow(instance: FixtureInstance, ms: number, field: string): void {
  if (!inWindow(instance, ms))
    throw bad(`${field} ${ms} is not inside a restorable time interval of the source instance.`);
}

function page<T>(list: T[], offset: number, limit: number): T[] {
  return list.slice(offset, offset + limit);
}

function relatedDn(ctx: RestoreContext, path: RestorePath, rawQuery: string): RestoreReply {
  const q = new URLSearchParams(rawQuery);
  const { offset, limit } = pagingOf(q);
  const restoreTime = restoreTimeQuery(q);
  const instance = find(ctx, path).instance as FixtureInstance;
  checkWindow(instance, restoreTime, "restore_time");
  const nodes = instance.relatedDataNodes ?? [];
  const ends = instance.restoreWindows
    .map((w) => tryParseApiTime(w.end_time))
    .filter((t): t is number => typeof t === "number");
  return {
    status: 200,
    body: {
      related_data_nodes: page(nodes, offset, limit),
      latest_restorable_time: formatApiTime(Math.max(...ends)),
      offset,
      limit,
      total: nodes.length,
    },
  };
}

function restorableDataNode(ctx: RestoreContext, path: RestorePath, rawQuery: string): RestoreReply {
  const q = new URLSearchParams(rawQuery);
  const { offset, limit } = pagingOf(q);
  const targetId = required(q, "target_instance_id");
  const sourceDnId = required(q, "source_dn_instance_id");
  const restoreTime = restoreTimeQuery(q);
  const { project, instance } = find(ctx, path) as { project: FixtureProject; instance: FixtureInstance };
  checkWindow(instance, restoreTime, "restore_time");
  if (!(instance.relatedDataNodes ?? []).some((n) => n.instance_id === sourceDnId))
    throw bad(`source_dn_instance_id ${sourceDnId} is not a data node of the source instance.`);
  const known =
    instance.restorableInstances.some((r) => r.instance_id === targetId) ||
    project.targetDataNodes?.[targetId] !== undefined;
  if (!known) throw failure("targetNotFound");
  const nodes = project.targetDataNodes?.[targetId] ?? [];
  return {
    status: 200,
    body: { target_data_nodes: page(nodes, offset, limit), offset, limit, total: nodes.length },
  };
}

function job(ctx: RestoreContext, path: RestorePath, decision: FaultDecision): RestoreReply {
  find(ctx, path);
  if (decision.jobVanish) throw failure("jobNotFound");
  const j = ctx.jobs.poll(path.jobId as string, path.projectId);
  if (!j) throw failure("jobNotFound");
  return { status: 200, body: jobWire(j) };
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function str(o: Json, key: string, field: string): string {
  const v = o[key];
  if (typeof v !== "string" || v === "") throw bad(`${field} is required and must be a string.`);
  return v;
}

function restore(ctx: RestoreContext, path: RestorePath, raw: Buffer, decision: FaultDecision): RestoreReply {
  // The body's shape first (as DBS checks parameters first), then the path's project and
  // instance, then what the body names.
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString("utf8"));
  } catch {
    throw bad("the request body is not valid JSON.");
  }
  if (!isObject(parsed)) throw bad("the request body must be a JSON object.");
  const source = parsed.source;
  if (!isObject(source)) throw bad("source is required and must be an object.");
  const sourceId = str(source, "instance_id", "source.instance_id");
  const restoreTime = source.restore_time;
  if (typeof restoreTime !== "number" || !Number.isSafeInteger(restoreTime) || restoreTime < 0)
    throw bad("source.restore_time is required and must be an integer (epoch milliseconds).");
  const target = parsed.target;
  if (!isObject(target)) throw bad("target is required and must be an object.");
  const targetId = str(target, "instance_id", "target.instance_id");
  const relations = parsed.data_node_relations;
  if (!Array.isArray(relations)) throw bad("data_node_relations is required and must be an array.");
  const pairs = relations.map((r: unknown, i) => {
    const field = `data_node_relations[${i}]`;
    if (!isObject(r)) throw bad(`${field} must be an object.`);
    return {
      source_instance_id: str(r, "source_instance_id", `${field}.source_instance_id`),
      target_instance_id: str(r, "target_instance_id", `${field}.target_instance_id`),
    };
  });

  const { project, instance } = find(ctx, path) as { project: FixtureProject; instance: FixtureInstance };
  if (sourceId !== path.instanceId)
    throw bad(`source.instance_id ${sourceId} is not the instance in the path (${path.instanceId}).`);
  checkWindow(instance, restoreTime, "source.restore_time");
  const targetRecord = instance.restorableInstances.find((r) => r.instance_id === targetId);
  if (!targetRecord)
    throw bad(`target.instance_id ${targetId} is not an instance the source can be restored into.`);
  if (!targetRecord.available)
    throw bad(
      `target.instance_id ${targetId} is not available for restoration: ${targetRecord.unavailable_reason || "unavailable"}`,
    );

  const sourceDns = instance.relatedDataNodes ?? [];
  const targetDns = project.targetDataNodes?.[targetId] ?? [];
  const mappedSources = new Set<string>();
  const usedTargets = new Set<string>();
  pairs.forEach((p, i) => {
    const field = `data_node_relations[${i}]`;
    if (!sourceDns.some((n) => n.instance_id === p.source_instance_id))
      throw bad(
        `${field}.source_instance_id ${p.source_instance_id} is not a data node of the source instance.`,
      );
    if (mappedSources.has(p.source_instance_id))
      throw bad(`${field}.source_instance_id ${p.source_instance_id} is mapped more than once.`);
    mappedSources.add(p.source_instance_id);
    const dn = targetDns.find((n) => n.instance_id === p.target_instance_id);
    if (!dn)
      throw bad(
        `${field}.target_instance_id ${p.target_instance_id} is not a data node of the target instance.`,
      );
    if (!dn.available)
      throw bad(
        `${field}.target_instance_id ${p.target_instance_id} is not available: ${dn.unavailable_reason || "unavailable"}`,
      );
    if (usedTargets.has(p.target_instance_id))
      throw bad(`${field}.target_instance_id ${p.target_instance_id} is used more than once.`);
    usedTargets.add(p.target_instance_id);
  });
  const missing = sourceDns.filter((n) => !mappedSources.has(n.instance_id));
  if (missing.length > 0)
    throw bad(
      `data_node_relations must map every data node of the source instance; missing ${missing.map((n) => n.instance_id).join(", ")}.`,
    );

  if (ctx.jobs.busy(project.id, targetId)) throw failure("targetBusy");
  const plan =
    decision.jobFailReason !== undefined
      ? { kind: "fail" as const, reason: decision.jobFailReason }
      : decision.jobHangProcess !== undefined
        ? { kind: "hang" as const, percent: decision.jobHangProcess }
        : { kind: "normal" as const };
  const created = ctx.jobs.create(
    {
      projectId: project.id,
      sourceInstanceId: instance.id,
      targetInstanceId: targetId,
      targetInstanceName: targetRecord.instance_name,
      restoreTime,
      dataNodeRelations: pairs,
    },
    plan,
  );
  ctx.accepted();
  return { status: 202, body: { job_id: created.id } };
}
