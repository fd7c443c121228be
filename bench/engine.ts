/**
 * The user's number, when a Pulumi CLI is found (`npm run pulumi:install`): wall time of a
 * real `pulumi preview` of the demo stack against the same engine previewing a program with
 * no invokes and no plugin (bench/engine-floor), runs alternated, medians.
 */
import * as path from "node:path";
import { startEmulator } from "../emulator";
import { demoStackConfig } from "../examples/demo";
import { EngineWorkspace, findPulumiCli } from "../test/support/pulumi-cli";
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
    // One untimed preview each first (Node's and the OS's caches), then alternate.
    await demo.run(["preview"]);
    await floor.run(["preview"]);
    const demoMs: number[] = [];
    const floorMs: number[] = [];
    for (let i = 0; i < s.runs; i++) {
      for (const [stack, out] of [
        [floor, floorMs],
        [demo, demoMs],
      ] as const) {
        const start = process.hrtime.bigint();
        await stack.run(["preview"]);
        out.push(msSince(start));
      }
    }
    const figures = {
      cli,
      runs: s.runs,
      floorMs: round(median(floorMs), 0),
      demoMs: round(median(demoMs), 0),
      demoOverFloor: round(median(demoMs) / median(floorMs), 3),
    };
    target(
      "`pulumi preview` of the demo stack vs the engine's floor",
      "<= 1.15x",
      `${figures.demoOverFloor}x (${figures.demoMs} vs ${figures.floorMs} ms)`,
      figures.demoOverFloor <= 1.15,
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
              ],
            ),
          ]
        : []),
    ];
  },
};
export default group;
