/**
 * The config keys' facts: their defaults, the environment variables read for each, numeric
 * bounds, the engine's own provider inputs, default endpoints, and where each key can be set.
 */
import { CONFIG_KEYS, ProviderConfigInput } from "./types";
import { CONFIG_VARIABLES } from "./spec/config";
import { CONNECTION_INPUTS } from "./spec/functions";
import type { Property } from "./spec/declaration";

/** A provider config key. */
export type ConfigKey = keyof ProviderConfigInput;
type Key = ConfigKey;

/** Defaults of the keys that have one (what `resolveConfig` falls back to), in config units. */
export const CONFIG_DEFAULTS: Readonly<Partial<Record<Key, number | boolean>>> = Object.freeze(
  Object.fromEntries(
    CONFIG_KEYS.flatMap((k) => {
      const d = (CONFIG_VARIABLES[k] as Property).default;
      return d === undefined ? [] : [[k, d]];
    }),
  ),
);

/** Environment variables read for each key, first match wins. */
export const ENV_NAMES: Readonly<Record<Key, readonly string[]>> = Object.freeze(
  Object.fromEntries(CONFIG_KEYS.map((k) => [k, CONFIG_VARIABLES[k].env])) as Record<Key, readonly string[]>,
);

/** Keys a data function takes as an argument (they override the provider config): its connection inputs. */
export type ConfigArgs = { [K in keyof typeof CONNECTION_INPUTS]?: string };

export const ARG_KEYS: readonly Key[] = Object.freeze(
  Object.keys(CONNECTION_INPUTS) as (keyof typeof CONNECTION_INPUTS)[] satisfies Key[],
);

/** Bounds of the numeric keys. */
export const CONFIG_LIMITS = Object.freeze({
  maxRetries: { min: 0, max: 10 },
  requestTimeout: { min: 1, max: 600 },
  invokeTimeout: { min: 1, max: 3600 },
  maxRecords: { min: 1, max: 10_000_000 },
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
