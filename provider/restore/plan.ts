/**
 * The restore plan: one selection that turns a source, criteria for the target, a time rule and
 * an optional data-node mapping into everything the restore POST needs, proven against the
 * live API with read-only calls, or a SelectionError naming what is missing.
 *
 * The default mapping rule (no mapping given): the source's data nodes in the order the API
 * lists them; each takes the first available target data node, in the order the API lists
 * them for it, that no earlier data node took. When that leaves one without a target although
 * a complete mapping exists, a maximum matching (augmenting paths) finds it. An explicit
 * mapping is checked, never changed.
 */
import { SelectionError, ValidationError, describeValue } from "../errors";
import type { PagingOptions } from "../defaults";
import { listRestorableInstances, listRestoreTimeIntervals } from "../operations";
import { RestoreTimeOptions, TargetCriteria, selectRestoreTarget, selectRestoreTime } from "../select";
import { FailureCollector, idProblem } from "../validate";
import { DataNodeRelation, RestoreSource, listRelatedDataNodes, listTargetDataNodes } from "./operations";
import type { RelatedDataNode, TargetDataNode } from "./wire";
import type { DataNodeRelationOut, RestorePlan } from "../types";

/** One line of a plan's mapping, with names for people (`PlannedDataNodeRelation` of the schema). */
export type PlannedRelation = DataNodeRelationOut;

/** A complete, checked restore (`RestorePlan` of the schema). */
export type { RestorePlan };

/** Check an explicit mapping's shape (before any request); throws a ValidationError naming each bad entry. */
export function checkRelations(value: unknown, field = "dataNodeRelations"): DataNodeRelation[] {
  const f = new FailureCollector();
  if (!Array.isArray(value) || value.length === 0) {
    f.add(
      field,
      `got ${describeValue(value)}; expected a non-empty list of { sourceInstanceId, targetInstanceId }`,
    );
    f.throwIfAny();
  }
  const out: DataNodeRelation[] = [];
  (value as unknown[]).forEach((v, i) => {
    const at = `${field}[${i}]`;
    if (typeof v !== "object" || v === null || Array.isArray(v)) {
      f.add(at, `got ${describeValue(v)}; expected { sourceInstanceId, targetInstanceId }`);
      return;
    }
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) {
      if (k !== "sourceInstanceId" && k !== "targetInstanceId" && o[k] !== undefined && o[k] !== null)
        f.add(`${at}.${k}`, "unknown key; expected sourceInstanceId and targetInstanceId");
    }
    for (const k of ["sourceInstanceId", "targetInstanceId"] as const) {
      const p = idProblem(o[k]);
      if (p) f.add(`${at}.${k}`, o[k] === undefined ? `is required; ${p}` : p);
    }
    out.push({
      sourceInstanceId: o.sourceInstanceId as string,
      targetInstanceId: o.targetInstanceId as string,
    });
  });
  f.throwIfAny();
  return out;
}

function nodeName(n: { instanceId: string; instanceName: string }): string {
  return n.instanceName ? `${n.instanceId} (${n.instanceName})` : n.instanceId;
}

function describeCandidates(candidates: readonly TargetDataNode[]): string {
  if (candidates.length === 0) return "the target offers no data node for it";
  return `the target's data nodes for it: ${candidates
    .map(
      (c) =>
        `${nodeName(c)} ${c.available ? "available" : `unavailable (${c.unavailableReason || "no reason given"})`}`,
    )
    .join(", ")}`;
}

/**
 * Map every source data node to one available target data node: `explicit` checked as given,
 * else the default rule above. Throws SelectionError listing every problem.
 */
