/**
 * The SDK's restore functions (getRelatedDataNodes, getRestorableDataNodes, planRestore) and the
 * `Restore` resource, run under `pulumi.runtime.setMocks`. The emulator does not serve the
 * restore routes in this branch yet, so the invokes reach recording mocks that check the token
 * and arguments and answer with a result of the schema's shape; one test forwards to the real
 * plugin to show that it knows the tokens and refuses bad arguments before any request. The
 * resource's `newResource` is the mocks' (no plugin implements Create here).
 */
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import * as hwddm from "pulumi-hwddm";
import { packageVersion } from "../../provider/plugin/package";
import { isSecretWrapper } from "../../provider/secret-wire";
import { ForwardingMocks, forwardingMocks, resolveOutput, spawnPlugin } from "../support/harness";
import { errorWithDetails } from "../../testing";
import { SOURCE, TARGET, TARGET_NAME, TestEmulator, startTestEmulator } from "../plugin/helpers";

const TIME = "2025-05-20T10:00:00.000Z";
const TIME_MS = Date.parse(TIME);
const SOURCE_DN = "6b7c3a9e2f0d4c1b8a5e7d9f1c3b5a7din01";
const TARGET_DN = "8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3ain01";

/** Results of the schema's shape, by token. */
const RESULTS: Record<string, Record<string, unknown>> = {
  "hwddm:backup:getRelatedDataNodes": {
    id: "related-data-nodes-1",
    instanceId: SOURCE,
    projectId: "p",
    region: "ap-southeast-1",
    restoreTime: TIME,
    restoreTimeEpochMs: TIME_MS,
    dataNodes: [
      {
        instanceId: SOURCE_DN,
        instanceName: "orders-dn-1",
        instanceStatus: "normal",
        dataVolumeSize: 40_000_000_000,
        version: "8.0.32",
        engineName: "mysql",
      },
    ],
    latestRestorableTime: "2025-05-21T11:15:43.000Z",
    latestRestorableTimeEpochMs: Date.parse("2025-05-21T11:15:43.000Z"),
    total: 1,
    warnings: [],
  },
  "hwddm:backup:getRestorableDataNodes": {
    id: "restorable-data-nodes-1",
    instanceId: SOURCE,
    projectId: "p",
    region: "ap-southeast-1",
    targetInstanceId: TARGET,
    sourceDataNodeId: SOURCE_DN,
    restoreTimeEpochMs: TIME_MS,
    dataNodes: [
      {
        instanceId: TARGET_DN,
        instanceName: "target-dn-1",
        engineName: "mysql",
        status: "normal",
        available: true,
        unavailableReason: "",
        vpcName: "vpc-ddm-172",
        privateIp: "192.168.0.12",
      },
    ],
    total: 3,
    warnings: [],
  },
  "hwddm:backup:planRestore": {
    id: "restore-plan-1",
    instanceId: SOURCE,
    projectId: "p",
    region: "ap-southeast-1",
    targetInstanceId: TARGET,
    targetInstanceName: TARGET_NAME,
    restoreTime: TIME,
    restoreTimeEpochMs: TIME_MS,
    dataNodeRelations: [
      {
        sourceInstanceId: SOURCE_DN,
        sourceInstanceName: "orders-dn-1",
        targetInstanceId: TARGET_DN,
        targetInstanceName: "target-dn-1",
      },
    ],
    warnings: [],
  },
};

interface Recorded {
  calls: pulumi.runtime.MockCallArgs[];
  resources: pulumi.runtime.MockResourceArgs[];
}

/** Mocks that record every invoke and resource, answer invokes from RESULTS and throw on other tokens. */
async function useRecordingMocks(
  preview: boolean,
  newResource?: (a: pulumi.runtime.MockResourceArgs) => {
    id: string | undefined;
    state: Record<string, unknown>;
  },
): Promise<Recorded> {
  const rec: Recorded = { calls: [], resources: [] };
  await pulumi.runtime.setMocks(
    {
      call(args) {
        rec.calls.push(args);
        const result = RESULTS[args.token];
        if (!result) throw errorWithDetails(`unknown function ${args.token}`);
        return result;
      },
      newResource(args) {
        rec.resources.push(args);
        if (newResource) return newResource(args);
        return { id: `${args.name}-id`, state: args.inputs as Record<string, unknown> };
      },
    },
    "project",
    "stack",
    preview,
  );
  return rec;
}

