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
 * Credentials are the exception to "each key on its own": the whole credential set (token;
 * AK/SK and security token; domain/user/password) comes from ONE layer, the highest that holds
 * any credential key: provider config, then the `HW_*` variables, then the `HUAWEICLOUD_SDK_*`
 * variables (no function argument carries a credential). Lower layers are not consulted for
 * credentials, so an explicit provider is never overridden or completed by ambient variables.
 * Within that layer the mode is: an IAM token (`authToken`), else AK/SK (`accessKey` and
 * `secretKey`, optionally `securityToken`), else IAM password (`domainName` + `userName` +
 * `password`); a partial set is a ConfigurationError naming the missing key and the layer.
 * Missing region and missing credentials are reported in ONE ConfigurationError that lists
 * every place each value can be set.
 *
 * Every resolved value carries its source (`ResolvedConfig.sources`, `InputFailure.source`), so
 * that a face can name it in its own terms (`sourceName`) without reading the messages.
 */
import { ConfigurationError, InputFailure, ValidationError, registerSecret } from "./errors";
import {
  AuthConfig,
  CONFIG_KEYS,
  ConfigSource,
  CREDENTIAL_KEYS,
  ProviderConfigInput,
  ResolvedConfig,
  SECRET_CONFIG_KEYS,
} from "./types";
import { DEFAULTS, DEFAULT_PAGING, DEFAULT_RETRY } from "./defaults";
import {
  ARG_KEYS,
  ConfigArgs,
  ConfigKey as Key,
  ENV_NAMES,
  defaultAuthUrl,
  defaultEndpoint,
  isEngineKey,
} from "./config-keys";
import { checkValue, httpProblem, isSecretKey } from "./config-values";
import { unwrapSecret } from "./secret-wire";

export {
  CONFIG_DEFAULTS,
  CONFIG_LIMITS,
  ENGINE_KEYS,
  ENV_NAMES,
  cloudDomain,
  defaultAuthUrl,
  defaultEndpoint,
  isEngineKey,
  placesFor,
} from "./config-keys";
export type { ConfigArgs } from "./config-keys";
export { checkValue, isLoopbackHost } from "./config-values";
export type { Checked } from "./config-values";

type Source = ConfigSource;

/** How a face names a source in its messages (the CLI: `--region`); undefined = the core's name. */
export type SourceNamer = (source: ConfigSource) => string | undefined;

/** The core's own name of a source: `the region argument`, `hwddm:region`, `HW_REGION_NAME`. */
function coreSourceName(kind: ConfigSource["kind"], key: Key, envName?: string): string {
  if (kind === "argument") return `the ${key} argument`;
  if (kind === "config") return `hwddm:${key}`;
  if (kind === "env") return envName ?? key;
  return `the default of ${key}`;
}

/**
 * The layers credentials are taken from, highest first: each is one place a whole credential
 * set can live. `env` is the prefix of that layer's environment variables (none for config).
 */
const CREDENTIAL_LAYERS: readonly { layer: ConfigSource["layer"]; title: string; env?: string }[] = [
  { layer: "config", title: "the provider config (stack config `hwddm:*` or the provider's inputs)" },
  { layer: "HW", title: "the HW_* environment variables", env: "HW_" },
  { layer: "HUAWEICLOUD_SDK", title: "the HUAWEICLOUD_SDK_* environment variables", env: "HUAWEICLOUD_SDK_" },
];

/** The environment variables of `key` in one credential layer. */
function layerEnvNames(key: Key, prefix: string): string[] {
  return ENV_NAMES[key].filter((n) => n.startsWith(prefix));
}

/** Where `key` can be set within one credential layer, as a user reads it. */
function placesInLayer(key: Key, layer: (typeof CREDENTIAL_LAYERS)[number]): string {
  if (!layer.env) return `\`hwddm:${key}\``;
  return layerEnvNames(key, layer.env)
    .map((n) => `$${n}`)
    .join(" or ");
}

