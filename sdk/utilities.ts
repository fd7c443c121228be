// Helpers shared by the SDK's modules, in the shape of Pulumi's generated `utilities.ts`.

import * as pulumi from "@pulumi/pulumi";
import { CONFIG_DEFAULTS, ENV_NAMES, checkValue } from "../provider/config";
import { ValidationError, registerSecret } from "../provider/errors";
import { ProviderConfigInput, SECRET_CONFIG_KEYS } from "../provider/types";
import { packageVersion } from "../provider/plugin/package";

type ConfigKey = keyof ProviderConfigInput;

/**
 * One `hwddm:` setting as the provider will read it: the stack config (`config.get(key)`)
 * first, then the environment variables the core reads for it (`ENV_NAMES[key]`, in order),
 * `""` counting as unset at both levels. The value is parsed by the core's own `checkValue`
 * (so `"4"` becomes 4, URLs are normalized, and a value the provider would refuse is refused
 * here too: a ValidationError naming the key and where the value came from), and the
 * default (`CONFIG_DEFAULTS`) is returned when the key is set nowhere.
 */
export function readConfigValue(config: pulumi.Config, key: ConfigKey): unknown {
  const candidates: [string, string | undefined][] = [
    [`hwddm:${key}`, config.get(key)],
    ...ENV_NAMES[key].map((name): [string, string | undefined] => [name, process.env[name]]),
  ];
  const hit = candidates.find(([, v]) => v !== undefined && v !== "");
  if (!hit) return (CONFIG_DEFAULTS as Partial<Record<ConfigKey, unknown>>)[key];
  const [source, raw] = hit;
  if (SECRET_CONFIG_KEYS.includes(key)) registerSecret(raw);
  const checked = checkValue(key, raw);
  if (!checked.ok)
    throw new ValidationError([{ property: key, reason: `${checked.reason} (from ${source})` }]);
  return checked.value;
}

/** `readConfigValue` of a secret key, as a secret Output (like `config.getSecret`); undefined when unset. */
export function readSecretConfigValue(
  config: pulumi.Config,
  key: ConfigKey,
): pulumi.Output<string> | undefined {
  const value = readConfigValue(config, key) as string | undefined;
  return value === undefined ? undefined : pulumi.secret(value);
}

/** The version of this package, which is also the version of the `hwddm` plugin it needs. */
export function getVersion(): string {
  return packageVersion();
}

/** Options every resource and invoke of this package carries: the plugin version. */
export function resourceOptsDefaults(): { version: string } {
  return { version: getVersion() };
}

/** Invoke options merged with the package defaults (the caller's values win). */
export function invokeOptions<T extends pulumi.InvokeOptions>(opts: T | undefined): T {
  return pulumi.mergeOptions(resourceOptsDefaults(), opts ?? {}) as T;
}
