/**
 * Pure selection helpers (their rules are in the README, "In a Pulumi TypeScript program"):
 * turn a function's result into a restore target and a restore time, or a SelectionError that
 * says why nothing fits.
 * Bad criteria or options are a ValidationError. No I/O: they work on any result-shaped
 * value, in a program, the CLI or a test.
 */
import { SelectionError, ValidationError, describeValue } from "./errors";
import { RestoreTime, formatRfc3339, parseDurationSeconds, parseTimeInput, restoreTime } from "./time";
import type { RestorableInstance, RestoreTimeIntervalOut } from "./types";
import { FailureCollector } from "./validate";

/** What `selectRestoreTarget` matches on; every given key must match. */
export interface TargetCriteria {
  /** The target's instance id, exactly. */
  instanceId?: string;
  /** The target's instance name, exactly. */
  name?: string;
  /** A JavaScript regular expression the target's name must match. */
  nameRegex?: string;
  /** The target's VPC name, exactly. */
  vpcName?: string;
  /** The target's status, exactly (e.g. `normal`). */
  status?: string;
}

const CRITERIA_KEYS = ["instanceId", "name", "nameRegex", "vpcName", "status"] as const;

/** `{ latest: true }` or `{ at }` (RFC 3339 / API form / epoch ms), with an optional margin. */
export type RestoreTimeOptions =
  | { latest: true; at?: undefined; marginSeconds?: number | string }
  | { at: string | number; latest?: undefined | false; marginSeconds?: number | string };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Check target criteria (the registry's `selectRestoreTarget` function checks its arguments
 * with this before any request); throws a ValidationError naming each bad criterion.
 */
export function checkCriteria(criteria: unknown): { criteria: TargetCriteria; regex?: RegExp } {
  if (criteria === undefined || criteria === null) return { criteria: {} };
  const f = new FailureCollector();
  if (!isRecord(criteria)) {
    f.add("criteria", `got ${describeValue(criteria)}; expected an object with ${CRITERIA_KEYS.join(", ")}`);
    f.throwIfAny();
  }
  const c = criteria as Record<string, unknown>;
  const out: TargetCriteria = {};
  let regex: RegExp | undefined;
  for (const key of Object.keys(c)) {
    if (!(CRITERIA_KEYS as readonly string[]).includes(key)) {
      f.add(key, `unknown criterion; expected one of ${CRITERIA_KEYS.join(", ")}`);
    }
  }
  for (const key of CRITERIA_KEYS) {
    const v = c[key];
    if (v === undefined || v === null) continue;
    if (typeof v !== "string" || v.length === 0) {
      f.add(key, `got ${describeValue(v)}; expected a non-empty string`);
      continue;
    }
    if (key === "nameRegex") {
      try {
        regex = new RegExp(v);
      } catch (e) {
        f.add(
          key,
          `got ${describeValue(v)}; not a valid JavaScript regular expression (${(e as Error).message})`,
        );
        continue;
      }
    }
    out[key] = v;
  }
  f.throwIfAny();
  return { criteria: out, regex };
}

function instancesOf(result: unknown): RestorableInstance[] {
  if (!isRecord(result) || !Array.isArray(result.instances)) {
    throw ValidationError.field(
      "result",
      result,
      "expected a getRestorableInstances result (with instances[])",
    );
  }
  return result.instances as RestorableInstance[];
}

/**
 * A string from the API or the caller, quoted and escaped: an instance name holding a line
 * break or a terminal escape cannot forge lines or colours in the message.
 */
function q(text: string): string {
  return JSON.stringify(text);
}

/** Why `i` does not fit, one phrase per failed condition (empty = it fits). */
function mismatches(i: RestorableInstance, c: TargetCriteria, regex: RegExp | undefined): string[] {
  const why: string[] = [];
  if (!i.available) why.push("not available");
  if (c.instanceId !== undefined && i.instanceId !== c.instanceId)
    why.push(`instanceId is not ${q(c.instanceId)}`);
  if (c.name !== undefined && i.instanceName !== c.name) why.push(`name is not ${q(c.name)}`);
  if (regex !== undefined && !regex.test(i.instanceName)) why.push(`name does not match /${c.nameRegex}/`);
  if (c.vpcName !== undefined && i.vpcName !== c.vpcName)
    why.push(`vpcName ${q(i.vpcName)} is not ${q(c.vpcName)}`);
  if (c.status !== undefined && i.status !== c.status)
    why.push(`status ${q(i.status)} is not ${q(c.status)}`);
  return why;
}

/**
 * The first available instance of `result` that matches every given criterion; with no
 * criteria, the first available instance. Throws SelectionError listing every candidate
 * with its status, availability, unavailable reason and why it did not match.
 */
