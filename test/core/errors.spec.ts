import { inspect } from "node:util";
import { expect } from "chai";
import * as errors from "../../provider/errors";
import { DEFAULTS } from "../../provider/defaults";
import {
  ApiError,
  ConfigurationError,
  HwddmError,
  NetworkError,
  ResponseError,
  SelectionError,
  ValidationError,
  describeValue,
  redactSecrets,
  registerSecret,
} from "../../provider/errors";

type ErrorsModule = typeof errors;

// Improbable values, so that registering them cannot redact anything in other specs.
const PASSWORD = "pw-7Qx!errors-spec-Zr9";
const SECRET_KEY = "sk-errors-spec-Jd83kLm0Qp2Vx7";
const TOKEN = "MIIEerrorsSpecTokenZ0x1y2z3";
const SIGNATURE = "9f1c0e".repeat(10) + "abcd";

/** A second, independent copy of provider/errors (as when two copies of the package are loaded). */
function loadSecondCopy(): ErrorsModule {
  const key = require.resolve("../../provider/errors");
  const original = require.cache[key];
  delete require.cache[key];
  try {
    return require("../../provider/errors") as ErrorsModule;
  } finally {
    // Put the original back so that modules required later still share this spec's copy.
    if (original) require.cache[key] = original;
  }
}

const request = {
  method: "GET",
  path: "/v3/p/instances/i/backups/restorable-instances?offset=0&limit=128",
  attempts: 3,
};

function samples(m: ErrorsModule) {
  return {
    validation: m.ValidationError.field("instanceId", "a/b", 'expected an id without "/"'),
    configuration: new m.ConfigurationError("missing region: set it as ...", ["region"]),
    api: new m.ApiError({
      status: 400,
      errorCode: "DBS.280001",
      errorMsg: "Parameter error.",
      requestId: "req-123",
      request,
    }),
    network: new m.NetworkError({
      code: "ECONNRESET",
      detail: "socket hang up",
      request: { ...request, attempts: 5 },
    }),
    response: new m.ResponseError({
      field: "instances[3].available",
      detail: "expected boolean, got string",
      status: 200,
      requestId: "req-9",
      request,
    }),
    selection: new m.SelectionError("no restore target matches name=foo"),
  };
}

describe("errors: one family with brands", () => {
  const all = samples(errors);
  const classes = {
    validation: ValidationError,
    configuration: ConfigurationError,
    api: ApiError,
    network: NetworkError,
    response: ResponseError,
    selection: SelectionError,
  } as const;

  for (const [kind, err] of Object.entries(all)) {
    it(`${err.name} is a HwddmError of kind ${kind} and an Error`, () => {
      expect(HwddmError.isInstance(err)).to.equal(true);
      expect(err).to.be.instanceOf(Error).and.instanceOf(HwddmError);
      expect(err.kind).to.equal(kind);
    });

    it(`only the matching isInstance accepts a ${err.name} (ApiError also accepts NetworkError)`, () => {
      for (const [otherKind, cls] of Object.entries(classes)) {
        const expected = otherKind === kind || (otherKind === "api" && kind === "network");
        expect(cls.isInstance(err), `${otherKind}.isInstance(${kind})`).to.equal(expected);
      }
    });
  }

  it("isInstance refuses non-errors, plain Errors and look-alikes", () => {
    const lookAlike = Object.assign(new Error("x"), { kind: "api", name: "ApiError", status: 400 });
    for (const v of [
      null,
      undefined,
      0,
      "ApiError",
      {},
      new Error("x"),
      lookAlike,
      { [Symbol("pulumi-hwddm.error")]: "api" },
    ]) {
      expect(HwddmError.isInstance(v), inspect(v)).to.equal(false);
      expect(ApiError.isInstance(v)).to.equal(false);
    }
  });

  it("isInstance works across a second copy of the module, in both directions, per kind", () => {
    const copy = loadSecondCopy();
    expect(copy).not.to.equal(errors);
    expect(copy.ValidationError).not.to.equal(ValidationError);
    const theirs = samples(copy);
    const ours = samples(errors);
    // instanceof cannot see across copies; the brand can.
    expect(theirs.validation instanceof ValidationError).to.equal(false);
    expect(ValidationError.isInstance(theirs.validation)).to.equal(true);
    expect(copy.ValidationError.isInstance(ours.validation)).to.equal(true);
    expect(copy.ApiError.isInstance(ours.network)).to.equal(true);
    expect(NetworkError.isInstance(theirs.api)).to.equal(false);
    expect(copy.SelectionError.isInstance(ours.response)).to.equal(false);
    expect(ResponseError.isInstance(theirs.response)).to.equal(true);
    expect(HwddmError.isInstance(theirs.configuration)).to.equal(true);
  });

  it("a secret registered through one copy is redacted by the other", () => {
    const copy = loadSecondCopy();
    const secret = "cross-copy-secret-4Hq8";
    registerSecret(secret);
    expect(copy.redactSecrets(`value ${secret}`)).to.equal("value [REDACTED]");
    const e = new copy.ConfigurationError(`bad ${secret}`);
    expect(e.message).not.to.include(secret);
  });
});

