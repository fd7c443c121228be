/**
 * The one restore-time parser. DDM documents `yyyy-mm-ddThh:mm:ssZ` where Z is an offset
 * such as `+0800`; its example is `2025-05-20T09:40:40+0000`. We accept that form, the
 * literal `Z`, `+08:00`, and an optional fraction of 1..3 digits (milliseconds), and
 * nothing else. Output is always RFC 3339 UTC with milliseconds plus epoch milliseconds
 * (the unit DDM's restore call takes).
 */
import { ValidationError, describeValue } from "./errors";

/** The years a time may fall in: RFC 3339 has four-digit years, and no restore time is before 1970. */
const TIME_YEARS = "1970-9999";
/** 1970-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z. */
const MIN_EPOCH_MS = 0;
const MAX_EPOCH_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
/**
 * Epoch milliseconds below this (1973-03-03) are refused: a number that small is, in
 * practice, epoch seconds (1747826143 s is May 2025; as milliseconds it is January 1970).
 */
const MIN_EPOCH_MS_INPUT = 1e11;

const API_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?(Z|[+-]\d{2}:?\d{2})$/;

export const TIME_FORMS =
  "an ISO 8601 time such as 2025-05-20T09:40:40+0000, 2025-05-20T09:40:40Z, 2025-05-20T09:40:40+08:00 or 2025-05-20T09:40:40.123Z";

/** A point in time in both forms the project emits. */
export interface RestoreTime {
  /** RFC 3339 UTC with milliseconds, e.g. `2025-05-20T09:40:40.000Z`. */
  time: string;
  /** Milliseconds since the Unix epoch. */
  epochMs: number;
}

/**
 * Parse a time in one of the API's forms to epoch milliseconds, or return a reason it is not.
 * Calendar fields are range-checked (no 2025-02-30, no 24:00:00).
 */
export function tryParseApiTime(text: string): number | string {
  if (typeof text !== "string") return `expected a string, got ${describeValue(text)}`;
  const m = API_TIME.exec(text);
  if (!m) return `${describeValue(text)} is not ${TIME_FORMS}`;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  const ms = frac ? Number(frac.padEnd(3, "0")) : 0;
  if (month < 1 || month > 12) return `${describeValue(text)} has month ${mo}`;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > daysInMonth) return `${describeValue(text)} has day ${d}`;
  if (hour > 23 || minute > 59 || second > 59)
    return `${describeValue(text)} has time of day ${h}:${mi}:${s}`;
  let offsetMinutes = 0;
  if (zone !== "Z") {
    const digits = zone.replace(":", "");
    const oh = Number(digits.slice(1, 3));
    const om = Number(digits.slice(3, 5));
    if (oh > 18 || om > 59) return `${describeValue(text)} has zone offset ${zone}`;
    offsetMinutes = (digits[0] === "-" ? -1 : 1) * (oh * 60 + om);
  }
  const local = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  // Date.UTC maps years 0..99 to 1900..1999; setUTCFullYear undoes that.
  const fixed = new Date(local);
  fixed.setUTCFullYear(year);
  const epochMs = fixed.getTime() - offsetMinutes * 60_000;
  // Its zone offset can carry a time written in 9999 (or 1970) out of the years we emit.
  if (epochMs < MIN_EPOCH_MS || epochMs > MAX_EPOCH_MS)
    return `${describeValue(text)} is outside the years ${TIME_YEARS} (in UTC)`;
  return epochMs;
}

/** Parse an API time or throw a ValidationError naming `field`. */
export function parseApiTime(text: string, field: string): number {
  const r = tryParseApiTime(text);
  if (typeof r === "string") throw new ValidationError([{ property: field, reason: r }]);
  return r;
}

/** Epoch milliseconds to RFC 3339 UTC with milliseconds. */
export function formatRfc3339(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

/** Both forms of a point in time. */
export function restoreTime(epochMs: number): RestoreTime {
  return { time: formatRfc3339(epochMs), epochMs };
}

/**
 * A user-supplied time: an RFC 3339 / API-form string, epoch milliseconds as a number, or
 * a string of digits (epoch milliseconds), in the years 1970-9999. Returns epoch milliseconds
 * or throws a ValidationError naming `field`. A number below 1e11 is refused as "looks like
 * epoch seconds" (never silently read as a time in 1970), and so is a time outside 1970-9999.
 */
export function parseTimeInput(value: unknown, field: string): number {
  const allowed = `expected ${TIME_FORMS}, or epoch milliseconds (an integer from ${MIN_EPOCH_MS_INPUT} to ${MAX_EPOCH_MS})`;
  const epoch = (n: number): number => {
    if (n >= MIN_EPOCH_MS_INPUT && n <= MAX_EPOCH_MS) return n;
    if (n >= 0 && n < MIN_EPOCH_MS_INPUT)
      throw ValidationError.field(
        field,
        value,
        `looks like epoch seconds; epoch milliseconds are expected (${n} s would be ${n * 1000} ms, ` +
          `${n * 1000 <= MAX_EPOCH_MS ? formatRfc3339(n * 1000) : "beyond 9999"}), or give ${TIME_FORMS}`,
      );
    throw ValidationError.field(field, value, `is outside the years ${TIME_YEARS}; ${allowed}`);
  };
  if (typeof value === "number") {
    if (Number.isSafeInteger(value)) return epoch(value);
    throw ValidationError.field(field, value, allowed);
  }
  if (typeof value === "string") {
    const trimmed = value.trim();
    if (/^\d{1,16}$/.test(trimmed)) return epoch(Number(trimmed));
    const r = tryParseApiTime(trimmed);
    if (typeof r === "number") return r;
    if (API_TIME.test(trimmed)) throw new ValidationError([{ property: field, reason: r }]);
  }
  throw ValidationError.field(field, value, allowed);
}

/**
 * A duration such as `90`, `90s`, `5m`, `1h`, `1h30m`, `2d` or `1d 2h 35m 3s` (seconds when
 * unitless; units in this order, spaces between them allowed: the form the CLI prints window
 * lengths in), in seconds. Used for selection margins.
 */
export function parseDurationSeconds(value: unknown, field: string): number {
  if (typeof value === "number" && Number.isFinite(value) && value >= 0) return value;
  if (typeof value === "string") {
    const t = value.trim();
    if (/^\d+(\.\d+)?$/.test(t)) return Number(t);
    const m = /^(?:(\d+)d\s*)?(?:(\d+)h\s*)?(?:(\d+)m\s*)?(?:(\d+)s)?$/.exec(t);
    if (m && t !== "" && (m[1] || m[2] || m[3] || m[4])) {
      return (
        Number(m[1] ?? 0) * 86400 + Number(m[2] ?? 0) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0)
      );
    }
  }
  throw ValidationError.field(
    field,
    value,
    "expected a non-negative duration such as 30, 30s, 5m, 1h, 2d or 1d 2h 30m",
  );
}
