import { expect } from "chai";
import { ValidationError } from "../../provider/errors";
import {
  formatRfc3339,
  parseApiTime,
  parseDurationSeconds,
  parseTimeInput,
  restoreTime,
  tryParseApiTime,
} from "../../provider/time";

/** 2025-05-20T09:40:40Z, the contract's example start time. */
const T = Date.UTC(2025, 4, 20, 9, 40, 40);

function rejection(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (e) {
    expect(ValidationError.isInstance(e), String(e)).to.equal(true);
    return e as ValidationError;
  }
  throw new Error("expected a ValidationError, nothing was thrown");
}

describe("time: parsing the API's restore times", () => {
  const accepted: [string, number][] = [
    ["2025-05-20T09:40:40+0000", T],
    ["2025-05-20T09:40:40Z", T],
    ["2025-05-20T17:40:40+08:00", T],
    ["2025-05-20T17:40:40+0800", T],
    ["2025-05-20T09:40:40.123Z", T + 123],
    ["2025-05-20T09:40:40.1Z", T + 100],
    ["2025-05-20T09:40:40.12+0000", T + 120],
    ["2025-05-20T17:40:40.999+08:00", T + 999],
    ["2025-05-20T04:40:40-05:00", T],
    ["2025-05-20T04:10:40-0530", T],
    ["2025-05-19T23:40:40-10:00", T],
    ["2024-02-29T00:00:00Z", Date.UTC(2024, 1, 29)],
    ["2025-12-31T23:59:59+0000", Date.UTC(2025, 11, 31, 23, 59, 59)],
  ];
  for (const [text, ms] of accepted) {
    it(`accepts ${text} as ${new Date(ms).toISOString()}`, () => {
      expect(tryParseApiTime(text)).to.equal(ms);
      expect(parseApiTime(text, "start_time")).to.equal(ms);
    });
  }

  const rejected: [string, string][] = [
    ["2025-05-20", "a date without a time"],
    ["2025-05-20T09:40:40", "no zone"],
    ["2025-05-20T09:40:40+8", "a one-digit offset"],
    ["2025-05-20T09:40:40+08", "an hour-only offset"],
    ["2025-02-30T00:00:00Z", "30 February"],
    ["2025-02-29T00:00:00Z", "29 February in a common year"],
    ["2025-13-01T00:00:00Z", "month 13"],
    ["2025-05-20T24:00:00Z", "24:00:00"],
    ["2025-05-20T09:60:00Z", "minute 60"],
    ["2025-05-20T09:40:60Z", "a leap second"],
    ["2025-05-20T09:40:40Zjunk", "trailing junk"],
    ["2025-05-20T09:40:40+0000 ", "a trailing space"],
    ["2025-05-20T09:40:40.1234Z", "a four-digit fraction"],
    ["2025-05-20T09:40:40.Z", "an empty fraction"],
    ["2025-05-20 09:40:40Z", "a space instead of T"],
    ["2025-05-20t09:40:40z", "lower-case t and z"],
    ["2025-05-20T09:40:40+19:00", "an offset beyond 18 hours"],
    ["1747734040000", "epoch milliseconds (the API never sends them)"],
    ["", "the empty string"],
  ];
  for (const [text, what] of rejected) {
    it(`rejects ${what}: ${JSON.stringify(text)}, with a reason that quotes it`, () => {
      const r = tryParseApiTime(text);
      expect(r).to.be.a("string");
      expect(r).to.include(JSON.stringify(text));
    });
  }

  it("tryParseApiTime refuses a non-string with a reason", () => {
    expect(tryParseApiTime(1747734040000 as unknown as string)).to.match(
      /expected a string, got 1747734040000/,
    );
  });

  it("parseApiTime throws a ValidationError naming the field and listing the accepted forms", () => {
    const e = rejection(() => parseApiTime("2025-05-20", "restorable_time_intervals[0].start_time"));
    expect(e.field).to.equal("restorable_time_intervals[0].start_time");
    expect(e.failures).to.have.length(1);
    expect(e.message).to.include("2025-05-20T09:40:40+0000").and.include("+08:00");
  });
});

describe("time: formatting", () => {
  it("formatRfc3339 writes RFC 3339 UTC with milliseconds", () => {
    expect(formatRfc3339(T)).to.equal("2025-05-20T09:40:40.000Z");
    expect(formatRfc3339(T + 7)).to.equal("2025-05-20T09:40:40.007Z");
    expect(formatRfc3339(0)).to.equal("1970-01-01T00:00:00.000Z");
  });

  it("restoreTime gives both forms, and an API time round-trips through them", () => {
    expect(restoreTime(T)).to.deep.equal({ time: "2025-05-20T09:40:40.000Z", epochMs: T });
    const parsed = parseApiTime("2025-05-21T19:15:43.5+08:00", "end_time");
    expect(restoreTime(parsed).time).to.equal("2025-05-21T11:15:43.500Z");
    expect(parseApiTime(restoreTime(parsed).time, "end_time")).to.equal(parsed);
  });
});

