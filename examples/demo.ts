/**
 * `npm start`: the demo, end to end, on this machine only.
 *
 * 1. Starts the DDM emulator (loopback, default fixture).
 * 2. Runs the demo stack's program (examples/select-restore-target, see the root Pulumi.yaml)
 *    against it:
 *    - with a Pulumi CLI (the one `npm run pulumi:install` built, else `pulumi` on PATH;
 *      `HWDDM_PULUMI_CLI` names another, or `none`): a real `pulumi preview`, then a real
 *      `pulumi up` of a throwaway stack (the program creates no resources; Pulumi home, file
 *      backend and stack config file in a temporary directory, passphrase set, config pointing
 *      at the emulator; the engine starts bin/pulumi-resource-hwddm through
 *      `plugins.providers`), then reads the stack outputs with `pulumi stack output --json`;
 *    - without one: the same program under `pulumi.runtime.setMocks`, every invoke
 *      forwarded over gRPC to the real plugin process (configured with CheckConfig and
 *      Configure from the same stack config, as the engine would).
 * 3. Prints which of the two it did and what the program selected.
 */
import * as path from "path";
import { Emulator, startEmulator } from "../emulator";
import { packageRoot } from "../provider/package";
import { ProgramOutput, forwardingMocks, runProgram, spawnPlugin } from "../test/support/harness";
import { EngineWorkspace, findPulumiCli } from "../test/support/pulumi-cli";

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

export interface DemoResult {
  mode: "pulumi-up" | "mocks";
  outputs: Record<string, unknown>;
  /** What `pulumi preview` printed (real CLI only). */
  preview?: string;
}

/** The stack outputs the demo program exports (and prints). */
export const DEMO_OUTPUTS = ["targetInstanceId", "targetInstanceName", "restoreTime", "restoreTimeEpochMs"];

/** Run the program under setMocks with every invoke forwarded to a spawned plugin. */
export async function runDemoWithMocks(
  emulator: Emulator,
  log: (line: string) => void,
  why = "no `pulumi` CLI in .tools/pulumi/bin or on PATH",
): Promise<DemoResult> {
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
      `mode: ${why}, so the demo program ran under pulumi.runtime.setMocks (a preview); ` +
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
 * Run the root project for real against the emulator: `pulumi preview` (the chosen target and
 * time show as the stack's outputs), then `pulumi up` of a throwaway stack (`demo-<pid>`; the
 * program creates no resources, so this changes nothing anywhere), then
 * `pulumi stack output --json --show-secrets`. Everything it writes (Pulumi home, file backend,
 * the stack's config file) stays in one temporary directory, removed afterwards; no
 * `Pulumi.<stack>.yaml` is ever written into the repository. The commands run asynchronously:
 * the emulator they reach is served by this very process. Throws when a command fails or an
 * expected output is missing.
 */
export async function runDemoWithCli(
  emulator: Emulator,
  cli: string,
  log: (line: string) => void,
): Promise<DemoResult> {
  const ws = new EngineWorkspace(cli);
  try {
    const stack = await ws.initStack(packageRoot(), `${DEMO_STACK}-${process.pid}`);
    const { config, secretKeys } = demoStackConfig(emulator);
    await stack.configure(config, secretKeys);
    // A real preview first: the invokes answer at preview time (what users rely on). A new
    // stack's outputs are not kept by a preview, so an `up` of the throwaway stack records them.
    const preview = await stack.run(["preview", "--diff"]);
    await stack.run(["up", "--yes", "--skip-preview"]);
    const outputs = demoOutputs(JSON.stringify(await stack.outputs()));
    log(
      `mode: real \`pulumi preview\`, then \`pulumi up\` of a throwaway stack with ${cli} (file backend in ` +
        `${ws.backend}; the program creates no resources); the engine ran bin/pulumi-resource-hwddm`,
    );
    return { mode: "pulumi-up", outputs, preview: preview.stdout };
  } finally {
    ws.close();
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
    const turnedOff = process.env.HWDDM_PULUMI_CLI === "none";
    const result = cli
      ? await runDemoWithCli(emulator, cli, log)
      : await runDemoWithMocks(
          emulator,
          log,
          turnedOff ? "HWDDM_PULUMI_CLI=none turned the `pulumi` CLI off" : undefined,
        );
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
