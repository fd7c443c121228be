/**
 * `hwddm:backup:planRestore`: a complete restore plan chosen inside the provider (see
 * provider/restore/plan.ts): the target by the criteria of `selectRestoreTarget`, the time by
 * the rule of `selectRestoreTime`, and every source data node mapped to an available target
 * data node (the default rule, or `dataNodeRelations` checked as given). `offset` and `limit`
 * are refused: a plan reads every record.
 */
import { PlanRequest, checkRelations, planRestore } from "../restore/plan";
import { PAGING_INPUTS, PLAN_RESTORE } from "../spec/functions";
import { PlanRestoreResult } from "../types";
import type { ArgReader, DataFunction } from "./index";
import { CRITERION_OF, readCriteria } from "./selectRestoreTarget";
import { readTimeRule } from "./selectRestoreTime";

type Own = Omit<PlanRequest, "instanceId" | "paging">;

/** Read the plan's own arguments (the resource's Check reads its inputs with this too). */
export function checkPlanArgs(read: ArgReader): Own {
  const out: Own = { criteria: readCriteria(read), time: { latest: true } };
  const t = readTimeRule(read);
  if (t)
    out.time = t.latest
      ? { latest: true, marginSeconds: t.marginSeconds }
      : { at: t.atMs!, marginSeconds: t.marginSeconds };
  if (read.args.dataNodeRelations !== undefined) {
    const r = read.failures.check(() => checkRelations(read.args.dataNodeRelations));
    if (r) out.dataNodeRelations = r;
  }
  return out;
}

export const planRestoreFunction: DataFunction<Own, PlanRestoreResult> = {
  spec: PLAN_RESTORE,
  idName: "restore-plan",

  check(read: ArgReader): Own {
    for (const key of Object.keys(PAGING_INPUTS)) {
      const flagged = read.failures.has(key);
      if (read.args[key] !== undefined && !flagged)
        read.failures.add(key, "is not taken by planRestore: a plan reads every record");
    }
    return checkPlanArgs(read);
  },

  idParams: (own) => ({
    ...Object.fromEntries(Object.entries(CRITERION_OF).map(([arg, c]) => [arg, own.criteria[c]])),
    latest: "latest" in own.time && own.time.latest ? true : undefined,
    at: own.time.at === undefined ? undefined : String(own.time.at),
    marginSeconds: own.time.marginSeconds ? Number(own.time.marginSeconds) : undefined,
    dataNodeRelations: own.dataNodeRelations
      ? own.dataNodeRelations.map((r) => `${r.sourceInstanceId}:${r.targetInstanceId}`).join(",")
      : undefined,
  }),

  async run({ client, common, paging, signal }, own) {
    const { projectId, plan, warnings } = await planRestore(
      client,
      { instanceId: common.instanceId, paging, ...own },
      signal,
    );
    return {
      projectId,
      targetInstanceId: plan.targetInstanceId,
      targetInstanceName: plan.targetInstanceName,
      restoreTime: plan.restoreTime,
      restoreTimeEpochMs: plan.restoreTimeEpochMs,
      dataNodeRelations: plan.dataNodeRelations,
      warnings,
    };
  },
};
