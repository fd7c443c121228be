/**
 * `npm run bench` (`node dist/bench/index.js`): how fast and how lean pulumi-hwddm is, measured
 * against the emulator on loopback, printed as a table and written to `bench/results.json`.
 * Every figure is a median (or a percentile) of runs made in this same process run, and
 * every ratio compares figures from this run only. Nothing leaves 127.0.0.1.
 *
 * 1. Paging: N = 10, 1 000, 10 000 restorable instances, 20 ms emulator latency per request:
 *    our walker (the function registry) vs a naive sequential walker at the API's default
 *    page size (10) vs a sequential walker at 128 (baselines in `baselines.ts`).
 * 2. Per-call overhead: one page through `DdmClient.getJson` (and through the registry with
 *    `limit`) vs a bare `axios.get` of the same URL; no added latency; p50 and p99.
 * 3. Cold start: the plugin executable to its port and to its first Invoke answered, beside a
 *    bare `node -e 0`, both as the npm package runs it (bin/pulumi-resource-hwddm, which runs the
 *    bundle `npm run build` writes to dist/plugin-bundle) and as its archive holds it (the same
 *    esbuild bundle behind a sh shim, `npm run plugin:pack`); and what `require` of the SDK and of the core adds
 *    to a program, next to `require("@pulumi/pulumi")` alone.
 * 4. Peak memory (RSS) of a process that fetches 10 000 records through the registry.
 * 5. 50 concurrent invokes through one plugin process over gRPC: throughput, errors and the
 *    plugin's CPU per record, after one uncounted warm-up round (its figure is reported beside
 *    the others). The driver takes each answer as bytes and decodes and checks it
 *    after the round, so that while the plugin is measured its driver costs what the engine's
 *    Go runtime would (gRPC I/O only), not JavaScript protobuf decoding on the same cores.
 * 6. The user's number, when a Pulumi CLI is found (`npm run pulumi:install`): wall time of a
 *    real `pulumi preview` of the demo stack against the same engine previewing a program with
 *    no invokes and no plugin (bench/engine-floor), runs alternated, medians.
 * 7. One large answer: one invoke of 100 000 records (the core's record cap) through a fresh
 *    plugin process, driven over gRPC with the engine's 400 MiB message limit: the plugin's
 *    peak RSS (the kernel's high-water mark), its CPU time, and that it is still alive after.
 *
 * Bounded: every loop has a fixed count, every wait a timeout, and a watchdog stops the whole
 * run after 9 minutes.
 *
 * `--quick` runs every section with small sizes and few repeats (`QUICK` below; about 20 s): a
 * smoke test that the bench still runs (test/bench/bench.spec.ts), whose figures are not
 * benchmarks. `--out <file>` writes the JSON there instead of `bench/results.json`.
 */
import { ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { AxiosInstance } from "axios";
import { CONTRACT_EXAMPLE, emulatorConfig, emulatorEnv, startEmulator } from "../emulator";
import { DEFAULT_PAGING, TOKENS, clientFor, getRestorableInstances, resolveConfig } from "../provider";
import { restorePath } from "../provider/operations";
import type * as PluginTesting from "../examples/harness";
import { demoStackConfig } from "../examples/demo";
import { EngineWorkspace, findPulumiCli } from "../examples/pulumi-cli";
import { bareAxios, sequentialWalk } from "./baselines";
import { RemoteEmulator, RemoteEmulatorSpec, startRemoteEmulator } from "./remote-emulator";
import { median, msSince, percentile, renderTable, round } from "./stats";
import { benchRestore, renderRestore } from "./restore";

const SOURCE = CONTRACT_EXAMPLE.sourceInstanceId;
const LATENCY_MS = 20;
const PAGE_SIZE = DEFAULT_PAGING.pageSize;
const CONCURRENCY = DEFAULT_PAGING.concurrency;
const ROOT = path.resolve(__dirname, "..", "..");
const RESULTS_FILE = path.join(ROOT, "bench", "results.json");

/** Sizes and repeat counts of every section: one set for the real run, one for `--quick`. */
interface Settings {
  quick: boolean;
  watchdogMs: number;
  paging: {
    sizes: number[];
    /** Bare single requests timed for the per-request floor. */
    singles: number;
    oursRuns: number;
    sequentialRuns: number;
    naiveRuns: number;
    /** Fewer naive runs from this N on (1 000 requests of 20 ms each at N = 10 000). */
    naiveRunsLarge?: { fromN: number; runs: number };
  };
  overhead: { calls: number; warmup: number };
  coldStart: { runs: number; requireRuns: number };
  memory: { records: number; runs: number };
  concurrency: { invokes: number; rounds: number; records: number[] };
  engine: { runs: number };
  largeAnswer: { records: number };
}

const FULL: Settings = {
  quick: false,
  watchdogMs: 9 * 60_000,
  paging: {
    sizes: [10, 1_000, 10_000],
    singles: 7,
    oursRuns: 11,
    sequentialRuns: 5,
    naiveRuns: 5,
    naiveRunsLarge: { fromN: 10_000, runs: 3 },
  },
  overhead: { calls: 500, warmup: 50 },
  coldStart: { runs: 10, requireRuns: 7 },
  memory: { records: 10_000, runs: 3 },
  concurrency: { invokes: 50, rounds: 5, records: [10, 1_000] },
  engine: { runs: 7 },
  largeAnswer: { records: 100_000 },
};

const QUICK: Settings = {
  quick: true,
  watchdogMs: 2 * 60_000,
  paging: { sizes: [10, 300], singles: 3, oursRuns: 3, sequentialRuns: 2, naiveRuns: 2 },
  overhead: { calls: 30, warmup: 5 },
  coldStart: { runs: 3, requireRuns: 2 },
  memory: { records: 1_000, runs: 1 },
  concurrency: { invokes: 10, rounds: 1, records: [10] },
  engine: { runs: 1 },
  largeAnswer: { records: 2_000 },
};

class UsageError extends Error {}

const USAGE = "usage: node dist/bench/index.js [--quick] [--out <file>]";

/** `--quick` and `--out <file>`; anything else is refused. */
function parseArgs(argv: string[]): { settings: Settings; out: string } {
  let settings = FULL;
  let out = RESULTS_FILE;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--quick") settings = QUICK;
    else if (argv[i] === "--out" && argv[i + 1] !== undefined) out = path.resolve(argv[++i]);
    else throw new UsageError(`unknown or incomplete argument: ${argv[i]}\n${USAGE}`);
  }
  return { settings, out };
}

