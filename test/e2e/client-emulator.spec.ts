/**
 * The core end to end against the emulator: the function registry (the one entry every face
 * uses) → config resolution → DdmClient (auth, retries, timeouts) → paging → decoding, over
 * real HTTP on loopback. Every auth mode, every retryable fault and the permanent failures,
 * with the number of requests the client made read from the emulator's counters.
 *
 * Environment goes in through InvokeContext.env (process.env is never touched); retries are
 * made instant through InvokeContext.overrides (baseDelayMs 1 and a recording sleep). A fresh
 * overrides object per test means a fresh client (clients are cached per overrides object).
 */
import { expect } from "chai";
import {
  CONTRACT_EXAMPLE,
  Emulator,
  EmulatorAuthMode,
  EmulatorEnvOptions,
  FaultSpec,
  emulatorEnv,
  generateFixture,
  parseFaultSpec,
  startEmulator,
} from "../../emulator";
import { ApiError, ConfigurationError, NetworkError, ResponseError } from "../../provider/errors";
import { getRestorableInstances, getRestoreTimeIntervals, invoke } from "../../provider/functions";
import { ClientOverrides, InvokeContext, TOKENS } from "../../provider/types";
import { FakeClock } from "../support/fake-clock";

const SOURCE = CONTRACT_EXAMPLE.sourceInstanceId;

interface Harness {
  ctx: InvokeContext;
  /** Delays the client asked to sleep between retries (it never really sleeps). */
  delays: number[];
}

function harness(
  em: Emulator,
  mode: EmulatorAuthMode,
  opts: { env?: Record<string, string>; overrides?: Partial<ClientOverrides> } & EmulatorEnvOptions = {},
): Harness {
  const delays: number[] = [];
  const overrides: ClientOverrides = {
    retry: { baseDelayMs: 1, maxDelayMs: 5_000 },
    sleep: async (ms) => {
      delays.push(ms);
    },
    ...opts.overrides,
  };
  return {
    ctx: { env: { ...emulatorEnv(em, mode, opts), ...opts.env }, overrides },
    delays,
  };
}

async function failure(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error("expected the call to fail");
}

