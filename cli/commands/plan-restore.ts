/**
 * `hwddm plan-restore`: a complete, checked restore plan (target, time, every data node mapped)
 * made with read-only calls; and the plan flags `hwddm restore` shares.
 */
import { Command } from "commander";
import { dropUndefined } from "../../provider/objects";
import { SelectionError, ValidationError } from "../../provider/errors";
import { planRestore } from "../../provider/functions";
import { SELECT_RESTORE_TARGET_KEYS } from "../../provider/functions/keys";
import { PLAN_RESTORE } from "../../provider/spec";
import { parseDurationSeconds, parseTimeInput } from "../../provider/time";
import type { DataNodeRelationIn, PlanRestoreArgs, PlanRestoreResult } from "../../provider/types";
import { idProblem } from "../../provider/validate";
import { EXIT, safeText } from "../output";
import {
  CliContext,
  ConnectionFlags,
  addArgOptions,
  addConnectionOptions,
  argsFromFlags,
  addFormatOptions,
  connectionArgs,
  invokeContext,
  outputFormat,
} from "./common";

/** The flags that make a plan. */
export interface PlanFlags extends ConnectionFlags {
  latest?: boolean;
  at?: string;
  margin?: string;
  relation?: string[];
  json?: boolean;
  format?: string;
}

/** Collect every `--relation` given. */
function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Add the target criteria, the time rule and `--relation`. */
export function addPlanOptions(cmd: Command): Command {
  return addArgOptions(cmd, PLAN_RESTORE.inputs, SELECT_RESTORE_TARGET_KEYS)
    .option("--latest", "restore to the latest restorable time (the default)")
    .option("--at <time>", "restore to this time when restorable: RFC 3339 or epoch milliseconds")
    .option("--margin <duration>", "keep this far from both window edges: 90, 90s, 5m, 1h (default 0)")
    .option(
      "--relation <src=tgt>",
      "map source data node SRC to target data node TGT (repeat for each; then every data node must be given)",
      collect,
    );
}

/** The help text on what a plan is, shared by plan-restore and restore. */
export const PLAN_HELP = [
  "",
  "The plan: the target (the first available instance matching every criterion; none: the first",
  "available), the time (--latest, the default, or --at), and every data node of the source at that",
  "time mapped to an available target data node: by --relation as given (checked, never changed),",
  "or by the default rule (in the API's order, each takes the first available target data node no",
  "earlier one took). Exit 1 with the reason when no plan can be made.",
].join("\n");

/** Parse one `--relation SRC=TGT`. */
function parseRelation(text: string, i: number, failures: { property: string; reason: string }[]) {
  const eq = text.indexOf("=");
  const src = eq < 0 ? "" : text.slice(0, eq).trim();
  const tgt = eq < 0 ? "" : text.slice(eq + 1).trim();
  const problem =
    eq < 0 ? "expected SRC_DATA_NODE_ID=TARGET_DATA_NODE_ID" : (idProblem(src) ?? idProblem(tgt));
  if (problem) {
    failures.push({ property: "--relation", reason: `${JSON.stringify(text)} (#${i + 1}): ${problem}` });
    return undefined;
  }
  return { sourceInstanceId: src, targetInstanceId: tgt };
}