describe("errors: the secret registry stays bounded and fast", () => {
  // The registry is process-wide: keep what this file registered before and put it back after.
  const registry = (globalThis as Record<symbol, unknown>)[Symbol.for("pulumi-hwddm.secrets")] as Set<string>;
  let saved: string[] = [];
  before(() => {
    saved = [...registry];
  });
  after(() => {
    for (const s of saved) registerSecret(s);
  });

  it("stays longest-first after the cached order is built and the set then changes", () => {
    const short = "cache-order-secret-A1";
    registerSecret(short);
    expect(redactSecrets(`x ${short}`)).to.equal("x [REDACTED]"); // builds the cached order
    const long = `${short}-longer-Q7`;
    registerSecret(long);
    expect(redactSecrets(`k ${long} ${short}`)).to.equal("k [REDACTED] [REDACTED]");
  });

  it("sees a secret another loaded copy registers after the cached order was built", () => {
    const short = "cross-copy-order-B2";
    registerSecret(short);
    expect(redactSecrets(short)).to.equal("[REDACTED]");
    const long = `${short}-through-the-copy`;
    loadSecondCopy().registerSecret(long);
    expect(redactSecrets(`v ${long}`)).to.equal("v [REDACTED]");
  });

  it("keeps at most DEFAULTS.maxRegisteredSecrets values, dropping the least recently registered", () => {
    const cap = DEFAULTS.maxRegisteredSecrets;
    expect(cap).to.equal(1_000);
    const value = (i: number) => `cap-check-secret-${String(i).padStart(5, "0")}`;
    const kept = "cap-check-kept-alive-by-use";
    registerSecret(kept);
    for (let i = 0; i < cap + 5; i++) {
      registerSecret(value(i));
      if (i % 100 === 0) registerSecret(kept); // in use: registered again, so never the oldest
    }
    expect(registry.size).to.equal(cap);
    for (let i = 0; i < 6; i++) expect(redactSecrets(value(i)), value(i)).to.equal(value(i));
    for (const i of [6, 500, cap + 4]) expect(redactSecrets(value(i))).to.equal("[REDACTED]");
    expect(redactSecrets(kept)).to.equal("[REDACTED]");
  });

  it("registers 10,000 secrets and then redacts 1,000 texts quickly (no per-call sort of a growing set)", () => {
    const started = process.hrtime.bigint();
    for (let i = 0; i < 10_000; i++) registerSecret(`speed-check-token-${i}-${"x".repeat(i % 40)}`);
    const text =
      "GET /v3/p/instances/i/backups/restorable-instances -> 200 speed-check-token-9999-" + "x".repeat(39);
    let out = "";
    for (let i = 0; i < 1_000; i++) out = redactSecrets(text);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    expect(out).to.equal("GET /v3/p/instances/i/backups/restorable-instances -> 200 [REDACTED]");
    expect(registry.size).to.equal(DEFAULTS.maxRegisteredSecrets);
    expect(ms).to.be.below(2_000);
  });
});

