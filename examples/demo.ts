/**
 * `npm start`: the demo, end to end, on this machine only.
 *
 * 1. Starts the DDM emulator (loopback, default fixture).
 * 2. Runs the demo stack's program (examples/select-restore-target, see the root Pulumi.yaml)
 *    against it:
 *    - with a `pulumi` CLI on PATH: a real `pulumi preview` (file backend in a temporary
 *      directory, passphrase set, stack config pointing at the emulator; the engine starts
 *      bin/pulumi-resource-hwddm through `plugins.providers`);
 *    - without one: the same program under `pulumi.runtime.setMocks`, every invoke
 *      forwarded over gRPC to the real plugin process (configured with CheckConfig and
 *      Configure from the same stack config, as the engine would).
 * 3. Prints which of the two it did and what the program selected.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Emulator, startEmulator } from "../emulator";
import { packageRoot } from "../provider/plugin/package";
import { ProgramOutput, forwardingMocks, runProgram, spawnPlugin } from "./harness";

/** The demo stack's project name (root Pulumi.yaml). */
export const DEMO_PROJECT = "hwddm-demo";
/** The demo stack's name. */
export const DEMO_STACK = "demo";

/** The demo stack's config against an emulator: program settings plus `hwddm:` provider config. */
export function demoStackConfig(
  emulator: Emulator,
  project = DEMO_PROJECT,
  settings: Record<string, string> = {},
): { config: Record<string, string>; secretKeys: string[] } {
  const c = emulator.credentials;
  const source = emulator.data().projects.find((p) => p.id === c.projectId)?.instances[0]?.id;
  if (!source) throw new Error("the emulator's fixture has no source instance");
  const config: Record<string, string> = {
    [`${project}:sourceInstanceId`]: source,
    [`${project}:restoreTime`]: "latest",
    "hwddm:region": c.region,
    "hwddm:projectId": c.projectId,
    "hwddm:endpoint": emulator.url,
    "hwddm:authUrl": emulator.iamUrl,
    "hwddm:authToken": c.token,
  };
  for (const [k, v] of Object.entries(settings)) config[k.includes(":") ? k : `${project}:${k}`] = v;
  return { config, secretKeys: ["hwddm:authToken"] };
}

/** The compiled demo program. */
export function demoProgramPath(): string {
  return path.join(packageRoot(), "dist", "examples", "select-restore-target", "index.js");
}

/** The first `pulumi` executable on PATH, if any. */
export function findPulumiCli(envPath = process.env.PATH ?? ""): string | undefined {
  for (const dir of envPath.split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, process.platform === "win32" ? "pulumi.exe" : "pulumi");
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export interface DemoResult {
  mode: "pulumi-preview" | "mocks";
  outputs: Record<string, unknown>;
}

/** Run the program under setMocks with every invoke forwarded to a spawned plugin. */
export async function runDemoWithMocks(emulator: Emulator, log: (line: string) => void): Promise<DemoResult> {
  const { config, secretKeys } = demoStackConfig(emulator);
  // The plugin gets no credentials through its environment: only through Configure.
  const mocks = forwardingMocks({
    spawn: () => spawnPlugin({ env: {} }),
    config,
    secretKeys,
    preview: true,
    project: DEMO_PROJECT,
  });
  try {
    const outputs = await runProgram({
      program: demoProgramPath(),
      mocks,
      preview: true,
      config,
      secretKeys,
      project: DEMO_PROJECT,
      stack: DEMO_STACK,
    });
    const plugin = mocks.plugins[0];
    log(
      `mode: no \`pulumi\` CLI on PATH, so the demo program ran under pulumi.runtime.setMocks (a preview); ` +
        `its ${mocks.invokes.length} invokes went over gRPC to the real plugin bin/pulumi-resource-hwddm` +
        (plugin ? ` (pid ${plugin.pid}, port ${plugin.port})` : ""),
    );
    return { mode: "mocks", outputs: valuesOf(outputs) };
  } finally {
    await mocks.close();
  }
}

function valuesOf(outputs: Record<string, ProgramOutput>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, v.known ? v.value : "(unknown)"]));
}

