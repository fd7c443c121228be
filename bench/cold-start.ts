/**
 * Cold start: the plugin executable to its port and to its first Invoke answered, beside a
 * bare `node -e 0`, with V8's code cache (what every start after the first gets) and without it, both as the npm package runs it (bin/pulumi-resource-hwddm, which runs the
 * bundle `npm run build` writes to dist/plugin-bundle) and as its archive holds it (the same
 * esbuild bundle behind a sh shim, `npm run plugin:pack`); and what `require` of the SDK and of the core adds
 * to a program, next to `require("@pulumi/pulumi")` alone.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { emulatorEnv } from "../emulator";
import { TOKENS } from "../provider";
import { median, msSince, renderTable, round } from "./stats";
import {
  BenchGroup,
  ROOT,
  SOURCE,
  childEnv,
  pluginTesting,
  runChild,
  target,
  within,
  withEmulator,
} from "./common";

export interface ColdStartSettings {
  runs: number;
  requireRuns: number;
}

interface ColdStart {
  runs: number;
  bareNodeMs: number;
  pluginPortMs: number;
  pluginFirstInvokeMs: number;
  portOverBare: number;
  firstInvokeOverPort: number;
  /** The same, for the plugin as its archive holds it (one esbuild bundle). */
  archive: { pluginPortMs: number; pluginFirstInvokeMs: number; firstInvokeOverPort: number };
  /** bin/ with V8's code cache off (NODE_DISABLE_COMPILE_CACHE): a first start after an install. */
  noCodeCache: { pluginPortMs: number; pluginFirstInvokeMs: number };
  requireMs: Record<string, number>;
  /** require("pulumi-hwddm") / require("@pulumi/pulumi"). */
  sdkOverPulumi: number;
}

