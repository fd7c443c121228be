/**
 * AK/SK SDK-HMAC-SHA256: our signer against Huawei's official one (the devDependency
 * @huaweicloud/huaweicloud-sdk-core, used here as an oracle only), and the verifier the
 * emulator uses, including a real loopback HTTP round trip through axios.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import axios from "axios";
import { expect } from "chai";
import { AKSKSigner } from "@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner";
import { BasicCredentials } from "@huaweicloud/huaweicloud-sdk-core/auth/BasicCredentials";
import type { HcClient } from "@huaweicloud/huaweicloud-sdk-core/HcClient";
import type { IHttpRequest } from "@huaweicloud/huaweicloud-sdk-core/http/IHttpRequest";
import {
  ArrivedRequest,
  EMPTY_BODY_SHA256,
  SIGNER_ERROR_CODES,
  SignableRequest,
  canonicalRequest,
  formatSdkDate,
  parseAuthorization,
  parseSdkDate,
  sha256Hex,
  signRequest,
  signature,
  stringToSign,
  verifyRequest,
} from "../../provider/signer";

const AK = "HPUAZ4MZKG5YC1NDWXEF";
const SK = "qY8tJx3nRk0Wm2Vb7Lc9Zp4Hs6Gd1Fa5Ue8Io0Pq";
const SECURITY_TOKEN = "gQpjbi1ub3J0aC00hL7Xc5Y2Temporary+Token/With==";
const PROJECT = "619d3e78f61b4be68bc5aa0b59edcf7b";
const INSTANCE = "1f5c9fd6cd984056ba89c8c87cc03278in09";
const DDM = "https://ddm.ap-southeast-1.myhuaweicloud.com";
const NOW = new Date("2025-05-20T09:40:40.123Z");
const NOW_SDK = "20250520T094040Z";

/** A request as Huawei's SDK builds it before signing. */
interface OfficialRequest {
  method: string;
  /** Full URL without the query, as HcClient puts it in `endpoint`. */
  endpoint: string;
  queryParams?: Record<string, string | number | (string | number)[]>;
  headers: Record<string, string>;
  data?: unknown;
}

/** `AKSKSigner.sign`, with the time pinned through the X-Sdk-Date header the SDK honours. */
function officialSign(req: OfficialRequest, ak = AK, sk = SK): Record<string, string> {
  const cred = new BasicCredentials().withAk(ak).withSk(sk);
  const request = { ...req, headers: { ...req.headers, "X-Sdk-Date": NOW_SDK } };
  return AKSKSigner.sign(request, cred);
}

/**
 * The SDK's full credential flow (BasicCredentials.processAuthRequest): it substitutes
 * `{project_id}`, adds X-Project-Id, X-Security-Token (and X-Sdk-Content-Sha256 for non-JSON
 * bodies) and then signs. Returns the headers it would send.
 */
async function officialSignWithCredentials(
  base: string,
  urlTemplate: string,
  req: Omit<OfficialRequest, "endpoint">,
  creds: { projectId?: string; securityToken?: string },
): Promise<Record<string, string>> {
  const cred = new BasicCredentials().withAk(AK).withSk(SK).withProjectId(creds.projectId);
  if (creds.securityToken) cred.withSecurityToken(creds.securityToken);
  const request: IHttpRequest = {
    endpoint: base,
    url: urlTemplate,
    method: req.method,
    queryParams: req.queryParams,
    headers: { ...req.headers, "X-Sdk-Date": NOW_SDK },
    data: req.data,
  };
  const out = await cred.processAuthRequest(undefined as unknown as HcClient, request);
  return out.headers as Record<string, string>;
}

/** Present a signed request the way Node's HTTP server hands it to the emulator. */
function arrived(req: SignableRequest, headers: Record<string, string>): ArrivedRequest {
  const url = new URL(req.url);
  const lower: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) lower[k.toLowerCase()] = v;
  return {
    method: req.method,
    path: url.pathname,
    rawQuery: url.search.slice(1),
    headers: lower,
    body: req.body,
  };
}

const lookup = (ak: string): string | undefined => (ak === AK ? SK : undefined);

