/**
 * The plugin writes Invoke answers as protobuf bytes itself (provider/plugin/encode.ts). These
 * tests read those bytes back with google-protobuf's own decoder (the copy the Pulumi stubs
 * load, as the engine's Node SDK does) and check that every value comes back as it went in:
 * fixed cases for each kind of value, then seeded random trees of every kind nested together.
 */
import { expect } from "chai";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import { encodeInvokeReturn, encodeStruct } from "../../provider/plugin/encode";
import { PlainObject, structproto, toStruct } from "../../provider/plugin/protocol";
import { dropUndefined } from "../../provider/objects";
import { prng } from "../../emulator/fixture";

/** What google-protobuf decodes from our bytes. */
function decoded(obj: PlainObject): unknown {
  return structproto.Struct.deserializeBinary(encodeStruct(obj)).toJavaScript();
}

/** What google-protobuf decodes from its own encoding of the same value (the plugin's old path). */
function viaGoogleProtobuf(obj: PlainObject): unknown {
  return structproto.Struct.deserializeBinary(toStruct(obj).serializeBinary()).toJavaScript();
}

/** The emulator's seeded PRNG (mulberry32): the same seed, the same cases, on every run. */
const rng = prng;

const NUMBERS = [
  0,
  -0,
  1,
  -1,
  0.5,
  -123.456,
  1e-7,
  5e-324,
  Number.MAX_SAFE_INTEGER,
  Number.MAX_SAFE_INTEGER + 2,
  -Number.MAX_SAFE_INTEGER,
  1.7976931348623157e308,
  -1.7976931348623157e308,
  2 ** 53 * 1024,
  1747826143000,
  Infinity,
  -Infinity,
];

const STRINGS = [
  "",
  "a",
  "ddm-agent-create-instance1",
  "é",
  "naïve café",
  "数据库实例",
  "日本語のテキスト",
  "😀",
  "a😀b👍🏽c",
  "𝄞 music",
  "\u0000\u0001\u007f\u0080\u07ff\u0800\uffff",
  'line\nbreak\ttab"quote\\',
  "x".repeat(64),
  "x".repeat(65),
  "é".repeat(40),
  "数".repeat(200),
  "😀".repeat(50) + "ascii tail",
  "y".repeat(20_000),
];

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)];
}

function randomString(r: () => number): string {
  if (r() < 0.6) return pick(r, STRINGS);
  const alphabet = ["a", "Z", "0", " ", "-", "é", "ß", "数", "😀", "\u00a0", "\u2028", "\t"];
  const n = Math.floor(r() * (r() < 0.1 ? 300 : 20));
  let s = "";
  for (let i = 0; i < n; i++) s += pick(r, alphabet);
  return s;
}

function randomNumber(r: () => number): number {
  const k = r();
  if (k < 0.4) return pick(r, NUMBERS);
  if (k < 0.7) return Math.floor((r() - 0.5) * 2 ** (1 + Math.floor(r() * 60)));
  return (r() - 0.5) * 10 ** Math.floor(r() * 40 - 20);
}

function randomValue(r: () => number, depth: number): unknown {
  const k = r();
  if (depth <= 0 || k < 0.5) {
    const leaf = r();
    if (leaf < 0.3) return randomString(r);
    if (leaf < 0.6) return randomNumber(r);
    if (leaf < 0.8) return r() < 0.5;
    return null;
  }
  if (k < 0.75) {
    const n = Math.floor(r() * 6);
    return Array.from({ length: n }, () => randomValue(r, depth - 1));
  }
  return randomObject(r, depth - 1);
}

function randomObject(r: () => number, depth: number): PlainObject {
  const out: PlainObject = {};
  const n = Math.floor(r() * 7);
  for (let i = 0; i < n; i++) out[randomString(r)] = randomValue(r, depth);
  return out;
}

