/**
 * The API-time parser computes epoch milliseconds with plain arithmetic (it runs four times per
 * restore window, thousands of times per invoke): it must agree with JavaScript's own Date for
 * every form it accepts, and keep refusing impossible calendar dates.
 */
import { expect } from "chai";
import { describeValue } from "../../provider/errors";
import { TIME_FORMS, formatRfc3339, tryParseApiTime } from "../../provider/time";
import { prng } from "../../emulator/fixture";

/** The parser as it was (a regular expression and Date), kept here as the reference. */
function reference(text: string): number | string {
  const API_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?(Z|[+-]\d{2}:?\d{2})$/;
  const m = API_TIME.exec(text);
  if (!m) return `${describeValue(text)} is not ${TIME_FORMS}`;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const [year, month, day] = [Number(y), Number(mo), Number(d)];
  if (month < 1 || month > 12) return `${describeValue(text)} has month ${mo}`;
  // Years from 100 on (Date.UTC maps 0..99 to 1900..1999).
  if (day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate())
    return `${describeValue(text)} has day ${d}`;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59)
    return `${describeValue(text)} has time of day ${h}:${mi}:${s}`;
  let offset = 0;
  if (zone !== "Z") {
    const digits = zone.replace(":", "");
    const [oh, om] = [Number(digits.slice(1, 3)), Number(digits.slice(3, 5))];
    if (oh > 18 || om > 59) return `${describeValue(text)} has zone offset ${zone}`;
    offset = (digits[0] === "-" ? -1 : 1) * (oh * 60 + om);
  }
  const ms = frac ? Number(frac.padEnd(3, "0")) : 0;
  const epochMs = Date.UTC(year, month - 1, day, Number(h), Number(mi), Number(s), ms) - offset * 60_000;
  // The years a restore time may fall in, in UTC (1970-9999).
  if (epochMs < 0 || epochMs > MAX_MS)
    return `${describeValue(text)} is outside the years 1970-9999 (in UTC)`;
  return epochMs;
}

const MAX_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** The emulator's seeded PRNG (mulberry32): the same seed, the same cases, on every run. */
const rng = prng;

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

describe("core: tryParseApiTime agrees with Date", () => {
  it("gives Date's epoch ms for 5 000 seeded times in every accepted form (offsets, colons, fractions, leap days)", () => {
    const r = rng(7);
    const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
    for (let i = 0; i < 5000; i++) {
      const year = i % 10 === 0 ? pick([1900, 2000, 2024, 2100, 2400, 1970, 9999], r) : int(1970, 2200);
      const month = int(1, 12);
      const day = int(1, new Date(Date.UTC(year, month, 0)).getUTCDate());
      const [h, mi, s] = [int(0, 23), int(0, 59), int(0, 59)];
      const frac = pick(["", `.${int(0, 9)}`, `.${pad(int(0, 99))}`, `.${pad(int(0, 999), 3)}`], r);
      const zone = pick(["Z", "+0000", "+0800", "-0530", "+08:00", "-11:45", "+1800"], r);
      const text = `${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(h)}:${pad(mi)}:${pad(s)}${frac}${zone}`;
      // Date reads the same text once the zone has a colon (`+0800` is not ECMAScript's form).
      const iso = text.replace(/([+-]\d{2})(\d{2})$/, "$1:$2");
      const want = Date.parse(iso);
      if (want >= 0 && want <= MAX_MS) expect(tryParseApiTime(text), text).to.equal(want);
      else expect(tryParseApiTime(text), text).to.match(/is outside the years 1970-9999 \(in UTC\)$/);
    }
  });

  it("answers exactly as the regular-expression parser did (value or message) for 20 000 mutated strings", () => {
    const r = rng(11);
    const seeds = [
      "2025-05-20T09:40:40+0000",
      "2025-05-20T09:40:40Z",
      "2025-05-20T09:40:40+08:00",
      "2025-05-20T09:40:40.123Z",
      "2024-02-29T23:59:59.9-0530",
      "2025-13-40T25:61:61+1960",
    ];
    const junk = ["0", "9", "-", ":", "T", "Z", "+", ".", " ", "x", "\n", "１", ""];
    for (let i = 0; i < 20_000; i++) {
      let text = pick(seeds, r);
      const edits = 1 + Math.floor(r() * 3);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(r() * (text.length + 1));
        const k = r();
        if (k < 0.4)
          text = text.slice(0, at) + pick(junk, r) + text.slice(at + 1); // replace
        else if (k < 0.7)
          text = text.slice(0, at) + pick(junk, r) + text.slice(at); // insert
        else text = text.slice(0, at) + text.slice(at + 1); // delete
      }
      if (/^\d{4}/.test(text) && Number(text.slice(0, 4)) < 100) continue; // the reference's Date.UTC quirk
      expect(tryParseApiTime(text), JSON.stringify(text)).to.equal(reference(text));
    }
  });

  it("formats epoch ms exactly as toISOString does", () => {
    const r = rng(3);
    const samples = [0, 1, 999, 1000, 86_399_999, 951_782_400_000, 1_747_826_143_000, 253_402_300_799_999];
    for (let i = 0; i < 20_000; i++) samples.push(Math.floor(r() * 253_402_300_800_000));
    for (const ms of [...samples, -1, -86_400_001, 253_402_300_800_000, 8.64e15, 1.5]) {
      expect(formatRfc3339(ms), String(ms)).to.equal(new Date(ms).toISOString());
    }
  });

  it("refuses days a month does not have, leap years included", () => {
    expect(tryParseApiTime("2024-02-29T00:00:00Z")).to.equal(Date.parse("2024-02-29T00:00:00Z"));
    expect(tryParseApiTime("2000-02-29T00:00:00Z")).to.equal(Date.parse("2000-02-29T00:00:00Z"));
    for (const bad of [
      "2025-02-29T00:00:00Z",
      "2100-02-29T00:00:00Z",
      "2025-04-31T00:00:00Z",
      "2025-13-01T00:00:00Z",
    ]) {
      expect(tryParseApiTime(bad), bad).to.be.a("string");
    }
  });
});

function pick<T>(xs: readonly T[], r: () => number): T {
  return xs[Math.floor(r() * xs.length)];
}
