import { expect } from "chai";
import {
  ENV_NAMES,
  checkProviderConfig,
  cloudDomain,
  defaultAuthUrl,
  defaultEndpoint,
  isLoopbackHost,
  resolveConfig,
} from "../../provider/config";
import { ConfigurationError, ValidationError, redactSecrets } from "../../provider/errors";
import { DEFAULTS, DEFAULT_PAGING, DEFAULT_RETRY } from "../../provider/defaults";

const TOKEN_ENV = { HW_REGION_NAME: "ap-southeast-1", HW_AUTH_TOKEN: "env-token-value" };

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error("expected an error, none was thrown");
}

function validationFailures(fn: () => unknown): { property: string; reason: string }[] {
  const e = thrown(fn);
  expect(ValidationError.isInstance(e), String(e)).to.equal(true);
  return (e as ValidationError).failures;
}

describe("config: resolveConfig", () => {
  describe("precedence, each key on its own", () => {
    it("takes region from the argument, then provider config, then HW_REGION_NAME", () => {
      const env = { ...TOKEN_ENV, HW_REGION_NAME: "cn-north-4" };
      expect(resolveConfig({ region: "eu-west-0" }, { region: "ap-southeast-3" }, env).region).to.equal(
        "eu-west-0",
      );
      expect(resolveConfig({}, { region: "ap-southeast-3" }, env).region).to.equal("ap-southeast-3");
      expect(resolveConfig({}, {}, env).region).to.equal("cn-north-4");
    });

    it("takes projectId from the argument, then config, then HW_PROJECT_ID, then HUAWEICLOUD_SDK_PROJECT_ID", () => {
      const env = { ...TOKEN_ENV, HW_PROJECT_ID: "p-hw", HUAWEICLOUD_SDK_PROJECT_ID: "p-sdk" };
      expect(resolveConfig({ projectId: "p-arg" }, { projectId: "p-cfg" }, env).projectId).to.equal("p-arg");
      expect(resolveConfig({}, { projectId: "p-cfg" }, env).projectId).to.equal("p-cfg");
      expect(resolveConfig({}, {}, env).projectId).to.equal("p-hw");
      expect(resolveConfig({}, {}, { ...env, HW_PROJECT_ID: undefined }).projectId).to.equal("p-sdk");
      expect(resolveConfig({}, {}, TOKEN_ENV).projectId).to.equal(undefined);
    });

    it("takes endpoint from the argument, then config, then HWDDM_ENDPOINT, then the regional default", () => {
      const env = { ...TOKEN_ENV, HWDDM_ENDPOINT: "https://env.example.com" };
      expect(
        resolveConfig({ endpoint: "https://arg.example.com" }, { endpoint: "https://cfg.example.com" }, env)
          .endpoint,
      ).to.equal("https://arg.example.com");
      expect(resolveConfig({}, { endpoint: "https://cfg.example.com" }, env).endpoint).to.equal(
        "https://cfg.example.com",
      );
      expect(resolveConfig({}, {}, env).endpoint).to.equal("https://env.example.com");
      expect(resolveConfig({}, {}, TOKEN_ENV).endpoint).to.equal(
        "https://ddm.ap-southeast-1.myhuaweicloud.com",
      );
    });

    it("takes the access key from config, then HW_ACCESS_KEY, then HUAWEICLOUD_SDK_AK (same for the secret key)", () => {
      const base = { HW_REGION_NAME: "ap-southeast-1" };
      const env = {
        ...base,
        HW_ACCESS_KEY: "AK_HW",
        HW_SECRET_KEY: "sk-hw-secret",
        HUAWEICLOUD_SDK_AK: "AK_SDK",
        HUAWEICLOUD_SDK_SK: "sk-sdk-secret",
      };
      const fromCfg = resolveConfig({}, { accessKey: "AK_CFG", secretKey: "sk-cfg-secret" }, env).auth;
      expect(fromCfg).to.deep.equal({ mode: "aksk", accessKey: "AK_CFG", secretKey: "sk-cfg-secret" });
      expect(resolveConfig({}, {}, env).auth).to.deep.equal({
        mode: "aksk",
        accessKey: "AK_HW",
        secretKey: "sk-hw-secret",
      });
      const sdkOnly = { ...base, HUAWEICLOUD_SDK_AK: "AK_SDK", HUAWEICLOUD_SDK_SK: "sk-sdk-secret" };
      expect(resolveConfig({}, {}, sdkOnly).auth).to.deep.equal({
        mode: "aksk",
        accessKey: "AK_SDK",
        secretKey: "sk-sdk-secret",
      });
    });

    it("reads the security token from HW_SECURITY_TOKEN, then HUAWEICLOUD_SDK_SECURITY_TOKEN", () => {
      const env = { HW_REGION_NAME: "ap-southeast-1", HW_ACCESS_KEY: "AK1", HW_SECRET_KEY: "sk-secret-1" };
      const hw = resolveConfig(
        {},
        {},
        { ...env, HW_SECURITY_TOKEN: "st-hw-value", HUAWEICLOUD_SDK_SECURITY_TOKEN: "st-sdk" },
      );
      expect(hw.auth).to.deep.include({ mode: "aksk", securityToken: "st-hw-value" });
      const sdk = resolveConfig(
        {},
        {},
        {
          HW_REGION_NAME: "ap-southeast-1",
          HUAWEICLOUD_SDK_AK: "AK1",
          HUAWEICLOUD_SDK_SK: "sk-secret-1",
          HUAWEICLOUD_SDK_SECURITY_TOKEN: "st-sdk-value",
        },
      );
      expect(sdk.auth).to.deep.include({ securityToken: "st-sdk-value" });
      // HW_* AK/SK is not completed by a HUAWEICLOUD_SDK_* security token (another layer).
      const mixed = resolveConfig({}, {}, { ...env, HUAWEICLOUD_SDK_SECURITY_TOKEN: "st-sdk-value" });
      expect(mixed.auth).not.to.have.property("securityToken");
      const cfg = resolveConfig(
        {},
        { accessKey: "AK2", secretKey: "sk-secret-2", securityToken: "st-cfg-value" },
        { ...env, HW_SECURITY_TOKEN: "st-hw-value" },
      );
      expect(cfg.auth).to.deep.include({ securityToken: "st-cfg-value" });
      // A provider config AK/SK without a security token is not completed by HW_SECURITY_TOKEN.
      const noSt = resolveConfig(
        {},
        { accessKey: "AK2", secretKey: "sk-secret-2" },
        { ...env, HW_SECURITY_TOKEN: "st-hw-value" },
      );
      expect(noSt.auth).to.deep.equal({ mode: "aksk", accessKey: "AK2", secretKey: "sk-secret-2" });
    });

    it("reads authUrl from config, then HW_AUTH_URL, then HUAWEICLOUD_SDK_IAM_ENDPOINT, then the regional default", () => {
      const env = {
        ...TOKEN_ENV,
        HW_AUTH_URL: "https://iam-hw.example.com/v3",
        HUAWEICLOUD_SDK_IAM_ENDPOINT: "https://iam-sdk.example.com",
      };
      expect(resolveConfig({}, { authUrl: "https://iam-cfg.example.com" }, env).authUrl).to.equal(
        "https://iam-cfg.example.com/v3",
      );
      expect(resolveConfig({}, {}, env).authUrl).to.equal("https://iam-hw.example.com/v3");
      expect(resolveConfig({}, {}, { ...env, HW_AUTH_URL: undefined }).authUrl).to.equal(
        "https://iam-sdk.example.com/v3",
      );
      expect(resolveConfig({}, {}, TOKEN_ENV).authUrl).to.equal(
        "https://iam.ap-southeast-1.myhuaweicloud.com/v3",
      );
    });

    it("reads password credentials from HW_DOMAIN_NAME, HW_USER_NAME and HW_PASSWORD (or HW_USER_PASSWORD)", () => {
      const env = { HW_REGION_NAME: "ap-southeast-1", HW_DOMAIN_NAME: "acme", HW_USER_NAME: "ci-bot" };
      expect(resolveConfig({}, {}, { ...env, HW_PASSWORD: "pw-one-secret" }).auth).to.deep.equal({
        mode: "password",
        domainName: "acme",
        userName: "ci-bot",
        password: "pw-one-secret",
      });
      expect(resolveConfig({}, {}, { ...env, HW_USER_PASSWORD: "pw-two-secret" }).auth).to.deep.include({
        password: "pw-two-secret",
      });
      expect(
        resolveConfig(
          {},
          { domainName: "cfg-acme", userName: "cfg-user", password: "pw-cfg-secret" },
          { ...env, HW_PASSWORD: "pw-one-secret" },
        ).auth,
      ).to.deep.equal({
        mode: "password",
        domainName: "cfg-acme",
        userName: "cfg-user",
        password: "pw-cfg-secret",
      });
    });

    it("takes maxRetries from config, then HW_MAX_RETRIES, then the default", () => {
      expect(resolveConfig({}, { maxRetries: 2 }, { ...TOKEN_ENV, HW_MAX_RETRIES: "7" }).maxRetries).to.equal(
        2,
      );
      expect(resolveConfig({}, {}, { ...TOKEN_ENV, HW_MAX_RETRIES: "7" }).maxRetries).to.equal(7);
      expect(resolveConfig({}, {}, TOKEN_ENV).maxRetries).to.equal(DEFAULT_RETRY.maxRetries);
    });

    it("takes requestTimeout (seconds) from config, then HWDDM_REQUEST_TIMEOUT, and stores milliseconds", () => {
      expect(
        resolveConfig({}, { requestTimeout: "5" }, { ...TOKEN_ENV, HWDDM_REQUEST_TIMEOUT: "9" })
          .requestTimeoutMs,
      ).to.equal(5000);
      expect(resolveConfig({}, {}, { ...TOKEN_ENV, HWDDM_REQUEST_TIMEOUT: "9" }).requestTimeoutMs).to.equal(
        9000,
      );
      expect(resolveConfig({}, {}, TOKEN_ENV).requestTimeoutMs).to.equal(DEFAULTS.requestTimeoutMs);
    });

    it("takes invokeTimeout (seconds) and maxRecords from config, then HWDDM_INVOKE_TIMEOUT / HWDDM_MAX_RECORDS", () => {
      const env = { ...TOKEN_ENV, HWDDM_INVOKE_TIMEOUT: "45", HWDDM_MAX_RECORDS: "5000" };
      expect(resolveConfig({}, { invokeTimeout: "7", maxRecords: 9 }, env)).to.deep.include({
        invokeTimeoutMs: 7000,
        maxRecords: 9,
      });
      expect(resolveConfig({}, {}, env)).to.deep.include({ invokeTimeoutMs: 45_000, maxRecords: 5000 });
      const f = validationFailures(() =>
        resolveConfig({}, { invokeTimeout: 0, maxRecords: "lots" }, TOKEN_ENV),
      );
      expect(f.map((x) => x.property)).to.deep.equal(["invokeTimeout", "maxRecords"]);
    });

    it("takes insecure from config, then HW_INSECURE, default false", () => {
      expect(resolveConfig({}, { insecure: false }, { ...TOKEN_ENV, HW_INSECURE: "true" }).insecure).to.equal(
        false,
      );
      expect(resolveConfig({}, {}, { ...TOKEN_ENV, HW_INSECURE: "true" }).insecure).to.equal(true);
      expect(resolveConfig({}, {}, TOKEN_ENV).insecure).to.equal(false);
    });
  });

  describe("unset values", () => {
    it("treats an environment variable set to the empty string as unset", () => {
      const env = {
        HW_REGION_NAME: "ap-southeast-1",
        HW_ACCESS_KEY: "",
        HUAWEICLOUD_SDK_AK: "AK_SDK",
        HW_SECRET_KEY: "",
        HUAWEICLOUD_SDK_SK: "sk-sdk-secret",
        HW_AUTH_TOKEN: "",
        HW_PROJECT_ID: "",
        HUAWEICLOUD_SDK_PROJECT_ID: "p-sdk",
        HWDDM_ENDPOINT: "",
        HW_MAX_RETRIES: "",
      };
      const c = resolveConfig({}, {}, env);
      expect(c.auth).to.deep.equal({ mode: "aksk", accessKey: "AK_SDK", secretKey: "sk-sdk-secret" });
      expect(c.projectId).to.equal("p-sdk");
      expect(c.endpoint).to.equal("https://ddm.ap-southeast-1.myhuaweicloud.com");
      expect(c.maxRetries).to.equal(DEFAULT_RETRY.maxRetries);
    });

    it("treats an empty or undefined argument or provider config value as unset", () => {
      const c = resolveConfig({ region: "", endpoint: undefined }, { region: "" }, TOKEN_ENV);
      expect(c.region).to.equal("ap-southeast-1");
    });

    it("works from the environment alone when there is no provider config", () => {
      const c = resolveConfig({}, undefined, TOKEN_ENV);
      expect(c).to.deep.equal({
        region: "ap-southeast-1",
        projectId: undefined,
        endpoint: "https://ddm.ap-southeast-1.myhuaweicloud.com",
        authUrl: "https://iam.ap-southeast-1.myhuaweicloud.com/v3",
        auth: { mode: "token", token: "env-token-value" },
        maxRetries: DEFAULT_RETRY.maxRetries,
        requestTimeoutMs: DEFAULTS.requestTimeoutMs,
        invokeTimeoutMs: DEFAULTS.invokeTimeoutMs,
        maxRecords: DEFAULT_PAGING.maxRecords,
        insecure: false,
      });
    });
  });

  describe("missing region and credentials", () => {
    it("reports a missing region and missing credentials in ONE error listing every place to set each", () => {
      const e = thrown(() => resolveConfig({}, {}, {}));
      expect(ConfigurationError.isInstance(e)).to.equal(true);
      const err = e as ConfigurationError;
      expect(err.keys).to.include("region");
      expect(err.keys).to.include.members([
        "authToken",
        "accessKey",
        "secretKey",
        "domainName",
        "userName",
        "password",
      ]);
      expect(err.message).to.include("pass `region` to the function");
      expect(err.message).to.include("hwddm:region");
      expect(err.message).to.include("$HW_REGION_NAME");
      // Short enough to read in a failed preview: each key once, with its first variable.
      expect(err.message.length).to.be.below(520);
      for (const key of [
        "authToken",
        "accessKey",
        "secretKey",
        "domainName",
        "userName",
        "password",
      ] as const) {
        expect(err.message).to.include(`hwddm:${key}`);
        expect(err.message).to.include(`$${ENV_NAMES[key][0]}`);
      }
    });

    it("reports only the region when credentials are present", () => {
      const e = thrown(() =>
        resolveConfig({}, {}, { HW_AUTH_TOKEN: "tok-only-value" }),
      ) as ConfigurationError;
      expect(ConfigurationError.isInstance(e)).to.equal(true);
      expect(e.keys).to.deep.equal(["region"]);
      expect(e.message).to.match(
        /^region is not set: set `hwddm:region`, or \$HW_REGION_NAME, or pass `region` to the function\.$/,
      );
      expect(e.message).not.to.include("tok-only-value");
    });

    it("refuses an access key without a secret key, naming where the secret key can be set", () => {
      const e = thrown(() =>
        resolveConfig({}, { accessKey: "AK_ALONE" }, { HW_REGION_NAME: "ap-southeast-1" }),
      );
      expect(ConfigurationError.isInstance(e)).to.equal(true);
      expect((e as ConfigurationError).keys).to.deep.equal(["secretKey"]);
      expect(String(e)).to.include("accessKey is set (from hwddm:accessKey) but secretKey is not");
      expect(String(e)).to.include("`hwddm:secretKey`");
      expect(String(e)).to.include("the provider config");
    });

    it("refuses a secret key without an access key, and never prints the secret key", () => {
      const e = thrown(() =>
        resolveConfig({}, {}, { HW_REGION_NAME: "ap-southeast-1", HW_SECRET_KEY: "lonely-secret-key-value" }),
      );
      expect(ConfigurationError.isInstance(e)).to.equal(true);
      expect(String(e)).to.include("secretKey is set (from HW_SECRET_KEY) but accessKey is not");
      expect(String(e) + JSON.stringify(e)).not.to.include("lonely-secret-key-value");
    });

    it("refuses a security token without AK/SK", () => {
      const e = thrown(() =>
        resolveConfig({}, {}, { HW_REGION_NAME: "ap-southeast-1", HW_SECURITY_TOKEN: "st-lonely-value" }),
      );
      expect(ConfigurationError.isInstance(e)).to.equal(true);
      expect((e as ConfigurationError).keys).to.deep.equal(["accessKey", "secretKey"]);
    });

    it("refuses a user name without password and domain name, listing where each can be set", () => {
      const e = thrown(() =>
        resolveConfig({}, {}, { HW_REGION_NAME: "ap-southeast-1", HW_USER_NAME: "bob" }),
      );
      expect(ConfigurationError.isInstance(e)).to.equal(true);
      expect((e as ConfigurationError).keys).to.deep.equal(["domainName", "password"]);
      expect(String(e)).to.include("$HW_PASSWORD");
      expect(String(e)).to.include("$HW_DOMAIN_NAME");
    });

    it("reports the region and a half-given pair together", () => {
      const e = thrown(() => resolveConfig({}, {}, { HW_ACCESS_KEY: "AK_X" })) as ConfigurationError;
      expect(e.keys).to.deep.equal(["region", "secretKey"]);
    });
  });

  describe("credentials from one layer", () => {
    const AMBIENT = {
      HW_REGION_NAME: "ap-southeast-1",
      HW_AUTH_TOKEN: "ambient-token-other-account",
      HW_SECRET_KEY: "ambient-secret-key",
      HW_PASSWORD: "ambient-password",
    };

    it("uses an explicit provider's AK/SK even where HW_AUTH_TOKEN is set", () => {
      const c = resolveConfig({}, { accessKey: "AK_EXPLICIT", secretKey: "sk-explicit" }, AMBIENT);
      expect(c.auth).to.deep.equal({ mode: "aksk", accessKey: "AK_EXPLICIT", secretKey: "sk-explicit" });
      expect(c.sources?.accessKey).to.deep.include({
        kind: "config",
        layer: "config",
        name: "hwddm:accessKey",
      });
    });

    it("uses an explicit provider's password even where HW_AUTH_TOKEN is set", () => {
      const c = resolveConfig({}, { domainName: "acme", userName: "bob", password: "pw-explicit" }, AMBIENT);
      expect(c.auth.mode).to.equal("password");
    });

    it("refuses a config accessKey that only HW_SECRET_KEY would complete, naming the key and the layer", () => {
      const e = thrown(() => resolveConfig({}, { accessKey: "AK_CFG" }, AMBIENT)) as ConfigurationError;
      expect(ConfigurationError.isInstance(e)).to.equal(true);
      expect(e.keys).to.deep.equal(["secretKey"]);
      expect(e.message).to.include("accessKey is set (from hwddm:accessKey) but secretKey is not");
      expect(e.message).to.include("credentials are taken whole from the provider config");
      expect(e.message).to.include("$HW_SECRET_KEY is set but not used");
      expect(e.message).not.to.include("ambient-secret-key");
    });

    it("takes HW_* credentials whole and never completes them from HUAWEICLOUD_SDK_*", () => {
      const env = { HW_REGION_NAME: "ap-southeast-1", HW_ACCESS_KEY: "AK_HW", HUAWEICLOUD_SDK_SK: "sk-sdk" };
      const e = thrown(() => resolveConfig({}, {}, env)) as ConfigurationError;
      expect(ConfigurationError.isInstance(e)).to.equal(true);
      expect(e.message).to.include("accessKey is set (from HW_ACCESS_KEY) but secretKey is not");
      expect(e.message).to.include("the HW_* environment variables");
      expect(e.message).to.include("$HW_SECRET_KEY");
      expect(e.message).to.include("$HUAWEICLOUD_SDK_SK is set but not used");
    });

    it("falls to HUAWEICLOUD_SDK_* only when no HW_* credential variable is set", () => {
      const env = {
        HW_REGION_NAME: "ap-southeast-1",
        HUAWEICLOUD_SDK_AK: "AK_SDK",
        HUAWEICLOUD_SDK_SK: "sk-sdk",
      };
      expect(resolveConfig({}, {}, env).auth).to.deep.equal({
        mode: "aksk",
        accessKey: "AK_SDK",
        secretKey: "sk-sdk",
      });
    });

    it("keeps region, project and endpoint per key while credentials come from config", () => {
      const c = resolveConfig(
        { projectId: "p-arg" },
        { authToken: "cfg-token-value" },
        { ...AMBIENT, HWDDM_ENDPOINT: "https://env.example.com" },
      );
      expect(c.auth).to.deep.equal({ mode: "token", token: "cfg-token-value" });
      expect(c.region).to.equal("ap-southeast-1");
      expect(c.endpoint).to.equal("https://env.example.com");
      expect(c.sources?.region).to.deep.include({ kind: "env", name: "HW_REGION_NAME" });
      expect(c.sources?.projectId).to.deep.include({ kind: "argument", name: "the projectId argument" });
    });

    it("names a bad value's source in the face's own words when given a sourceName", () => {
      const e = thrown(() =>
        resolveConfig({ region: "Bad Region" }, {}, TOKEN_ENV, {
          sourceName: (s) => (s.kind === "argument" ? `--${s.key}` : undefined),
        }),
      ) as ValidationError;
      expect(e.failures[0].reason).to.match(/\(from --region\)$/);
      expect(e.failures[0].source).to.deep.include({ kind: "argument", key: "region" });
    });
  });

  describe("auth mode precedence", () => {
    const all = {
      HW_REGION_NAME: "ap-southeast-1",
      HW_AUTH_TOKEN: "tok-precedence",
      HW_ACCESS_KEY: "AK_P",
      HW_SECRET_KEY: "sk-precedence",
      HW_DOMAIN_NAME: "acme",
      HW_USER_NAME: "bob",
      HW_PASSWORD: "pw-precedence",
    };

    it("uses the token when a token is set, whatever else is", () => {
      expect(resolveConfig({}, {}, all).auth).to.deep.equal({ mode: "token", token: "tok-precedence" });
    });

    it("uses AK/SK over password when both keys are set", () => {
      expect(resolveConfig({}, {}, { ...all, HW_AUTH_TOKEN: "" }).auth.mode).to.equal("aksk");
    });

    it("uses password when neither token nor AK/SK is set", () => {
      expect(
        resolveConfig({}, {}, { ...all, HW_AUTH_TOKEN: "", HW_ACCESS_KEY: "", HW_SECRET_KEY: "" }).auth.mode,
      ).to.equal("password");
    });

    it("ignores a half-given AK/SK when a token is set", () => {
      const c = resolveConfig(
        {},
        {},
        { HW_REGION_NAME: "ap-southeast-1", HW_AUTH_TOKEN: "tok-x1", HW_ACCESS_KEY: "AK" },
      );
      expect(c.auth.mode).to.equal("token");
    });
  });

  describe("endpoints", () => {
    it("defaults DDM and IAM endpoints under myhuaweicloud.com, and under myhuaweicloud.eu for eu-west-101", () => {
      expect(defaultEndpoint("cn-north-4")).to.equal("https://ddm.cn-north-4.myhuaweicloud.com");
      expect(defaultAuthUrl("cn-north-4")).to.equal("https://iam.cn-north-4.myhuaweicloud.com/v3");
      expect(defaultEndpoint("eu-west-101")).to.equal("https://ddm.eu-west-101.myhuaweicloud.eu");
      expect(defaultAuthUrl("eu-west-101")).to.equal("https://iam.eu-west-101.myhuaweicloud.eu/v3");
      expect(cloudDomain("eu-west-0")).to.equal("myhuaweicloud.com");
      const c = resolveConfig({ region: "eu-west-101" }, {}, TOKEN_ENV);
      expect(c.endpoint).to.equal("https://ddm.eu-west-101.myhuaweicloud.eu");
      expect(c.authUrl).to.equal("https://iam.eu-west-101.myhuaweicloud.eu/v3");
    });

    it("normalizes authUrl with or without /v3 and a trailing slash to end in /v3", () => {
      for (const given of [
        "https://iam.example.com",
        "https://iam.example.com/",
        "https://iam.example.com/v3",
        "https://iam.example.com/v3/",
      ]) {
        expect(resolveConfig({}, { authUrl: given }, TOKEN_ENV).authUrl, given).to.equal(
          "https://iam.example.com/v3",
        );
      }
    });

    it("accepts an endpoint with or without a trailing /v3 (the DDM paths start with /v3)", () => {
      for (const given of [
        "https://ddm.example.com",
        "https://ddm.example.com/v3",
        "https://ddm.example.com/v3/",
      ]) {
        expect(resolveConfig({ endpoint: given }, {}, TOKEN_ENV).endpoint, given).to.equal(
          "https://ddm.example.com",
        );
        expect(resolveConfig({}, { endpoint: given }, TOKEN_ENV).endpoint, given).to.equal(
          "https://ddm.example.com",
        );
      }
      expect(resolveConfig({ endpoint: "https://gw.example.com/ddm/v3" }, {}, TOKEN_ENV).endpoint).to.equal(
        "https://gw.example.com/ddm",
      );
    });

    it("keeps an endpoint path prefix and drops a trailing slash", () => {
      expect(resolveConfig({ endpoint: "https://gw.example.com/ddm/" }, {}, TOKEN_ENV).endpoint).to.equal(
        "https://gw.example.com/ddm",
      );
      expect(resolveConfig({ endpoint: "https://gw.example.com:8443" }, {}, TOKEN_ENV).endpoint).to.equal(
        "https://gw.example.com:8443",
      );
    });

    it("refuses a plain http:// endpoint or authUrl on a non-loopback host, naming the key", () => {
      const f = validationFailures(() =>
        resolveConfig(
          { endpoint: "http://ddm.example.com" },
          { authUrl: "http://iam.example.com/v3" },
          TOKEN_ENV,
        ),
      );
      expect(f.map((x) => x.property)).to.deep.equal(["endpoint", "authUrl"]);
      expect(f[0].reason).to.include("plain http:// is allowed only for a loopback host");
      expect(f[0].reason).to.include("(from the endpoint argument)");
      expect(f[1].reason).to.include("(from hwddm:authUrl)");
    });

    it("allows http:// on loopback hosts: 127.0.0.0/8, localhost and [::1]", () => {
      for (const url of [
        "http://127.0.0.1:8080",
        "http://127.3.4.5",
        "http://localhost:9000",
        "http://[::1]:8080",
      ]) {
        expect(resolveConfig({ endpoint: url }, {}, TOKEN_ENV).endpoint, url).to.equal(url);
      }
      expect(isLoopbackHost("128.0.0.1")).to.equal(false);
      expect(isLoopbackHost("localhost.example.com")).to.equal(false);
    });

    it("allows http:// on any host when insecure is true", () => {
      const c = resolveConfig({ endpoint: "http://ddm.example.com" }, { insecure: "true" }, TOKEN_ENV);
      expect(c.endpoint).to.equal("http://ddm.example.com");
      expect(c.insecure).to.equal(true);
    });

    it("refuses endpoints that are not absolute http(s) URLs, or carry a query, fragment or credentials", () => {
      for (const bad of [
        "ddm.example.com",
        "ftp://ddm.example.com",
        "https://ddm.example.com/?x=1",
        "https://ddm.example.com/#frag",
        "https://user:pw@ddm.example.com",
      ]) {
        const f = validationFailures(() => resolveConfig({ endpoint: bad }, {}, TOKEN_ENV));
        expect(
          f.map((x) => x.property),
          bad,
        ).to.deep.equal(["endpoint"]);
      }
    });
  });

  describe("value checks", () => {
    it("refuses a region that does not look like a region name", () => {
      for (const bad of ["AP-SOUTHEAST-1", "ap southeast", "ap_southeast_1", "-x", "x/y"]) {
        const f = validationFailures(() => resolveConfig({ region: bad }, {}, TOKEN_ENV));
        expect(f[0].property, bad).to.equal("region");
        expect(f[0].reason).to.include("lowercase letters, digits and hyphens");
      }
    });

    it("refuses a project id that is not a safe path segment", () => {
      const f = validationFailures(() => resolveConfig({ projectId: "a/../b" }, {}, TOKEN_ENV));
      expect(f[0].property).to.equal("projectId");
    });

    it("accepts maxRetries 0..10 as integers or digit strings and refuses the rest", () => {
      expect(resolveConfig({}, { maxRetries: 0 }, TOKEN_ENV).maxRetries).to.equal(0);
      expect(resolveConfig({}, { maxRetries: "10" }, TOKEN_ENV).maxRetries).to.equal(10);
      for (const bad of [-1, 11, 2.5, "four", "1e1", true]) {
        const f = validationFailures(() => resolveConfig({}, { maxRetries: bad as number }, TOKEN_ENV));
        expect(f[0].property).to.equal("maxRetries");
        expect(f[0].reason).to.include("expected an integer from 0 to 10");
      }
    });

    it("accepts requestTimeout 1..600 seconds and refuses the rest", () => {
      expect(resolveConfig({}, { requestTimeout: 600 }, TOKEN_ENV).requestTimeoutMs).to.equal(600_000);
      for (const bad of [0, 601, "0.5", "abc"]) {
        const f = validationFailures(() => resolveConfig({}, { requestTimeout: bad }, TOKEN_ENV));
        expect(f[0].property).to.equal("requestTimeout");
      }
    });

    it("accepts insecure as a boolean or true/false/1/0 and refuses the rest", () => {
      expect(resolveConfig({}, { insecure: "FALSE" }, TOKEN_ENV).insecure).to.equal(false);
      expect(resolveConfig({}, {}, { ...TOKEN_ENV, HW_INSECURE: "1" }).insecure).to.equal(true);
      const f = validationFailures(() => resolveConfig({}, { insecure: "yes" }, TOKEN_ENV));
      expect(f[0].property).to.equal("insecure");
    });

    it("reports every bad value at once, each naming its key and where the value came from", () => {
      const f = validationFailures(() =>
        resolveConfig(
          { region: "Bad Region" },
          { maxRetries: "x" },
          { HW_AUTH_TOKEN: "tok-bad-values", HW_INSECURE: "maybe", HWDDM_ENDPOINT: "nope" },
        ),
      );
      expect(f.map((x) => x.property)).to.deep.equal(["region", "endpoint", "maxRetries", "insecure"]);
      expect(f[0].reason).to.include("(from the region argument)");
      expect(f[1].reason).to.include("(from HWDDM_ENDPOINT)");
      expect(f[2].reason).to.include("(from hwddm:maxRetries)");
      expect(f[3].reason).to.include("(from HW_INSECURE)");
    });

    it("refuses a credential with whitespace or control characters without printing it", () => {
      const e = thrown(() =>
        resolveConfig({}, {}, { HW_REGION_NAME: "ap-southeast-1", HW_AUTH_TOKEN: "tok-with-newline\n" }),
      );
      expect(ValidationError.isInstance(e)).to.equal(true);
      expect((e as ValidationError).failures[0].property).to.equal("authToken");
      expect((e as ValidationError).failures[0].reason).to.include("trailing newline");
      expect(String(e) + JSON.stringify(e)).not.to.include("tok-with-newline");
    });

    it("never prints a secret value of the wrong type", () => {
      const e = thrown(() =>
        resolveConfig(
          {},
          { password: 987654321 as unknown as string, userName: "u", domainName: "d" },
          TOKEN_ENV,
        ),
      );
      expect(ValidationError.isInstance(e)).to.equal(true);
      expect(
        (e as ValidationError).failures.map((f) => ({ property: f.property, reason: f.reason })),
      ).to.deep.equal([
        { property: "password", reason: "got a number; expected a string (from hwddm:password)" },
      ]);
      expect(String(e) + JSON.stringify(e)).not.to.include("987654321");
    });

    it("registers every secret it reads for redaction", () => {
      resolveConfig(
        {},
        { authToken: "tok-register-me", secretKey: "sk-register-me", password: "pw-register-me" },
        { HW_REGION_NAME: "ap-southeast-1", HW_SECURITY_TOKEN: "st-register-me", HW_ACCESS_KEY: "AK" },
      );
      const text = "tok-register-me sk-register-me pw-register-me st-register-me";
      expect(redactSecrets(text)).to.equal("[REDACTED] [REDACTED] [REDACTED] [REDACTED]");
    });
  });
});

