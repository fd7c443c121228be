import { expect } from "chai";
import nock from "nock";
import { DdmClient, clientFor, configKey, errorFields, resetClients } from "../../provider/client";
import { resolveConfig } from "../../provider/config";
import { ApiError, NetworkError, ResponseError, ValidationError } from "../../provider/errors";
import { DEFAULTS } from "../../provider/defaults";
import { ClientOverrides, ResolvedConfig } from "../../provider/types";
import { FakeClock, stalledReply } from "../support/fake-clock";

const DDM = "https://ddm.ap-southeast-1.myhuaweicloud.com";
const PATH = "/v3/p1/instances/i1/backups/restorable-instances";
const OK = { instances: [], offset: 0, limit: 128, total: 0 };
const TOKEN = "client-spec-token-secret";

function config(extra: Partial<ResolvedConfig> = {}): ResolvedConfig {
  return {
    region: "ap-southeast-1",
    projectId: "p1",
    endpoint: DDM,
    authUrl: "https://iam.ap-southeast-1.myhuaweicloud.com/v3",
    auth: { mode: "token", token: TOKEN },
    maxRetries: 1,
    requestTimeoutMs: 5000,
    insecure: false,
    ...extra,
  };
}

function fast(extra: ClientOverrides = {}): ClientOverrides {
  return { sleep: async () => {}, retry: { baseDelayMs: 1 }, ...extra };
}

async function failure(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error("expected a failure");
    },
    (e: unknown) => e,
  );
}

/** Inside each top-level describe (a file-level hook would run after every spec in the suite). */
function checkNockAfterEach(): void {
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    expect(pending, "every nock interceptor was used").to.deep.equal([]);
  });
}

describe("client: successful answers", () => {
  checkNockAfterEach();

  it("returns status, parsed data, request id, method, path with query and attempts", async () => {
    nock(DDM).get(PATH).query({ offset: 128, limit: 128 }).reply(200, OK, { "X-Request-Id": "req-ok-1" });
    const c = new DdmClient(config(), fast());
    const r = await c.getJson(PATH, { offset: 128, limit: 128 });
    expect(r).to.deep.equal({
      status: 200,
      data: OK,
      requestId: "req-ok-1",
      method: "GET",
      path: `${PATH}?offset=128&limit=128`,
      attempts: 1,
    });
  });

  it("keeps an endpoint's path prefix in front of the request path", async () => {
    nock("https://gw.example.com").get(`/ddm${PATH}`).reply(200, OK);
    const c = new DdmClient(config({ endpoint: "https://gw.example.com/ddm" }), fast());
    const r = await c.getJson(PATH, {});
    expect(r.path).to.equal(`/ddm${PATH}`);
  });

  it("reads a gzip-compressed body", async () => {
    const { gzipSync } = await import("node:zlib");
    nock(DDM)
      .get(PATH)
      .reply(200, gzipSync(JSON.stringify(OK)), {
        "Content-Encoding": "gzip",
        "Content-Type": "application/json",
      });
    const c = new DdmClient(config(), fast());
    expect((await c.getJson(PATH, {})).data).to.deep.equal(OK);
  });

  it("logs one line per attempt with method, path, status and time, and never a header", async () => {
    nock(DDM)
      .get(PATH)
      .query({ limit: 1 })
      .reply(502, "bad gateway")
      .get(PATH)
      .query({ limit: 1 })
      .reply(200, OK);
    const logs: string[] = [];
    const c = new DdmClient(config(), fast({ log: (l) => logs.push(l), random: () => 0 }));
    await c.getJson(PATH, { limit: 1 });
    expect(logs).to.have.length(3);
    expect(logs[0]).to.match(new RegExp(`^GET ${PATH}\\?limit=1 -> 502 \\(\\d+ ms\\)$`));
    expect(logs[1]).to.equal(`GET ${PATH}?limit=1: retry 1 of 1 in 0 ms after HTTP 502`);
    expect(logs[2]).to.match(new RegExp(`^GET ${PATH}\\?limit=1 -> 200 \\(\\d+ ms\\)$`));
    expect(logs.join("\n")).not.to.match(/token|auth/i);
  });
});

