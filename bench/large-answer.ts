/**
 * One large answer: one invoke of 100 000 records (the core's record cap) through a fresh
 * plugin process, driven over gRPC with the engine's 400 MiB message limit: the plugin's
 * peak RSS (the kernel's high-water mark), its CPU time, and that it is still alive after.
 */
import * as fs from "node:fs";
import { emulatorEnv } from "../emulator";
import { TOKENS } from "../provider";
import { msSince, renderTable, round } from "./stats";
import { BenchGroup, SOURCE, pluginTesting, processCpuMs, target, within, withEmulator } from "./common";

export interface LargeAnswerSettings {
  records: number;
}

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
async function benchLargeAnswer(s: LargeAnswerSettings): Promise<LargeAnswer> {
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

const group: BenchGroup<LargeAnswerSettings, LargeAnswer> = {
  key: "largeAnswer",
  full: { records: 100_000 },
  quick: { records: 2_000 },
  run: benchLargeAnswer,
  report: (r) => {
    return [
      `One invoke of ${r.records} records through a fresh plugin process (no added latency; ` +
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
            String(r.answered) + (r.error !== undefined ? ` (${r.error.slice(0, 60)})` : ""),
            String(r.invokeMs),
            r.pluginCpuMs === undefined ? "n/a" : String(r.pluginCpuMs),
            r.rssBeforeMiB === undefined ? "n/a" : String(r.rssBeforeMiB),
            r.rssPeakMiB === undefined ? "n/a" : String(r.rssPeakMiB),
            r.aliveAfter ? "yes" : "no",
          ],
        ],
      ),
    ];
  },
};
export default group;
