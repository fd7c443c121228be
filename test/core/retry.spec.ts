import { expect } from "chai";
import nock from "nock";
import { DdmClient } from "../../provider/client";
import { ApiError, NetworkError } from "../../provider/errors";
import { DEFAULT_RETRY } from "../../provider/defaults";
import {
  AttemptOutcome,
  backoffDelay,
  isRetryableNetworkCode,
  isRetryableStatus,
  parseRetryAfter,
  retryOptions,
  withRetries,
} from "../../provider/retry";
import { ClientOverrides, ResolvedConfig, RetryNotice } from "../../provider/types";
import { FakeClock, stalledReply } from "../support/fake-clock";

const DDM = "https://ddm.ap-southeast-1.myhuaweicloud.com";
const PATH = "/v3/p1/instances/i1/backups/restorable-time-interval";
const OK = { restorable_time_intervals: [], offset: 0, limit: 128, total: 0 };
const T0 = Date.parse("2025-05-20T10:00:00.000Z");

function config(extra: Partial<ResolvedConfig> = {}): ResolvedConfig {
  return {
    region: "ap-southeast-1",
    projectId: "p1",
    endpoint: DDM,
    authUrl: "https://iam.ap-southeast-1.myhuaweicloud.com/v3",
    auth: { mode: "token", token: "retry-spec-token" },
    maxRetries: 4,
    requestTimeoutMs: 5000,
    insecure: false,
    ...extra,
  };
}

/** A client on a fake clock: its sleeps are recorded and advance it, its timeouts fire on it. */
function client(extra: Partial<ResolvedConfig> = {}, overrides: ClientOverrides = {}) {
  const clock = new FakeClock(T0);
  const slept: number[] = [];
  const c = new DdmClient(config(extra), {
    now: clock.now,
    sleep: async (ms) => {
      slept.push(ms);
      clock.advance(ms);
    },
    timer: clock.timer,
    random: () => 0.5,
    retry: { baseDelayMs: 1 },
    ...overrides,
  });
  return { c, slept, clock };
}

function netError(code: string | undefined, message: string): Error {
  // nock 14 only delivers Error instances (a plain object is swallowed).
  return Object.assign(new Error(message), code ? { code } : {});
}

/** Inside each top-level describe (a file-level hook would run after every spec in the suite). */
function checkNockAfterEach(): void {
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    expect(pending, "every nock interceptor was used").to.deep.equal([]);
  });
}