function naiveRunsFor(s: Settings["paging"], n: number): number {
  return s.naiveRunsLarge !== undefined && n >= s.naiveRunsLarge.fromN ? s.naiveRunsLarge.runs : s.naiveRuns;
}

/** The plugin test harness (it loads @pulumi/pulumi, so only the sections that spawn the plugin load it). */
function pluginTesting(): typeof PluginTesting {
  return require("../examples/harness") as typeof PluginTesting;
}

/** `p`, or a rejection when it takes longer than `ms`. */
async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Run `body` against an emulator in a process of its own (see child-emulator.ts). */
async function withEmulator<T>(
  spec: RemoteEmulatorSpec,
  body: (em: RemoteEmulator) => Promise<T>,
): Promise<T> {
  const em = await startRemoteEmulator(spec);
  try {
    return await body(em);
  } finally {
    await em.close();
  }
}

/** A child process's exit, and its stdout; killed when it outlives `timeoutMs`. */
function runChild(
  command: string,
  args: string[],
  env: Record<string, string>,
  timeoutMs: number,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout!.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${command} ${args.join(" ")} took longer than ${timeoutMs} ms`));
    }, timeoutMs);
    child.once("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Only PATH (so `#!/usr/bin/env node` finds this Node) plus `extra`. */
function childEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: [path.dirname(process.execPath), process.env.PATH ?? ""].join(path.delimiter), ...extra };
}

interface Target {
  name: string;
  target: string;
  measured: string;
  pass: boolean;
}

const targets: Target[] = [];

function target(name: string, targetText: string, measured: string, pass: boolean): void {
  targets.push({ name, target: targetText, measured, pass });
}

// ---------------------------------------------------------------------------------------
// 1. Paging

interface WalkFigures {
  runs: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** Requests per run (the same in every run, or the list of what each made). */
  requests: number | number[];
  records: number;
}

interface PagingRow {
  n: number;
  pages: number;
  /** The target's formula with the nominal latency. */
  expectedMs: number;
  /** Median time of one bare request of 10 records against this emulator: the real per-request floor. */
  measuredLatencyMs: number;
  /** The same formula with the measured per-request floor instead of the nominal latency. */
  expectedAtMeasuredMs: number;
  oursOverExpectedAtMeasured: number;
  ours: WalkFigures;
  sequential128: WalkFigures;
  naive10: WalkFigures;
  oursOverExpected: number;
  naiveOverOurs: number;
  sequentialOverOurs: number;
}

async function measureWalks(
  runs: number,
  once: () => Promise<{ ms: number; requests: number; records: number }>,
): Promise<WalkFigures> {
  const times: number[] = [];
  const requests = new Set<number>();
  const all: number[] = [];
  let records = 0;
  for (let i = 0; i < runs; i++) {
    const r = await once();
    times.push(r.ms);
    requests.add(r.requests);
    all.push(r.requests);
    records = r.records;
  }
  return {
    runs,
    medianMs: round(median(times)),
    minMs: round(Math.min(...times)),
    maxMs: round(Math.max(...times)),
    requests: requests.size === 1 ? all[0] : all,
    records,
  };
}

