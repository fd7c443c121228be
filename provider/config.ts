/**
 * Configuration resolution: the one place that decides region, project, endpoints,
 * credentials, retries and timeouts, for every face.
 *
 * Each key is taken from the first of these that has it:
 *   1. the function argument (only `region`, `projectId`, `endpoint`);
 *   2. the provider config (`hwddm:<key>` stack config, an explicit provider, CLI flags);
 *   3. the environment, in the order of `ENV_NAMES[key]` (`HW_*` as the Huawei Cloud
 *      Terraform provider reads them, then `HUAWEICLOUD_SDK_*` as Huawei's SDKs do,
 *      then our own `HWDDM_*`);
 *   4. the default.
 * `undefined`, `null` and `""` count as unset at every level (an exported but empty
 * environment variable does not hide the next one).
 *
 * Credentials pick one mode, in this order: an IAM token (`authToken`), else AK/SK (both
 * `accessKey` and `secretKey`, optionally `securityToken`), else IAM password
 * (`domainName` + `userName` + `password`). A half-given set (an access key without its
 * secret key, a user name without a password) is an error unless a mode above it is
 * complete. Missing region and missing credentials are reported in ONE ConfigurationError
 * that lists every place each value can be set.
 */
import { ConfigurationError, InputFailure, ValidationError, describeValue, registerSecret } from "./errors";
import { AuthConfig, CONFIG_KEYS, ProviderConfigInput, ResolvedConfig, SECRET_CONFIG_KEYS } from "./types";
import { DEFAULTS, DEFAULT_RETRY } from "./defaults";
import { idProblem } from "./validate";

type Key = keyof ProviderConfigInput;

/** Defaults of the keys that have one (what `resolveConfig` falls back to), in config units. */
export const CONFIG_DEFAULTS = Object.freeze({
  maxRetries: DEFAULT_RETRY.maxRetries,
  requestTimeout: DEFAULTS.requestTimeoutMs / 1000,
  insecure: false,
});

/** Environment variables read for each key, first match wins. */
export const ENV_NAMES: Readonly<Record<Key, readonly string[]>> = Object.freeze({
  region: ["HW_REGION_NAME"],
  projectId: ["HW_PROJECT_ID", "HUAWEICLOUD_SDK_PROJECT_ID"],
  endpoint: ["HWDDM_ENDPOINT"],
  authToken: ["HW_AUTH_TOKEN"],
  accessKey: ["HW_ACCESS_KEY", "HUAWEICLOUD_SDK_AK"],
  secretKey: ["HW_SECRET_KEY", "HUAWEICLOUD_SDK_SK"],
  securityToken: ["HW_SECURITY_TOKEN", "HUAWEICLOUD_SDK_SECURITY_TOKEN"],
  authUrl: ["HW_AUTH_URL", "HUAWEICLOUD_SDK_IAM_ENDPOINT"],
  domainName: ["HW_DOMAIN_NAME"],
  userName: ["HW_USER_NAME"],
  // HW_USER_PASSWORD is the name the Terraform provider itself reads.
  password: ["HW_PASSWORD", "HW_USER_PASSWORD"],
  maxRetries: ["HW_MAX_RETRIES"],
  // The Terraform provider has no timeout variable, so this one is ours.
  requestTimeout: ["HWDDM_REQUEST_TIMEOUT"],
  insecure: ["HW_INSECURE"],
});

/** Keys a data function takes as an argument (they override the provider config). */
export type ConfigArgs = { region?: string; projectId?: string; endpoint?: string };

const ARG_KEYS: readonly Key[] = ["region", "projectId", "endpoint"];

/** Bounds of the numeric keys. */
export const CONFIG_LIMITS = Object.freeze({
  maxRetries: { min: 0, max: 10 },
  requestTimeout: { min: 1, max: 600 },
});

/**
 * Provider inputs that the Pulumi engine adds to an explicit provider's inputs besides
 * the schema's config keys; `checkProviderConfig` drops them instead of refusing them.
 */