async function benchColdStart(s: ColdStartSettings): Promise<ColdStart> {
  const RUNS = s.runs;
  const { spawnPlugin } = pluginTesting();
  // The plugin as its archive holds it (`npm run plugin:pack`: one esbuild bundle), staged fresh
  // from dist/, beside the npm package's bin/pulumi-resource-hwddm (which runs dist/plugin-bundle).
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), "hwddm-bench-plugin-"));
  const pack = require(path.join(ROOT, "scripts", "plugin-pack.js")) as {
    stagePlugin(dir: string): Promise<void>;
  };
  const out = await withEmulator({ instances: 10, windows: 0 }, async (em) => {
    await pack.stagePlugin(stage);
    const archive = path.join(stage, "pulumi-resource-hwddm");
    const bare: number[] = [];
    const times = {
      dist: { port: [] as number[], first: [] as number[] },
      archive: { port: [] as number[], first: [] as number[] },
      noCache: { port: [] as number[], first: [] as number[] },
    };
    const once = async (
      executable: string | undefined,
      into: { port: number[]; first: number[] },
      extraEnv: Record<string, string> = {},
    ) => {
      const t1 = process.hrtime.bigint();
      const plugin = await within(
        spawnPlugin({
          env: { ...emulatorEnv(em, "token"), ...extraEnv },
          ...(executable ? { executable } : {}),
        }),
        20_000,
        "plugin start",
      );
      try {
        into.port.push(msSince(t1));
        const res = await within(
          plugin.client.invoke(TOKENS.getRestorableInstances, { instanceId: SOURCE }),
          20_000,
          "first invoke",
        );
        into.first.push(msSince(t1));
        const n = (res.result?.instances as unknown[] | undefined)?.length;
        if (n !== 10) throw new Error(`first invoke answered ${JSON.stringify(res).slice(0, 200)}`);
      } finally {
        await plugin.close();
      }
    };
    // Warm the file cache once for each, not counted.
    await runChild(process.execPath, ["-e", "0"], childEnv(), 10_000);
    await once(undefined, { port: [], first: [] });
    await once(archive, { port: [], first: [] });
    for (let i = 0; i < RUNS; i++) {
      const t0 = process.hrtime.bigint();
      const r = await runChild(process.execPath, ["-e", "0"], childEnv(), 10_000);
      bare.push(msSince(t0));
      if (r.code !== 0) throw new Error(`node -e 0 exited ${r.code}`);
      await once(undefined, times.dist);
      await once(archive, times.archive);
      await once(undefined, times.noCache, { NODE_DISABLE_COMPILE_CACHE: "1" });
    }
    return {
      bare: median(bare),
      port: median(times.dist.port),
      first: median(times.dist.first),
      archivePort: median(times.archive.port),
      archiveFirst: median(times.archive.first),
      noCachePort: median(times.noCache.port),
      noCacheFirst: median(times.noCache.first),
    };
  }).finally(() => fs.rmSync(stage, { recursive: true, force: true }));
  process.stderr.write("bench: cold start done\n");

  const requireMs: Record<string, number> = {};
  const child = path.join(__dirname, "child-require.js");
  // What a program loads: the SDK, @pulumi/pulumi alone, and the core the plugin and CLI load.
  const requests: Record<string, string> = {
    "hwddm core": path.join(ROOT, "dist", "provider", "index.js"),
    "pulumi-hwddm": "pulumi-hwddm",
    "@pulumi/pulumi": "@pulumi/pulumi",
  };
  const modules = Object.keys(requests);
  const requireTimes: Record<string, number[]> = Object.fromEntries(modules.map((m) => [m, []]));
  // Alternated, so that a busy spell of the machine falls on every module alike.
  for (let i = 0; i < s.requireRuns; i++) {
    for (const mod of modules) {
      const r = await runChild(process.execPath, [child, requests[mod]], childEnv(), 30_000);
      if (r.code !== 0) throw new Error(`require(${mod}) failed: ${r.stderr}`);
      requireTimes[mod].push((JSON.parse(r.stdout) as { ms: number }).ms);
    }
  }
  for (const mod of modules) requireMs[mod] = round(median(requireTimes[mod]), 1);
  process.stderr.write("bench: require done\n");

  const result: ColdStart = {
    runs: RUNS,
    bareNodeMs: round(out.bare, 1),
    pluginPortMs: round(out.port, 1),
    pluginFirstInvokeMs: round(out.first, 1),
    portOverBare: round(out.port / out.bare, 2),
    firstInvokeOverPort: round(out.first / out.port, 2),
    archive: {
      pluginPortMs: round(out.archivePort, 1),
      pluginFirstInvokeMs: round(out.archiveFirst, 1),
      firstInvokeOverPort: round(out.archiveFirst / out.archivePort, 2),
    },
    noCodeCache: { pluginPortMs: round(out.noCachePort, 1), pluginFirstInvokeMs: round(out.noCacheFirst, 1) },
    requireMs,
    sdkOverPulumi: round(requireMs["pulumi-hwddm"] / requireMs["@pulumi/pulumi"], 3),
  };
  target(
    "plugin (bin/) cold start: port printed",
    `<= 1.3 x bare node start (${result.bareNodeMs} ms)`,
    `${result.pluginPortMs} ms (${result.portOverBare}x)`,
    result.portOverBare <= 1.3,
  );
  target(
    "plugin (bin/) cold start: first Invoke answered",
    `<= 2 x port printed (${result.pluginPortMs} ms)`,
    `${result.pluginFirstInvokeMs} ms (${result.firstInvokeOverPort}x)`,
    result.firstInvokeOverPort <= 2,
  );
  target(
    "plugin archive (bundle) cold start: first Invoke answered",
    `<= 2 x port printed (${result.archive.pluginPortMs} ms)`,
    `${result.archive.pluginFirstInvokeMs} ms (${result.archive.firstInvokeOverPort}x)`,
    result.archive.firstInvokeOverPort <= 2,
  );
  target(
    'require("pulumi-hwddm") vs require("@pulumi/pulumi")',
    `<= 1.10x (${requireMs["@pulumi/pulumi"]} ms)`,
    `${requireMs["pulumi-hwddm"]} ms (${result.sdkOverPulumi}x)`,
    result.sdkOverPulumi <= 1.1,
  );
  return result;
}

const group: BenchGroup<ColdStartSettings, ColdStart> = {
  key: "coldStart",
  full: { runs: 10, requireRuns: 7 },
  quick: { runs: 3, requireRuns: 2 },
  run: benchColdStart,
  report: (r, s) => {
    return [
      `Cold start (median of ${r.runs}) and require cost (median of ${s.requireRuns}, fresh processes)`,
      renderTable(
        ["what", "ms"],
        [
          ["bare `node -e 0` (spawn to exit)", String(r.bareNodeMs)],
          ["plugin (bin/): spawn to port printed", `${r.pluginPortMs} (${r.portOverBare}x bare)`],
          [
            "plugin (bin/): spawn to first Invoke answered",
            `${r.pluginFirstInvokeMs} (${r.firstInvokeOverPort}x port)`,
          ],
          ["plugin archive (bundle): spawn to port printed", String(r.archive.pluginPortMs)],
          [
            "plugin archive (bundle): spawn to first Invoke answered",
            `${r.archive.pluginFirstInvokeMs} (${r.archive.firstInvokeOverPort}x port)`,
          ],
          ["plugin (bin/), code cache off: spawn to port printed", String(r.noCodeCache.pluginPortMs)],
          [
            "plugin (bin/), code cache off: spawn to first Invoke answered",
            String(r.noCodeCache.pluginFirstInvokeMs),
          ],
          ...Object.entries(r.requireMs).map(([k, v]) => [`require("${k}")`, String(v)]),
        ],
      ),
    ];
  },
};
export default group;
