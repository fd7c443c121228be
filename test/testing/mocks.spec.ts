/**
 * `pulumi-hwddm/testing`: `hwddmMocks` under `pulumi.runtime.setMocks`, driven by the SDK as a
 * user's program drives it. Both tokens are answered through the real core against an
 * emulator (in-process from a fixture, or a running one); the user's own `call` and
 * `newResource` see everything else; failures reach the program with their message.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as http from "http";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as hwddm from "pulumi-hwddm";
import { Emulator, Fixture, defaultFixture, startEmulator } from "../../emulator";
import { TOKENS } from "../../provider/types";
import { HwddmMocks, hwddmMocks } from "../../testing";
import { resolveOutput } from "../support/harness";
import { EMPTY_SOURCE, LATEST_END, LATEST_END_MS, SOURCE, TARGET, TARGET_NAME } from "../plugin/helpers";

const PROJECT = "619d3e78f61b4be68bc5aa0b59edcf7b";

/** A fixture of one source with one target and one window, unlike the default data. */
function smallFixture(): Fixture {
  return {
    region: "ap-southeast-1",
    projects: [
      {
        id: PROJECT,
        name: "ap-southeast-1",
        instances: [
          {
            id: "aaaabbbbccccddddeeeeffff00001111in09",
            restorableInstances: [
              {
                instance_id: "99998888777766665555444433332222in09",
                instance_name: "ddm-from-fixture",
                status: "normal",
                available: true,
                unavailable_reason: "",
                vpc_name: "vpc-fixture",
              },
            ],
            restoreWindows: [{ start_time: "2024-01-01T00:00:00Z", end_time: "2024-01-02T00:00:00+0800" }],
          },
        ],
      },
    ],
  } as Fixture;
}

/** A resource of another package, as a program would register one. */
class Thing extends pulumi.CustomResource {
  constructor(name: string, props: Record<string, unknown>) {
    super("test:index:Thing", name, props);
  }
}

/** The message a rejected promise carries (or fails the test when it resolves). */
async function rejection(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => expect.fail("expected a failure"),
    (e: Error) => e.message,
  );
}

/** GET `url` and say whether anything answered. */
function answers(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(url, (res) => {
      res.resume();
      resolve(true);
    });
    req.on("error", () => resolve(false));
  });
}

