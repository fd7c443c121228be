/**
 * `hwddm:backup:selectRestoreTarget`: the restore target chosen inside the provider, so that
 * every Pulumi language (YAML included) gets the same choice as a TypeScript program. It
 * fetches what `getRestorableInstances` fetches (same run, no filters) and chooses with
 * `selectRestoreTarget` of provider/select.ts: the first available instance matching every
 * given criterion, or a SelectionError listing every candidate with its `unavailableReason`.
 *
 * The source is `instanceId` (as in every function), so the criterion on the target's id is
 * `targetInstanceId`; the other criteria keep the helper's names.
 */
import { ValidationError } from "../errors";
import { TargetCriteria, checkCriteria, selectRestoreTarget } from "../select";
import { SELECT_RESTORE_TARGET } from "../spec/functions";
import { SelectRestoreTargetResult } from "../types";
import { restorableInstancesFunction } from "./getRestorableInstances";
import type { ArgReader, DataFunction } from "./index";

/** Each argument and the criterion of provider/select.ts it gives. */
export const CRITERION_OF = {
  targetInstanceId: "instanceId",
  name: "name",
  nameRegex: "nameRegex",
  vpcName: "vpcName",
  status: "status",
} as const satisfies Record<string, keyof TargetCriteria>;

const ARGUMENT_OF: Record<string, string> = Object.fromEntries(
  Object.entries(CRITERION_OF).map(([arg, criterion]) => [criterion, arg]),
);

/** The target criteria (planRestore's too), checked by provider/select.ts; `{}` after a failure. */
export function readCriteria(read: ArgReader): TargetCriteria {
  const given: Record<string, unknown> = {};
  for (const [arg, criterion] of Object.entries(CRITERION_OF)) {
    const v = read.args[arg];
    if (v !== undefined && v !== "") given[criterion] = v;
  }
  try {
    return checkCriteria(given).criteria;
  } catch (e) {
    if (!ValidationError.isInstance(e)) throw e;
    for (const x of e.failures) read.failures.add(ARGUMENT_OF[x.property] ?? x.property, x.reason);
    return {};
  }
}

export const selectRestoreTargetFunction: DataFunction<TargetCriteria, SelectRestoreTargetResult> = {
  spec: SELECT_RESTORE_TARGET,
  idName: "restore-target",

  check: readCriteria,

  idParams: (criteria) =>
    Object.fromEntries(Object.entries(CRITERION_OF).map(([arg, criterion]) => [arg, criteria[criterion]])),

  async run(ctx, criteria) {
    const list = await restorableInstancesFunction.run(ctx, {});
    const target = selectRestoreTarget(list, criteria);
    return { projectId: list.projectId, target, total: list.total, warnings: list.warnings };
  },
};
