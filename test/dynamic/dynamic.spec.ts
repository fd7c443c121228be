/**
 * The dynamic-provider face (`hwddm/dynamic`): the providers behind `RestorableInstances` and
 * `RestoreTimeIntervals` are serialized for real (the call `pulumi.dynamic.Resource`
 * makes, and the `__provider` a resource actually registers), searched for the secrets in
 * play (none may appear), then evaluated as the engine's dynamic-provider host evaluates
 * them (`require-from-string`: file name "", module paths from the host's working
 * directory) in a program directory whose node_modules/hwddm links to this
 * repository, and run against the emulator.
 */
import { expect } from "chai";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as hwddm from "pulumi-hwddm";
import * as dynamic from "../../dynamic";
import { restorableInstancesProvider, restoreTimeIntervalsProvider } from "../../dynamic";
import {
  dynamicProviderHostDir,
  forwardingMocks,
  loadSerializedModule,
  resolveOutput,
  spawnPlugin,
} from "../support/harness";
import { packageRoot } from "../../provider/plugin/package";
import {
  LATEST_END,
  SOURCE,
  TARGET,
  ScratchProject,
  TestEmulator,
  leakedSecrets,
  scratchProject,
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

/** The program's project directory (hwddm installed), created in before(). */
let program: ScratchProject;

/** Evaluate serialized provider text as the host does, running in the program's directory. */
function evaluate(text: string): Provider {
  return (loadSerializedModule(text, program.dir) as { handler: () => Provider }).handler();
}

/** The dynamic host's config object over `hwddm:` stack config. */
function hostConfig(config: Record<string, string>) {
  return { config: { get: (k: string) => config[k], require: (k: string) => config[k] } };
}

describe("dynamic: hwddm/dynamic resources (serialized provider run for real)", function () {
  let em: TestEmulator;

  before(async () => {
    em = await startTestEmulator();
    program = scratchProject({ installed: true });
  });

  afterEach(() => {
    em.emulator.resetStats();
  });

  after(async () => {
    delete (globalThis as Record<symbol, unknown>)[Symbol.for("pulumi-hwddm.dynamic-provider-config")];
    program.remove();
    await em.close();
  });

  it("the harness evaluates `__provider` as Pulumi's host does: requireFromString(text), file name \"\", module paths of the host's cwd", () => {
    // Pulumi's own host, read from the installed @pulumi/pulumi: if it ever evaluates the
    // text differently, the harness (test/support/harness.ts) must follow.
    const host = fs.readFileSync(path.join(dynamicProviderHostDir(), "index.js"), "utf8");
    expect(host).to.contain('require("require-from-string")');
    expect(host).to.match(/requireFromString\(providerString\)\.handler\(\)/);
    const m = loadSerializedModule(
      "exports.filename = module.filename; exports.paths = module.paths;",
      program.dir,
    ) as { filename: string; paths: string[] };
    expect(m.filename).to.equal("");
    expect(m.paths[0]).to.equal(path.join(program.dir, "node_modules"));
    expect(m.paths.some((p) => p.startsWith(packageRoot()))).to.equal(false);
  });

  it("a serialized provider runs in a fresh host-like process only where the program installed hwddm", async () => {
    const text = (await serialize(restorableInstancesProvider)).text;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hwddm-provider-text-"));
    const textFile = path.join(dir, "provider.js");
    fs.writeFileSync(textFile, text);
    // What the dynamic-provider host does, in a process of its own: chdir to the program,
    // requireFromString(text).handler(), configure, create.
    const script = `
      const fs = require("fs");
      const { loadSerializedModule } = require(${JSON.stringify(path.join(packageRoot(), "dist", "test", "support", "harness.js"))});
      const provider = loadSerializedModule(fs.readFileSync(process.argv[1], "utf8"), process.cwd()).handler();
      provider
        .configure({ config: { get: () => undefined } })
        .then(() => provider.create({ instanceId: ${JSON.stringify(SOURCE)} }))
        .then((r) => ({ total: r.outs.total }), (e) => ({ error: e.message }))
        // Exit at once: the client's keep-alive connections would hold the process open.
        .then((answer) => process.stdout.write(JSON.stringify(answer), () => process.exit(0)));`;
    // Asynchronously: the emulator answering the child lives in this process.
    const run = (cwd: string) =>
      new Promise<{ total?: number; error?: string }>((resolve, reject) => {
        const child = spawn(process.execPath, ["-e", script, textFile], {
          cwd,
          env: { PATH: process.env.PATH, ...em.env("token") },
          stdio: ["ignore", "pipe", "pipe"],
        });
        let out = "";
        let err = "";
        child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
        child.stderr.setEncoding("utf8").on("data", (d: string) => (err += d));
        child.once("error", reject);
        child.once("close", (code) => {
          if (code !== 0) reject(new Error(`exit ${code}: ${err}`));
          else resolve(JSON.parse(out) as { total?: number; error?: string });
        });
      });
    const elsewhere = scratchProject({ installed: false });
    try {
      expect(await run(program.dir)).to.deep.equal({ total: 5 });
      const missing = await run(elsewhere.dir);
      expect(missing.error).to.match(/Cannot find module 'hwddm\/package.json'/);
    } finally {
      elsewhere.remove();
      fs.rmSync(dir, { recursive: true, force: true });
    }
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
          expect(sf.text).to.contain('require.resolve("hwddm/package.json")');
          expect(sf.text).not.to.contain(packageRoot());
        }
      },
    );
    pulumi.runtime.setAllConfig({}, []);
  });

  it("registers a `__provider` free of credentials when a resource is created in a program", async () => {
    const stack = em.stackConfig("token");
    const mocks = forwardingMocks({
      spawn: () => spawnPlugin({ env: {} }),
      ...stack,
      preview: false,
      programDir: program.dir,
    });
    try {
      await pulumi.runtime.setMocks(mocks, "project", "stack", false);
      pulumi.runtime.setAllConfig(stack.config, stack.secretKeys);
      const r = new dynamic.RestorableInstances("candidates", {
        instanceId: SOURCE,
        availableOnly: true,
      });
      const w = new dynamic.RestoreTimeIntervals("windows", { instanceId: SOURCE });
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

  it("reports no diff for state whose object keys come back sorted, as the engine returns them (found by `pulumi up --expect-no-changes`)", async () => {
    const provider = evaluate((await serialize(restoreTimeIntervalsProvider)).text);
    await provider.configure(hostConfig(em.stackConfig("token").config));
    const inputs = { instanceId: SOURCE };
    const created = await provider.create(inputs);
    const sortKeys = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(sortKeys)
        : v !== null && typeof v === "object"
          ? Object.fromEntries(
              Object.entries(v as Record<string, unknown>)
                .sort(([a], [b]) => (a < b ? -1 : 1))
                .map(([k, x]) => [k, sortKeys(x)]),
            )
          : v;
    const fromState = sortKeys(created.outs) as typeof created.outs;
    expect(JSON.stringify(fromState)).not.to.equal(JSON.stringify(created.outs));
    expect(await provider.diff(created.id, fromState, inputs)).to.deep.equal({ changes: false });
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
    const mocks = forwardingMocks({
      spawn: () => spawnPlugin({ env: {} }),
      ...stack,
      preview: true,
      programDir: program.dir,
    });
    try {
      await pulumi.runtime.setMocks(mocks, "project", "stack", true);
      pulumi.runtime.setAllConfig(stack.config, stack.secretKeys);
      const read = new dynamic.RestoreTimeIntervals(
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
