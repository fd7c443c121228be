/**
 * The dynamic-provider face: the providers behind `backup.RestorableInstances` and
 * `backup.RestoreTimeIntervals` are serialized for real (the call `pulumi.dynamic.Resource`
 * makes, and the `__provider` a resource actually registers), searched for the secrets in
 * play (none may appear), then evaluated as the engine's dynamic-provider host evaluates
 * them and run against the emulator.
 */
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import * as hwddm from "../../sdk";
import { restorableInstancesProvider, restoreTimeIntervalsProvider } from "../../sdk/backup/dynamic";
import {
  forwardingMocks,
  loadSerializedModule,
  resolveOutput,
  spawnPlugin,
} from "../../examples/harness";
import { packageRoot } from "../../provider/plugin/package";
import {
  LATEST_END,
  SOURCE,
  TARGET,
  TestEmulator,
  leakedSecrets,
  startTestEmulator,
} from "../plugin/helpers";

type Provider = Required<pulumi.dynamic.ResourceProvider>;

/** Set environment variables for the duration of `fn`, then restore them. */
async function withEnv<T>(vars: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved: Record<string, string | undefined> = {};
  for (const k of Object.keys(vars)) saved[k] = process.env[k];
  Object.assign(process.env, vars);
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

async function serialize(provider: pulumi.dynamic.ResourceProvider) {
  return pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
}

function evaluate(text: string): Provider {
  return (loadSerializedModule(text) as { handler: () => Provider }).handler();
}

/** The dynamic host's config object over `hwddm:` stack config. */
function hostConfig(config: Record<string, string>) {
  return { config: { get: (k: string) => config[k], require: (k: string) => config[k] } };
}

describe("sdk: dynamic resources (serialized provider run for real)", function () {
  let em: TestEmulator;

  before(async () => {
    em = await startTestEmulator();
  });

  afterEach(() => {
    em.emulator.resetStats();
  });

  after(async () => {
    delete (globalThis as Record<symbol, unknown>)[Symbol.for("pulumi-hwddm.dynamic-provider-config")];
    await em.close();
  });

  it("serializes both providers without any credential, even with credentials in the environment and stack config", async () => {
    const stack = em.stackConfig("password");
    pulumi.runtime.setAllConfig(stack.config, stack.secretKeys);
    await withEnv(
      { ...em.env("aksk", {}), HW_AUTH_TOKEN: em.secrets.token, HW_PASSWORD: em.secrets.password },
      async () => {
        for (const provider of [restorableInstancesProvider, restoreTimeIntervalsProvider]) {
          // Even configured in this very process (as the host configures its copy), nothing leaks.
          await provider.configure!({ config: { get: (k: string) => stack.config[k], require: () => "" } });
          const sf = await serialize(provider);
          expect(sf.containsSecrets).to.equal(false);
          expect(leakedSecrets(sf.text, em.secretValues)).to.deep.equal([]);
          expect(sf.text).to.contain('require("pulumi-hwddm/provider")');
          expect(sf.text).not.to.contain(packageRoot());
        }
      },
    );
    pulumi.runtime.setAllConfig({}, []);
  });

  it("registers a `__provider` free of credentials when a resource is created in a program", async () => {
    const stack = em.stackConfig("token");
    const mocks = forwardingMocks({ spawn: () => spawnPlugin({ env: {} }), ...stack, preview: false });
    try {
      await pulumi.runtime.setMocks(mocks, "project", "stack", false);
      pulumi.runtime.setAllConfig(stack.config, stack.secretKeys);
      const r = new hwddm.backup.RestorableInstances("candidates", {
        instanceId: SOURCE,
        availableOnly: true,
      });
      const w = new hwddm.backup.RestoreTimeIntervals("windows", { instanceId: SOURCE });
      expect((await resolveOutput(r.instances)).value).to.have.length(3);
      expect((await resolveOutput(w.latestRestorableTime)).value).to.equal(LATEST_END);
      expect((await resolveOutput(r.id)).value).to.contain(SOURCE);
      const registered = mocks.resources.filter((x) => x.type.startsWith("pulumi-nodejs:dynamic"));
      expect(registered.map((x) => x.type)).to.have.members([
        "pulumi-nodejs:dynamic/backup:RestorableInstances",
        "pulumi-nodejs:dynamic/backup:RestoreTimeIntervals",
      ]);
      for (const x of registered) {
        expect(typeof x.inputs.__provider).to.equal("string");
        expect(leakedSecrets(x.inputs.__provider, em.secretValues)).to.deep.equal([]);
      }
    } finally {
      await mocks.close();
      pulumi.runtime.setAllConfig({}, []);
    }
  });

  it("evaluated as the host does, creates, reads, diffs, updates and deletes against the emulator (config from configure)", async () => {
    const provider = evaluate((await serialize(restorableInstancesProvider)).text);
    await provider.configure(hostConfig(em.stackConfig("token").config));
    const inputs = { instanceId: SOURCE, availableOnly: true };

    const created = await provider.create(inputs);
    expect(created.id).to.contain(SOURCE);
    expect(created.outs.instances.map((i: { instanceId: string }) => i.instanceId)[0]).to.equal(TARGET);
    expect(created.outs.total).to.equal(5);
    expect(created.outs).not.to.have.property("id");

    const read = await provider.read(created.id, created.outs);
    expect(read).to.deep.equal({ id: created.id, props: created.outs });
    const readFromInputs = await provider.read("chosen-id", inputs);
    expect(readFromInputs.id).to.equal("chosen-id");
    expect(readFromInputs.props!.instances).to.deep.equal(created.outs.instances);

    expect(await provider.diff(created.id, created.outs, inputs)).to.deep.equal({ changes: false });
    expect(await provider.diff(created.id, created.outs, { instanceId: SOURCE })).to.deep.equal({
      changes: true,
      replaces: ["availableOnly"],
      deleteBeforeReplace: false,
    });

    const updated = await provider.update(created.id, created.outs, inputs);
    expect(updated.outs).to.deep.equal(created.outs);

    const before = em.emulator.stats().requests;
    await provider.delete(created.id, created.outs);
    expect(em.emulator.stats().requests).to.equal(before);
  });

  it("reports a diff only when the live answer changed", async () => {
    const provider = evaluate((await serialize(restorableInstancesProvider)).text);
    await provider.configure(hostConfig(em.stackConfig("token").config));
    const inputs = { instanceId: SOURCE };
    const created = await provider.create(inputs);
    const original = em.emulator.data();
    try {
      expect((await provider.diff(created.id, created.outs, inputs)).changes).to.equal(false);
      const changed = em.emulator.data();
      changed.projects[0].instances[0].restorableInstances.pop();
      em.emulator.setData(changed);
      expect((await provider.diff(created.id, created.outs, inputs)).changes).to.equal(true);
      const refreshed = await provider.update(created.id, created.outs, inputs);
      expect(refreshed.outs.total).to.equal(4);
    } finally {
      em.emulator.setData(original);
    }
  });

  it("runs from the environment alone when the host passes no hwddm config", async () => {
    const provider = evaluate((await serialize(restoreTimeIntervalsProvider)).text);
    await provider.configure(hostConfig({}));
    const created = await withEnv(em.env("aksk"), () =>
      provider.create({ instanceId: SOURCE, restoreTime: "2025-05-21T11:15:43Z" }),
    );
    expect(created.outs).to.include({
      latestRestorableTime: LATEST_END,
      restoreTimeRestorable: true,
      total: 3,
    });
    expect(em.emulator.stats().byAuth.aksk).to.be.greaterThan(0);
  });

  it("fails a create with bad arguments with the core's ValidationError, before any request", async () => {
    const provider = evaluate((await serialize(restorableInstancesProvider)).text);
    await provider.configure(hostConfig(em.stackConfig("token").config));
    const err = await provider.create({ instanceId: "a/b" }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(hwddm.ValidationError.isInstance(err)).to.equal(true);
    expect(em.emulator.stats().requests).to.equal(0);
  });

  it("reads at preview with known values when given { id }", async () => {
    const stack = em.stackConfig("token");
    const mocks = forwardingMocks({ spawn: () => spawnPlugin({ env: {} }), ...stack, preview: true });
    try {
      await pulumi.runtime.setMocks(mocks, "project", "stack", true);
      pulumi.runtime.setAllConfig(stack.config, stack.secretKeys);
      const read = new hwddm.backup.RestoreTimeIntervals(
        "windows",
        { instanceId: SOURCE },
        { id: "windows-of-source" },
      );
      const latest = await resolveOutput(read.latestRestorableTimeEpochMs);
      expect(latest).to.deep.equal({ value: Date.parse(LATEST_END), known: true, secret: false });
      expect(mocks.invokes).to.deep.equal([]);
    } finally {
      await mocks.close();
      pulumi.runtime.setAllConfig({}, []);
    }
  });
});