async function benchPaging(s: Settings["paging"]): Promise<PagingRow[]> {
  const rows: PagingRow[] = [];
  for (const n of s.sizes) {
    const row = await withEmulator(
      { instances: n, windows: 0, faults: [{ kind: "latency", ms: LATENCY_MS }] },
      async (em) => {
        const providerConfig = emulatorConfig(em, "token");
        const url = em.url + restorePath(em.credentials.projectId, SOURCE, "restorable-instances");
        const requestsNow = async () => (await em.stats()).byRoute["restorable-instances"];
        const pages = Math.ceil(n / PAGE_SIZE);
        const budget = 60_000;

        const ours = async () => {
          await em.resetStats();
          const t = process.hrtime.bigint();
          const r = await within(
            getRestorableInstances({ instanceId: SOURCE }, { providerConfig, env: {} }),
            budget,
            "our walker",
          );
          const ms = msSince(t);
          if (r.instances.length !== n) throw new Error(`our walker read ${r.instances.length} of ${n}`);
          return { ms, requests: await requestsNow(), records: r.instances.length };
        };
        const sequential = (http: AxiosInstance, pageSize: number) => async () => {
          await em.resetStats();
          const t = process.hrtime.bigint();
          const r = await within(
            sequentialWalk(http, url, em.credentials.token, pageSize, {
              maxPages: Math.ceil(n / pageSize) + 2,
              deadlineMs: budget,
            }),
            budget + 1000,
            `sequential walker (${pageSize})`,
          );
          const ms = msSince(t);
          if (r.records !== n) throw new Error(`sequential walker (${pageSize}) read ${r.records} of ${n}`);
          return { ms, requests: await requestsNow(), records: r.records };
        };

        const http128 = bareAxios();
        const http10 = bareAxios();
        // Warm-up (not counted): module code, keep-alive sockets, the client cache.
        await ours();
        for (const [http, limit] of [
          [http128, PAGE_SIZE],
          [http10, 10],
        ] as const) {
          await http.get(url, {
            params: { offset: 0, limit },
            headers: { "X-Auth-Token": em.credentials.token },
          });
        }

        // The real floor of one request (nominal latency + loopback + the emulator's own work).
        const singles: number[] = [];
        for (let i = 0; i < s.singles; i++) {
          const t = process.hrtime.bigint();
          await http10.get(url, {
            params: { offset: 0, limit: 10 },
            headers: { "X-Auth-Token": em.credentials.token },
          });
          singles.push(msSince(t));
        }
        const measuredLatencyMs = median(singles);

        const oursFigures = await measureWalks(s.oursRuns, ours);
        const seqFigures = await measureWalks(s.sequentialRuns, sequential(http128, PAGE_SIZE));
        const naiveFigures = await measureWalks(naiveRunsFor(s, n), sequential(http10, 10));

        const rounds = 1 + Math.ceil((pages - 1) / CONCURRENCY);
        const expectedMs = rounds * LATENCY_MS;
        return {
          n,
          pages,
          expectedMs,
          measuredLatencyMs: round(measuredLatencyMs),
          expectedAtMeasuredMs: round(rounds * measuredLatencyMs),
          oursOverExpectedAtMeasured: round(oursFigures.medianMs / (rounds * measuredLatencyMs), 3),
          ours: oursFigures,
          sequential128: seqFigures,
          naive10: naiveFigures,
          oursOverExpected: round(oursFigures.medianMs / expectedMs, 3),
          naiveOverOurs: round(naiveFigures.medianMs / oursFigures.medianMs, 1),
          sequentialOverOurs: round(seqFigures.medianMs / oursFigures.medianMs, 2),
        };
      },
    );
    rows.push(row);
    process.stderr.write(`bench: paging N=${n} done\n`);

    target(
      `paging N=${n}: requests`,
      `exactly ceil(N/128) = ${row.pages}`,
      `${JSON.stringify(row.ours.requests)} per run`,
      row.ours.requests === row.pages,
    );
    target(
      `paging N=${n}: wall time`,
      `<= 1.10 x ${row.expectedMs} ms ((1 + ceil((${row.pages} - 1) / ${CONCURRENCY})) x ${LATENCY_MS} ms)`,
      `${row.ours.medianMs} ms (${row.oursOverExpected} x)`,
      row.ours.medianMs <= 1.1 * row.expectedMs,
    );
    if (n === 10_000) {
      target(
        "paging N=10000: vs naive",
        ">= 40x faster than the naive walker (page size 10)",
        `${row.naiveOverOurs}x`,
        row.naiveOverOurs >= 40,
      );
    }
  }
  return rows;
}

// ---------------------------------------------------------------------------------------
// 2. Per-call overhead

interface OverheadRow {
  limit: number;
  calls: number;
  bareAxios: { p50Ms: number; p99Ms: number };
  client: { p50Ms: number; p99Ms: number };
  registry: { p50Ms: number; p99Ms: number };
  clientOverBareP50: number;
  clientOverBareP99: number;
  registryOverBareP50: number;
  registryOverBareP99: number;
}

