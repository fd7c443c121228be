/**
 * What the API sends must not take over the user's terminal (control characters in text
 * output), and `select`'s two queries live and die together (one failure aborts the other).
 */
import { expect } from "chai";
import { Emulator, FaultSpec, defaultFixture, emulatorEnv, startEmulator } from "../../emulator";
import { REPLACEMENT_CHARACTER, renderTable, safeText, styler } from "../../cli/output";
import { SRC, hwddm, waitFor } from "./helpers";

const EVIL = "ddm-\u001b[31mred\u001b]0;pwned\u0007\nINJECTED ROW";
const ESC = "\u001b";

describe("cli: control characters from the API", () => {
  let em: Emulator;
  let env: Record<string, string>;

  before(async () => {
    em = await startEmulator({ port: 0 });
    env = emulatorEnv(em, "token");
    const data = defaultFixture();
    const target = data.projects[0].instances[0].restorableInstances[0];
    target.instance_name = EVIL;
    target.vpc_name = "vpc\u009b2J"; // C1 CSI: an escape sequence without ESC
    em.setData(data);
  });
  after(async () => {
    await em.close();
  });

  it("safeText replaces C0 (line breaks, ESC, BEL), DEL and C1 characters with U+FFFD, nothing else", () => {
    expect(safeText("a\u001b[31mb\nc\r\td\u007fe\u009bf")).to.equal(
      "a\ufffd[31mb\ufffdc\ufffd\ufffdd\ufffde\ufffdf",
    );
    expect(safeText("ddm-名前 ok ✓")).to.equal("ddm-名前 ok ✓");
    expect(safeText("line\nnext\u001b", { keepLineFeeds: true })).to.equal("line\nnext\ufffd");
    expect(REPLACEMENT_CHARACTER).to.equal("\ufffd");
  });

  it("renderTable (instances and time-intervals tables) never emits a raw control character from a cell", () => {
    const lines = renderTable(["START", "END"], [["a\u001b[2J", "b\nc"]], styler(false));
    expect(lines).to.deep.equal(["START  END", "a\ufffd[2J  b\ufffdc"]);
  });

  it("instances: the table shows the name with U+FFFD, one line per instance, no escape sequence", async () => {
    const r = await hwddm(["instances", "--instance-id", SRC], env);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.not.include(ESC);
    expect(r.stdout).to.not.include("\u009b");
    expect(r.stdout).to.not.include("\u0007");
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines).to.have.length(1 + 5 + 1); // header, five instances, summary
    expect(lines[1]).to.include("ddm-\ufffd[31mred\ufffd]0;pwned\ufffd\ufffdINJECTED ROW");
    expect(lines.some((l) => l.startsWith("INJECTED ROW"))).to.equal(false);
  });

  it("select: the text output replaces them too, and --json keeps the exact value (JSON escapes it)", async () => {
    const text = await hwddm(["select", "--instance-id", SRC], env);
    expect(text.code, text.stderr).to.equal(0);
    expect(text.stdout).to.not.include(ESC);
    expect(text.stdout.trimEnd().split("\n")).to.have.length(3);
    expect(text.stdout).to.include("vpc vpc\ufffd2J");
    const json = await hwddm(["select", "--instance-id", SRC, "--json"], env);
    expect(json.stdout).to.not.include(ESC);
    expect(JSON.parse(json.stdout).target.instanceName).to.equal(EVIL);
  });

  it("select --format env uses the same replacement (C1 included) and warns per key", async () => {
    const r = await hwddm(["select", "--instance-id", SRC, "--format", "env"], env);
    expect(r.code).to.equal(0);
    expect(r.stdout).to.include(`HWDDM_TARGET_INSTANCE_NAME=${safeText(EVIL)}\n`);
    expect(r.stdout).to.include("HWDDM_TARGET_VPC_NAME=vpc\ufffd2J\n");
    expect(r.stderr).to.include("HWDDM_TARGET_INSTANCE_NAME: control characters replaced");
    expect(r.stderr).to.include("HWDDM_TARGET_VPC_NAME: control characters replaced");
  });

  it("errors quoting API text (every candidate of a failed selection) reach stderr without them", async () => {
    const r = await hwddm(["select", "--instance-id", SRC, "--name", "no-such-target"], env);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.not.include(ESC);
    // The core quotes API names as JSON strings, so the escape arrives as the text \u001b.
    expect(r.stderr).to.include("ddm-\\u001b[31mred");
    expect(r.stderr).to.not.include("\u0007");
    // Line feeds survive on stderr (our messages are multi-line: one candidate per line), but a
    // line feed inside an API name cannot forge one: exactly one line per candidate (5).
    expect(r.stderr.split("\n").filter((l) => l.startsWith("  - "))).to.have.length(5);
  });
});

describe("cli: select runs its two queries under one abort", () => {
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

  const cases: [string, FaultSpec["route"], FaultSpec["route"], number, RegExp][] = [
    [
      "instances fails (400), intervals stalls",
      "restorable-instances",
      "restorable-time-interval",
      400,
      /HTTP 400/,
    ],
    [
      "intervals fails (404), instances stalls",
      "restorable-time-interval",
      "restorable-instances",
      404,
      /HTTP 404/,
    ],
  ];
  for (const [what, failing, stalled, status, message] of cases) {
    it(`${what}: returns the failure promptly (exit 3) and abandons the stalled request`, async () => {
      em.setFaults([
        // A little real latency so that the stalled request has surely arrived before the failure.
        { kind: "latency", ms: 20, route: failing },
        { kind: "status", status, route: failing },
        { kind: "stall", route: stalled },
      ]);
      const r = await hwddm(["select", "--instance-id", SRC, "--request-timeout", "60", "--json"], env);
      expect(r.code).to.equal(3);
      expect(r.stdout).to.equal("");
      expect(r.stderr).to.match(message);
      expect(r.stderr).to.not.match(/ABORTED|interrupted/);
      // Without the shared abort the stalled request would hang on until its 60 s timeout (past
      // the test's own timeout): its end being recorded is the proof, no wall clock needed.
      await waitFor(() => em.stats().byStatus["0"] === 1, 2000);
      const s = em.stats();
      expect(s.byRoute[stalled as "restorable-instances"]).to.equal(1);
      expect(s.byStatus[String(status)]).to.equal(1);
      const record = s.lastRequests.find((x) => x.route === stalled);
      expect(record).to.deep.include({ status: 0, faults: ["stall"] });
    });
  }
});
