/**
 * `hwddm restore`: make the plan, print it, and (unless --dry-run) send the restore once; with
 * --wait, follow its job to the end. The POST is never sent twice: when its outcome is unknown
 * the command says the restore may have started and stops.
 */
import { Command } from "commander";
import { ApiError } from "../../provider/errors";
import { checkRestoreInputs, sendRestore } from "../../provider/functions/restore";
import type { RestorePlan } from "../../provider/restore/plan";
import type { Job } from "../../provider/restore/wire";
import type { PlanRestoreResult } from "../../provider/types";
import { EXIT } from "../output";
import {
  CliContext,
  addConnectionOptions,
  addFormatOptions,
  connectionArgs,
  invokeContext,
  outputFormat,
} from "./common";
import { WaitFlags, addWaitOptions, followJob, resumeHint, waitSettings } from "./job";
import { PLAN_HELP, PlanFlags, addPlanOptions, makePlan, planArgs, printPlan } from "./plan-restore";

interface RestoreFlags extends PlanFlags, WaitFlags {
  dryRun?: boolean;
}

/** What `restore --json` prints (once, at the end). */
export interface RestoreOutput {
  plan: PlanRestoreResult;
  dryRun: boolean;
  /** The restore job, once DDM answered the POST. */
  jobId?: string;
  /** The job as last read (with --wait). */
  job?: Job;
}

export function restoreCommand(ctx: CliContext): Command {
  const cmd = new Command("restore").description(
    "Restore a source instance's backup into a target: make the plan, print it, send the restore once.",
  );
  addConnectionOptions(cmd);
  addPlanOptions(cmd);
  cmd.option("--dry-run", "make and print the plan, send nothing");
  addWaitOptions(cmd, "the restore job");
  addFormatOptions(cmd);
  cmd.addHelpText(
    "after",
    [
      PLAN_HELP,
      "",
      "Without --dry-run the restore is sent once (one POST) and its job ID printed. The restore",
      "OVERWRITES the target's data. It is never resent: when its outcome is unknown (the answer was",
      "lost), the command says the restore may have started and exits 3; check the target's tasks",
      "in the DDM console before running it again. With --wait: exit 0 when the job completed, 3",
      "when it failed, vanished or --timeout passed (resume: hwddm job <job-id> --wait); Ctrl-C",
      "stops waiting, not the restore.",
      "",
      "Output: the plan (as plan-restore prints it), then `restore job <job-id>`; with --json, one",
      "document at the end: {plan, dryRun, jobId?, job?}.",
      "",
      "Examples:",
      "  $ hwddm restore --instance-id $SRC --vpc-name vpc-ddm-172 --margin 5m --dry-run",
      "  $ hwddm restore --instance-id $SRC --target-instance-id $TGT --at 2025-05-21T08:00:00Z \\",
      "      --wait --poll-interval 30 --timeout 2h",
    ].join("\n"),
  );
  cmd.action(async (flags: RestoreFlags) => {
    // Every flag checked before the first request.
    planArgs(flags);
    const w = flags.wait ? waitSettings(flags) : undefined;
    const json = outputFormat(flags) === "json";
    const plan = await makePlan(ctx, flags);
    if (!plan) return;
    const out: RestoreOutput = { plan, dryRun: flags.dryRun === true };
    if (!json) printPlan(ctx, plan);
    if (flags.dryRun) {
      if (json) ctx.print.json(out);
      else ctx.print.line("dry run: nothing sent");
      ctx.setExit(EXIT.ok);
      return;
    }
    // The resource's own input checks, on exactly what the plan holds.
    const inputs = checkRestoreInputs({
      ...connectionArgs(flags),
      instanceId: plan.instanceId,
      targetInstanceId: plan.targetInstanceId,
      restoreTime: plan.restoreTimeEpochMs,
      dataNodeRelations: plan.dataNodeRelations.map((r) => ({
        sourceInstanceId: r.sourceInstanceId,
        targetInstanceId: r.targetInstanceId,
      })),
      ...(w ? { pollIntervalSeconds: w.pollIntervalMs / 1000 } : {}),
    });
    const restorePlan: RestorePlan = {
      sourceInstanceId: plan.instanceId,
      targetInstanceId: plan.targetInstanceId,
      targetInstanceName: plan.targetInstanceName,
      restoreTime: plan.restoreTime,
      restoreTimeEpochMs: plan.restoreTimeEpochMs,
      dataNodeRelations: plan.dataNodeRelations,
    };
    const invokeCtx = invokeContext(flags, ctx.io);
    let jobId: string;
    try {
      jobId = (await sendRestore(inputs, restorePlan, invokeCtx)).jobId;
    } catch (e) {
      if (!(ApiError.isInstance(e) && e.outcomeUnknown)) throw e;
      // The POST may have been acted on: say so, and never send it again.
      ctx.print.error(e.message);
      ctx.print.error(
        "the restore MAY HAVE STARTED; hwddm did not resend it. Do not run hwddm restore again " +
          "before the target's tasks in the DDM console show it did not start.",
      );
      if (json) ctx.print.json(out);
      ctx.setExit(
        ctx.io.signal?.aborted ? (ctx.io.signal.reason === "SIGTERM" ? EXIT.sigterm : EXIT.sigint) : EXIT.api,
      );
      return;
    }
    out.jobId = jobId;
    if (!json) ctx.print.line(`${ctx.print.out.bold("restore job")}      ${jobId}`);
    if (!w) {
      if (json) ctx.print.json(out);
      else ctx.print.line(`restore started; follow it: ${resumeHint(jobId)}`);
      ctx.setExit(EXIT.ok);
      return;
    }
    const { job } = await followJob(ctx, invokeCtx, inputs.common, jobId, w);
    if (job) out.job = job;
    if (json) ctx.print.json(out);
    else if (job && job.status.toLowerCase() === "completed")
      ctx.print.line(`restore job ${jobId} completed`);
  });
  return cmd;
}
