/**
 * The wait on a restore job on a fake clock (no real time passes): how many polls a job of a
 * given duration costs, the first poll one interval after a fresh POST, the deadline and a
 * cancel honoured during that first pause.
 */
import { expect } from "chai";
import { JobError, waitForJob } from "../../provider/restore/job";
import type { PageSource } from "../../provider/operations";

const JOB = "e4a1b0c2000000000000000000000001";

/** A job that completes `durationMs` after t = 0 on the fake clock; every poll is recorded. */
function fakeJob(durationMs: number) {
  let t = 0;
  const polls: number[] = [];
  const source: PageSource = {
    projectId: async () => "0123456789abcdef0123456789abcdef",
    getJson: async (path) => {
      polls.push(t);
      const done = t >= durationMs;
      return {
        data: { job: { id: JOB, status: done ? "Completed" : "Running", process: done ? "" : "50%" } },
        status: 200,
        requestId: "r",
        method: "GET",
        path,
      };
    },
  };
  const sleep = async (ms: number, signal?: AbortSignal) => {
    if (signal?.aborted) throw new Error("aborted");
    t += ms;
  };
  return { source, polls, sleep, now: () => t };
}

describe("restore job wait", () => {
  it("polls at once by default; with firstPollAfterMs one interval later: ceil(duration / interval) polls, the end seen within one interval", async () => {
    const eager = fakeJob(1000);
    await waitForJob(eager.source, JOB, { pollIntervalMs: 300, sleep: eager.sleep, now: eager.now });
    expect(eager.polls).to.deep.equal([0, 300, 600, 900, 1200]);

    const fresh = fakeJob(1000);
    await waitForJob(fresh.source, JOB, {
      pollIntervalMs: 300,
      firstPollAfterMs: 300,
      sleep: fresh.sleep,
      now: fresh.now,
    });
    expect(fresh.polls).to.deep.equal([300, 600, 900, 1200]);
    expect(fresh.polls.length).to.equal(Math.ceil(1000 / 300));
  });

  it("the first pause stops at the deadline: one poll, then the timeout naming the job", async () => {
    const j = fakeJob(10_000);
    const e = await waitForJob(j.source, JOB, {
      pollIntervalMs: 5000,
      firstPollAfterMs: 5000,
      deadlineAt: 2000,
      deadlineName: "the timeout of 2s",
      sleep: j.sleep,
      now: j.now,
    }).catch((x: unknown) => x);
    expect(JobError.isInstance(e) && e.reason).to.equal("timeout");
    expect((e as Error).message)
      .to.contain(JOB)
      .and.contain("the timeout of 2s");
    expect(j.polls).to.deep.equal([2000]);
  });

  it("a cancel during the first pause ends the wait as cancelled, with no poll", async () => {
    const j = fakeJob(1000);
    const controller = new AbortController();
    controller.abort();
    const e = await waitForJob(j.source, JOB, {
      pollIntervalMs: 300,
      firstPollAfterMs: 300,
      signal: controller.signal,
      sleep: j.sleep,
      now: j.now,
    }).catch((x: unknown) => x);
    expect(JobError.isInstance(e) && e.reason).to.equal("cancelled");
    expect(j.polls).to.deep.equal([]);
  });
});