/** The state a completed restore reports (what the plugin's Create will return). */
function completedState(inputs: Record<string, unknown>): Record<string, unknown> {
  return {
    ...inputs,
    plan: {
      sourceInstanceId: inputs.instanceId,
      targetInstanceId: inputs.targetInstanceId,
      targetInstanceName: TARGET_NAME,
      restoreTime: TIME,
      restoreTimeEpochMs: TIME_MS,
      dataNodeRelations: (RESULTS["hwddm:backup:planRestore"] as { dataNodeRelations: unknown })
        .dataNodeRelations,
    },
    jobId: "ff80808167a1b2c3d4e5f6a7b8c9d0e1",
    status: "Completed",
    process: "",
    createdTime: "2025-05-22T08:00:00.000Z",
    endTime: "2025-05-22T08:12:30.000Z",
  };
}

describe("sdk: the restore functions under setMocks", () => {
  for (const preview of [true, false]) {
    const phase = preview ? "preview" : "update";

    it(`getRelatedDataNodes (Promise form) sends its token and arguments and returns the result at ${phase}`, async () => {
      const rec = await useRecordingMocks(preview);
      const r = await hwddm.backup.getRelatedDataNodes({ instanceId: SOURCE, restoreTime: TIME, limit: 5 });
      expect(rec.calls.map((c): unknown[] => [c.token, c.inputs])).to.deep.equal([
        ["hwddm:backup:getRelatedDataNodes", { instanceId: SOURCE, restoreTime: TIME, limit: 5 }],
      ]);
      expect(r.dataNodes[0]).to.deep.equal({
        instanceId: SOURCE_DN,
        instanceName: "orders-dn-1",
        instanceStatus: "normal",
        dataVolumeSize: 40_000_000_000,
        version: "8.0.32",
        engineName: "mysql",
      });
      expect(r.restoreTimeEpochMs).to.equal(TIME_MS);
      expect(r.latestRestorableTime).to.equal("2025-05-21T11:15:43.000Z");
    });

    it(`getRestorableDataNodesOutput (Output form) follows Inputs and its fields are known at ${phase}`, async () => {
      const rec = await useRecordingMocks(preview);
      const out = hwddm.backup.getRestorableDataNodesOutput({
        instanceId: pulumi.output(SOURCE),
        targetInstanceId: TARGET,
        sourceDataNodeId: pulumi.output(SOURCE_DN),
        restoreTime: TIME_MS,
        availableOnly: true,
      });
      expect(await resolveOutput(out.dataNodes.apply((ds) => ds.map((d) => d.privateIp)))).to.deep.equal({
        value: ["192.168.0.12"],
        known: true,
        secret: false,
      });
      expect((await resolveOutput(out.total)).value).to.equal(3);
      expect(rec.calls.map((c): unknown[] => [c.token, c.inputs])).to.deep.equal([
        [
          "hwddm:backup:getRestorableDataNodes",
          {
            instanceId: SOURCE,
            targetInstanceId: TARGET,
            sourceDataNodeId: SOURCE_DN,
            restoreTime: TIME_MS,
            availableOnly: true,
          },
        ],
      ]);
    });

    it(`planRestore and planRestoreOutput send the criteria, the time rule and a mapping of Inputs at ${phase}`, async () => {
      const rec = await useRecordingMocks(preview);
      const plan = await hwddm.backup.planRestore({
        instanceId: SOURCE,
        vpcName: "vpc-ddm-172",
        latest: true,
        marginSeconds: "5m",
      });
      expect(plan.targetInstanceName).to.equal(TARGET_NAME);
      expect(plan.dataNodeRelations.map((r) => r.targetInstanceId)).to.deep.equal([TARGET_DN]);
      const out = hwddm.backup.planRestoreOutput({
        instanceId: SOURCE,
        targetInstanceId: pulumi.output(TARGET),
        at: TIME,
        dataNodeRelations: [{ sourceInstanceId: pulumi.output(SOURCE_DN), targetInstanceId: TARGET_DN }],
      });
      expect((await resolveOutput(out.restoreTimeEpochMs)).value).to.equal(TIME_MS);
      expect(rec.calls.map((c): unknown[] => [c.token, c.inputs])).to.deep.equal([
        [
          "hwddm:backup:planRestore",
          { instanceId: SOURCE, vpcName: "vpc-ddm-172", latest: true, marginSeconds: "5m" },
        ],
        [
          "hwddm:backup:planRestore",
          {
            instanceId: SOURCE,
            targetInstanceId: TARGET,
            at: TIME,
            dataNodeRelations: [{ sourceInstanceId: SOURCE_DN, targetInstanceId: TARGET_DN }],
          },
        ],
      ]);
    });
  }

  it("an unknown input (a resource not created yet at preview) makes the Output unknown, with no invoke", async () => {
    const rec = await useRecordingMocks(true, (a) =>
      a.type === "test:index:Target" ? { id: undefined, state: {} } : { id: `${a.name}-id`, state: {} },
    );
    class Target extends pulumi.CustomResource {
      constructor(name: string) {
        super("test:index:Target", name, {});
      }
    }
    const target = new Target("target");
    const nodes = hwddm.backup.getRestorableDataNodesOutput({
      instanceId: SOURCE,
      targetInstanceId: target.id,
      sourceDataNodeId: SOURCE_DN,
      restoreTime: TIME,
    });
    const plan = hwddm.backup.planRestoreOutput({
      instanceId: SOURCE,
      targetInstanceId: target.id,
      latest: true,
    });
    expect((await resolveOutput(nodes)).known).to.equal(false);
    expect((await resolveOutput(plan)).known).to.equal(false);
    expect(rec.calls).to.deep.equal([]);
  });
});

