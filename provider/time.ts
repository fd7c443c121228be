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
  // Read by position, no regular expression (a page of windows parses thousands of these):
  // yyyy-mm-ddThh:mm:ss, then .f to .fff, then Z, +hhmm or +hh:mm.
  const n = text.length;
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  const second = digitsAt(text, 17, 2);
  if (
    n < 20 ||
    (year | month | day | hour | minute | second) < 0 ||
    text.charCodeAt(4) !== 0x2d || // -
    text.charCodeAt(7) !== 0x2d ||
    text.charCodeAt(10) !== 0x54 || // T
    text.charCodeAt(13) !== 0x3a || // :
    text.charCodeAt(16) !== 0x3a
  ) {
    return notApiTime(text);
  }
  let i = 19;
  let ms = 0;
  if (text.charCodeAt(i) === 0x2e) {
    // .
    let k = 0;
    for (i++; k < 3 && isDigit(text.charCodeAt(i)); i++, k++) ms = ms * 10 + text.charCodeAt(i) - 0x30;
    if (k === 0) return notApiTime(text);
    ms *= k === 1 ? 100 : k === 2 ? 10 : 1;
  }
  const zoneAt = i;
  const sign = text.charCodeAt(zoneAt);
  let oh = 0;
  let om = 0;
  if (sign === 0x5a) {
    // Z
    if (n !== zoneAt + 1) return notApiTime(text);
  } else if (sign === 0x2b || sign === 0x2d) {
    // + or -, then hhmm or hh:mm
    const colon = n === zoneAt + 6 && text.charCodeAt(zoneAt + 3) === 0x3a ? 1 : 0;
    if (n !== zoneAt + 5 + colon) return notApiTime(text);
    oh = digitsAt(text, zoneAt + 1, 2);
    om = digitsAt(text, zoneAt + 3 + colon, 2);
    if ((oh | om) < 0) return notApiTime(text);
  } else {
    return notApiTime(text);
  }
  if (month < 1 || month > 12) return `${describeValue(text)} has month ${text.slice(5, 7)}`;
  if (day < 1 || day > daysInMonth(year, month)) return `${describeValue(text)} has day ${text.slice(8, 10)}`;
  if (hour > 23 || minute > 59 || second > 59)
    return `${describeValue(text)} has time of day ${text.slice(11, 19)}`;
  if (oh > 18 || om > 59) return `${describeValue(text)} has zone offset ${text.slice(zoneAt)}`;
  const offsetMinutes = (sign === 0x2d ? -1 : 1) * (oh * 60 + om);
  // Plain arithmetic, no Date objects.
  const epochMs =
    daysFromCivil(year, month, day) * 86_400_000 +
    ((hour * 60 + minute - offsetMinutes) * 60 + second) * 1000 +
    ms;
  // Its zone offset can carry a time written in 9999 (or 1970) out of the years we emit.
  if (epochMs < MIN_EPOCH_MS || epochMs > MAX_EPOCH_MS)
    return `${describeValue(text)} is outside the years ${TIME_YEARS} (in UTC)`;
  return epochMs;
}

function notApiTime(text: string): string {
  return `${describeValue(text)} is not ${TIME_FORMS}`;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** The value of the `count` ASCII digits of `s` at `at`, or -1 when one is missing or not a digit. */
function digitsAt(s: string, at: number, count: number): number {
  let v = 0;
  for (let i = at; i < at + count; i++) {
    const c = s.charCodeAt(i);
    if (!isDigit(c)) return -1;
    v = v * 10 + c - 0x30;
  }
  return v;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days in `month` (1..12) of `year`, proleptic Gregorian. */
function daysInMonth(year: number, month: number): number {
  if (month !== 2) return DAYS_IN_MONTH[month - 1];
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** Parse an API time or throw a ValidationError naming `field`. */
export function parseApiTime(text: string, field: string): number {
  const r = tryParseApiTime(text);
  if (typeof r === "string") throw new ValidationError([{ property: field, reason: r }]);
  return r;
}

/** Epoch milliseconds to RFC 3339 UTC with milliseconds. */
export function formatRfc3339(epochMs: number): string {
  // Years 1970..9999 by arithmetic (as fast as it gets, no Date object); the rest as Date says.
  if (!Number.isInteger(epochMs) || epochMs < 0 || epochMs >= MAX_FAST_FORMAT_MS) {
    return new Date(epochMs).toISOString();
  }
  const days = Math.floor(epochMs / 86_400_000);
  const msOfDay = epochMs - days * 86_400_000;
  // H. Hinnant's `civil_from_days`.
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  const h = Math.floor(msOfDay / 3_600_000);
  const mi = Math.floor(msOfDay / 60_000) % 60;
  const sec = Math.floor(msOfDay / 1000) % 60;
  const ms = msOfDay % 1000;
  // One flat string from its 24 character codes: a template of 13 parts would build a rope of
  // 12 cons strings, flattened again by whoever reads it (a list of windows formats thousands).
  const d = 0x30;
  return String.fromCharCode(
    d + Math.floor(year / 1000),
    d + (Math.floor(year / 100) % 10),
    d + (Math.floor(year / 10) % 10),
    d + (year % 10),
    0x2d,
    d + Math.floor(month / 10),
    d + (month % 10),
    0x2d,
    d + Math.floor(day / 10),
    d + (day % 10),
    0x54,
    d + Math.floor(h / 10),
    d + (h % 10),
    0x3a,
    d + Math.floor(mi / 10),
    d + (mi % 10),
    0x3a,
    d + Math.floor(sec / 10),
    d + (sec % 10),
    0x2e,
    d + Math.floor(ms / 100),
    d + (Math.floor(ms / 10) % 10),
    d + (ms % 10),
    0x5a,
  );
}

/** 10000-01-01T00:00:00Z: from here on toISOString writes a six-digit year. */
const MAX_FAST_FORMAT_MS = 253_402_300_800_000;

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
    // A time in the API's shape with a bad part (month 13, ...) says which part.
    if (r !== notApiTime(trimmed)) throw new ValidationError([{ property: field, reason: r }]);
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