export function mapDataNodes(
  related: readonly RelatedDataNode[],
  candidatesOf: ReadonlyMap<string, readonly TargetDataNode[]>,
  explicit?: readonly DataNodeRelation[],
): PlannedRelation[] {
  if (related.length === 0)
    throw new SelectionError("the source has no data nodes at that time, so there is nothing to restore");
  const problems: string[] = [];
  const relation = (src: RelatedDataNode, dst: TargetDataNode): PlannedRelation => ({
    sourceInstanceId: src.instanceId,
    sourceInstanceName: src.instanceName,
    targetInstanceId: dst.instanceId,
    targetInstanceName: dst.instanceName,
  });

  if (explicit) {
    const bySource = new Map(related.map((n) => [n.instanceId, n]));
    const seenSource = new Set<string>();
    const usedTarget = new Map<string, string>();
    const out: PlannedRelation[] = [];
    for (const r of explicit) {
      const src = bySource.get(r.sourceInstanceId);
      if (!src) {
        problems.push(
          `${r.sourceInstanceId} is not a data node of the source at that time (its data nodes: ${related.map(nodeName).join(", ")})`,
        );
        continue;
      }
      if (seenSource.has(src.instanceId)) {
        problems.push(`data node ${nodeName(src)} is mapped more than once`);
        continue;
      }
      seenSource.add(src.instanceId);
      const candidates = candidatesOf.get(src.instanceId) ?? [];
      const dst = candidates.find((c) => c.instanceId === r.targetInstanceId);
      if (!dst) {
        problems.push(
          `data node ${nodeName(src)} cannot go to ${r.targetInstanceId}: ${describeCandidates(candidates)}`,
        );
        continue;
      }
      if (!dst.available) {
        problems.push(
          `data node ${nodeName(src)} cannot go to ${nodeName(dst)}: it is unavailable (${dst.unavailableReason || "no reason given"})`,
        );
        continue;
      }
      const other = usedTarget.get(dst.instanceId);
      if (other !== undefined) {
        problems.push(`target data node ${nodeName(dst)} is given to both ${other} and ${src.instanceId}`);
        continue;
      }
      usedTarget.set(dst.instanceId, src.instanceId);
      out.push(relation(src, dst));
    }
    for (const n of related) {
      if (!seenSource.has(n.instanceId))
        problems.push(`data node ${nodeName(n)} of the source is not mapped`);
    }
    if (problems.length > 0)
      throw new SelectionError(`the data-node mapping cannot be used: ${problems.join("; ")}`);
    // In the source's order, as the default rule gives it.
    const order = new Map(related.map((n, i) => [n.instanceId, i]));
    return out.sort((a, b) => order.get(a.sourceInstanceId)! - order.get(b.sourceInstanceId)!);
  }

  const options = related.map((n) => (candidatesOf.get(n.instanceId) ?? []).filter((c) => c.available));
  const owner = new Map<string, number>(); // target data node id -> index of the source data node holding it
  const chosen: (TargetDataNode | undefined)[] = related.map(() => undefined);
  // First pass: greedy, in the API's order.
  options.forEach((opts, i) => {
    const free = opts.find((c) => !owner.has(c.instanceId));
    if (free) {
      owner.set(free.instanceId, i);
      chosen[i] = free;
    }
  });
  // Augmenting paths for whatever the greedy pass left without a target.
  const augment = (i: number, visited: Set<string>): boolean => {
    for (const c of options[i]) {
      if (visited.has(c.instanceId)) continue;
      visited.add(c.instanceId);
      const holder = owner.get(c.instanceId);
      if (holder === undefined || augment(holder, visited)) {
        owner.set(c.instanceId, i);
        chosen[i] = c;
        return true;
      }
    }
    return false;
  };
  related.forEach((_n, i) => {
    if (chosen[i] === undefined) augment(i, new Set());
  });
  related.forEach((n, i) => {
    if (chosen[i] === undefined) {
      const candidates = candidatesOf.get(n.instanceId) ?? [];
      problems.push(
        options[i].length === 0
          ? `data node ${nodeName(n)} has no available target data node: ${describeCandidates(candidates)}`
          : `data node ${nodeName(n)} has no target data node left (each can take one): ${describeCandidates(candidates)}`,
      );
    }
  });
  if (problems.length > 0) throw new SelectionError(`no complete data-node mapping: ${problems.join("; ")}`);
  return related.map((n, i) => relation(n, chosen[i]!));
}

