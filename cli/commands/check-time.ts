/** `hwddm check-time`: a gate that passes only when the requested time is restorable. */
import { Command } from "commander";
import { SelectionError } from "../../provider/errors";
import { getRestoreTimeIntervals } from "../../provider/functions";
import { selectRestoreTime } from "../../provider/select";
import { formatRfc3339, parseDurationSeconds, parseTimeInput } from "../../provider/time";
import type { GetRestoreTimeIntervalsArgs, RestoreTimeIntervalOut } from "../../provider/types";
import { EXIT } from "../output";
import {
  CliContext,
  ConnectionFlags,
  addConnectionOptions,
  addFormatOptions,
  connectionArgs,
  invokeContext,
  outputFormat,
} from "./common";
import { printIntervals } from "./time-intervals";

interface CheckTimeFlags extends ConnectionFlags {
  time: string;
  margin?: string;
  json?: boolean;
}

/** What `check-time --json` prints (exit 0 or 1). */
export interface CheckTimeOutput {
  instanceId: string;
  projectId: string;
  region: string;
  /** `latest`, or the requested time normalised to RFC 3339 UTC. */
  requestedTime: string;
  /** Absent for `latest`. */
  requestedTimeEpochMs?: number;
  marginSeconds: number;
  restorable: boolean;
  /** The resolved restore time, when restorable. */
  restoreTime?: string;
  restoreTimeEpochMs?: number;
  /** Why not, when not restorable. */
  reason?: string;
  intervals: RestoreTimeIntervalOut[];
  warnings: string[];
}

/** `--time` and `--margin`, checked by the core's parsers before any request. */
export function timeSelection(
  time: string,
  margin: string | undefined,
): { latest: boolean; atMs?: number; marginSeconds: number } {
  const marginSeconds = margin === undefined ? 0 : parseDurationSeconds(margin, "--margin");
  if (time.trim().toLowerCase() === "latest") return { latest: true, marginSeconds };
  return { latest: false, atMs: parseTimeInput(time, "--time"), marginSeconds };
}

export function checkTimeCommand(ctx: CliContext): Command {
  const cmd = new Command("check-time").description(
    "Check that a point in time is restorable (exit 0 and print it) or not (exit 1 and print the windows).",
  );
  addConnectionOptions(cmd);
  cmd
    .requiredOption(
      "--time <time>",
      "RFC 3339 time (2025-05-20T09:40:40Z, ...+08:00, ...+0000), epoch milliseconds, or 'latest'",
    )
    .option("--margin <duration>", "keep this far from both window edges: 90, 90s, 5m, 1h (default 0)");
  addFormatOptions(cmd);
  cmd.addHelpText(
    "after",
    [
      "",
      "Output: the resolved restore time (RFC 3339 UTC) on stdout and exit 0 when restorable;",
      "the reason on stderr, the restore windows on stdout and exit 1 when not. With --json,",
      "{instanceId, projectId, region, requestedTime, marginSeconds, restorable, restoreTime,",
      "restoreTimeEpochMs, reason, intervals[], warnings[]} in both cases.",
      "",
      "Examples:",
      "  $ hwddm check-time --instance-id $SRC --time 2025-05-21T08:00:00Z --margin 5m",
      "  $ hwddm check-time --instance-id $SRC --time latest --json",
    ].join("\n"),
  );
  cmd.action(async (flags: CheckTimeFlags) => {
    const wanted = timeSelection(flags.time, flags.margin);
    const invokeCtx = invokeContext(flags, ctx.io);
    const result = await getRestoreTimeIntervals(
      connectionArgs(flags) as unknown as GetRestoreTimeIntervalsArgs,
      invokeCtx,
    );
    for (const w of result.warnings) ctx.print.warn(w);
    const base = {
      instanceId: result.instanceId,
      projectId: result.projectId,
      region: result.region,
      requestedTime: wanted.latest ? "latest" : formatRfc3339(wanted.atMs as number),
      ...(wanted.latest ? {} : { requestedTimeEpochMs: wanted.atMs }),
      marginSeconds: wanted.marginSeconds,
    };
    const json = outputFormat(flags) === "json";
    try {
      const chosen = selectRestoreTime(
        result,
        wanted.latest
          ? { latest: true, marginSeconds: wanted.marginSeconds }
          : { at: wanted.atMs as number, marginSeconds: wanted.marginSeconds },
      );
      if (json) {
        const out: CheckTimeOutput = {
          ...base,
          restorable: true,
          restoreTime: chosen.time,
          restoreTimeEpochMs: chosen.epochMs,
          intervals: result.intervals,
          warnings: result.warnings,
        };
        ctx.print.json(out);
      } else {
        ctx.print.line(chosen.time);
      }
      ctx.setExit(EXIT.ok);
    } catch (e) {
      if (!SelectionError.isInstance(e)) throw e;
      ctx.print.error(e.message, { lines: true });
      if (json) {
        const out: CheckTimeOutput = {
          ...base,
          restorable: false,
          reason: e.message,
          intervals: result.intervals,
          warnings: result.warnings,
        };
        ctx.print.json(out);
      } else if (result.intervals.length > 0) {
        printIntervals(ctx, result.intervals);
      } else {
        ctx.print.line("no restore windows");
      }
      ctx.setExit(EXIT.no);
    }
  });
  return cmd;
}
