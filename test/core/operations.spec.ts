import { expect } from "chai";
import nock from "nock";
import { clientFor } from "../../provider/client";
import { resolveConfig } from "../../provider/config";
import type { ResponseContext } from "../../provider/contract";
import { ApiError, NetworkError, ResponseError, ValidationError } from "../../provider/errors";
import {
  PageSource,
  listRestorableInstances,
  listRestoreTimeIntervals,
  restorePath,
} from "../../provider/operations";
import type { ClientOverrides } from "../../provider/types";

const PROJECT = "619d3e78f61b4be68bc5aa0b59edcf7b";
const SOURCE = "1f5c9fd6cd984056ba89c8c87cc03278in09";

function wireInstance(i: number) {
  return {
    instance_id: `inst${i}`,
    instance_name: `ddm-${i}`,
    status: i % 3 === 0 ? "normal" : "frozen",
    available: i % 2 === 0,
    unavailable_reason: i % 2 === 0 ? "" : "version too old",
    vpc_name: `vpc-${i % 2}`,
  };
}

/** A fake PageSource over a list of wire records, recording every call. */
function fakeSource(opts: {
  instances?: Record<string, unknown>[];
  intervals?: Record<string, unknown>[];
  projectId?: string;
  body?: (path: string, offset: number, limit: number) => unknown;
}) {
  const calls: { path: string; query: Record<string, string | number> }[] = [];
  let projectIdCalls = 0;
  const source: PageSource = {
    async projectId() {
      projectIdCalls++;
      return opts.projectId ?? PROJECT;
    },
    async getJson(path, query): Promise<ResponseContext> {
      calls.push({ path, query });
      const offset = Number(query.offset);
      const limit = Number(query.limit);
      let data: unknown;
      if (opts.body) data = opts.body(path, offset, limit);
      else if (path.endsWith("/restorable-instances")) {
        const all = opts.instances ?? [];
        data = { instances: all.slice(offset, offset + limit), offset, limit, total: all.length };
      } else {
        const all = opts.intervals ?? [];
        data = {
          restorable_time_intervals: all.slice(offset, offset + limit),
          offset,
          limit,
          total: all.length,
        };
      }
      return { data, status: 200, requestId: "rid", method: "GET", path };
    },
  };
  return { source, calls, projectIdCalls: () => projectIdCalls };
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error("expected a rejection");
}

