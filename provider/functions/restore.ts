/**
 * The `hwddm:backup:Restore` resource's work, in the core so that the plugin and the CLI share
 * it: its inputs checked, the plan proven with read-only calls, the one POST, the wait on the
 * job and the job read back. The plugin adds the protocol (Check/Diff/Create/...), the CLI its
 * flags; neither knows DDM.
 */
import { describeValue } from "../errors";
import { DataNodeRelation, getJob, startRestore } from "../restore/operations";
import { JobWaitOptions, waitForJob } from "../restore/job";
import { RestorePlan, checkRelations, planRestore, planStageOf } from "../restore/plan";
import type { Job } from "../restore/wire";
import { InvokeContext, RESOURCE_TOKENS } from "../types";
import { FailureCollector } from "../validate";
import { requiredTime } from "./getRelatedDataNodes";
import { ArgReader, CommonArgs, checkCommon, clientForCall } from "./index";
import { DEFAULT_PAGING } from "../defaults";
import { RESTORE_HOW, RESTORE_WHAT } from "../spec/restore";

export const RESTORE_TOKEN = RESOURCE_TOKENS.restore;

/** The resource's inputs: what is restored (changing any replaces it) and how to reach DDM (changes nothing). */
export const RESTORE_KEYS = {
  restore: Object.keys(RESTORE_WHAT) as (keyof typeof RESTORE_WHAT)[],
  connection: Object.keys(RESTORE_HOW) as (keyof typeof RESTORE_HOW)[],
} as const;

/** Seconds between job polls by default (the Huawei Terraform provider's DDM job waiter polls every 10 s). */
export const DEFAULT_POLL_INTERVAL_SECONDS = RESTORE_HOW.pollIntervalSeconds.default;
const MIN_POLL_INTERVAL_SECONDS = 0.05;

export interface RestoreInputs {
  common: CommonArgs;
  targetInstanceId: string;
  restoreTimeEpochMs: number;
  dataNodeRelations?: DataNodeRelation[];
  pollIntervalMs: number;
}

/**
 * Check the inputs before any request; keys in `unknown` (values not known yet, at preview)
 * are skipped. Returns the checked inputs, or throws one ValidationError listing every failure.
 */
export function checkRestoreInputs(
  raw: Record<string, unknown>,
  unknown: ReadonlySet<string> = new Set(),
): RestoreInputs {
  const f = new FailureCollector();
  const known: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) if (!unknown.has(k)) known[k] = v;
  const read = new ArgReader(known, f);
  const all: readonly string[] = [...RESTORE_KEYS.restore, ...RESTORE_KEYS.connection];
  for (const key of Object.keys(read.args)) {
    if (!all.includes(key)) f.add(key, `unknown input; ${RESTORE_TOKEN} takes ${all.join(", ")}`);
  }
  const skip = (key: string) => unknown.has(key);
  const common = skip("instanceId") ? { ...checkCommon(readWith(read, "instanceId")) } : checkCommon(read);
  const targetInstanceId = skip("targetInstanceId") ? "" : (read.id("targetInstanceId", true) ?? "");
  const restoreTimeEpochMs = skip("restoreTime") ? 0 : requiredTime(read, "restoreTime");
  let dataNodeRelations: DataNodeRelation[] | undefined;
  if (!skip("dataNodeRelations") && read.args.dataNodeRelations !== undefined) {
    dataNodeRelations = f.check(() => checkRelations(read.args.dataNodeRelations));
  }
  let pollIntervalMs = DEFAULT_POLL_INTERVAL_SECONDS * 1000;
  const given = read.args.pollIntervalSeconds;
  // A number, or one written as a string (Pulumi YAML config has no number type).
  const poll = typeof given === "string" && /^\d+(\.\d+)?$/.test(given.trim()) ? Number(given) : given;
  if (poll !== undefined && !skip("pollIntervalSeconds")) {
    if (typeof poll !== "number" || !Number.isFinite(poll) || poll < MIN_POLL_INTERVAL_SECONDS || poll > 3600)
      f.add(
        "pollIntervalSeconds",
        `got ${describeValue(given)}; expected a number of seconds from ${MIN_POLL_INTERVAL_SECONDS} to 3600`,
      );
    else pollIntervalMs = Math.round(poll * 1000);
  }
  f.throwIfAny();
  const out: RestoreInputs = { common, targetInstanceId, restoreTimeEpochMs, pollIntervalMs };
  if (dataNodeRelations) out.dataNodeRelations = dataNodeRelations;
  return out;
}

