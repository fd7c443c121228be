/** `hwddm select`: a restore target and a restore time together, for the next pipeline step. */
import { Command } from "commander";
import { dropUndefined } from "../../provider/objects";
import { SelectionError, ValidationError } from "../../provider/errors";
import { selectRestoreTarget, selectRestoreTime } from "../../provider/functions";
import { SELECT_RESTORE_TARGET_KEYS } from "../../provider/functions/keys";
import { CRITERION_OF } from "../../provider/functions/selectRestoreTarget";
import { SELECT_RESTORE_TARGET } from "../../provider/spec";
import { TargetCriteria, checkCriteria as checkTargetCriteria } from "../../provider/select";
import type { SelectRestoreTargetArgs, SelectRestoreTimeArgs } from "../../provider/types";
import { EXIT, safeText } from "../output";
import { timeSelection } from "./check-time";
import {
  CliContext,
  ConnectionFlags,
  addArgOptions,
  addConnectionOptions,
  argsFromFlags,
  flagOf,
  addFormatOptions,
  connectionArgs,
  invokeContext,
  outputFormat,
} from "./common";

interface SelectFlags extends ConnectionFlags {
  time: string;
  margin?: string;
  json?: boolean;
  format?: string;
}

/** What `select --json` prints: the shape a pipeline passes on. */
export interface SelectOutput {
  sourceInstanceId: string;
  projectId: string;
  region: string;
  target: { instanceId: string; instanceName: string; vpcName: string; status: string };
  /** RFC 3339 UTC with milliseconds. */
  restoreTime: string;
  /** Milliseconds since the epoch (the unit DDM's restore call takes). */
  restoreTimeEpochMs: number;
}

/** The `--format env` lines, in this order. */
export function envLines(out: SelectOutput): [string, string][] {
  return [
    ["HWDDM_SOURCE_INSTANCE_ID", out.sourceInstanceId],
    ["HWDDM_PROJECT_ID", out.projectId],
    ["HWDDM_REGION", out.region],
    ["HWDDM_TARGET_INSTANCE_ID", out.target.instanceId],
    ["HWDDM_TARGET_INSTANCE_NAME", out.target.instanceName],
    ["HWDDM_TARGET_VPC_NAME", out.target.vpcName],
    ["HWDDM_TARGET_STATUS", out.target.status],
    ["HWDDM_RESTORE_TIME", out.restoreTime],
    ["HWDDM_RESTORE_TIME_EPOCH_MS", String(out.restoreTimeEpochMs)],
  ];
}

export function selectCommand(ctx: CliContext): Command {
  const cmd = new Command("select").description(
    "Choose a restore target and a restore time together, in the shape a pipeline passes on.",
  );
  addConnectionOptions(cmd);
  cmd
    .option(
      "--time <time>",
      "RFC 3339 time, epoch milliseconds, or 'latest' (the latest restorable time)",
      "latest",
    )
    .option("--margin <duration>", "keep this far from both window edges: 90, 90s, 5m, 1h (default 0)");
  addArgOptions(cmd, SELECT_RESTORE_TARGET.inputs, SELECT_RESTORE_TARGET_KEYS);
  addFormatOptions(cmd, ["text", "json", "env"]);
  cmd.addHelpText(
    "after",
    [
      "",
      "Without target criteria the first available instance is chosen. Exit 1 when no target",
      "matches or the time is not restorable.",
      "",
      "Output (--json): {sourceInstanceId, projectId, region,",
      "  target: {instanceId, instanceName, vpcName, status}, restoreTime, restoreTimeEpochMs}.",
      "Output (--format env): KEY=VALUE lines for $GITHUB_ENV or `export`: HWDDM_SOURCE_INSTANCE_ID,",
      "  HWDDM_PROJECT_ID, HWDDM_REGION, HWDDM_TARGET_INSTANCE_ID, HWDDM_TARGET_INSTANCE_NAME,",
      "  HWDDM_TARGET_VPC_NAME, HWDDM_TARGET_STATUS, HWDDM_RESTORE_TIME, HWDDM_RESTORE_TIME_EPOCH_MS.",
      "",
      "Examples:",
      "  $ hwddm select --instance-id $SRC --vpc-name vpc-ddm-172 --margin 5m --json",
      '  $ hwddm select --instance-id $SRC --time 2025-05-21T08:00:00Z --format env >> "$GITHUB_ENV"',
    ].join("\n"),
  );
  cmd.action(async (flags: SelectFlags) => {
    const wanted = timeSelection(flags.time, flags.margin);
    const criteria: TargetCriteria = Object.fromEntries(
      Object.entries(argsFromFlags(flags, SELECT_RESTORE_TARGET.inputs, SELECT_RESTORE_TARGET_KEYS)).map(
        ([arg, v]) => [CRITERION_OF[arg as keyof typeof CRITERION_OF], v],
      ),
    );
    checkCriteria(criteria);
    const args = connectionArgs(flags);
    const { instanceId: targetInstanceId, ...otherCriteria } = criteria;
    const targetArgs = { ...args, ...otherCriteria, ...dropUndefined({ targetInstanceId }) };
    const timeArgs = {
      ...args,
      ...(wanted.latest ? { latest: true } : { at: wanted.atMs }),
      marginSeconds: wanted.marginSeconds,
    };
    const format = outputFormat(flags);
    try {
      // The core's selection functions fetch and choose: the same code that serves every
      // Pulumi program's hwddm:backup:selectRestoreTarget and selectRestoreTime.
      const [chosen, time] = await bothOrNeither(ctx.io.signal, (signal) => {
        const invokeCtx = { ...invokeContext(flags, ctx.io), signal };
        return [
          selectRestoreTarget(targetArgs as unknown as SelectRestoreTargetArgs, invokeCtx),
          selectRestoreTime(timeArgs as unknown as SelectRestoreTimeArgs, invokeCtx),
        ] as const;
      });
      for (const w of [...chosen.warnings, ...time.warnings]) ctx.print.warn(w);
      const target = chosen.target;
      const out: SelectOutput = {
        sourceInstanceId: chosen.instanceId,
        projectId: chosen.projectId,
        region: chosen.region,
        target: {
          instanceId: target.instanceId,
          instanceName: target.instanceName,
          vpcName: target.vpcName,
          status: target.status,
        },
        restoreTime: time.time,
        restoreTimeEpochMs: time.epochMs,
      };
      if (format === "json") ctx.print.json(out);
      else if (format === "env") printEnv(ctx, out);
      else printText(ctx, out);
      ctx.setExit(EXIT.ok);
    } catch (e) {
      // The answer is "no": the reason (with every candidate or window) on stderr, and
      // nothing on stdout, so `>> "$GITHUB_ENV"` never receives half an answer.
      if (!SelectionError.isInstance(e)) throw e;
      ctx.print.error(e.message, { lines: true });
      ctx.setExit(EXIT.no);
    }
  });
  return cmd;
}

