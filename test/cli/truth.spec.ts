/**
 * The command line tells the truth about itself: what `--help` offers works (or is refused on
 * one line naming the problem), every error is one line, long waits are visible on stderr,
 * `--endpoint` is taken like `--auth-url`, and `--margin` reads the lengths the CLI prints.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { Emulator, emulatorEnv, startEmulator } from "../../emulator";
import { formatDuration } from "../../cli/output";
import { parseDurationSeconds } from "../../provider/time";
import type { ClientOverrides } from "../../provider/types";
import { SRC, hwddm } from "./helpers";

/** Exactly one line, ending in a newline. */
function expectOneLine(text: string): void {
  expect(text.endsWith("\n"), text).to.equal(true);
  expect(text.slice(0, -1), text).to.not.include("\n");
}

describe("cli: what --help offers and what errors say", () => {
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
    em.resetStats();
  });

  describe("--format and --json", () => {
    for (const [cmd, extra] of [
      ["instances", []],
      ["time-intervals", []],
      ["check-time", ["--time", "latest"]],
      ["select", []],
    ] as const) {
      it(`${cmd}: --format json, which --help offers, prints what --json prints`, async () => {
        const help = await hwddm([cmd, "--help"], {});
        expect(help.stdout).to.include("--format <format>");
        const viaFormat = await hwddm([cmd, "--instance-id", SRC, ...extra, "--format", "json"], env);
        const viaJson = await hwddm([cmd, "--instance-id", SRC, ...extra, "--json"], env);
        expect(viaFormat.code, viaFormat.stderr).to.equal(0);
        expect(viaFormat.stdout).to.equal(viaJson.stdout);
        expect(JSON.parse(viaFormat.stdout)).to.be.an("object");
      });
    }

    it("refuses --json with a different --format on one line, and takes --json --format json", async () => {
      for (const format of ["env", "text"]) {
        const r = await hwddm(["select", "--instance-id", SRC, "--json", "--format", format], env);
        expect(r.code).to.equal(2);
        expect(r.stdout).to.equal("");
        expect(r.stderr).to.equal(
          `hwddm: --json and --format ${format} disagree; give one of them (add --help for usage)\n`,
        );
      }
      expect(em.stats().requests).to.equal(0);
      const same = await hwddm(["select", "--instance-id", SRC, "--json", "--format", "json"], env);
      expect(same.code, same.stderr).to.equal(0);
    });
  });

  it("refuses a flag given twice, naming it, instead of taking the last", async () => {
    for (const [flag, a, b] of [
      ["--instance-id", SRC, "other"],
      ["--region", "ap-southeast-1", "eu-west-101"],
    ]) {
      const base = flag === "--instance-id" ? ["instances"] : ["instances", "--instance-id", SRC];
      const r = await hwddm([...base, flag, a, flag, b], env);
      expect(r.code).to.equal(2);
      expectOneLine(r.stderr);
      expect(r.stderr).to.include(`${flag} is given twice (${a}, ${b}); give it once`);
    }
    expect(em.stats().requests).to.equal(0);
  });

  it("`help <unknown>` names the unknown command on one line (exit 2); `help` and `help <command>` still help", async () => {
    const r = await hwddm(["help", "nonexist"], {});
    expect(r.code).to.equal(2);
    expect(r.stdout).to.equal("");
    expect(r.stderr).to.equal(
      "hwddm: unknown command 'nonexist'; the commands are instances, time-intervals, check-time, select, related-data-nodes, restorable-data-nodes, plan-restore, restore, job, emulator (add --help for usage)\n",
    );
    const root = await hwddm(["help"], {});
    expect(root.code).to.equal(0);
    expect(root.stdout).to.equal((await hwddm(["--help"], {})).stdout);
    expect((await hwddm(["help", "select"], {})).stdout).to.equal(
      (await hwddm(["select", "--help"], {})).stdout,
    );
  });

  describe("one line per error", () => {
    it("a usage error carries its hint (and commander's suggestion) on the same line", async () => {
      const r = await hwddm(["instances", "--instance-id", SRC, "--formt", "json"], env);
      expect(r.code).to.equal(2);
      expect(r.stderr).to.equal(
        "hwddm: unknown option '--formt' (Did you mean --format?) (add --help for usage)\n",
      );
    });

    it("OpenSSL's message (https:// to a plain-HTTP port) is one line", async () => {
      const r = await hwddm(
        [
          "instances",
          "--instance-id",
          SRC,
          "--endpoint",
          em.url.replace("http:", "https:"),
          "--max-retries",
          "0",
        ],
        env,
      );
      expect(r.code).to.equal(3);
      expectOneLine(r.stderr);
      expect(r.stderr).to.match(/EPROTO/);
    });

    it("a fixture that is not JSON is refused on one line", async () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), "hwddm-not-json-"));
      const file = path.join(dir, "fixture.json");
      writeFileSync(file, "not json\n{\n  \n");
      const r = await hwddm(["emulator", "--data", file], {}).finally(() =>
        rmSync(dir, { recursive: true, force: true }),
      );
      expect(r.code).to.equal(2);
      expectOneLine(r.stderr);
      expect(r.stderr).to.include("is not valid JSON");
    });
  });

  describe("retries are visible on stderr", () => {
    // Instant sleeps; with random 0.5 and a 4.2 s base the delays asked for are 2.1 s and 4.2 s.
    const overrides: ClientOverrides = {
      sleep: async () => undefined,
      random: () => 0.5,
      retry: { baseDelayMs: 4200, maxDelayMs: 20_000 },
    };
    const LINES =
      "hwddm: retrying in 2.1 s after HTTP 503, attempt 2 of 5\n" +
      "hwddm: retrying in 4.2 s after HTTP 503, attempt 3 of 5\n";
    const args = ["time-intervals", "--instance-id", SRC, "--max-retries", "4"];

    it("with --verbose: one line per retry on stderr, stdout untouched", async () => {
      em.setFaults([{ kind: "status", status: 503, times: 2 }]);
      const r = await hwddm([...args, "--verbose"], env, { overrides });
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stderr).to.equal(LINES);
      expect(r.stdout).to.not.include("retrying");
    });

    it("on a terminal by default, but not with --json (unless --verbose)", async () => {
      em.setFaults([{ kind: "status", status: 503, times: 2 }]);
      expect((await hwddm(args, env, { overrides, tty: true })).stderr).to.equal(LINES);
      em.setFaults([{ kind: "status", status: 503, times: 2 }]);
      const json = await hwddm([...args, "--json"], env, { overrides, tty: true });
      expect(json.stderr).to.equal("");
      expect(JSON.parse(json.stdout).warnings).to.deep.equal([]);
      em.setFaults([{ kind: "status", status: 503, times: 2 }]);
      expect((await hwddm([...args, "--json", "--verbose"], env, { overrides })).stderr).to.equal(LINES);
    });

    it("silent when stderr is not a terminal and --verbose is not given", async () => {
      em.setFaults([{ kind: "status", status: 503, times: 2 }]);
      const r = await hwddm(args, env, { overrides });
      expect(r.code).to.equal(0);
      expect(r.stderr).to.equal("");
    });
  });

  describe("--endpoint and --margin", () => {
    it("--endpoint with a trailing /v3 is taken like --auth-url's", async () => {
      const plain = await hwddm(["instances", "--instance-id", SRC, "--json"], env);
      for (const endpoint of [`${em.url}/v3`, `${em.url}/v3/`]) {
        const r = await hwddm(["instances", "--instance-id", SRC, "--endpoint", endpoint, "--json"], env);
        expect(r.code, r.stderr).to.equal(0);
        expect(r.stdout).to.equal(plain.stdout);
      }
    });

    it("--endpoint and --auth-url word their errors alike", async () => {
      for (const bad of ["ftp://x", "not a url", "https://u:p@host"]) {
        const e = await hwddm(["instances", "--instance-id", SRC, "--endpoint", bad], env);
        const a = await hwddm(["instances", "--instance-id", SRC, "--auth-url", bad], env);
        expect([e.code, a.code]).to.deep.equal([2, 2]);
        expect(e.stderr.replace("--endpoint", "FLAG")).to.equal(a.stderr.replace("--auth-url", "FLAG"));
      }
    });

    it("--margin takes the units the CLI prints (2d, 1d 2h)", async () => {
      for (const [margin, seconds] of [
        ["2d", 172_800],
        ["1d 2h", 93_600],
        ["1h 30m", 5_400],
      ] as const) {
        const r = await hwddm(
          ["check-time", "--instance-id", SRC, "--time", "latest", "--margin", margin, "--json"],
          env,
        );
        expect(r.code, r.stderr).to.be.oneOf([0, 1]);
        expect(JSON.parse(r.stdout).marginSeconds).to.equal(seconds);
      }
    });

    it("reads back every window length the CLI prints", () => {
      for (const s of [0, 1, 59, 60, 3599, 3600, 86_399, 86_400, 92_103, 93_600, 1_000_000]) {
        const shown = formatDuration(s * 1000);
        expect(parseDurationSeconds(shown, "--margin"), shown).to.equal(s);
      }
    });
  });
});
