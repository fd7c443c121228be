/**
 * `hwddm:backup:getRestoreTimeIntervals`: the windows `instanceId` can be restored to,
 * sorted by start, with the earliest start and latest end (present only when there is at
 * least one window) and, when `restoreTime` is given, whether it lies inside a window
 * (edges inclusive).
 */
import { listRestoreTimeIntervals } from "../operations";
import { formatRfc3339, parseTimeInput } from "../time";
import { GET_RESTORE_TIME_INTERVALS } from "../spec/functions";
import { GetRestoreTimeIntervalsResult, RestoreTimeIntervalOut } from "../types";
import type { ArgReader, DataFunction } from "./index";

export interface TimeIntervalArgs {
  /** `restoreTime` as epoch milliseconds. */
  restoreTimeEpochMs?: number;
}

/** The summary fields of a list of windows (pure; undefined fields are left out). */
export function summarizeIntervals(
  intervals: RestoreTimeIntervalOut[],
  restoreTimeEpochMs?: number,
): Pick<
  GetRestoreTimeIntervalsResult,
  | "earliestRestorableTime"
  | "earliestRestorableTimeEpochMs"
  | "latestRestorableTime"
  | "latestRestorableTimeEpochMs"
  | "restoreTimeEpochMs"
  | "restoreTimeRestorable"
> {
  const out: ReturnType<typeof summarizeIntervals> = {};
  if (intervals.length > 0) {
    let earliest = intervals[0].startTimeEpochMs;
    let latest = intervals[0].endTimeEpochMs;
    for (const w of intervals) {
      earliest = Math.min(earliest, w.startTimeEpochMs);
      latest = Math.max(latest, w.endTimeEpochMs);
    }
    out.earliestRestorableTime = formatRfc3339(earliest);
    out.earliestRestorableTimeEpochMs = earliest;
    out.latestRestorableTime = formatRfc3339(latest);
    out.latestRestorableTimeEpochMs = latest;
  }
  if (restoreTimeEpochMs !== undefined) {
    out.restoreTimeEpochMs = restoreTimeEpochMs;
    out.restoreTimeRestorable = intervals.some(
      (w) => w.startTimeEpochMs <= restoreTimeEpochMs && restoreTimeEpochMs <= w.endTimeEpochMs,
    );
  }
  return out;
}

export const restoreTimeIntervalsFunction: DataFunction<TimeIntervalArgs, GetRestoreTimeIntervalsResult> = {
  spec: GET_RESTORE_TIME_INTERVALS,
  idName: "restore-time-intervals",

  check(read: ArgReader): TimeIntervalArgs {
    const v = read.args.restoreTime;
    if (v === undefined || v === "") return {};
    return { restoreTimeEpochMs: read.failures.check(() => parseTimeInput(v, "restoreTime")) };
  },

  idParams: (own) => ({ restoreTime: own.restoreTimeEpochMs }),

  async run({ client, common, paging, signal }, own) {
    const list = await listRestoreTimeIntervals(
      client,
      { instanceId: common.instanceId, offset: common.offset, limit: common.limit, paging },
      signal,
    );
    return {
      projectId: list.projectId,
      intervals: list.intervals,
      ...summarizeIntervals(list.intervals, own.restoreTimeEpochMs),
      total: list.total,
      warnings: list.warnings,
    };
  },
};