describe("client: error mapping", () => {
  checkNockAfterEach();

  it("maps {error_code, error_msg} with X-Request-Id to an ApiError carrying all of them", async () => {
    nock(DDM)
      .get(PATH)
      .query({ offset: 0, limit: 10 })
      .reply(400, { error_msg: "Parameter error.", error_code: "DBS.280001" }, { "X-Request-Id": "req-400" });
    const c = new DdmClient(config(), fast());
    const e = (await failure(c.getJson(PATH, { offset: 0, limit: 10 }))) as ApiError;
    expect(ApiError.isInstance(e)).to.equal(true);
    expect(e.name).to.equal("ApiError");
    expect({
      status: e.status,
      errorCode: e.errorCode,
      errorMsg: e.errorMsg,
      requestId: e.requestId,
      method: e.method,
      path: e.path,
      attempts: e.attempts,
      retryable: e.retryable,
    }).to.deep.equal({
      status: 400,
      errorCode: "DBS.280001",
      errorMsg: "Parameter error.",
      requestId: "req-400",
      method: "GET",
      path: `${PATH}?offset=0&limit=10`,
      attempts: 1,
      retryable: false,
    });
    expect(e.message).to.equal(
      `DDM API GET ${PATH}?offset=0&limit=10 failed with HTTP 400, error_code DBS.280001, error_msg "Parameter error.", request id req-400`,
    );
  });

  it("maps the API gateway's {code, message} form", async () => {
    nock(DDM).get(PATH).reply(403, { code: "APIGW.0302", message: "The IAM user is forbidden" });
    const e = (await failure(new DdmClient(config(), fast()).getJson(PATH, {}))) as ApiError;
    expect([e.status, e.errorCode, e.errorMsg]).to.deep.equal([
      403,
      "APIGW.0302",
      "The IAM user is forbidden",
    ]);
  });

  it("maps the {error: {code, message}} form", async () => {
    nock(DDM)
      .get(PATH)
      .reply(404, { error: { code: "APIGW.0101", message: "The API does not exist" } });
    const e = (await failure(new DdmClient(config(), fast()).getJson(PATH, {}))) as ApiError;
    expect([e.status, e.errorCode, e.errorMsg]).to.deep.equal([404, "APIGW.0101", "The API does not exist"]);
  });

  it("maps an error answer whose body is not JSON to an ApiError with empty code and message", async () => {
    nock(DDM).get(PATH).reply(404, "<html><body>Not Found</body></html>", { "Content-Type": "text/html" });
    const e = (await failure(new DdmClient(config(), fast()).getJson(PATH, {}))) as ApiError;
    expect(ApiError.isInstance(e)).to.equal(true);
    expect([e.status, e.errorCode, e.errorMsg]).to.deep.equal([404, "", ""]);
  });

  it("reads error bodies defensively", () => {
    expect(errorFields("")).to.deep.equal({ errorCode: "", errorMsg: "" });
    expect(errorFields("null")).to.deep.equal({ errorCode: "", errorMsg: "" });
    expect(errorFields('{"error_code": 42}')).to.deep.equal({ errorCode: "42", errorMsg: "" });
    expect(errorFields(JSON.stringify({ error_msg: "x".repeat(2000) })).errorMsg).to.have.length(500);
  });

  it("does not follow redirects (a redirect would carry the token elsewhere): a 302 is an ApiError", async () => {
    nock(DDM).get(PATH).reply(302, "", { Location: "https://elsewhere.example.com/steal" });
    const e = (await failure(new DdmClient(config(), fast()).getJson(PATH, {}))) as ApiError;
    expect(e.status).to.equal(302);
  });

  it("never lets an axios error escape, nor keep its request config as cause", async () => {
    nock(DDM)
      .get(PATH)
      .replyWithError(Object.assign(new Error("getaddrinfo ENOTFOUND x"), { code: "ENOTFOUND" }));
    const e = (await failure(new DdmClient(config(), fast()).getJson(PATH, {}))) as NetworkError;
    expect(NetworkError.isInstance(e)).to.equal(true);
    expect(e.constructor.name).to.equal("NetworkError");
    expect(e.errorCode).to.equal("ENOTFOUND");
    const cause = e.cause as Error & Record<string, unknown>;
    expect(cause).to.be.instanceOf(Error);
    expect(cause.name).to.equal("Error");
    expect(Object.keys(cause).sort()).to.deep.equal(["code", "name"]);
    expect(cause.config).to.equal(undefined);
    expect(cause.request).to.equal(undefined);
    expect(JSON.stringify(e)).not.to.match(/headers|config|X-Auth-Token/i);
    expect(JSON.stringify(e) + String(e) + e.stack).not.to.include(TOKEN);
  });
});