describe("signer: Authorization is byte-identical to Huawei's AKSKSigner.sign", () => {
  it("plain GET without query: same headers, host and X-Sdk-Date included", () => {
    const ours = signRequest(
      { method: "GET", url: `${DDM}/v3/projects`, headers: {} },
      { accessKey: AK, secretKey: SK },
      NOW,
    );
    const official = officialSign({ method: "GET", endpoint: `${DDM}/v3/projects`, headers: {} });
    expect(ours.Authorization).to.equal(official.Authorization);
    expect(ours).to.deep.equal(official);
    expect(ours.Authorization).to.match(
      new RegExp(`^SDK-HMAC-SHA256 Access=${AK}, SignedHeaders=host;x-sdk-date, Signature=[0-9a-f]{64}$`),
    );
    expect(ours["X-Sdk-Date"]).to.equal(NOW_SDK);
    expect(ours.host).to.equal("ddm.ap-southeast-1.myhuaweicloud.com");
  });

  it("query: several unsorted keys, a repeated key, space * ~ / and non-ASCII values, raw-order keys", () => {
    const pairs: [string, string][] = [
      ["zeta", "last"],
      ["b", "2"],
      ["a", "10"],
      ["a", "9"],
      ["a", "1"],
      ["space", "a b"],
      ["star", "x*y"],
      ["tilde", "~t"],
      ["slash", "a/b"],
      ["unicode", "路径-ü-😀"],
      ["é", "raw key sorts after ~ by code unit, before it once encoded"],
      ["~", "tilde key"],
      ["reserved", "!'()&=+,;:@$"],
      ["empty", ""],
    ];
    const query = new URLSearchParams(pairs); // serializes space as "+", as axios does
    const req: SignableRequest = { method: "GET", url: `${DDM}/v3/things?${query.toString()}`, headers: {} };
    const ours = signRequest(req, { accessKey: AK, secretKey: SK }, NOW);
    const official = officialSign({
      method: "GET",
      endpoint: `${DDM}/v3/things`,
      queryParams: {
        zeta: "last",
        b: "2",
        a: ["10", "9", "1"],
        space: "a b",
        star: "x*y",
        tilde: "~t",
        slash: "a/b",
        unicode: "路径-ü-😀",
        é: "raw key sorts after ~ by code unit, before it once encoded",
        "~": "tilde key",
        reserved: "!'()&=+,;:@$",
        empty: "",
      },
      headers: {},
    });
    expect(ours.Authorization).to.equal(official.Authorization);

    // The same query percent-encoded (%20 instead of +, different order) signs the same.
    const other = signRequest(
      {
        ...req,
        url:
          `${DDM}/v3/things?a=1&a=9&a=10&space=a%20b&star=x%2Ay&tilde=%7Et&slash=a%2Fb&b=2&zeta=last` +
          `&unicode=${encodeURIComponent("路径-ü-😀")}&%C3%A9=${encodeURIComponent(pairs[10][1])}` +
          `&~=tilde%20key&reserved=${encodeURIComponent("!'()&=+,;:@$")}&empty=`,
      },
      { accessKey: AK, secretKey: SK },
      NOW,
    );
    expect(other.Authorization).to.equal(official.Authorization);
  });

  it("non-ASCII path segment, given raw or percent-encoded, signs as the SDK signs the raw path", () => {
    const id = "实例-ü-😀";
    const official = officialSign({
      method: "GET",
      endpoint: `${DDM}/v3/${PROJECT}/instances/${id}/backups/restorable-instances`,
      headers: {},
    });
    for (const path of [id, encodeURIComponent(id)]) {
      const ours = signRequest(
        {
          method: "GET",
          url: `${DDM}/v3/${PROJECT}/instances/${path}/backups/restorable-instances`,
          headers: {},
        },
        { accessKey: AK, secretKey: SK },
        NOW,
      );
      expect(ours.Authorization, path).to.equal(official.Authorization);
    }
  });

  it("X-Project-Id header (BasicCredentials with a project id, the SDK's full flow)", async () => {
    const official = await officialSignWithCredentials(
      DDM,
      `/v3/{project_id}/instances/${INSTANCE}`,
      { method: "GET", headers: {}, queryParams: { offset: 0 } },
      { projectId: PROJECT },
    );
    const ours = signRequest(
      {
        method: "GET",
        url: `${DDM}/v3/${PROJECT}/instances/${INSTANCE}?offset=0`,
        headers: { "X-Project-Id": PROJECT },
      },
      { accessKey: AK, secretKey: SK },
      NOW,
    );
    expect(official["X-Project-Id"]).to.equal(PROJECT);
    expect(ours.Authorization).to.equal(official.Authorization);
    expect(ours).to.deep.equal(official);
    expect(parseAuthorization(ours.Authorization)!.signedHeaders).to.deep.equal([
      "host",
      "x-project-id",
      "x-sdk-date",
    ]);
  });

  it("X-Security-Token header for temporary credentials (SDK's full flow)", async () => {
    const official = await officialSignWithCredentials(
      DDM,
      `/v3/{project_id}/instances/${INSTANCE}/backups/restorable-instances`,
      { method: "GET", headers: {}, queryParams: { offset: 0, limit: 128 } },
      { projectId: PROJECT, securityToken: SECURITY_TOKEN },
    );
    const ours = signRequest(
      {
        method: "GET",
        url: `${DDM}/v3/${PROJECT}/instances/${INSTANCE}/backups/restorable-instances?offset=0&limit=128`,
        headers: { "X-Project-Id": PROJECT, "X-Security-Token": SECURITY_TOKEN },
      },
      { accessKey: AK, secretKey: SK },
      NOW,
    );
    expect(official["X-Security-Token"]).to.equal(SECURITY_TOKEN);
    expect(ours.Authorization).to.equal(official.Authorization);
    expect(ours).to.deep.equal(official);
    expect(parseAuthorization(ours.Authorization)!.signedHeaders).to.deep.equal([
      "host",
      "x-project-id",
      "x-sdk-date",
      "x-security-token",
    ]);
  });

  for (const op of ["restorable-instances", "restorable-time-interval"]) {
    it(`contract path .../backups/${op} with offset/limit (numbers in the SDK, text in our URL)`, () => {
      const path = `/v3/${PROJECT}/instances/${INSTANCE}/backups/${op}`;
      const official = officialSign({
        method: "GET",
        endpoint: `${DDM}${path}`,
        queryParams: { offset: 256, limit: 128 },
        headers: { "X-Project-Id": PROJECT },
      });
      const ours = signRequest(
        { method: "GET", url: `${DDM}${path}?offset=256&limit=128`, headers: { "X-Project-Id": PROJECT } },
        { accessKey: AK, secretKey: SK },
        NOW,
      );
      expect(ours.Authorization).to.equal(official.Authorization);
      expect(ours).to.deep.equal(official);
    });
  }

  it("POST with a JSON body: body hashed exactly as sent, Content-Type signed", () => {
    const data = { auth: { identity: { methods: ["password"] } }, name: "名前", n: 1.5 };
    const official = officialSign({
      method: "POST",
      endpoint: `${DDM}/v3/${PROJECT}/instances`,
      headers: { "Content-Type": "application/json", "X-Project-Id": PROJECT },
      data,
    });
    const ours = signRequest(
      {
        method: "POST",
        url: `${DDM}/v3/${PROJECT}/instances`,
        headers: { "Content-Type": "application/json", "X-Project-Id": PROJECT },
        body: JSON.stringify(data),
      },
      { accessKey: AK, secretKey: SK },
      NOW,
    );
    expect(ours.Authorization).to.equal(official.Authorization);
    expect(parseAuthorization(ours.Authorization)!.signedHeaders).to.include("content-type");
  });

  it("non-JSON body: the SDK's X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD is honoured the same way", async () => {
    const official = await officialSignWithCredentials(
      DDM,
      "/v3/{project_id}/upload",
      { method: "PUT", headers: { "Content-Type": "text/plain" }, data: "raw text" },
      { projectId: PROJECT },
    );
    expect(official["X-Sdk-Content-Sha256"]).to.equal("UNSIGNED-PAYLOAD");
    const ours = signRequest(
      {
        method: "PUT",
        url: `${DDM}/v3/${PROJECT}/upload`,
        headers: {
          "X-Project-Id": PROJECT,
          "X-Sdk-Content-Sha256": "UNSIGNED-PAYLOAD",
          "Content-Type": "text/plain",
        },
        body: "raw text",
      },
      { accessKey: AK, secretKey: SK },
      NOW,
    );
    expect(ours.Authorization).to.equal(official.Authorization);
  });

  it("loopback endpoint with a port (the emulator): host carries the port", () => {
    const url = "http://127.0.0.1:18080/v3/projects?name=ap-southeast-1";
    const ours = signRequest({ method: "GET", url, headers: {} }, { accessKey: AK, secretKey: SK }, NOW);
    const official = officialSign({
      method: "GET",
      endpoint: "http://127.0.0.1:18080/v3/projects",
      queryParams: { name: "ap-southeast-1" },
      headers: {},
    });
    expect(ours.host).to.equal("127.0.0.1:18080");
    expect(ours).to.deep.equal(official);
  });

  it("when the SDK reads the clock itself, formatSdkDate(now) gives the same X-Sdk-Date and signature", () => {
    const realNow = Date.now;
    let official: Record<string, string>;
    try {
      Date.now = () => NOW.getTime();
      official = AKSKSigner.sign(
        { method: "GET", endpoint: `${DDM}/v3/projects`, headers: {} },
        new BasicCredentials().withAk(AK).withSk(SK),
      );
    } finally {
      Date.now = realNow;
    }
    const ours = signRequest(
      { method: "GET", url: `${DDM}/v3/projects`, headers: {} },
      { accessKey: AK, secretKey: SK },
      NOW,
    );
    expect(official["X-Sdk-Date"]).to.equal(NOW_SDK);
    expect(ours).to.deep.equal(official);
  });

  it("a different secret key or time gives a different signature (the comparison is not vacuous)", () => {
    const req: SignableRequest = { method: "GET", url: `${DDM}/v3/projects`, headers: {} };
    const a = signRequest(req, { accessKey: AK, secretKey: SK }, NOW).Authorization;
    const b = signRequest(req, { accessKey: AK, secretKey: `${SK}x` }, NOW).Authorization;
    const c = signRequest(
      req,
      { accessKey: AK, secretKey: SK },
      new Date(NOW.getTime() + 1000),
    ).Authorization;
    expect(new Set([a, b, c]).size).to.equal(3);
    expect(b).to.equal(
      officialSign({ method: "GET", endpoint: `${DDM}/v3/projects`, headers: {} }, AK, `${SK}x`)
        .Authorization,
    );
  });
});

