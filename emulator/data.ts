/**
 * The two restore queries' answers: the fixture's lists, paged as DBS pages them, shrunk or
 * grown by the `shrink`/`grow` faults (a list that changes between pages).
 */
import { parseApiTime, tryParseApiTime } from "../provider/time";
import { EMULATOR_ERRORS, HttpFailure, pagingOf } from "./http-errors";
import {
  CONTRACT_EXAMPLE,
  Fixture,
  FixtureInstance,
  RestorableInstanceRecord,
  RestoreWindowRecord,
  formatApiTime,
} from "./fixture";
import { Routed } from "./routing";

/** Where the `grow` fault's first window goes when there is no usable last window: the contract's window end. */
const GROW_AFTER_MS = parseApiTime(CONTRACT_EXAMPLE.windowEnd, "CONTRACT_EXAMPLE.windowEnd");

function listAnswer<T>(
  list: T[],
  rawQuery: string,
  shrinkBy: number,
  grow: (index: number, last: T | undefined) => T,
): { items: T[]; offset: number; limit: number; total: number } {
  const { offset, limit } = pagingOf(new URLSearchParams(rawQuery));
  let all = list;
  if (shrinkBy > 0) all = list.slice(Math.min(shrinkBy, list.length));
  else if (shrinkBy < 0) {
    all = [...list];
    for (let i = 0; i < -shrinkBy; i++) all.push(grow(i, all[all.length - 1]));
  }
  return { items: all.slice(offset, offset + limit), offset, limit, total: all.length };
}

/** The answer to `restorable-instances` or `restorable-time-interval`; throws HttpFailure (400, 404). */
export function ddmAnswer(
  fixture: Fixture,
  routed: Routed,
  rawQuery: string,
  shrinkBy: number,
): Record<string, unknown> {
  // Parameters are checked first, as DBS does; then the project and instance.
  pagingOf(new URLSearchParams(rawQuery));
  const project = fixture.projects.find((p) => p.id === routed.projectId);
  if (!project) {
    const e = EMULATOR_ERRORS.projectNotFound;
    throw new HttpFailure(e.status, e.code, e.msg);
  }
  const instance: FixtureInstance | undefined = project.instances.find((i) => i.id === routed.instanceId);
  if (!instance) {
    const e = EMULATOR_ERRORS.instanceNotFound;
    throw new HttpFailure(e.status, e.code, e.msg);
  }
  if (routed.route === "restorable-instances") {
    const a = listAnswer<RestorableInstanceRecord>(instance.restorableInstances, rawQuery, shrinkBy, (i) => ({
      instance_id: `${String(i + 1).padStart(8, "0")}0000000000000000000000a9in09`,
      instance_name: `ddm-new-target-${i + 1}`,
      status: "normal",
      available: true,
      unavailable_reason: "",
      vpc_name: "vpc-ddm-172",
    }));
    return { instances: a.items, offset: a.offset, limit: a.limit, total: a.total };
  }
  const a = listAnswer<RestoreWindowRecord>(instance.restoreWindows, rawQuery, shrinkBy, (_i, last) => {
    // A grown window starts 10 minutes after the last one ends (or after the contract's
    // window end when the list is empty or its last end is not a valid API time).
    const lastEnd = last ? tryParseApiTime(last.end_time) : undefined;
    const start = (typeof lastEnd === "number" ? lastEnd : GROW_AFTER_MS) + 600_000;
    return { start_time: formatApiTime(start), end_time: formatApiTime(start + 3_600_000) };
  });
  return { restorable_time_intervals: a.items, offset: a.offset, limit: a.limit, total: a.total };
}