describe("client: malformed answers", () => {
  checkNockAfterEach();

  it("turns a 2xx body that is not JSON into a ResponseError with field (body)", async () => {
    nock(DDM)
      .get(PATH)
      .reply(200, '{"instances": [', { "X-Request-Id": "req-trunc", "Content-Type": "application/json" });
    const e = (await failure(new DdmClient(config(), fast()).getJson(PATH, {}))) as ResponseError;
    expect(ResponseError.isInstance(e)).to.equal(true);
    expect(e.field).to.equal("(body)");
    expect(e.status).to.equal(200);
    expect(e.requestId).to.equal("req-trunc");
    expect(e.path).to.equal(PATH);
    expect(e.message).to.include("the body is not JSON (application/json");
  });

  it("turns an HTML gateway page with status 200 into a ResponseError", async () => {
    nock(DDM)
      .get(PATH)
      .reply(200, "<!DOCTYPE html><html><title>Gateway</title></html>", { "Content-Type": "text/html" });
    const e = (await failure(new DdmClient(config(), fast()).getJson(PATH, {}))) as ResponseError;
    expect(ResponseError.isInstance(e)).to.equal(true);
    expect(e.message).to.include('(text/html; it starts "<!DOCTYPE html><html><title>Gateway</tit")');
  });

  it("turns an empty 2xx body into a ResponseError", async () => {
    nock(DDM).get(PATH).reply(204);
    const e = (await failure(new DdmClient(config(), fast()).getJson(PATH, {}))) as ResponseError;
    expect(ResponseError.isInstance(e)).to.equal(true);
    expect(e.message).to.include("the body is empty; expected JSON");
  });

  it("refuses a body larger than DEFAULTS.maxResponseBytes as a ResponseError, without retrying", async () => {
    const big = Buffer.alloc(DEFAULTS.maxResponseBytes + 1, 0x20);
    nock(DDM).get(PATH).reply(200, big, { "X-Request-Id": "req-big" });
    const e = (await failure(
      new DdmClient(config({ maxRetries: 3 }), fast()).getJson(PATH, {}),
    )) as ResponseError;
    expect(ResponseError.isInstance(e)).to.equal(true);
    expect(e.field).to.equal("(body)");
    expect(e.message).to.include(`larger than ${DEFAULTS.maxResponseBytes} bytes`);
    expect(e.status).to.equal(200);
    expect(e.requestId).to.equal("req-big");
  });
});

describe("client: bad input is refused before any request", () => {
  checkNockAfterEach();

  // No interceptors are defined and the network is disabled: any request would fail
  // with a NetworkError, not a ValidationError.
  const badPaths: unknown[] = [
    "v3/no-leading-slash",
    "/v3/x?offset=1",
    "/v3/x#frag",
    "/v3/../admin",
    "/v3/./x",
    "/v3//x",
    "/v3/a b",
    "/v3/x\n",
    "/v3\\evil",
    "",
    42,
  ];
  for (const bad of badPaths) {
    it(`refuses the path ${JSON.stringify(bad)}`, async () => {
      const e = (await failure(
        new DdmClient(config(), fast()).getJson(bad as string, {}),
      )) as ValidationError;
      expect(ValidationError.isInstance(e)).to.equal(true);
      expect(e.field).to.equal("path");
    });
  }

  it("refuses query values that are neither strings nor finite numbers", async () => {
    const c = new DdmClient(config(), fast());
    for (const v of [NaN, Infinity, null, undefined, {}, true]) {
      const e = (await failure(c.getJson(PATH, { offset: v as number }))) as ValidationError;
      expect(ValidationError.isInstance(e)).to.equal(true);
      expect(e.field).to.equal("query.offset");
    }
  });

  it("refuses bad configuration in resolveConfig, before a client exists", () => {
    expect(() =>
      resolveConfig(
        { endpoint: "http://ddm.example.com" },
        {},
        { HW_REGION_NAME: "x1", HW_AUTH_TOKEN: "t-xyz1" },
      ),
    ).to.throw(ValidationError, /invalid endpoint/);
  });
});

describe("client: transport settings", () => {
  checkNockAfterEach();

  it("verifies TLS unless insecure is set, and takes no global axios defaults", () => {
    const secure = new DdmClient(config(), fast()) as unknown as {
      http: { defaults: Record<string, unknown> };
    };
    const insecure = new DdmClient(config({ insecure: true }), fast()) as unknown as typeof secure;
    const agentOf = (c: typeof secure) =>
      (c.http.defaults.httpsAgent as { options: { rejectUnauthorized: boolean } }).options.rejectUnauthorized;
    expect(agentOf(secure)).to.equal(true);
    expect(agentOf(insecure)).to.equal(false);
    expect(secure.http).not.to.equal(insecure.http);
    expect(secure.http.defaults.maxContentLength).to.equal(DEFAULTS.maxResponseBytes);
    expect(secure.http.defaults.maxRedirects).to.equal(0);
    // The per-attempt timeout is the client's own timer (see "per-attempt timeout"), not axios's.
    expect(secure.http.defaults.timeout ?? 0).to.equal(0);
    expect((secure as unknown as { requestTimeoutMs: number }).requestTimeoutMs).to.equal(5000);
  });
});

