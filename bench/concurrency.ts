/**
 * 50 concurrent invokes through one plugin process over gRPC: throughput, errors and the
 * plugin's CPU per record, after one uncounted warm-up round (its figure is reported beside
 * the others). The driver takes each answer as bytes and decodes and checks it
 * after the round, so that while the plugin is measured its driver costs what the engine's
 * Go runtime would (gRPC I/O only), not JavaScript protobuf decoding on the same cores.
 */
import { emulatorEnv } from "../emulator";
import { TOKENS } from "../provider";
import { median, msSince, renderTable, round } from "./stats";
import {
  BenchGroup,
  LATENCY_MS,
  PAGE_SIZE,
  SOURCE,
  pluginTesting,
  processCpuMs,
  target,
  within,
  withEmulator,
} from "./common";

export interface ConcurrencySettings {
  invokes: number;
  rounds: number;
  records: number[];
}

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
async function benchConcurrency(s: ConcurrencySettings, records: number): Promise<Concurrency> {
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

const group: BenchGroup<ConcurrencySettings, Concurrency[]> = {
  key: "concurrency",
  full: { invokes: 50, rounds: 5, records: [10, 1_000] },
  quick: { invokes: 10, rounds: 1, records: [10] },
  run: async (s) => {
    const rows: Concurrency[] = [];
    for (const records of s.records) rows.push(await benchConcurrency(s, records));
    return rows;
  },
  report: (r, s) => {
    const rounds = s.rounds;
    return [
      `${s.invokes} concurrent invokes through one plugin process over gRPC (half each function; ` +
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
        r.map((c) => [
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
    ];
  },
};
export default group;