/** The part of a plan a SelectionError is about: the target, the time or the data-node mapping. */
export type PlanStage = "target" | "time" | "dataNodes";

const STAGE = Symbol.for("pulumi-hwddm.plan-stage");

/** Which part of the plan `e` (a SelectionError from planRestore) is about, if known. */
export function planStageOf(e: unknown): PlanStage | undefined {
  return SelectionError.isInstance(e)
    ? ((e as unknown as Record<symbol, PlanStage>)[STAGE] ?? undefined)
    : undefined;
}

function inStage<T>(stage: PlanStage, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (SelectionError.isInstance(e)) Object.defineProperty(e, STAGE, { value: stage });
    throw e;
  }
}

/** What `planRestore` needs. */
export interface PlanRequest {
  /** The source DDM instance. */
  instanceId: string;
  /** How to choose the target (no criteria: the first available). */
  criteria: TargetCriteria;
  /** The time rule (`{ latest: true }` or `{ at }`, with `marginSeconds`). */
  time: RestoreTimeOptions;
  /** An explicit mapping to check instead of the default rule. */
  dataNodeRelations?: readonly DataNodeRelation[];
  paging?: Partial<PagingOptions>;
}

/** Data nodes asked about at once (one restorable-data-node request each). */
const DATA_NODE_CONCURRENCY = 4;

/**
 * Make a complete restore plan with read-only calls: the target (restorable-instances), the
 * time (restorable-time-interval), the source's data nodes at that time (related-dn) and, for
 * each, the target's data nodes it can go to (restorable-data-node); then the mapping.
 */
export async function planRestore(
  source: RestoreSource,
  req: PlanRequest,
  signal?: AbortSignal,
): Promise<{ projectId: string; plan: RestorePlan; warnings: string[] }> {
  if (idProblem(req.instanceId))
    throw ValidationError.field("instanceId", req.instanceId, idProblem(req.instanceId)!);
  const list = { instanceId: req.instanceId, paging: req.paging };
  const [instances, windows] = await Promise.all([
    listRestorableInstances(source, list, signal),
    listRestoreTimeIntervals(source, list, signal),
  ]);
  const target = inStage("target", () => selectRestoreTarget(instances, req.criteria));
  const time = inStage("time", () => selectRestoreTime(windows, req.time));
  const related = await listRelatedDataNodes(
    source,
    { instanceId: req.instanceId, restoreTimeMs: time.epochMs, paging: req.paging },
    signal,
  );
  const candidatesOf = new Map<string, TargetDataNode[]>();
  const queue = [...related.dataNodes];
  const worker = async (): Promise<void> => {
    for (let n = queue.shift(); n; n = queue.shift()) {
      const got = await listTargetDataNodes(
        source,
        {
          instanceId: req.instanceId,
          targetInstanceId: target.instanceId,
          sourceDataNodeId: n.instanceId,
          restoreTimeMs: time.epochMs,
        },
        signal,
      );
      candidatesOf.set(n.instanceId, got.dataNodes);
    }
  };
  await Promise.all(Array.from({ length: Math.min(DATA_NODE_CONCURRENCY, queue.length) }, worker));
  const relations = inStage("dataNodes", () =>
    mapDataNodes(related.dataNodes, candidatesOf, req.dataNodeRelations),
  );
  return {
    projectId: instances.projectId,
    plan: {
      sourceInstanceId: req.instanceId,
      targetInstanceId: target.instanceId,
      targetInstanceName: target.instanceName,
      restoreTime: time.time,
      restoreTimeEpochMs: time.epochMs,
      dataNodeRelations: relations,
    },
    warnings: [...instances.warnings, ...windows.warnings, ...related.warnings],
  };
}
