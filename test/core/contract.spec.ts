import { expect } from "chai";
import {
  ResponseContext,
  contractSchemas,
  decodeRestorableInstances,
  fastCheckAccepts,
  decodeRestoreTimeIntervals,
  formatPath,
} from "../../provider/contract";
import { prng } from "../../emulator/fixture";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { ResponseError } from "../../provider/errors";

/** The contract's example bodies, verbatim from docs/api/ddm-restore-v3.md. */
const INSTANCES_EXAMPLE = {
  instances: [
    {
      instance_id: "3b65c609427c4b20bc0ae93e161dc7adin09",
      instance_name: "ddm-agent-create-instance1",
      status: "normal",
      available: true,
      unavailable_reason: "",
      vpc_name: "vpc-ddm-172",
    },
  ],
  offset: 0,
  limit: 10,
  total: 1,
};

const INTERVALS_EXAMPLE = {
  restorable_time_intervals: [
    { start_time: "2025-05-20T09:40:40+0000", end_time: "2025-05-21T11:15:43+0000" },
  ],
  offset: 0,
  limit: 10,
  total: 1,
};

const PATH = "/v3/p/instances/i/backups/restorable-instances";

function res(data: unknown): ResponseContext {
  return { data, status: 200, requestId: "req-1", method: "GET", path: PATH };
}

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

function decodeError(fn: () => unknown): ResponseError {
  try {
    fn();
  } catch (e) {
    expect(ResponseError.isInstance(e), String(e)).to.equal(true);
    return e as ResponseError;
  }
  throw new Error("expected a ResponseError");
}

