/**
 * The user's number, when a Pulumi CLI is found (`npm run pulumi:install`): wall time of a real
 * `pulumi preview`, runs alternated, medians, of
 * - the demo stack (TypeScript, the plugin through `plugins.providers`) against the same engine
 *   previewing a program with no invokes and no plugin (bench/engine-floor);
 * - a YAML program with two invokes, the plugin installed from its archive as users get it
 *   (bench/engine-yaml), against the same program without them (bench/engine-yaml-floor).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { startEmulator } from "../emulator";
import { demoStackConfig } from "../examples/demo";
import { EngineStack, EngineWorkspace, findPulumiCli, run } from "../test/support/pulumi-cli";
import { median, msSince, renderTable, round } from "./stats";
import { BenchGroup, ROOT, target } from "./common";

export interface EngineSettings {
  runs: number;
}

interface EngineFigures {
  cli: string;
  runs: number;
  floorMs: number;
  demoMs: number;
  demoOverFloor: number;
  yaml: { floorMs: number; invokesMs: number; overFloor: number };
}

/** Alternate `pulumi preview` of each stack `runs` times (after one untimed preview each); medians, ms. */
async function alternated(stacks: readonly EngineStack[], runs: number): Promise<number[]> {
  for (const stack of stacks) await stack.run(["preview"]);
  const times = stacks.map((): number[] => []);
  for (let i = 0; i < runs; i++) {
    for (const [j, stack] of stacks.entries()) {
      const start = process.hrtime.bigint();
      await stack.run(["preview"]);
      times[j].push(msSince(start));
    }
  }
  return times.map(median);
}

/** Install the plugin archive (`npm run plugin:pack`) into the workspace, as `pulumi plugin install --file`. */
async function installArchive(ws: EngineWorkspace): Promise<void> {
  await run(process.execPath, [path.join(ROOT, "scripts", "plugin-pack.js")], { cwd: ROOT });
  const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
    version: string;
  };
  const archive = path.join(ROOT, "dist", "plugin", `pulumi-resource-hwddm-v${version}-linux-amd64.tar.gz`);
  await ws.pulumi(["plugin", "install", "resource", "hwddm", version, "--file", archive]);
}

/** `pulumi preview` of the demo stack vs of the floor program, alternated; undefined without a CLI. */
async function benchEngine(s: EngineSettings): Promise<EngineFigures | undefined> {
  const cli = findPulumiCli();
  if (!cli) return undefined;
  const emulator = await startEmulator();
  const ws = new EngineWorkspace(cli);
  try {
    const demo = await ws.initStack(ROOT, "bench");
    const { config, secretKeys } = demoStackConfig(emulator);
    await demo.configure(config, secretKeys);
    const floor = await ws.initStack(path.join(ROOT, "bench", "engine-floor"), "bench");
    const [floorMs, demoMs] = await alternated([floor, demo], s.runs);

    await installArchive(ws);
    const yamlConfig = demoStackConfig(emulator, "hwddm-bench-yaml");
    delete yamlConfig.config["hwddm-bench-yaml:restoreTime"]; // the demo's setting; these programs have none
    const yamlStacks: EngineStack[] = [];
    for (const [dir, name] of [
      ["engine-yaml-floor", "floor"],
      ["engine-yaml", "invokes"],
    ]) {
      const stack = await ws.initStack(path.join(ROOT, "bench", dir), name);
      await stack.configure(yamlConfig.config, yamlConfig.secretKeys);
      yamlStacks.push(stack);
    }
    const [yamlFloorMs, yamlMs] = await alternated(yamlStacks, s.runs);
    const figures = {
      cli,
      runs: s.runs,
      floorMs: round(floorMs, 0),
      demoMs: round(demoMs, 0),
      demoOverFloor: round(demoMs / floorMs, 3),
      yaml: {
        floorMs: round(yamlFloorMs, 0),
        invokesMs: round(yamlMs, 0),
        overFloor: round(yamlMs / yamlFloorMs, 3),
      },
    };
    target(
      "`pulumi preview` of the demo stack (TypeScript) vs its floor",
      "<= 1.05x",
      `${figures.demoOverFloor}x (${figures.demoMs} vs ${figures.floorMs} ms)`,
      figures.demoOverFloor <= 1.05,
    );
    target(
      "`pulumi preview` of YAML with two invokes, plugin installed, vs its floor",
      "<= 1.35x",
      `${figures.yaml.overFloor}x (${figures.yaml.invokesMs} vs ${figures.yaml.floorMs} ms)`,
      figures.yaml.overFloor <= 1.35,
    );
    return figures;
  } finally {
    ws.close();
    await emulator.close();
  }
}

const group: BenchGroup<EngineSettings, EngineFigures | undefined> = {
  key: "engine",
  full: { runs: 7 },
  quick: { runs: 1 },
  run: benchEngine,
  report: (r) => {
    return [
      r
        ? `Under the real engine (${r.cli}): wall time of \`pulumi preview\`, median of ${r.runs}, alternated`
        : "Under the real engine: skipped, no Pulumi CLI (`npm run pulumi:install` builds one)",
      ...(r
        ? [
            renderTable(
              ["program", "preview ms"],
              [
                ["engine floor (bench/engine-floor: no invokes, no plugin)", String(r.floorMs)],
                ["demo stack (2 invokes through bin/pulumi-resource-hwddm)", String(r.demoMs)],
                ["demo / floor", `${r.demoOverFloor}x`],
                ["YAML floor (bench/engine-yaml-floor: no invokes)", String(r.yaml.floorMs)],
                ["YAML, 2 invokes, plugin installed from its archive", String(r.yaml.invokesMs)],
                ["YAML / floor", `${r.yaml.overFloor}x`],
              ],
            ),
          ]
        : []),
    ];
  },
};
export default group;