describe("signer: canonical form details", () => {
  it("canonicalRequest: method, URI with trailing /, encoded sorted query, headers, signed list, body hash", () => {
    const headers = { Host: "h.example", "X-Sdk-Date": NOW_SDK, "X-Project-Id": "  p1\t" };
    const text = canonicalRequest(
      "get",
      "/v3/a b/ü",
      new URLSearchParams("z=1&a=2&a=10&s=a+b&t=%2A"),
      headers,
      ["host", "x-project-id", "x-sdk-date"],
      EMPTY_BODY_SHA256,
    );
    expect(text).to.equal(
      [
        "GET",
        "/v3/a%20b/%C3%BC/",
        "a=10&a=2&s=a%20b&t=%2A&z=1",
        `host:h.example\nx-project-id:p1\nx-sdk-date:${NOW_SDK}\n`,
        "host;x-project-id;x-sdk-date",
        EMPTY_BODY_SHA256,
      ].join("\n"),
    );
  });

  it("canonicalRequest keeps a path's trailing / single and turns an empty path into /", () => {
    const q = new URLSearchParams();
    expect(canonicalRequest("GET", "/v3/x/", q, {}, [], "h").split("\n")[1]).to.equal("/v3/x/");
    expect(canonicalRequest("GET", "", q, {}, [], "h").split("\n")[1]).to.equal("/");
  });

  it("canonicalRequest refuses a signed header that is not present", () => {
    expect(() => canonicalRequest("GET", "/", new URLSearchParams(), {}, ["host"], "h")).to.throw(
      RangeError,
      /host/,
    );
  });

  it("stringToSign and signature follow SDK-HMAC-SHA256 (known-answer values)", () => {
    const sts = stringToSign("canonical", NOW_SDK);
    expect(sts).to.equal(`SDK-HMAC-SHA256\n${NOW_SDK}\n${sha256Hex("canonical")}`);
    expect(sha256Hex("")).to.equal(EMPTY_BODY_SHA256);
    // HMAC-SHA256 test case 2 of RFC 4231.
    expect(signature("Jefe", "what do ya want for nothing?")).to.equal(
      "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
    );
  });

  it("signRequest replaces a caller's X-Sdk-Date/Authorization and keeps a caller's Host", () => {
    const h = signRequest(
      {
        method: "GET",
        url: `${DDM}/v3/projects`,
        headers: { Host: "other.example", "x-sdk-date": "19990101T000000Z", authorization: "old" },
      },
      { accessKey: AK, secretKey: SK },
      NOW,
    );
    expect(Object.keys(h).sort()).to.deep.equal(["Authorization", "Host", "X-Sdk-Date"]);
    expect(h.Host).to.equal("other.example");
    expect(h["X-Sdk-Date"]).to.equal(NOW_SDK);
  });

  it("signRequest refuses missing credentials and header names given twice", () => {
    expect(() =>
      signRequest({ method: "GET", url: DDM, headers: {} }, { accessKey: "", secretKey: SK }, NOW),
    ).to.throw(/access key and a secret key/);
    expect(() =>
      signRequest(
        { method: "GET", url: DDM, headers: { A: "1", a: "2" } },
        { accessKey: AK, secretKey: SK },
        NOW,
      ),
    ).to.throw(RangeError, /twice/);
  });
});

