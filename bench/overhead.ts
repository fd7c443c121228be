/**
 * Per-call overhead: one page through `DdmClient.getJson` (and through the registry with
 * `limit`) vs a bare `axios.get` of the same URL; no added latency; p50 and p99.
 */
import { emulatorConfig } from "../emulator";
import { clientFor, getRestorableInstances, resolveConfig } from "../provider";
import { restorePath } from "../provider/operations";
import { bareAxios } from "./baselines";
import { msSince, percentile, renderTable, round } from "./stats";
import { BenchGroup, PAGE_SIZE, SOURCE, target, within, withEmulator } from "./common";

export interface OverheadSettings {
  calls: number;
  warmup: number;
}

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

async function benchOverhead(s: OverheadSettings): Promise<OverheadRow[]> {
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

const group: BenchGroup<OverheadSettings, OverheadRow[]> = {
  key: "overhead",
  full: { calls: 500, warmup: 50 },
  quick: { calls: 30, warmup: 5 },
  run: benchOverhead,
  report: (r, s) => {
    return [
      `Per-call overhead: one page, no added latency, ${s.calls} calls each after ${s.warmup} warm-up (ms)`,
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
        r.map((r) => [
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
    ];
  },
};
export default group;