/** The registry's planRestore arguments from the flags; usage errors (naming the flag) before any request. */
export function planArgs(flags: PlanFlags): PlanRestoreArgs {
  const failures: { property: string; reason: string }[] = [];
  const guard = <T>(f: () => T): T | undefined => {
    try {
      return f();
    } catch (e) {
      if (!ValidationError.isInstance(e)) throw e;
      failures.push(...e.failures.map((x) => ({ property: x.property, reason: x.reason })));
      return undefined;
    }
  };
  if (flags.latest && flags.at !== undefined)
    failures.push({ property: "--at", reason: "--latest and --at disagree; give one of them" });
  const at = flags.at === undefined ? undefined : guard(() => parseTimeInput(flags.at, "--at"));
  const marginSeconds =
    flags.margin === undefined ? undefined : guard(() => parseDurationSeconds(flags.margin, "--margin"));
  let relations: DataNodeRelationIn[] | undefined;
  if (flags.relation) {
    relations = [];
    flags.relation.forEach((r, i) => {
      const got = parseRelation(r, i, failures);
      if (got) relations!.push(got);
    });
  }
  if (failures.length > 0) throw new ValidationError(failures);
  return dropUndefined({
    ...connectionArgs(flags),
    ...argsFromFlags(flags, PLAN_RESTORE.inputs, SELECT_RESTORE_TARGET_KEYS),
    ...(at === undefined ? { latest: true } : { at }),
    marginSeconds,
    dataNodeRelations: relations,
  }) as unknown as PlanRestoreArgs;
}

/** The plan as text. */
export function printPlan(ctx: CliContext, plan: PlanRestoreResult): void {
  const b = ctx.print.out.bold;
  const named = (id: string, name: string) => (name ? `${safeText(id)} (${safeText(name)})` : safeText(id));
  ctx.print.line(
    `${b("source instance")}  ${safeText(plan.instanceId)} (project ${safeText(plan.projectId)}, region ${safeText(plan.region)})`,
  );
  ctx.print.line(`${b("target instance")}  ${named(plan.targetInstanceId, plan.targetInstanceName)}`);
  ctx.print.line(`${b("restore time")}     ${plan.restoreTime} (epoch ms ${plan.restoreTimeEpochMs})`);
  const n = plan.dataNodeRelations.length;
  ctx.print.line(`${b("data nodes")}       ${n} mapped (source -> target)`);
  for (const r of plan.dataNodeRelations)
    ctx.print.line(
      `  ${named(r.sourceInstanceId, r.sourceInstanceName)} -> ${named(r.targetInstanceId, r.targetInstanceName)}`,
    );
}

/** Make the plan; a SelectionError is the answer "no": its reason on stderr, exit 1, undefined. */
export async function makePlan(ctx: CliContext, flags: PlanFlags): Promise<PlanRestoreResult | undefined> {
  const args = planArgs(flags);
  try {
    const plan = await planRestore(args, invokeContext(flags, ctx.io));
    for (const w of plan.warnings) ctx.print.warn(w);
    return plan;
  } catch (e) {
    if (!SelectionError.isInstance(e)) throw e;
    ctx.print.error(e.message, { lines: true });
    ctx.setExit(EXIT.no);
    return undefined;
  }
}

export function planRestoreCommand(ctx: CliContext): Command {
  const cmd = new Command("plan-restore").description(
    "Make a complete restore plan (target, time, every data node mapped) with read-only calls; send nothing.",
  );
  addConnectionOptions(cmd);
  addPlanOptions(cmd);
  addFormatOptions(cmd);
  cmd.addHelpText(
    "after",
    [
      PLAN_HELP,
      "",
      "Output: source, target, restore time (RFC 3339 and epoch ms) and each data node relation with",
      "names; with --json, the function result {id, instanceId, projectId, region, targetInstanceId,",
      "targetInstanceName, restoreTime, restoreTimeEpochMs, dataNodeRelations[], warnings[]}.",
      "",
      "Examples:",
      "  $ hwddm plan-restore --instance-id $SRC --vpc-name vpc-ddm-172 --margin 5m",
      "  $ hwddm plan-restore --instance-id $SRC --target-instance-id $TGT --at 2025-05-21T08:00:00Z \\",
      "      --relation $SRC_DN1=$TGT_DN1 --relation $SRC_DN2=$TGT_DN2 --json",
    ].join("\n"),
  );
  cmd.action(async (flags: PlanFlags) => {
    const plan = await makePlan(ctx, flags);
    if (!plan) return;
    if (outputFormat(flags) === "json") ctx.print.json(plan);
    else printPlan(ctx, plan);
    ctx.setExit(EXIT.ok);
  });
  return cmd;
}