async function benchOverhead(s: Settings["overhead"]): Promise<OverheadRow[]> {
  const CALLS = s.calls;
  const WARMUP = s.warmup;
  return withEmulator({ instances: 1_000, windows: 0 }, async (em) => {
    const providerConfig = emulatorConfig(em, "token");
    const client = clientFor(resolveConfig({}, providerConfig, {}));
    const p = restorePath(em.credentials.projectId, SOURCE, "restorable-instances");
    const url = em.url + p;
    const http = bareAxios();
    const headers = { "X-Auth-Token": em.credentials.token };
    const rows: OverheadRow[] = [];
    for (const limit of [10, PAGE_SIZE]) {
      const kinds = {
        bare: async () => {
          const r = await http.get<{ instances: unknown[] }>(url, { params: { offset: 0, limit }, headers });
          return r.data.instances.length;
        },
        client: async () => {
          const r = await client.getJson(p, { offset: 0, limit });
          return (r.data as { instances: unknown[] }).instances.length;
        },
        registry: async () => {
          const r = await getRestorableInstances({ instanceId: SOURCE, limit }, { providerConfig, env: {} });
          return r.instances.length;
        },
      };
      const names = Object.keys(kinds) as (keyof typeof kinds)[];
      const times: Record<string, number[]> = { bare: [], client: [], registry: [] };
      for (let i = 0; i < WARMUP + CALLS; i++) {
        // Rotate the order so that no kind always runs first (or right after GC pressure).
        for (let k = 0; k < names.length; k++) {
          const name = names[(i + k) % names.length];
          const t = process.hrtime.bigint();
          const got = await within(kinds[name](), 10_000, `one ${name} call`);
          const ms = msSince(t);
          if (got !== limit) throw new Error(`${name} read ${got} records, expected ${limit}`);
          if (i >= WARMUP) times[name].push(ms);
        }
      }
      const fig = (xs: number[]) => ({
        p50Ms: round(percentile(xs, 50), 3),
        p99Ms: round(percentile(xs, 99), 3),
      });
      const bare = fig(times.bare);
      const ours = fig(times.client);
      const registry = fig(times.registry);
      rows.push({
        limit,
        calls: CALLS,
        bareAxios: bare,
        client: ours,
        registry,
        clientOverBareP50: round(ours.p50Ms / bare.p50Ms, 2),
        clientOverBareP99: round(ours.p99Ms / bare.p99Ms, 2),
        registryOverBareP50: round(registry.p50Ms / bare.p50Ms, 2),
        registryOverBareP99: round(registry.p99Ms / bare.p99Ms, 2),
      });
    }
    for (const r of rows) {
      target(
        `overhead, page of ${r.limit}: DdmClient.getJson / bare axios`,
        "p50 ratio <= 1.5",
        `p50 ${r.clientOverBareP50}x, p99 ${r.clientOverBareP99}x`,
        r.clientOverBareP50 <= 1.5,
      );
    }
    process.stderr.write("bench: overhead done\n");
    return rows;
  });
}

// ---------------------------------------------------------------------------------------
// 3. Cold start and require cost

interface ColdStart {
  runs: number;
  bareNodeMs: number;
  pluginPortMs: number;
  pluginFirstInvokeMs: number;
  portOverBare: number;
  firstInvokeOverPort: number;
  /** The same, for the plugin as its archive holds it (one esbuild bundle). */
  archive: { pluginPortMs: number; pluginFirstInvokeMs: number; firstInvokeOverPort: number };
  requireMs: Record<string, number>;
  /** require("pulumi-hwddm") / require("@pulumi/pulumi"). */
  sdkOverPulumi: number;
}

