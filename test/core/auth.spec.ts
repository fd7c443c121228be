import { expect } from "chai";
import nock from "nock";
import { DdmClient } from "../../provider/client";
import { ApiError, ConfigurationError, HwddmError, ResponseError } from "../../provider/errors";
import { formatSdkDate, parseAuthorization, verifyRequest } from "../../provider/signer";
import { AuthConfig, ClientOverrides, ResolvedConfig } from "../../provider/types";
import { TokenCache, parseTokenResponse, passwordTokenBody } from "../../provider/auth";

const REGION = "ap-southeast-1";
const DDM = `https://ddm.${REGION}.myhuaweicloud.com`;
const IAM = `https://iam.${REGION}.myhuaweicloud.com`;
const PROJECT = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";
const PATH = `/v3/${PROJECT}/instances/inst-1/backups/restorable-instances`;

const TOKEN = "MIIToken-static-secret-value";
const AK = "HPUAEXAMPLEAK";
const SK = "sk-example-secret-key-value";
const ST = "security-token-secret-value";
const PASSWORD = "P@ssw0rd-secret-value";

const T0 = Date.parse("2025-05-20T10:00:00.000Z");

function config(auth: AuthConfig, extra: Partial<ResolvedConfig> = {}): ResolvedConfig {
  return {
    region: REGION,
    projectId: PROJECT,
    endpoint: DDM,
    authUrl: `${IAM}/v3`,
    auth,
    maxRetries: 2,
    requestTimeoutMs: 5000,
    insecure: false,
    ...extra,
  };
}

const PASSWORD_AUTH: AuthConfig = {
  mode: "password",
  domainName: "acme",
  userName: "ci-bot",
  password: PASSWORD,
};

/** A clock the test moves, and fast retries. */
function harness(extra: ClientOverrides = {}) {
  const clock = { ms: T0 };
  const logs: string[] = [];
  const overrides: ClientOverrides = {
    now: () => new Date(clock.ms),
    sleep: async () => {},
    retry: { baseDelayMs: 1 },
    log: (l) => logs.push(l),
    ...extra,
  };
  return { clock, logs, overrides };
}

function tokenReply(token: string, expiresAtMs: number, projectId?: string) {
  const body: Record<string, unknown> = {
    token: { expires_at: new Date(expiresAtMs).toISOString().replace("Z", "000Z"), methods: ["password"] },
  };
  if (projectId) (body.token as Record<string, unknown>).project = { id: projectId, name: REGION };
  return [201, body, { "X-Subject-Token": token, "Content-Type": "application/json" }] as const;
}

const OK_BODY = { instances: [], offset: 0, limit: 128, total: 0 };

/** Inside each top-level describe (a file-level hook would run after every spec in the suite). */
function checkNockAfterEach(): void {
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    expect(pending, "every nock interceptor was used").to.deep.equal([]);
  });
}

function secretFree(text: string, secrets: string[]): void {
  for (const s of secrets) expect(text, `leaked ${s.slice(0, 6)}…`).not.to.include(s);
}

function everyRendering(e: unknown): string {
  const err = e as Error;
  return [
    String(err),
    err.message,
    err.stack ?? "",
    JSON.stringify(err),
    String((err.cause as string | undefined) ?? ""),
  ].join("\n");
}

describe("auth: IAM token", () => {
  checkNockAfterEach();

  it("sends the token as X-Auth-Token and nothing signed", async () => {
    let headers: Record<string, string> = {};
    nock(DDM)
      .get(PATH)
      .query({ offset: 0, limit: 128 })
      .reply(function () {
        headers = this.req.headers;
        return [200, OK_BODY];
      });
    const { overrides } = harness();
    const c = new DdmClient(config({ mode: "token", token: TOKEN }), overrides);
    const r = await c.getJson(PATH, { offset: 0, limit: 128 });
    expect(r.data).to.deep.equal(OK_BODY);
    expect(headers["x-auth-token"]).to.equal(TOKEN);
    expect(headers.authorization).to.equal(undefined);
    expect(headers["x-sdk-date"]).to.equal(undefined);
  });
});

