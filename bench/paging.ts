/**
 * Paging: N = 10, 1 000, 10 000 restorable instances, 20 ms emulator latency per request:
 * our walker (the function registry) vs a naive sequential walker at the API's default
 * page size (10) vs a sequential walker at 128 (baselines in `baselines.ts`).
 */
import type { AxiosInstance } from "axios";
import { emulatorConfig } from "../emulator";
import { getRestorableInstances } from "../provider";
import { restorePath } from "../provider/operations";
import { bareAxios, sequentialWalk } from "./baselines";
import { median, msSince, renderTable, round } from "./stats";
import {
  BenchGroup,
  CONCURRENCY,
  LATENCY_MS,
  PAGE_SIZE,
  SOURCE,
  target,
  within,
  withEmulator,
} from "./common";

export interface PagingSettings {
  sizes: number[];
  /** Bare single requests timed for the per-request floor. */
  singles: number;
  oursRuns: number;
  sequentialRuns: number;
  naiveRuns: number;
  /** Fewer naive runs from this N on (1 000 requests of 20 ms each at N = 10 000). */
  naiveRunsLarge?: { fromN: number; runs: number };
}

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

async function benchPaging(s: PagingSettings): Promise<PagingRow[]> {
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

function naiveRunsFor(s: PagingSettings, n: number): number {
  return s.naiveRunsLarge !== undefined && n >= s.naiveRunsLarge.fromN ? s.naiveRunsLarge.runs : s.naiveRuns;
}

const group: BenchGroup<PagingSettings, PagingRow[]> = {
  key: "paging",
  full: {
    sizes: [10, 1_000, 10_000],
    singles: 7,
    oursRuns: 11,
    sequentialRuns: 5,
    naiveRuns: 5,
    naiveRunsLarge: { fromN: 10_000, runs: 3 },
  },
  quick: { sizes: [10, 300], singles: 3, oursRuns: 3, sequentialRuns: 2, naiveRuns: 2 },
  run: benchPaging,
  report: (r, s) => {
    const p = s;
    const large = p.naiveRunsLarge;
    const naiveRuns = `${p.naiveRuns}${large === undefined ? "" : ` / ${large.runs} at N=${large.fromN}`}`;
    const ms = (x: number) => `${x}`;
    const req = (x: number | number[]) => (Array.isArray(x) ? x.join("/") : String(x));
    return [
      `Paging: restorable instances, ${LATENCY_MS} ms emulator latency per request; ours = registry ` +
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
        r.map((r) => [
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
    ];
  },
};
export default group;