describe("retry: classes", () => {
  checkNockAfterEach();

  const retryableHttp: [string, number, object][] = [
    ["429 Too Many Requests", 429, { error_code: "APIGW.0308", error_msg: "throttled" }],
    ["500", 500, { error_code: "DBS.200001", error_msg: "internal" }],
    ["502", 502, {}],
    ["503", 503, { error_code: "DBS.000001", error_msg: "unavailable" }],
    ["504", 504, {}],
    ["409 DBS.200019", 409, { error_code: "DBS.200019", error_msg: "operation in progress" }],
    ["409 DBS.212033", 409, { error_code: "DBS.212033", error_msg: "conflict, retry" }],
  ];
  for (const [title, status, body] of retryableHttp) {
    it(`recovers from ${title} by retrying`, async () => {
      nock(DDM).get(PATH).reply(status, body).get(PATH).reply(200, OK);
      const { c, slept } = client();
      const r = await c.getJson(PATH, {});
      expect(r.status).to.equal(200);
      expect(r.attempts).to.equal(2);
      expect(slept).to.have.length(1);
    });
  }

  const retryableNet: [string, Error][] = [
    ["a connection reset (ECONNRESET)", netError("ECONNRESET", "read ECONNRESET")],
    ["a refused connection (ECONNREFUSED)", netError("ECONNREFUSED", "connect ECONNREFUSED 10.0.0.1:443")],
    ["a socket timeout (ETIMEDOUT)", netError("ETIMEDOUT", "connect ETIMEDOUT 10.0.0.1:443")],
    ["a socket hang up without a code", netError(undefined, "socket hang up")],
  ];
  for (const [title, error] of retryableNet) {
    it(`recovers from ${title} by retrying`, async () => {
      nock(DDM).get(PATH).replyWithError(error).get(PATH).reply(200, OK);
      const { c } = client();
      const r = await c.getJson(PATH, {});
      expect(r.status).to.equal(200);
      expect(r.attempts).to.equal(2);
    });
  }

  it("recovers from a per-attempt timeout (no answer within requestTimeout) by retrying", async () => {
    // The first request never answers; once it is in flight its 1 s runs out on the fake clock.
    const stalled = stalledReply();
    nock(DDM)
      .get(PATH)
      .reply(stalled.reply as never)
      .get(PATH)
      .reply(200, OK);
    const { c, clock } = client({ requestTimeoutMs: 1000 });
    const pending = c.getJson(PATH, {});
    await stalled.arrived;
    expect(clock.timers).to.deep.equal([1000]);
    clock.advance(999);
    expect(clock.timers).to.deep.equal([1]);
    clock.advance(1);
    const r = await pending;
    expect(r.status).to.equal(200);
    expect(r.attempts).to.equal(2);
  });

  it("tells ClientOverrides.onRetry about each retry as data, before its delay", async () => {
    nock(DDM)
      .get(PATH)
      .reply(503, { error_code: "APIGW.0202", error_msg: "busy" })
      .get(PATH)
      .replyWithError(netError("ECONNRESET", "socket hang up"))
      .get(PATH)
      .reply(200, OK);
    const notices: RetryNotice[] = [];
    const { c } = client({}, { retry: { baseDelayMs: 4200 }, onRetry: (n) => notices.push(n) });
    const r = await c.getJson(PATH, {});
    expect(r.attempts).to.equal(3);
    const common = { attempts: 5, method: "GET", path: PATH };
    expect(notices).to.deep.equal([
      { ...common, attempt: 2, delayMs: 2100, status: 503, errorCode: "APIGW.0202" },
      { ...common, attempt: 3, delayMs: 4200, status: 0, errorCode: "ECONNRESET" },
    ]);
  });

  it("reports a timeout as NetworkError ETIMEDOUT with status 0 once retries run out", async () => {
    const first = stalledReply();
    const second = stalledReply();
    nock(DDM)
      .get(PATH)
      .reply(first.reply as never)
      .get(PATH)
      .reply(second.reply as never);
    const { c, clock } = client({ requestTimeoutMs: 20, maxRetries: 1 });
    const pending = c.getJson(PATH, {}).catch((x: unknown) => x);
    await first.arrived;
    clock.advance(20);
    await second.arrived;
    clock.advance(20);
    const e = (await pending) as NetworkError;
    expect(NetworkError.isInstance(e)).to.equal(true);
    expect(e.status).to.equal(0);
    expect(e.errorCode).to.equal("ETIMEDOUT");
    expect(e.errorMsg).to.equal("no answer within 20 ms");
    expect(e.attempts).to.equal(2);
    expect(e.retryable).to.equal(true);
  });

  const fatal: [number, object][] = [
    [400, { error_code: "DBS.280001", error_msg: "Parameter error." }],
    [401, { error_code: "APIGW.0301", error_msg: "Incorrect IAM authentication information" }],
    [403, { error_code: "APIGW.0302", error_msg: "forbidden" }],
    [404, { error_code: "DBS.280239", error_msg: "instance not found" }],
    [405, {}],
    [409, { error_code: "DBS.280100", error_msg: "another conflict" }],
    [412, {}],
    [422, {}],
  ];
  for (const [status, body] of fatal) {
    it(`fails at once on ${status}${"error_code" in body ? ` ${String(body.error_code)}` : ""}, after one request`, async () => {
      nock(DDM).get(PATH).reply(status, body);
      const { c, slept } = client();
      const e = (await c.getJson(PATH, {}).catch((x: unknown) => x)) as ApiError;
      expect(ApiError.isInstance(e)).to.equal(true);
      expect(e.status).to.equal(status);
      expect(e.attempts).to.equal(1);
      expect(e.retryable).to.equal(false);
      expect(slept).to.deep.equal([]);
    });
  }

  it("fails at once on a network error that is not transient (e.g. a TLS certificate problem)", async () => {
    nock(DDM).get(PATH).replyWithError(netError("CERT_HAS_EXPIRED", "certificate has expired"));
    const { c, slept } = client();
    const e = (await c.getJson(PATH, {}).catch((x: unknown) => x)) as NetworkError;
    expect(NetworkError.isInstance(e)).to.equal(true);
    expect(e.errorCode).to.equal("CERT_HAS_EXPIRED");
    expect(e.attempts).to.equal(1);
    expect(e.retryable).to.equal(false);
    expect(slept).to.deep.equal([]);
  });

  it("classifies statuses and network codes as documented", () => {
    expect([429, 500, 502, 503, 504].every((s) => isRetryableStatus(s, ""))).to.equal(true);
    expect(isRetryableStatus(409, "DBS.200019")).to.equal(true);
    expect(isRetryableStatus(409, "DBS.212033")).to.equal(true);
    expect(isRetryableStatus(409, "")).to.equal(false);
    expect([400, 401, 403, 404, 501, 505].some((s) => isRetryableStatus(s, "DBS.200019"))).to.equal(false);
    expect(["ECONNRESET", "ECONNREFUSED", "ETIMEDOUT"].every(isRetryableNetworkCode)).to.equal(true);
    expect(isRetryableNetworkCode("ENOTFOUND")).to.equal(false);
  });
});