function isSet(v: unknown): boolean {
  return v !== undefined && v !== null && v !== "";
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

/** Options of `resolveConfig` besides the three layers. */
export interface ResolveOptions {
  /** How the calling face names a source (the CLI: its flags); default the core's names. */
  sourceName?: SourceNamer;
}

/** Where keys are set, briefly: `hwddm:a` and `hwddm:b`, or $A and $B (each key's first variable). */
function whereShort(...keys: Key[]): string {
  const and = (xs: string[]) =>
    xs.length > 1 ? `${xs.slice(0, -1).join(", ")} and ${xs[xs.length - 1]}` : xs[0];
  const config = and(keys.map((k) => `\`hwddm:${k}\``));
  return `${config}, or ${and(keys.map((k) => `$${ENV_NAMES[k][0]}`))}`;
}

/**
 * Resolve the configuration for one call. Throws ValidationError (every bad value, each
 * named by its key and where it came from) before ConfigurationError (missing region or
 * credentials, in one error that lists every place each could be set).
 */
export function resolveConfig(
  args: ConfigArgs,
  providerConfig: ProviderConfigInput | undefined,
  env: Record<string, string | undefined>,
  options: ResolveOptions = {},
): ResolvedConfig {
  const failures: InputFailure[] = [];
  const values: Partial<Record<Key, unknown>> = {};
  const sources: Partial<Record<Key, Source>> = {};
  const pc = (providerConfig ?? {}) as Record<string, unknown>;
  const e = env ?? {};
  const nameOf = (s: Source): string => options.sourceName?.(s) ?? s.name;
  const source = (kind: Source["kind"], key: Key, envName?: string): Source => {
    const s: Source = { kind, key, name: coreSourceName(kind, key, envName) };
    if (kind === "config") s.layer = "config";
    if (envName !== undefined) s.layer = envName.startsWith("HUAWEICLOUD_SDK_") ? "HUAWEICLOUD_SDK" : "HW";
    return s;
  };

  // Credentials come whole from the highest layer holding any credential key.
  const credentialLayer = CREDENTIAL_LAYERS.find((layer) =>
    CREDENTIAL_KEYS.some((key) =>
      layer.env ? layerEnvNames(key, layer.env).some((n) => isSet(e[n])) : isSet(unwrapSecret(pc[key])),
    ),
  );

  // Secrets of the layers not used are secrets all the same: redact them wherever they appear.
  for (const key of SECRET_CONFIG_KEYS) {
    for (const v of [unwrapSecret(pc[key]), ...ENV_NAMES[key].map((n) => e[n])]) {
      if (typeof v === "string") registerSecret(v);
    }
  }

  for (const key of CONFIG_KEYS) {
    const candidates: [Source, unknown][] = [];
    const credential = (CREDENTIAL_KEYS as readonly string[]).includes(key);
    if (credential) {
      if (credentialLayer?.env === undefined) {
        if (credentialLayer) candidates.push([source("config", key), unwrapSecret(pc[key])]);
      } else {
        for (const n of layerEnvNames(key, credentialLayer.env))
          candidates.push([source("env", key, n), e[n]]);
      }
    } else {
      if (ARG_KEYS.includes(key)) {
        candidates.push([source("argument", key), (args as Record<string, unknown>)?.[key]]);
      }
      candidates.push([source("config", key), unwrapSecret(pc[key])]);
      for (const n of ENV_NAMES[key]) candidates.push([source("env", key, n), e[n]]);
    }
    const hit = candidates.find(([, v]) => isSet(v));
    if (!hit) continue;
    const [from, v] = hit;
    if (isSecretKey(key) && typeof v === "string") registerSecret(v);
    const c = checkValue(key, v);
    if (!c.ok) {
      failures.push({ property: key, reason: `${c.reason} (from ${nameOf(from)})`, source: from });
      continue;
    }
    values[key] = c.value;
    sources[key] = from;
  }

  const insecure = (values.insecure as boolean | undefined) ?? false;
  for (const key of ["endpoint", "authUrl"] as const) {
    const v = values[key];
    if (typeof v === "string") {
      const p = httpProblem(v, insecure);
      if (p)
        failures.push({
          property: key,
          reason: `${p} (from ${nameOf(sources[key]!)})`,
          source: sources[key],
        });
    }
  }
  if (failures.length > 0) throw new ValidationError(failures);

  // Missing region and credentials: one error listing every place each can be set.
  const missing: string[] = [];
  const missingKeys: string[] = [];
  const region = values.region as string | undefined;
  if (region === undefined) {
    missing.push(`region is not set: set ${whereShort("region")}, or pass \`region\` to the function`);
    missingKeys.push("region");
  }
  const auth = pickAuth(values as Record<Key, string | undefined>, sources, credentialLayer, e, nameOf);
  if ("missing" in auth) {
    missing.push(auth.missing);
    missingKeys.push(...auth.keys);
  }
  if (missing.length > 0) throw new ConfigurationError(missing.join(". ") + ".", missingKeys);

  const r = region as string;
  const resolved: ResolvedConfig = {
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
    invokeTimeoutMs:
      values.invokeTimeout !== undefined ? (values.invokeTimeout as number) * 1000 : DEFAULTS.invokeTimeoutMs,
    maxRecords: (values.maxRecords as number | undefined) ?? DEFAULT_PAGING.maxRecords,
    insecure,
  };
  // Provenance travels with the config but is not part of it (equal configs share a client).
  Object.defineProperty(resolved, "sources", { value: sources, enumerable: false });
  return resolved;
}

function pickAuth(
  v: Record<Key, string | undefined>,
  sources: Partial<Record<Key, Source>>,
  layer: (typeof CREDENTIAL_LAYERS)[number] | undefined,
  env: Record<string, string | undefined>,
  nameOf: (s: Source) => string,
): { auth: AuthConfig } | { missing: string; keys: string[] } {
  if (v.authToken !== undefined) return { auth: { mode: "token", token: v.authToken } };
  const from = (k: Key) => (sources[k] ? nameOf(sources[k]) : k);
  /** How to complete the set: in the same layer, and why a lower layer's value is not used. */
  const complete = (absent: Key[]): string => {
    const l = layer!;
    const here = absent.map((k) => `set ${k} there too (${placesInLayer(k, l)})`).join("; ");
    const below = CREDENTIAL_LAYERS.slice(CREDENTIAL_LAYERS.indexOf(l) + 1).flatMap((lower) =>
      absent.flatMap((k) => layerEnvNames(k, lower.env!).filter((n) => isSet(env[n]))),
    );
    const ignored =
      below.length > 0
        ? ` (${below.map((n) => `$${n}`).join(", ")} ${below.length > 1 ? "are" : "is"} set but not used: credentials are never completed from a lower layer)`
        : "";
    return `credentials are taken whole from ${l.title}; ${here}${ignored}, or move every credential to one lower layer`;
  };

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
      missing: `${given} is set (from ${from(given)}) but ${absent} is not: AK/SK authentication needs both; ${complete([absent])}`,
      keys: [absent],
    };
  }
  if (v.securityToken !== undefined) {
    return {
      missing: `securityToken is set (from ${from("securityToken")}) but accessKey and secretKey are not: temporary AK/SK credentials need all three; ${complete(["accessKey", "secretKey"])}`,
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
  if (given.length > 0) {
    const absent = pw.filter((k) => v[k] === undefined);
    return {
      missing: `${given.map((k) => `${k} (from ${from(k)})`).join(" and ")} ${given.length > 1 ? "are" : "is"} set but ${absent.join(" and ")} ${absent.length > 1 ? "are" : "is"} not: IAM password authentication needs domainName, userName and password; ${complete(absent)}`,
      keys: absent,
    };
  }
  return {
    missing:
      `no credentials are set: set an IAM token, ${whereShort("authToken")}; ` +
      `or AK/SK, ${whereShort("accessKey", "secretKey")}; ` +
      `or an IAM password, ${whereShort("domainName", "userName", "password")} ` +
      "(`hwddm:` keys are stack config or an explicit Provider's inputs; every variable: README, Authentication)",
    keys: ["authToken", "accessKey", "secretKey", "domainName", "userName", "password"],
  };
}
