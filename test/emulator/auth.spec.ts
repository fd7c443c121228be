import { expect } from "chai";
import { Emulator, defaultFixture, startEmulator } from "../../emulator";
import { signRequest } from "../../provider/signer";
import {
  PROJECT,
  Reply,
  ddmPath,
  getSigned,
  getWithToken,
  issueToken,
  passwordBody,
  request,
} from "./helpers";

const OTHER_PROJECT = "0b5e6c2a9d8f4e7a8c1b2d3e4f5a6b7c";

function expectApigw401(r: Reply, code: string, fragment: RegExp): void {
  expect(r.status).to.equal(401);
  const body = r.json as Record<string, string>;
  expect(body.error_code).to.equal(code);
  expect(body.error_msg).to.match(fragment);
  expect(body.request_id).to.equal(r.headers["x-request-id"]);
}

describe("emulator: token authentication", () => {
  let em: Emulator;
  let clock = Date.UTC(2025, 4, 20, 12, 0, 0);

  beforeEach(async () => {
    clock = Date.UTC(2025, 4, 20, 12, 0, 0);
    em = await startEmulator({ now: () => clock });
  });
  afterEach(async () => {
    await em.close();
  });

  it("accepts the static token on every DDM route and counts it", async () => {
    expect((await getWithToken(em, ddmPath("restorable-instances"))).status).to.equal(200);
    expect((await getWithToken(em, ddmPath("restorable-time-interval"))).status).to.equal(200);
    expect(em.stats().byAuth).to.deep.equal({ token: 2, "iam-token": 0, aksk: 0 });
    expect(em.stats().authFailures).to.equal(0);
  });

  it("refuses a request without credentials: 401 APIGW.0301 x-auth-token not found", async () => {
    const r = await request(em.url + ddmPath("restorable-instances"));
    expectApigw401(r, "APIGW.0301", /^Incorrect IAM authentication information: x-auth-token not found$/);
    expect(em.stats().authFailures).to.equal(1);
    expect(em.stats().lastRequests[0].auth).to.equal("refused");
  });

  it("refuses an unknown token: 401 APIGW.0301 decrypt token fail, without echoing it", async () => {
    const r = await getWithToken(em, ddmPath("restorable-instances"), "not-a-token-anyone-issued");
    expectApigw401(r, "APIGW.0301", /decrypt token fail/);
    expect(r.text).to.not.contain("not-a-token-anyone-issued");
  });

  it("issues a token for the right password: 201, X-Subject-Token, expires_at 24 h after issued_at, project scope", async () => {
    const r = await issueToken(em);
    expect(r.status).to.equal(201);
    const token = r.headers["x-subject-token"] as string;
    expect(token)
      .to.be.a("string")
      .and.match(/^hwddm-emulator-issued-[0-9a-f]{48}$/);
    const body = r.json as {
      token: {
        expires_at: string;
        issued_at: string;
        methods: string[];
        project: { id: string; name: string; domain: { name: string } };
        user: { name: string };
        catalog?: unknown[];
      };
    };
    expect(body.token.issued_at).to.equal("2025-05-20T12:00:00.000000Z");
    expect(body.token.expires_at).to.equal("2025-05-21T12:00:00.000000Z");
    expect(body.token.methods).to.deep.equal(["password"]);
    expect(body.token.project).to.deep.include({ id: PROJECT, name: "ap-southeast-1" });
    expect(body.token.project.domain.name).to.equal(em.credentials.domainName);
    expect(body.token.user.name).to.equal(em.credentials.userName);
    expect(body.token.catalog).to.deep.equal([]);
    expect(r.text).to.not.contain(em.credentials.password);
    expect(em.stats().tokensIssued).to.equal(1);

    const ok = await getWithToken(em, ddmPath("restorable-instances"), token);
    expect(ok.status).to.equal(200);
    expect(em.stats().byAuth["iam-token"]).to.equal(1);
  });

  it("omits the catalog with ?nocatalog and scopes by project id", async () => {
    const r = await request(`${em.iamUrl}/auth/tokens?nocatalog=true`, {
      method: "POST",
      body: passwordBody(em, { scope: { project: { id: OTHER_PROJECT } } }),
    });
    expect(r.status).to.equal(201);
    const token = (r.json as { token: { project: { id: string; name: string }; catalog?: unknown } }).token;
    expect(token.catalog).to.equal(undefined);
    expect(token.project).to.deep.include({ id: OTHER_PROJECT, name: "cn-north-4" });
  });

  it("refuses an issued token on a project it is not scoped to", async () => {
    const r = await issueToken(em, passwordBody(em, { scope: { project: { id: OTHER_PROJECT } } }));
    const token = r.headers["x-subject-token"] as string;
    const refused = await getWithToken(em, ddmPath("restorable-instances"), token);
    expectApigw401(refused, "APIGW.0301", /not scoped to the project/);
  });

  it("issues a domain-scoped token that lists projects but is refused by DDM", async () => {
    const r = await issueToken(
      em,
      passwordBody(em, { scope: { domain: { name: em.credentials.domainName } } }),
    );
    expect(r.status).to.equal(201);
    const token = r.headers["x-subject-token"] as string;
    expect((r.json as { token: { domain: { name: string } } }).token.domain.name).to.equal(
      em.credentials.domainName,
    );
    const projects = await request(`${em.iamUrl}/projects?name=ap-southeast-1`, {
      headers: { "X-Auth-Token": token },
    });
    expect(projects.status).to.equal(200);
    expect((await getWithToken(em, ddmPath("restorable-instances"), token)).status).to.equal(401);
  });

  it("refuses a wrong password, user or domain with 401 IAM.0001 and never echoes the password", async () => {
    for (const over of [
      { password: "wrong-password-123" },
      { user: "someone-else" },
      { domain: "other-domain" },
    ]) {
      const r = await issueToken(em, passwordBody(em, over));
      expect(r.status, JSON.stringify(over)).to.equal(401);
      const body = r.json as {
        error_code: string;
        error_msg: string;
        error: { code: number; message: string };
      };
      expect(body.error_code).to.equal("IAM.0001");
      expect(body.error_msg).to.equal("The username or password is wrong.");
      expect(body.error).to.deep.equal({
        code: 401,
        title: "Unauthorized",
        message: "The username or password is wrong.",
      });
      expect(r.text).to.not.contain("wrong-password-123");
      expect(r.headers["x-subject-token"]).to.equal(undefined);
    }
    expect(em.stats().tokensIssued).to.equal(0);
  });

  it("answers 400 IAM.0011 to a body that is not password auth, and 400 IAM.0012 to an unknown scope project", async () => {
    const bodies = [
      "not json",
      "{}",
      JSON.stringify({ auth: { identity: { methods: ["token"] } } }),
      JSON.stringify({
        auth: { identity: { methods: ["password"], password: { user: { name: "x" } } }, scope: {} },
      }),
      passwordBody(em, { scope: {} }),
    ];
    for (const body of bodies) {
      const r = await issueToken(em, body);
      expect(r.status, body).to.equal(400);
      expect((r.json as { error_code: string }).error_code).to.equal("IAM.0011");
    }
    const r = await issueToken(em, passwordBody(em, { scope: { project: { name: "nowhere-1" } } }));
    expect(r.status).to.equal(400);
    expect((r.json as { error_code: string }).error_code).to.equal("IAM.0012");
  });

  it("honours tokenLifetimeSeconds: an issued token works until expires_at, then 401 token expires", async () => {
    await em.close();
    em = await startEmulator({ now: () => clock, tokenLifetimeSeconds: 1 });
    const r = await issueToken(em);
    const token = r.headers["x-subject-token"] as string;
    expect((r.json as { token: { expires_at: string } }).token.expires_at).to.equal(
      "2025-05-20T12:00:01.000000Z",
    );
    clock += 999;
    expect((await getWithToken(em, ddmPath("restorable-instances"), token)).status).to.equal(200);
    clock += 1;
    const expired = await getWithToken(em, ddmPath("restorable-instances"), token);
    expectApigw401(expired, "APIGW.0301", /token expires, expires_at: 2025-05-20T12:00:01/);
    // The static token never expires.
    expect((await getWithToken(em, ddmPath("restorable-instances"))).status).to.equal(200);
  });
});