describe("sdk: the restore functions reach the real plugin", function () {
  let em: TestEmulator;
  let mocks: ForwardingMocks | undefined;

  before(async () => {
    em = await startTestEmulator();
  });

  afterEach(async () => {
    await mocks?.close();
    mocks = undefined;
  });

  after(async () => {
    pulumi.runtime.setAllConfig({}, []);
    await em.close();
  });

  it("which knows their tokens and refuses bad arguments before any request, naming each property", async () => {
    const stack = em.stackConfig();
    mocks = forwardingMocks({ spawn: () => spawnPlugin({ env: {} }), ...stack, preview: false });
    await pulumi.runtime.setMocks(mocks, "project", "stack", false);
    pulumi.runtime.setAllConfig(stack.config, stack.secretKeys);
    const failure = (p: Promise<unknown>) =>
      p.then(
        () => "",
        (e: Error) => e.message,
      );
    const related = await failure(
      hwddm.backup.getRelatedDataNodes({ instanceId: SOURCE } as hwddm.backup.GetRelatedDataNodesArgs),
    );
    expect(related).to.match(/Invoke of 'hwddm:backup:getRelatedDataNodes' failed: .*\(restoreTime\)/);
    const restorable = await failure(
      hwddm.backup.getRestorableDataNodes({
        instanceId: SOURCE,
        targetInstanceId: "a/b",
        sourceDataNodeId: SOURCE_DN,
        restoreTime: "not a time",
      }),
    );
    expect(restorable).to.contain("(targetInstanceId)").and.to.contain("(restoreTime)");
    const plan = await failure(
      hwddm.backup.planRestore({ instanceId: SOURCE, latest: true, at: TIME, dataNodeRelations: [] }),
    );
    expect(plan).to.match(/Invoke of 'hwddm:backup:planRestore' failed: /);
    expect(plan).to.contain("(at)").and.to.contain("(dataNodeRelations)");
    expect(mocks.invokes.map((i) => i.token)).to.deep.equal([
      "hwddm:backup:getRelatedDataNodes",
      "hwddm:backup:getRestorableDataNodes",
      "hwddm:backup:planRestore",
    ]);
    expect(em.emulator.stats().requests).to.equal(0);
  });
});

