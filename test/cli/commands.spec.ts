/**
 * Every `hwddm` command in-process against the emulator: output shapes (JSON equal to the
 * function registry's result for the same arguments), tables, `--format env`, flags over
 * the environment.
 */
import { expect } from "chai";
import { Emulator, defaultFixture, emulatorEnv, startEmulator } from "../../emulator";
import { getRestorableInstances, getRestoreTimeIntervals } from "../../provider/functions";
import { selectRestoreTarget, selectRestoreTime } from "../../provider/select";
import { EMPTY_SRC, FAST, SRC, hwddm, parseEnvLines } from "./helpers";

describe("cli: commands against the emulator", () => {
  let em: Emulator;
  let env: Record<string, string>;

  before(async () => {
    em = await startEmulator({ port: 0 });
    env = emulatorEnv(em, "token");
  });
  after(async () => {
    await em.close();
  });
  afterEach(() => {
    em.setFaults([]);
    em.setData(defaultFixture());
    em.resetStats();
  });

  describe("instances", () => {
    it("--json prints exactly the registry's getRestorableInstances result for the same arguments", async () => {
      const r = await hwddm(["instances", "--instance-id", SRC, "--json"], env);
      expect(r.code).to.equal(0);
      expect(r.stderr).to.equal("");
      const expected = await getRestorableInstances({ instanceId: SRC }, { env });
      expect(JSON.parse(r.stdout)).to.deep.equal(JSON.parse(JSON.stringify(expected)));
      expect(Object.keys(JSON.parse(r.stdout)).sort()).to.deep.equal(
        ["id", "instanceId", "projectId", "region", "instances", "total", "warnings"].sort(),
      );
    });

    it("passes filters, offset and limit to the registry unchanged (--json equals the registry's result)", async () => {
      const r = await hwddm(
        [
          "instances",
          "--instance-id",
          SRC,
          "--available-only",
          "--vpc-name",
          "vpc-ddm-172",
          "--name-regex",
          "^ddm-",
          "--status",
          "normal",
          "--offset",
          "1",
          "--limit",
          "3",
          "--json",
        ],
        env,
      );
      expect(r.code, r.stderr).to.equal(0);
      const expected = await getRestorableInstances(
        {
          instanceId: SRC,
          availableOnly: true,
          vpcName: "vpc-ddm-172",
          nameRegex: "^ddm-",
          status: "normal",
          offset: 1,
          limit: 3,
        },
        { env },
      );
      const got = JSON.parse(r.stdout);
      expect(got).to.deep.equal(JSON.parse(JSON.stringify(expected)));
      expect(got.instances.map((i: { instanceName: string }) => i.instanceName)).to.deep.equal([
        "ddm-orders-restore-drill",
      ]);
    });

    it("prints a readable table: a header, one aligned row per instance and a summary line", async () => {
      const r = await hwddm(["instances", "--instance-id", SRC], env);
      expect(r.code).to.equal(0);
      const lines = r.stdout.trimEnd().split("\n");
      expect(lines[0]).to.match(/^INSTANCE ID\s+NAME\s+STATUS\s+AVAILABLE\s+VPC\s+UNAVAILABLE REASON$/);
      const rows = lines.slice(1, -1);
      expect(rows).to.have.length(5);
      const nameCol = lines[0].indexOf("NAME");
      const fixture = defaultFixture().projects[0].instances[0].restorableInstances;
      rows.forEach((row, i) => {
        expect(row.startsWith(fixture[i].instance_id)).to.equal(true);
        expect(row.slice(nameCol).startsWith(fixture[i].instance_name)).to.equal(true);
      });
      expect(rows[2]).to.include(" no ").and.include("The DDM instance version is earlier");
      expect(lines[lines.length - 1]).to.match(/^5 instances \(source .*API total 5\)$/);
      expect(r.stdout).to.not.include("\u001b[");
    });
  });

  describe("time-intervals", () => {
    it("--json prints exactly the registry's getRestoreTimeIntervals result", async () => {
      const r = await hwddm(["time-intervals", "--instance-id", SRC, "--json"], env);
      expect(r.code).to.equal(0);
      const expected = await getRestoreTimeIntervals({ instanceId: SRC }, { env });
      expect(JSON.parse(r.stdout)).to.deep.equal(JSON.parse(JSON.stringify(expected)));
      expect(JSON.parse(r.stdout).latestRestorableTime).to.equal("2025-05-21T11:15:43.000Z");
    });

    it("--offset/--limit reach the registry (JSON equals its result for the same paging)", async () => {
      const r = await hwddm(
        ["time-intervals", "--instance-id", SRC, "--offset", "2", "--limit", "1", "--json"],
        env,
      );
      expect(r.code).to.equal(0);
      const expected = await getRestoreTimeIntervals({ instanceId: SRC, offset: 2, limit: 1 }, { env });
      expect(JSON.parse(r.stdout)).to.deep.equal(JSON.parse(JSON.stringify(expected)));
      expect(JSON.parse(r.stdout).intervals).to.have.length(1);
    });

    it("prints the windows as a table with START, END and LENGTH", async () => {
      const r = await hwddm(["time-intervals", "--instance-id", SRC], env);
      expect(r.code).to.equal(0);
      const lines = r.stdout.trimEnd().split("\n");
      expect(lines[0]).to.match(/^START\s+END\s+LENGTH$/);
      expect(lines[3]).to.match(/^2025-05-20T09:40:40\.000Z\s+2025-05-21T11:15:43\.000Z\s+1d 1h 35m 3s$/);
      expect(lines[4]).to.match(/^3 windows /);
    });
  });

  describe("check-time", () => {
    it("exits 0 and prints only the resolved time when the time is inside a window", async () => {
      const r = await hwddm(["check-time", "--instance-id", SRC, "--time", "2025-05-21T16:00:00+08:00"], env);
      expect(r).to.deep.equal({ code: 0, stdout: "2025-05-21T08:00:00.000Z\n", stderr: "" });
    });

    it("accepts epoch milliseconds and the API's +0000 form", async () => {
      const ms = Date.parse("2025-05-20T10:00:00Z");
      const a = await hwddm(["check-time", "--instance-id", SRC, "--time", String(ms)], env);
      const b = await hwddm(["check-time", "--instance-id", SRC, "--time", "2025-05-20T10:00:00+0000"], env);
      expect(a.code).to.equal(0);
      expect(a.stdout).to.equal("2025-05-20T10:00:00.000Z\n");
      expect(b.stdout).to.equal(a.stdout);
    });

    it("refuses epoch seconds with exit 2 and 'looks like epoch seconds', before any request (never a 1970 'no')", async () => {
      const r = await hwddm(["check-time", "--instance-id", SRC, "--time", "1747826143"], env);
      expect(r.code).to.equal(2);
      expect(r.stdout).to.equal("");
      expect(r.stderr).to.match(/invalid --time: .*looks like epoch seconds/);
      expect(em.stats().requests).to.equal(0);
    });

    it("refuses a time past 9999 (9999-12-31T23:59:59-1800) with exit 2", async () => {
      const r = await hwddm(["check-time", "--instance-id", SRC, "--time", "9999-12-31T23:59:59-1800"], env);
      expect(r.code).to.equal(2);
      expect(r.stderr).to.match(/outside the years 1970-9999/);
      expect(r.stdout).not.to.include("+01");
    });

    it("refuses a lone-surrogate --instance-id as invalid input (exit 2), not an internal URIError", async () => {
      const r = await hwddm(["instances", "--instance-id", "in09\uD800x"], env);
      expect(r.code).to.equal(2);
      expect(r.stderr).to.match(/invalid --instance-id: .*lone UTF-16 surrogate/);
      expect(r.stderr).not.to.match(/URIError|internal error/);
    });

    it("latest with --margin 5m resolves to the last window's end minus 5 minutes (selectRestoreTime)", async () => {
      const r = await hwddm(["check-time", "--instance-id", SRC, "--time", "latest", "--margin", "5m"], env);
      expect(r.code).to.equal(0);
      expect(r.stdout).to.equal("2025-05-21T11:10:43.000Z\n");
    });

    it("exits 1, gives the reason on stderr and prints the windows on stdout when the time is in a gap", async () => {
      const r = await hwddm(["check-time", "--instance-id", SRC, "--time", "2025-05-19T07:00:00Z"], env);
      expect(r.code).to.equal(1);
      expect(r.stderr).to.match(/^hwddm: 2025-05-19T07:00:00\.000Z is not restorable/);
      expect(r.stdout.split("\n")[0]).to.match(/^START\s+END\s+LENGTH$/);
      expect(r.stdout).to.include("2025-05-18T02:00:00.000Z").and.include("2025-05-21T11:15:43.000Z");
    });

    it("exits 1 when the time is inside a window but closer to its edge than --margin", async () => {
      const r = await hwddm(
        ["check-time", "--instance-id", SRC, "--time", "2025-05-21T11:14:00Z", "--margin", "5m"],
        env,
      );
      expect(r.code).to.equal(1);
      expect(r.stderr).to.include("margin of 300 s");
    });

    it("exits 1 for latest when the source has no windows", async () => {
      const r = await hwddm(["check-time", "--instance-id", EMPTY_SRC, "--time", "latest"], env);
      expect(r.code).to.equal(1);
      expect(r.stdout).to.equal("no restore windows\n");
    });

    it("--json prints the documented shape when restorable", async () => {
      const r = await hwddm(
        ["check-time", "--instance-id", SRC, "--time", "2025-05-20T10:00:00Z", "--margin", "90", "--json"],
        env,
      );
      expect(r.code).to.equal(0);
      const intervals = await getRestoreTimeIntervals({ instanceId: SRC }, { env });
      expect(JSON.parse(r.stdout)).to.deep.equal({
        instanceId: SRC,
        projectId: intervals.projectId,
        region: intervals.region,
        requestedTime: "2025-05-20T10:00:00.000Z",
        requestedTimeEpochMs: Date.parse("2025-05-20T10:00:00Z"),
        marginSeconds: 90,
        restorable: true,
        restoreTime: "2025-05-20T10:00:00.000Z",
        restoreTimeEpochMs: Date.parse("2025-05-20T10:00:00Z"),
        intervals: intervals.intervals,
        warnings: [],
      });
    });

    it("--json prints restorable false with the reason and the windows, exit 1", async () => {
      const r = await hwddm(
        ["check-time", "--instance-id", SRC, "--time", "2025-01-01T00:00:00Z", "--json"],
        env,
      );
      expect(r.code).to.equal(1);
      const out = JSON.parse(r.stdout);
      expect(out.restorable).to.equal(false);
      expect(out.reason).to.include("is not restorable");
      expect(out.intervals).to.have.length(3);
      expect(out).to.not.have.property("restoreTime");
    });
  });

  describe("select", () => {
    it("--json prints the pipeline shape: the first available target and the latest time", async () => {
      const r = await hwddm(["select", "--instance-id", SRC, "--json"], env);
      expect(r.code, r.stderr).to.equal(0);
      const instances = await getRestorableInstances({ instanceId: SRC }, { env });
      const intervals = await getRestoreTimeIntervals({ instanceId: SRC }, { env });
      const target = selectRestoreTarget(instances);
      const time = selectRestoreTime(intervals, { latest: true });
      expect(JSON.parse(r.stdout)).to.deep.equal({
        sourceInstanceId: SRC,
        projectId: instances.projectId,
        region: instances.region,
        target: {
          instanceId: target.instanceId,
          instanceName: target.instanceName,
          vpcName: target.vpcName,
          status: target.status,
        },
        restoreTime: time.time,
        restoreTimeEpochMs: time.epochMs,
      });
    });

    it("applies every target criterion, the time and the margin", async () => {
      const r = await hwddm(
        [
          "select",
          "--instance-id",
          SRC,
          "--vpc-name",
          "vpc-analytics-10",
          "--status",
          "normal",
          "--name-regex",
          "analytics",
          "--time",
          "2025-05-19T12:00:00Z",
          "--margin",
          "1h",
          "--json",
        ],
        env,
      );
      expect(r.code, r.stderr).to.equal(0);
      const out = JSON.parse(r.stdout);
      expect(out.target).to.deep.equal({
        instanceId: "e7b3d5f1a9c24e8b9d0f1a2b3c4d5e6fin09",
        instanceName: "ddm-analytics",
        vpcName: "vpc-analytics-10",
        status: "normal",
      });
      expect(out.restoreTime).to.equal("2025-05-19T12:00:00.000Z");
      const byId = await hwddm(
        [
          "select",
          "--instance-id",
          SRC,
          "--target-instance-id",
          "8d2f4a1c0e6b4f3a9c7d5e2b1a0f9c8din09",
          "--json",
        ],
        env,
      );
      expect(JSON.parse(byId.stdout).target.instanceName).to.equal("ddm-orders-restore-drill");
      const byName = await hwddm(["select", "--instance-id", SRC, "--name", "ddm-analytics", "--json"], env);
      expect(JSON.parse(byName.stdout).target.instanceId).to.equal("e7b3d5f1a9c24e8b9d0f1a2b3c4d5e6fin09");
    });

    it("--format env prints KEY=VALUE lines for $GITHUB_ENV, nothing else on stdout", async () => {
      const r = await hwddm(["select", "--instance-id", SRC, "--margin", "5m", "--format", "env"], env);
      expect(r.code).to.equal(0);
      expect(r.stderr).to.equal("");
      for (const line of r.stdout.trimEnd().split("\n")) expect(line).to.match(/^HWDDM_[A-Z_]+=[^\n]*$/);
      const vars = parseEnvLines(r.stdout);
      expect(vars).to.include({
        HWDDM_SOURCE_INSTANCE_ID: SRC,
        HWDDM_TARGET_INSTANCE_ID: "3b65c609427c4b20bc0ae93e161dc7adin09",
        HWDDM_TARGET_INSTANCE_NAME: "ddm-agent-create-instance1",
        HWDDM_RESTORE_TIME: "2025-05-21T11:10:43.000Z",
        HWDDM_RESTORE_TIME_EPOCH_MS: String(Date.parse("2025-05-21T11:10:43Z")),
      });
    });

    it("--format env never lets an API value with a line break add a variable", async () => {
      const data = defaultFixture();
      data.projects[0].instances[0].restorableInstances[0].instance_name =
        "evil\nNODE_OPTIONS=--require=/tmp/x";
      em.setData(data);
      const r = await hwddm(["select", "--instance-id", SRC, "--format", "env"], env);
      expect(r.code).to.equal(0);
      expect(r.stdout.split("\n").some((l) => l.startsWith("NODE_OPTIONS"))).to.equal(false);
      expect(parseEnvLines(r.stdout).HWDDM_TARGET_INSTANCE_NAME).to.equal(
        "evil\ufffdNODE_OPTIONS=--require=/tmp/x",
      );
      expect(r.stderr).to.include("HWDDM_TARGET_INSTANCE_NAME: control characters replaced");
    });

    it("prints three readable lines by default", async () => {
      const r = await hwddm(["select", "--instance-id", SRC], env);
      expect(r.code).to.equal(0);
      const lines = r.stdout.trimEnd().split("\n");
      expect(lines).to.have.length(3);
      expect(lines[0]).to.match(/^source instance\s+1f5c9fd6/);
      expect(lines[1]).to.match(
        /^target instance\s+3b65c609427c4b20bc0ae93e161dc7adin09 \(name ddm-agent-create-instance1/,
      );
      expect(lines[2]).to.equal("restore time     2025-05-21T11:15:43.000Z (epoch ms 1747826143000)");
    });

    it("exits 1 with every candidate on stderr and nothing on stdout when no target matches", async () => {
      const r = await hwddm(
        ["select", "--instance-id", SRC, "--name", "no-such-target", "--format", "env"],
        env,
      );
      expect(r.code).to.equal(1);
      expect(r.stdout).to.equal("");
      expect(r.stderr).to.match(/^hwddm: no available restore target matching name "no-such-target" among 5/);
    });

    it("exits 1 with nothing on stdout when the time is not restorable", async () => {
      const r = await hwddm(
        ["select", "--instance-id", SRC, "--time", "2030-01-01T00:00:00Z", "--json"],
        env,
      );
      expect(r.code).to.equal(1);
      expect(r.stdout).to.equal("");
      expect(r.stderr).to.include("2030-01-01T00:00:00.000Z is not restorable");
    });
  });

  describe("flags and the environment", () => {
    it("a flag wins over the environment (--project-id, --region, --endpoint)", async () => {
      const other = defaultFixture().projects[1];
      const r = await hwddm(
        [
          "instances",
          "--instance-id",
          other.instances[0].id,
          "--project-id",
          other.id,
          "--region",
          "cn-north-4",
          "--endpoint",
          em.url,
          "--json",
        ],
        { ...env, HWDDM_ENDPOINT: "http://127.0.0.1:1" },
      );
      expect(r.code, r.stderr).to.equal(0);
      const out = JSON.parse(r.stdout);
      expect(out.projectId).to.equal(other.id);
      expect(out.region).to.equal("cn-north-4");
      expect(out.instances[0].instanceName).to.equal("ddm-beijing-restore");
    });

    it("works with each authentication mode from the environment alone (token, AK/SK, password)", async () => {
      for (const mode of ["token", "aksk", "password"] as const) {
        const r = await hwddm(["time-intervals", "--instance-id", SRC, "--json"], emulatorEnv(em, mode));
        expect(r.code, `${mode}: ${r.stderr}`).to.equal(0);
      }
      const s = em.stats();
      expect(s.byAuth.token).to.be.greaterThan(0);
      expect(s.byAuth.aksk).to.be.greaterThan(0);
      expect(s.byAuth["iam-token"]).to.be.greaterThan(0);
    });

    it("looks the project id up through IAM when neither flag nor environment gives it", async () => {
      const r = await hwddm(
        ["instances", "--instance-id", SRC, "--json"],
        emulatorEnv(em, "token", { projectId: false }),
      );
      expect(r.code, r.stderr).to.equal(0);
      expect(JSON.parse(r.stdout).projectId).to.equal(em.credentials.projectId);
      expect(em.stats().byRoute["iam-projects"]).to.be.greaterThan(0);
    });

    it("--max-retries bounds the attempts (503 twice, then success: 0 retries fails, 2 retries succeeds)", async () => {
      em.setFaults([{ kind: "status", status: 503, times: 2, route: "restorable-instances" }]);
      const failed = await hwddm(["instances", "--instance-id", SRC, "--max-retries", "0"], env, {
        overrides: FAST,
      });
      expect(failed.code).to.equal(3);
      const ok = await hwddm(["instances", "--instance-id", SRC, "--max-retries", "2"], env, {
        overrides: FAST,
      });
      expect(ok.code, ok.stderr).to.equal(0);
      expect(em.stats().byRoute["restorable-instances"]).to.equal(3);
    });
  });
});
