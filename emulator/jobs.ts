/**
 * Restore jobs: the emulator's job table and the clock they progress on.
 *
 * A job runs from its `createdAt` for `durationMs` of the emulator's clock
 * (`EmulatorOptions.now`): its process is the elapsed fraction, and it completes when the
 * elapsed time reaches the duration. With `polls` set instead, a job completes on its Nth
 * `GET /v3/{project_id}/jobs/{job_id}` (process rising evenly before it), so a test that
 * cannot move the clock (a plugin in another process polling) stays deterministic.
 * Faults decide a job's outcome when it is created (`job-fail`: it ends `Failed` where it
 * would have completed; `job-hang`: it never completes), and `completeJob` / `failJob`
 * end a job at once.
 */

export type JobStatus = "Running" | "Completed" | "Failed";

/** One restore job, as `Emulator.jobs()` reports it (a copy). */
export interface JobRecord {
  /** 32 hex digits, e.g. `e4a1b0c2000000000000000000000001`. */
  id: string;
  /** `RestoreInstance`. */
  name: string;
  projectId: string;
  /** The source DDM instance (the path's `instance_id`). */
  sourceInstanceId: string;
  /** The target DDM instance (`job.instance`). */
  targetInstanceId: string;
  targetInstanceName: string;
  /** `source.restore_time`, epoch ms. */
  restoreTime: number;
  /** `data_node_relations` as accepted. */
  dataNodeRelations: { source_instance_id: string; target_instance_id: string }[];
  /** Emulator clock when the POST created it, epoch ms. */
  createdAt: number;
  /** Emulator clock when it ended (completed or failed); absent while running. */
  endedAt?: number;
  status: JobStatus;
  /** Percent done, 0..100 (100 once completed). */
  percent: number;
  /** Why it failed (`job-fail`, `failJob`); only when `Failed`. Not on the wire (the API has no such field). */
  failReason?: string;
  /** How many times `GET .../jobs/{id}` answered it. */
  polls: number;
}

/** The job's name in `job.name` (the reference's task-status appendix). */
export const RESTORE_JOB_NAME = "RestoreInstance";
/** Default `EmulatorOptions.jobDurationMs`. */
export const DEFAULT_JOB_DURATION_MS = 3000;
/** The reason `failJob` gives when called without one. */
export const DEFAULT_FAIL_REASON = "The restore job failed.";

interface JobState extends JobRecord {
  /** Decided at creation by a fault. */
  plan: { kind: "normal" } | { kind: "fail"; reason: string } | { kind: "hang"; percent: number };
  /** Set by completeJob / failJob. */
  forced?: boolean;
}

export interface JobClock {
  now: () => number;
  durationMs: number;
  /** Complete on the Nth GET of the job instead of by the clock. */
  polls?: number;
}

/** The job table of one emulator (kept across `setData` and `resetStats`). */
export class JobTable {
  private readonly jobs = new Map<string, JobState>();
  private counter = 0;

  constructor(private readonly clock: JobClock) {}

  /** Create a running job; `plan` comes from the faults of the POST. */
  create(
    fields: Omit<
      JobRecord,
      "id" | "name" | "createdAt" | "status" | "percent" | "polls" | "endedAt" | "failReason"
    >,
    plan: JobState["plan"] = { kind: "normal" },
  ): JobRecord {
    this.counter++;
    const id = `e4a1b0c2${this.counter.toString(16).padStart(24, "0")}`;
    const job: JobState = {
      ...fields,
      dataNodeRelations: fields.dataNodeRelations.map((r) => ({ ...r })),
      id,
      name: RESTORE_JOB_NAME,
      createdAt: this.clock.now(),
      status: "Running",
      percent: 0,
      polls: 0,
      plan,
    };
    this.jobs.set(id, job);
    return copy(job);
  }

  /** The job as of now, counting one poll (the GET route); undefined when unknown. */
  poll(id: string, projectId: string): JobRecord | undefined {
    const job = this.jobs.get(id);
    if (!job || job.projectId !== projectId) return undefined;
    job.polls++;
    this.advance(job);
    return copy(job);
  }

  /** Every job as of now (no poll counted), oldest first. */
  list(): JobRecord[] {
    return [...this.jobs.values()].map((j) => {
      this.advance(j);
      return copy(j);
    });
  }

  /** Whether a job restoring into `targetInstanceId` (in the project) is still running. */
  busy(projectId: string, targetInstanceId: string): boolean {
    for (const j of this.jobs.values()) {
      if (j.projectId !== projectId || j.targetInstanceId !== targetInstanceId) continue;
      this.advance(j);
      if (j.status === "Running") return true;
    }
    return false;
  }

  /** End a job as Completed now. Throws when the id is unknown. */
  complete(id: string): void {
    const job = this.must(id);
    this.advance(job);
    if (job.status !== "Running") return;
    Object.assign(job, { status: "Completed", percent: 100, endedAt: this.clock.now(), forced: true });
  }

  /** End a job as Failed now, with a reason. Throws when the id is unknown. */
  fail(id: string, reason = DEFAULT_FAIL_REASON): void {
    const job = this.must(id);
    this.advance(job);
    if (job.status !== "Running") return;
    Object.assign(job, { status: "Failed", failReason: reason, endedAt: this.clock.now(), forced: true });
  }

  private must(id: string): JobState {
    const job = this.jobs.get(id);
    if (!job) throw new Error(`no emulator job ${JSON.stringify(id)}`);
    return job;
  }

  /** Bring a running job up to date with the clock (or its polls). */
  private advance(job: JobState): void {
    if (job.status !== "Running" || job.forced) return;
    if (job.plan.kind === "hang") {
      job.percent = job.plan.percent;
      return;
    }
    const { polls, durationMs } = this.clock;
    let done: boolean;
    let endedAt: number;
    if (polls !== undefined) {
      done = job.polls >= polls;
      job.percent = done ? 100 : Math.floor((job.polls / polls) * 100);
      endedAt = this.clock.now();
    } else {
      const elapsed = Math.max(0, this.clock.now() - job.createdAt);
      done = elapsed >= durationMs;
      job.percent = done ? 100 : Math.floor((elapsed / durationMs) * 100);
      endedAt = job.createdAt + durationMs;
    }
    if (!done) return;
    job.endedAt = endedAt;
    if (job.plan.kind === "fail") {
      job.status = "Failed";
      job.failReason = job.plan.reason;
      job.percent = Math.min(job.percent, 99);
    } else job.status = "Completed";
  }
}

function copy(j: JobState): JobRecord {
  const out: JobRecord = {
    id: j.id,
    name: j.name,
    projectId: j.projectId,
    sourceInstanceId: j.sourceInstanceId,
    targetInstanceId: j.targetInstanceId,
    targetInstanceName: j.targetInstanceName,
    restoreTime: j.restoreTime,
    dataNodeRelations: j.dataNodeRelations.map((r) => ({ ...r })),
    createdAt: j.createdAt,
    status: j.status,
    percent: j.percent,
    polls: j.polls,
  };
  if (j.endedAt !== undefined) out.endedAt = j.endedAt;
  if (j.failReason !== undefined) out.failReason = j.failReason;
  return out;
}
