/** The emulator's counters: every request, by route, status, authentication and fault, and the recent ones. */
import { ROUTES } from "./faults";
import { EmulatorStats, RequestRecord, RequestRoute } from "./types";

export function emptyStats(): EmulatorStats {
  return {
    requests: 0,
    byRoute: Object.fromEntries([...ROUTES, "other"].map((r) => [r, 0])) as Record<RequestRoute, number>,
    byStatus: {},
    byAuth: { token: 0, "iam-token": 0, aksk: 0 },
    faults: {},
    authFailures: 0,
    tokensIssued: 0,
    restoresAccepted: 0,
    lastRequests: [],
  };
}

/**
 * Count `record` as arriving now (keeping the last `lastLimit`); the function returned records
 * its end once, with the status sent (0: none) and the time taken, then calls `onEnd`.
 */
export function countRequest(
  stats: EmulatorStats,
  record: RequestRecord,
  lastLimit: number,
  onEnd: (record: RequestRecord) => void,
): (status: number) => void {
  const started = process.hrtime.bigint();
  stats.requests++;
  stats.byRoute[record.route]++;
  stats.lastRequests.push(record);
  if (stats.lastRequests.length > lastLimit)
    stats.lastRequests.splice(0, stats.lastRequests.length - lastLimit);
  let done = false;
  return (status) => {
    if (done) return;
    done = true;
    record.status = status;
    record.ms = Math.round(Number(process.hrtime.bigint() - started) / 1e5) / 10;
    stats.byStatus[String(status)] = (stats.byStatus[String(status)] ?? 0) + 1;
    onEnd(record);
  };
}

export function countFaults(stats: EmulatorStats, labels: readonly string[]): void {
  for (const label of labels) stats.faults[label] = (stats.faults[label] ?? 0) + 1;
}
