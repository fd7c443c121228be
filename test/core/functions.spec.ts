import { expect } from "chai";
import nock from "nock";
import { ConfigurationError, ValidationError } from "../../provider/errors";
import {
  functionNames,
  getRestorableInstances,
  getRestoreTimeIntervals,
  invoke,
  queryId,
} from "../../provider/functions";
import { ClientOverrides, InvokeContext, TOKENS } from "../../provider/types";

const ENDPOINT = "https://ddm.ap-southeast-1.myhuaweicloud.com";
const PROJECT = "619d3e78f61b4be68bc5aa0b59edcf7b";
const SOURCE = "1f5c9fd6cd984056ba89c8c87cc03278in09";
const TOKEN = "MIIT-functions-spec-token-abcdef";
const BASE = `/v3/${PROJECT}/instances/${SOURCE}/backups`;

const overrides: ClientOverrides = {
  retry: { baseDelayMs: 1, maxDelayMs: 1, maxRetries: 0 },
  sleep: async () => {},
};
const ctx: InvokeContext = {
  env: { HW_REGION_NAME: "ap-southeast-1", HW_PROJECT_ID: PROJECT, HW_AUTH_TOKEN: TOKEN },
  overrides,
};

const INSTANCES = [
  {
    instance_id: "i1",
    instance_name: "ddm-prod-a",
    status: "normal",
    available: true,
    unavailable_reason: "",
    vpc_name: "vpc-a",
  },
  {
    instance_id: "i2",
    instance_name: "ddm-prod-b",
    status: "normal",
    available: false,
    unavailable_reason: "engine version too old",
    vpc_name: "vpc-a",
  },
  {
    instance_id: "i3",
    instance_name: "ddm-test-c",
    status: "frozen",
    available: true,
    unavailable_reason: "",
    vpc_name: "vpc-b",
  },
  { instance_id: "i4", instance_name: "ddm-prod-d", status: "normal", available: true, vpc_name: "vpc-b" },
];

const WINDOWS = [
  { start_time: "2025-05-22T00:00:00+0000", end_time: "2025-05-22T06:00:00+0000" },
  { start_time: "2025-05-20T09:40:40+0000", end_time: "2025-05-21T11:15:43+0000" },
];

function serve(resource: "restorable-instances" | "restorable-time-interval", records: unknown[]) {
  const key = resource === "restorable-instances" ? "instances" : "restorable_time_intervals";
  return nock(ENDPOINT, { reqheaders: { "x-auth-token": TOKEN } })
    .get(`${BASE}/${resource}`)
    .query(true)
    .reply((uri) => {
      const q = new URL(uri, ENDPOINT).searchParams;
      const offset = Number(q.get("offset"));
      const limit = Number(q.get("limit"));
      return [200, { [key]: records.slice(offset, offset + limit), offset, limit, total: records.length }];
    });
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error("expected a rejection");
}

/** Proves no request left: every attempt at an unmocked host is recorded here. */
const unmatched: string[] = [];
const onNoMatch = (req: { path?: string }) => unmatched.push(String(req.path));

/** Any undefined value, at any depth (the plugin's Struct cannot carry one). */
function hasUndefined(v: unknown): boolean {
  if (v === undefined) return true;
  if (Array.isArray(v)) return v.some(hasUndefined);
  if (typeof v === "object" && v !== null) return Object.values(v).some(hasUndefined);
  return false;
}