describe("config: checkProviderConfig", () => {
  it("converts strings to typed values and normalizes URLs", () => {
    const r = checkProviderConfig({
      region: "ap-southeast-1",
      maxRetries: "4",
      requestTimeout: "30",
      insecure: "true",
      authUrl: "https://iam.example.com/",
      endpoint: "https://ddm.example.com/",
    });
    expect(r.failures).to.deep.equal([]);
    expect(r.config).to.deep.equal({
      region: "ap-southeast-1",
      maxRetries: 4,
      requestTimeout: 30,
      insecure: true,
      authUrl: "https://iam.example.com/v3",
      endpoint: "https://ddm.example.com",
    });
  });

  it("keeps typed values as they are and drops unset ones", () => {
    const r = checkProviderConfig({
      maxRetries: 0,
      insecure: false,
      region: "",
      projectId: null,
      endpoint: undefined,
    });
    expect(r.failures).to.deep.equal([]);
    expect(r.config).to.deep.equal({ maxRetries: 0, insecure: false });
  });

  it("reports one failure per bad key, with the key as property", () => {
    const r = checkProviderConfig({
      region: "Not A Region",
      maxRetries: "11",
      requestTimeout: "soon",
      insecure: "perhaps",
      endpoint: "http://ddm.example.com",
      authUrl: "not a url",
      projectId: "a b",
    });
    expect(r.failures.map((f) => f.property).sort()).to.deep.equal(
      ["authUrl", "endpoint", "insecure", "maxRetries", "projectId", "region", "requestTimeout"].sort(),
    );
    expect(r.config).to.deep.equal({});
  });

  it("refuses unknown keys, listing the known ones", () => {
    const r = checkProviderConfig({ regoin: "ap-southeast-1" });
    expect(r.failures).to.have.length(1);
    expect(r.failures[0].property).to.equal("regoin");
    expect(r.failures[0].reason).to.include("unknown configuration key; expected one of region, projectId");
  });

  it("drops the engine's own provider inputs (version, pluginDownloadURL)", () => {
    const r = checkProviderConfig({ version: "0.1.0", pluginDownloadURL: "https://x", region: "cn-north-4" });
    expect(r.failures).to.deep.equal([]);
    expect(r.config).to.deep.equal({ region: "cn-north-4" });
  });

  it("unwraps Pulumi secret values and registers them for redaction", () => {
    const r = checkProviderConfig({
      password: {
        "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
        value: "pw-wrapped-secret",
      },
    });
    expect(r.failures).to.deep.equal([]);
    expect(r.config).to.deep.equal({ password: "pw-wrapped-secret" });
    expect(redactSecrets("x pw-wrapped-secret")).to.equal("x [REDACTED]");
  });

  it("allows http:// with insecure given alongside, and on loopback", () => {
    expect(
      checkProviderConfig({ endpoint: "http://ddm.example.com", insecure: true }).failures,
    ).to.deep.equal([]);
    expect(checkProviderConfig({ endpoint: "http://127.0.0.1:1234" }).failures).to.deep.equal([]);
  });

  it("never echoes a bad secret value in a failure", () => {
    const r = checkProviderConfig({ secretKey: "sk bad\twith-space-secret" });
    expect(r.failures[0].property).to.equal("secretKey");
    expect(JSON.stringify(r.failures)).not.to.include("with-space-secret");
  });
});