describe("end to end: the core against the emulator", () => {
  let em: Emulator;

  before(async () => {
    em = await startEmulator();
  });
  beforeEach(() => {
    em.resetStats();
    em.setFaults([]);
  });
  after(async () => {
    await em.close();
  });

  const count = (route: keyof ReturnType<Emulator["stats"]>["byRoute"]): number => em.stats().byRoute[route];

  describe("auth modes", () => {
    it("token: one request returns the contract's example target, camelCased, with the full total", async () => {
      const { ctx } = harness(em, "token");
      const r = await getRestorableInstances({ instanceId: SOURCE }, ctx);
      expect(r.total).to.equal(5);
      expect(r.instances).to.have.length(5);
      expect(r.instances[0]).to.deep.equal({
        instanceId: CONTRACT_EXAMPLE.targetInstanceId,
        instanceName: CONTRACT_EXAMPLE.targetInstanceName,
        status: "normal",
        available: true,
        unavailableReason: "",
        vpcName: CONTRACT_EXAMPLE.vpcName,
      });
      expect(r.projectId).to.equal(CONTRACT_EXAMPLE.projectId);
      expect(r.region).to.equal("ap-southeast-1");
      expect(r.warnings).to.deep.equal([]);
      expect(em.stats().requests).to.equal(1);
      expect(em.stats().byAuth.token).to.equal(1);
    });

    it("token: restore windows in RFC 3339 with the contract's window as the latest", async () => {
      const { ctx } = harness(em, "token");
      const r = await getRestoreTimeIntervals(
        { instanceId: SOURCE, restoreTime: "2025-05-21T10:00:00Z" },
        ctx,
      );
      expect(r.total).to.equal(3);
      expect(r.intervals).to.have.length(3);
      expect(r.latestRestorableTime).to.equal("2025-05-21T11:15:43.000Z");
      expect(r.earliestRestorableTime).to.equal("2025-05-18T02:00:00.000Z");
      expect(r.restoreTimeRestorable).to.equal(true);
      expect(count("restorable-time-interval")).to.equal(1);
    });

    it("token without a project id: looks it up through IAM once, then reuses it", async () => {
      const { ctx } = harness(em, "token", { projectId: false });
      const a = await getRestorableInstances({ instanceId: SOURCE }, ctx);
      const b = await getRestoreTimeIntervals({ instanceId: SOURCE }, ctx);
      expect(a.projectId).to.equal(CONTRACT_EXAMPLE.projectId);
      expect(b.projectId).to.equal(CONTRACT_EXAMPLE.projectId);
      expect(count("iam-projects")).to.equal(1);
      expect(count("restorable-instances")).to.equal(1);
      expect(count("restorable-time-interval")).to.equal(1);
    });

    it("AK/SK: signed requests are accepted, with and without a security token", async () => {
      const plain = harness(em, "aksk");
      const r = await getRestorableInstances({ instanceId: SOURCE }, plain.ctx);
      expect(r.total).to.equal(5);
      const temporary = harness(em, "aksk", { securityToken: true });
      const w = await getRestoreTimeIntervals({ instanceId: SOURCE }, temporary.ctx);
      expect(w.total).to.equal(3);
      expect(em.stats().byAuth).to.deep.equal({ token: 0, "iam-token": 0, aksk: 2 });
      expect(em.stats().authFailures).to.equal(0);
    });

    it("AK/SK without a project id: the IAM lookup is signed too", async () => {
      const { ctx } = harness(em, "aksk", { projectId: false });
      const r = await getRestorableInstances({ instanceId: SOURCE }, ctx);
      expect(r.projectId).to.equal(CONTRACT_EXAMPLE.projectId);
      expect(count("iam-projects")).to.equal(1);
      expect(em.stats().byAuth.aksk).to.equal(2);
    });

    it("password: one token for several invokes, scoped by project id", async () => {
      const { ctx } = harness(em, "password");
      await getRestorableInstances({ instanceId: SOURCE }, ctx);
      await getRestoreTimeIntervals({ instanceId: SOURCE }, ctx);
      await getRestorableInstances({ instanceId: SOURCE, offset: 1 }, ctx);
      expect(em.stats().tokensIssued).to.equal(1);
      expect(count("iam-token")).to.equal(1);
      expect(em.stats().byAuth["iam-token"]).to.equal(3);
    });

    it("password without a project id in a region with no project: the token-mode ConfigurationError, no DDM request", async () => {
      // The fixture has projects for ap-southeast-1 and cn-north-4 only, none named la-south-2: IAM answers 400 IAM.0012 to the token request.
      const { ctx } = harness(em, "password", { projectId: false, env: { HW_REGION_NAME: "la-south-2" } });
      const e = await failure(getRestorableInstances({ instanceId: SOURCE }, ctx));
      expect(ConfigurationError.isInstance(e), String(e)).to.equal(true);
      expect(ApiError.isInstance(e)).to.equal(false);
      expect((e as ConfigurationError).keys).to.deep.equal(["projectId"]);
      expect((e as Error).message).to.match(
        /^IAM has no project named "la-south-2" for these credentials \(IAM refused a token scoped to it: HTTP 400 IAM\.0012\), so the project id cannot be looked up; set the project id with /,
      );
      expect((e as Error).message).to.include("$HW_PROJECT_ID");
      expect(JSON.stringify(e)).to.not.contain(em.credentials.password);
      expect(count("iam-token")).to.equal(1);
      expect(count("restorable-instances")).to.equal(0);
    });

    it("token without a project id in a region with no project: the same ConfigurationError from the lookup", async () => {
      const { ctx } = harness(em, "token", { projectId: false, env: { HW_REGION_NAME: "la-south-2" } });
      const e = await failure(getRestorableInstances({ instanceId: SOURCE }, ctx));
      expect(ConfigurationError.isInstance(e), String(e)).to.equal(true);
      expect((e as Error).message).to.match(
        /^IAM has no project named "la-south-2" for these credentials, so the project id cannot be looked up; set the project id with /,
      );
      expect(count("iam-projects")).to.equal(1);
    });

    it("password without a project id: the token's project is used, no project lookup", async () => {
      const { ctx } = harness(em, "password", { projectId: false });
      const r = await getRestorableInstances({ instanceId: SOURCE }, ctx);
      expect(r.projectId).to.equal(CONTRACT_EXAMPLE.projectId);
      expect(count("iam-token")).to.equal(1);
      expect(count("iam-projects")).to.equal(0);
    });

    it("the registry's invoke by token reaches the emulator the same way", async () => {
      const { ctx } = harness(em, "token");
      const r = (await invoke(
        TOKENS.getRestorableInstances,
        { instanceId: SOURCE, availableOnly: true },
        ctx,
      )) as {
        instances: unknown[];
      };
      expect(r.instances).to.have.length(3);
      expect(count("restorable-instances")).to.equal(1);
    });
  });

  describe("password token expiry and refresh", () => {
    let clocked: Emulator;
    let emulatorClock = 0;
    let clientClock = 0;

    beforeEach(async () => {
      emulatorClock = Date.UTC(2025, 4, 20, 12, 0, 0);
      clientClock = emulatorClock;
      clocked = await startEmulator({ now: () => emulatorClock, tokenLifetimeSeconds: 600 });
    });
    afterEach(async () => {
      await clocked.close();
    });

    it("fetches a new token before the old one expires, without a refused request", async () => {
      const { ctx } = harness(clocked, "password", { overrides: { now: () => new Date(clientClock) } });
      await getRestorableInstances({ instanceId: SOURCE }, ctx);
      expect(clocked.stats().tokensIssued).to.equal(1);
      emulatorClock += 601_000;
      clientClock += 601_000;
      await getRestorableInstances({ instanceId: SOURCE }, ctx);
      expect(clocked.stats().tokensIssued).to.equal(2);
      expect(clocked.stats().authFailures).to.equal(0);
      expect(clocked.stats().byRoute["restorable-instances"]).to.equal(2);
    });

    it("replaces a token the server calls expired once, on the 401, and succeeds", async () => {
      const { ctx } = harness(clocked, "password", { overrides: { now: () => new Date(clientClock) } });
      await getRestorableInstances({ instanceId: SOURCE }, ctx);
      emulatorClock += 601_000; // the server's clock runs ahead: the cached token is expired there only
      const r = await getRestorableInstances({ instanceId: SOURCE }, ctx);
      expect(r.total).to.equal(5);
      const s = clocked.stats();
      expect(s.authFailures).to.equal(1);
      expect(s.tokensIssued).to.equal(2);
      expect(s.byRoute["iam-token"]).to.equal(2);
      expect(s.byRoute["restorable-instances"]).to.equal(3);
      expect(s.lastRequests.map((x) => `${x.route} ${x.status}`)).to.deep.equal([
        "iam-token 201",
        "restorable-instances 200",
        "restorable-instances 401",
        "iam-token 201",
        "restorable-instances 200",
      ]);
    });
  });

  describe("retryable faults", () => {
    const retried: [string, FaultSpec, number][] = [
      ["503 twice", parseFaultSpec("503:times=2"), 3],
      ["500 once", parseFaultSpec("500:times=1"), 2],
      ["409 DBS.200019 once", parseFaultSpec("409:times=1"), 2],
      ["a connection reset once", parseFaultSpec("reset:times=1"), 2],
      ["an HTML 502 page once", parseFaultSpec("html:times=1"), 2],
      ["an HTML 504 page once", parseFaultSpec("html:504:times=1"), 2],
    ];
    for (const [what, fault, requests] of retried) {
      it(`retries ${what} and succeeds after ${requests} requests`, async () => {
        em.setFaults([{ ...fault, route: "restorable-instances" }]);
        const { ctx, delays } = harness(em, "token");
        const r = await getRestorableInstances({ instanceId: SOURCE }, ctx);
        expect(r.total).to.equal(5);
        expect(count("restorable-instances")).to.equal(requests);
        expect(delays).to.have.length(requests - 1);
        for (const d of delays) expect(d).to.be.below(10);
      });
    }

    it("honours Retry-After on a 429 (the client asks to wait 1000 ms) and succeeds on the second request", async () => {
      em.setFaults([parseFaultSpec("429:retry-after=1:times=1")]);
      const { ctx, delays } = harness(em, "token");
      const r = await getRestoreTimeIntervals({ instanceId: SOURCE }, ctx);
      expect(r.total).to.equal(3);
      expect(count("restorable-time-interval")).to.equal(2);
      expect(delays).to.deep.equal([1000]);
    });

    it("times out a stalled response (requestTimeoutMs 1000) and succeeds on the second request", async () => {
      // The timeouts run on a fake clock: once the stalled request is in flight, its 1 s is
      // made to pass; the second request has all the time it needs.
      em.setFaults([parseFaultSpec("stall:times=1")]);
      const clock = new FakeClock(Date.now());
      const { ctx, delays } = harness(em, "token", {
        overrides: { requestTimeoutMs: 1000, timer: clock.timer },
      });
      const pending = getRestorableInstances({ instanceId: SOURCE }, ctx);
      for (let i = 0; i < 1000 && !em.stats().faults.stall; i++) await new Promise((r) => setTimeout(r, 5));
      expect(clock.timers[0]).to.equal(1000); // the request's; the invoke's deadline is far behind
      clock.advance(1000);
      const r = await pending;
      expect(r.total).to.equal(5);
      expect(count("restorable-instances")).to.equal(2);
      expect(delays).to.have.length(1);
      expect(em.stats().faults).to.deep.equal({ stall: 1 });
    });

    it("retries a 503 from IAM's token call in password mode", async () => {
      em.setFaults([parseFaultSpec("503:route=token:times=1")]);
      const { ctx } = harness(em, "password");
      const r = await getRestorableInstances({ instanceId: SOURCE }, ctx);
      expect(r.total).to.equal(5);
      expect(count("iam-token")).to.equal(2);
      expect(em.stats().tokensIssued).to.equal(1);
    });

    it("retries a reset of IAM's project lookup", async () => {
      em.setFaults([parseFaultSpec("reset:route=projects:times=1")]);
      const { ctx } = harness(em, "token", { projectId: false });
      const r = await getRestorableInstances({ instanceId: SOURCE }, ctx);
      expect(r.projectId).to.equal(CONTRACT_EXAMPLE.projectId);
      expect(count("iam-projects")).to.equal(2);
    });

    it("gives up after maxRetries on a lasting 503: ApiError 503, retryable, attempts = requests = 3", async () => {
      em.setFaults([parseFaultSpec("503")]);
      const { ctx } = harness(em, "token", { env: { HW_MAX_RETRIES: "2" } });
      const e = await failure(getRestorableInstances({ instanceId: SOURCE }, ctx));
      expect(ApiError.isInstance(e)).to.equal(true);
      const api = e as ApiError;
      expect(api.status).to.equal(503);
      expect(api.errorCode).to.equal("APIGW.0202");
      expect(api.retryable).to.equal(true);
      expect(api.attempts).to.equal(3);
      expect(api.requestId).to.match(/^[0-9a-f]{32}$/);
      expect(count("restorable-instances")).to.equal(3);
    });

    it("gives up on a lasting reset with a NetworkError after maxRetries + 1 requests", async () => {
      em.setFaults([parseFaultSpec("reset")]);
      const { ctx } = harness(em, "token", { env: { HW_MAX_RETRIES: "1" } });
      const e = await failure(getRestorableInstances({ instanceId: SOURCE }, ctx));
      expect(NetworkError.isInstance(e)).to.equal(true);
      expect((e as NetworkError).errorCode).to.equal("ECONNRESET");
      expect(count("restorable-instances")).to.equal(2);
    });

    it("adds latency without failing", async () => {
      em.setFaults([parseFaultSpec("latency:30")]);
      const { ctx } = harness(em, "token");
      // A lower bound only: load can lengthen the call, never shorten it.
      const started = Date.now();
      await getRestorableInstances({ instanceId: SOURCE }, ctx);
      expect(Date.now() - started).to.be.at.least(28);
      expect(em.stats().faults).to.deep.equal({ latency: 1 });
    });
  });

  describe("permanent failures", () => {
    it("a 400 is not retried: ApiError 400 DBS.280001 after one request", async () => {
      em.setFaults([parseFaultSpec("400")]);
      const { ctx, delays } = harness(em, "token");
      const e = await failure(getRestorableInstances({ instanceId: SOURCE }, ctx));
      expect(ApiError.isInstance(e)).to.equal(true);
      expect(e).to.include({
        status: 400,
        errorCode: "DBS.280001",
        errorMsg: "Parameter error.",
        attempts: 1,
      });
      expect(count("restorable-instances")).to.equal(1);
      expect(delays).to.deep.equal([]);
    });

    it("an unknown instance: ApiError 404 DBS.280214 after one request", async () => {
      const { ctx } = harness(em, "token");
      const e = await failure(
        getRestoreTimeIntervals({ instanceId: "ffffffffffffffffffffffffffffffffin09" }, ctx),
      );
      expect(ApiError.isInstance(e)).to.equal(true);
      expect(e).to.include({ status: 404, errorCode: "DBS.280214", retryable: false });
      expect(count("restorable-time-interval")).to.equal(1);
    });

    it("a wrong token: ApiError 401 APIGW.0301 after one request, the token in no message", async () => {
      const wrong = "wrong-token-for-the-e2e-test";
      const { ctx } = harness(em, "token", { env: { HW_AUTH_TOKEN: wrong } });
      const e = await failure(getRestorableInstances({ instanceId: SOURCE }, ctx));
      expect(ApiError.isInstance(e)).to.equal(true);
      expect(e).to.include({ status: 401, errorCode: "APIGW.0301" });
      expect(count("restorable-instances")).to.equal(1);
      expect(em.stats().authFailures).to.equal(1);
      expect(String(e)).to.not.contain(wrong);
      expect(JSON.stringify(e)).to.not.contain(wrong);
    });

    it("a wrong secret key: ApiError 401 after one request, no secret or signature in the error", async () => {
      const secret = "a-wrong-secret-key-for-e2e-00000000000000";
      const { ctx } = harness(em, "aksk", { env: { HW_SECRET_KEY: secret } });
      const e = await failure(getRestorableInstances({ instanceId: SOURCE }, ctx));
      expect(ApiError.isInstance(e)).to.equal(true);
      expect(e).to.include({ status: 401, errorCode: "APIGW.0301" });
      expect(count("restorable-instances")).to.equal(1);
      expect(JSON.stringify(e)).to.not.contain(secret).and.not.contain("Signature=");
    });

    it("a wrong password: IAM's 401 after one token request, no DDM request, no password in the error", async () => {
      const password = "a-wrong-password-for-e2e";
      const { ctx } = harness(em, "password", { env: { HW_PASSWORD: password } });
      const e = await failure(getRestorableInstances({ instanceId: SOURCE }, ctx));
      expect(ApiError.isInstance(e)).to.equal(true);
      expect(e).to.include({ status: 401, errorCode: "IAM.0001" });
      expect(count("iam-token")).to.equal(1);
      expect(count("restorable-instances")).to.equal(0);
      expect(JSON.stringify(e)).to.not.contain(password);
    });

    it("malformed JSON on a 200: ResponseError after one request", async () => {
      em.setFaults([parseFaultSpec("malformed")]);
      const { ctx } = harness(em, "token");
      const e = await failure(getRestorableInstances({ instanceId: SOURCE }, ctx));
      expect(ResponseError.isInstance(e)).to.equal(true);
      expect((e as ResponseError).field).to.equal("(body)");
      expect(count("restorable-instances")).to.equal(1);
    });
  });

  describe("paging", () => {
    let big: Emulator;

    before(async () => {
      big = await startEmulator({ data: generateFixture({ instances: 1000, windows: 300, seed: 3 }) });
    });
    beforeEach(() => {
      big.resetStats();
      big.setFaults([]);
    });
    after(async () => {
      await big.close();
    });

    it("walks 1000 instances in ceil(1000/128) = 8 requests, every record once and in order", async () => {
      const { ctx } = harness(big, "token");
      const r = await getRestorableInstances({ instanceId: SOURCE }, ctx);
      const expected = big.data().projects[0].instances[0].restorableInstances.map((i) => i.instance_id);
      expect(r.instances.map((i) => i.instanceId)).to.deep.equal(expected);
      expect(r.total).to.equal(1000);
      expect(big.stats().byRoute["restorable-instances"]).to.equal(8);
    });

    it("honours a page size override: 300 windows in pages of 100 is 3 requests", async () => {
      const { ctx } = harness(big, "token", { overrides: { paging: { pageSize: 100 } } });
      const r = await getRestoreTimeIntervals({ instanceId: SOURCE }, ctx);
      expect(r.intervals).to.have.length(300);
      expect(big.stats().byRoute["restorable-time-interval"]).to.equal(3);
    });

    it("offset 250, limit 20 returns records 250..269 in one request", async () => {
      const { ctx } = harness(big, "token");
      const r = await getRestorableInstances({ instanceId: SOURCE, offset: 250, limit: 20 }, ctx);
      const expected = big
        .data()
        .projects[0].instances[0].restorableInstances.slice(250, 270)
        .map((i) => i.instance_id);
      expect(r.instances.map((i) => i.instanceId)).to.deep.equal(expected);
      expect(big.stats().byRoute["restorable-instances"]).to.equal(1);
    });

    it("a list that shrinks after the first page is walked again, without duplicates", async () => {
      big.setFaults([parseFaultSpec("shrink:route=instances")]);
      const { ctx } = harness(big, "token");
      const r = await getRestorableInstances({ instanceId: SOURCE }, ctx);
      const ids = r.instances.map((i) => i.instanceId);
      expect(new Set(ids).size).to.equal(ids.length);
      expect(r.total).to.equal(999);
      const expected = big
        .data()
        .projects[0].instances[0].restorableInstances.slice(1)
        .map((i) => i.instance_id);
      expect(ids).to.deep.equal(expected);
      // The first walk stops at the page that shows the shrink (pages already in flight are
      // aborted; some may have reached the server), then one full walk of 8 pages.
      expect(big.stats().byRoute["restorable-instances"]).to.be.within(8 + 2, 8 + 1 + 4);
    });

    it("a list that keeps moving is returned with a warning, without duplicates", async () => {
      big.setFaults([
        parseFaultSpec("shrink:route=instances"),
        parseFaultSpec("grow:3:route=instances:after=9"),
      ]);
      const { ctx } = harness(big, "token");
      const r = await getRestorableInstances({ instanceId: SOURCE }, ctx);
      const ids = r.instances.map((i) => i.instanceId);
      expect(new Set(ids).size).to.equal(ids.length);
      expect(r.warnings).to.have.length.greaterThan(0);
      expect(r.warnings.join(" ")).to.match(/moved|changed/);
    });
  });
});