describe("retry: delays", () => {
  checkNockAfterEach();

  it("uses full jitter: random() * min(maxDelayMs, baseDelayMs * 2^n)", () => {
    const opts = { maxRetries: 10, baseDelayMs: 100, maxDelayMs: 1000, deadlineMs: 1e9 };
    expect([0, 1, 2, 3, 4].map((n) => backoffDelay(n, opts, () => 0.5))).to.deep.equal([
      50, 100, 200, 400, 500,
    ]);
    expect(backoffDelay(3, opts, () => 0)).to.equal(0);
    expect(backoffDelay(30, opts, () => 0.999)).to.equal(999);
  });

  it("sleeps the backoff between attempts, with the injected random source", async () => {
    nock(DDM).get(PATH).times(3).reply(503, {}).get(PATH).reply(200, OK);
    const { c, slept } = client({}, { retry: { baseDelayMs: 10, maxDelayMs: 1000 }, random: () => 0.5 });
    await c.getJson(PATH, {});
    expect(slept).to.deep.equal([5, 10, 20]);
  });

  it("honours Retry-After given in seconds", async () => {
    nock(DDM).get(PATH).reply(429, {}, { "Retry-After": "3" }).get(PATH).reply(200, OK);
    const { c, slept } = client({}, { retry: { baseDelayMs: 1, maxDelayMs: 60_000 } });
    await c.getJson(PATH, {});
    expect(slept).to.deep.equal([3000]);
  });

  it("honours Retry-After given as an HTTP date, measured with the injected clock", async () => {
    const at = new Date(T0 + 7000).toUTCString();
    nock(DDM).get(PATH).reply(503, {}, { "Retry-After": at }).get(PATH).reply(200, OK);
    const { c, slept } = client({}, { retry: { baseDelayMs: 1, maxDelayMs: 60_000 } });
    await c.getJson(PATH, {});
    expect(slept).to.deep.equal([7000]);
  });

  it("honours a Retry-After longer than maxDelayMs in full when it fits before the deadline", async () => {
    nock(DDM).get(PATH).reply(429, {}, { "Retry-After": "60" }).get(PATH).reply(200, OK);
    const { c, slept } = client({}, { retry: { baseDelayMs: 1, maxDelayMs: 2000, deadlineMs: 120_000 } });
    const r = await c.getJson(PATH, {});
    expect(r.attempts).to.equal(2);
    expect(slept).to.deep.equal([60_000]);
  });

  it("parses Retry-After forms and ignores unreadable ones", () => {
    expect(parseRetryAfter("0", 0)).to.equal(0);
    expect(parseRetryAfter(" 12 ", 0)).to.equal(12_000);
    expect(parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", Date.parse("2015-10-21T07:27:00Z"))).to.equal(
      60_000,
    );
    expect(parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", Date.parse("2016-01-01T00:00:00Z"))).to.equal(0);
    expect(parseRetryAfter("-5", 0)).to.equal(undefined);
    expect(parseRetryAfter("soon", 0)).to.equal(undefined);
    expect(parseRetryAfter(undefined, 0)).to.equal(undefined);
  });
});

describe("retry: budget and deadline", () => {
  checkNockAfterEach();

  it("gives up after maxRetries + 1 attempts and says how many were made", async () => {
    nock(DDM)
      .get(PATH)
      .times(5)
      .reply(503, { error_code: "DBS.000001", error_msg: "unavailable" }, { "X-Request-Id": "rid-last" });
    const { c, slept } = client({ maxRetries: 4 });
    const e = (await c.getJson(PATH, {}).catch((x: unknown) => x)) as ApiError;
    expect(ApiError.isInstance(e)).to.equal(true);
    expect(e.status).to.equal(503);
    expect(e.attempts).to.equal(5);
    expect(e.retryable).to.equal(true);
    expect(e.requestId).to.equal("rid-last");
    expect(e.message).to.include("after 5 attempts");
    expect(slept).to.have.length(4);
  });

  it("reports an exhausted network failure with its code and attempts", async () => {
    nock(DDM).get(PATH).times(3).replyWithError(netError("ECONNRESET", "read ECONNRESET"));
    const { c } = client({ maxRetries: 2 });
    const e = (await c.getJson(PATH, {}).catch((x: unknown) => x)) as NetworkError;
    expect(NetworkError.isInstance(e)).to.equal(true);
    expect(e.errorCode).to.equal("ECONNRESET");
    expect(e.attempts).to.equal(3);
    expect(e.message).to.equal(
      `DDM API GET ${PATH} failed: network error ECONNRESET, error_code ECONNRESET, error_msg "read ECONNRESET", after 3 attempts`,
    );
  });

  it("makes one attempt only when maxRetries is 0 (the config value is used)", async () => {
    nock(DDM).get(PATH).reply(503, {});
    const { c, slept } = client({ maxRetries: 0 });
    const e = (await c.getJson(PATH, {}).catch((x: unknown) => x)) as ApiError;
    expect(e.attempts).to.equal(1);
    expect(e.retryable).to.equal(true);
    expect(slept).to.deep.equal([]);
  });

  it("stops before a delay that would pass the total deadline", async () => {
    nock(DDM).get(PATH).times(3).reply(503, {});
    // delays (random 0.5): 50, 100, 200, ... ; deadline 200 ms: 50 + 100 = 150 fits, +200 would not.
    const { c, slept, clock } = client(
      { maxRetries: 10 },
      { retry: { baseDelayMs: 100, maxDelayMs: 10_000, deadlineMs: 200 } },
    );
    const e = (await c.getJson(PATH, {}).catch((x: unknown) => x)) as ApiError;
    expect(e.attempts).to.equal(3);
    expect(slept).to.deep.equal([50, 100]);
    expect(clock.ms - T0).to.be.below(200);
  });

  it("stops at once, saying so, on a Retry-After that passes the deadline (retries left or not)", async () => {
    nock(DDM)
      .get(PATH)
      .reply(429, { error_code: "APIGW.0308", error_msg: "throttled" }, { "Retry-After": "30" });
    const { c, slept } = client({ maxRetries: 4 }, { retry: { maxDelayMs: 1_000, deadlineMs: 10_000 } });
    const e = (await c.getJson(PATH, {}).catch((x: unknown) => x)) as ApiError;
    expect(ApiError.isInstance(e)).to.equal(true);
    expect(e.status).to.equal(429);
    expect(e.errorCode).to.equal("APIGW.0308");
    expect(e.attempts).to.equal(1);
    expect(e.retryable).to.equal(true);
    expect(e.message).to.equal(
      `DDM API GET ${PATH} failed with HTTP 429, error_code APIGW.0308, error_msg "throttled"; ` +
        "the server asked to wait 30 s (Retry-After) before retrying, beyond the deadline (10 s left)",
    );
    expect(e.stack).to.include("the server asked to wait 30 s");
    expect(JSON.parse(JSON.stringify(e)).message).to.equal(e.message);
    expect(slept).to.deep.equal([]);
  });

  it("measures a later Retry-After against the time left, not the whole deadline", async () => {
    nock(DDM)
      .get(PATH)
      .reply(503, {}, { "Retry-After": "5" })
      .get(PATH)
      .reply(503, {}, { "Retry-After": "5" });
    const { c, slept } = client({ maxRetries: 4 }, { retry: { maxDelayMs: 1_000, deadlineMs: 8_000 } });
    const e = (await c.getJson(PATH, {}).catch((x: unknown) => x)) as ApiError;
    expect(e.attempts).to.equal(2);
    expect(slept).to.deep.equal([5_000]);
    expect(e.message).to.include(
      "the server asked to wait 5 s (Retry-After) before retrying, beyond the deadline (3 s left)",
    );
  });

  it("merges DEFAULT_RETRY, the config's maxRetries and test overrides, overrides last", () => {
    expect(retryOptions()).to.deep.equal({ ...DEFAULT_RETRY });
    expect(retryOptions(2)).to.deep.equal({ ...DEFAULT_RETRY, maxRetries: 2 });
    expect(retryOptions(2, { maxRetries: 1, baseDelayMs: 1 })).to.deep.equal({
      ...DEFAULT_RETRY,
      maxRetries: 1,
      baseDelayMs: 1,
    });
  });

  it("withRetries passes the time left before the deadline to each attempt", async () => {
    let now = 0;
    const remaining: number[] = [];
    const err = new ApiError({
      status: 503,
      request: { method: "GET", path: "/x", attempts: 1 },
      retryable: true,
    });
    const value = await withRetries(
      async (n, rem): Promise<AttemptOutcome<string>> => {
        remaining.push(rem);
        now += 30; // the attempt itself takes 30 ms
        return n < 2 ? { ok: false, error: err } : { ok: true, value: "done" };
      },
      { maxRetries: 5, baseDelayMs: 10, maxDelayMs: 100, deadlineMs: 1000 },
      {
        sleep: async (ms) => void (now += ms),
        random: () => 1,
        now: () => now,
        abortError: () => new Error("aborted"),
      },
    );
    expect(value).to.equal("done");
    expect(remaining).to.deep.equal([1000, 960, 910]);
  });

  it("withRetries keeps to an absolute deadline given by the caller (time spent before it counts)", async () => {
    let now = 5_000;
    const remaining: number[] = [];
    const err = new ApiError({
      status: 503,
      request: { method: "GET", path: "/x", attempts: 1 },
      retryable: true,
    });
    const e = await withRetries(
      async (_n, rem): Promise<AttemptOutcome<string>> => {
        remaining.push(rem);
        now += 30;
        return { ok: false, error: err };
      },
      { maxRetries: 5, baseDelayMs: 10, maxDelayMs: 100, deadlineMs: 1_000 },
      {
        sleep: async (ms) => void (now += ms),
        random: () => 1,
        now: () => now,
        deadlineAt: 5_100, // the caller already spent 900 ms of its 1,000
        abortError: () => new Error("aborted"),
      },
    ).catch((x: unknown) => x);
    expect(e).to.equal(err);
    // 100 left; 30 spent, 10 slept; 60 left; 30 spent; a 20 ms delay still fits; 10 left; 30 spent.
    expect(remaining).to.deep.equal([100, 60, 10]);
  });
});

describe("retry: one total deadline per logical call (on the injected clock)", () => {
  checkNockAfterEach();

  const IAM = "https://iam.ap-southeast-1.myhuaweicloud.com";
  const passwordConfig = (extra: Partial<ResolvedConfig> = {}) =>
    config({
      auth: { mode: "password", domainName: "acme", userName: "bot", password: "retry-spec-password" },
      maxRetries: 0,
      requestTimeoutMs: 5000,
      ...extra,
    });
  const tokenReply = (token: string, projectId?: string) =>
    [
      201,
      {
        token: {
          expires_at: new Date(Date.now() + 3600_000).toISOString(),
          ...(projectId ? { project: { id: projectId, name: "ap-southeast-1" } } : {}),
        },
      },
      { "X-Subject-Token": token },
    ] as const;
  // The client's clock is a fake one: IAM "takes" 200 ms by moving it on as it answers. What
  // each attempt is given is then exact: its timeout is the time left on that clock (a call
  // that restarted the clock after IAM would give 300 ms). The last request never answers;
  // the test moves the clock to its timeout once it is in flight.
  const DEADLINE = 300;
  const clocked = (cfg: ResolvedConfig) => {
    const clock = new FakeClock(T0);
    const c = new DdmClient(cfg, {
      now: clock.now,
      sleep: clock.sleep,
      timer: clock.timer,
      retry: { baseDelayMs: 1, deadlineMs: DEADLINE },
    });
    /** A nock reply that takes `ms` on the client's clock. */
    const taking =
      <T>(ms: number, reply: T) =>
      () => {
        clock.advance(ms);
        return reply;
      };
    /** Once `stalled` has a request in flight, run out that request's time. */
    const timeOut = async (stalled: { arrived: Promise<void> }) => {
      await stalled.arrived;
      expect(clock.timers).to.have.length(1);
      clock.advance(clock.timers[0]);
    };
    return { c, taking, timeOut };
  };

  it("counts the password token fetch: the attempt gets only the time left after it", async () => {
    const { c, taking, timeOut } = clocked(passwordConfig());
    nock(IAM)
      .post("/v3/auth/tokens")
      .reply(taking(200, tokenReply("tok-slow-iam")) as never);
    const stalled = stalledReply();
    nock(DDM)
      .get(PATH)
      .reply(stalled.reply as never);
    const pending = c.getJson(PATH, {}).catch((x: unknown) => x);
    await timeOut(stalled);
    const e = (await pending) as NetworkError;
    expect(NetworkError.isInstance(e), String(e)).to.equal(true);
    expect(e.errorCode).to.equal("ETIMEDOUT");
    expect(e.errorMsg).to.equal("no answer within 100 ms");
  });

  it("gives the request after a 401 refresh only the time left, not a fresh timeout", async () => {
    const { c, taking, timeOut } = clocked(passwordConfig());
    const stalled = stalledReply();
    nock(IAM)
      .post("/v3/auth/tokens")
      .reply(...tokenReply("tok-refused"))
      .post("/v3/auth/tokens")
      .reply(taking(100, tokenReply("tok-second")) as never);
    nock(DDM)
      .get(PATH)
      .matchHeader("x-auth-token", "tok-refused")
      .reply(taking(100, [401, { error_code: "APIGW.0301", error_msg: "token expired" }]) as never)
      .get(PATH)
      .matchHeader("x-auth-token", "tok-second")
      .reply(stalled.reply as never);
    const pending = c.getJson(PATH, {}).catch((x: unknown) => x);
    await timeOut(stalled);
    const e = (await pending) as NetworkError;
    expect(NetworkError.isInstance(e), String(e)).to.equal(true);
    expect(e.errorCode).to.equal("ETIMEDOUT");
    expect(e.attempts).to.equal(2);
    expect(e.errorMsg).to.equal("no answer within 100 ms");
  });

  it("ends the project lookup after a slow token fetch by the one deadline of projectId()", async () => {
    const { c, taking, timeOut } = clocked(passwordConfig({ projectId: undefined }));
    nock(IAM)
      .post("/v3/auth/tokens")
      .reply(taking(200, tokenReply("tok-no-project")) as never);
    const stalled = stalledReply();
    nock(IAM)
      .get("/v3/projects")
      .query({ name: "ap-southeast-1" })
      .reply(stalled.reply as never);
    const pending = c.projectId().catch((x: unknown) => x);
    await timeOut(stalled);
    const e = (await pending) as NetworkError;
    expect(NetworkError.isInstance(e), String(e)).to.equal(true);
    expect(e.errorCode).to.equal("ETIMEDOUT");
    expect(e.path).to.equal("/v3/projects?name=ap-southeast-1");
    expect(e.errorMsg).to.equal("no answer within 100 ms");
  });

  it("gives a nested IAM call's retries only the caller's time left", async () => {
    // After DDM refuses the token (200 ms in), the new token fetch meets IAM answering 503.
    // With a fresh deadline of its own it would retry until 500 ms; it must stop at 300.
    const clock = { ms: T0 };
    nock(IAM)
      .post("/v3/auth/tokens")
      .reply(...tokenReply("tok-first"));
    nock(DDM)
      .get(PATH)
      .reply(() => {
        clock.ms += 200;
        return [401, { error_code: "APIGW.0301", error_msg: "token expired" }];
      });
    nock(IAM)
      .post("/v3/auth/tokens")
      .times(2)
      .reply(() => {
        clock.ms += 60; // each IAM answer takes 60 ms on the client's clock
        return [503, { error_code: "IAM.0100", error_msg: "busy" }];
      });
    const c = new DdmClient(passwordConfig({ maxRetries: 5 }), {
      now: () => new Date(clock.ms),
      sleep: async (ms) => void (clock.ms += ms),
      random: () => 0,
      retry: { baseDelayMs: 1, deadlineMs: DEADLINE },
    });
    const e = await c.getJson(PATH, {}).catch((x: unknown) => x);
    expect(ApiError.isInstance(e), String(e)).to.equal(true);
    expect((e as ApiError).status).to.equal(503);
    expect((e as ApiError).path).to.equal("/v3/auth/tokens");
    // 200 → 260 → 320: the second 503 ends past the 300 ms deadline, no third try.
    expect(clock.ms - T0).to.equal(320);
  });

  it("sends nothing when the token fetch used up the whole deadline", async () => {
    const clock = { ms: T0 };
    nock(IAM)
      .post("/v3/auth/tokens")
      .reply(() => {
        clock.ms += DEADLINE; // IAM answered just as the deadline passed
        return tokenReply("tok-too-late");
      });
    const c = new DdmClient(passwordConfig({ maxRetries: 3 }), {
      now: () => new Date(clock.ms),
      sleep: async (ms) => void (clock.ms += ms),
      retry: { baseDelayMs: 1, deadlineMs: DEADLINE },
    });
    // No DDM interceptor: a request would fail as a disallowed connection, not as this.
    const e = (await c.getJson(PATH, {}).catch((x: unknown) => x)) as NetworkError;
    expect(NetworkError.isInstance(e), String(e)).to.equal(true);
    expect(e.errorCode).to.equal("ETIMEDOUT");
    expect(e.errorMsg).to.equal(
      `the call's deadline (at most ${DEADLINE} ms) passed before the request could be sent`,
    );
    expect(e.attempts).to.equal(0);
  });
});

describe("retry: cancellation", () => {
  checkNockAfterEach();

  it("makes no request when the signal is already aborted", async () => {
    const { c } = client();
    const ac = new AbortController();
    ac.abort();
    const e = (await c.getJson(PATH, {}, ac.signal).catch((x: unknown) => x)) as NetworkError;
    expect(NetworkError.isInstance(e)).to.equal(true);
    expect(e.errorCode).to.equal("ABORTED");
    expect(e.retryable).to.equal(false);
  });

  it("stops waiting between attempts when aborted, without another request", async () => {
    nock(DDM).get(PATH).reply(503, {});
    const ac = new AbortController();
    // The sleep never ends by itself: settling at all means the abort ended the wait.
    const { c } = client(
      {},
      {
        sleep: () => {
          ac.abort();
          return new Promise<void>(() => {});
        },
      },
    );
    const e = (await c.getJson(PATH, {}, ac.signal).catch((x: unknown) => x)) as NetworkError;
    expect(e.errorCode).to.equal("ABORTED");
  });

  it("aborts a request in flight as NetworkError ABORTED, not retried", async () => {
    const stalled = stalledReply();
    nock(DDM)
      .get(PATH)
      .reply(stalled.reply as never);
    const ac = new AbortController();
    const { c, slept } = client();
    const pending = c.getJson(PATH, {}, ac.signal).catch((x: unknown) => x);
    await stalled.arrived;
    ac.abort();
    const e = (await pending) as NetworkError;
    expect(NetworkError.isInstance(e)).to.equal(true);
    expect(e.errorCode).to.equal("ABORTED");
    expect(e.attempts).to.equal(1);
    expect(e.retryable).to.equal(false);
    expect(slept).to.deep.equal([]);
  });
});