describe("function registry", () => {
  before(() => nock.emitter.on("no match", onNoMatch));
  after(() => nock.emitter.removeListener("no match", onNoMatch));
  afterEach(() => {
    unmatched.length = 0;
    nock.cleanAll();
  });

  it("names every token: the four data functions, the two selection functions and the restore plan", () => {
    expect([...functionNames].sort()).to.deep.equal(
      [
        TOKENS.getRestorableInstances,
        TOKENS.getRestoreTimeIntervals,
        TOKENS.selectRestoreTarget,
        TOKENS.selectRestoreTime,
        TOKENS.getRelatedDataNodes,
        TOKENS.getRestorableDataNodes,
        TOKENS.planRestore,
      ].sort(),
    );
  });

  it("refuses an unknown token with a ValidationError on property token", async () => {
    const e = await rejection(invoke("hwddm:backup:getNothing", { instanceId: SOURCE }, ctx));
    expect(ValidationError.isInstance(e)).to.equal(true);
    expect((e as ValidationError).failures).to.deep.equal([
      { property: "token", reason: "unknown function hwddm:backup:getNothing" },
    ]);
  });

  for (const bad of [null, "i1", 5, [SOURCE]]) {
    it(`refuses arguments that are not an object (${JSON.stringify(bad)})`, async () => {
      const e = await rejection(
        invoke(TOKENS.getRestorableInstances, bad as unknown as Record<string, unknown>, ctx),
      );
      expect((e as ValidationError).field).to.equal("args");
    });
  }

  // Every kind of wrong value, per argument. Each case must fail alone, naming its property.
  const badValues: [string, unknown[]][] = [
    ["instanceId", [undefined, "", "a/b", "a b", "..", "x?y", "a#b", "%2F", 5, true, {}, "x".repeat(200)]],
    ["projectId", ["p/q", "p q", 7, {}]],
    ["region", [5, "AP SOUTH", "ap_southeast_1", true]],
    ["endpoint", [true, "not a url", "ftp://ddm.example.com", 8080]],
    ["offset", [1.5, "10", Number.NaN, -1, Number.POSITIVE_INFINITY, true]],
    ["limit", [0, -1, 1.5, "10", Number.NaN, false]],
  ];
  const ownBadValues: Record<string, [string, unknown[]][]> = {
    [TOKENS.getRestorableInstances]: [
      ["availableOnly", ["true", 1, 0]],
      ["status", [5, ["normal"]]],
      ["vpcName", [{}, 3]],
      ["nameRegex", ["(", "[a-", "a{2,1}", 5]],
    ],
    [TOKENS.getRestoreTimeIntervals]: [
      ["restoreTime", ["yesterday", "2025-13-01T00:00:00Z", -1, 1.5, {}, true]],
    ],
    [TOKENS.selectRestoreTarget]: [
      ["targetInstanceId", [5, {}, true]],
      ["name", [5, ["ddm-a"]]],
      ["nameRegex", ["(", "[a-", 5]],
      ["vpcName", [{}, 3]],
      ["status", [5, ["normal"]]],
    ],
    [TOKENS.selectRestoreTime]: [
      ["latest", ["true", 1, 0]],
      ["at", ["yesterday", "2025-13-01T00:00:00Z", -1, {}, true]],
      ["marginSeconds", ["soon", -1, {}, true]],
    ],
    [TOKENS.getRelatedDataNodes]: [
      ["restoreTime", [undefined, "yesterday", "2025-13-01T00:00:00Z", -1, {}, true]],
    ],
    [TOKENS.getRestorableDataNodes]: [
      ["targetInstanceId", [undefined, "a/b", 5]],
      ["sourceDataNodeId", [undefined, "a b", {}]],
      ["restoreTime", [undefined, "yesterday", 1.5]],
      ["availableOnly", ["true", 1]],
    ],
    [TOKENS.planRestore]: [
      ["targetInstanceId", [5, {}]],
      ["nameRegex", ["(", 5]],
      ["latest", ["true", 1]],
      ["at", ["yesterday", -1]],
      ["marginSeconds", ["soon", -1]],
      ["dataNodeRelations", [[], "x", {}, 5]],
    ],
  };
  /** Arguments a function needs besides instanceId for its other arguments to be valid. */
  const baseArgs: Record<string, Record<string, unknown>> = {
    [TOKENS.selectRestoreTime]: { latest: true },
    [TOKENS.getRelatedDataNodes]: { restoreTime: 1747826143000 },
    [TOKENS.getRestorableDataNodes]: {
      targetInstanceId: "t1",
      sourceDataNodeId: "dn1",
      restoreTime: 1747826143000,
    },
    [TOKENS.planRestore]: { latest: true },
  };
  for (const token of functionNames) {
    for (const [property, values] of [...badValues, ...ownBadValues[token]]) {
      for (const value of values) {
        const shown = typeof value === "number" ? String(value) : (JSON.stringify(value) ?? "undefined");
        it(`${token}: ${property} = ${shown.slice(0, 30)} is a ValidationError on ${property}, and no request is made`, async () => {
          const scope = nock(ENDPOINT); // no interceptors: any request would be unmatched
          const args: Record<string, unknown> = {
            instanceId: SOURCE,
            ...(property === "at" ? {} : baseArgs[token]),
            [property]: value,
          };
          const e = await rejection(invoke(token, args, ctx));
          expect(ValidationError.isInstance(e), String(e)).to.equal(true);
          expect((e as ValidationError).failures.map((f) => f.property)).to.deep.equal([property]);
          expect(unmatched).to.deep.equal([]);
          expect(scope.isDone()).to.equal(true);
        });
      }
    }
  }

  it("reports every bad argument of getRestorableInstances at once, and makes no request", async () => {
    const e = await rejection(
      getRestorableInstances(
        {
          instanceId: "a/b",
          projectId: "p q",
          region: "AP",
          endpoint: "nope",
          offset: -1,
          limit: 1.5,
          availableOnly: "yes",
          status: 1,
          vpcName: 2,
          nameRegex: "(",
          instance_id: SOURCE,
        } as never,
        ctx,
      ),
    );
    expect((e as ValidationError).failures.map((f) => f.property).sort()).to.deep.equal(
      [
        "availableOnly",
        "endpoint",
        "instanceId",
        "instance_id",
        "limit",
        "nameRegex",
        "offset",
        "projectId",
        "region",
        "status",
        "vpcName",
      ].sort(),
    );
    expect((e as ValidationError).message).to.contain("unknown argument");
    expect(unmatched).to.deep.equal([]);
  });

  it("reports every bad argument of getRestoreTimeIntervals at once, including an argument of the other function", async () => {
    const e = await rejection(
      getRestoreTimeIntervals({ limit: 0, restoreTime: "soon", availableOnly: true } as never, ctx),
    );
    expect((e as ValidationError).failures.map((f) => f.property)).to.deep.equal([
      "availableOnly",
      "instanceId",
      "limit",
      "restoreTime",
    ]);
  });

  it("reports a missing region and credentials as one ConfigurationError, before any request", async () => {
    const e = await rejection(
      invoke(TOKENS.getRestorableInstances, { instanceId: SOURCE }, { env: {}, overrides }),
    );
    expect(ConfigurationError.isInstance(e)).to.equal(true);
    expect((e as ConfigurationError).keys).to.include("region");
    expect(unmatched).to.deep.equal([]);
  });

  it("returns the restorable instances shaped like GetRestorableInstancesResult", async () => {
    const scope = serve("restorable-instances", INSTANCES);
    const out = await invoke(TOKENS.getRestorableInstances, { instanceId: SOURCE }, ctx);
    expect(out).to.deep.equal({
      id: `${PROJECT}/${SOURCE}/restorable-instances`,
      instanceId: SOURCE,
      projectId: PROJECT,
      region: "ap-southeast-1",
      instances: INSTANCES.map((i) => ({
        instanceId: i.instance_id,
        instanceName: i.instance_name,
        status: i.status,
        available: i.available,
        unavailableReason: i.unavailable_reason ?? "",
        vpcName: i.vpc_name,
      })),
      total: 4,
      warnings: [],
    });
    expect(hasUndefined(out)).to.equal(false);
    expect(scope.isDone()).to.equal(true);
  });

  const filterCases: [string, Record<string, unknown>, string[]][] = [
    ["availableOnly", { availableOnly: true }, ["i1", "i3", "i4"]],
    ["availableOnly false keeps all", { availableOnly: false }, ["i1", "i2", "i3", "i4"]],
    ["status", { status: "normal" }, ["i1", "i2", "i4"]],
    ["vpcName", { vpcName: "vpc-b" }, ["i3", "i4"]],
    ["nameRegex", { nameRegex: "^ddm-prod-[ab]$" }, ["i1", "i2"]],
    [
      "all filters together",
      { availableOnly: true, status: "normal", vpcName: "vpc-b", nameRegex: "prod" },
      ["i4"],
    ],
    ["a filter that matches nothing", { vpcName: "vpc-z" }, []],
  ];
  for (const [what, filters, expected] of filterCases) {
    it(`filters by ${what} after fetching and keeps the API's total`, async () => {
      const scope = serve("restorable-instances", INSTANCES);
      const out = await getRestorableInstances({ instanceId: SOURCE, ...filters }, ctx);
      expect(out.instances.map((i) => i.instanceId)).to.deep.equal(expected);
      expect(out.total).to.equal(4);
      expect(scope.isDone()).to.equal(true);
    });
  }

  it("treats null and empty optional arguments as not given", async () => {
    const scope = serve("restorable-instances", INSTANCES);
    const out = await getRestorableInstances(
      {
        instanceId: SOURCE,
        status: null,
        vpcName: "",
        nameRegex: "",
        region: null,
        projectId: "",
        offset: null,
      } as never,
      ctx,
    );
    expect(out.instances).to.have.length(4);
    expect(out.id).to.equal(`${PROJECT}/${SOURCE}/restorable-instances`);
    expect(scope.isDone()).to.equal(true);
  });

  it("ignores an unknown argument that carries no value (undefined or null)", async () => {
    const scope = serve("restorable-instances", INSTANCES);
    const out = await getRestorableInstances(
      { instanceId: SOURCE, extra: undefined, other: null } as never,
      ctx,
    );
    expect(out.instances).to.have.length(4);
    expect(scope.isDone()).to.equal(true);
  });

  it("passes offset and limit on to the pages", async () => {
    const scope = nock(ENDPOINT)
      .get(`${BASE}/restorable-instances`)
      .query({ offset: "1", limit: "2" })
      .reply(200, { instances: INSTANCES.slice(1, 3), offset: 1, limit: 2, total: 4 });
    const out = await getRestorableInstances({ instanceId: SOURCE, offset: 1, limit: 2 }, ctx);
    expect(out.instances.map((i) => i.instanceId)).to.deep.equal(["i2", "i3"]);
    expect(scope.isDone()).to.equal(true);
  });

  it("takes region, project and endpoint from the arguments over the environment", async () => {
    const other = "0123456789abcdef0123456789abcdef";
    const scope = nock("https://ddm.example.test")
      .get(`/v3/${other}/instances/${SOURCE}/backups/restorable-instances`)
      .query(true)
      .reply(200, { instances: [], offset: 0, limit: 128, total: 0 });
    const out = await getRestorableInstances(
      { instanceId: SOURCE, projectId: other, region: "eu-west-101", endpoint: "https://ddm.example.test" },
      ctx,
    );
    expect(out).to.include({ projectId: other, region: "eu-west-101", total: 0 });
    expect(out.id).to.equal(`${other}/${SOURCE}/restorable-instances`);
    expect(scope.isDone()).to.equal(true);
  });

  it("builds a deterministic id from the inputs: sorted, encoded, independent of key order, free of secrets", async () => {
    const a = { instanceId: SOURCE, nameRegex: "^a&b=c", limit: 5, availableOnly: true, offset: 0 };
    const b = { offset: 0, availableOnly: true, limit: 5, nameRegex: "^a&b=c", instanceId: SOURCE };
    const ids: string[] = [];
    for (const args of [a, b]) {
      const scope = serve("restorable-instances", INSTANCES);
      ids.push((await getRestorableInstances(args, ctx)).id);
      expect(scope.isDone()).to.equal(true);
      nock.cleanAll();
    }
    expect(ids[0]).to.equal(ids[1]);
    expect(ids[0]).to.equal(
      `${PROJECT}/${SOURCE}/restorable-instances?availableOnly=true&limit=5&nameRegex=%5Ea%26b%3Dc&offset=0`,
    );
    expect(ids[0]).not.to.contain(TOKEN);
    expect(queryId("p", "i", "x", {})).to.equal("p/i/x");
  });

  it("shapes time intervals: sorted, RFC 3339 with ms, epoch ms, earliest and latest", async () => {
    const scope = serve("restorable-time-interval", WINDOWS);
    const out = await invoke(TOKENS.getRestoreTimeIntervals, { instanceId: SOURCE }, ctx);
    expect(out).to.deep.equal({
      id: `${PROJECT}/${SOURCE}/restore-time-intervals`,
      instanceId: SOURCE,
      projectId: PROJECT,
      region: "ap-southeast-1",
      intervals: [
        {
          startTime: "2025-05-20T09:40:40.000Z",
          endTime: "2025-05-21T11:15:43.000Z",
          startTimeEpochMs: 1747734040000,
          endTimeEpochMs: 1747826143000,
        },
        {
          startTime: "2025-05-22T00:00:00.000Z",
          endTime: "2025-05-22T06:00:00.000Z",
          startTimeEpochMs: 1747872000000,
          endTimeEpochMs: 1747893600000,
        },
      ],
      earliestRestorableTime: "2025-05-20T09:40:40.000Z",
      earliestRestorableTimeEpochMs: 1747734040000,
      latestRestorableTime: "2025-05-22T06:00:00.000Z",
      latestRestorableTimeEpochMs: 1747893600000,
      total: 2,
      warnings: [],
    });
    expect(scope.isDone()).to.equal(true);
  });

  it("leaves earliest/latest out entirely (not undefined) when there are no windows", async () => {
    const scope = serve("restorable-time-interval", []);
    const out = await invoke(
      TOKENS.getRestoreTimeIntervals,
      { instanceId: SOURCE, restoreTime: 1747734040000 },
      ctx,
    );
    expect(Object.keys(out).sort()).to.deep.equal(
      [
        "id",
        "instanceId",
        "projectId",
        "region",
        "intervals",
        "total",
        "warnings",
        "restoreTimeEpochMs",
        "restoreTimeRestorable",
      ].sort(),
    );
    expect(out.restoreTimeRestorable).to.equal(false);
    expect(hasUndefined(out)).to.equal(false);
    expect(scope.isDone()).to.equal(true);
  });

  const restoreCases: [string, string | number, boolean][] = [
    ["inside the first window", "2025-05-21T00:00:00Z", true],
    ["at a start edge (inclusive)", "2025-05-20T09:40:40+0000", true],
    ["at an end edge (inclusive), as epoch ms", 1747826143000, true],
    ["one millisecond after an end", 1747826143001, false],
    ["between the windows, as +08:00", "2025-05-21T20:00:00+08:00", false],
    ["inside the second window, as a digit string", "1747880000000", true],
    ["before every window", "2020-01-01T00:00:00Z", false],
  ];
  for (const [what, restoreTime, restorable] of restoreCases) {
    it(`checks restoreTime ${what}: restorable ${restorable}`, async () => {
      const scope = serve("restorable-time-interval", WINDOWS);
      const out = await getRestoreTimeIntervals({ instanceId: SOURCE, restoreTime }, ctx);
      expect(out.restoreTimeRestorable).to.equal(restorable);
      expect(out.restoreTimeEpochMs).to.be.a("number");
      expect(scope.isDone()).to.equal(true);
    });
  }

  it("puts restoreTime in the id as epoch ms, so equal instants give equal ids", async () => {
    const ids: string[] = [];
    for (const restoreTime of ["2025-05-21T08:00:00+08:00", "2025-05-21T00:00:00.000Z", 1747785600000]) {
      const scope = serve("restorable-time-interval", WINDOWS);
      ids.push((await getRestoreTimeIntervals({ instanceId: SOURCE, restoreTime }, ctx)).id);
      expect(scope.isDone()).to.equal(true);
      nock.cleanAll();
    }
    expect(new Set(ids).size).to.equal(1);
    expect(ids[0]).to.equal(`${PROJECT}/${SOURCE}/restore-time-intervals?restoreTime=1747785600000`);
  });

  it("leaves restoreTime fields out when no restoreTime is given", async () => {
    const scope = serve("restorable-time-interval", WINDOWS);
    const out = await getRestoreTimeIntervals({ instanceId: SOURCE }, ctx);
    expect(out).not.to.have.property("restoreTimeEpochMs");
    expect(out).not.to.have.property("restoreTimeRestorable");
    expect(scope.isDone()).to.equal(true);
  });

  it("passes API errors through with status, error_code, error_msg and request id", async () => {
    const scope = nock(ENDPOINT)
      .get(`${BASE}/restorable-time-interval`)
      .query(true)
      .reply(400, { error_code: "DBS.280001", error_msg: "Parameter error." }, { "X-Request-Id": "rq-5" });
    const e = (await rejection(getRestoreTimeIntervals({ instanceId: SOURCE }, ctx))) as Error;
    expect(e.message).to.contain("400");
    expect(e.message).to.contain("DBS.280001");
    expect(e.message).to.contain("Parameter error.");
    expect(e.message).to.contain("rq-5");
    expect(e.message).not.to.contain(TOKEN);
    expect(scope.isDone()).to.equal(true);
  });
});