describe("time: parseTimeInput (user-supplied times)", () => {
  it("accepts epoch milliseconds as a number or a string of digits (surrounding spaces ignored)", () => {
    expect(parseTimeInput(T, "restoreTime")).to.equal(T);
    expect(parseTimeInput(1e11, "restoreTime")).to.equal(1e11);
    expect(parseTimeInput(String(T), "restoreTime")).to.equal(T);
    expect(parseTimeInput(` ${T} `, "restoreTime")).to.equal(T);
    expect(parseTimeInput(253402300799999, "restoreTime")).to.equal(Date.parse("9999-12-31T23:59:59.999Z"));
  });

  it("refuses a number that can only be epoch seconds (below 1e11), as a number or a string, never reading 1970", () => {
    for (const v of [1747826143, "1747826143", 0, "99999999999"]) {
      const e = rejection(() => parseTimeInput(v, "--time"));
      expect(ValidationError.isInstance(e), String(v)).to.equal(true);
      expect(e.failures[0].property).to.equal("--time");
      expect(e.message).to.match(/looks like epoch seconds/);
    }
    expect(String(rejection(() => parseTimeInput(1747826143, "t")))).to.include("2025-05-21T11:15:43.000Z");
  });

  it("refuses times outside the years 1970-9999, however written", () => {
    for (const v of [
      "9999-12-31T23:59:59-1800",
      "0000-01-01T00:00:00Z",
      "1969-12-31T23:59:59Z",
      "1970-01-01T00:00:00+0100",
      253402300800000,
      8.64e15,
      -1,
    ]) {
      const e = rejection(() => parseTimeInput(v, "restoreTime"));
      expect(ValidationError.isInstance(e), String(v)).to.equal(true);
      expect(String(e), String(v)).to.match(/outside the years 1970-9999/);
    }
    expect(tryParseApiTime("9999-12-31T23:59:59-1800")).to.match(/outside the years 1970-9999/);
    expect(tryParseApiTime("0000-06-01T00:00:00Z")).to.match(/outside the years 1970-9999/);
    expect(parseTimeInput("9999-12-31T23:59:59+1800", "t")).to.equal(Date.parse("9999-12-31T05:59:59Z"));
  });

  it("accepts every API form and RFC 3339 strings", () => {
    expect(parseTimeInput("2025-05-20T09:40:40+0000", "restoreTime")).to.equal(T);
    expect(parseTimeInput("2025-05-20T17:40:40.250+08:00", "restoreTime")).to.equal(T + 250);
    expect(parseTimeInput(" 2025-05-20T09:40:40Z ", "restoreTime")).to.equal(T);
  });

  const bad: [unknown, string][] = [
    [-1, "a negative number"],
    [1.5, "a fraction"],
    [Number.NaN, "NaN"],
    [Number.POSITIVE_INFINITY, "Infinity"],
    [8.64e15 + 1, "beyond the Date range"],
    ["-1", "a negative number as text"],
    ["1.5", "a fraction as text"],
    ["99999999999999999", "17 digits"],
    ["", "the empty string"],
    ["yesterday", "words"],
    ["2025-05-20", "a date only"],
    [null, "null"],
    [undefined, "nothing"],
    [true, "a boolean"],
    [{}, "an object"],
    [[T], "an array"],
  ];
  for (const [value, what] of bad) {
    it(`rejects ${what} with a ValidationError naming the field`, () => {
      const e = rejection(() => parseTimeInput(value, "restoreTime"));
      expect(e.field).to.equal("restoreTime");
      expect(e.message).to.include("epoch milliseconds");
    });
  }
});

describe("time: parseDurationSeconds", () => {
  const good: [unknown, number][] = [
    [0, 0],
    [90, 90],
    [1.5, 1.5],
    ["90", 90],
    ["1.5", 1.5],
    ["90s", 90],
    ["5m", 300],
    ["1h", 3600],
    ["1h30m", 5400],
    ["2h0m5s", 7205],
    [" 10m ", 600],
    // The CLI prints window lengths as `1d 1h 35m 3s`: margins take the same form.
    ["1d", 86400],
    ["2d", 172800],
    ["1d 2h", 93600],
    ["1h 30m", 5400],
    ["1d 1h 35m 3s", 92103],
  ];
  for (const [value, seconds] of good) {
    it(`reads ${JSON.stringify(value)} as ${seconds} s`, () => {
      expect(parseDurationSeconds(value, "marginSeconds")).to.equal(seconds);
    });
  }

  for (const value of [
    -1,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    "",
    "  ",
    "5x",
    "h",
    "30m1h",
    "2h 1d",
    "1 d",
    "-5",
    null,
    {},
  ]) {
    it(`rejects ${typeof value === "number" ? value : JSON.stringify(value)} naming the field`, () => {
      const e = rejection(() => parseDurationSeconds(value, "marginSeconds"));
      expect(e.field).to.equal("marginSeconds");
      expect(e.message).to.include("30s, 5m, 1h, 2d or 1d 2h 30m");
    });
  }
});
