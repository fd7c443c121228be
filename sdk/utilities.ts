// Helpers shared by the SDK's modules, in the shape of Pulumi's generated `utilities.ts`.

import * as pulumi from "@pulumi/pulumi";
import { packageVersion } from "../provider/plugin/package";

/** The first of `vars` set to a non-empty value in the environment. */
export function getEnv(...vars: string[]): string | undefined {
  for (const v of vars) {
    const value = process.env[v];
    if (value) {
      return value;
    }
  }
  return undefined;
}

/** `getEnv`, read as a boolean (`1`/`t`/`true`, `0`/`f`/`false`, any case); undefined otherwise. */
export function getEnvBoolean(...vars: string[]): boolean | undefined {
  const s = getEnv(...vars);
  if (s !== undefined) {
    if (["1", "t", "true"].includes(s.toLowerCase())) {
      return true;
    }
    if (["0", "f", "false"].includes(s.toLowerCase())) {
      return false;
    }
  }
  return undefined;
}

/** `getEnv`, read as a number; undefined when it is not one. */
export function getEnvNumber(...vars: string[]): number | undefined {
  const s = getEnv(...vars);
  if (s !== undefined) {
    const f = Number(s);
    if (s.trim() !== "" && !isNaN(f)) {
      return f;
    }
  }
  return undefined;
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
  return pulumi.mergeOptions(
    resourceOptsDefaults() as pulumi.CustomResourceOptions,
    (opts ?? {}) as pulumi.CustomResourceOptions,
  ) as T;
}