export function selectRestoreTarget(
  result: { readonly instances: readonly RestorableInstance[] },
  criteria?: TargetCriteria,
): RestorableInstance {
  const instances = instancesOf(result);
  const { criteria: c, regex } = checkCriteria(criteria);
  const lines: string[] = [];
  for (const i of instances) {
    const why = mismatches(i, c, regex);
    if (why.length === 0) return i;
    lines.push(
      `  - ${q(i.instanceName)} (${q(i.instanceId)}): status ${q(i.status)}, available ${i.available}` +
        (i.unavailableReason ? `, unavailableReason ${q(i.unavailableReason)}` : "") +
        `: ${why.join("; ")}`,
    );
  }
  const asked = Object.keys(c).length
    ? `matching ${Object.entries(c)
        .map(([k, v]) => `${k} ${JSON.stringify(v)}`)
        .join(", ")}`
    : "(no criteria)";
  if (instances.length === 0) {
    throw new SelectionError(`no restore target ${asked}: the backup has no restorable instances`);
  }
  throw new SelectionError(
    `no available restore target ${asked} among ${instances.length} candidate${instances.length === 1 ? "" : "s"}:\n` +
      lines.join("\n"),
  );
}

function intervalsOf(result: unknown): RestoreTimeIntervalOut[] {
  if (
    !isRecord(result) ||
    !Array.isArray(result.intervals) ||
    !result.intervals.every(
      (w: unknown) => isRecord(w) && Number.isFinite(w.startTimeEpochMs) && Number.isFinite(w.endTimeEpochMs),
    )
  ) {
    throw ValidationError.field(
      "result",
      result,
      "expected a getRestoreTimeIntervals result (with intervals[] of startTimeEpochMs/endTimeEpochMs)",
    );
  }
  return result.intervals as RestoreTimeIntervalOut[];
}

/**
 * Check restore-time options (the registry's `selectRestoreTime` function checks its
 * arguments with this before any request); throws a ValidationError naming each bad option.
 */
export function checkTimeOptions(opts: unknown): {
  latest: boolean;
  atMs?: number;
  marginMs: number;
  marginSeconds: number;
} {
  const f = new FailureCollector();
  if (!isRecord(opts)) {
    f.add(
      "opts",
      `got ${describeValue(opts)}; expected { latest: true } or { at }, with optional marginSeconds`,
    );
    f.throwIfAny();
  }
  const o = opts as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!["latest", "at", "marginSeconds"].includes(key)) {
      f.add(key, "unknown option; expected latest, at or marginSeconds");
    }
  }
  const marginSeconds =
    o.marginSeconds === undefined ? 0 : f.check(() => parseDurationSeconds(o.marginSeconds, "marginSeconds"));
  const hasAt = o.at !== undefined && o.at !== null;
  const latest = o.latest === true;
  if (o.latest !== undefined && typeof o.latest !== "boolean") {
    f.add("latest", `got ${describeValue(o.latest)}; expected true`);
  }
  let atMs: number | undefined;
  if (hasAt && latest) f.add("at", "give either at or latest: true, not both");
  else if (hasAt) atMs = f.check(() => parseTimeInput(o.at, "at"));
  else if (!latest && f.failures.length === 0) f.add("at", "expected { latest: true } or { at: <time> }");
  f.throwIfAny();
  return { latest, atMs, marginSeconds: marginSeconds!, marginMs: Math.round(marginSeconds! * 1000) };
}

function describeWindows(intervals: RestoreTimeIntervalOut[]): string {
  if (intervals.length === 0) return "there are no restore windows";
  return `the restore windows are ${intervals
    .map((w) => `${formatRfc3339(w.startTimeEpochMs)} .. ${formatRfc3339(w.endTimeEpochMs)}`)
    .join(", ")}`;
}

/**
 * A restore time inside one of `result`'s windows, kept `marginSeconds` (default 0; also
 * `"5m"`-style durations) away from both edges of that window:
 * - `{ latest: true }`: the latest such time, i.e. the latest window end minus the margin;
 *   when that window is too short for the margin on both sides, the next-latest window
 *   that is long enough.
 * - `{ at }`: that time, when it lies in a window with the margin kept.
 * Returns `{ time, epochMs }`; otherwise throws SelectionError naming the windows and margin.
 */
export function selectRestoreTime(
  result: { readonly intervals: readonly RestoreTimeIntervalOut[] },
  opts: RestoreTimeOptions,
): RestoreTime {
  const intervals = intervalsOf(result);
  const { latest, atMs, marginMs, marginSeconds } = checkTimeOptions(opts);
  const fits = (w: RestoreTimeIntervalOut, t: number): boolean =>
    w.startTimeEpochMs + marginMs <= t && t <= w.endTimeEpochMs - marginMs;
  const margin = marginMs > 0 ? ` with a margin of ${marginSeconds} s from both edges` : "";

  if (latest) {
    let best: number | undefined;
    for (const w of intervals) {
      const t = w.endTimeEpochMs - marginMs;
      if (fits(w, t) && (best === undefined || t > best)) best = t;
    }
    if (best !== undefined) return restoreTime(best);
    throw new SelectionError(
      `no restore time fits${margin || " in any window"}: ${describeWindows(intervals)}`,
    );
  }

  const t = atMs as number;
  if (intervals.some((w) => fits(w, t))) return restoreTime(t);
  throw new SelectionError(`${formatRfc3339(t)} is not restorable${margin}: ${describeWindows(intervals)}`);
}
