/**
 * How to point the core at an emulator: the environment variables (for `InvokeContext.env`,
 * the CLI and shells) or the provider config (for `InvokeContext.providerConfig` and Pulumi
 * stack config) that select one authentication mode with the emulator's credentials.
 */
import { ENV_NAMES } from "../provider/config";
import type { ProviderConfigInput } from "../provider/types";
import type { Emulator } from "./types";

/** `token`: the static IAM token; `aksk`: access key + secret key (+ security token); `password`: IAM password. */
export type EmulatorAuthMode = "token" | "aksk" | "password";

export interface EmulatorEnvOptions {
  /** Include the project id (default true); false makes the client look it up through IAM. */
  projectId?: boolean;
  /** For `aksk`: include the security token (default false: permanent AK/SK). */
  securityToken?: boolean;
}

/** Provider config for one auth mode (keys as `hwddm:<key>`). */
export function emulatorConfig(
  emulator: Pick<Emulator, "url" | "iamUrl" | "credentials">,
  mode: EmulatorAuthMode = "token",
  opts: EmulatorEnvOptions = {},
): ProviderConfigInput {
  const c = emulator.credentials;
  const out: ProviderConfigInput = { region: c.region, endpoint: emulator.url, authUrl: emulator.iamUrl };
  if (opts.projectId !== false) out.projectId = c.projectId;
  switch (mode) {
    case "token":
      out.authToken = c.token;
      break;
    case "aksk":
      out.accessKey = c.accessKey;
      out.secretKey = c.secretKey;
      if (opts.securityToken) out.securityToken = c.securityToken;
      break;
    case "password":
      out.domainName = c.domainName;
      out.userName = c.userName;
      out.password = c.password;
      break;
  }
  return out;
}

/** The variable that sets each key: the first (preferred) name in the core's lookup order. */
function envName(key: keyof ProviderConfigInput): string {
  return ENV_NAMES[key][0];
}

/**
 * Environment variables for one auth mode, e.g. `{ HWDDM_ENDPOINT, HW_AUTH_URL, HW_REGION_NAME,
 * HW_PROJECT_ID, HW_AUTH_TOKEN }` for `token`. Pass as `InvokeContext.env` (never mutate process.env).
 */
export function emulatorEnv(
  emulator: Pick<Emulator, "url" | "iamUrl" | "credentials">,
  mode: EmulatorAuthMode = "token",
  opts: EmulatorEnvOptions = {},
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(emulatorConfig(emulator, mode, opts))) {
    if (v !== undefined) out[envName(k as keyof ProviderConfigInput)] = String(v);
  }
  return out;
}