describe("auth: AK/SK signing", () => {
  checkNockAfterEach();

  function captureInto(store: { headers?: Record<string, string>; uri?: string; body?: string }) {
    return function (this: { req: { headers: Record<string, string> } }, uri: string, body: unknown) {
      store.headers = { ...this.req.headers };
      store.uri = uri;
      store.body = typeof body === "string" ? body : body === undefined ? "" : JSON.stringify(body);
      return [200, OK_BODY] as [number, unknown];
    };
  }

  function verify(
    store: { headers?: Record<string, string>; uri?: string; body?: string },
    method: string,
    now: Date,
  ) {
    const [path, rawQuery = ""] = store.uri!.split("?");
    return verifyRequest(
      { method, path, rawQuery, headers: store.headers!, body: store.body ?? "" },
      (ak) => (ak === AK ? SK : undefined),
      now,
    );
  }

  it("signs with SDK-HMAC-SHA256: X-Sdk-Date, host, X-Project-Id signed, and the signature verifies", async () => {
    const got: { headers?: Record<string, string>; uri?: string } = {};
    nock(DDM).get(PATH).query({ offset: 256, limit: 128 }).reply(captureInto(got));
    const { overrides, clock } = harness();
    const c = new DdmClient(config({ mode: "aksk", accessKey: AK, secretKey: SK }), overrides);
    await c.getJson(PATH, { offset: 256, limit: 128 });

    const h = got.headers!;
    expect(h["x-sdk-date"]).to.equal(formatSdkDate(new Date(clock.ms)));
    expect(h["x-sdk-date"]).to.match(/^\d{8}T\d{6}Z$/);
    expect(h["x-project-id"]).to.equal(PROJECT);
    expect(h["x-security-token"]).to.equal(undefined);
    expect(h["x-auth-token"]).to.equal(undefined);
    const auth = parseAuthorization(h.authorization);
    expect(auth).to.not.equal(undefined);
    expect(auth!.algorithm).to.equal("SDK-HMAC-SHA256");
    expect(auth!.accessKey).to.equal(AK);
    expect(auth!.signature).to.match(/^[0-9a-f]{64}$/);
    expect(auth!.signedHeaders).to.include.members([
      "host",
      "x-sdk-date",
      "x-project-id",
      "accept",
      "user-agent",
    ]);
    expect(auth!.signedHeaders).to.deep.equal([...auth!.signedHeaders].sort());
    expect(verify(got, "GET", new Date(clock.ms))).to.deep.equal({ ok: true, accessKey: AK });
  });

  it("adds and signs X-Security-Token for temporary credentials", async () => {
    const got: { headers?: Record<string, string>; uri?: string } = {};
    nock(DDM).get(PATH).query({ offset: 0, limit: 10 }).reply(captureInto(got));
    const { overrides, clock } = harness();
    const c = new DdmClient(
      config({ mode: "aksk", accessKey: AK, secretKey: SK, securityToken: ST }),
      overrides,
    );
    await c.getJson(PATH, { offset: 0, limit: 10 });
    expect(got.headers!["x-security-token"]).to.equal(ST);
    expect(parseAuthorization(got.headers!.authorization)!.signedHeaders).to.include("x-security-token");
    expect(verify(got, "GET", new Date(clock.ms))).to.deep.equal({ ok: true, accessKey: AK });
  });

  it("signs query values that need encoding so that the server-side check accepts them", async () => {
    const got: { headers?: Record<string, string>; uri?: string } = {};
    nock(DDM).get(PATH).query({ name: "a b/c*", offset: 0 }).reply(captureInto(got));
    const { overrides, clock } = harness();
    const c = new DdmClient(config({ mode: "aksk", accessKey: AK, secretKey: SK }), overrides);
    await c.getJson(PATH, { name: "a b/c*", offset: 0 });
    expect(verify(got, "GET", new Date(clock.ms)).ok).to.equal(true);
  });

  it("re-signs each retry with the time of that attempt", async () => {
    const first: { headers?: Record<string, string>; uri?: string } = {};
    const second: { headers?: Record<string, string>; uri?: string } = {};
    const { overrides, clock } = harness({ sleep: async () => void (clock.ms += 2000) });
    nock(DDM)
      .get(PATH)
      .reply(function () {
        first.headers = { ...this.req.headers };
        return [503, { error_code: "DBS.000001", error_msg: "busy" }];
      })
      .get(PATH)
      .reply(captureInto(second));
    const c = new DdmClient(config({ mode: "aksk", accessKey: AK, secretKey: SK }), overrides);
    await c.getJson(PATH, {});
    expect(first.headers!["x-sdk-date"]).to.equal(formatSdkDate(new Date(T0)));
    expect(second.headers!["x-sdk-date"]).to.equal(formatSdkDate(new Date(T0 + 2000)));
  });

  it("looks up the project id with a signed IAM call (no X-Project-Id) and then sends it to DDM", async () => {
    const iam: { headers?: Record<string, string>; uri?: string } = {};
    const ddm: { headers?: Record<string, string>; uri?: string } = {};
    nock(IAM)
      .get("/v3/projects")
      .query({ name: REGION })
      .reply(function (uri) {
        iam.headers = { ...this.req.headers };
        iam.uri = uri;
        return [200, { projects: [{ id: "proj-looked-up", name: REGION }] }];
      });
    nock(DDM).get("/v3/proj-looked-up/x").reply(captureInto(ddm));
    const { overrides, clock } = harness();
    const c = new DdmClient(
      config({ mode: "aksk", accessKey: AK, secretKey: SK }, { projectId: undefined }),
      overrides,
    );
    expect(await c.projectId()).to.equal("proj-looked-up");
    await c.getJson("/v3/proj-looked-up/x", {});
    expect(iam.headers!["x-project-id"]).to.equal(undefined);
    expect(verify(iam, "GET", new Date(clock.ms)).ok).to.equal(true);
    expect(ddm.headers!["x-project-id"]).to.equal("proj-looked-up");
    expect(verify(ddm, "GET", new Date(clock.ms)).ok).to.equal(true);
  });
});