export const ENGINE_KEYS: readonly string[] = [
  "version",
  "pluginDownloadURL",
  "pluginChecksums",
  "parameterization",
];

/** True for an input the engine adds (ENGINE_KEYS, or any `__`-prefixed internal key). */
export function isEngineKey(key: string): boolean {
  return ENGINE_KEYS.includes(key) || key.startsWith("__");
}

/** Where a value came from, for messages: `the region argument`, `hwddm:region`, `HW_REGION_NAME`. */
type Source = { kind: "argument" | "config" | "env" | "default"; name: string };

function isSecretKey(key: Key): boolean {
  return SECRET_CONFIG_KEYS.includes(key);
}

function isSet(v: unknown): boolean {
  return v !== undefined && v !== null && v !== "";
}

/** A Pulumi secret as it arrives over gRPC when `acceptSecrets` is on: `{<sig>: <secret sig>, value}`. */
export const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG_VALUE = "1b47061264138c4ac30d75fd1eb44270";

/** The value inside a Pulumi secret wrapper, or `v` itself when it is not wrapped. */
export function unwrapSecret(v: unknown): unknown {
  if (
    typeof v === "object" &&
    v !== null &&
    (v as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG_VALUE
  ) {
    return (v as Record<string, unknown>).value;
  }
  return v;
}

// ---------------------------------------------------------------------------------------
// Value checks (shared by resolveConfig and checkProviderConfig)

const REGION_RE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
// Header-safe: printable ASCII, no whitespace (a trailing newline from `$(cat file)` is the usual culprit).
const HEADER_SAFE_RE = /^[\x21-\x7e]+$/;

export type Checked = { ok: true; value: unknown } | { ok: false; reason: string };

function shown(key: Key, v: unknown): string {
  // Never print a secret, not even a wrong one.
  if (isSecretKey(key))
    return typeof v === "string" ? "a string" : `a ${Array.isArray(v) ? "array" : typeof v}`;
  return describeValue(v);
}

function checkString(key: Key, v: unknown): Checked {
  if (typeof v !== "string") return { ok: false, reason: `got ${shown(key, v)}; expected a string` };
  return { ok: true, value: v };
}

/** True when `host` (a URL's hostname) is this machine: 127.0.0.0/8, localhost, [::1]. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, "");
  return h === "localhost" || h === "[::1]" || h === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

function checkUrl(key: "endpoint" | "authUrl", v: unknown): Checked {
  if (typeof v !== "string")
    return { ok: false, reason: `got ${describeValue(v)}; expected an https:// URL` };
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    return {
      ok: false,
      reason: `got ${describeValue(v)}; expected an absolute http(s) URL such as https://host`,
    };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    return { ok: false, reason: `got ${describeValue(v)}; expected an http:// or https:// URL` };
  if (url.username || url.password)
    return { ok: false, reason: `expected a URL without user name or password in it` };
  if (url.search || url.hash || /[?#]/.test(v))
    return { ok: false, reason: `got ${describeValue(v)}; expected a URL without query or fragment` };
  const path = url.pathname.replace(/\/+$/, "");
  let out = `${url.protocol}//${url.host}${path}`;
  // authUrl ends in /v3 (as Huawei's Terraform provider takes it); endpoint is the host the
  // DDM paths (/v3/{project_id}/...) go under, so a trailing /v3 on it is dropped: both are
  // accepted with or without it.
  if (key === "authUrl" && !/\/v3$/.test(out)) out = `${out}/v3`;
  if (key === "endpoint") out = out.replace(/\/v3$/, "");
  return { ok: true, value: out };
}

function checkInteger(key: "maxRetries" | "requestTimeout", v: unknown): Checked {
  const { min, max } = CONFIG_LIMITS[key];
  const n =
    typeof v === "number" && Number.isSafeInteger(v)
      ? v
      : typeof v === "string" && /^\s*-?\d{1,6}\s*$/.test(v)
        ? Number(v.trim())
        : undefined;
  const unit = key === "requestTimeout" ? " (seconds)" : "";
  if (n === undefined || n < min || n > max)
    return { ok: false, reason: `got ${describeValue(v)}; expected an integer from ${min} to ${max}${unit}` };
  return { ok: true, value: n };
}

function checkBoolean(v: unknown): Checked {
  if (typeof v === "boolean") return { ok: true, value: v };
  if (typeof v === "string") {
    const s = v.trim().toLowerCase();
    if (s === "true" || s === "1") return { ok: true, value: true };
    if (s === "false" || s === "0") return { ok: true, value: false };
  }
  return { ok: false, reason: `got ${describeValue(v)}; expected true or false` };
}

/**
 * Check one key's value; returns the normalized value (URLs normalized, numbers and booleans
 * typed) or why it is refused. The one parser of config values: the SDK's `config` vars use it too.
 */
export function checkValue(key: Key, v: unknown): Checked {
  switch (key) {
    case "region": {
      if (typeof v !== "string" || v.length > 64 || !REGION_RE.test(v))
        return {
          ok: false,
          reason: `got ${describeValue(v)}; expected a region name of lowercase letters, digits and hyphens, e.g. ap-southeast-1`,
        };
      return { ok: true, value: v };
    }
    case "projectId": {
      const p = idProblem(v);
      return p ? { ok: false, reason: p } : { ok: true, value: v };
    }
    case "endpoint":
    case "authUrl":
      return checkUrl(key, v);
    case "authToken":
    case "accessKey":
    case "secretKey":
    case "securityToken": {
      const s = checkString(key, v);
      if (!s.ok) return s;
      if (!HEADER_SAFE_RE.test(v as string))
        return {
          ok: false,
          reason: `${key === "accessKey" ? `got ${describeValue(v)}; ` : ""}expected printable ASCII without spaces or control characters (a trailing newline?)`,
        };
      return s;
    }
    case "domainName":
    case "userName":
    case "password":
      return checkString(key, v);
    case "maxRetries":
    case "requestTimeout":
      return checkInteger(key, v);
    case "insecure":
      return checkBoolean(v);
  }
}

/** Why http:// is refused for this URL, or undefined when it is allowed. */
function httpProblem(url: string, insecure: boolean): string | undefined {
  const u = new URL(url);
  if (u.protocol === "https:" || insecure || isLoopbackHost(u.hostname)) return undefined;
  return `got ${describeValue(url)}; plain http:// is allowed only for a loopback host (127.0.0.1, localhost, [::1]) or with insecure set to true; use https://`;
}

// ---------------------------------------------------------------------------------------
// Defaults

/** The cloud domain a region's endpoints live under (Huawei's European cloud is `.eu`). */
export function cloudDomain(region: string): string {
  // As the Huawei Cloud Terraform provider decides it: regions named eu-west-1xx are
  // served from myhuaweicloud.eu (eu-west-101, Dublin); every other from myhuaweicloud.com.
  return region.startsWith("eu-west-1") ? "myhuaweicloud.eu" : "myhuaweicloud.com";
}

/** `https://ddm.{region}.myhuaweicloud.com` (or `.eu`). */
export function defaultEndpoint(region: string): string {
  return `https://ddm.${region}.${cloudDomain(region)}`;
}

/** `https://iam.{region}.myhuaweicloud.com/v3` (or `.eu`). */
export function defaultAuthUrl(region: string): string {
  return `https://iam.${region}.${cloudDomain(region)}/v3`;
}

// ---------------------------------------------------------------------------------------
// Where each key can be set (for the "missing" messages)

/** Every place `key` can be set, as a user reads it: argument, `hwddm:key`, env names. */
export function placesFor(key: Key): string {
  const places: string[] = [];
  if (ARG_KEYS.includes(key)) places.push(`the \`${key}\` function argument`);
  places.push(`stack config \`hwddm:${key}\` (or the provider's \`${key}\` input)`);
  places.push(...ENV_NAMES[key].map((n) => `$${n}`));
  return places.join(", ");
}

// ---------------------------------------------------------------------------------------
// checkProviderConfig

/**
 * Check provider config as it arrives from the plugin's CheckConfig or CLI flags: strings
 * such as `"4"` and `"true"` are converted, URLs normalized, Pulumi secret wrappers
 * unwrapped, unset values (`undefined`, `null`, `""`) dropped, and every bad value or unknown
 * key reported as a failure whose `property` is the key (e.g. `maxRetries`). The engine's own
 * provider inputs (`version`, `pluginDownloadURL`) are dropped silently. Secret values are
 * registered for redaction as soon as they are read.
 */
export function checkProviderConfig(raw: Record<string, unknown>): {
  config: ProviderConfigInput;
  failures: InputFailure[];
} {
  const config: Record<string, unknown> = {};
  const failures: InputFailure[] = [];
  const known = CONFIG_KEYS as readonly string[];
  for (const [name, rawValue] of Object.entries(raw ?? {})) {
    if (isEngineKey(name)) continue;
    if (!known.includes(name)) {
      failures.push({
        property: name,
        reason: `unknown configuration key; expected one of ${CONFIG_KEYS.join(", ")}`,
      });
      continue;
    }
    const key = name as Key;
    const v = unwrapSecret(rawValue);
    if (isSecretKey(key) && typeof v === "string") registerSecret(v);
    if (!isSet(v)) continue;
    const c = checkValue(key, v);
    if (!c.ok) failures.push({ property: key, reason: c.reason });
    else config[key] = c.value;
  }
  // http:// is a cross-key rule: judge it with the insecure value given alongside.
  const insecure = config.insecure === true;
  for (const key of ["endpoint", "authUrl"] as const) {
    const v = config[key];
    if (typeof v === "string") {
      const p = httpProblem(v, insecure);
      if (p) {
        failures.push({ property: key, reason: p });
        delete config[key];
      }
    }
  }
  return { config: config, failures };
}

// ---------------------------------------------------------------------------------------
// resolveConfig

/**
 * Resolve the configuration for one call. Throws ValidationError (every bad value, each
 * named by its key and where it came from) before ConfigurationError (missing region or
 * credentials, in one error that lists every place each could be set).
 */
export function resolveConfig(
  args: ConfigArgs,
  providerConfig: ProviderConfigInput | undefined,
  env: Record<string, string | undefined>,
): ResolvedConfig {
  const failures: InputFailure[] = [];
  const values: Partial<Record<Key, unknown>> = {};
  const sources: Partial<Record<Key, Source>> = {};
  const pc = (providerConfig ?? {}) as Record<string, unknown>;
  const e = env ?? {};

  for (const key of CONFIG_KEYS) {
    const candidates: [Source, unknown][] = [];
    if (ARG_KEYS.includes(key)) {
      candidates.push([
        { kind: "argument", name: `the ${key} argument` },
        (args as Record<string, unknown>)?.[key],
      ]);
    }
    candidates.push([{ kind: "config", name: `hwddm:${key}` }, unwrapSecret(pc[key])]);
    for (const n of ENV_NAMES[key]) candidates.push([{ kind: "env", name: n }, e[n]]);
    const hit = candidates.find(([, v]) => isSet(v));
    if (!hit) continue;
    const [source, v] = hit;
    if (isSecretKey(key) && typeof v === "string") registerSecret(v);
    const c = checkValue(key, v);
    if (!c.ok) {
      failures.push({ property: key, reason: `${c.reason} (from ${source.name})` });
      continue;
    }
    values[key] = c.value;
    sources[key] = source;
  }

  const insecure = (values.insecure as boolean | undefined) ?? false;
  for (const key of ["endpoint", "authUrl"] as const) {
    const v = values[key];
    if (typeof v === "string") {
      const p = httpProblem(v, insecure);
      if (p) failures.push({ property: key, reason: `${p} (from ${sources[key]!.name})` });
    }
  }
  if (failures.length > 0) throw new ValidationError(failures);

  // Missing region and credentials: one error listing every place each can be set.
  const missing: string[] = [];
  const missingKeys: string[] = [];
  const region = values.region as string | undefined;
  if (region === undefined) {
    missing.push(`region is not set; set it with ${placesFor("region")}`);
    missingKeys.push("region");
  }
  const auth = pickAuth(values as Record<Key, string | undefined>, sources);
  if ("missing" in auth) {
    missing.push(auth.missing);
    missingKeys.push(...auth.keys);
  }
  if (missing.length > 0) throw new ConfigurationError(missing.join(". ") + ".", missingKeys);

  const r = region as string;
  return {
    region: r,
    projectId: values.projectId as string | undefined,
    endpoint: (values.endpoint as string | undefined) ?? defaultEndpoint(r),
    authUrl: (values.authUrl as string | undefined) ?? defaultAuthUrl(r),
    auth: (auth as { auth: AuthConfig }).auth,
    maxRetries: (values.maxRetries as number | undefined) ?? DEFAULT_RETRY.maxRetries,
    requestTimeoutMs:
      values.requestTimeout !== undefined
        ? (values.requestTimeout as number) * 1000
        : DEFAULTS.requestTimeoutMs,
    insecure,
  };
}

function pickAuth(
  v: Record<Key, string | undefined>,
  sources: Partial<Record<Key, Source>>,
): { auth: AuthConfig } | { missing: string; keys: string[] } {
  if (v.authToken !== undefined) return { auth: { mode: "token", token: v.authToken } };
  const from = (k: Key) => sources[k]?.name ?? k;

  const hasAk = v.accessKey !== undefined;
  const hasSk = v.secretKey !== undefined;
  if (hasAk && hasSk) {
    const auth: AuthConfig = { mode: "aksk", accessKey: v.accessKey!, secretKey: v.secretKey! };
    if (v.securityToken !== undefined) auth.securityToken = v.securityToken;
    return { auth };
  }
  if (hasAk !== hasSk) {
    const [given, absent] = hasAk
      ? (["accessKey", "secretKey"] as const)
      : (["secretKey", "accessKey"] as const);
    return {
      missing: `${given} is set (from ${from(given)}) but ${absent} is not: AK/SK authentication needs both; set ${absent} with ${placesFor(absent)}`,
      keys: [absent],
    };
  }
  if (v.securityToken !== undefined) {
    return {
      missing: `securityToken is set (from ${from("securityToken")}) but accessKey and secretKey are not: temporary AK/SK credentials need all three; set accessKey with ${placesFor("accessKey")} and secretKey with ${placesFor("secretKey")}`,
      keys: ["accessKey", "secretKey"],
    };
  }

  const pw: Key[] = ["domainName", "userName", "password"];
  const given = pw.filter((k) => v[k] !== undefined);
  if (given.length === pw.length) {
    return {
      auth: { mode: "password", domainName: v.domainName!, userName: v.userName!, password: v.password! },
    };
  }
  // domainName alone is a common leftover (it is also an account setting): only a user
  // name or password means password authentication was meant.
  if (given.includes("userName") || given.includes("password")) {
    const absent = pw.filter((k) => v[k] === undefined);
    return {
      missing: `${given.map((k) => `${k} (from ${from(k)})`).join(" and ")} ${given.length > 1 ? "are" : "is"} set but ${absent.join(" and ")} ${absent.length > 1 ? "are" : "is"} not: IAM password authentication needs domainName, userName and password; ${absent.map((k) => `set ${k} with ${placesFor(k)}`).join("; ")}`,
      keys: absent,
    };
  }
  return {
    missing:
      "no credentials are set; give one of: " +
      `(1) an IAM token: authToken with ${placesFor("authToken")}; ` +
      `(2) AK/SK: accessKey with ${placesFor("accessKey")} and secretKey with ${placesFor("secretKey")} ` +
      `(plus securityToken for temporary credentials: ${placesFor("securityToken")}); ` +
      `(3) IAM password: domainName with ${placesFor("domainName")}, userName with ${placesFor("userName")} and password with ${placesFor("password")}`,
    keys: ["authToken", "accessKey", "secretKey", "domainName", "userName", "password"],
  };
}
