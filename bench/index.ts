/**
 * `npm run bench` (`node dist/bench/index.js`): how fast and how lean pulumi-hwddm is, measured
 * against the emulator on loopback, printed as a table and written to `bench/results.json`.
 * Every figure is a median (or a percentile) of runs made in this same process run, and
 * every ratio compares figures from this run only. Nothing leaves 127.0.0.1.
 *
 * Each section is a group in a file of its own (paging.ts, overhead.ts, ...; its header says what
 * it measures), run and numbered in the order of GROUPS below; a new group is one more entry there.
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