describe("auth: IAM password", () => {
  checkNockAfterEach();

  it("exchanges domain, user and password for a token scoped to the region's project, and sends it", async () => {
    let tokenBody: unknown;
    let tokenHeaders: Record<string, string> = {};
    let ddmHeaders: Record<string, string> = {};
    nock(IAM)
      .post("/v3/auth/tokens", (b) => {
        tokenBody = b;
        return true;
      })
      .reply(function () {
        tokenHeaders = { ...this.req.headers };
        return tokenReply("tok-issued-1", T0 + 24 * 3600_000) as unknown as [number, unknown];
      });
    nock(DDM)
      .get(PATH)
      .reply(function () {
        ddmHeaders = { ...this.req.headers };
        return [200, OK_BODY];
      });
    const { overrides } = harness();
    const c = new DdmClient(config(PASSWORD_AUTH, { projectId: undefined }), overrides);
    await c.getJson(PATH, {});
    expect(tokenBody).to.deep.equal({
      auth: {
        identity: {
          methods: ["password"],
          password: { user: { name: "ci-bot", password: PASSWORD, domain: { name: "acme" } } },
        },
        scope: { project: { name: REGION } },
      },
    });
    expect(tokenHeaders["content-type"]).to.match(/^application\/json/);
    expect(tokenHeaders["x-auth-token"]).to.equal(undefined);
    expect(ddmHeaders["x-auth-token"]).to.equal("tok-issued-1");
  });

  it("scopes the token by project id when the project id is configured", () => {
    const body = JSON.parse(passwordTokenBody(PASSWORD_AUTH, { region: REGION, projectId: "p-123" }));
    expect(body.auth.scope).to.deep.equal({ project: { id: "p-123" } });
  });

  it("caches the token across calls until shortly before it expires, then fetches a new one", async () => {
    const { overrides, clock } = harness();
    nock(IAM)
      .post("/v3/auth/tokens")
      .reply(...tokenReply("tok-A", T0 + 3600_000))
      .post("/v3/auth/tokens")
      .reply(...tokenReply("tok-B", T0 + 7200_000));
    const seen: string[] = [];
    nock(DDM)
      .get(PATH)
      .times(4)
      .reply(function () {
        seen.push(String(this.req.headers["x-auth-token"]));
        return [200, OK_BODY];
      });
    const c = new DdmClient(config(PASSWORD_AUTH), overrides);
    await c.getJson(PATH, {});
    await c.getJson(PATH, {});
    clock.ms = T0 + 54 * 60_000; // 6 minutes before expiry: still fresh (skew is 5 minutes)
    await c.getJson(PATH, {});
    clock.ms = T0 + 56 * 60_000; // 4 minutes before expiry: replaced
    await c.getJson(PATH, {});
    expect(seen).to.deep.equal(["tok-A", "tok-A", "tok-A", "tok-B"]);
    expect(c.tokenFetches).to.equal(2);
  });

  it("on a 401 from DDM fetches a new token once and repeats the request, which then succeeds", async () => {
    const { overrides } = harness();
    nock(IAM)
      .post("/v3/auth/tokens")
      .reply(...tokenReply("tok-revoked", T0 + 3600_000))
      .post("/v3/auth/tokens")
      .reply(...tokenReply("tok-fresh", T0 + 3600_000));
    nock(DDM)
      .get(PATH)
      .matchHeader("x-auth-token", "tok-revoked")
      .reply(401, { error_code: "APIGW.0307", error_msg: "The token must be updated." })
      .get(PATH)
      .matchHeader("x-auth-token", "tok-fresh")
      .reply(200, OK_BODY, { "X-Request-Id": "req-after-refresh" });
    const c = new DdmClient(config(PASSWORD_AUTH), overrides);
    const r = await c.getJson(PATH, {});
    expect(r.status).to.equal(200);
    expect(r.requestId).to.equal("req-after-refresh");
    expect(r.attempts).to.equal(2);
    expect(c.tokenFetches).to.equal(2);
  });

  it("fails with the 401 when the fresh token is refused too (one refresh only, no retry)", async () => {
    const { overrides } = harness();
    nock(IAM)
      .post("/v3/auth/tokens")
      .reply(...tokenReply("tok-1", T0 + 3600_000))
      .post("/v3/auth/tokens")
      .reply(...tokenReply("tok-2", T0 + 3600_000));
    nock(DDM).get(PATH).times(2).reply(
      401,
      { error_code: "APIGW.0301", error_msg: "Incorrect IAM authentication information" },
      {
        "X-Request-Id": "rid-401",
      },
    );
    const c = new DdmClient(config(PASSWORD_AUTH), overrides);
    const e = await c.getJson(PATH, {}).catch((x: unknown) => x);
    expect(ApiError.isInstance(e)).to.equal(true);
    const err = e as ApiError;
    expect(err.status).to.equal(401);
    expect(err.errorCode).to.equal("APIGW.0301");
    expect(err.attempts).to.equal(2);
    expect(err.retryable).to.equal(false);
    expect(err.requestId).to.equal("rid-401");
    expect(c.tokenFetches).to.equal(2);
  });

  it("shares one in-flight token request among concurrent callers", async () => {
    const { overrides } = harness();
    nock(IAM)
      .post("/v3/auth/tokens")
      .delay(20)
      .reply(...tokenReply("tok-shared", T0 + 3600_000));
    nock(DDM).get(PATH).times(5).matchHeader("x-auth-token", "tok-shared").reply(200, OK_BODY);
    const c = new DdmClient(config(PASSWORD_AUTH), overrides);
    const all = await Promise.all([1, 2, 3, 4, 5].map(() => c.getJson(PATH, {})));
    expect(all.map((r) => r.status)).to.deep.equal([200, 200, 200, 200, 200]);
    expect(c.tokenFetches).to.equal(1);
  });

  it("refuses wrong credentials with an IAM ApiError, not retried", async () => {
    const { overrides } = harness();
    nock(IAM)
      .post("/v3/auth/tokens")
      .reply(401, {
        error: { code: 401, message: "The username or password is wrong.", title: "Unauthorized" },
      });
    const c = new DdmClient(config(PASSWORD_AUTH), overrides);
    const e = (await c.getJson(PATH, {}).catch((x: unknown) => x)) as ApiError;
    expect(ApiError.isInstance(e)).to.equal(true);
    expect(e.status).to.equal(401);
    expect(e.errorCode).to.equal("401");
    expect(e.errorMsg).to.equal("The username or password is wrong.");
    expect(e.path).to.equal("/v3/auth/tokens");
    expect(e.message).to.match(/^IAM API POST \/v3\/auth\/tokens failed with HTTP 401/);
    expect(e.attempts).to.equal(1);
  });

  it("refuses a token answer without X-Subject-Token as a ResponseError naming the header and IAM", async () => {
    const { overrides } = harness();
    nock(IAM)
      .post("/v3/auth/tokens")
      .reply(201, { token: { expires_at: "2025-05-21T10:00:00.000000Z" } });
    const c = new DdmClient(config(PASSWORD_AUTH), overrides);
    const e = await c.getJson(PATH, {}).catch((x: unknown) => x);
    expect(ResponseError.isInstance(e)).to.equal(true);
    expect((e as ResponseError).field).to.equal("X-Subject-Token");
    expect((e as ResponseError).message).to.match(/^malformed IAM API response to POST \/v3\/auth\/tokens/);
  });

  it("reads IAM's microsecond expires_at and the token's project id", () => {
    const t = parseTokenResponse(
      { "x-subject-token": "tok-parse-me" },
      { token: { expires_at: "2025-05-21T09:40:40.123456Z", project: { id: "p-9", name: REGION } } },
      { status: 201, requestId: "", method: "POST", path: "/v3/auth/tokens" },
    );
    expect(t).to.deep.equal({
      token: "tok-parse-me",
      expiresAtMs: Date.parse("2025-05-21T09:40:40.123Z"),
      projectId: "p-9",
    });
    expect(() =>
      parseTokenResponse(
        { "x-subject-token": "tok-parse-me" },
        { token: { expires_at: "tomorrow" } },
        {
          status: 201,
          requestId: "",
          method: "POST",
          path: "/v3/auth/tokens",
        },
      ),
    ).to.throw(/token\.expires_at/);
  });

  it("refreshes a short-lived token halfway through its life rather than on every call", async () => {
    let fetches = 0;
    let now = 0;
    const cache = new TokenCache(
      async () => ({ token: `t${++fetches}`, expiresAtMs: now + 60_000 }),
      () => now,
      5 * 60_000,
    );
    expect((await cache.get()).token).to.equal("t1");
    now = 29_000;
    expect((await cache.get()).token).to.equal("t1");
    now = 31_000;
    expect((await cache.get()).token).to.equal("t2");
  });

  it("drops a failed token fetch so that the next caller tries again", async () => {
    let calls = 0;
    const cache = new TokenCache(
      async () => {
        calls++;
        if (calls === 1) throw new Error("iam down");
        return { token: "t-ok", expiresAtMs: 10 * 3600_000 };
      },
      () => 0,
    );
    await cache.get().catch(() => undefined);
    expect((await cache.get()).token).to.equal("t-ok");
    expect(calls).to.equal(2);
  });

  it("does not fail a joining caller with the first caller's deadline: it fetches again with its own", async () => {
    let now = 0;
    const deadlines: (number | undefined)[] = [];
    const pending: {
      resolve: (t: { token: string; expiresAtMs: number }) => void;
      reject: (e: unknown) => void;
    }[] = [];
    const cache = new TokenCache(
      (deadlineAt) => {
        deadlines.push(deadlineAt);
        return new Promise((resolve, reject) => pending.push({ resolve, reject }));
      },
      () => now,
    );
    const first = cache.get(100);
    const second = cache.get(200);
    first.catch(() => undefined);
    expect(deadlines).to.deep.equal([100]);
    // The first caller's budget runs out on a retryable fault (IAM 503).
    now = 150;
    pending[0].reject(
      new ApiError({
        status: 503,
        request: { method: "POST", path: "/v3/auth/tokens", attempts: 3 },
        retryable: true,
      }),
    );
    expect(ApiError.isInstance(await first.catch((e: unknown) => e))).to.equal(true);
    await new Promise((r) => setImmediate(r));
    expect(deadlines).to.deep.equal([100, 200]);
    pending[1].resolve({ token: "t-second", expiresAtMs: 10 * 3600_000 });
    expect((await second).token).to.equal("t-second");
  });

  it("shares a refusal (not retryable) with every caller waiting on the fetch", async () => {
    let calls = 0;
    const cache = new TokenCache(
      async () => {
        calls++;
        throw new ApiError({
          status: 401,
          request: { method: "POST", path: "/v3/auth/tokens", attempts: 1 },
        });
      },
      () => 0,
    );
    const results = await Promise.all(
      [cache.get(100), cache.get(200)].map((p) => p.catch((e: unknown) => e)),
    );
    expect(results.every((e) => ApiError.isInstance(e))).to.equal(true);
    expect(calls).to.equal(1);
  });

  it("refuses a token whose expires_at is already past with one clear error, not a password exchange per page", async () => {
    const { overrides } = harness();
    nock(IAM)
      .post("/v3/auth/tokens")
      .reply(...tokenReply("tok-expired-on-arrival", T0 - 60_000));
    const c = new DdmClient(config(PASSWORD_AUTH), overrides);
    const e = await c.getJson(PATH, {}).catch((x: unknown) => x);
    expect(ResponseError.isInstance(e), String(e)).to.equal(true);
    expect((e as ResponseError).field).to.equal("token.expires_at");
    expect(String(e)).to.match(
      /malformed IAM API response.*already past by this machine's clock.*check the system clock/,
    );
    expect(String(e)).not.to.include("tok-expired-on-arrival");
    expect(c.tokenFetches).to.equal(1);
  });
});