describe("contract decoding", () => {
  it("decodes the contract's restorable-instances example to exactly its values", () => {
    expect(decodeRestorableInstances(res(clone(INSTANCES_EXAMPLE)))).to.deep.equal(INSTANCES_EXAMPLE);
  });

  it("decodes the contract's restore-time-interval example to exactly its values", () => {
    expect(decodeRestoreTimeIntervals(res(clone(INTERVALS_EXAMPLE)))).to.deep.equal(INTERVALS_EXAMPLE);
  });

  it("ignores unknown extra fields at every level", () => {
    const body = clone(INSTANCES_EXAMPLE) as Record<string, unknown>;
    body.extra = { deeply: { nested: [1, 2, 3] } };
    (body.instances as Record<string, unknown>[])[0].engine = "mysql";
    expect(decodeRestorableInstances(res(body))).to.deep.equal(INSTANCES_EXAMPLE);
  });

  it("decodes a missing or null unavailable_reason as the empty string", () => {
    const body = clone(INSTANCES_EXAMPLE) as { instances: Record<string, unknown>[] };
    body.instances.push({ ...body.instances[0], instance_id: "b" });
    delete body.instances[0].unavailable_reason;
    body.instances[1].unavailable_reason = null;
    const out = decodeRestorableInstances(res(body));
    expect(out.instances.map((i) => i.unavailable_reason)).to.deep.equal(["", ""]);
  });

  it("accepts an empty list", () => {
    const out = decodeRestoreTimeIntervals(
      res({ restorable_time_intervals: [], offset: 0, limit: 10, total: 0 }),
    );
    expect(out.restorable_time_intervals).to.deep.equal([]);
  });

  const instanceCases: [string, (b: Record<string, unknown>) => void, string, RegExp][] = [
    [
      "a boolean sent as a string",
      (b) => ((b.instances as Record<string, unknown>[])[0].available = "true"),
      "instances[0].available",
      /expected a boolean, got "true"/,
    ],
    [
      "a missing instance_id",
      (b) => delete (b.instances as Record<string, unknown>[])[0].instance_id,
      "instances[0].instance_id",
      /missing; expected a string/,
    ],
    [
      "a missing vpc_name",
      (b) => delete (b.instances as Record<string, unknown>[])[0].vpc_name,
      "instances[0].vpc_name",
      /missing/,
    ],
    ["total as a string", (b) => (b.total = "1"), "total", /expected a number, got "1"/],
    ["a negative total", (b) => (b.total = -1), "total", />= 0, got -1/],
    ["a fractional offset", (b) => (b.offset = 1.5), "offset", /expected an integer, got 1.5/],
    ["a missing limit", (b) => delete b.limit, "limit", /missing/],
    [
      "instances not an array",
      (b) => (b.instances = { a: 1 }),
      "instances",
      /expected an array, got an object/,
    ],
    [
      "a null instance",
      (b) => ((b.instances as unknown[])[0] = null),
      "instances[0]",
      /expected an object, got null/,
    ],
  ];
  for (const [what, mutate, field, detail] of instanceCases) {
    it(`names the field when a restorable-instances body has ${what}`, () => {
      const body = clone(INSTANCES_EXAMPLE) as Record<string, unknown>;
      mutate(body);
      const e = decodeError(() => decodeRestorableInstances(res(body)));
      expect(e.field).to.equal(field);
      expect(e.message).to.contain(field);
      expect(e.message).to.match(detail);
      expect(e.message).to.contain("request id req-1");
      expect(e.path).to.equal(PATH);
      expect(e.status).to.equal(200);
    });
  }

  it("names the deepest offending index in a long list", () => {
    const body = clone(INSTANCES_EXAMPLE) as { instances: Record<string, unknown>[] };
    for (let i = 1; i < 5; i++) body.instances.push({ ...body.instances[0], instance_id: `i${i}` });
    body.instances[3].available = 1;
    expect(decodeError(() => decodeRestorableInstances(res(body))).field).to.equal("instances[3].available");
  });

  it("counts further problems without echoing the body", () => {
    const body = clone(INSTANCES_EXAMPLE) as { instances: Record<string, unknown>[]; total: unknown };
    body.instances[0].status = 7;
    body.total = "x";
    body.instances[0].instance_name = "secret-looking-but-long-name-".repeat(20);
    const e = decodeError(() => decodeRestorableInstances(res(body)));
    expect(e.message).to.match(/and 1 more problem\b/);
    expect(e.message).not.to.contain("secret-looking-but-long-name-secret-looking-but-long-name");
  });

  for (const data of [null, "not json", 42, [1, 2], undefined]) {
    it(`reports a body that is not an object (${JSON.stringify(data) ?? "undefined"}) as field (body)`, () => {
      const e = decodeError(() => decodeRestorableInstances(res(data)));
      expect(e.field).to.equal("(body)");
      expect(e.message).to.contain("expected an object");
    });
  }

  const timeCases: [
    string,
    (b: { restorable_time_intervals: Record<string, unknown>[] }) => void,
    string,
    RegExp,
  ][] = [
    [
      "a time in a form the parser rejects",
      (b) => (b.restorable_time_intervals[0].start_time = "2025/05/20 09:40:40"),
      "restorable_time_intervals[0].start_time",
      /"2025\/05\/20 09:40:40" is not an ISO 8601 time/,
    ],
    [
      "an impossible date",
      (b) => (b.restorable_time_intervals[0].end_time = "2025-02-30T00:00:00Z"),
      "restorable_time_intervals[0].end_time",
      /has day 30/,
    ],
    [
      "a time as a number",
      (b) => (b.restorable_time_intervals[0].start_time = 1747734040000),
      "restorable_time_intervals[0].start_time",
      /expected a string, got 1747734040000/,
    ],
    [
      "an end before its start",
      (b) => (b.restorable_time_intervals[0].end_time = "2025-05-19T00:00:00Z"),
      "restorable_time_intervals[0].end_time",
      /is before start_time/,
    ],
    [
      "a missing end_time",
      (b) => delete b.restorable_time_intervals[0].end_time,
      "restorable_time_intervals[0].end_time",
      /missing/,
    ],
  ];
  for (const [what, mutate, field, detail] of timeCases) {
    it(`names the field when a time-interval body has ${what}`, () => {
      const body = clone(INTERVALS_EXAMPLE) as unknown as {
        restorable_time_intervals: Record<string, unknown>[];
      };
      mutate(body);
      const e = decodeError(() => decodeRestoreTimeIntervals(res(body)));
      expect(e.field).to.equal(field);
      expect(e.message).to.match(detail);
    });
  }

  it("accepts every documented time form: +0000, Z, +08:00 and a millisecond fraction", () => {
    const forms = [
      "2025-05-20T09:40:40+0000",
      "2025-05-20T09:40:40Z",
      "2025-05-20T17:40:40+08:00",
      "2025-05-20T09:40:40.123Z",
    ];
    const body = {
      restorable_time_intervals: forms.map((t) => ({ start_time: t, end_time: "2025-05-21T00:00:00Z" })),
      offset: 0,
      limit: 10,
      total: 4,
    };
    expect(
      decodeRestoreTimeIntervals(res(body)).restorable_time_intervals.map((w) => w.start_time),
    ).to.deep.equal(forms);
  });

  it("formats paths as dotted with indexes", () => {
    expect(formatPath(["instances", 3, "available"])).to.equal("instances[3].available");
    expect(formatPath([])).to.equal("(body)");
    expect(formatPath([0])).to.equal("[0]");
  });

  describe("the fast check agrees with the zod schemas", () => {
    // Values a field may be given: the right type and every near miss a server might send.
    const VALUES: unknown[] = [
      "",
      "normal",
      "true",
      "5",
      "2025-05-20T09:40:40+0000",
      "2025-05-21T11:15:43Z",
      "2025-05-20T17:40:40+08:00",
      "2025-05-20T09:40:40.5Z",
      "2025-02-30T00:00:00Z",
      "2025-05-20 09:40:40",
      "1969-12-31T23:59:59Z",
      true,
      false,
      0,
      -0,
      1,
      -1,
      1.5,
      128,
      2 ** 53 - 1,
      2 ** 53,
      1e300,
      null,
      undefined,
      [],
      {},
      [1],
    ];
    const INSTANCE_FIELDS = [
      "instance_name",
      "instance_id",
      "status",
      "available",
      "unavailable_reason",
      "vpc_name",
    ];
    const PAGE_FIELDS = ["offset", "limit", "total"];

    /** A copy of `base` with 1-3 random fields (of the body or of a record) changed or deleted. */
    function mutant(base: Record<string, unknown>, listKey: string, fields: string[], r: () => number) {
      const body = clone(base);
      const list = body[listKey] as unknown[];
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
      for (let n = 1 + Math.floor(r() * 3); n > 0; n--) {
        const where = r();
        const value = pick(VALUES);
        if (where < 0.15) {
          const key = pick([...PAGE_FIELDS, listKey, "extra"]);
          if (value === undefined) delete body[key];
          else body[key] = value;
        } else if (where < 0.25 && Array.isArray(list) && list.length > 0) {
          list[Math.floor(r() * list.length)] = value;
        } else if (Array.isArray(list) && list.length > 0) {
          const record = list[Math.floor(r() * list.length)];
          if (typeof record === "object" && record !== null) {
            const key = pick([...fields, "extra"]);
            if (value === undefined) delete (record as Record<string, unknown>)[key];
            else (record as Record<string, unknown>)[key] = value;
          }
        }
      }
      return body;
    }

    function agree(
      kind: "restorable-instances" | "restorable-time-interval",
      decode: (r: ResponseContext) => unknown,
      schema: { safeParse(v: unknown): { success: boolean; data?: unknown } },
      body: unknown,
    ): void {
      const z = schema.safeParse(clone(body));
      // The verdict of the fast check alone (a refused body goes to zod, which would hide a
      // disagreement behind a right answer).
      expect(fastCheckAccepts(kind, clone(body)), JSON.stringify(body)).to.equal(z.success);
      let ours: unknown;
      let err: unknown;
      try {
        ours = decode(res(clone(body)));
      } catch (e) {
        err = e;
      }
      if (z.success) {
        expect(err, `zod accepts ${JSON.stringify(body)}`).to.equal(undefined);
        expect(ours).to.deep.equal(z.data);
      } else {
        expect(ResponseError.isInstance(err), `zod refuses ${JSON.stringify(body)}: ${String(err)}`).to.equal(
          true,
        );
      }
    }

    it("on 3 000 mutated restorable-instances bodies: the same accepted, the same values", () => {
      const r = prng(13);
      const base = clone(INSTANCES_EXAMPLE) as { instances: Record<string, unknown>[] };
      for (let i = 1; i < 4; i++) base.instances.push({ ...base.instances[0], instance_id: `i${i}` });
      const schema = contractSchemas().restorableInstancesBody;
      let accepted = 0;
      for (let i = 0; i < 3000; i++) {
        const body = mutant(base, "instances", INSTANCE_FIELDS, r);
        agree("restorable-instances", decodeRestorableInstances, schema, body);
        if (schema.safeParse(body).success) accepted++;
      }
      // Both kinds of body were tried.
      expect(accepted).to.be.within(100, 2900);
    });

    it("on 3 000 mutated restore-time-interval bodies: the same accepted, the same values", () => {
      const r = prng(17);
      const base = clone(INTERVALS_EXAMPLE) as { restorable_time_intervals: Record<string, unknown>[] };
      base.restorable_time_intervals.push({
        start_time: "2025-05-21T12:00:00Z",
        end_time: "2025-05-22T00:00:00+08:00",
      });
      const schema = contractSchemas().restoreTimeIntervalsBody;
      let accepted = 0;
      for (let i = 0; i < 3000; i++) {
        const body = mutant(base, "restorable_time_intervals", ["start_time", "end_time"], r);
        agree("restorable-time-interval", decodeRestoreTimeIntervals, schema, body);
        if (schema.safeParse(body).success) accepted++;
      }
      expect(accepted).to.be.within(100, 2900);
    });
  });

  it("loads zod only to describe a body it refuses: a process reading good answers never loads it", () => {
    // A child process with a loopback server of its own (the emulator would load zod itself).
    const functions = path.resolve(__dirname, "..", "..", "provider", "functions", "index.js");
    const script = `
      const http = require("node:http");
      const good = ${JSON.stringify(JSON.stringify(INSTANCES_EXAMPLE))};
      const bad = good.replace('"available":true', '"available":"true"');
      let body = good;
      const server = http.createServer((req, res) => {
        res.setHeader("content-type", "application/json");
        res.end(body);
      });
      server.listen(0, "127.0.0.1", async () => {
        const env = {
          HW_REGION_NAME: "cn-north-4",
          HW_PROJECT_ID: "0123456789abcdef0123456789abcdef",
          HW_AUTH_TOKEN: "t",
          HWDDM_ENDPOINT: "http://127.0.0.1:" + server.address().port,
        };
        const f = require(${JSON.stringify(functions)});
        const zodLoaded = () => Object.keys(require.cache).some((k) => /[\\/]node_modules[\\/]zod[\\/]/.test(k));
        const out = {};
        const a = await f.invoke(f.TOKENS.getRestorableInstances, { instanceId: "1f5c9fd6cd984056ba89c8c87cc03278in09" }, { env });
        out.good = { n: a.instances.length, zod: zodLoaded() };
        body = bad;
        try {
          await f.invoke(f.TOKENS.getRestorableInstances, { instanceId: "1f5c9fd6cd984056ba89c8c87cc03278in09" }, { env });
        } catch (e) {
          out.bad = { message: e.message, zod: zodLoaded() };
        }
        f.closeClients();
        server.close();
        process.stdout.write(JSON.stringify(out));
      });`;
    const r = spawnSync(process.execPath, ["-e", script], {
      encoding: "utf8",
      env: { PATH: process.env.PATH },
    });
    expect(r.status, r.stderr).to.equal(0);
    const out = JSON.parse(r.stdout) as {
      good: { n: number; zod: boolean };
      bad: { message: string; zod: boolean };
    };
    expect(out.good).to.deep.equal({ n: 1, zod: false });
    expect(out.bad.zod).to.equal(true);
    expect(out.bad.message).to.match(/instances\[0\]\.available.*expected a boolean, got "true"/);
  });
});