describe("errors: what each error says", () => {
  it("ApiError message carries method, path, status, error_code, error_msg, request id and attempts", () => {
    const e = new ApiError({
      status: 409,
      errorCode: "DBS.200019",
      errorMsg: "Operation conflict.",
      requestId: "a1b2c3",
      request,
      retryable: true,
    });
    expect(e.message).to.equal(
      `DDM API GET ${request.path} failed with HTTP 409, error_code DBS.200019, ` +
        `error_msg "Operation conflict.", request id a1b2c3, after 3 attempts`,
    );
    expect(e).to.include({
      status: 409,
      errorCode: "DBS.200019",
      errorMsg: "Operation conflict.",
      requestId: "a1b2c3",
      method: "GET",
      path: request.path,
      attempts: 3,
      retryable: true,
    });
  });

  it("ApiError leaves out what it does not know and defaults to not retryable", () => {
    const e = new ApiError({ status: 500, request: { method: "GET", path: "/x", attempts: 1 } });
    expect(e.message).to.equal("DDM API GET /x failed with HTTP 500");
    expect(e).to.include({ errorCode: "", errorMsg: "", requestId: "", retryable: false });
  });

  it("NetworkError has status 0, keeps the code and is retryable by default", () => {
    const e = samples(errors).network;
    expect(e).to.include({
      status: 0,
      errorCode: "ECONNRESET",
      errorMsg: "socket hang up",
      attempts: 5,
      retryable: true,
    });
    expect(e.message).to.include("network error ECONNRESET").and.include("after 5 attempts");
  });

  it("ValidationError.field names the field, shows the value and what is allowed", () => {
    const e = ValidationError.field("limit", 0, "expected an integer >= 1");
    expect(e.message).to.equal("invalid limit: got 0; expected an integer >= 1");
    expect(e.failures).to.deep.equal([{ property: "limit", reason: "got 0; expected an integer >= 1" }]);
    expect(e.field).to.equal("limit");
  });

  it("ValidationError keeps the reason of a field whose name looks like a credential (token, password)", () => {
    const e = new ValidationError([{ property: "token", reason: "unknown function hwddm:backup:nope" }]);
    expect(e.message).to.equal("invalid token: unknown function hwddm:backup:nope");
    const p = ValidationError.field("password", 5, "expected a string");
    expect(p.message).to.equal("invalid password: got 5; expected a string");
  });

  it("ValidationError with no failures still says something", () => {
    const e = new ValidationError([]);
    expect(e.failures).to.deep.equal([{ property: "(input)", reason: "invalid input" }]);
  });

  it("ResponseError names the field and the request", () => {
    const e = samples(errors).response;
    expect(e.message).to.equal(
      `malformed DDM API response to GET ${request.path}: instances[3].available: expected boolean, got string (request id req-9)`,
    );
    expect(e).to.include({ field: "instances[3].available", status: 200, requestId: "req-9" });
  });

  it("ConfigurationError keeps the keys", () => {
    expect(samples(errors).configuration.keys).to.deep.equal(["region"]);
  });

  it("describeValue prints values briefly", () => {
    expect(describeValue(undefined)).to.equal("nothing");
    expect(describeValue(null)).to.equal("null");
    expect(describeValue("ab")).to.equal('"ab"');
    expect(describeValue("x".repeat(100))).to.equal(`"${"x".repeat(64)}…(100 characters)"`);
    expect(describeValue(1.5)).to.equal("1.5");
    expect(describeValue(false)).to.equal("false");
    expect(describeValue([1])).to.equal("an array");
    expect(describeValue({ a: 1 })).to.equal("an object");
    expect(describeValue(() => 1)).to.equal("a function");
  });
});