describe("auth: project id lookup", () => {
  checkNockAfterEach();

  it("returns the configured project id without any request", async () => {
    const c = new DdmClient(config({ mode: "token", token: TOKEN }), harness().overrides);
    expect(await c.projectId()).to.equal(PROJECT);
  });

  it("looks the project up by region name with the token, once per region", async () => {
    nock(IAM)
      .get("/v3/projects")
      .query({ name: REGION })
      .matchHeader("x-auth-token", TOKEN)
      .reply(200, {
        projects: [
          { id: "p-region", name: REGION },
          { id: "p-sub", name: `${REGION}_sub` },
        ],
      });
    const c = new DdmClient(
      config({ mode: "token", token: TOKEN }, { projectId: undefined }),
      harness().overrides,
    );
    const ids = await Promise.all([c.projectId(), c.projectId()]);
    expect(ids).to.deep.equal(["p-region", "p-region"]);
    expect(await c.projectId()).to.equal("p-region");
  });

  it("takes the project id from the password token without a projects call", async () => {
    nock(IAM)
      .post("/v3/auth/tokens")
      .reply(...tokenReply("tok-with-project", T0 + 3600_000, "p-from-token"));
    const c = new DdmClient(config(PASSWORD_AUTH, { projectId: undefined }), harness().overrides);
    expect(await c.projectId()).to.equal("p-from-token");
  });

  it("says so, and how to set projectId, when no project has the region's name", async () => {
    nock(IAM).get("/v3/projects").query({ name: REGION }).reply(200, { projects: [] });
    const c = new DdmClient(
      config({ mode: "token", token: TOKEN }, { projectId: undefined }),
      harness().overrides,
    );
    const e = await c.projectId().catch((x: unknown) => x);
    expect(ConfigurationError.isInstance(e)).to.equal(true);
    expect((e as ConfigurationError).keys).to.deep.equal(["projectId"]);
    expect(String(e)).to.include(`IAM has no project named "${REGION}"`);
    expect(String(e)).to.include("hwddm:projectId");
    expect(String(e)).to.include("$HW_PROJECT_ID");
    expect(String(e)).to.include("$HUAWEICLOUD_SDK_PROJECT_ID");
  });

  it("says so, listing the ids, when several projects have the region's name", async () => {
    nock(IAM)
      .get("/v3/projects")
      .query({ name: REGION })
      .reply(200, {
        projects: [
          { id: "p-one", name: REGION },
          { id: "p-two", name: REGION },
        ],
      });
    const c = new DdmClient(
      config({ mode: "token", token: TOKEN }, { projectId: undefined }),
      harness().overrides,
    );
    const e = await c.projectId().catch((x: unknown) => x);
    expect(ConfigurationError.isInstance(e)).to.equal(true);
    expect(String(e)).to.include(`IAM has 2 projects named "${REGION}" (ids "p-one", "p-two")`);
    expect(String(e)).to.include("the `projectId` function argument");
  });

  it("tries the lookup again after a failure instead of caching the error", async () => {
    nock(IAM)
      .get("/v3/projects")
      .query({ name: REGION })
      .reply(403, { error_code: "IAM.0003", error_msg: "Policy doesn't allow" })
      .get("/v3/projects")
      .query({ name: REGION })
      .reply(200, { projects: [{ id: "p-later", name: REGION }] });
    const c = new DdmClient(
      config({ mode: "token", token: TOKEN }, { projectId: undefined }),
      harness().overrides,
    );
    const e = await c.projectId().catch((x: unknown) => x);
    expect((e as ApiError).status).to.equal(403);
    expect(await c.projectId()).to.equal("p-later");
  });

  describe("password auth without a project id, when IAM knows no project named after the region", () => {
    /** The token-mode message for the same situation (the lookup finds no project). */
    async function tokenModeMessage(): Promise<string> {
      nock(IAM).get("/v3/projects").query({ name: REGION }).reply(200, { projects: [] });
      const c = new DdmClient(
        config({ mode: "token", token: TOKEN }, { projectId: undefined }),
        harness().overrides,
      );
      return ((await c.projectId().catch((x: unknown) => x)) as Error).message;
    }

    const unknownScope: [string, number, object][] = [
      [
        "Huawei's 400 IAM.0012",
        400,
        { error_code: "IAM.0012", error_msg: "The project in the scope does not exist." },
      ],
      [
        "a Keystone-style 401 'Could not find project'",
        401,
        { error: { code: 401, message: `Could not find project: ${REGION}.`, title: "Unauthorized" } },
      ],
    ];
    for (const [what, status, body] of unknownScope) {
      it(`turns ${what} to the name-scoped token request into the token-mode ConfigurationError`, async () => {
        const expected = await tokenModeMessage();
        nock(IAM)
          .post(
            "/v3/auth/tokens",
            (b: { auth: { scope: unknown } }) =>
              JSON.stringify(b.auth.scope) === JSON.stringify({ project: { name: REGION } }),
          )
          .times(2)
          .reply(status, body);
        const c = new DdmClient(config(PASSWORD_AUTH, { projectId: undefined }), harness().overrides);
        // Through the project id (what the functions ask first) and through a DDM request.
        for (const call of [() => c.projectId(), () => c.getJson(PATH, {})]) {
          const e = await call().catch((x: unknown) => x);
          expect(ConfigurationError.isInstance(e), String(e)).to.equal(true);
          expect(ApiError.isInstance(e)).to.equal(false);
          expect((e as ConfigurationError).keys).to.deep.equal(["projectId"]);
          const message = (e as Error).message;
          // The same builder: the token-mode sentence, plus what IAM answered.
          const [head, tail] = expected.split(" for these credentials");
          expect(
            message.startsWith(
              `${head} for these credentials (IAM refused a token scoped to it: HTTP ${status}`,
            ),
          ).to.equal(true, message);
          expect(message.endsWith(tail)).to.equal(true, message);
          expect(message).not.to.include(PASSWORD);
        }
        expect(c.tokenFetches).to.equal(2);
      });
    }

    it("keeps a wrong password an ApiError (only an unknown project is a configuration problem)", async () => {
      nock(IAM)
        .post("/v3/auth/tokens")
        .reply(401, { error_code: "IAM.0001", error_msg: "The username or password is wrong." });
      const c = new DdmClient(config(PASSWORD_AUTH, { projectId: undefined }), harness().overrides);
      const e = await c.projectId().catch((x: unknown) => x);
      expect(ApiError.isInstance(e)).to.equal(true);
      expect((e as ApiError).errorCode).to.equal("IAM.0001");
    });

    it("keeps IAM.0012 an ApiError when the token is scoped by a configured project id", async () => {
      nock(IAM)
        .post("/v3/auth/tokens")
        .reply(400, { error_code: "IAM.0012", error_msg: "The project in the scope does not exist." });
      const c = new DdmClient(config(PASSWORD_AUTH), harness().overrides);
      const e = await c.getJson(PATH, {}).catch((x: unknown) => x);
      expect(ApiError.isInstance(e)).to.equal(true);
      expect((e as ApiError).status).to.equal(400);
    });
  });

  it("refuses a projects answer without a projects array as a ResponseError", async () => {
    nock(IAM).get("/v3/projects").query({ name: REGION }).reply(200, { items: [] });
    const c = new DdmClient(
      config({ mode: "token", token: TOKEN }, { projectId: undefined }),
      harness().overrides,
    );
    const e = await c.projectId().catch((x: unknown) => x);
    expect(ResponseError.isInstance(e)).to.equal(true);
    expect((e as ResponseError).field).to.equal("projects");
  });
});

