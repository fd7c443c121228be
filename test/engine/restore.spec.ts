/**
 * The restore under the real engine (Pulumi YAML, examples/restore): preview shows the plan and
 * sends no POST; up restores and waits; a job that outlives the create timeout fails up naming
 * the job and the timeout, and the next up resumes it: one POST in all (the emulator's count);
 * refresh reads the job; destroy warns and sends nothing.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { EngineStack, EngineWorkspace, RunResult, findPulumiCli } from "../support/pulumi-cli";
import { packageRoot } from "../../provider/plugin/package";
import {
  LATEST_END_MS,
  SOURCE,
  TARGET,
  TestEmulator,
  leakedSecrets,
  startTestEmulator,
} from "../plugin/helpers";
import { pythonEnvWithSdk } from "./python-env";
import { waitFor } from "../support/wait";

const PULUMI = findPulumiCli();
const root = packageRoot();
const all = (r: { stdout: string; stderr: string }) => `${r.stdout}\n${r.stderr}`;
const programs = path.join(root, "test", "engine", "programs");

/** An `up` left running in the background, in a workspace and against an emulator of its own. */
interface Background {
  ws: EngineWorkspace;
  te: TestEmulator;
  stack: EngineStack;
  pid: number;
  first: Promise<RunResult>;
  settled: boolean;
}

/**
 * The TypeScript program with `customTimeouts: { create: "1m" }`, on a job that never ends:
 * its first `pulumi up` is started here and runs out its minute while the other tests run.
 */
async function startOneMinuteTimeout(): Promise<Background> {
  const ws = new EngineWorkspace(PULUMI!);
  const te = await startTestEmulator({ jobPolls: 3, log: () => undefined });
  try {
    te.emulator.setFaults([{ kind: "job-hang" }]);
    const project = "hwddm-restore-ts";
    const stack = await ws.initStack(path.join(programs, "restore-ts"), "timeout1m");
    const { config, secretKeys } = te.stackConfig("token");
    await stack.configure(
      {
        [`${project}:sourceInstanceId`]: SOURCE,
        [`${project}:pollIntervalSeconds`]: "5",
        [`${project}:createTimeout`]: "1m",
        ...config,
      },
      secretKeys,
    );
    const bg = { ws, te, stack, pid: 0, settled: false } as Background;
    bg.first = stack.run(["up", "--yes", "--skip-preview"], {
      allowFailure: true,
      timeoutMs: 180_000,
      onSpawn: (pid) => (bg.pid = pid),
    });
    void bg.first.finally(() => (bg.settled = true)).catch(() => undefined);
    return bg;
  } catch (e) {
    ws.close();
    await te.close();
    throw e;
  }
}

/** The hwddm plugin's processes among the descendants of `ancestor` (Linux: /proc). */
function pluginProcesses(ancestor: number): number[] {
  const parent = new Map<number, number>();
  for (const name of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // pid (comm) state ppid ...: comm may hold spaces, so read after its closing parenthesis.
      const stat = fs.readFileSync(`/proc/${name}/stat`, "utf8");
      parent.set(Number(name), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // gone meanwhile
    }
  }
  const descends = (pid: number): boolean => {
    for (let p = parent.get(pid); p !== undefined && p > 1; p = parent.get(p))
      if (p === ancestor) return true;
    return false;
  };
  return [...parent.keys()].filter((pid) => {
    try {
      return (
        descends(pid) && fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("pulumi-resource-hwddm")
      );
    } catch {
      return false; // gone meanwhile
    }
  });
}