/**
 * Run two queries that are only useful together under one AbortController (aborted with the
 * CLI's own signal too): when either fails, the other is aborted at once instead of retrying
 * on until its deadline, and the first failure is what rejects.
 */
export async function bothOrNeither<A, B>(
  outer: AbortSignal | undefined,
  start: (signal: AbortSignal) => readonly [Promise<A>, Promise<B>],
): Promise<[A, B]> {
  const controller = new AbortController();
  const onOuterAbort = (): void => controller.abort(outer?.reason);
  if (outer?.aborted) onOuterAbort();
  else outer?.addEventListener("abort", onOuterAbort, { once: true });
  const abortOnFailure = <T>(p: Promise<T>): Promise<T> =>
    p.catch((e: unknown) => {
      controller.abort(e);
      throw e;
    });
  try {
    const [a, b] = start(controller.signal);
    return await Promise.all([abortOnFailure(a), abortOnFailure(b)]);
  } finally {
    outer?.removeEventListener("abort", onOuterAbort);
  }
}

/** The flag of each target criterion. */
const CRITERIA_FLAGS: Record<string, string> = Object.fromEntries(
  Object.entries(CRITERION_OF).map(([arg, criterion]) => [criterion, flagOf(arg)]),
);

/**
 * Let the core check the criteria before any request, so that a bad one is reported with its
 * flag's name (an empty flag is refused here; the core function reads `""` as not given).
 */
function checkCriteria(criteria: TargetCriteria): void {
  try {
    checkTargetCriteria(criteria);
  } catch (e) {
    if (!ValidationError.isInstance(e)) throw e;
    throw new ValidationError(
      e.failures.map((f) => ({ property: CRITERIA_FLAGS[f.property] ?? f.property, reason: f.reason })),
    );
  }
}

function printText(ctx: CliContext, out: SelectOutput): void {
  const b = ctx.print.out.bold;
  const t = out.target;
  ctx.print.line(
    `${b("source instance")}  ${safeText(out.sourceInstanceId)} (project ${safeText(out.projectId)}, region ${safeText(out.region)})`,
  );
  ctx.print.line(
    `${b("target instance")}  ${safeText(t.instanceId)} (name ${safeText(t.instanceName)}, vpc ${safeText(t.vpcName)}, status ${safeText(t.status)})`,
  );
  ctx.print.line(`${b("restore time")}     ${out.restoreTime} (epoch ms ${out.restoreTimeEpochMs})`);
}

/**
 * KEY=VALUE lines. A value from the API with a line break or other control character would
 * let it inject extra variables into $GITHUB_ENV, so such characters are replaced (U+FFFD,
 * by `safeText`, as in every text output) and a warning names the key.
 */
function printEnv(ctx: CliContext, out: SelectOutput): void {
  for (const [key, value] of envLines(out)) {
    const safe = safeText(value);
    if (safe !== value) ctx.print.warn(`${key}: control characters replaced by U+FFFD`);
    ctx.print.line(`${key}=${safe}`);
  }
}
