/**
 * What a restore costs: one restore (the POST, then the wait on its job, as the Restore
 * resource does it: provider/restore/operations.ts and job.ts) against the emulator in this
 * process, whose jobs run for a real `D` ms. For a few job durations and poll intervals `P`:
 *
 * - requests per restore (the POST + the job polls), against the floor 1 + ceil(D / P): a
 *   poll can only see the end after it happened, so at least ceil(D / P) polls are needed;
 * - the wall time from the job's end (its creation + D on the emulator's clock) until the
 *   wait returns, against the goal of at most one poll interval.
 *
 * The plan (read-only calls) is made once per emulator and is not counted.
 */
import { emulatorConfig, startEmulator } from "../emulator";
import { clientFor, resolveConfig } from "../provider";
import { waitForJob } from "../provider/restore/job";
import { startRestore } from "../provider/restore/operations";
import { planRestore } from "../provider/restore/plan";
import { BenchGroup, target } from "./common";
import { median, renderTable, round } from "./stats";

/** The source instance of the emulator's default data (it has data nodes and restorable targets). */
const SOURCE = "1f5c9fd6cd984056ba89c8c87cc03278in09";

export interface RestoreRow {
  jobMs: number;
  pollIntervalMs: number;
  runs: number;
  /** POST + polls, per run. */
  requests: number[];
  /** 1 POST + ceil(jobMs / pollIntervalMs) polls. */
  floor: number;
  /** Wall time from the job's end to the wait's return, median of the runs, ms. */
  pastEndMedianMs: number;
  pastEndMaxMs: number;
}

/** The grid: job durations × poll intervals, ms (`quick`: one small case, a smoke test). */
function grid(quick: boolean): { jobMs: number; pollIntervalMs: number; runs: number }[] {
  if (quick) return [{ jobMs: 300, pollIntervalMs: 100, runs: 1 }];
  const out = [];
  for (const jobMs of [1000, 2500])
    for (const pollIntervalMs of [250, 500, 1000]) out.push({ jobMs, pollIntervalMs, runs: 3 });
  return out;
}

/**
 * Run the restore section: each case's goal goes to `target`, and the figures are returned
 * for the results file (`renderRestore` makes them a table).
 */
export async function benchRestore(
  quick: boolean,
  target: (name: string, targetText: string, measured: string, pass: boolean) => void,
): Promise<RestoreRow[]> {
  const rows: RestoreRow[] = [];
  for (const c of grid(quick)) {
    const em = await startEmulator({ jobDurationMs: c.jobMs, log: () => undefined });
    try {
      const client = clientFor(resolveConfig({}, emulatorConfig(em, "token"), {}));
      const { plan } = await planRestore(client, {
        instanceId: SOURCE,
        criteria: {},
        time: { latest: true, marginSeconds: 300 },
      });
      const requests: number[] = [];
      const pastEnd: number[] = [];
      for (let i = 0; i < c.runs; i++) {
        em.resetStats();
        const { jobId } = await startRestore(client, {
          instanceId: plan.sourceInstanceId,
          targetInstanceId: plan.targetInstanceId,
          restoreTimeEpochMs: plan.restoreTimeEpochMs,
          dataNodeRelations: plan.dataNodeRelations.map((r) => ({
            sourceInstanceId: r.sourceInstanceId,
            targetInstanceId: r.targetInstanceId,
          })),
        });
        // As the Restore resource waits right after its POST: the first poll one interval later.
        await waitForJob(client, jobId, {
          pollIntervalMs: c.pollIntervalMs,
          firstPollAfterMs: c.pollIntervalMs,
          deadlineAt: Date.now() + 60_000,
        });
        const returned = Date.now();
        const job = em.jobs().find((j) => j.id === jobId)!;
        pastEnd.push(returned - (job.createdAt + c.jobMs));
        const s = em.stats();
        requests.push((s.byRoute.restore ?? 0) + (s.byRoute.job ?? 0));
      }
      const floor = 1 + Math.ceil(c.jobMs / c.pollIntervalMs);
      const row: RestoreRow = {
        jobMs: c.jobMs,
        pollIntervalMs: c.pollIntervalMs,
        runs: c.runs,
        requests,
        floor,
        pastEndMedianMs: round(median(pastEnd), 1),
        pastEndMaxMs: round(Math.max(...pastEnd), 1),
      };
      rows.push(row);
      const name = `restore, job ${c.jobMs} ms, poll ${c.pollIntervalMs} ms`;
      target(
        `${name}: requests`,
        `= floor ${floor}`,
        requests.join(", "),
        requests.every((r) => r === floor),
      );
      target(
        `${name}: past the job's end`,
        `<= ${c.pollIntervalMs} ms`,
        `median ${row.pastEndMedianMs} ms, max ${row.pastEndMaxMs} ms`,
        row.pastEndMaxMs <= c.pollIntervalMs,
      );
    } finally {
      await em.close();
    }
  }
  return rows;
}

/** The section's table, for the report. */
export function renderRestore(rows: readonly RestoreRow[]): string {
  return [
    "Restore: requests per restore (POST + polls) and wall time past the job's end",
    renderTable(
      ["job ms", "poll ms", "runs", "requests", "floor", "past end p50 ms", "max ms"],
      rows.map((r) => [
        String(r.jobMs),
        String(r.pollIntervalMs),
        String(r.runs),
        r.requests.join(", "),
        String(r.floor),
        String(r.pastEndMedianMs),
        String(r.pastEndMaxMs),
      ]),
    ),
  ].join("\n");
}

/** The section as a bench group (bench/index.ts runs it by file name). */
const group: BenchGroup<{ quick: boolean }, RestoreRow[]> = {
  key: "restore",
  full: { quick: false },
  quick: { quick: true },
  run: (s) => benchRestore(s.quick, target),
  report: (rows) => renderRestore(rows).split("\n"),
};
export default group;