describe("emulator: IAM project lookup", () => {
  let em: Emulator;

  before(async () => {
    const data = defaultFixture();
    data.projects.push({ id: "aaaabbbbccccddddeeeeffff00001111", name: "la-south-2", instances: [] });
    data.projects.push({ id: "aaaabbbbccccddddeeeeffff00002222", name: "la-south-2", instances: [] });
    em = await startEmulator({ data });
  });
  beforeEach(() => em.resetStats());
  after(async () => {
    await em.close();
  });

  const lookup = (query: string, token?: string): Promise<Reply> =>
    request(`${em.iamUrl}/projects${query}`, { headers: token ? { "X-Auth-Token": token } : {} });

  it("finds the region's project by name", async () => {
    const r = await lookup("?name=ap-southeast-1", em.credentials.token);
    expect(r.status).to.equal(200);
    const projects = (r.json as { projects: Record<string, unknown>[] }).projects;
    expect(projects).to.have.length(1);
    expect(projects[0]).to.include({ id: PROJECT, name: "ap-southeast-1", enabled: true });
    expect(projects[0].domain_id).to.be.a("string");
  });

  it("answers zero, several or all projects", async () => {
    const none = await lookup("?name=nowhere-9", em.credentials.token);
    expect((none.json as { projects: unknown[] }).projects).to.deep.equal([]);
    const two = await lookup("?name=la-south-2", em.credentials.token);
    expect((two.json as { projects: { id: string }[] }).projects.map((p) => p.id)).to.deep.equal([
      "aaaabbbbccccddddeeeeffff00001111",
      "aaaabbbbccccddddeeeeffff00002222",
    ]);
    const all = await lookup("", em.credentials.token);
    expect((all.json as { projects: unknown[] }).projects).to.have.length(4);
    expect(em.stats().byRoute["iam-projects"]).to.equal(3);
  });

  it("requires authentication: none → 401, issued token and AK/SK → 200", async () => {
    expect((await lookup("?name=ap-southeast-1")).status).to.equal(401);
    const token = (await issueToken(em)).headers["x-subject-token"] as string;
    expect((await lookup("?name=ap-southeast-1", token)).status).to.equal(200);
    const signed = await getSigned(em, "/v3/projects?name=ap-southeast-1");
    expect(signed.status).to.equal(200);
    expect((signed.json as { projects: unknown[] }).projects).to.have.length(1);
  });
});