describe("engine: the Restore resource under real `pulumi` runs", function () {
  this.timeout(240_000);
  let ws: EngineWorkspace;
  let te: TestEmulator;
  let counter = 0;
  let oneMinute: Promise<Background> | undefined;

  before(async function () {
    if (!PULUMI) {
      if (process.env.HWDDM_REQUIRE_ENGINE === "1")
        throw new Error("HWDDM_REQUIRE_ENGINE=1 but no Pulumi CLI was found");
      console.log("  engine restore suite skipped: no Pulumi CLI (run `npm run pulumi:install`)");
      return this.skip();
    }
    ws = new EngineWorkspace(PULUMI);
    // Jobs complete on their third poll: no clock to move, nothing timed.
    te = await startTestEmulator({ jobPolls: 3, log: () => undefined });
    // Started now, awaited by the last test: the minute it takes overlaps the other tests.
    oneMinute = startOneMinuteTimeout();
    oneMinute.catch(() => undefined);
  });
  after(async () => {
    const bg = await oneMinute?.catch(() => undefined);
    if (bg) {
      // Not awaited (a filtered run): stop it as Ctrl-C would, so nothing is left running.
      if (!bg.settled) process.kill(bg.pid, "SIGINT");
      await bg.first.catch(() => undefined);
      bg.ws.close();
      await bg.te.close();
    }
    ws?.close();
    await te?.close();
  });
  beforeEach(() => {
    te.emulator.setFaults([]);
    te.emulator.resetStats();
  });

  async function stackOf(dir: string, project: string): Promise<EngineStack> {
    const stack = await ws.initStack(dir, `r${++counter}`);
    const { config, secretKeys } = te.stackConfig("token");
    await stack.configure(
      { [`${project}:sourceInstanceId`]: SOURCE, [`${project}:pollIntervalSeconds`]: "0.05", ...config },
      secretKeys,
    );
    return stack;
  }

  it("examples/restore: preview shows the plan and sends no POST; up restores once and waits (Completed); a second up, refresh and destroy send nothing more", async () => {
    const stack = await stackOf(path.join(root, "examples", "restore"), "hwddm-restore");
    const preview = await stack.run(["preview", "--diff"]);
    expect(all(preview)).to.contain(TARGET);
    expect(te.emulator.stats().byRoute.restore).to.equal(0);

    await stack.run(["up", "--yes"]);
    const out = await stack.outputs();
    expect(out.status).to.equal("Completed");
    expect(out.targetInstanceId).to.equal(TARGET);
    expect(out.restoreTime).to.equal(new Date(LATEST_END_MS - 300_000).toISOString());
    expect(out.jobId).to.be.a("string").and.not.equal("");
    expect(te.emulator.stats().restoresAccepted).to.equal(1);

    const again = await stack.run(["up", "--yes"]);
    expect(all(again)).to.not.contain("created");
    await stack.run(["refresh", "--yes"]);
    const destroy = await stack.run(["destroy", "--yes"]);
    expect(all(destroy)).to.contain("a restore cannot be undone");
    expect(te.emulator.stats().byRoute.restore).to.equal(1);
    expect(leakedSecrets(await stack.exportState(), te.secretValues)).to.deep.equal([]);
    expect(leakedSecrets(all(preview) + all(again) + all(destroy), te.secretValues)).to.deep.equal([]);
  });

  it("a job that outlives the create timeout fails up naming the job and the timeout; the next up resumes it: one POST in all", async () => {
    te.emulator.setFaults([{ kind: "job-hang" }]);
    const dir = path.join(root, "test", "engine", "programs", "yaml-restore-timeout");
    const stack = await stackOf(dir, "hwddm-restore-timeout");
    const first = await stack.run(["up", "--yes"], { allowFailure: true });
    expect(first.code).to.not.equal(0);
    const job = te.emulator.jobs().at(-1)!;
    expect(all(first)).to.contain(job.id).and.contain("did not finish within the timeout of 2s");

    te.emulator.setFaults([]);
    te.emulator.completeJob(job.id);
    await stack.run(["up", "--yes"]);
    const out = await stack.outputs();
    expect(out.status).to.equal("Completed");
    expect(out.jobId).to.equal(job.id);
    expect(te.emulator.stats().byRoute.restore).to.equal(1);
    expect(te.emulator.stats().restoresAccepted).to.equal(1);
    await stack.run(["destroy", "--yes"]);
  });

  it("a failing job fails up with its id", async () => {
    te.emulator.setFaults([{ kind: "job-fail" }]);
    const stack = await stackOf(path.join(root, "examples", "restore"), "hwddm-restore");
    const r = await stack.run(["up", "--yes"], { allowFailure: true });
    expect(r.code).to.not.equal(0);
    const job = te.emulator.jobs().at(-1)!;
    expect(all(r)).to.contain(`restore job ${job.id} failed`);
    expect(te.emulator.stats().restoresAccepted).to.equal(1);
    await stack.run(["destroy", "--yes"]);
  });

  /** Resolve once `cond` holds, checking every 50 ms; reject after `boundMs` (a hung run, not a slow one). */
  const until = (cond: () => boolean, what: string, boundMs = 120_000) => waitFor(cond, boundMs, what, 50);

  it("`pulumi up` interrupted (SIGINT) while it waits on the job, then `pulumi up` again: the wait resumes, one POST in all", async () => {
    te.emulator.setFaults([{ kind: "job-hang" }]);
    const stack = await stackOf(path.join(root, "examples", "restore"), "hwddm-restore");
    let pid = 0;
    const first = stack.run(["up", "--yes", "--skip-preview"], {
      allowFailure: true,
      onSpawn: (p) => (pid = p),
    });
    // Interrupt once the job is being polled: the POST was accepted and the wait has begun.
    await until(() => (te.emulator.stats().byRoute.job ?? 0) > 0, "the first job poll");
    process.kill(pid, "SIGINT");
    const interrupted = await first;
    expect(interrupted.code).to.not.equal(0);
    const job = te.emulator.jobs().at(-1)!;
    // The engine's graceful cancel calls the provider's Cancel: the wait ends, the job id is kept.
    expect(all(interrupted))
      .to.contain("^C received; cancelling")
      .and.contain(`stopped waiting for restore job ${job.id} (cancelled)`);
    expect(te.emulator.stats().restoresAccepted).to.equal(1);

    te.emulator.setFaults([]);
    te.emulator.completeJob(job.id);
    await stack.run(["up", "--yes", "--skip-preview"]);
    const out = await stack.outputs();
    expect(out.status).to.equal("Completed");
    expect(out.jobId).to.equal(job.id);
    expect(te.emulator.stats().byRoute.restore).to.equal(1);
    expect(te.emulator.stats().restoresAccepted).to.equal(1);
  });

  it("the plugin killed (SIGKILL) while it waits on the job: the engine records nothing, and the next `pulumi up` resumes the job from the plugin's journal: one POST in all", async function () {
    if (process.platform !== "linux") return this.skip(); // the plugin's pid is found in /proc
    te.emulator.setFaults([{ kind: "job-hang" }]);
    const stack = await stackOf(path.join(root, "examples", "restore"), "hwddm-restore");
    let pid = 0;
    const first = stack.run(["up", "--yes", "--skip-preview"], {
      allowFailure: true,
      onSpawn: (p) => (pid = p),
    });
    await until(() => (te.emulator.stats().byRoute.job ?? 0) > 0, "the first job poll");
    // The engine may run more than one instance of the plugin (one loads the schema): all go.
    const plugins = pluginProcesses(pid);
    expect(plugins, "the plugin's processes").to.not.deep.equal([]);
    for (const p of plugins) process.kill(p, "SIGKILL");
    const killed = await first;
    expect(killed.code).to.not.equal(0);
    const job = te.emulator.jobs().at(-1)!;
    const state = JSON.parse(await stack.exportState()) as { deployment: { resources?: { type: string }[] } };
    expect((state.deployment.resources ?? []).map((r) => r.type)).to.not.include("hwddm:backup:Restore");
    const journal = path.join(ws.home, "hwddm", "restore-journal");
    expect(fs.readdirSync(journal)).to.have.length(1);

    te.emulator.setFaults([]);
    te.emulator.completeJob(job.id);
    const resumed = await stack.run(["up", "--yes", "--skip-preview"]);
    expect(all(resumed)).to.contain(`resuming the wait on restore job ${job.id}`);
    const out = await stack.outputs();
    expect(out.status).to.equal("Completed");
    expect(out.jobId).to.equal(job.id);
    expect(te.emulator.stats().byRoute.restore).to.equal(1);
    expect(te.emulator.stats().restoresAccepted).to.equal(1);
    expect(fs.readdirSync(journal)).to.deep.equal([]);
  });

  describe("one program that selects (planRestore) and restores, in every language", () => {
    const languages = [
      { lang: "TypeScript", dir: "restore-ts", project: "hwddm-restore-ts" },
      { lang: "Python", dir: "restore-python", project: "hwddm-restore-python" },
      { lang: "Go", dir: "restore-go", project: "hwddm-restore-go" },
    ];
    for (const { lang, dir, project } of languages) {
      it(`${lang}: preview sends no POST; up restores once (Completed); a failing job fails up naming its id`, async function () {
        this.timeout(400_000);
        if (lang === "Python") await pythonEnvWithSdk(ws.dir);
        const stack = await stackOf(path.join(programs, dir), project);
        const preview = await stack.run(["preview", "--diff"], { timeoutMs: 360_000 });
        expect(all(preview)).to.contain(TARGET);
        expect(te.emulator.stats().byRoute.restore).to.equal(0);

        await stack.run(["up", "--yes", "--skip-preview"], { timeoutMs: 360_000 });
        const out = await stack.outputs();
        expect(out.status).to.equal("Completed");
        expect(out.targetInstanceId).to.equal(TARGET);
        expect(out.jobId).to.equal(te.emulator.jobs().at(-1)!.id);
        expect(te.emulator.stats().restoresAccepted).to.equal(1);

        // The same restore again, as a replacement, on a job that fails.
        te.emulator.setFaults([{ kind: "job-fail" }]);
        const urn = `urn:pulumi:${stack.name}::${project}::hwddm:backup:Restore::restore`;
        const failed = await stack.run(["up", "--yes", "--skip-preview", "--replace", urn], {
          allowFailure: true,
          timeoutMs: 360_000,
        });
        expect(failed.code).to.not.equal(0);
        const job = te.emulator.jobs().at(-1)!;
        expect(job.id).to.not.equal(out.jobId);
        expect(all(failed)).to.contain(`restore job ${job.id} failed`);
        expect(te.emulator.stats().restoresAccepted).to.equal(2);
        expect(leakedSecrets(all(preview) + all(failed), te.secretValues)).to.deep.equal([]);
      });
    }
  });

  // Last: by now the background run has used up most of its minute.
  describe("the run started in the background at the start", () => {
    it("a create timeout of 1m (TypeScript, customTimeouts) on a job that never ends fails up naming the job and the timeout; the next up, the job now completing, finishes with one POST in all", async function () {
      const bg = await oneMinute!;
      const first = await bg.first;
      expect(first.code).to.not.equal(0);
      const job = bg.te.emulator.jobs().at(-1)!;
      expect(all(first))
        .to.contain(`restore job ${job.id}`)
        .and.contain("did not finish within the timeout of 1m");

      bg.te.emulator.setFaults([]);
      bg.te.emulator.completeJob(job.id);
      await bg.stack.run(["up", "--yes", "--skip-preview"]);
      const out = await bg.stack.outputs();
      expect(out.status).to.equal("Completed");
      expect(out.jobId).to.equal(job.id);
      expect(bg.te.emulator.stats().byRoute.restore).to.equal(1);
      expect(bg.te.emulator.stats().restoresAccepted).to.equal(1);
    });
  });
});