describe("auth: secrets never appear in errors or logs", () => {
  checkNockAfterEach();

  const failures = (scope: nock.Scope) =>
    scope
      .get(PATH)
      .reply(
        403,
        { error_code: "APIGW.0302", error_msg: "The IAM user is forbidden" },
        { "X-Request-Id": "r-1" },
      );

  it("token mode: the token is in no error rendering or log line", async () => {
    failures(nock(DDM));
    const { overrides, logs } = harness();
    const c = new DdmClient(config({ mode: "token", token: TOKEN }), overrides);
    const e = await c.getJson(PATH, {}).catch((x: unknown) => x);
    expect(HwddmError.isInstance(e)).to.equal(true);
    secretFree(everyRendering(e) + logs.join("\n"), [TOKEN]);
  });

  it("AK/SK mode: the secret key, security token and signature are in no error rendering or log line", async () => {
    let signature = "";
    nock(DDM)
      .get(PATH)
      .reply(function () {
        signature = parseAuthorization(String(this.req.headers.authorization))!.signature;
        return [401, { error_code: "APIGW.0301", error_msg: "Incorrect IAM authentication information" }];
      });
    const { overrides, logs } = harness();
    const c = new DdmClient(
      config({ mode: "aksk", accessKey: AK, secretKey: SK, securityToken: ST }),
      overrides,
    );
    const e = await c.getJson(PATH, {}).catch((x: unknown) => x);
    expect((e as ApiError).status).to.equal(401);
    expect(signature).to.match(/^[0-9a-f]{64}$/);
    secretFree(everyRendering(e) + logs.join("\n"), [SK, ST, signature]);
  });

  it("password mode: the password and tokens are in no error rendering or log line, even when IAM echoes them", async () => {
    nock(IAM)
      .post("/v3/auth/tokens")
      .reply(...tokenReply("tok-password-mode-secret", T0 + 3600_000));
    nock(DDM)
      .get(PATH)
      .reply(401, { error_code: "APIGW.0307", error_msg: "token tok-password-mode-secret expired" });
    nock(IAM)
      .post("/v3/auth/tokens")
      .reply(400, { error: { code: 400, message: `bad password ${PASSWORD}` } });
    const { overrides, logs } = harness();
    const c = new DdmClient(config(PASSWORD_AUTH), overrides);
    const e = await c.getJson(PATH, {}).catch((x: unknown) => x);
    expect(ApiError.isInstance(e)).to.equal(true);
    expect((e as ApiError).path).to.equal("/v3/auth/tokens");
    secretFree(everyRendering(e) + logs.join("\n"), [PASSWORD, "tok-password-mode-secret"]);
  });
});