describe("errors: secret redaction", () => {
  before(() => {
    for (const s of [PASSWORD, SECRET_KEY, TOKEN]) registerSecret(s);
  });

  it("redactSecrets removes registered secrets wherever they appear", () => {
    expect(redactSecrets(`a ${PASSWORD} b ${SECRET_KEY}${TOKEN}`)).to.equal(
      "a [REDACTED] b [REDACTED][REDACTED]",
    );
  });

  it("redactSecrets removes the Signature= and Access= fragments of an Authorization header", () => {
    const text = `Authorization: SDK-HMAC-SHA256 Access=HPUAZ4MZKG5YC1NDWXEF, SignedHeaders=host;x-sdk-date, Signature=${SIGNATURE}`;
    const out = redactSecrets(text);
    expect(out).not.to.include(SIGNATURE);
    expect(out).not.to.include("HPUAZ4MZKG5YC1NDWXEF");
    expect(out)
      .to.include("Signature=[REDACTED]")
      .and.include("Access=[REDACTED]")
      .and.include("SignedHeaders=host;x-sdk-date");
  });

  it("redactSecrets removes credential-shaped key/value fragments, unregistered ones too", () => {
    const cases: [string, string][] = [
      ["password=hunter2x", "password=[REDACTED]"],
      ['{"password":"hunter2x"}', '{"password":"[REDACTED]"}'],
      ["X-Auth-Token: MIIBunregistered", "X-Auth-Token: [REDACTED]"],
      ["x-security-token=abc123", "x-security-token=[REDACTED]"],
      ['{"secretKey":"unregisteredSK"}', '{"secretKey":"[REDACTED]"}'],
      ["secret_key=unregisteredSK", "secret_key=[REDACTED]"],
      ["SecretAccessKey: unregisteredSK", "SecretAccessKey: [REDACTED]"],
    ];
    for (const [input, output] of cases) expect(redactSecrets(input), input).to.equal(output);
  });

  it("a secret that contains another registered secret is redacted whole", () => {
    const short = "ovl-secret-1";
    const long = `${short}-and-more-9x`;
    registerSecret(short);
    registerSecret(long);
    expect(redactSecrets(`k ${long} ${short}`)).to.equal("k [REDACTED] [REDACTED]");
  });

  it("a ValidationError's failures (shown by JSON) are scrubbed like its message", () => {
    const e = new ValidationError([
      { property: "password", reason: `got "${PASSWORD}"; expected at least 8 characters` },
      { property: "endpoint", reason: 'got "http://h/?token=abc123"; expected https' },
    ]);
    expect(e.failures).to.deep.equal([
      { property: "password", reason: 'got "[REDACTED]"; expected at least 8 characters' },
      { property: "endpoint", reason: 'got "http://h/?token=[REDACTED]"; expected https' },
    ]);
    expect(e.message).to.equal(
      'invalid input: password: got "[REDACTED]"; expected at least 8 characters; endpoint: got "http://h/?token=[REDACTED]"; expected https',
    );
  });

  it("values shorter than 4 characters are not registered (they would redact ordinary words)", () => {
    registerSecret("GET");
    registerSecret(undefined);
    expect(redactSecrets("GET /v3")).to.equal("GET /v3");
  });

  const withSecrets = () => ({
    validation: ValidationError.field("password", PASSWORD, "expected at least 8 characters"),
    configuration: new ConfigurationError(`cannot use secret key ${SECRET_KEY} without an access key`, [
      "accessKey",
    ]),
    api: new ApiError(
      {
        status: 401,
        errorCode: "APIGW.0301",
        errorMsg: `Incorrect IAM authentication information: token ${TOKEN}, Signature=${SIGNATURE}`,
        requestId: "r-1",
        request,
      },
      {
        cause: Object.assign(new Error(`request failed with X-Auth-Token: ${TOKEN}`), {
          code: "ERR_BAD_REQUEST",
        }),
      },
    ),
    network: new NetworkError({
      code: "ETIMEDOUT",
      detail: `timeout with password=${PASSWORD}`,
      request,
    }),
    response: new ResponseError({
      field: "(body)",
      detail: `unexpected ${SECRET_KEY}`,
      status: 200,
      request,
    }),
    selection: new SelectionError(`no target named ${PASSWORD}`),
  });

  for (const kind of ["validation", "configuration", "api", "network", "response", "selection"] as const) {
    it(`${kind}: message, toString() and JSON.stringify() carry no secret and keep the facts`, () => {
      const e = withSecrets()[kind];
      const texts = [e.message, e.toString(), JSON.stringify(e), String(e.stack)];
      for (const text of texts) {
        for (const secret of [PASSWORD, SECRET_KEY, TOKEN, SIGNATURE]) expect(text).not.to.include(secret);
      }
      expect(e.toString()).to.equal(`${e.name}: ${e.message}`);
      const json = JSON.parse(JSON.stringify(e)) as Record<string, unknown>;
      expect(json).to.include({ name: e.name, kind, message: e.message });
      expect(json).not.to.have.property("cause");
      expect(json).not.to.have.property("stack");
    });
  }

  it("JSON of each kind carries its own fields", () => {
    const e = withSecrets();
    expect(JSON.parse(JSON.stringify(e.api))).to.include({
      status: 401,
      errorCode: "APIGW.0301",
      requestId: "r-1",
      attempts: 3,
    });
    expect(JSON.parse(JSON.stringify(e.network))).to.include({
      status: 0,
      errorCode: "ETIMEDOUT",
      retryable: true,
    });
    expect(JSON.parse(JSON.stringify(e.validation)).failures[0]).to.include({ property: "password" });
    expect(JSON.parse(JSON.stringify(e.configuration))).to.deep.include({ keys: ["accessKey"] });
    expect(JSON.parse(JSON.stringify(e.response))).to.include({ field: "(body)", status: 200 });
  });

  it("a cause keeps only name, code and a redacted message, and is not enumerable", () => {
    const e = withSecrets().api;
    const cause = e.cause as Error & { code?: string };
    expect(cause).to.be.instanceOf(Error);
    expect(cause.message).to.equal("request failed with X-Auth-Token: [REDACTED]");
    expect(cause.code).to.equal("ERR_BAD_REQUEST");
    expect(Object.keys(e)).not.to.include("cause");
  });

  it("a cause that is not an Error is dropped; a HwddmError cause is kept as is", () => {
    expect(new SelectionError("x").cause).to.equal(undefined);
    const inner = new ConfigurationError("inner");
    expect(new ApiError({ status: 500, request }, { cause: inner }).cause).to.equal(inner);
    expect(new ApiError({ status: 500, request }, { cause: { headers: { token: TOKEN } } }).cause).to.equal(
      undefined,
    );
  });
});
