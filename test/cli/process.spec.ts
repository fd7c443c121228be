/**
 * bin/hwddm as a real process: the shim, exit codes, stdout/stderr separation, signals, and
 * `hwddm emulator` started and stopped with SIGTERM.
 */
import { accessSync, constants, readFileSync } from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { Emulator, emulatorEnv, startEmulator } from "../../emulator";
import { BIN, SRC, Spawned, parseEnvLines, runHwddm, spawnHwddm, waitFor } from "./helpers";

describe("cli: bin/hwddm as a process", function () {
  this.timeout(30_000);
  let em: Emulator;
  let env: Record<string, string>;
  const children: Spawned[] = [];

  before(async () => {
    em = await startEmulator({ port: 0 });
    env = emulatorEnv(em, "token");
  });
  after(async () => {
    for (const c of children)
      if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill("SIGKILL");
    await em.close();
  });
  afterEach(() => {
    em.setFaults([]);
    em.resetStats();
  });

  it("is an executable node script that loads dist/cli/main.js", () => {
    accessSync(BIN, constants.X_OK);
    const text = readFileSync(BIN, "utf8");
    expect(text.split("\n")[0]).to.equal("#!/usr/bin/env node");
    expect(text).to.include('require("../dist/cli/main.js")');
  });

  it("--version prints the package version and exits 0", async () => {
    const pkg = JSON.parse(readFileSync(path.resolve(__dirname, "../../../package.json"), "utf8"));
    const r = await runHwddm(["--version"], {});
    expect(r).to.deep.equal({ code: 0, stdout: `${pkg.version}\n`, stderr: "" });
  });

  it("check-time --help prints usage on stdout and exits 0", async () => {
    const r = await runHwddm(["check-time", "--help"], {});
    expect(r.code).to.equal(0);
    expect(r.stdout).to.match(/^Usage: hwddm check-time/);
    expect(r.stderr).to.equal("");
  });

  it("exit 0: the JSON answer alone on stdout, nothing on stderr", async () => {
    const r = await runHwddm(["select", "--instance-id", SRC, "--json"], env);
    expect(r.code).to.equal(0);
    expect(r.stderr).to.equal("");
    expect(JSON.parse(r.stdout).target.instanceId).to.equal("3b65c609427c4b20bc0ae93e161dc7adin09");
  });

  it("exit 1: the reason on stderr, the windows on stdout", async () => {
    const r = await runHwddm(["check-time", "--instance-id", SRC, "--time", "2025-05-19T07:00:00Z"], env);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.match(/^hwddm: 2025-05-19T07:00:00\.000Z is not restorable/);
    expect(r.stdout).to.match(/^START\s+END\s+LENGTH\n/);
  });

  it("exit 2: a usage error is one line on stderr (the help hint on it), nothing on stdout", async () => {
    const r = await runHwddm(["instances"], env);
    expect(r.code).to.equal(2);
    expect(r.stdout).to.equal("");
    expect(r.stderr).to.equal(
      "hwddm: required option '--instance-id <id>' not specified (add --help for usage)\n",
    );
  });

  it("exit 3: an API failure is one line on stderr without a stack trace", async () => {
    const r = await runHwddm(["instances", "--instance-id", "no-such-instance"], env);
    expect(r.code).to.equal(3);
    expect(r.stdout).to.equal("");
    expect(r.stderr.trimEnd().split("\n")).to.have.length(1);
    expect(r.stderr).to.match(/^hwddm: DDM API GET .* failed with HTTP 404/);
  });

  it("--format env output can be appended to a $GITHUB_ENV-style file as is", async () => {
    const r = await runHwddm(["select", "--instance-id", SRC, "--format", "env"], env);
    expect(r.code).to.equal(0);
    const vars = parseEnvLines(r.stdout);
    expect(Date.parse(vars.HWDDM_RESTORE_TIME)).to.equal(Number(vars.HWDDM_RESTORE_TIME_EPOCH_MS));
  });

  it("Ctrl-C (SIGINT) during a request aborts it and exits 130", async () => {
    em.setFaults([{ kind: "stall" }]);
    const s = spawnHwddm(["instances", "--instance-id", SRC, "--request-timeout", "60"], env);
    children.push(s);
    await waitFor(() => em.stats().requests >= 1, 10_000);
    s.child.kill("SIGINT");
    expect(await s.exit).to.equal(130);
    expect(s.stderr()).to.equal("hwddm: interrupted; in-flight requests aborted\n");
    expect(s.stdout()).to.equal("");
  });

  it("hwddm emulator starts, serves a spawned query, and exits 0 on SIGTERM", async () => {
    const s = spawnHwddm(["emulator", "--port", "0", "--verbose"], {});
    children.push(s);
    await waitFor(() => s.stdout().includes("export HW_AUTH_TOKEN="), 10_000);
    const emuEnv: Record<string, string> = {};
    for (const m of s.stdout().matchAll(/^export (\w+)=(.*)$/gm)) emuEnv[m[1]] = m[2];
    expect(emuEnv.HWDDM_ENDPOINT).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
    const q = await runHwddm(["instances", "--instance-id", SRC, "--json"], emuEnv);
    expect(q.code, q.stderr).to.equal(0);
    expect(JSON.parse(q.stdout).instances).to.have.length(5);
    await waitFor(() => s.stderr().includes("restorable-instances"), 5_000); // --verbose logs the request
    s.child.kill("SIGTERM");
    expect(await s.exit).to.equal(0);
    expect(s.stderr()).to.include("hwddm emulator stopped");
    expect(s.stderr()).to.not.include(emuEnv.HW_AUTH_TOKEN);
  });
});