async function benchColdStart(s: Settings["coldStart"]): Promise<ColdStart> {
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
    };
    const once = async (executable: string | undefined, into: { port: number[]; first: number[] }) => {
      const t1 = process.hrtime.bigint();
      const plugin = await within(
        spawnPlugin({ env: emulatorEnv(em, "token"), ...(executable ? { executable } : {}) }),
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
    }
    return {
      bare: median(bare),
      port: median(times.dist.port),
      first: median(times.dist.first),
      archivePort: median(times.archive.port),
      archiveFirst: median(times.archive.first),
    };
  }).finally(() => fs.rmSync(stage, { recursive: true, force: true }));
  process.stderr.write("bench: cold start done\n");

  const requireMs: Record<string, number> = {};
  const child = path.join(__dirname, "child-require.js");
  const modules = ["pulumi-hwddm/provider", "pulumi-hwddm", "@pulumi/pulumi"];
  const requireTimes: Record<string, number[]> = Object.fromEntries(modules.map((m) => [m, []]));
  // Alternated, so that a busy spell of the machine falls on every module alike.
  for (let i = 0; i < s.requireRuns; i++) {
    for (const mod of modules) {
      const r = await runChild(process.execPath, [child, mod], childEnv(), 30_000);
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
    requireMs,
    sdkOverPulumi: round(requireMs["pulumi-hwddm"] / requireMs["@pulumi/pulumi"], 3),
  };
  target(
    "plugin (bin/) cold start: port printed",
    `<= 4 x bare node start (${result.bareNodeMs} ms)`,
    `${result.pluginPortMs} ms (${result.portOverBare}x)`,
    result.portOverBare <= 4,
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

// ---------------------------------------------------------------------------------------
// 4. Peak memory

interface Memory {
  runs: number;
  records: number;
  rssStartMiB: number;
  rssLoadedMiB: number;
  rssPeakMiB: number;
  peakOverLoadedMiB: number;
  heapUsedAfterMiB: number;
  fetchMs: number;
}

async function benchMemory(s: Settings["memory"]): Promise<Memory> {
  const MiB = 1024 * 1024;
  const child = path.join(__dirname, "child-memory.js");
  const runs: Record<string, number>[] = [];
  await withEmulator({ instances: s.records, windows: 0 }, async (em) => {
    for (let i = 0; i < s.runs; i++) {
      const r = await runChild(process.execPath, [child, SOURCE], childEnv(emulatorEnv(em, "token")), 60_000);
      if (r.code !== 0) throw new Error(`memory child failed: ${r.stderr}`);
      runs.push(JSON.parse(r.stdout) as Record<string, number>);
    }
  });
  const med = (k: string) => median(runs.map((r) => r[k]));
  const records = runs[0].records;
  if (records !== s.records) throw new Error(`memory child read ${records} records`);
  process.stderr.write("bench: memory done\n");
  return {
    runs: runs.length,
    records,
    rssStartMiB: round(med("rssStart") / MiB, 1),
    rssLoadedMiB: round(med("rssLoaded") / MiB, 1),
    rssPeakMiB: round(med("rssPeak") / MiB, 1),
    peakOverLoadedMiB: round(median(runs.map((r) => r.rssPeak - r.rssLoaded)) / MiB, 1),
    heapUsedAfterMiB: round(med("heapUsedAfter") / MiB, 1),
    fetchMs: round(med("ms"), 1),
  };
}

// ---------------------------------------------------------------------------------------
// 5. Concurrent invokes through one plugin process

interface Concurrency {
  /** CPU time (user + system) per round of the plugin process, and of this process (the gRPC client side), ms. */
  pluginCpuMsPerRound?: number;
  /** Plugin CPU per record answered: pluginCpuMsPerRound / (invokes x records), µs. */
  pluginCpuUsPerRecord?: number;
  /**
   * The same for the uncounted warm-up round, the plugin's first (its code not yet optimized
   * by V8): what a short `pulumi preview` pays, where a plugin never warms up.
   */
  warmupPluginCpuUsPerRecord?: number;
  benchCpuMsPerRound: number;
  invokes: number;
  rounds: number;
  recordsPerInvoke: number;
  requestsPerRound: number[];
  medianRoundMs: number;
  invokesPerSecond: number;
  errors: number;
}

/** `invokes` invokes at once (half of each function) through one plugin process, `records` records each. */
async function benchConcurrency(s: Settings["concurrency"], records: number): Promise<Concurrency> {
  const INVOKES = s.invokes;
  const ROUNDS = s.rounds;
  const { spawnPlugin, decodeInvokeResponse } = pluginTesting();
  return withEmulator(
    { instances: records, windows: records, faults: [{ kind: "latency", ms: LATENCY_MS }] },
    async (em) => {
      const plugin = await within(spawnPlugin({ env: emulatorEnv(em, "token") }), 20_000, "plugin start");
      try {
        const tokenOf = (i: number) =>
          i % 2 === 0 ? TOKENS.getRestorableInstances : TOKENS.getRestoreTimeIntervals;
        /** An answer is right when it has no failures and every record. */
        const check = (i: number, bytes: Buffer | undefined): boolean => {
          if (!bytes) return false;
          const r = decodeInvokeResponse(bytes);
          const field = i % 2 === 0 ? "instances" : "intervals";
          return r.failures.length === 0 && (r.result?.[field] as unknown[] | undefined)?.length === records;
        };
        // The answers arrive as bytes and are decoded after the round: while the plugin works,
        // its driver does what the engine's Go runtime does (gRPC I/O), not seconds of
        // google-protobuf decoding competing for the same two cores.
        const one = (i: number): Promise<Buffer | undefined> =>
          within(plugin.client.invokeBytes(tokenOf(i), { instanceId: SOURCE }), 60_000, "invoke").catch(
            () => undefined,
          );
        // Warm-up (not counted): the core's first load in the plugin, the client cache, then one
        // whole round, so that the rounds measured run code V8 has optimized (the first round
        // costs about 1.6 times a later one; its figure is kept as warmupPluginCpuUsPerRecord).
        if (!check(0, await one(0)) || !check(1, await one(1))) throw new Error("the warm-up invokes failed");
        const w0 = processCpuMs(plugin.pid);
        const warm = await Promise.all(Array.from({ length: INVOKES }, (_, i) => one(i)));
        const w1 = processCpuMs(plugin.pid);
        if (warm.some((bytes, i) => !check(i, bytes))) throw new Error("the warm-up round failed");
        const warmupCpuPerRecord =
          w0 !== undefined && w1 !== undefined ? ((w1 - w0) * 1000) / (INVOKES * records) : undefined;
        const times: number[] = [];
        const requests: number[] = [];
        const pluginCpu: number[] = [];
        const benchCpu: number[] = [];
        let errors = 0;
        for (let round = 0; round < ROUNDS; round++) {
          await em.resetStats();
          const p0 = processCpuMs(plugin.pid);
          const b0 = process.cpuUsage();
          const t = process.hrtime.bigint();
          const answers = await Promise.all(Array.from({ length: INVOKES }, (_, i) => one(i)));
          times.push(msSince(t));
          const b1 = process.cpuUsage(b0);
          benchCpu.push((b1.user + b1.system) / 1000);
          const p1 = processCpuMs(plugin.pid);
          if (p0 !== undefined && p1 !== undefined) pluginCpu.push(p1 - p0);
          requests.push((await em.stats()).requests);
          errors += answers.filter((bytes, i) => !check(i, bytes)).length;
        }
        const roundMs = median(times);
        const cpuPerRecord =
          pluginCpu.length > 0 ? (median(pluginCpu) * 1000) / (INVOKES * records) : undefined;
        const result: Concurrency = {
          ...(pluginCpu.length > 0 ? { pluginCpuMsPerRound: round(median(pluginCpu), 0) } : {}),
          ...(cpuPerRecord !== undefined ? { pluginCpuUsPerRecord: round(cpuPerRecord, 2) } : {}),
          ...(warmupCpuPerRecord !== undefined
            ? { warmupPluginCpuUsPerRecord: round(warmupCpuPerRecord, 2) }
            : {}),
          benchCpuMsPerRound: round(median(benchCpu), 0),
          invokes: INVOKES,
          rounds: ROUNDS,
          recordsPerInvoke: records,
          requestsPerRound: requests,
          medianRoundMs: round(roundMs, 1),
          invokesPerSecond: round(INVOKES / (roundMs / 1000), 1),
          errors,
        };
        target(
          `${INVOKES} concurrent invokes of ${records} records, one plugin`,
          "zero errors",
          `${errors} errors, ${result.invokesPerSecond} invokes/s`,
          errors === 0,
        );
        if (records >= 1_000) {
          target(
            `plugin CPU per record, ${INVOKES} concurrent invokes of ${records} records`,
            "<= 10 us",
            cpuPerRecord === undefined
              ? "n/a (no /proc)"
              : `${result.pluginCpuUsPerRecord} us (${result.pluginCpuMsPerRound} ms per round of ${INVOKES * records} records)`,
            cpuPerRecord !== undefined && cpuPerRecord <= 10,
          );
        }
        process.stderr.write(`bench: concurrency (${records} records) done\n`);
        return result;
      } finally {
        await plugin.close();
      }
    },
  );
}

/** CPU time (user + system) a process has used, ms, from /proc (Linux); undefined elsewhere. */
function processCpuMs(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces) start at field 3; utime and stime are 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks * 10 : undefined; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------
// Report

// ---------------------------------------------------------------------------------------
// 6. Under the real engine

interface EngineFigures {
  cli: string;
  runs: number;
  floorMs: number;
  demoMs: number;
  demoOverFloor: number;
}

/** `pulumi preview` of the demo stack vs of the floor program, alternated; undefined without a CLI. */
async function benchEngine(s: Settings["engine"]): Promise<EngineFigures | undefined> {
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

// ---------------------------------------------------------------------------------------
// 7. One large answer through the plugin

interface LargeAnswer {
  records: number;
  /** Records in the answer the client decoded (equal to `records` when it worked). */
  answered: number;
  /** What went wrong, when the invoke failed or the plugin died. */
  error?: string;
  invokeMs: number;
  pluginCpuMs?: number;
  /** The plugin's RSS once started and warm (before the invoke), and its high-water mark after it, MiB. */
  rssBeforeMiB?: number;
  rssPeakMiB?: number;
  /** The plugin answered GetPluginInfo after the invoke. */
  aliveAfter: boolean;
}

/** A field of /proc/<pid>/status in bytes (VmRSS, VmHWM); undefined off Linux. */
function procStatusBytes(pid: number, field: "VmRSS" | "VmHWM"): number | undefined {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** One invoke of `records` records through a fresh plugin: peak RSS, CPU, and that the plugin survives. */
async function benchLargeAnswer(s: Settings["largeAnswer"]): Promise<LargeAnswer> {
  const MiB = 1024 * 1024;
  const { spawnPlugin } = pluginTesting();
  const result = await withEmulator({ instances: s.records, windows: 0 }, async (em) => {
    const plugin = await within(spawnPlugin({ env: emulatorEnv(em, "token") }), 20_000, "plugin start");
    try {
      // Warm (the core loaded, one small answer), so that "before" is the plugin at rest.
      await within(
        plugin.client.invoke(TOKENS.getRestorableInstances, { instanceId: SOURCE, limit: 1 }),
        20_000,
        "warm-up invoke",
      );
      const rssBefore = procStatusBytes(plugin.pid, "VmRSS");
      const cpu0 = processCpuMs(plugin.pid);
      const t = process.hrtime.bigint();
      let answered = 0;
      let error: string | undefined;
      try {
        const r = await within(
          plugin.client.invoke(TOKENS.getRestorableInstances, { instanceId: SOURCE }),
          180_000,
          "large invoke",
        );
        answered = (r.result?.instances as unknown[] | undefined)?.length ?? 0;
        if (r.failures.length > 0) error = `failures: ${JSON.stringify(r.failures)}`;
      } catch (e) {
        error = e instanceof Error ? e.message : String(e);
      }
      const invokeMs = msSince(t);
      const cpu1 = processCpuMs(plugin.pid);
      const peak = procStatusBytes(plugin.pid, "VmHWM");
      const aliveAfter = await within(plugin.client.getPluginInfo(), 10_000, "GetPluginInfo").then(
        () => true,
        () => false,
      );
      const out: LargeAnswer = {
        records: s.records,
        answered,
        ...(error !== undefined ? { error: error.slice(0, 300) } : {}),
        invokeMs: round(invokeMs, 0),
        ...(cpu0 !== undefined && cpu1 !== undefined ? { pluginCpuMs: round(cpu1 - cpu0, 0) } : {}),
        ...(rssBefore !== undefined ? { rssBeforeMiB: round(rssBefore / MiB, 1) } : {}),
        ...(peak !== undefined ? { rssPeakMiB: round(peak / MiB, 1) } : {}),
        aliveAfter,
      };
      return out;
    } finally {
      await plugin.close();
    }
  });
  target(
    `one invoke of ${s.records} records: plugin peak RSS`,
    "<= 600 MiB, all records answered, plugin alive after",
    `${result.rssPeakMiB ?? "n/a"} MiB, ${result.answered} records, ${result.aliveAfter ? "alive" : "dead"}` +
      (result.error !== undefined ? ` (${result.error.slice(0, 80)})` : ""),
    result.rssPeakMiB !== undefined &&
      result.rssPeakMiB <= 600 &&
      result.answered === s.records &&
      result.aliveAfter,
  );
  process.stderr.write("bench: large answer done\n");
  return result;
}

function machine() {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model ?? "unknown",
    cpuCount: cpus.length,
    totalMemoryGiB: round(os.totalmem() / 1024 ** 3, 1),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
  };
}

function report(
  settings: Settings,
  results: {
    machine: ReturnType<typeof machine>;
    startedAt: string;
    durationS: number;
    paging: PagingRow[];
    overhead: OverheadRow[];
    coldStart: ColdStart;
    memory: Memory;
    concurrency: Concurrency[];
    engine?: EngineFigures;
    largeAnswer: LargeAnswer;
  },
): string {
  const m = results.machine;
  const p = settings.paging;
  const large = p.naiveRunsLarge;
  const naiveRuns = `${p.naiveRuns}${large === undefined ? "" : ` / ${large.runs} at N=${large.fromN}`}`;
  const rounds = settings.concurrency.rounds;
  const ms = (x: number) => `${x}`;
  const req = (x: number | number[]) => (Array.isArray(x) ? x.join("/") : String(x));
  const lines: string[] = [
    ...(settings.quick ? ["QUICK MODE: figures are a smoke test, not benchmarks"] : []),
    `pulumi-hwddm benchmark, ${results.startedAt} (${results.durationS} s)`,
    `machine: ${m.cpuModel} x ${m.cpuCount}, ${m.totalMemoryGiB} GiB, ${m.platform}, node ${m.node}`,
    "",
    `1. Paging: restorable instances, ${LATENCY_MS} ms emulator latency per request; ours = registry ` +
      `(page ${PAGE_SIZE}, concurrency ${CONCURRENCY}); medians in ms (runs: ours ${p.oursRuns}, seq128 ${p.sequentialRuns}, naive10 ${naiveRuns});\n` +
      "expected = (1 + ceil((pages - 1) / concurrency)) x 20 ms; 1 req = measured time of one bare request here; " +
      "exp@1req = the same formula with it",
    renderTable(
      [
        "N",
        "pages",
        "expected",
        "1 req",
        "exp@1req",
        "ours",
        "req",
        "seq128",
        "req",
        "naive10",
        "req",
        "ours/exp",
        "ours/exp@1req",
        "seq128/ours",
        "naive/ours",
      ],
      results.paging.map((r) => [
        String(r.n),
        String(r.pages),
        ms(r.expectedMs),
        ms(r.measuredLatencyMs),
        ms(r.expectedAtMeasuredMs),
        ms(r.ours.medianMs),
        req(r.ours.requests),
        ms(r.sequential128.medianMs),
        req(r.sequential128.requests),
        ms(r.naive10.medianMs),
        req(r.naive10.requests),
        `${r.oursOverExpected}x`,
        `${r.oursOverExpectedAtMeasured}x`,
        `${r.sequentialOverOurs}x`,
        `${r.naiveOverOurs}x`,
      ]),
    ),
    "",
    `2. Per-call overhead: one page, no added latency, ${settings.overhead.calls} calls each after ${settings.overhead.warmup} warm-up (ms)`,
    renderTable(
      [
        "page",
        "bare p50",
        "p99",
        "client p50",
        "p99",
        "registry p50",
        "p99",
        "client/bare p50",
        "p99",
        "registry/bare p50",
        "p99",
      ],
      results.overhead.map((r) => [
        String(r.limit),
        String(r.bareAxios.p50Ms),
        String(r.bareAxios.p99Ms),
        String(r.client.p50Ms),
        String(r.client.p99Ms),
        String(r.registry.p50Ms),
        String(r.registry.p99Ms),
        `${r.clientOverBareP50}x`,
        `${r.clientOverBareP99}x`,
        `${r.registryOverBareP50}x`,
        `${r.registryOverBareP99}x`,
      ]),
    ),
    "",
    `3. Cold start (median of ${results.coldStart.runs}) and require cost (median of ${settings.coldStart.requireRuns}, fresh processes)`,
    renderTable(
      ["what", "ms"],
      [
        ["bare `node -e 0` (spawn to exit)", String(results.coldStart.bareNodeMs)],
        [
          "plugin (bin/): spawn to port printed",
          `${results.coldStart.pluginPortMs} (${results.coldStart.portOverBare}x bare)`,
        ],
        [
          "plugin (bin/): spawn to first Invoke answered",
          `${results.coldStart.pluginFirstInvokeMs} (${results.coldStart.firstInvokeOverPort}x port)`,
        ],
        ["plugin archive (bundle): spawn to port printed", String(results.coldStart.archive.pluginPortMs)],
        [
          "plugin archive (bundle): spawn to first Invoke answered",
          `${results.coldStart.archive.pluginFirstInvokeMs} (${results.coldStart.archive.firstInvokeOverPort}x port)`,
        ],
        ...Object.entries(results.coldStart.requireMs).map(([k, v]) => [`require("${k}")`, String(v)]),
      ],
    ),
    "",
    `4. Memory: one process fetching ${results.memory.records} records through the registry (median of ${results.memory.runs})`,
    renderTable(
      ["RSS at start MiB", "after loading core", "peak", "peak - loaded", "heap used after", "fetch ms"],
      [
        [
          String(results.memory.rssStartMiB),
          String(results.memory.rssLoadedMiB),
          String(results.memory.rssPeakMiB),
          String(results.memory.peakOverLoadedMiB),
          String(results.memory.heapUsedAfterMiB),
          String(results.memory.fetchMs),
        ],
      ],
    ),
    "",
    `5. ${settings.concurrency.invokes} concurrent invokes through one plugin process over gRPC (half each function; ` +
      `${LATENCY_MS} ms latency; median of ${rounds} round${rounds === 1 ? "" : "s"} after one uncounted warm-up round; answers decoded and checked after each round)`,
    renderTable(
      [
        "records/invoke",
        "pages/invoke",
        "round ms",
        "invokes/s",
        "requests per round",
        "errors",
        "plugin CPU ms/round",
        "plugin CPU us/record",
        "warm-up round us/record",
        "client CPU ms/round",
      ],
      results.concurrency.map((c) => [
        String(c.recordsPerInvoke),
        String(Math.ceil(c.recordsPerInvoke / PAGE_SIZE)),
        String(c.medianRoundMs),
        String(c.invokesPerSecond),
        c.requestsPerRound.join("/"),
        String(c.errors),
        c.pluginCpuMsPerRound === undefined ? "n/a" : String(c.pluginCpuMsPerRound),
        c.pluginCpuUsPerRecord === undefined ? "n/a" : String(c.pluginCpuUsPerRecord),
        c.warmupPluginCpuUsPerRecord === undefined ? "n/a" : String(c.warmupPluginCpuUsPerRecord),
        String(c.benchCpuMsPerRound),
      ]),
    ),
    "",
    results.engine
      ? `6. Under the real engine (${results.engine.cli}): wall time of \`pulumi preview\`, median of ${results.engine.runs}, alternated`
      : "6. Under the real engine: skipped, no Pulumi CLI (`npm run pulumi:install` builds one)",
    ...(results.engine
      ? [
          renderTable(
            ["program", "preview ms"],
            [
              ["engine floor (bench/engine-floor: no invokes, no plugin)", String(results.engine.floorMs)],
              ["demo stack (2 invokes through bin/pulumi-resource-hwddm)", String(results.engine.demoMs)],
              ["demo / floor", `${results.engine.demoOverFloor}x`],
            ],
          ),
        ]
      : []),
    "",
    `7. One invoke of ${results.largeAnswer.records} records through a fresh plugin process (no added latency; ` +
      "the client's message limit is the engine's 400 MiB)",
    renderTable(
      [
        "records answered",
        "invoke ms",
        "plugin CPU ms",
        "plugin RSS before MiB",
        "peak RSS MiB",
        "alive after",
      ],
      [
        [
          String(results.largeAnswer.answered) +
            (results.largeAnswer.error !== undefined ? ` (${results.largeAnswer.error.slice(0, 60)})` : ""),
          String(results.largeAnswer.invokeMs),
          results.largeAnswer.pluginCpuMs === undefined ? "n/a" : String(results.largeAnswer.pluginCpuMs),
          results.largeAnswer.rssBeforeMiB === undefined ? "n/a" : String(results.largeAnswer.rssBeforeMiB),
          results.largeAnswer.rssPeakMiB === undefined ? "n/a" : String(results.largeAnswer.rssPeakMiB),
          results.largeAnswer.aliveAfter ? "yes" : "no",
        ],
      ],
    ),
    "",
    "Targets",
    renderTable(
      ["", "check", "target", "measured"],
      targets.map((t) => [t.pass ? "PASS" : "FAIL", t.name, t.target, t.measured]),
    ),
  ];
  return lines.join("\n");
}

async function main(): Promise<void> {
  const { settings, out } = parseArgs(process.argv.slice(2));
  const watchdog = setTimeout(() => {
    process.stderr.write(`bench: stopped by the watchdog after ${settings.watchdogMs / 60_000} minutes\n`);
    process.exit(1);
  }, settings.watchdogMs);
  watchdog.unref();
  const started = Date.now();
  const startedAt = new Date(started).toISOString();
  const paging = await benchPaging(settings.paging);
  const overhead = await benchOverhead(settings.overhead);
  const coldStart = await benchColdStart(settings.coldStart);
  const memory = await benchMemory(settings.memory);
  const concurrency: Concurrency[] = [];
  for (const records of settings.concurrency.records) {
    concurrency.push(await benchConcurrency(settings.concurrency, records));
  }
  const engine = await benchEngine(settings.engine);
  const largeAnswer = await benchLargeAnswer(settings.largeAnswer);
  const results = {
    ...(settings.quick ? { quick: true } : {}),
    machine: machine(),
    startedAt,
    durationS: round((Date.now() - started) / 1000, 1),
    paging,
    overhead,
    coldStart,
    memory,
    concurrency,
    ...(engine ? { engine } : {}),
    largeAnswer,
    restore: await benchRestore(settings.quick, target),
  };
  process.stdout.write(`${report(settings, results)}\n`);
  process.stdout.write(`\n${renderRestore(results.restore)}\n`);
  fs.writeFileSync(out, `${JSON.stringify({ ...results, targets }, null, 2)}\n`);
  process.stdout.write(`\nwritten: ${path.relative(process.cwd(), out) || out}\n`);
  process.stdout.write(`targets met: ${targets.filter((t) => t.pass).length}/${targets.length}\n`);
  clearTimeout(watchdog);
  // Keep-alive sockets and the like must not hold the process open. A missed target is a
  // figure to read, not a failed run: the exit code says only whether the bench ran.
  process.exit(0);
}

main().catch((e: unknown) => {
  if (e instanceof UsageError) {
    process.stderr.write(`bench: ${e.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(2);
});