describe("operations (fake source)", () => {
  it("builds the contract's paths with both ids URL-encoded", () => {
    expect(restorePath(PROJECT, SOURCE, "restorable-instances")).to.equal(
      `/v3/${PROJECT}/instances/${SOURCE}/backups/restorable-instances`,
    );
    expect(restorePath("p", "实例", "restorable-time-interval")).to.equal(
      "/v3/p/instances/%E5%AE%9E%E4%BE%8B/backups/restorable-time-interval",
    );
  });

  it("lists restorable instances in camelCase with the project id and the API's total", async () => {
    const f = fakeSource({ instances: [0, 1].map(wireInstance) });
    const out = await listRestorableInstances(f.source, { instanceId: SOURCE });
    expect(out).to.deep.equal({
      projectId: PROJECT,
      instances: [
        {
          instanceId: "inst0",
          instanceName: "ddm-0",
          status: "normal",
          available: true,
          unavailableReason: "",
          vpcName: "vpc-0",
        },
        {
          instanceId: "inst1",
          instanceName: "ddm-1",
          status: "frozen",
          available: false,
          unavailableReason: "version too old",
          vpcName: "vpc-1",
        },
      ],
      total: 2,
      warnings: [],
      requests: 1,
    });
    expect(f.calls).to.deep.equal([
      {
        path: `/v3/${PROJECT}/instances/${SOURCE}/backups/restorable-instances`,
        query: { offset: 0, limit: 128 },
      },
    ]);
  });

  it("walks 1000 instances in 8 requests and maps offset/limit onto pages", async () => {
    const f = fakeSource({ instances: Array.from({ length: 1000 }, (_, i) => wireInstance(i)) });
    const all = await listRestorableInstances(f.source, { instanceId: SOURCE });
    expect(all.instances).to.have.length(1000);
    expect(all.requests).to.equal(8);
    f.calls.length = 0;
    const some = await listRestorableInstances(f.source, { instanceId: SOURCE, offset: 250, limit: 20 });
    expect(some.instances.map((i) => i.instanceId)).to.deep.equal(
      Array.from({ length: 20 }, (_, i) => `inst${250 + i}`),
    );
    expect(f.calls.map((c) => c.query)).to.deep.equal([{ offset: 250, limit: 20 }]);
  });

  it("uses the paging overrides (page size, concurrency)", async () => {
    const f = fakeSource({ instances: Array.from({ length: 25 }, (_, i) => wireInstance(i)) });
    const out = await listRestorableInstances(f.source, {
      instanceId: SOURCE,
      paging: { pageSize: 10, concurrency: 1 },
    });
    expect(out.requests).to.equal(3);
    expect(f.calls.map((c) => c.query.limit)).to.deep.equal([10, 10, 5]);
  });

  it("stops at the maxPages override however large the API says the list is", async () => {
    const f = fakeSource({ instances: Array.from({ length: 1000 }, (_, i) => wireInstance(i)) });
    const out = await listRestorableInstances(f.source, {
      instanceId: SOURCE,
      paging: { pageSize: 10, concurrency: 2, maxPages: 3 },
    });
    expect(f.calls).to.have.length(3);
    expect(out.requests).to.equal(3);
    expect(out.instances.length).to.be.at.most(30);
  });

  it("rejects a bad instance id, offset and limit together before any call", async () => {
    const f = fakeSource({});
    const e = await rejection(listRestorableInstances(f.source, { instanceId: "a/b", offset: -1, limit: 0 }));
    expect(ValidationError.isInstance(e)).to.equal(true);
    expect((e as ValidationError).failures.map((x) => x.property)).to.deep.equal([
      "instanceId",
      "offset",
      "limit",
    ]);
    expect(f.calls).to.have.length(0);
    expect(f.projectIdCalls()).to.equal(0);
  });

  it("refuses a project id that is not path-safe", async () => {
    const f = fakeSource({ projectId: "../admin" });
    const e = await rejection(listRestorableInstances(f.source, { instanceId: SOURCE }));
    expect((e as ValidationError).field).to.equal("projectId");
    expect(f.calls).to.have.length(0);
  });

  it("passes a malformed page on as a ResponseError naming the field", async () => {
    const f = fakeSource({
      body: (_p, offset, limit) => ({
        instances: [{ ...wireInstance(0), available: "yes" }],
        offset,
        limit,
        total: 1,
      }),
    });
    const e = await rejection(listRestorableInstances(f.source, { instanceId: SOURCE }));
    expect(ResponseError.isInstance(e)).to.equal(true);
    expect((e as ResponseError).field).to.equal("instances[0].available");
  });

  it("drops a duplicate instance and warns when the list moves under the walk", async () => {
    let call = 0;
    const f = fakeSource({
      body: (_p, offset, limit) => {
        call++;
        // Every request after the first sees one more instance at the front.
        const all = Array.from({ length: 300 + call }, (_, i) => wireInstance(i));
        return { instances: all.slice(offset, offset + limit), offset, limit, total: all.length };
      },
    });
    const out = await listRestorableInstances(f.source, { instanceId: SOURCE, paging: { concurrency: 1 } });
    const ids = out.instances.map((i) => i.instanceId);
    expect(new Set(ids).size).to.equal(ids.length);
    expect(out.warnings).to.have.length(1);
    expect(out.warnings[0]).to.match(/changed while it was being paged/);
  });

  it("lists time intervals sorted by start, as RFC 3339 with ms and epoch ms, duplicates dropped", async () => {
    const f = fakeSource({
      intervals: [
        { start_time: "2025-05-22T00:00:00+08:00", end_time: "2025-05-22T10:00:00+0800" },
        { start_time: "2025-05-20T09:40:40+0000", end_time: "2025-05-21T11:15:43.5Z" },
        { start_time: "2025-05-20T09:40:40Z", end_time: "2025-05-21T11:15:43.500Z" },
      ],
    });
    const out = await listRestoreTimeIntervals(f.source, { instanceId: SOURCE });
    expect(out).to.deep.equal({
      projectId: PROJECT,
      intervals: [
        {
          startTime: "2025-05-20T09:40:40.000Z",
          endTime: "2025-05-21T11:15:43.500Z",
          startTimeEpochMs: Date.UTC(2025, 4, 20, 9, 40, 40),
          endTimeEpochMs: Date.UTC(2025, 4, 21, 11, 15, 43, 500),
        },
        {
          startTime: "2025-05-21T16:00:00.000Z",
          endTime: "2025-05-22T02:00:00.000Z",
          startTimeEpochMs: Date.UTC(2025, 4, 21, 16),
          endTimeEpochMs: Date.UTC(2025, 4, 22, 2),
        },
      ],
      total: 3,
      warnings: [],
      requests: 1,
    });
    expect(f.calls[0].path).to.equal(`/v3/${PROJECT}/instances/${SOURCE}/backups/restorable-time-interval`);
  });

  it("reports a bad time in a page as a ResponseError naming the field", async () => {
    const f = fakeSource({ intervals: [{ start_time: "yesterday", end_time: "2025-05-21T11:15:43Z" }] });
    const e = await rejection(listRestoreTimeIntervals(f.source, { instanceId: SOURCE }));
    expect((e as ResponseError).field).to.equal("restorable_time_intervals[0].start_time");
  });

  it("throws the client's cancellation error, without a request, when the signal is already aborted", async () => {
    const f = fakeSource({ instances: [wireInstance(0)] });
    const ac = new AbortController();
    ac.abort();
    const e = await rejection(listRestorableInstances(f.source, { instanceId: SOURCE }, ac.signal));
    expect(NetworkError.isInstance(e)).to.equal(true);
    expect((e as NetworkError).errorCode).to.equal("ABORTED");
    expect(f.calls).to.have.length(0);
  });
});

