/**
 * `npm run bench` takes minutes, so nothing else runs it: this spec runs the same program in
 * quick mode (`--quick`: every section, small sizes, few repeats) so that a section that breaks
 * or disappears fails the suite. Its figures are a smoke test; only what is exact even at these
 * sizes (requests per walk, errors) is checked for value.
 */
import { expect } from "chai";
import { ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const BENCH = path.join(ROOT, "dist", "bench", "index.js");
const DEFAULT_RESULTS = path.join(ROOT, "bench", "results.json");
/** The API's largest page, which our walker always asks for. */
const MAX_PAGE = 128;
const HARD_TIMEOUT_MS = 85_000;

interface Walk {
  runs: number;
  medianMs: number;
  requests: number | number[];
  records: number;
}

interface BenchJson {
  quick?: boolean;
  machine?: {
    cpuModel?: unknown;
    cpuCount?: unknown;
    totalMemoryGiB?: unknown;
    platform?: unknown;
    node?: unknown;
  };
  paging?: { n: number; pages: number; ours: Walk; sequential128: Walk; naive10: Walk }[];
  overhead?: {
    limit: number;
    calls: number;
    bareAxios: { p50Ms: number };
    client: { p50Ms: number };
    registry: { p50Ms: number };
  }[];
  coldStart?: {
    runs: number;
    bareNodeMs: number;
    pluginPortMs: number;
    pluginFirstInvokeMs: number;
    archive?: { pluginPortMs: number; pluginFirstInvokeMs: number };
    noCodeCache?: { pluginPortMs: number; pluginFirstInvokeMs: number };
    requireMs: Record<string, number>;
  };
  memory?: { records: number; rssPeakMiB: number };
  concurrency?: { invokes: number; recordsPerInvoke: number; errors: number }[];
  largeAnswer?: {
    records: number;
    answered: number;
    rssPeakMiB?: number;
    aliveAfter: boolean;
    error?: string;
  };
  engine?: { demoMs: number; floorMs: number; yaml: { floorMs: number; invokesMs: number } };
  targets?: { name: string; target: string; measured: string; pass: unknown }[];
  restore?: {
    jobMs: number;
    pollIntervalMs: number;
    requests: number[];
    floor: number;
    pastEndMaxMs: number;
  }[];
}

function expectPositive(value: unknown, what: string): void {
  expect(value, what).to.be.a("number");
  expect(Number.isFinite(value) && (value as number) > 0, `${what} = ${String(value)}`).to.equal(true);
}

describe("bench (npm run bench) in quick mode", function () {
  this.timeout(HARD_TIMEOUT_MS + 10_000);
  let tmp: string;
  let child: ChildProcess | undefined;
  let run: { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; ms: number };
  let json: BenchJson;
  let defaultResultsBefore: number | undefined;

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "hwddm-bench-"));
    const out = path.join(tmp, "results.json");
    defaultResultsBefore = fs.existsSync(DEFAULT_RESULTS) ? fs.statSync(DEFAULT_RESULTS).mtimeMs : undefined;
    const started = Date.now();
    run = await new Promise((resolve, reject) => {
      // Its own process group, so that the emulators and plugins it starts go with it on a timeout.
      const c = spawn(process.execPath, [BENCH, "--quick", "--out", out], {
        cwd: ROOT,
        env: { PATH: [path.dirname(process.execPath), process.env.PATH ?? ""].join(path.delimiter) },
        stdio: ["ignore", "pipe", "pipe"],
        detached: true,
      });
      child = c;
      let stdout = "";
      let stderr = "";
      c.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
      c.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
      const timer = setTimeout(() => {
        killGroup(c);
        reject(new Error(`the quick bench took longer than ${HARD_TIMEOUT_MS} ms\n${stderr}`));
      }, HARD_TIMEOUT_MS);
      c.once("error", (e) => {
        clearTimeout(timer);
        reject(e);
      });
      c.once("close", (code, signal) => {
        clearTimeout(timer);
        resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
      });
    });
    expect(fs.existsSync(out), `${out} written\n${run.stderr}`).to.equal(true);
    json = JSON.parse(fs.readFileSync(out, "utf8")) as BenchJson;
  });

  after(() => {
    if (child && child.exitCode === null && child.signalCode === null) killGroup(child);
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("completes with exit status 0 well within its time limit", () => {
    expect(run.signal, run.stderr).to.equal(null);
    expect(run.code, run.stderr).to.equal(0);
    expect(run.ms).to.be.lessThan(HARD_TIMEOUT_MS);
  });

  it("prints the quick-mode header, the five numbered sections and the Targets table", () => {
    const lines = run.stdout.split("\n");
    expect(lines[0]).to.equal("QUICK MODE: figures are a smoke test, not benchmarks");
    expect(run.stdout).to.match(/^pulumi-hwddm benchmark, /m);
    expect(run.stdout).to.match(/^1\. Paging: /m);
    expect(run.stdout).to.match(/^2\. Per-call overhead: /m);
    expect(run.stdout).to.match(/^3\. Cold start /m);
    expect(run.stdout).to.match(/^4\. Memory: /m);
    expect(run.stdout).to.match(/^5\. \d+ concurrent invokes /m);
    expect(run.stdout).to.match(/^7\. One invoke of \d+ records /m);
    const at = lines.indexOf("Targets");
    expect(at, "a Targets line").to.be.greaterThan(0);
    expect(lines[at + 1]).to.match(/^\s+check\s+target\s+measured$/);
    expect(lines[at + 3]).to.match(/^(PASS|FAIL) {2}/);
    expect(run.stdout).to.match(/^targets met: \d+\/\d+$/m);
  });

  it("writes its JSON to --out, marked quick, with the machine it ran on, and leaves bench/results.json alone", () => {
    expect(json.quick).to.equal(true);
    expect(json.machine?.cpuModel).to.be.a("string");
    expectPositive(json.machine?.cpuCount, "machine.cpuCount");
    expectPositive(json.machine?.totalMemoryGiB, "machine.totalMemoryGiB");
    expect(json.machine?.platform).to.be.a("string");
    expect(json.machine?.node).to.equal(process.version);
    const after = fs.existsSync(DEFAULT_RESULTS) ? fs.statSync(DEFAULT_RESULTS).mtimeMs : undefined;
    expect(after, "bench/results.json untouched").to.equal(defaultResultsBefore);
  });

  it("pages with exactly ceil(N/128) requests per walk at every N, one N spanning several pages", () => {
    const paging = json.paging ?? [];
    expect(paging.length).to.be.greaterThan(1);
    expect(paging.some((r) => r.n > MAX_PAGE)).to.equal(true);
    for (const r of paging) {
      expect(r.pages, `pages at N=${r.n}`).to.equal(Math.ceil(r.n / MAX_PAGE));
      expect(r.ours.requests, `our requests per run at N=${r.n}`).to.equal(Math.ceil(r.n / MAX_PAGE));
      expect(r.ours.records, `records at N=${r.n}`).to.equal(r.n);
      expect(r.sequential128.requests, `sequential128 requests at N=${r.n}`).to.equal(
        Math.ceil(r.n / MAX_PAGE),
      );
      expectPositive(r.ours.medianMs, `paging N=${r.n} ours.medianMs`);
      expectPositive(r.naive10.medianMs, `paging N=${r.n} naive10.medianMs`);
    }
  });

  it("measures per-call overhead as positive p50 figures for bare axios, the client and the registry", () => {
    const overhead = json.overhead ?? [];
    expect(overhead.map((r) => r.limit)).to.deep.equal([10, MAX_PAGE]);
    for (const r of overhead) {
      expectPositive(r.calls, "overhead calls");
      expectPositive(r.bareAxios.p50Ms, `overhead ${r.limit} bareAxios.p50Ms`);
      expectPositive(r.client.p50Ms, `overhead ${r.limit} client.p50Ms`);
      expectPositive(r.registry.p50Ms, `overhead ${r.limit} registry.p50Ms`);
    }
  });

  it("reports cold start, require cost and peak memory figures", () => {
    const c = json.coldStart;
    expect(c, "coldStart").to.be.an("object");
    expectPositive(c!.runs, "coldStart.runs");
    expectPositive(c!.bareNodeMs, "coldStart.bareNodeMs");
    expectPositive(c!.pluginPortMs, "coldStart.pluginPortMs");
    expectPositive(c!.pluginFirstInvokeMs, "coldStart.pluginFirstInvokeMs");
    expect(c!.pluginFirstInvokeMs).to.be.at.least(c!.pluginPortMs);
    expectPositive(c!.archive?.pluginPortMs, "coldStart.archive.pluginPortMs");
    expect(c!.archive!.pluginFirstInvokeMs).to.be.at.least(c!.archive!.pluginPortMs);
    expectPositive(c!.noCodeCache?.pluginPortMs, "coldStart.noCodeCache.pluginPortMs");
    expect(c!.noCodeCache!.pluginFirstInvokeMs).to.be.at.least(c!.noCodeCache!.pluginPortMs);
    expect(Object.keys(c!.requireMs)).to.have.members(["hwddm core", "pulumi-hwddm", "@pulumi/pulumi"]);
    for (const [mod, ms] of Object.entries(c!.requireMs)) expectPositive(ms, `require(${mod})`);
    expectPositive(json.memory?.records, "memory.records");
    expectPositive(json.memory?.rssPeakMiB, "memory.rssPeakMiB");
  });

  it("runs concurrent invokes through one plugin with zero errors", () => {
    const concurrency = json.concurrency ?? [];
    expect(concurrency.length).to.be.greaterThan(0);
    for (const r of concurrency) {
      expectPositive(r.invokes, "concurrency.invokes");
      expect(r.errors, `errors with ${r.recordsPerInvoke} records per invoke`).to.equal(0);
    }
  });

  it("answers one large invoke in full through a plugin that stays alive, and reports its peak RSS", () => {
    const l = json.largeAnswer;
    expect(l, "largeAnswer").to.be.an("object");
    expect(l!.error, "no error").to.equal(undefined);
    expect(l!.answered).to.equal(l!.records);
    expect(l!.aliveAfter).to.equal(true);
    if (process.platform === "linux") expectPositive(l!.rssPeakMiB, "largeAnswer.rssPeakMiB");
  });

  it("evaluates the targets and lists each in the JSON", () => {
    const targets = json.targets ?? [];
    for (const r of json.paging ?? []) {
      expect(targets.map((t) => t.name)).to.include(`paging N=${r.n}: requests`);
    }
    expect(targets.some((t) => t.name.startsWith("overhead, "))).to.equal(true);
    expect(targets.some((t) => t.name.startsWith("plugin (bin/) cold start"))).to.equal(true);
    expect(targets.some((t) => / concurrent invokes of /.test(t.name))).to.equal(true);
    expect(targets.map((t) => t.name)).to.include.members([
      "plugin (bin/) cold start: first Invoke answered",
      "plugin archive (bundle) cold start: first Invoke answered",
      'require("pulumi-hwddm") vs require("@pulumi/pulumi")',
      `one invoke of ${json.largeAnswer?.records} records: plugin peak RSS`,
    ]);
    for (const t of targets) expect(t.pass, t.name).to.be.a("boolean");
  });

  it("with a Pulumi CLI, previews the TypeScript demo and the YAML program with the installed plugin beside their floors", function () {
    if (!json.engine) this.skip(); // no CLI: the bench says so in its report
    for (const [what, ms] of [
      ["engine.demoMs", json.engine.demoMs],
      ["engine.floorMs", json.engine.floorMs],
      ["engine.yaml.floorMs", json.engine.yaml?.floorMs],
      ["engine.yaml.invokesMs", json.engine.yaml?.invokesMs],
    ] as const)
      expectPositive(ms, what);
    expect(run.stdout).to.contain("YAML, 2 invokes, plugin installed from its archive");
  });

  it("measures a restore: its requests (POST + polls) at the floor 1 + ceil(job / interval), and prints the table", () => {
    expect(json.restore ?? [], "restore rows").to.have.length.greaterThan(0);
    for (const r of json.restore!) {
      expect(r.floor).to.equal(1 + Math.ceil(r.jobMs / r.pollIntervalMs));
      for (const n of r.requests)
        expect(n, `job ${r.jobMs} ms, poll ${r.pollIntervalMs} ms`).to.equal(r.floor);
      expect(r.pastEndMaxMs).to.be.a("number");
    }
    expect(run.stdout).to.match(/^\d+\. Restore: requests per restore/m);
  });
});

/** SIGKILL the child's whole process group (it was spawned detached, as its group's leader). */
function killGroup(c: ChildProcess): void {
  try {
    if (c.pid !== undefined) process.kill(-c.pid, "SIGKILL");
  } catch {
    c.kill("SIGKILL");
  }
}