describe("sdk: the Restore resource under setMocks", () => {
  it("registers hwddm:backup:Restore with its inputs (none secret, pollIntervalSeconds 10 by default) and its outputs come back", async () => {
    const rec = await useRecordingMocks(false, (a) => ({
      id: `${a.name}-id`,
      state: completedState(a.inputs as Record<string, unknown>),
    }));
    const plan = hwddm.backup.planRestoreOutput({ instanceId: SOURCE, latest: true });
    const restore = new hwddm.backup.Restore("orders-restore", {
      instanceId: SOURCE,
      targetInstanceId: plan.targetInstanceId,
      restoreTime: plan.restoreTime,
      dataNodeRelations: plan.dataNodeRelations.apply((rs) =>
        rs.map((r) => ({ sourceInstanceId: r.sourceInstanceId, targetInstanceId: r.targetInstanceId })),
      ),
      region: "ap-southeast-1",
    });
    expect(hwddm.backup.Restore.isInstance(restore)).to.equal(true);
    expect(hwddm.backup.Restore.isInstance(plan)).to.equal(false);
    expect((await resolveOutput(restore.jobId)).value).to.equal("ff80808167a1b2c3d4e5f6a7b8c9d0e1");
    expect((await resolveOutput(restore.status)).value).to.equal("Completed");
    expect((await resolveOutput(restore.endTime)).value).to.equal("2025-05-22T08:12:30.000Z");
    expect((await resolveOutput(restore.plan.targetInstanceName)).value).to.equal(TARGET_NAME);
    expect((await resolveOutput(restore.plan.dataNodeRelations)).value).to.deep.equal([
      {
        sourceInstanceId: SOURCE_DN,
        sourceInstanceName: "orders-dn-1",
        targetInstanceId: TARGET_DN,
        targetInstanceName: "target-dn-1",
      },
    ]);
    expect((await resolveOutput(restore.id)).value).to.equal("orders-restore-id");
    expect(rec.resources).to.have.length(1);
    const registered = rec.resources[0];
    expect(registered.type).to.equal("hwddm:backup:Restore");
    expect(registered.name).to.equal("orders-restore");
    expect(registered.inputs).to.deep.equal({
      instanceId: SOURCE,
      targetInstanceId: TARGET,
      restoreTime: TIME,
      dataNodeRelations: [{ sourceInstanceId: SOURCE_DN, targetInstanceId: TARGET_DN }],
      region: "ap-southeast-1",
      pollIntervalSeconds: 10,
    });
    for (const [k, v] of Object.entries(registered.inputs as Record<string, unknown>))
      expect(isSecretWrapper(v), k).to.equal(false);
    expect((restore as unknown as { __version?: string }).__version).to.equal(packageVersion());
  });

  it("at preview an output the provider does not know yet is unknown, and the given inputs are known", async () => {
    await useRecordingMocks(true, (a) => ({ id: undefined, state: a.inputs as Record<string, unknown> }));
    const restore = new hwddm.backup.Restore("r", {
      instanceId: SOURCE,
      targetInstanceId: TARGET,
      restoreTime: TIME,
      pollIntervalSeconds: 0.5,
    });
    expect((await resolveOutput(restore.targetInstanceId)).value).to.equal(TARGET);
    expect((await resolveOutput(restore.pollIntervalSeconds)).value).to.equal(0.5);
    expect((await resolveOutput(restore.jobId)).known).to.equal(false);
  });

  it("Restore.get reads an existing restore by id (inputs none, id given) and returns its state", async () => {
    const rec = await useRecordingMocks(false, (a) => ({
      id: a.id,
      state: completedState({ instanceId: SOURCE, targetInstanceId: TARGET, restoreTime: TIME }),
    }));
    const got = hwddm.backup.Restore.get("existing", "restore-7");
    expect((await resolveOutput(got.status)).value).to.equal("Completed");
    expect((await resolveOutput(got.targetInstanceId)).value).to.equal(TARGET);
    expect(rec.resources.map((r) => [r.type, r.id, r.custom])).to.deep.equal([
      ["hwddm:backup:Restore", "restore-7", true],
    ]);
  });

  it("a missing required input fails in the program, before any registration", async () => {
    const rec = await useRecordingMocks(false);
    for (const missing of ["instanceId", "targetInstanceId", "restoreTime"]) {
      const args: Record<string, unknown> = {
        instanceId: SOURCE,
        targetInstanceId: TARGET,
        restoreTime: TIME,
      };
      delete args[missing];
      expect(
        () => new hwddm.backup.Restore(`r-${missing}`, args as unknown as hwddm.backup.RestoreArgs),
      ).to.throw(`Missing required property '${missing}'`);
    }
    expect(rec.resources).to.deep.equal([]);
  });
});
