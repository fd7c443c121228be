/**
 * Peak memory (RSS) of a process that fetches 10 000 records through the registry.
 */
import * as path from "node:path";
import { emulatorEnv } from "../emulator";
import { median, renderTable, round } from "./stats";
import { BenchGroup, SOURCE, childEnv, runChild, withEmulator } from "./common";

export interface MemorySettings {
  records: number;
  runs: number;
}

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

async function benchMemory(s: MemorySettings): Promise<Memory> {
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

const group: BenchGroup<MemorySettings, Memory> = {
  key: "memory",
  full: { records: 10_000, runs: 3 },
  quick: { records: 1_000, runs: 1 },
  run: benchMemory,
  report: (r) => {
    return [
      `Memory: one process fetching ${r.records} records through the registry (median of ${r.runs})`,
      renderTable(
        ["RSS at start MiB", "after loading core", "peak", "peak - loaded", "heap used after", "fetch ms"],
        [
          [
            String(r.rssStartMiB),
            String(r.rssLoadedMiB),
            String(r.rssPeakMiB),
            String(r.peakOverLoadedMiB),
            String(r.heapUsedAfterMiB),
            String(r.fetchMs),
          ],
        ],
      ),
    ];
  },
};
export default group;