describe("testing: hwddmMocks under pulumi.runtime.setMocks", function () {
  let mocks: HwddmMocks | undefined;
  const dirs: string[] = [];

  async function use(m: HwddmMocks, preview = false): Promise<HwddmMocks> {
    mocks = m;
    await pulumi.runtime.setMocks(m, "project", "stack", preview);
    return m;
  }

  afterEach(async () => {
    await mocks?.close();
    mocks = undefined;
  });

  after(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  for (const preview of [true, false]) {
    it(`answers both functions from the default fixture through the core, Promise and Output forms, at ${preview ? "preview" : "update"}`, async () => {
      const m = await use(hwddmMocks(), preview);
      const candidates = await hwddm.backup.getRestorableInstances({ instanceId: SOURCE });
      expect(candidates.instances).to.have.length(5);
      expect(candidates.instances[0]).to.deep.include({ instanceId: TARGET, instanceName: TARGET_NAME });
      expect(candidates.total).to.equal(5);
      expect(candidates.id).to.equal(`${PROJECT}/${SOURCE}/restorable-instances`);

      const windows = hwddm.backup.getRestoreTimeIntervalsOutput({ instanceId: SOURCE });
      const time = windows.apply((w) => hwddm.selectRestoreTime(w, { latest: true }));
      expect(await resolveOutput(time)).to.deep.equal({
        value: { time: LATEST_END, epochMs: LATEST_END_MS },
        known: true,
        secret: false,
      });
      expect(m.invokes.map((i) => i.token)).to.deep.equal([
        TOKENS.getRestorableInstances,
        TOKENS.getRestoreTimeIntervals,
      ]);
      const em = await m.emulator();
      expect(em.stats!().byRoute["restorable-instances"]).to.equal(1);
    });
  }

  it("serves a fixture given as an object or as a file path (the emulator's fixture format)", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hwddm-mocks-"));
    dirs.push(dir);
    const file = path.join(dir, "fixture.json");
    fs.writeFileSync(file, JSON.stringify(smallFixture()));
    for (const fixture of [smallFixture(), file]) {
      await use(hwddmMocks({ fixture }));
      const r = await hwddm.backup.getRestorableInstances({
        instanceId: "aaaabbbbccccddddeeeeffff00001111in09",
      });
      expect(hwddm.selectRestoreTarget(r).instanceName).to.equal("ddm-from-fixture");
      const w = await hwddm.backup.getRestoreTimeIntervals({
        instanceId: "aaaabbbbccccddddeeeeffff00001111in09",
        restoreTime: "2024-01-01T12:00:00Z",
      });
      expect(w.intervals.map((i) => [i.startTime, i.endTime])).to.deep.equal([
        ["2024-01-01T00:00:00.000Z", "2024-01-01T16:00:00.000Z"],
      ]);
      expect(w.restoreTimeRestorable).to.equal(true);
      await mocks!.close();
    }
  });

  it("refuses a bad fixture where the mocks are made, naming the field", () => {
    const bad = smallFixture();
    (bad.projects[0].instances[0].restorableInstances[0] as unknown as Record<string, unknown>).available =
      "yes";
    expect(() => hwddmMocks({ fixture: bad })).to.throw(
      /projects\[0\]\.instances\[0\]\.restorableInstances\[0\]\.available/,
    );
    expect(() => hwddmMocks({ emulator: { url: "http://127.0.0.1:1" }, fixture: bad })).to.throw(
      /either emulator or fixture/,
    );
  });

  describe("a running emulator", () => {
    let running: Emulator;
    before(async () => {
      running = await startEmulator({ data: smallFixture() });
    });
    after(async () => {
      await running.close();
    });

    it("answers from the given endpoint with the emulator's default credentials, and close() leaves it running", async () => {
      running.resetStats();
      const m = await use(hwddmMocks({ emulator: { url: running.url } }));
      const r = await hwddm.backup.getRestorableInstances({
        instanceId: "aaaabbbbccccddddeeeeffff00001111in09",
      });
      expect(r.instances.map((i) => i.vpcName)).to.deep.equal(["vpc-fixture"]);
      expect(running.stats().byRoute["restorable-instances"]).to.equal(1);
      expect(running.stats().byAuth.token).to.equal(1);
      await m.close();
      expect(await answers(running.url)).to.equal(true);
    });

    it("authenticates with AK/SK signing or the IAM password exchange when asked", async () => {
      for (const auth of ["aksk", "password"] as const) {
        running.resetStats();
        await use(hwddmMocks({ emulator: running, auth }));
        await hwddm.backup.getRestoreTimeIntervals({ instanceId: "aaaabbbbccccddddeeeeffff00001111in09" });
        expect(running.stats().byAuth[auth === "aksk" ? "aksk" : "iam-token"]).to.equal(1);
        await mocks!.close();
      }
    });
  });

  it("composes with the user's own newResource and call, which see everything that is not hwddm's", async () => {
    const resources: string[] = [];
    const calls: string[] = [];
    await use(
      hwddmMocks({
        mocks: {
          newResource: (args) => {
            resources.push(`${args.type}::${args.name}`);
            return { id: `${args.name}-custom-id`, state: { ...args.inputs, extra: "from the user's mock" } };
          },
          call: (args) => {
            calls.push(args.token);
            return { answer: 42 };
          },
        },
      }),
    );
    const thing = new Thing("thing", { size: 3, extra: undefined });
    const theirs = await pulumi.runtime.invoke("test:index:getAnswer", {});
    const ours = await hwddm.backup.getRestorableInstances({ instanceId: SOURCE, availableOnly: true });
    expect(theirs).to.deep.equal({ answer: 42 });
    expect(ours.instances.every((i) => i.available)).to.equal(true);
    expect((await resolveOutput(thing.id)).value).to.equal("thing-custom-id");
    expect(resources).to.deep.equal(["test:index:Thing::thing"]);
    expect(calls).to.deep.equal(["test:index:getAnswer"]);
  });

  it("without the user's mocks: resources get <name>_id and their inputs; another package's function fails naming its token", async () => {
    await use(hwddmMocks());
    const thing = new Thing("thing", { size: 3 });
    expect((await resolveOutput(thing.id)).value).to.equal("thing_id");
    const message = await rejection(
      Promise.resolve(pulumi.runtime.invoke("aws:index:getCallerIdentity", {})),
    );
    expect(message).to.contain("unknown function aws:index:getCallerIdentity");
    expect(message).to.contain(TOKENS.getRestorableInstances);
  });

  it("answers invokes through an explicit hwddm.Provider from the emulator too, recording the provider they went through", async () => {
    const m = await use(hwddmMocks());
    const provider = new hwddm.Provider("elsewhere", { region: "eu-west-101", authToken: "not-used" });
    const r = await hwddm.backup.getRestorableInstances({ instanceId: SOURCE }, { provider });
    expect(r.instances[0].instanceId).to.equal(TARGET);
    expect(m.invokes[0].provider).to.match(/::pulumi:providers:hwddm::elsewhere::elsewhere_id$/);
  });

  it("reports bad arguments, API errors and injected faults to the program with the core's message", async () => {
    await use(
      hwddmMocks({
        faults: [{ kind: "status", status: 503, route: "restorable-time-interval" }],
        config: { maxRetries: 0 },
      }),
    );
    const bad = await rejection(hwddm.backup.getRestorableInstances({ instanceId: "a/b", limit: 0 }));
    expect(bad).to.contain(`Invoke of '${TOKENS.getRestorableInstances}' failed:`);
    expect(bad).to.contain("(instanceId)");
    expect(bad).to.contain("(limit)");
    const missing = await rejection(
      hwddm.backup.getRestorableInstances({ instanceId: "0000000000000000000000000000abcdin09" }),
    );
    expect(missing).to.contain("404");
    expect(missing).to.contain("DBS.280214");
    const fault = await rejection(hwddm.backup.getRestoreTimeIntervals({ instanceId: SOURCE }));
    expect(fault).to.contain("503");
    // An empty answer is an answer, not a failure.
    const none = await hwddm.backup.getRestorableInstances({ instanceId: EMPTY_SOURCE });
    expect(none.instances).to.deep.equal([]);
  });

  it("a function's projectId argument chooses another project of the fixture", async () => {
    await use(hwddmMocks());
    const other = "0b5e6c2a9d8f4e7a8c1b2d3e4f5a6b7c";
    const r = await hwddm.backup.getRestorableInstances({
      instanceId: "9a8b7c6d5e4f40312a1b2c3d4e5f6a7bin09",
      projectId: other,
    });
    expect(r.projectId).to.equal(other);
    expect(r.id.startsWith(`${other}/`)).to.equal(true);
  });

  it("close() lets an invoke already asked finish before it stops the emulator", async () => {
    const m = await use(hwddmMocks({ faults: [{ kind: "latency", ms: 50 }] }));
    const asked = hwddm.backup.getRestorableInstances({ instanceId: SOURCE });
    while (m.invokes.length === 0) await new Promise((resolve) => setImmediate(resolve));
    await m.close();
    expect((await asked).instances[0].instanceId).to.equal(TARGET);
  });

  it("starts the in-process emulator on first use and stops it on close()", async () => {
    const m = hwddmMocks({ fixture: defaultFixture() });
    mocks = m;
    const em = await m.emulator();
    expect(await answers(em.url)).to.equal(true);
    expect(await m.emulator()).to.equal(em);
    await m.close();
    expect(await answers(em.url)).to.equal(false);
    expect(await rejection(m.emulator())).to.contain("after close()");
  });
});