describe("client: a connection dropped half-way through the body", () => {
  let server: import("node:http").Server;
  let requests = 0;
  before(async () => {
    const http = await import("node:http");
    server = http.createServer((req, res) => {
      requests++;
      if (requests === 1) {
        // Promise 1000 bytes, send 10, then drop the connection.
        res.writeHead(200, { "Content-Type": "application/json", "Content-Length": "1000" });
        res.write('{"instance');
        setTimeout(() => res.socket?.destroy(), 5);
        return;
      }
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(JSON.stringify(OK));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  });
  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("is a retryable ECONNRESET, so the next attempt recovers", async () => {
    const { port } = server.address() as import("node:net").AddressInfo;
    const c = new DdmClient(config({ endpoint: `http://127.0.0.1:${port}`, maxRetries: 1 }), fast());
    const r = await c.getJson(PATH, {});
    expect(r.status).to.equal(200);
    expect(r.attempts).to.equal(2);
    expect(requests).to.equal(2);
  });
});

describe("client: per-attempt timeout", () => {
  checkNockAfterEach();

  it("uses ClientOverrides.requestTimeoutMs in place of the config's whole seconds", async () => {
    const stalled = stalledReply();
    nock(DDM)
      .get(PATH)
      .reply(stalled.reply as never);
    const clock = new FakeClock(Date.parse("2025-05-20T10:00:00.000Z"));
    const c = new DdmClient(
      config({ requestTimeoutMs: 5000, maxRetries: 0 }),
      fast({ requestTimeoutMs: 40, now: clock.now, timer: clock.timer }),
    );
    const pending = failure(c.getJson(PATH, {}));
    await stalled.arrived;
    expect(clock.timers).to.deep.equal([40]);
    clock.advance(40);
    const e = (await pending) as NetworkError;
    expect(NetworkError.isInstance(e)).to.equal(true);
    expect(e.errorCode).to.equal("ETIMEDOUT");
    expect(e.errorMsg).to.equal("no answer within 40 ms");
  });

  it("keeps the config's requestTimeoutMs when the override is absent", () => {
    const c = new DdmClient(config({ requestTimeoutMs: 7000 }), fast()) as unknown as {
      requestTimeoutMs: number;
    };
    expect(c.requestTimeoutMs).to.equal(7000);
  });
});

describe("client: clientFor", () => {
  checkNockAfterEach();

  it("returns the same client for an equal config, so tokens and project ids persist", () => {
    const a = clientFor(config());
    const b = clientFor(config());
    expect(a).to.equal(b);
    expect(clientFor(config({ region: "cn-north-4" }))).not.to.equal(a);
    expect(clientFor(config({ auth: { mode: "token", token: "another-token-value" } }))).not.to.equal(a);
  });

  it("resetClients (run between spec files) closes the shared clients and forgets them", () => {
    const a = clientFor(config());
    let closed = 0;
    a.close = () => void closed++;
    resetClients();
    expect(closed).to.equal(1);
    expect(clientFor(config())).not.to.equal(a);
  });

  it("keeps clients built with overrides apart from the shared ones", () => {
    const o = fast();
    const shared = clientFor(config());
    const withO = clientFor(config(), o);
    expect(withO).not.to.equal(shared);
    expect(clientFor(config(), o)).to.equal(withO);
  });

  it("keys the cache on a hash of the credentials, never the credentials themselves", () => {
    const key = configKey(
      config({
        auth: {
          mode: "aksk",
          accessKey: "AK-KEY-CHECK",
          secretKey: "sk-key-check",
          securityToken: "st-key-check",
        },
      }),
    );
    expect(key).not.to.include("sk-key-check");
    expect(key).not.to.include("st-key-check");
    expect(key).not.to.include("AK-KEY-CHECK");
    expect(key).to.match(/"credentialHash":"[0-9a-f]{64}"/);
    expect(
      configKey(config({ auth: { mode: "password", domainName: "d", userName: "u", password: "pw-1-x" } })),
    ).not.to.equal(
      configKey(config({ auth: { mode: "password", domainName: "d", userName: "u", password: "pw-2-x" } })),
    );
  });
});
