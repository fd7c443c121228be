/** `--help` on every command, `--version`, and the in-process emulator command. */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { defaultFixture } from "../../emulator";
import { hwddm, waitFor } from "./helpers";

const COMMANDS = [
  "instances",
  "time-intervals",
  "check-time",
  "select",
  "related-data-nodes",
  "restorable-data-nodes",
  "plan-restore",
  "restore",
  "job",
  "emulator",
];
const QUERY_COMMANDS = COMMANDS.filter((c) => c !== "emulator");

describe("cli: help and version", () => {
  it("--version prints package.json's version and exits 0", async () => {
    const pkg = JSON.parse(readFileSync(path.resolve(__dirname, "../../../package.json"), "utf8"));
    for (const flag of ["--version", "-V"]) {
      const r = await hwddm([flag], {});
      expect(r).to.deep.equal({ code: 0, stdout: `${pkg.version}\n`, stderr: "" });
    }
  });

  it("root --help lists every command, the exit codes, the credential variables and examples", async () => {
    const r = await hwddm(["--help"], {});
    expect(r.code).to.equal(0);
    expect(r.stderr).to.equal("");
    for (const c of COMMANDS) expect(r.stdout).to.match(new RegExp(`^  ${c} \\[options\\]`, "m"));
    expect(r.stdout).to.match(/^ {2}0 {4}success/m);
    expect(r.stdout).to.match(/^ {2}1 {4}the answer is "no"/m);
    expect(r.stdout).to.match(/^ {2}2 {4}usage or configuration error/m);
    expect(r.stdout).to.match(/^ {2}3 {4}API or network failure/m);
    expect(r.stdout).to.include("Credentials come from the environment only, never from flags");
    for (const name of ["HW_AUTH_TOKEN", "HW_ACCESS_KEY", "HW_SECRET_KEY", "HW_PASSWORD", "HW_REGION_NAME"]) {
      expect(r.stdout).to.include(name);
    }
    expect(r.stdout).to.include("Examples:");
  });

  for (const c of COMMANDS) {
    it(`${c} --help describes the command, shows --debug and gives an example`, async () => {
      const r = await hwddm([c, "--help"], {});
      expect(r.code).to.equal(0);
      expect(r.stderr).to.equal("");
      expect(r.stdout).to.match(new RegExp(`^Usage: hwddm ${c} \\[options\\]`));
      expect(r.stdout).to.include("--debug");
      expect(r.stdout).to.include("Examples:");
      expect(r.stdout).to.match(new RegExp(`^ {2}\\$ hwddm ${c} `, "m"));
      const viaHelp = await hwddm(["help", c], {});
      expect(viaHelp.stdout).to.equal(r.stdout);
    });
  }

  for (const c of QUERY_COMMANDS) {
    it(`${c} --help lists the connection flags, no secret flag, and says credentials come from the environment`, async () => {
      const r = await hwddm([c, "--help"], {});
      for (const flag of [
        "--instance-id",
        "--region",
        "--project-id",
        "--endpoint",
        "--auth-url",
        "--insecure",
        "--max-retries",
        "--request-timeout",
        "--json",
      ]) {
        expect(r.stdout).to.include(flag);
      }
      expect(r.stdout).to.not.match(/--(token|auth-token|secret-key|password|security-token|access-key)\b/);
      expect(r.stdout).to.include("Credentials come from the environment only");
      expect(r.stdout).to.include("Exit codes: 0");
    });
  }
});

describe("cli: emulator command in-process", () => {
  it("starts the emulator, prints its URL and env lines that work, and stops with exit 0 on abort", async () => {
    const controller = new AbortController();
    let out: { text: string } = { text: "" };
    const pending = hwddm(
      ["emulator", "--port", "0"],
      {},
      {
        signal: controller.signal,
        onStart: (o) => (out = o),
      },
    );
    await waitFor(() => out.text.includes("export HW_AUTH_TOKEN="));
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out.text)?.[1];
    expect(url).to.be.a("string");
    const env: Record<string, string> = {};
    for (const m of out.text.matchAll(/^export (\w+)=(.*)$/gm)) env[m[1]] = m[2];
    expect(env.HWDDM_ENDPOINT).to.equal(url);
    const q = await hwddm(
      ["time-intervals", "--instance-id", "1f5c9fd6cd984056ba89c8c87cc03278in09", "--json"],
      env,
    );
    expect(q.code, q.stderr).to.equal(0);
    controller.abort("SIGINT");
    const r = await pending;
    expect(r.code).to.equal(0);
    expect(r.stderr).to.include("hwddm emulator stopped");
    const after = await hwddm(["time-intervals", "--instance-id", "x", "--max-retries", "0"], env);
    expect(after.code).to.equal(3); // nothing listens any more
  });
});

describe("cli: emulator --print-fixture", () => {
  it("prints the built-in fixture as JSON and exits 0 without starting a server", async () => {
    const r = await hwddm(["emulator", "--print-fixture"], {});
    expect(r.code).to.equal(0);
    expect(r.stderr).to.equal("");
    expect(JSON.parse(r.stdout)).to.deep.equal(defaultFixture());
    expect(r.stdout).to.not.include("listening on");
  });
});
