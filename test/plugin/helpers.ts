/**
 * Test fixtures shared by test/plugin, test/sdk and test/examples: an emulator whose
 * credentials are fresh random secrets (so that any leak is unambiguous), and the
 * environment / stack config that point a plugin at it. The plugin harness itself is
 * test/support/harness.ts (also used by `npm start`).
 */
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  Emulator,
  EmulatorOptions,
  defaultFixture,
  emulatorConfig,
  emulatorEnv,
  startEmulator,
} from "../../emulator";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import { EncodedInvokeResponse } from "../../provider/plugin/encode";
import { PACKAGE_NAME, packageRoot } from "../../provider/plugin/package";
import { ProviderConfigInput } from "../../provider/types";

export const SOURCE = "1f5c9fd6cd984056ba89c8c87cc03278in09";
export const EMPTY_SOURCE = "5e7a9c1b3d5f4e6a8b0c2d4e6f8a0b1cin09";
export const TARGET = "3b65c609427c4b20bc0ae93e161dc7adin09";
export const TARGET_NAME = "ddm-agent-create-instance1";
export const LATEST_END = "2025-05-21T11:15:43.000Z";
export const LATEST_END_MS = Date.parse(LATEST_END);

/** Credentials no other test uses: any occurrence in output is a leak. */
export function freshSecrets() {
  const r = () => randomBytes(12).toString("hex");
  return {
    token: `tok-${r()}`,
    secretKey: `sk-${r()}`,
    securityToken: `st-${r()}`,
    password: `pw-${r()}`,
  };
}

export interface TestEmulator {
  emulator: Emulator;
  secrets: ReturnType<typeof freshSecrets>;
  /** Every secret value the emulator accepts. */
  secretValues: string[];
  /** Environment for a plugin (token auth unless told). */
  env(mode?: "token" | "aksk" | "password", opts?: { projectId?: boolean }): Record<string, string>;
  /** Provider config (typed) for one auth mode. */
  config(mode?: "token" | "aksk" | "password", opts?: { projectId?: boolean }): ProviderConfigInput;
  /** Stack config (`hwddm:<key>` → string) and which keys are secret. */
  stackConfig(mode?: "token" | "aksk" | "password"): { config: Record<string, string>; secretKeys: string[] };
  close(): Promise<void>;
}

/** Start the emulator (default fixture) with fresh secret credentials. */
export async function startTestEmulator(opts: Omit<EmulatorOptions, "data"> = {}): Promise<TestEmulator> {
  const secrets = freshSecrets();
  const data = defaultFixture();
  data.credentials = { ...data.credentials, ...secrets };
  const emulator = await startEmulator({ ...opts, data });
  return {
    emulator,
    secrets,
    secretValues: Object.values(secrets),
    env: (mode = "token", o = {}) => emulatorEnv(emulator, mode, o),
    config: (mode = "token", o = {}) => emulatorConfig(emulator, mode, o),
    stackConfig: (mode = "token") => {
      const config: Record<string, string> = {};
      const secretKeys: string[] = [];
      for (const [k, v] of Object.entries(emulatorConfig(emulator, mode))) {
        if (v === undefined) continue;
        config[`hwddm:${k}`] = String(v);
        if (["authToken", "secretKey", "securityToken", "password"].includes(k))
          secretKeys.push(`hwddm:${k}`);
      }
      return { config, secretKeys };
    },
    close: () => emulator.close(),
  };
}

/** The secret values found in `text` (expected: none). */
export function leakedSecrets(text: string, secrets: string[]): string[] {
  return secrets.filter((s) => text.includes(s));
}

/** A scratch directory standing for a Pulumi program's project directory. */
export interface ScratchProject {
  /** Its real path (what `process.cwd()` reports inside it). */
  dir: string;
  /** Delete it (a `node_modules/hwddm` link is removed, never followed). */
  remove(): void;
}

/**
 * A project directory with `hwddm` installed as npm would place it: its
 * `node_modules/hwddm` is a symlink to this repository (so the package's `exports`
 * map decides what `require("hwddm/...")` finds). With `installed: false`, an empty
 * project: the package is not resolvable from it.
 */
export function scratchProject(opts: { installed: boolean }): ScratchProject {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "hwddm-program-")));
  if (opts.installed) {
    fs.mkdirSync(path.join(dir, "node_modules"));
    fs.symlinkSync(packageRoot(), path.join(dir, "node_modules", PACKAGE_NAME), "dir");
  }
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** What `HwddmProvider.invoke` answered, as the engine decodes it (a success comes as encoded bytes). */
export function asInvokeResponse(
  res: provproto.InvokeResponse | EncodedInvokeResponse,
): provproto.InvokeResponse {
  return res instanceof EncodedInvokeResponse ? provproto.InvokeResponse.deserializeBinary(res.bytes) : res;
}