describe("signer: verifyRequest (the emulator's gateway check)", () => {
  const base: SignableRequest = {
    method: "GET",
    url: `${DDM}/v3/${PROJECT}/instances/${INSTANCE}/backups/restorable-instances?offset=0&limit=128`,
    headers: { "X-Project-Id": PROJECT, "X-Security-Token": SECURITY_TOKEN },
  };
  const signed = (req: SignableRequest = base, now = NOW): ArrivedRequest =>
    arrived(req, signRequest(req, { accessKey: AK, secretKey: SK }, now));

  it("accepts what signRequest produced, and says which access key signed", () => {
    expect(verifyRequest(signed(), lookup, NOW)).to.deep.equal({ ok: true, accessKey: AK });
  });

  it("accepts a POST with a body and unsigned headers added after signing", () => {
    const req: SignableRequest = {
      method: "POST",
      url: `${DDM}/v3/auth`,
      headers: { "Content-Type": "application/json" },
      body: '{"a":"ü"}',
    };
    const r = signed(req);
    r.headers["user-agent"] = "axios/1.21.1";
    r.headers["content-length"] = "11";
    expect(verifyRequest(r, lookup, NOW).ok).to.equal(true);
    expect(verifyRequest({ ...r, body: Buffer.from('{"a":"ü"}') }, lookup, NOW).ok).to.equal(true);
  });

  it("accepts the query re-ordered or re-encoded in transit (it is canonicalized from its decoded form)", () => {
    const r = signed({ ...base, url: `${DDM}/v3/x?b=a%20b&a=1` });
    expect(verifyRequest({ ...r, rawQuery: "a=1&b=a+b" }, lookup, NOW).ok).to.equal(true);
  });

  it("rejects a tampered query with APIGW.0301", () => {
    const r = signed();
    const v = verifyRequest({ ...r, rawQuery: "offset=128&limit=128" }, lookup, NOW);
    expect(v).to.deep.include({ ok: false, code: SIGNER_ERROR_CODES.badCredentials });
    expect(SIGNER_ERROR_CODES.badCredentials).to.equal("APIGW.0301");
  });

  it("rejects a tampered path or body", () => {
    const r = signed();
    expect(verifyRequest({ ...r, path: r.path.replace(INSTANCE, "other") }, lookup, NOW).ok).to.equal(false);
    expect(verifyRequest({ ...r, body: "x" }, lookup, NOW).ok).to.equal(false);
  });

  it("rejects a tampered signed header", () => {
    const r = signed();
    const v = verifyRequest({ ...r, headers: { ...r.headers, "x-project-id": "0".repeat(32) } }, lookup, NOW);
    expect(v).to.deep.include({ ok: false, code: "APIGW.0301" });
  });

  it("rejects an unknown access key", () => {
    const req = signRequest(base, { accessKey: "UNKNOWNAK0000000", secretKey: SK }, NOW);
    const v = verifyRequest(arrived(base, req), lookup, NOW);
    expect(v).to.deep.include({ ok: false, code: "APIGW.0301" });
    expect(v.ok === false && v.reason).to.match(/access key not found/);
  });

  it("rejects a signature made with the wrong secret", () => {
    const req = signRequest(base, { accessKey: AK, secretKey: "not-the-secret" }, NOW);
    const v = verifyRequest(arrived(base, req), lookup, NOW);
    expect(v).to.deep.include({ ok: false, code: "APIGW.0301" });
    expect(v.ok === false && v.reason).to.match(/verify aksk signature fail/);
  });

  it("rejects an X-Sdk-Date 16 minutes off either way with APIGW.0303, accepts 14 minutes", () => {
    const r = signed();
    for (const minutes of [16, -16]) {
      const v = verifyRequest(r, lookup, new Date(NOW.getTime() + minutes * 60_000));
      expect(v, `${minutes}`).to.deep.include({ ok: false, code: SIGNER_ERROR_CODES.badDate });
    }
    expect(SIGNER_ERROR_CODES.badDate).to.equal("APIGW.0303");
    expect(verifyRequest(r, lookup, new Date(NOW.getTime() + 14 * 60_000)).ok).to.equal(true);
    expect(verifyRequest(r, lookup, new Date(NOW.getTime() + 60_000), 30_000).ok).to.equal(false);
  });

  it("rejects a missing or malformed X-Sdk-Date with APIGW.0303", () => {
    const r = signed();
    const { "x-sdk-date": _date, ...rest } = r.headers;
    expect(verifyRequest({ ...r, headers: rest }, lookup, NOW)).to.deep.include({
      ok: false,
      code: "APIGW.0303",
    });
    expect(
      verifyRequest({ ...r, headers: { ...r.headers, "x-sdk-date": "2025-05-20T09:40:40Z" } }, lookup, NOW),
    ).to.deep.include({ ok: false, code: "APIGW.0303" });
  });

  it("rejects a signed header that did not arrive, naming it", () => {
    const r = signed();
    const { "x-security-token": _token, ...rest } = r.headers;
    const v = verifyRequest({ ...r, headers: rest }, lookup, NOW);
    expect(v).to.deep.include({ ok: false, code: "APIGW.0301" });
    expect(v.ok === false && v.reason).to.include("x-security-token");
  });

  it("rejects no Authorization, a malformed one, another algorithm, and an unsigned host", () => {
    const r = signed();
    const auth = r.headers.authorization;
    const { authorization: _a, ...noAuth } = r.headers;
    const variants: Record<string, string>[] = [
      noAuth,
      { ...r.headers, authorization: "Bearer abc" },
      { ...r.headers, authorization: auth.replace("SDK-HMAC-SHA256", "SDK-HMAC-SHA1") },
      { ...r.headers, authorization: auth.replace("SignedHeaders=host;", "SignedHeaders=") },
    ];
    for (const headers of variants) {
      expect(verifyRequest({ ...r, headers }, lookup, NOW)).to.deep.include({
        ok: false,
        code: "APIGW.0301",
      });
    }
  });

  it("never puts the secret key, security token or signature in a reason", () => {
    const r = signed();
    const sig = parseAuthorization(r.headers.authorization)!.signature;
    const failures = [
      verifyRequest({ ...r, rawQuery: "x=1" }, lookup, NOW),
      verifyRequest(r, () => "wrong", NOW),
      verifyRequest(r, lookup, new Date(0)),
    ];
    for (const f of failures) {
      expect(f.ok).to.equal(false);
      const text = JSON.stringify(f);
      for (const secret of [SK, SECURITY_TOKEN, sig]) expect(text).not.to.include(secret);
    }
  });
});

