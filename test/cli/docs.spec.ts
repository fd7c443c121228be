/**
 * docs/cli.md stays true: it names every command, every flag `--help` lists, every
 * environment variable the core reads and every exit code; its sample output is what a run
 * against the emulator prints (docs-samples.ts); and its shell gate runs as documented.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { Emulator, emulatorEnv, startEmulator } from "../../emulator";
import { ENV_NAMES } from "../../provider/config";
import { renderSamples, samples } from "./docs-samples";
import { BIN, SRC, hwddm } from "./helpers";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const DOC = readFileSync(path.join(ROOT, "docs", "cli.md"), "utf8");
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

/** The fenced block that follows `heading`. */
function blockAfter(heading: string): string {
  const at = DOC.indexOf(heading);
  expect(at, heading).to.be.greaterThan(-1);
  const m = /```\w*\n([\s\S]*?)```/.exec(DOC.slice(at));
  return m![1];
}

describe("cli: docs/cli.md", () => {
  for (const c of COMMANDS) {
    it(`documents ${c} and every flag its --help lists`, async () => {
      expect(DOC).to.include(`## \`hwddm ${c}\``);
      const help = (await hwddm([c, "--help"], {})).stdout;
      const flags = [...help.matchAll(/^ {2}(?:-\w, )?(--[a-z][a-z-]*)/gm)].map((m) => m[1]);
      expect(flags.length).to.be.greaterThan(3);
      for (const flag of flags) expect(DOC, `${c} ${flag}`).to.include(`\`${flag}`);
    });
  }

  it("shows sample output exactly as hwddm prints it against the emulator the README starts", async () => {
    // Regenerate after a change: npm run build && node dist/test/cli/docs-samples.js
    expect(samples(DOC).map((s) => s.args[0])).to.include.members([
      "instances",
      "time-intervals",
      "check-time",
      "select",
    ]);
    expect(await renderSamples(DOC)).to.equal(DOC);
  });

  it("documents every environment variable the core reads, and NO_COLOR", () => {
    for (const names of Object.values(ENV_NAMES)) for (const n of names) expect(DOC).to.include(`\`${n}\``);
    expect(DOC).to.include("`NO_COLOR`");
  });

  it("documents every exit code in a table, as --help does", async () => {
    for (const code of [0, 1, 2, 3, 4, 130]) expect(DOC).to.match(new RegExp(`^\\| ${code} \\| `, "m"));
    const help = (await hwddm(["--help"], {})).stdout;
    for (const code of [0, 1, 2, 3, 4, 130]) expect(help).to.match(new RegExp(`^ {2}${code} +\\S`, "m"));
  });

  describe("the generic shell gate, run as written", function () {
    this.timeout(30_000);
    let em: Emulator;
    const script = blockAfter("### A generic shell gate");

    before(async () => {
      em = await startEmulator({ port: 0 });
    });
    after(async () => {
      await em.close();
    });

    function gate(env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
      return new Promise((resolve, reject) => {
        const child = spawn("bash", ["-c", script], {
          env: { PATH: `${path.dirname(BIN)}:${process.env.PATH}`, ...env },
          stdio: ["ignore", "pipe", "pipe"],
        });
        let stdout = "";
        let stderr = "";
        child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
        child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
        child.on("error", reject);
        child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
      });
    }

    it("passes (0) for a restorable time, stops (1) for a gap, and tells 2 and 3 apart", async () => {
      const base = { ...emulatorEnv(em, "token"), SOURCE_INSTANCE_ID: SRC, HW_MAX_RETRIES: "0" };
      const ok = await gate({ ...base, RESTORE_TIME: "2025-05-21T08:00:00Z" });
      expect(ok.code, ok.stderr).to.equal(0);
      expect(ok.stdout).to.equal("restorable at 2025-05-21T08:00:00.000Z\n");
      const no = await gate({ ...base, RESTORE_TIME: "2025-05-19T07:00:00Z" });
      expect(no.code).to.equal(1);
      expect(no.stderr).to.include("not restorable: refusing to continue");
      const misconfigured = await gate({ ...base, HW_REGION_NAME: "" });
      expect(misconfigured.code).to.equal(2);
      expect(misconfigured.stderr).to.include("hwddm is misconfigured");
      const outage = await gate({ ...base, SOURCE_INSTANCE_ID: "no-such-instance" });
      expect(outage.code).to.equal(3);
      expect(outage.stderr).to.include("DDM API unavailable");
    });
  });
});
