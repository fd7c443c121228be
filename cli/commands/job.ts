/**
 * `hwddm job <job-id>`: a DDM job (a restore's), read once or followed to its end; and the
 * job following that `hwddm restore --wait` shares.
 */
import { Command } from "commander";
import { ValidationError } from "../../provider/errors";
import { CommonArgs } from "../../provider/functions";
import { readJob, waitRestore } from "../../provider/functions/restore";
import { JobError, describeJob } from "../../provider/restore/job";
import type { Job } from "../../provider/restore/wire";
import { parseDurationSeconds } from "../../provider/time";
import type { InvokeContext } from "../../provider/types";
import { idProblem } from "../../provider/validate";
import { EXIT, formatDuration, safeText } from "../output";
import {
  CliContext,
  ConnectionFlags,
  addConnectionOptions,
  addFormatOptions,
  connectionArgs,
  invokeContext,
  outputFormat,
} from "./common";

/** The flags of following a job. */
export interface WaitFlags {
  wait?: boolean;
  pollInterval?: string;
  timeout?: string;
}

/** How a job is followed, checked. */
export interface WaitSettings {
  pollIntervalMs: number;
  timeoutMs: number;
  /** The --timeout as given (or the default), for messages. */
  timeoutText: string;
}

/** Poll interval bounds (those of the Restore resource's pollIntervalSeconds) and defaults. */
const MIN_POLL_SECONDS = 0.05;
const MAX_POLL_SECONDS = 3600;
export const DEFAULT_POLL_SECONDS = 10;
export const DEFAULT_TIMEOUT = "60m";

/** Add `--wait`, `--poll-interval` and `--timeout`. */
export function addWaitOptions(cmd: Command, what: string): Command {
  return cmd
    .option("--wait", `follow ${what} until it ends (one progress line on stderr per state change)`)
    .option(
      "--poll-interval <seconds>",
      `seconds between job reads with --wait, ${MIN_POLL_SECONDS}..${MAX_POLL_SECONDS} (default ${DEFAULT_POLL_SECONDS})`,
    )
    .option(
      "--timeout <duration>",
      `stop waiting after this long: 90s, 30m, 2h (default ${DEFAULT_TIMEOUT}); the job itself goes on`,
    );
}

/** Check the wait flags before any request (a bad one is a usage error naming its flag). */
export function waitSettings(flags: WaitFlags): WaitSettings {
  const failures: { property: string; reason: string }[] = [];
  let pollIntervalMs = DEFAULT_POLL_SECONDS * 1000;
  if (flags.pollInterval !== undefined) {
    const t = flags.pollInterval.trim();
    const n = /^\d+(\.\d+)?$/.test(t) ? Number(t) : NaN;
    if (!(n >= MIN_POLL_SECONDS && n <= MAX_POLL_SECONDS))
      failures.push({
        property: "--poll-interval",
        reason: `got ${JSON.stringify(flags.pollInterval)}; expected a number of seconds from ${MIN_POLL_SECONDS} to ${MAX_POLL_SECONDS}`,
      });
    else pollIntervalMs = Math.round(n * 1000);
  }
  const timeoutText = flags.timeout ?? DEFAULT_TIMEOUT;
  let timeoutMs = 0;
  try {
    timeoutMs = parseDurationSeconds(timeoutText, "--timeout") * 1000;
    if (timeoutMs <= 0)
      failures.push({
        property: "--timeout",
        reason: `got ${JSON.stringify(timeoutText)}; expected a duration above 0`,
      });
  } catch (e) {
    if (!ValidationError.isInstance(e)) throw e;
    failures.push(...e.failures.map((f) => ({ property: f.property, reason: f.reason })));
  }
  if (failures.length > 0) throw new ValidationError(failures);
  return { pollIntervalMs, timeoutMs, timeoutText };
}

/** How to pick the job up again. */
export function resumeHint(jobId: string): string {
  return `hwddm job ${jobId} --wait`;
}

/**
 * Follow a job until it ends: one line on stderr per state change (`job 1234: Running, 60%`).
 * Returns the completed job; otherwise prints why (naming the job and how to resume), sets the
 * exit code (3; 130/143 after Ctrl-C/SIGTERM, which stops the wait and not the job) and
 * returns the JobError.
 */
