/**
 * The restore commands: related-data-nodes, restorable-data-nodes, plan-restore, restore and
 * job. Usage errors (exit 2 naming the flag, before any request), help text, and runs against
 * the emulator's restore routes: the plan, --dry-run sending no POST, --wait with exactly one
 * POST, a failed job (exit 3 naming the job), a lost answer (never resent), Ctrl-C during
 * --wait. No real sleeps: jobs complete by polls (jobPolls) and --poll-interval is 0.05.
 */
import { expect } from "chai";
import { Emulator, defaultFixture, emulatorEnv, startEmulator } from "../../emulator";
import { getRelatedDataNodes, getRestorableDataNodes, planRestore } from "../../provider/functions";
import { EMPTY_SRC, SRC, hwddm, spawnHwddm, waitFor } from "./helpers";

const RESTORE_COMMANDS = ["related-data-nodes", "restorable-data-nodes", "plan-restore", "restore", "job"];
const POLL = ["--poll-interval", "0.05"];

describe("cli: restore commands", () => {
  let em: Emulator;
  let env: Record<string, string>;

  before(async () => {
    em = await startEmulator({ port: 0, jobPolls: 3 });
    env = emulatorEnv(em, "token");
  });
  after(async () => {
    await em.close();
  });
  afterEach(() => {
    // A running restore job holds its target (409 to the next POST): end every one.
    for (const j of em.jobs()) if (j.status === "Running") em.completeJob(j.id);
    em.setFaults([]);
    em.setData(defaultFixture());
    em.resetStats();
  });

  describe("help", () => {
    it("root --help lists every restore command", async () => {
      const r = await hwddm(["--help"], {});
      for (const c of RESTORE_COMMANDS) expect(r.stdout).to.match(new RegExp(`^  ${c} \\[options\\]`, "m"));
    });

    for (const c of RESTORE_COMMANDS) {
      it(`${c} --help describes the command, its connection flags and an example`, async () => {
        const r = await hwddm([c, "--help"], {});
        expect(r.code).to.equal(0);
        expect(r.stderr).to.equal("");
        expect(r.stdout).to.match(new RegExp(`^Usage: hwddm ${c} \\[options\\]`));
        expect(r.stdout).to.match(new RegExp(`^ {2}\\$ hwddm ${c} `, "m"));
        for (const flag of ["--region", "--project-id", "--endpoint", "--json", "--debug"])
          expect(r.stdout).to.include(flag);
        expect(r.stdout).to.not.match(/--(token|auth-token|secret-key|password|security-token|access-key)\b/);
        expect(r.stdout).to.include("Credentials come from the environment only");
      });
    }

    it("restore --help says it overwrites, is never resent, and how to resume", async () => {
      const r = await hwddm(["restore", "--help"], {});
      for (const s of ["--dry-run", "--wait", "--poll-interval", "--timeout", "--relation", "OVERWRITES"])
        expect(r.stdout).to.include(s);
      expect(r.stdout).to.include("hwddm job <job-id> --wait");
    });
  });

  describe("usage errors: exit 2 naming the flag, no request sent", () => {
    const cases: [string[], string][] = [
      [["plan-restore", "--instance-id", SRC, "--latest", "--at", "2025-05-21T08:00:00Z"], "--at"],
      [["plan-restore", "--instance-id", SRC, "--at", "yesterday"], "--at"],
      [["plan-restore", "--instance-id", SRC, "--margin", "soon"], "--margin"],
      [["plan-restore", "--instance-id", SRC, "--relation", "dn1"], "--relation"],
      [["plan-restore", "--instance-id", SRC, "--relation", "dn1=a/b"], "--relation"],
      [["plan-restore", "--instance-id", SRC, "--name-regex", "("], "--name-regex"],
      [["plan-restore", "--instance-id", SRC, "--at", "1", "--at", "2"], "--at"],
      [["restore", "--instance-id", SRC, "--wait", "--poll-interval", "0.001"], "--poll-interval"],
      [["restore", "--instance-id", SRC, "--wait", "--poll-interval", "fast"], "--poll-interval"],
      [["restore", "--instance-id", SRC, "--wait", "--timeout", "forever"], "--timeout"],
      [["restore", "--instance-id", SRC, "--wait", "--timeout", "0"], "--timeout"],
      [["restore", "--dry-run", "--vpc-name", "v"], "--instance-id"],
      [["related-data-nodes", "--instance-id", SRC], "--restore-time"],
      [["related-data-nodes", "--instance-id", SRC, "--restore-time", "noon"], "--restore-time"],
      [
        ["restorable-data-nodes", "--instance-id", SRC, "--restore-time", "2025-05-21T08:00:00Z"],
        "--target-instance-id",
      ],
      [
        [
          "restorable-data-nodes",
          "--instance-id",
          SRC,
          "--target-instance-id",
          "t",
          "--source-data-node-id",
          "a b",
          "--restore-time",
          "2025-05-21T08:00:00Z",
        ],
        "--source-data-node-id",
      ],
      [["job"], "job-id"],
      [["job", "a/b"], "<job-id>"],
      [["job", "j1", "--wait", "--timeout", "-5m"], "--timeout"],
      [["job", "j1", "--instance-id", "x y"], "--instance-id"],
    ];
    for (const [argv, flag] of cases) {
      it(`${argv.join(" ")} -> 2 naming ${flag}`, async () => {
        const r = await hwddm(argv, env);
        expect(r.code, r.stderr).to.equal(2);
        expect(r.stdout).to.equal("");
        expect(r.stderr).to.include(flag);
        expect(r.stderr.trim().split("\n")).to.have.length(1);
        expect(em.stats().requests).to.equal(0);
      });
    }
  });

  describe("related-data-nodes and restorable-data-nodes", () => {
    const T = "2025-05-21T08:00:00Z";

    it("related-data-nodes --json is the registry's result; the table lists each data node", async () => {
      const r = await hwddm(["related-data-nodes", "--instance-id", SRC, "--restore-time", T, "--json"], env);
      expect(r.code, r.stderr).to.equal(0);
      const expected = await getRelatedDataNodes({ instanceId: SRC, restoreTime: T }, { env });
      expect(JSON.parse(r.stdout)).to.deep.equal(JSON.parse(JSON.stringify(expected)));
      expect(expected.dataNodes.length).to.be.greaterThan(0);
      const t = await hwddm(["related-data-nodes", "--instance-id", SRC, "--restore-time", T], env);
      expect(t.code).to.equal(0);
      expect(t.stdout.split("\n")[0]).to.match(/^DATA NODE ID\s+NAME\s+STATUS\s+ENGINE\s+VERSION$/);
      for (const n of expected.dataNodes) expect(t.stdout).to.include(n.instanceId);
    });

    it("restorable-data-nodes --json is the registry's result, --available-only passed on", async () => {
      const related = await getRelatedDataNodes({ instanceId: SRC, restoreTime: T }, { env });
      const plan = await planRestore({ instanceId: SRC, at: T }, { env });
      const args = {
        instanceId: SRC,
        targetInstanceId: plan.targetInstanceId,
        sourceDataNodeId: related.dataNodes[0].instanceId,
        restoreTime: T,
        availableOnly: true,
      };
      const r = await hwddm(
        [
          "restorable-data-nodes",
          "--instance-id",
          SRC,
          "--target-instance-id",
          args.targetInstanceId,
          "--source-data-node-id",
          args.sourceDataNodeId,
          "--restore-time",
          T,
          "--available-only",
          "--json",
        ],
        env,
      );
      expect(r.code, r.stderr).to.equal(0);
      const expected = await getRestorableDataNodes(args, { env });
      expect(JSON.parse(r.stdout)).to.deep.equal(JSON.parse(JSON.stringify(expected)));
    });
  });

  describe("plan-restore", () => {
    it("--json is the registry's planRestore result; text shows target, time and each relation with names", async () => {
      const r = await hwddm(["plan-restore", "--instance-id", SRC, "--margin", "5m", "--json"], env);
      expect(r.code, r.stderr).to.equal(0);
      const expected = await planRestore({ instanceId: SRC, latest: true, marginSeconds: 300 }, { env });
      expect(JSON.parse(r.stdout)).to.deep.equal(JSON.parse(JSON.stringify(expected)));
      const t = await hwddm(["plan-restore", "--instance-id", SRC, "--margin", "5m"], env);
      expect(t.code, t.stderr).to.equal(0);
      expect(t.stdout).to.include(
        `target instance  ${expected.targetInstanceId} (${expected.targetInstanceName})`,
      );
      expect(t.stdout).to.include(
        `restore time     ${expected.restoreTime} (epoch ms ${expected.restoreTimeEpochMs})`,
      );
      for (const rel of expected.dataNodeRelations)
        expect(t.stdout).to.include(
          `${rel.sourceInstanceId} (${rel.sourceInstanceName}) -> ${rel.targetInstanceId} (${rel.targetInstanceName})`,
        );
      expect(em.stats().byRoute.restore).to.equal(0);
    });

    it("an explicit --relation mapping is checked: a wrong one exits 1 with the reason", async () => {
      const plan = await planRestore({ instanceId: SRC, latest: true }, { env });
      const good = plan.dataNodeRelations.map((x) => `${x.sourceInstanceId}=${x.targetInstanceId}`);
      const ok = await hwddm(
        [
          "plan-restore",
          "--instance-id",
          SRC,
          "--target-instance-id",
          plan.targetInstanceId,
          "--json",
          ...good.flatMap((g) => ["--relation", g]),
        ],
        env,
      );
      expect(ok.code, ok.stderr).to.equal(0);
      expect(JSON.parse(ok.stdout).dataNodeRelations).to.deep.equal(plan.dataNodeRelations);
      const partial = await hwddm(
        [
          "plan-restore",
          "--instance-id",
          SRC,
          "--target-instance-id",
          plan.targetInstanceId,
          "--relation",
          good[0],
        ],
        env,
      );
      expect(partial.code).to.equal(1);
      expect(partial.stdout).to.equal("");
      expect(partial.stderr).to.include("is not mapped");
    });

    it("exits 1 with the SelectionError's message when no target fits", async () => {
      const r = await hwddm(["plan-restore", "--instance-id", SRC, "--name", "no-such-target"], env);
      expect(r.code).to.equal(1);
      expect(r.stdout).to.equal("");
      expect(r.stderr).to.match(/^hwddm: /);
      const e = await hwddm(["plan-restore", "--instance-id", EMPTY_SRC], env);
      expect(e.code).to.equal(1);
    });
  });

  describe("restore", () => {
    it("--dry-run prints the plan and sends NO POST", async () => {
      const r = await hwddm(["restore", "--instance-id", SRC, "--dry-run"], env);
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout).to.include("target instance");
      expect(r.stdout).to.include("dry run: nothing sent");
      const j = await hwddm(["restore", "--instance-id", SRC, "--dry-run", "--json"], env);
      expect(j.code).to.equal(0);
      const out = JSON.parse(j.stdout);
      expect(out.dryRun).to.equal(true);
      expect(out.jobId).to.equal(undefined);
      expect(out.plan.targetInstanceId).to.be.a("string");
      expect(em.stats().byRoute.restore).to.equal(0);
      expect(em.stats().restoresAccepted).to.equal(0);
    });

    it("--dry-run with a read route failing exits 3 cleanly, nothing sent", async () => {
      em.setFaults([{ kind: "status", status: 404, route: "related-dn" }]);
      const r = await hwddm(["restore", "--instance-id", SRC, "--dry-run", "--max-retries", "0"], env);
      expect(r.code).to.equal(3);
      expect(r.stdout).to.equal("");
      expect(r.stderr).to.match(/^hwddm: .*HTTP 404/);
      expect(r.stderr).to.not.include("internal error");
      expect(em.stats().byRoute.restore).to.equal(0);
    });

    it("without --wait sends exactly one POST and prints the job id", async () => {
      const r = await hwddm(["restore", "--instance-id", SRC], env);
      expect(r.code, r.stderr).to.equal(0);
      const jobId = /restore job +(\S+)/.exec(r.stdout)?.[1];
      expect(jobId).to.be.a("string");
      expect(r.stdout).to.include(`hwddm job ${jobId} --wait`);
      expect(em.stats().byRoute.restore).to.equal(1);
      expect(em.stats().byRoute.job).to.equal(0);
    });

    it("--wait completes with exactly one POST, one progress line per state change on stderr", async () => {
      const r = await hwddm(["restore", "--instance-id", SRC, "--wait", ...POLL, "--json"], env);
      expect(r.code, r.stderr).to.equal(0);
      const out = JSON.parse(r.stdout);
      expect(out.dryRun).to.equal(false);
      expect(out.job.status).to.equal("Completed");
      expect(out.job.id).to.equal(out.jobId);
      const lines = r.stderr.trim().split("\n");
      expect(lines[lines.length - 1]).to.equal(
        `job ${out.jobId}: ${["Completed", out.job.process].filter(Boolean).join(", ")}`,
      );
      expect(lines[0]).to.match(new RegExp(`^job ${out.jobId}: Running`));
      expect(new Set(lines).size).to.equal(lines.length);
      expect(em.stats().byRoute.restore).to.equal(1);
      expect(em.stats().byRoute.job).to.equal(3);
    });

    it("a failing job exits 3 naming the job id and how to read it again; one POST", async () => {
      em.setFaults([{ kind: "job-fail" }]);
      const r = await hwddm(["restore", "--instance-id", SRC, "--wait", ...POLL], env);
      expect(r.code).to.equal(3);
      const jobId = /restore job +(\S+)/.exec(r.stdout)?.[1];
      expect(jobId).to.be.a("string");
      expect(r.stderr).to.include(`restore job ${jobId} failed`);
      expect(r.stderr).to.include(`hwddm job ${jobId}`);
      expect(em.stats().byRoute.restore).to.equal(1);
    });

    it("--timeout passing exits 3 naming the job and `hwddm job <id> --wait`", async () => {
      em.setFaults([{ kind: "job-hang" }]);
      const r = await hwddm(["restore", "--instance-id", SRC, "--wait", ...POLL, "--timeout", "0.1"], env);
      expect(r.code).to.equal(3);
      const jobId = /restore job +(\S+)/.exec(r.stdout)?.[1];
      expect(r.stderr).to.include(`restore job ${jobId} did not finish within --timeout 0.1`);
      expect(r.stderr).to.include(`hwddm job ${jobId} --wait`);
      expect(em.stats().byRoute.restore).to.equal(1);
    });

    it("a lost answer says the restore may have started and is never resent", async () => {
      em.setFaults([{ kind: "lost-answer" }]);
      const r = await hwddm(["restore", "--instance-id", SRC, "--wait", ...POLL], env);
      expect(r.code).to.equal(3);
      expect(r.stderr).to.include("may have started");
      expect(r.stderr).to.include("did not resend it");
      expect(em.stats().byRoute.restore).to.equal(1);
      expect(em.stats().restoresAccepted).to.equal(1);
      expect(em.stats().byRoute.job).to.equal(0);
    });

    it("Ctrl-C during --wait stops waiting, not the restore, and says how to resume", async () => {
      em.setFaults([{ kind: "job-hang" }]);
      const controller = new AbortController();
      const r = await hwddm(["restore", "--instance-id", SRC, "--wait", ...POLL], env, {
        signal: controller.signal,
        onStart: (_out, err) =>
          void waitFor(() => err.text.includes(": Running")).then(() => controller.abort("SIGINT")),
      });
      expect(r.code).to.equal(130);
      const jobId = /restore job +(\S+)/.exec(r.stdout)?.[1];
      expect(r.stderr).to.include(`stopped waiting for restore job ${jobId}`);
      expect(r.stderr).to.include("the restore goes on in DDM");
      expect(r.stderr).to.include(`hwddm job ${jobId} --wait`);
      expect(em.stats().byRoute.restore).to.equal(1);
    });
  });

  describe("bin/hwddm, a real process", () => {
    it("SIGINT during restore --wait exits 130, names the job and how to resume; one POST", async () => {
      em.setFaults([{ kind: "job-hang" }]);
      const p = spawnHwddm(["restore", "--instance-id", SRC, "--wait", ...POLL], env);
      await waitFor(() => p.stderr().includes(": Running"), 15_000);
      p.child.kill("SIGINT");
      expect(await p.exit).to.equal(130);
      const jobId = /restore job +(\S+)/.exec(p.stdout())?.[1];
      expect(jobId).to.be.a("string");
      expect(p.stderr()).to.include(`hwddm job ${jobId} --wait`);
      expect(em.stats().byRoute.restore).to.equal(1);
    });
  });

  describe("job", () => {
    async function startJob(): Promise<string> {
      const r = await hwddm(["restore", "--instance-id", SRC, "--json"], env);
      expect(r.code, r.stderr).to.equal(0);
      return JSON.parse(r.stdout).jobId as string;
    }

    it("prints the job (text and --json) without --instance-id", async () => {
      const jobId = await startJob();
      const t = await hwddm(["job", jobId], env);
      expect(t.code, t.stderr).to.equal(0);
      expect(t.stdout).to.match(new RegExp(`^job id +${jobId}$`, "m"));
      expect(t.stdout).to.match(/^status +Running$/m);
      for (const k of ["name", "progress", "created", "ended", "instance"])
        expect(t.stdout).to.match(new RegExp(`^${k} `, "m"));
      const j = await hwddm(["job", jobId, "--json", "--instance-id", SRC], env);
      expect(j.code).to.equal(0);
      const job = JSON.parse(j.stdout);
      expect(job.id).to.equal(jobId);
      expect(job.status).to.equal("Running");
    });

    it("--wait follows it to Completed (exit 0)", async () => {
      const jobId = await startJob();
      const r = await hwddm(["job", jobId, "--wait", ...POLL, "--json"], env);
      expect(r.code, r.stderr).to.equal(0);
      expect(JSON.parse(r.stdout).status).to.equal("Completed");
      expect(r.stderr).to.include(`job ${jobId}: Completed`);
    });

    it("an unknown job exits 3", async () => {
      const r = await hwddm(["job", "no-such-job", "--max-retries", "0"], env);
      expect(r.code).to.equal(3);
      const w = await hwddm(["job", "no-such-job", "--wait", ...POLL, "--max-retries", "0"], env);
      expect(w.code).to.equal(3);
      expect(w.stderr).to.include("no-such-job");
    });
  });
});