describe("signer: a real loopback round trip through axios", () => {
  let server: http.Server;
  let url: string;
  const results: ReturnType<typeof verifyRequest>[] = [];

  before(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const target = req.url ?? "/";
        const q = target.indexOf("?");
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers[k] = v;
        const v = verifyRequest(
          {
            method: req.method ?? "",
            path: q < 0 ? target : target.slice(0, q),
            rawQuery: q < 0 ? "" : target.slice(q + 1),
            headers,
            body: Buffer.concat(chunks),
          },
          lookup,
          NOW,
        );
        results.push(v);
        res.writeHead(v.ok ? 200 : 401, { "Content-Type": "application/json" });
        res.end(JSON.stringify(v.ok ? { ok: true } : { error_code: v.code, error_msg: v.reason }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  beforeEach(() => {
    results.length = 0;
  });

  it("a signed GET with an encoded query and a non-ASCII path segment verifies on arrival", async () => {
    const query = new URLSearchParams([
      ["limit", "128"],
      ["offset", "0"],
      ["name", "a b*~/ü"],
    ]);
    const req: SignableRequest = {
      method: "GET",
      url: `${url}/v3/${PROJECT}/instances/实例/backups/restorable-instances?${query.toString()}`,
      headers: { "X-Project-Id": PROJECT, "X-Security-Token": SECURITY_TOKEN },
    };
    const headers = signRequest(req, { accessKey: AK, secretKey: SK }, NOW);
    const res = await axios.get(req.url, { headers, validateStatus: () => true });
    expect(results).to.have.length(1);
    expect(results[0]).to.deep.equal({ ok: true, accessKey: AK });
    expect(res.status).to.equal(200);
  });

  it("a signed POST with a JSON body verifies, and the same request with a wrong secret gets 401 APIGW.0301", async () => {
    const body = JSON.stringify({ name: "名前", n: 1 });
    const req: SignableRequest = {
      method: "POST",
      url: `${url}/v3/auth/tokens`,
      headers: { "Content-Type": "application/json" },
      body,
    };
    const good = await axios.post(req.url, body, {
      headers: signRequest(req, { accessKey: AK, secretKey: SK }, NOW),
      validateStatus: () => true,
    });
    const bad = await axios.post(req.url, body, {
      headers: signRequest(req, { accessKey: AK, secretKey: "wrong-secret" }, NOW),
      validateStatus: () => true,
    });
    expect(good.status).to.equal(200);
    expect(bad.status).to.equal(401);
    expect(bad.data).to.deep.include({ error_code: "APIGW.0301" });
    expect(results).to.have.length(2);
  });
});

describe("signer: parseAuthorization and X-Sdk-Date", () => {
  it("parseAuthorization round-trips what signRequest wrote", () => {
    const h = signRequest(
      { method: "GET", url: `${DDM}/v3/projects`, headers: { "X-Project-Id": PROJECT } },
      { accessKey: AK, secretKey: SK },
      NOW,
    );
    const p = parseAuthorization(h.Authorization)!;
    expect(p).to.include({ algorithm: "SDK-HMAC-SHA256", accessKey: AK });
    expect(p.signedHeaders).to.deep.equal(["host", "x-project-id", "x-sdk-date"]);
    expect(p.signature).to.match(/^[0-9a-f]{64}$/);
    expect(
      `${p.algorithm} Access=${p.accessKey}, SignedHeaders=${p.signedHeaders.join(";")}, Signature=${p.signature}`,
    ).to.equal(h.Authorization);
  });

  it("parseAuthorization refuses other shapes", () => {
    const sig = "a".repeat(64);
    for (const bad of [
      "",
      "Bearer token",
      `SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=${sig.slice(1)}`,
      `SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;;x, Signature=${sig}`,
      `SDK-HMAC-SHA256 Access=, SignedHeaders=host, Signature=${sig}`,
      `SDK-HMAC-SHA256 SignedHeaders=host, Access=AK, Signature=${sig}`,
    ]) {
      expect(parseAuthorization(bad), bad).to.equal(undefined);
    }
    expect(
      parseAuthorization(`SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=${sig}`),
    ).to.deep.equal({
      algorithm: "SDK-HMAC-SHA256",
      accessKey: "AK",
      signedHeaders: ["host"],
      signature: sig,
    });
  });

  it("formatSdkDate writes YYYYMMDDTHHmmssZ in UTC, dropping milliseconds", () => {
    expect(formatSdkDate(NOW)).to.equal(NOW_SDK);
    expect(formatSdkDate(new Date("2025-05-20T17:40:40+08:00"))).to.equal(NOW_SDK);
    expect(formatSdkDate(new Date(0))).to.equal("19700101T000000Z");
    expect(() => formatSdkDate(new Date(Number.NaN))).to.throw(RangeError);
  });

  it("formatSdkDate and parseSdkDate round-trip (whole seconds)", () => {
    for (const iso of [
      "1970-01-01T00:00:00Z",
      "2024-02-29T23:59:59Z",
      "2025-05-20T09:40:40Z",
      "0999-12-31T01:02:03Z",
    ]) {
      const d = new Date(iso);
      const text = formatSdkDate(d);
      expect(parseSdkDate(text)!.getTime(), iso).to.equal(d.getTime());
      expect(formatSdkDate(parseSdkDate(text)!)).to.equal(text);
    }
  });

  it("parseSdkDate refuses other forms and impossible dates", () => {
    for (const bad of [
      "",
      "20250520T094040",
      "20250520T094040z",
      "2025-05-20T09:40:40Z",
      "20250230T000000Z",
      "20250520T240000Z",
      "20250520T096000Z",
      "20251320T000000Z",
      "20250520T094040Z ",
      "20250520T094040.123Z",
    ]) {
      expect(parseSdkDate(bad), bad).to.equal(undefined);
    }
  });
});
