/**
 * `npm start`: the demo, end to end, on this machine only.
 *
 * 1. Starts the DDM emulator (loopback, default fixture).
 * 2. Runs the demo stack's program (examples/select-restore-target, see the root Pulumi.yaml)
 *    against it:
 *    - with a `pulumi` CLI on PATH: a real `pulumi up` of a throwaway stack (the program
 *      creates no resources; file backend and stack config file in a temporary directory,
 *      passphrase set, config pointing at the emulator; the engine starts
 *      bin/pulumi-resource-hwddm through `plugins.providers`), then reads the stack outputs
 *      with `pulumi stack output --json`;
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
  mode: "pulumi-up" | "mocks";
  outputs: Record<string, unknown>;
}

/** The stack outputs the demo program exports (and prints). */
export const DEMO_OUTPUTS = ["targetInstanceId", "targetInstanceName", "restoreTime", "restoreTimeEpochMs"];

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
 * Run the root project for real against the emulator: `pulumi up` of a throwaway stack
 * (`demo-<pid>`; the program creates no resources, so this changes nothing anywhere), then
 * `pulumi stack output --json --show-secrets`. Everything it writes stays in one temporary
 * directory, removed afterwards: the file backend, and the stack's config file, which is
 * passed with `--config-file` (`stack init` has no such flag, so it runs in a scratch project
 * directory of the same name, where it writes its encryption salt into that same file). No
 * `Pulumi.<stack>.yaml` is ever written into the repository. Throws when a command fails or
 * an expected output is missing.
 */
export function runDemoWithCli(emulator: Emulator, cli: string, log: (line: string) => void): DemoResult {
  const root = packageRoot();
  const stack = `${DEMO_STACK}-${process.pid}`;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "hwddm-demo-"));
  const backend = path.join(work, "backend");
  const scratch = path.join(work, "project");
  fs.mkdirSync(backend);
  fs.mkdirSync(scratch);
  fs.writeFileSync(path.join(scratch, "Pulumi.yaml"), `name: ${DEMO_PROJECT}\nruntime: nodejs\n`);
  const configFile = path.join(scratch, `Pulumi.${stack}.yaml`);
  const env: Record<string, string | undefined> = {
    ...process.env,
    PULUMI_BACKEND_URL: `file://${backend}`,
    PULUMI_CONFIG_PASSPHRASE: "hwddm-demo",
    PULUMI_SKIP_UPDATE_CHECK: "true",
  };
  const pulumi = (args: string[], opts: { cwd?: string; input?: string } = {}) => {
    const r = spawnSync(cli, [...args, "--non-interactive"], {
      cwd: opts.cwd ?? root,
      env,
      input: opts.input,
      encoding: "utf8",
    });
    if (r.status !== 0) {
      throw new Error(
        `pulumi ${args.slice(0, 2).join(" ")} failed (exit ${r.status}): ${r.stderr || r.stdout}`,
      );
    }
    return r.stdout;
  };
  try {
    pulumi(["stack", "init", stack], { cwd: scratch });
    const { config, secretKeys } = demoStackConfig(emulator);
    for (const [key, value] of Object.entries(config)) {
      const secret = secretKeys.includes(key) ? ["--secret"] : [];
      // The value goes through stdin so that it never shows in a process list.
      pulumi(["config", "set", key, ...secret, "--stack", stack, "--config-file", configFile], {
        input: value,
      });
    }
    // A real preview first: the invokes answer at preview time (what users rely on). A new
    // stack's outputs are not in `preview --json`, so an `up` of the throwaway stack (the
    // program creates no resources) records them for `stack output`.
    pulumi(["preview", "--stack", stack, "--config-file", configFile]);
    pulumi(["up", "--yes", "--skip-preview", "--stack", stack, "--config-file", configFile]);
    const text = pulumi(["stack", "output", "--json", "--show-secrets", "--stack", stack]);
    log(
      `mode: real \`pulumi preview\`, then \`pulumi up\` of a throwaway stack with ${cli} (file backend in ` +
        `${backend}; the program creates no resources); the engine ran bin/pulumi-resource-hwddm`,
    );
    return { mode: "pulumi-up", outputs: demoOutputs(text) };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** The demo's outputs from `pulumi stack output --json`; throws naming any that is missing. */
export function demoOutputs(text: string): Record<string, unknown> {
  let outputs: Record<string, unknown>;
  try {
    outputs = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new Error(`\`pulumi stack output --json\` did not print JSON: ${text}`);
  }
  const missing = DEMO_OUTPUTS.filter(
    (k) => outputs === null || typeof outputs !== "object" || outputs[k] === undefined || outputs[k] === null,
  );
  if (missing.length > 0) {
    throw new Error(
      `the stack has no output ${missing.join(", ")}; \`pulumi stack output --json\` said: ${text}`,
    );
  }
  return outputs;
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
    log(`target   ${String(o.targetInstanceId)} (${String(o.targetInstanceName)})`);
    log(`time     ${String(o.restoreTime)} (epoch ms ${String(o.restoreTimeEpochMs)})`);
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