/** A reader whose `key` is given a placeholder (its value is not known yet). */
function readWith(read: ArgReader, key: string): ArgReader {
  return new ArgReader({ ...read.args, [key]: "unknown" }, read.failures);
}

/** `offset`/`limit` are no inputs of a restore (checkCommon accepts them for the functions). */
function refuseRange(common: CommonArgs): void {
  const f = new FailureCollector();
  if (common.offset !== undefined) f.add("offset", `is not an input of ${RESTORE_TOKEN}`);
  if (common.limit !== undefined) f.add("limit", `is not an input of ${RESTORE_TOKEN}`);
  f.throwIfAny();
}

/**
 * Prove the restore with read-only calls: the target is one the source can be restored into and
 * available, the time lies in a window, every data node is mapped (the given mapping checked,
 * or the default rule). Throws the selection functions' SelectionError otherwise.
 */
export async function proveRestore(
  inputs: RestoreInputs,
  ctx: InvokeContext = {},
): Promise<{ projectId: string; plan: RestorePlan; warnings: string[] }> {
  refuseRange(inputs.common);
  const { client, config } = clientForCall(inputs.common, ctx);
  return planRestore(
    client,
    {
      instanceId: inputs.common.instanceId,
      criteria: { instanceId: inputs.targetInstanceId },
      time: { at: inputs.restoreTimeEpochMs },
      dataNodeRelations: inputs.dataNodeRelations,
      paging: { maxRecords: config.maxRecords ?? DEFAULT_PAGING.maxRecords, ...ctx.overrides?.paging },
    },
    ctx.signal,
  );
}

/**
 * The input a plan failure from proveRestore is about: the target or the time as given, or the
 * mapping (the target's data nodes when no mapping was given); "" when it cannot be told.
 */
export function restoreFailureProperty(e: unknown, inputs: Pick<RestoreInputs, "dataNodeRelations">): string {
  switch (planStageOf(e)) {
    case "target":
      return "targetInstanceId";
    case "time":
      return "restoreTime";
    case "dataNodes":
      return inputs.dataNodeRelations ? "dataNodeRelations" : "targetInstanceId";
    default:
      return "";
  }
}

/** Send the restore of a proven plan: one POST. Returns the job id. */
export async function sendRestore(
  inputs: RestoreInputs,
  plan: RestorePlan,
  ctx: InvokeContext = {},
): Promise<{ projectId: string; jobId: string }> {
  const { client } = clientForCall(inputs.common, ctx);
  const got = await startRestore(
    client,
    {
      instanceId: plan.sourceInstanceId,
      targetInstanceId: plan.targetInstanceId,
      restoreTimeEpochMs: plan.restoreTimeEpochMs,
      dataNodeRelations: plan.dataNodeRelations.map((r) => ({
        sourceInstanceId: r.sourceInstanceId,
        targetInstanceId: r.targetInstanceId,
      })),
    },
    ctx.signal,
  );
  return { projectId: got.projectId, jobId: got.jobId };
}

/** Wait until the job completes (JobError otherwise), polling every `pollIntervalMs` of the inputs. */
export function waitRestore(
  inputs: Pick<RestoreInputs, "common" | "pollIntervalMs">,
  jobId: string,
  ctx: InvokeContext,
  opts: Omit<JobWaitOptions, "pollIntervalMs" | "signal"> = {},
): Promise<Job> {
  const { client } = clientForCall(inputs.common, ctx);
  return waitForJob(client, jobId, { ...opts, pollIntervalMs: inputs.pollIntervalMs, signal: ctx.signal });
}

/** Read a job once. */
export async function readJob(common: CommonArgs, jobId: string, ctx: InvokeContext = {}): Promise<Job> {
  const { client } = clientForCall(common, ctx);
  return (await getJob(client, jobId, ctx.signal)).job;
}
