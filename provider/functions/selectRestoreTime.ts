/**
 * `hwddm:backup:selectRestoreTime`: the restore time chosen inside the provider, for every
 * Pulumi language. It fetches what `getRestoreTimeIntervals` fetches (same run) and chooses
 * with `selectRestoreTime` of provider/select.ts: `latest: true` or `at`, kept
 * `marginSeconds` from both window edges; or a SelectionError naming the windows.
 */
import { checkTimeOptions, selectRestoreTime } from "../select";
import { SELECT_RESTORE_TIME } from "../spec/functions";
import { SelectRestoreTimeResult } from "../types";
import { restoreTimeIntervalsFunction } from "./getRestoreTimeIntervals";
import type { ArgReader, DataFunction } from "./index";

/** The options, checked: `atMs` when `at` was given, else `latest` is true. */
export interface TimeSelection {
  latest: boolean;
  atMs?: number;
  marginSeconds: number;
}

/** The time rule (`latest`, `at`, `marginSeconds`; planRestore's too), checked; undefined after a failure. */
export function readTimeRule(read: ArgReader): ReturnType<typeof checkTimeOptions> | undefined {
  const given: Record<string, unknown> = {};
  for (const key of ["latest", "at", "marginSeconds"]) {
    const v = read.args[key];
    if (v !== undefined && v !== "") given[key] = v;
  }
  return read.failures.check(() => checkTimeOptions(given));
}

export const selectRestoreTimeFunction: DataFunction<TimeSelection, SelectRestoreTimeResult> = {
  spec: SELECT_RESTORE_TIME,
  idName: "restore-time",

  check(read: ArgReader): TimeSelection {
    const checked = readTimeRule(read);
    if (!checked) return { latest: false, marginSeconds: 0 };
    return { latest: checked.latest, atMs: checked.atMs, marginSeconds: checked.marginSeconds };
  },

  idParams: (own) => ({
    latest: own.latest ? true : undefined,
    at: own.atMs,
    marginSeconds: own.marginSeconds > 0 ? own.marginSeconds : undefined,
  }),

  async run(ctx, own) {
    const list = await restoreTimeIntervalsFunction.run(ctx, {});
    const chosen = selectRestoreTime(
      list,
      own.latest
        ? { latest: true, marginSeconds: own.marginSeconds }
        : { at: own.atMs as number, marginSeconds: own.marginSeconds },
    );
    return {
      projectId: list.projectId,
      time: chosen.time,
      epochMs: chosen.epochMs,
      total: list.total,
      warnings: list.warnings,
    };
  },
};