describe("operations through the real client (nock)", () => {
  const ENDPOINT = "https://ddm.ap-southeast-1.myhuaweicloud.com";
  const TOKEN = "MIIT-test-token-value-0123456789";
  const overrides: ClientOverrides = {
    retry: { baseDelayMs: 1, maxDelayMs: 1, maxRetries: 1 },
    sleep: async () => {},
  };
  const client = () =>
    clientFor(
      resolveConfig({}, undefined, {
        HW_REGION_NAME: "ap-southeast-1",
        HW_PROJECT_ID: PROJECT,
        HW_AUTH_TOKEN: TOKEN,
      }),
      overrides,
    );
  const base = `/v3/${PROJECT}/instances/${SOURCE}/backups`;

  afterEach(() => {
    nock.cleanAll();
  });

  it("sends the token and offset/limit, and walks ceil(300/128) = 3 pages", async () => {
    const all = Array.from({ length: 300 }, (_, i) => wireInstance(i));
    const scope = nock(ENDPOINT, { reqheaders: { "x-auth-token": TOKEN } })
      .get(`${base}/restorable-instances`)
      .query(true)
      .times(3)
      .reply((uri) => {
        const q = new URL(uri, ENDPOINT).searchParams;
        const offset = Number(q.get("offset"));
        const limit = Number(q.get("limit"));
        return [200, { instances: all.slice(offset, offset + limit), offset, limit, total: 300 }];
      });
    const out = await listRestorableInstances(client(), { instanceId: SOURCE });
    expect(out.instances.map((i) => i.instanceId)).to.deep.equal(all.map((i) => i.instance_id));
    expect(out.requests).to.equal(3);
    expect(scope.isDone()).to.equal(true);
  });

  it("decodes the contract's time-interval example through the client", async () => {
    const scope = nock(ENDPOINT)
      .get(`${base}/restorable-time-interval`)
      .query({ offset: "0", limit: "128" })
      .reply(200, {
        restorable_time_intervals: [
          { start_time: "2025-05-20T09:40:40+0000", end_time: "2025-05-21T11:15:43+0000" },
        ],
        offset: 0,
        limit: 10,
        total: 1,
      });
    const out = await listRestoreTimeIntervals(client(), { instanceId: SOURCE });
    expect(out.intervals).to.deep.equal([
      {
        startTime: "2025-05-20T09:40:40.000Z",
        endTime: "2025-05-21T11:15:43.000Z",
        startTimeEpochMs: 1747734040000,
        endTimeEpochMs: 1747826143000,
      },
    ]);
    expect(scope.isDone()).to.equal(true);
  });

  it("surfaces a malformed 200 body as a ResponseError with the field and the request id", async () => {
    const scope = nock(ENDPOINT)
      .get(`${base}/restorable-instances`)
      .query(true)
      .reply(200, { instances: [], offset: 0, limit: 128 }, { "X-Request-Id": "req-77" });
    const e = await rejection(listRestorableInstances(client(), { instanceId: SOURCE }));
    expect(ResponseError.isInstance(e)).to.equal(true);
    expect((e as ResponseError).field).to.equal("total");
    expect((e as ResponseError).requestId).to.equal("req-77");
    expect((e as ResponseError).message).not.to.contain(TOKEN);
    expect(scope.isDone()).to.equal(true);
  });

  it("passes an API error on with status, error_code and error_msg", async () => {
    const scope = nock(ENDPOINT)
      .get(`${base}/restorable-instances`)
      .query(true)
      .reply(400, { error_code: "DBS.280001", error_msg: "Parameter error." }, { "X-Request-Id": "req-9" });
    const e = await rejection(listRestorableInstances(client(), { instanceId: SOURCE }));
    expect(ApiError.isInstance(e)).to.equal(true);
    expect((e as ApiError).status).to.equal(400);
    expect((e as ApiError).errorCode).to.equal("DBS.280001");
    expect((e as ApiError).message).to.contain("Parameter error.");
    expect(scope.isDone()).to.equal(true);
  });
});
