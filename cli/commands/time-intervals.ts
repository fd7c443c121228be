/** `hwddm time-intervals`: the windows a backup can be restored to. */
import { Command } from "commander";
import { dropUndefined } from "../../provider/objects";
import { getRestoreTimeIntervals } from "../../provider/functions";
import type { GetRestoreTimeIntervalsArgs, RestoreTimeIntervalOut } from "../../provider/types";
import { EXIT, formatDuration } from "../output";
import {
  CliContext,
  ConnectionFlags,
  PagingFlags,
  addConnectionOptions,
  addFormatOptions,
  addPagingOptions,
  connectionArgs,
  integerArg,
  invokeContext,
  outputFormat,
} from "./common";

interface TimeIntervalsFlags extends ConnectionFlags, PagingFlags {
  json?: boolean;
}

export function timeIntervalsCommand(ctx: CliContext): Command {
  const cmd = new Command("time-intervals").description(
    "List the time windows a source instance's backup can be restored to (RFC 3339 UTC).",
  );
  addConnectionOptions(cmd);
  addPagingOptions(cmd);
  addFormatOptions(cmd);
  cmd.addHelpText(
    "after",
    [
      "",
      "Output: a table (START, END, LENGTH) sorted by start time; with --json, the function result",
      "{id, instanceId, projectId, region, intervals[{startTime, endTime, startTimeEpochMs, endTimeEpochMs}],",
      "earliestRestorableTime, latestRestorableTime (and their ...EpochMs), total, warnings[]}.",
      "",
      "Examples:",
      "  $ hwddm time-intervals --instance-id 1f5c9fd6cd984056ba89c8c87cc03278in09 --region ap-southeast-1",
      "  $ hwddm time-intervals --instance-id $SRC --json | jq -r .latestRestorableTime",
    ].join("\n"),
  );
  cmd.action(async (flags: TimeIntervalsFlags) => {
    const args = dropUndefined({
      ...connectionArgs(flags),
      offset: integerArg(flags.offset),
      limit: integerArg(flags.limit),
    });
    const result = await getRestoreTimeIntervals(
      args as unknown as GetRestoreTimeIntervalsArgs,
      invokeContext(flags, ctx.io),
    );
    for (const w of result.warnings) ctx.print.warn(w);
    if (outputFormat(flags) === "json") {
      ctx.print.json(result);
    } else {
      printIntervals(ctx, result.intervals);
      const n = result.intervals.length;
      ctx.print.line(
        `${n} window${n === 1 ? "" : "s"} (source ${result.instanceId}, project ${result.projectId}, ` +
          `region ${result.region}; API total ${result.total})`,
      );
    }
    ctx.setExit(EXIT.ok);
  });
  return cmd;
}

/** The windows as a table; shared with check-time, which prints them when the answer is no. */
export function printIntervals(ctx: CliContext, intervals: RestoreTimeIntervalOut[]): void {
  ctx.print.table(
    ["START", "END", "LENGTH"],
    intervals.map((i) => [i.startTime, i.endTime, formatDuration(i.endTimeEpochMs - i.startTimeEpochMs)]),
  );
}
