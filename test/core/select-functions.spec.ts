/**
 * The selection functions of the registry (`hwddm:backup:selectRestoreTarget`,
 * `hwddm:backup:selectRestoreTime`): their argument checks (named as the function's
 * arguments, before any request), their choice (the helpers' of provider/select.ts on what
 * the data functions fetch), their ids, and their failures (a SelectionError with the
 * helpers' message).
 */
import { expect } from "chai";
import nock from "nock";
import { SelectionError, ValidationError } from "../../provider/errors";
import { invoke, selectRestoreTarget, selectRestoreTime } from "../../provider/functions";
import * as helpers from "../../provider/select";
import { getRestorableInstances, getRestoreTimeIntervals } from "../../provider/functions";
import { InvokeContext, TOKENS } from "../../provider/types";

const ENDPOINT = "https://ddm.ap-southeast-1.myhuaweicloud.com";
const PROJECT = "619d3e78f61b4be68bc5aa0b59edcf7b";
const SOURCE = "1f5c9fd6cd984056ba89c8c87cc03278in09";
const TOKEN = "MIIT-select-functions-spec-token";
const BASE = `/v3/${PROJECT}/instances/${SOURCE}/backups`;
const ctx: InvokeContext = {
  env: { HW_REGION_NAME: "ap-southeast-1", HW_PROJECT_ID: PROJECT, HW_AUTH_TOKEN: TOKEN },
  overrides: { retry: { baseDelayMs: 1, maxDelayMs: 1, maxRetries: 0 }, sleep: async () => {} },
};

const INSTANCES = [
  {
    instance_id: "i1",
    instance_name: "ddm-a",
    status: "normal",
    available: false,
    unavailable_reason: "too old",
    vpc_name: "vpc-a",
  },
  {
    instance_id: "i2",
    instance_name: "ddm-b",
    status: "normal",
    available: true,
    unavailable_reason: "",
    vpc_name: "vpc-a",
  },
  {
    instance_id: "i3",
    instance_name: "ddm-c",
    status: "frozen",
    available: true,
    unavailable_reason: "",
    vpc_name: "vpc-b",
  },
  {
    instance_id: "i4",
    instance_name: "ddm-d",
    status: "normal",
    available: true,
    unavailable_reason: "",
    vpc_name: "vpc-b",
  },
];
const WINDOWS = [
  { start_time: "2025-05-22T00:00:00+0000", end_time: "2025-05-22T00:01:00+0000" },
  { start_time: "2025-05-20T09:40:40+0000", end_time: "2025-05-21T11:15:43+0000" },
];

function serve(resource: "restorable-instances" | "restorable-time-interval", times = 1) {
  const [key, records] =
    resource === "restorable-instances"
      ? ["instances", INSTANCES]
      : ["restorable_time_intervals", WINDOWS as unknown[]];
  return nock(ENDPOINT, { reqheaders: { "x-auth-token": TOKEN } })
    .get(`${BASE}/${resource}`)
    .query(true)
    .times(times)
    .reply((uri) => {
      const q = new URL(uri, ENDPOINT).searchParams;
      const offset = Number(q.get("offset"));
      const limit = Number(q.get("limit"));
      return [200, { [key]: records.slice(offset, offset + limit), offset, limit, total: records.length }];
    });
}

async function rejection(p: Promise<unknown>): Promise<Error> {
  return p.then(
    () => {
      throw new Error("expected a rejection");
    },
    (e: Error) => e,
  );
}

