/**
 * Waiting on a DDM job: poll `GET /v3/{project_id}/jobs/{job_id}` every `pollIntervalMs` until
 * it is Completed or Failed, the wait's deadline passes, or the caller cancels. Every poll is
 * reported (the plugin shows it as a status line). A poll that fails after the client's own
 * retries is tolerated a few times in a row, so a blip does not end an hour-long wait.
 */
import { HwddmError, ApiError, NetworkError } from "../errors";
import { realSleep } from "../retry";
import type { PageSource } from "../operations";
import { getJob } from "./operations";
import type { Job } from "./wire";

/** Why a wait ended without a Completed job. */
export type JobWaitEnd = "failed" | "timeout" | "cancelled" | "vanished" | "unreachable";

/** A job that failed, or a wait that ended before the job did. Carries the job id and the last state seen. */
export class JobError extends HwddmError {
  readonly jobId: string;
  readonly reason: JobWaitEnd;
  /** The job as last read, when it was read at all. */
  readonly job?: Job;

  constructor(init: { jobId: string; reason: JobWaitEnd; message: string; job?: Job; cause?: unknown }) {
    super("job", init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = "JobError";
    this.jobId = init.jobId;
    this.reason = init.reason;
    if (init.job) this.job = init.job;
  }

  static isInstance(value: unknown): value is JobError {
    return HwddmError.isInstance(value) && value.kind === "job";
  }
}

export interface JobWaitOptions {
  /** Between polls, ms. */
  pollIntervalMs: number;
  /**
   * Before the first poll, ms; default 0. A job just created cannot have ended yet, so a wait
   * started right after the POST gives it one interval (the first poll would be wasted).
   */
  firstPollAfterMs?: number;
  /** When the wait gives up, on the `now` clock (epoch ms); undefined = no limit. */
  deadlineAt?: number;
  /** How the deadline is described in its error (e.g. "the create timeout of 60m"). */
  deadlineName?: string;
  signal?: AbortSignal;
  /** Told about each job state read. */
  onPoll?: (job: Job) => void;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Polls in a row that may fail (after the client's retries) before the wait gives up; default 5. */
  maxPollFailures?: number;
}

/** Failed polls in a row tolerated by default. */
const DEFAULT_MAX_POLL_FAILURES = 5;

/** Wait until the job completes; throws JobError for every other end. */
export async function waitForJob(source: PageSource, jobId: string, opts: JobWaitOptions): Promise<Job> {
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? realSleep;
  const maxFailures = opts.maxPollFailures ?? DEFAULT_MAX_POLL_FAILURES;
  let last: Job | undefined;
  let failures = 0;
  const cancelled = (): JobError =>
    new JobError({
      jobId,
      reason: "cancelled",
      job: last,
      message: `stopped waiting for restore job ${jobId} (cancelled)${last ? `; last seen ${describeJob(last)}` : ""}`,
    });
  let pause = opts.firstPollAfterMs ?? 0;
  for (;;) {
    if (pause > 0) {
      const left = opts.deadlineAt === undefined ? pause : opts.deadlineAt - now();
      try {
        await sleep(Math.max(0, Math.min(pause, left)), opts.signal);
      } catch (e) {
        if (opts.signal?.aborted) throw cancelled();
        throw e;
      }
    }
    if (opts.signal?.aborted) throw cancelled();
    try {
      last = (await getJob(source, jobId, opts.signal)).job;
      failures = 0;
      opts.onPoll?.(last);
    } catch (e) {
      if (opts.signal?.aborted) throw cancelled();
      if (ApiError.isInstance(e) && isJobUnknown(e)) {
        throw new JobError({
          jobId,
          reason: "vanished",
          job: last,
          cause: e,
          message: `DDM no longer knows restore job ${jobId} (HTTP ${e.status}${e.errorCode ? ` ${e.errorCode}` : ""}); check the target instance in the DDM console`,
        });
      }
      if (
        ++failures >= maxFailures ||
        !(NetworkError.isInstance(e) || (ApiError.isInstance(e) && e.retryable))
      ) {
        throw new JobError({
          jobId,
          reason: "unreachable",
          job: last,
          cause: e,
          message: `could not read restore job ${jobId}: ${(e as Error).message}`,
        });
      }
    }
    if (last && isCompleted(last)) return last;
    if (last && isFailed(last)) {
      throw new JobError({
        jobId,
        reason: "failed",
        job: last,
        message: `restore job ${jobId} failed${last.failReason ? `: ${last.failReason}` : ""} (${describeJob(last)})`,
      });
    }
    const left = opts.deadlineAt === undefined ? Infinity : opts.deadlineAt - now();
    if (left <= 0) {
      throw new JobError({
        jobId,
        reason: "timeout",
        job: last,
        message: `restore job ${jobId} did not finish within ${opts.deadlineName ?? "the wait's deadline"}${last ? `; last seen ${describeJob(last)}` : ""}`,
      });
    }
    pause = opts.pollIntervalMs;
  }
}

export function isCompleted(job: Job): boolean {
  return job.status.toLowerCase() === "completed";
}

export function isFailed(job: Job): boolean {
  return job.status.toLowerCase() === "failed";
}

/** `Running, 60%` and the like. */
export function describeJob(job: Job): string {
  return [job.status, job.process].filter(Boolean).join(", ");
}

/** DDM's answers for a job it does not know: 404, or 400 with "task not found" (DBS.300400). */
function isJobUnknown(e: ApiError): boolean {
  return e.status === 404 || (e.status === 400 && e.errorCode === "DBS.300400");
}