/**
 * Run a real `pulumi preview` of the root project against the emulator: a throw-away stack
 * (`demo-<pid>`) on a file backend in a temporary directory; its stack config file
 * (`Pulumi.demo-<pid>.yaml`, which the CLI writes next to Pulumi.yaml) is removed afterwards.
 */
export function runDemoWithCli(emulator: Emulator, cli: string, log: (line: string) => void): DemoResult {
  const root = packageRoot();
  const stack = `${DEMO_STACK}-${process.pid}`;
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "hwddm-demo-"));
  const stackFile = path.join(root, `Pulumi.${stack}.yaml`);
  const env: Record<string, string | undefined> = {
    ...process.env,
    PULUMI_BACKEND_URL: `file://${home}`,
    PULUMI_CONFIG_PASSPHRASE: "hwddm-demo",
    PULUMI_SKIP_UPDATE_CHECK: "true",
  };
  const pulumi = (args: string[], input?: string) => {
    const r = spawnSync(cli, [...args, "--non-interactive"], { cwd: root, env, input, encoding: "utf8" });
    if (r.status !== 0) {
      throw new Error(
        `pulumi ${args[0]} ${args[1] ?? ""} failed (exit ${r.status}): ${r.stderr || r.stdout}`,
      );
    }
    return r.stdout;
  };
  try {
    pulumi(["stack", "init", stack]);
    const { config, secretKeys } = demoStackConfig(emulator);
    for (const [key, value] of Object.entries(config)) {
      const secret = secretKeys.includes(key) ? ["--secret"] : [];
      // The value goes through stdin so that it never shows in a process list.
      pulumi(["config", "set", key, ...secret, "--stack", stack], value);
    }
    const text = pulumi(["preview", "--stack", stack, "--json"]);
    log(
      `mode: real \`pulumi preview\` with ${cli} (file backend in ${home}); the engine ran bin/pulumi-resource-hwddm`,
    );
    const outputs = stackOutputsOfPreview(text);
    if (Object.keys(outputs).length === 0) log(`(no stack outputs found in the preview; it said:)\n${text}`);
    return { mode: "pulumi-preview", outputs };
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
    fs.rmSync(stackFile, { force: true });
  }
}

/** The stack outputs in `pulumi preview --json` output. */
export function stackOutputsOfPreview(text: string): Record<string, unknown> {
  const doc = JSON.parse(text) as {
    steps?: { newState?: { type?: string; outputs?: Record<string, unknown> } }[];
  };
  const stack = (doc.steps ?? []).find((s) => s.newState?.type === "pulumi:pulumi:Stack");
  return stack?.newState?.outputs ?? {};
}

/** The whole demo; returns what was selected. */
export async function runDemo(log: (line: string) => void = console.log): Promise<DemoResult> {
  const emulator = await startEmulator();
  try {
    log(`hwddm demo: DDM emulator listening at ${emulator.url} (default fixture)`);
    const cli = findPulumiCli();
    const result = cli ? runDemoWithCli(emulator, cli, log) : await runDemoWithMocks(emulator, log);
    const o = result.outputs;
    const { config } = demoStackConfig(emulator);
    log(`source   ${config[`${DEMO_PROJECT}:sourceInstanceId`]}`);
    log(`target   ${o.targetInstanceId} (${o.targetInstanceName})`);
    log(`time     ${o.restoreTime} (epoch ms ${o.restoreTimeEpochMs})`);
    log(`emulator served ${emulator.stats().requests} request(s)`);
    return result;
  } finally {
    await emulator.close();
  }
}

if (require.main === module) {
  runDemo().then(
    () => process.exit(0),
    (err: unknown) => {
      const e = err as Error & { details?: string };
      console.error(`hwddm demo failed: ${e.details ?? e.message ?? String(err)}`);
      process.exit(1);
    },
  );
}