describe("emulator: AK/SK authentication", () => {
  let em: Emulator;
  let clock: number | undefined;

  before(async () => {
    em = await startEmulator({ now: () => clock ?? Date.now() });
  });
  afterEach(() => {
    clock = undefined;
  });
  after(async () => {
    await em.close();
  });

  it("accepts a valid SDK-HMAC-SHA256 signature, with and without a query, and counts it as aksk", async () => {
    em.resetStats();
    expect((await getSigned(em, ddmPath("restorable-instances"))).status).to.equal(200);
    const r = await getSigned(em, ddmPath("restorable-time-interval", "limit=2&offset=1"), {
      headers: { "X-Project-Id": PROJECT },
    });
    expect(r.status).to.equal(200);
    expect((r.json as { restorable_time_intervals: unknown[] }).restorable_time_intervals).to.have.length(2);
    expect(em.stats().byAuth.aksk).to.equal(2);
  });

  it("refuses a request whose query was changed after signing", async () => {
    const url = em.url + ddmPath("restorable-instances", "limit=2");
    const headers = signRequest({ method: "GET", url, headers: {} }, em.credentials, new Date());
    const r = await request(em.url + ddmPath("restorable-instances", "limit=3"), { headers });
    expectApigw401(r, "APIGW.0301", /verify aksk signature fail/);
  });

  it("refuses a request whose path was changed after signing", async () => {
    const url = em.url + ddmPath("restorable-instances");
    const headers = signRequest({ method: "GET", url, headers: {} }, em.credentials, new Date());
    const r = await request(em.url + ddmPath("restorable-time-interval"), { headers });
    expectApigw401(r, "APIGW.0301", /verify aksk signature fail/);
  });

  it("refuses a signed header changed in transit and a tampered signature", async () => {
    const url = em.url + ddmPath("restorable-instances");
    const headers = signRequest(
      { method: "GET", url, headers: { "X-Trace": "a" } },
      em.credentials,
      new Date(),
    );
    const changed = await request(url, { headers: { ...headers, "X-Trace": "b" } });
    expectApigw401(changed, "APIGW.0301", /verify aksk signature fail/);
    const sig = /Signature=([0-9a-f]+)/.exec(headers.Authorization)![1];
    const flipped = sig.slice(0, -1) + (sig.endsWith("0") ? "1" : "0");
    const tampered = await request(url, {
      headers: { ...headers, Authorization: headers.Authorization.replace(sig, flipped) },
    });
    expectApigw401(tampered, "APIGW.0301", /verify aksk signature fail/);
    expect(tampered.text).to.not.contain(flipped);
  });

  it("refuses an unknown access key and a wrong secret key", async () => {
    const unknown = await getSigned(em, ddmPath("restorable-instances"), {
      accessKey: "UNKNOWNACCESSKEY0000",
    });
    expectApigw401(unknown, "APIGW.0301", /access key not found/);
    const wrongSecret = await getSigned(em, ddmPath("restorable-instances"), {
      secretKey: "not-the-secret-key",
    });
    expectApigw401(wrongSecret, "APIGW.0301", /verify aksk signature fail/);
    expect(wrongSecret.text).to.not.contain(em.credentials.secretKey);
  });

  it("refuses an X-Sdk-Date more than 15 minutes from its clock (APIGW.0303) and accepts 14 minutes", async () => {
    const now = Date.now();
    const late = await getSigned(em, ddmPath("restorable-instances"), { now: new Date(now - 16 * 60_000) });
    expectApigw401(late, "APIGW.0303", /X-Sdk-Date/);
    const early = await getSigned(em, ddmPath("restorable-instances"), { now: new Date(now + 16 * 60_000) });
    expectApigw401(early, "APIGW.0303", /X-Sdk-Date/);
    const near = await getSigned(em, ddmPath("restorable-instances"), { now: new Date(now - 14 * 60_000) });
    expect(near.status).to.equal(200);
  });

  it("judges the date by its own clock option", async () => {
    clock = Date.UTC(2030, 0, 1);
    const r = await getSigned(em, ddmPath("restorable-instances"), { now: new Date() });
    expectApigw401(r, "APIGW.0303", /X-Sdk-Date/);
    const ok = await getSigned(em, ddmPath("restorable-instances"), { now: new Date(clock) });
    expect(ok.status).to.equal(200);
  });

  it("checks X-Security-Token when present: the fixture's is accepted, another refused", async () => {
    const ok = await getSigned(em, ddmPath("restorable-instances"), {
      headers: { "X-Security-Token": em.credentials.securityToken },
    });
    expect(ok.status).to.equal(200);
    const bad = await getSigned(em, ddmPath("restorable-instances"), {
      headers: { "X-Security-Token": "some-other-security-token" },
    });
    expectApigw401(bad, "APIGW.0301", /security token/);
    expect(bad.text).to.not.contain("some-other-security-token");
  });

  it("refuses an X-Project-Id that differs from the project in the path", async () => {
    const r = await getSigned(em, ddmPath("restorable-instances"), {
      headers: { "X-Project-Id": OTHER_PROJECT },
    });
    expectApigw401(r, "APIGW.0301", /X-Project-Id/);
  });

  it("refuses an Authorization header of another scheme", async () => {
    const r = await request(em.url + ddmPath("restorable-instances"), {
      headers: { Authorization: "Basic dXNlcjpwYXNz", "X-Sdk-Date": "20250520T120000Z" },
    });
    expectApigw401(r, "APIGW.0301", /Authorization header/);
  });
});
