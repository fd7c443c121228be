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
 * Each section is a group in a file of its own (paging.ts, overhead.ts, ...), run in the order of
 * GROUPS below; a new group is one more entry there.
 *
 * Bounded: every loop has a fixed count, every wait a timeout, and a watchdog stops the whole
 * run after 9 minutes.
 *
 * `--quick` runs every section with small sizes and few repeats (each group's `quick` sizes; about 20 s): a
 * smoke test that the bench still runs (test/bench/bench.spec.ts), whose figures are not
 * benchmarks. `--out <file>` writes the JSON there instead of `bench/results.json`.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { BenchGroup, ROOT, targets } from "./common";
import { renderTable, round } from "./stats";

/** The sections, in the order they run and are numbered: one file name per group. */
const GROUPS: readonly string[] = [
  "paging",
  "overhead",
  "cold-start",
  "memory",
  "concurrency",
  "engine",
  "large-answer",
  "restore",
];

function loadGroup(file: string): BenchGroup<unknown, unknown> {
  return (require(`./${file}`) as { default: BenchGroup<unknown, unknown> }).default;
}

const RESULTS_FILE = path.join(ROOT, "bench", "results.json");
const WATCHDOG_MS = { full: 9 * 60_000, quick: 2 * 60_000 };

class UsageError extends Error {}

const USAGE = "usage: node dist/bench/index.js [--quick] [--out <file>]";

/** `--quick` and `--out <file>`; anything else is refused. */
function parseArgs(argv: string[]): { quick: boolean; out: string } {
  let quick = false;
  let out = RESULTS_FILE;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--quick") quick = true;
    else if (argv[i] === "--out" && argv[i + 1] !== undefined) out = path.resolve(argv[++i]);
    else throw new UsageError(`unknown or incomplete argument: ${argv[i]}\n${USAGE}`);
  }
  return { quick, out };
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

async function main(): Promise<void> {
  const { quick, out } = parseArgs(process.argv.slice(2));
  const watchdogMs = quick ? WATCHDOG_MS.quick : WATCHDOG_MS.full;
  const watchdog = setTimeout(() => {
    process.stderr.write(`bench: stopped by the watchdog after ${watchdogMs / 60_000} minutes\n`);
    process.exit(1);
  }, watchdogMs);
  watchdog.unref();
  const started = Date.now();
  const startedAt = new Date(started).toISOString();
  const groups = GROUPS.map(loadGroup);
  const figures: Record<string, unknown> = {};
  const sections: string[][] = [];
  for (const [i, group] of groups.entries()) {
    const s = quick ? group.quick : group.full;
    const r = await group.run(s);
    if (r !== undefined) figures[group.key] = r;
    const [title, ...rest] = group.report(r, s);
    sections.push([`${i + 1}. ${title}`, ...rest]);
  }
  const results = {
    ...(quick ? { quick: true } : {}),
    machine: machine(),
    startedAt,
    durationS: round((Date.now() - started) / 1000, 1),
    ...figures,
  };
  const m = results.machine;
  const lines = [
    ...(quick ? ["QUICK MODE: figures are a smoke test, not benchmarks"] : []),
    `pulumi-hwddm benchmark, ${startedAt} (${results.durationS} s)`,
    `machine: ${m.cpuModel} x ${m.cpuCount}, ${m.totalMemoryGiB} GiB, ${m.platform}, node ${m.node}`,
    ...sections.flatMap((section) => ["", ...section]),
    "",
    "Targets",
    renderTable(
      ["", "check", "target", "measured"],
      targets.map((t) => [t.pass ? "PASS" : "FAIL", t.name, t.target, t.measured]),
    ),
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
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