export async function followJob(
  ctx: CliContext,
  invokeCtx: InvokeContext,
  common: CommonArgs,
  jobId: string,
  w: WaitSettings,
): Promise<{ job?: Job; error?: JobError }> {
  let lastLine = "";
  const onPoll = (job: Job): void => {
    const line = `job ${jobId}: ${describeJob(job)}`;
    if (line !== lastLine) ctx.print.note(line);
    lastLine = line;
  };
  try {
    const job = await waitRestore({ common, pollIntervalMs: w.pollIntervalMs }, jobId, invokeCtx, {
      deadlineAt: Date.now() + w.timeoutMs,
      deadlineName: `--timeout ${w.timeoutText} (${formatDuration(w.timeoutMs)})`,
      onPoll,
    });
    ctx.setExit(EXIT.ok);
    return { job };
  } catch (e) {
    if (!JobError.isInstance(e)) throw e;
    if (e.reason === "cancelled") {
      ctx.print.error(
        `stopped waiting for restore job ${jobId}${e.job ? ` (last seen ${describeJob(e.job)})` : ""}; ` +
          `the restore goes on in DDM. Resume: ${resumeHint(jobId)}`,
      );
      ctx.setExit(invokeCtx.signal?.reason === "SIGTERM" ? EXIT.sigterm : EXIT.sigint);
    } else if (e.reason === "failed") {
      ctx.print.error(`${e.message}. Read it again: hwddm job ${jobId}`);
      ctx.setExit(EXIT.api);
    } else {
      ctx.print.error(`${e.message}. Resume waiting: ${resumeHint(jobId)}`);
      ctx.setExit(EXIT.api);
    }
    return { job: e.job, error: e };
  }
}

/** A job as text lines (API strings made safe by the printer). */
export function printJob(ctx: CliContext, job: Job): void {
  const b = ctx.print.out.bold;
  const rows: [string, string][] = [
    ["job id", job.id],
    ["name", job.name],
    ["status", job.status],
    ["progress", job.process],
    ["created", job.createdTime ?? ""],
    ["ended", job.endTime ?? ""],
    ["instance", job.instanceName ? `${job.instanceId} (${job.instanceName})` : job.instanceId],
  ];
  if (job.failReason) rows.push(["fail reason", job.failReason]);
  for (const [k, v] of rows) ctx.print.line(`${b(k.padEnd(12))} ${safeText(v)}`);
}

interface JobFlags extends ConnectionFlags, WaitFlags {
  json?: boolean;
  format?: string;
}

export function jobCommand(ctx: CliContext): Command {
  const cmd = new Command("job")
    .description(
      "Show a DDM job (such as the one `hwddm restore` started); with --wait, follow it to its end.",
    )
    .argument("<job-id>", "the job ID (hwddm restore prints it)");
  addConnectionOptions(cmd, { instanceId: false });
  cmd.option(
    "--instance-id <id>",
    "not needed (a job is read by its ID); accepted and checked so that one set of flags serves every command",
  );
  addWaitOptions(cmd, "the job");
  addFormatOptions(cmd);
  cmd.addHelpText(
    "after",
    [
      "",
      "No --instance-id: a job is read by its ID alone. Exit 0 when the job was read (whatever its",
      "status); with --wait, 0 when it completed and 3 when it failed, vanished or --timeout passed.",
      "Ctrl-C stops waiting, not the job.",
      "",
      "Output: job id, name, status, progress, created and end time, instance; with --json,",
      "{id, name, status, process, createdTime?, endTime?, instanceId, instanceName, failReason}.",
      "",
      "Examples:",
      "  $ hwddm job 8a2c4e6f0b1d4c3e9f7a5b3c1d2e4f6a --region ap-southeast-1",
      "  $ hwddm job $JOB_ID --wait --poll-interval 30 --timeout 2h --json",
    ].join("\n"),
  );
  cmd.action(async (jobId: string, flags: JobFlags) => {
    const problem = idProblem(jobId);
    if (problem) throw new ValidationError([{ property: "<job-id>", reason: problem }]);
    const instanceProblem = flags.instanceId === undefined ? undefined : idProblem(flags.instanceId);
    if (instanceProblem) throw new ValidationError([{ property: "--instance-id", reason: instanceProblem }]);
    const w = flags.wait ? waitSettings(flags) : undefined;
    const invokeCtx = invokeContext(flags, ctx.io);
    // A job is read by its ID under the project: no instance is involved (the core's
    // connection arguments take one, unused for a job).
    const common: CommonArgs = { ...connectionArgs(flags), instanceId: flags.instanceId ?? "" };
    const json = outputFormat(flags) === "json";
    if (!w) {
      const job = await readJob(common, jobId, invokeCtx);
      if (json) ctx.print.json(job);
      else printJob(ctx, job);
      ctx.setExit(EXIT.ok);
      return;
    }
    const { job } = await followJob(ctx, invokeCtx, common, jobId, w);
    if (job) {
      if (json) ctx.print.json(job);
      else printJob(ctx, job);
    }
  });
  return cmd;
}