describe("selection functions of the registry", () => {
  afterEach(() => nock.cleanAll());

  it("selectRestoreTarget returns the first available instance matching every criterion, the API's total and an id", async () => {
    const scope = serve("restorable-instances");
    const out = await selectRestoreTarget({ instanceId: SOURCE, vpcName: "vpc-b", status: "normal" }, ctx);
    expect(out).to.deep.equal({
      id: `${PROJECT}/${SOURCE}/restore-target?status=normal&vpcName=vpc-b`,
      instanceId: SOURCE,
      projectId: PROJECT,
      region: "ap-southeast-1",
      target: {
        instanceId: "i4",
        instanceName: "ddm-d",
        status: "normal",
        available: true,
        unavailableReason: "",
        vpcName: "vpc-b",
      },
      total: 4,
      warnings: [],
    });
    expect(scope.isDone()).to.equal(true);
  });

  it("chooses what the helper chooses from the data function's result, for each criterion (targetInstanceId is the helper's instanceId)", async () => {
    const cases: [Record<string, string>, Record<string, string>][] = [
      [{}, {}],
      [{ targetInstanceId: "i3" }, { instanceId: "i3" }],
      [{ name: "ddm-b" }, { name: "ddm-b" }],
      [{ nameRegex: "[cd]$" }, { nameRegex: "[cd]$" }],
      [{ vpcName: "vpc-b" }, { vpcName: "vpc-b" }],
      [{ status: "frozen" }, { status: "frozen" }],
    ];
    for (const [args, criteria] of cases) {
      serve("restorable-instances", 2);
      const list = await getRestorableInstances({ instanceId: SOURCE }, ctx);
      const out = await selectRestoreTarget({ instanceId: SOURCE, ...args }, ctx);
      expect(out.target, JSON.stringify(args)).to.deep.equal(helpers.selectRestoreTarget(list, criteria));
    }
  });

  it("reads null and empty criteria as not given (as YAML sends them), and leaves them out of the id", async () => {
    serve("restorable-instances");
    const out = await invoke(
      TOKENS.selectRestoreTarget,
      { instanceId: SOURCE, name: "", vpcName: null },
      ctx,
    );
    expect((out.target as { instanceId: string }).instanceId).to.equal("i2");
    expect(out.id).to.equal(`${PROJECT}/${SOURCE}/restore-target`);
  });

  it("fails with the helper's SelectionError when nothing fits: every candidate with its unavailableReason", async () => {
    serve("restorable-instances", 2);
    const list = await getRestorableInstances({ instanceId: SOURCE }, ctx);
    const e = await rejection(selectRestoreTarget({ instanceId: SOURCE, targetInstanceId: "i1" }, ctx));
    expect(SelectionError.isInstance(e)).to.equal(true);
    const expected = await rejection(
      Promise.resolve().then(() => helpers.selectRestoreTarget(list, { instanceId: "i1" })),
    );
    expect(e.message).to.equal(expected.message);
    expect(e.message).to.contain(
      '"ddm-a" ("i1"): status "normal", available false, unavailableReason "too old"',
    );
    expect(e.message.split("\n")).to.have.length(1 + INSTANCES.length);
  });

  it("names a bad criterion by its argument (targetInstanceId, nameRegex) and makes no request", async () => {
    const scope = nock(ENDPOINT);
    const e = await rejection(
      selectRestoreTarget({ instanceId: SOURCE, targetInstanceId: 7, nameRegex: "(" } as never, ctx),
    );
    expect(ValidationError.isInstance(e)).to.equal(true);
    expect((e as ValidationError).failures.map((f) => f.property)).to.deep.equal([
      "targetInstanceId",
      "nameRegex",
    ]);
    expect(scope.isDone()).to.equal(true);
  });

  it("selectRestoreTime: the latest end minus the margin, skipping a window too short for it", async () => {
    serve("restorable-time-interval");
    const out = await selectRestoreTime({ instanceId: SOURCE, latest: true, marginSeconds: "1m" }, ctx);
    expect(out).to.deep.equal({
      id: `${PROJECT}/${SOURCE}/restore-time?latest=true&marginSeconds=60`,
      instanceId: SOURCE,
      projectId: PROJECT,
      region: "ap-southeast-1",
      time: "2025-05-21T11:14:43.000Z",
      epochMs: Date.parse("2025-05-21T11:14:43Z"),
      total: 2,
      warnings: [],
    });
  });

  it("selectRestoreTime: `at` in any accepted form, when restorable; its id holds the instant in epoch ms", async () => {
    serve("restorable-time-interval", 2);
    const a = await selectRestoreTime({ instanceId: SOURCE, at: "2025-05-21T08:00:00+08:00" }, ctx);
    const b = await selectRestoreTime({ instanceId: SOURCE, at: Date.parse("2025-05-21T00:00:00Z") }, ctx);
    expect(a.time).to.equal("2025-05-21T00:00:00.000Z");
    expect(b.id).to.equal(a.id);
    expect(a.id).to.equal(`${PROJECT}/${SOURCE}/restore-time?at=${Date.parse("2025-05-21T00:00:00Z")}`);
  });

  it("selectRestoreTime fails with the helper's message naming the windows", async () => {
    serve("restorable-time-interval", 2);
    const list = await getRestoreTimeIntervals({ instanceId: SOURCE }, ctx);
    const e = await rejection(
      selectRestoreTime({ instanceId: SOURCE, at: "2025-05-21T11:15:00Z", marginSeconds: 60 }, ctx),
    );
    expect(SelectionError.isInstance(e)).to.equal(true);
    const expected = await rejection(
      Promise.resolve().then(() =>
        helpers.selectRestoreTime(list, { at: "2025-05-21T11:15:00Z", marginSeconds: 60 }),
      ),
    );
    expect(e.message).to.equal(expected.message);
    expect(e.message).to.contain("2025-05-20T09:40:40.000Z .. 2025-05-21T11:15:43.000Z");
  });

  it("selectRestoreTime refuses neither latest nor at, and both, before any request", async () => {
    const scope = nock(ENDPOINT);
    const neither = await rejection(selectRestoreTime({ instanceId: SOURCE, latest: false }, ctx));
    expect((neither as ValidationError).failures.map((f) => f.property)).to.deep.equal(["at"]);
    const both = await rejection(
      selectRestoreTime({ instanceId: SOURCE, latest: true, at: "2025-05-21T00:00:00Z" }, ctx),
    );
    expect((both as ValidationError).failures).to.deep.equal([
      { property: "at", reason: "give either at or latest: true, not both" },
    ]);
    expect(scope.isDone()).to.equal(true);
  });
});