describe("plugin: Invoke answers encoded straight to protobuf (encode.ts)", () => {
  it("round-trips every kind of value through google-protobuf's own decoder", () => {
    const value: PlainObject = {
      nothing: null,
      yes: true,
      no: false,
      numbers: NUMBERS,
      strings: STRINGS,
      emptyObject: {},
      emptyArray: [],
      nested: { a: { b: { c: [1, [2, [3, { d: "deep" }]], {}] } } },
      arrayOfObjects: [{ x: 1 }, { y: [] }, { z: {} }],
      "": "the empty key",
      "ключ 😀": "a unicode key",
    };
    expect(decoded(value)).to.deep.equal(value);
  });

  it("keeps large and fractional numbers bit for bit (and -0)", () => {
    const got = decoded({ numbers: NUMBERS }) as { numbers: number[] };
    expect(got.numbers.map((n) => Object.is(n, -0))).to.deep.equal(NUMBERS.map((n) => Object.is(n, -0)));
    expect(got.numbers).to.deep.equal(NUMBERS);
    expect(Number.isNaN((decoded({ n: NaN }) as { n: number }).n)).to.equal(true);
  });

  it("drops undefined fields and turns undefined array elements into null, as the plugin always did", () => {
    const value: PlainObject = { a: undefined, b: 1, c: [undefined, 2, 3], d: { e: undefined } };
    expect(decoded(value)).to.deep.equal({ b: 1, c: [null, 2, 3], d: {} });
    expect(decoded(value)).to.deep.equal(dropUndefined(value));
    expect(decoded(value)).to.deep.equal(viaGoogleProtobuf(value));
    // A hole in an array is null too (google-protobuf threw "Unexpected struct type" on it).
    // eslint-disable-next-line no-sparse-arrays
    expect(decoded({ c: [1, , 3] })).to.deep.equal({ c: [1, null, 3] });
  });

  it("writes valid UTF-8 only: a lone surrogate becomes U+FFFD (google-protobuf wrote bytes the engine's Go decoder refuses)", () => {
    const value = { s: "a\ud800b", t: "\udc00", u: "x".repeat(70) + "\ud83d", "\ud800": 1 };
    // A surrogate written as UTF-8 is 0xED followed by 0xA0..0xBF: never valid UTF-8.
    const surrogateBytes = (buf: Uint8Array) =>
      buf.some((x, i) => x === 0xed && (buf[i + 1] & 0xe0) === 0xa0);
    expect(surrogateBytes(encodeStruct(value))).to.equal(false);
    expect(decoded(value)).to.deep.equal({
      s: "a\ufffdb",
      t: "\ufffd",
      u: "x".repeat(70) + "\ufffd",
      "\ufffd": 1,
    });
    expect(surrogateBytes(toStruct({ t: "\udc00" }).serializeBinary())).to.equal(true);
  });

  it("refuses what a Struct cannot hold (a function, a bigint, a symbol) with a TypeError", () => {
    for (const bad of [() => 1, BigInt(1), Symbol("s")]) {
      expect(() => encodeStruct({ ok: 1, bad })).to.throw(
        TypeError,
        /cannot encode a \w+ as a google\.protobuf\.Value/,
      );
      expect(() => encodeStruct({ list: [bad] })).to.throw(TypeError);
    }
  });

  it("agrees with google-protobuf on 500 seeded random trees (nested objects, arrays, every scalar)", () => {
    for (let seed = 1; seed <= 500; seed++) {
      const r = rng(seed);
      const value = randomObject(r, 1 + Math.floor(r() * 5));
      const ours = decoded(value);
      expect(ours, `seed ${seed}`).to.deep.equal(viaGoogleProtobuf(value));
      // No lone surrogates are generated, so the value itself comes back.
      expect(ours, `seed ${seed}`).to.deep.equal(value);
    }
  });

  it("writes an InvokeResponse whose return is the result, readable by the generated stubs", () => {
    const result = {
      id: "x",
      instances: Array.from({ length: 300 }, (_, i) => ({
        instanceId: `id-${i}`,
        name: `名前-${i}`,
        port: 5066 + i,
        available: i % 2 === 0,
        unavailableReason: i % 2 === 0 ? null : "busy 😀",
        tags: [],
      })),
      total: 300,
      warnings: [],
    };
    const resp = provproto.InvokeResponse.deserializeBinary(encodeInvokeReturn(result));
    expect(resp.getFailuresList()).to.deep.equal([]);
    expect(resp.getReturn()!.toJavaScript()).to.deep.equal(result);
  });
});
