/**
 * The SDK's functions, `Provider` and `config`, run under `pulumi.runtime.setMocks` whose
 * `call` forwards every invoke over gRPC to the real plugin (configured from the stack
 * config with CheckConfig + Configure, as the engine does), at preview and at update,
 * against the emulator.
 */
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import * as hwddm from "pulumi-hwddm";
import { CONFIG_DEFAULTS, ENV_NAMES } from "../../provider/config";
import { packageRoot, packageVersion } from "../../provider/plugin/package";
import { ForwardingMocks, forwardingMocks, resolveOutput, spawnPlugin } from "../support/harness";
import { SECRET_SIG_KEY, isSecretWrapper } from "../../provider/secret-wire";
import {
  LATEST_END,
  SOURCE,
  TARGET,
  TestEmulator,
  leakedSecrets,
  startTestEmulator,
} from "../plugin/helpers";

/** What the resource monitor receives with each invoke: token, plugin version and provider reference. */
interface SeenInvoke {
  tok: string;
  version: string;
  provider: string;
}

/** Record every invoke request the (mock) resource monitor receives, before it answers it. */
function recordInvokeRequests(): SeenInvoke[] {
  type Request = { getTok(): string; getVersion(): string; getProvider(): string };
  const monitor = pulumi.runtime.getMonitor() as unknown as {
    invoke(req: Request, callback: unknown): unknown;
  };
  const seen: SeenInvoke[] = [];
  const original = monitor.invoke.bind(monitor);
  monitor.invoke = (req, callback) => {
    seen.push({ tok: req.getTok(), version: req.getVersion(), provider: req.getProvider() });
    return original(req, callback);
  };
  return seen;
}

/** Clear every environment variable the config vars read for the duration of `fn`, with `vars` set. */
function withConfigEnv<T>(vars: Record<string, string>, fn: () => T): T {
  const names = Object.values(ENV_NAMES).flat();
  const saved: Record<string, string | undefined> = {};
  for (const k of names) {
    saved[k] = process.env[k];
    delete process.env[k];
  }
  Object.assign(process.env, vars);
  try {
    return fn();
  } finally {
    for (const k of [...names, ...Object.keys(vars)]) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  }
}

describe("sdk: functions, Provider and config under setMocks forwarding to the plugin", function () {
  let em: TestEmulator;
  let mocks: ForwardingMocks | undefined;

  before(async () => {
    em = await startTestEmulator();
  });

  afterEach(async () => {
    await mocks?.close();
    mocks = undefined;
    em.emulator.resetStats();
  });

  after(async () => {
    pulumi.runtime.setAllConfig({}, []);
    await em.close();
  });

  /** Mocks + runtime set for one run; the plugin gets only what the engine would give it. */
  async function use(
    preview: boolean,
    stack: { config: Record<string, string>; secretKeys: string[] } = em.stackConfig(),
    wrap?: (m: ForwardingMocks) => pulumi.runtime.Mocks,
  ): Promise<ForwardingMocks> {
    mocks = forwardingMocks({ spawn: () => spawnPlugin({ env: {} }), ...stack, preview });
    await pulumi.runtime.setMocks(wrap ? wrap(mocks) : mocks, "project", "stack", preview);
    pulumi.runtime.setAllConfig(stack.config, stack.secretKeys);
    return mocks;
  }

  for (const preview of [true, false]) {
    const phase = preview ? "preview" : "update";

    it(`getRestorableInstances (Promise form) answers with the plugin's result at ${phase}`, async () => {
      const m = await use(preview);
      const r = await hwddm.backup.getRestorableInstances({ instanceId: SOURCE, availableOnly: true });
      expect(r.instanceId).to.equal(SOURCE);
      expect(r.total).to.equal(5);
      expect(r.instances.map((i) => i.available)).to.deep.equal([true, true, true]);
      expect(r.instances[0].instanceId).to.equal(TARGET);
      expect(m.invokes.map((i) => i.token)).to.deep.equal(["hwddm:backup:getRestorableInstances"]);
      expect(m.plugins).to.have.length(1);
    });

    it(`getRestoreTimeIntervalsOutput (Output form) is known at ${phase}`, async () => {
      await use(preview);
      const out = hwddm.backup.getRestoreTimeIntervalsOutput({
        instanceId: pulumi.output(SOURCE),
        restoreTime: "2025-05-20T10:00:00Z",
      });
      const r = await resolveOutput(out);
      expect(r.known).to.equal(true);
      expect(r.value).to.include({
        latestRestorableTime: LATEST_END,
        restoreTimeRestorable: true,
        restoreTimeEpochMs: Date.parse("2025-05-20T10:00:00Z"),
      });
      const latest = await resolveOutput(out.latestRestorableTimeEpochMs);
      expect(latest.value).to.equal(Date.parse(LATEST_END));
    });
  }

  it("an input another resource has not produced yet (preview) makes the Output unknown, with no invoke", async () => {
    const m = await use(true, em.stackConfig(), (inner) => ({
      call: (a) => inner.call(a),
      newResource: (a) =>
        a.type === "test:index:Source" ? { id: undefined, state: {} } : inner.newResource(a),
    }));
    class Source extends pulumi.CustomResource {
      constructor(name: string) {
        super("test:index:Source", name, { name: "orders" });
      }
    }
    const source = new Source("source");
    const out = hwddm.backup.getRestorableInstancesOutput({ instanceId: source.id });
    const fromUnknown = hwddm.backup.getRestoreTimeIntervalsOutput({
      instanceId: pulumi.output(pulumi.unknown) as pulumi.Output<string>,
    });
    expect((await resolveOutput(out)).known).to.equal(false);
    expect((await resolveOutput(fromUnknown)).known).to.equal(false);
    expect(m.invokes).to.deep.equal([]);
  });

  it("bad arguments fail with the invoke failures (property and reason) as the message", async () => {
    await use(false);
    let message = "";
    try {
      await hwddm.backup.getRestorableInstances({ instanceId: "a/b", offset: -1 });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).to.match(/Invoke of 'hwddm:backup:getRestorableInstances' failed: .*\(instanceId\)/);
    expect(message).to.contain("(offset)");
    expect(em.emulator.stats().requests).to.equal(0);
  });

  it("an API error reaches the program with its HTTP status, error_code and request id", async () => {
    await use(false);
    const out = hwddm.backup.getRestoreTimeIntervalsOutput({ instanceId: "no-such-instance" });
    const err = await resolveOutput(out).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).to.contain("HTTP 404").and.to.contain("DBS.280214");
    expect(err?.message).to.contain(em.emulator.stats().lastRequests.at(-1)!.id);
  });

  for (const preview of [true, false]) {
    it(`selectRestoreTarget and selectRestoreTimeOutput answer with the provider's choice at ${preview ? "preview" : "update"}`, async () => {
      const m = await use(preview);
      const chosen = await hwddm.backup.selectRestoreTarget({
        instanceId: SOURCE,
        vpcName: "vpc-analytics-10",
      });
      expect(chosen.target.instanceName).to.equal("ddm-analytics");
      expect(chosen.total).to.equal(5);
      const time = hwddm.backup.selectRestoreTimeOutput({
        instanceId: pulumi.output(SOURCE),
        latest: true,
        marginSeconds: 90,
      });
      expect(await resolveOutput(time.epochMs)).to.deep.equal({
        value: Date.parse(LATEST_END) - 90_000,
        known: true,
        secret: false,
      });
      const target = hwddm.backup.selectRestoreTargetOutput({ instanceId: SOURCE });
      expect((await resolveOutput(target.target.instanceId)).value).to.equal(TARGET);
      expect(m.invokes.map((i) => i.token)).to.deep.equal([
        "hwddm:backup:selectRestoreTarget",
        "hwddm:backup:selectRestoreTime",
        "hwddm:backup:selectRestoreTarget",
      ]);
    });
  }

  it("a selection nothing fits fails the program with the provider's message: every candidate, every window", async () => {
    await use(false);
    const err = await hwddm.backup.selectRestoreTarget({ instanceId: SOURCE, nameRegex: "^no-such-" }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).to.contain(
      'no available restore target matching nameRegex "^no-such-" among 5 candidates:',
    );
    expect(err?.message).to.contain('unavailableReason "The instance is frozen."');
    expect(err?.message).to.contain('"ddm-analytics" ("e7b3d5f1a9c24e8b9d0f1a2b3c4d5e6fin09")');
    const out = hwddm.backup.selectRestoreTimeOutput({ instanceId: SOURCE, at: "2025-05-22T00:00:00Z" });
    const late = await resolveOutput(out).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(late?.message).to.contain("2025-05-22T00:00:00.000Z is not restorable: the restore windows are");
    expect(late?.message).to.contain("2025-05-20T09:40:40.000Z .. 2025-05-21T11:15:43.000Z");
  });

  it("secret stack config (hwddm:authToken) reaches the plugin through Configure, never its environment or output", async () => {
    const stack = em.stackConfig("token");
    expect(stack.secretKeys).to.deep.equal(["hwddm:authToken"]);
    const m = await use(false, stack);
    const r = await hwddm.backup.getRestorableInstances({ instanceId: SOURCE });
    expect(r.instances).to.have.length(5);
    expect(em.emulator.stats().byAuth.token).to.equal(1);
    expect(hwddm.config.region).to.equal(em.emulator.credentials.region);
    await m.close();
    expect(leakedSecrets(m.plugins[0].stderr() + m.plugins[0].stdout(), em.secretValues)).to.deep.equal([]);
  });

  it("an explicit Provider sends its secret inputs as secrets, and invokes through it use its own config", async () => {
    // The default provider has token auth; the explicit one AK/SK.
    const m = await use(false);
    const c = em.config("aksk");
    const provider = new hwddm.Provider("aksk", {
      region: c.region,
      projectId: c.projectId,
      endpoint: c.endpoint,
      authUrl: c.authUrl,
      accessKey: c.accessKey,
      secretKey: pulumi.output(c.secretKey as string),
      maxRetries: 0,
    });
    const viaProvider = await resolveOutput(
      hwddm.backup.getRestoreTimeIntervalsOutput({ instanceId: SOURCE }, { provider }),
    );
    const viaDefault = await hwddm.backup.getRestoreTimeIntervals({ instanceId: SOURCE });
    expect((viaProvider.value as { latestRestorableTime: string }).latestRestorableTime).to.equal(LATEST_END);
    expect(viaDefault.latestRestorableTime).to.equal(LATEST_END);
    const registered = m.resources.find((r) => r.type === "pulumi:providers:hwddm")!;
    expect(isSecretWrapper(registered.inputs.secretKey)).to.equal(true);
    expect(registered.inputs.secretKey.value).to.equal(c.secretKey);
    expect(registered.inputs.accessKey).to.equal(c.accessKey);
    // Non-string provider inputs travel as JSON text, as in every generated Pulumi SDK.
    expect(registered.inputs.maxRetries).to.equal("0");
    // Only what was given: nothing read from the program's environment (the plugin reads it).
    expect(Object.keys(registered.inputs).sort()).to.deep.equal(
      ["accessKey", "authUrl", "endpoint", "maxRetries", "projectId", "region", "secretKey"].sort(),
    );
    expect((provider as unknown as { __version?: string }).__version).to.equal(packageVersion());
    expect(m.plugins).to.have.length(2);
    expect(em.emulator.stats().byAuth).to.include({ aksk: 1, token: 1 });
    expect(Object.keys(registered.inputs)).not.to.include(SECRET_SIG_KEY);
  });

  it("an explicit Provider with bad config fails its invokes with the failures naming the key", async () => {
    await use(false);
    const provider = new hwddm.Provider("bad", { region: "Not A Region", maxRetries: 99 });
    const err = await hwddm.backup.getRestorableInstances({ instanceId: SOURCE }, { provider }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).to.contain("region").and.to.contain("maxRetries");
  });

  it("every invoke request reaching the monitor carries the package version, and the explicit provider's reference when given", async () => {
    await use(false);
    const seen = recordInvokeRequests();
    const c = em.config("token");
    const provider = new hwddm.Provider("explicit", {
      region: c.region,
      projectId: c.projectId,
      endpoint: c.endpoint,
      authToken: c.authToken,
    });
    await hwddm.backup.getRestorableInstances({ instanceId: SOURCE });
    await hwddm.backup.getRestorableInstances({ instanceId: SOURCE }, { provider });
    await resolveOutput(hwddm.backup.getRestorableInstancesOutput({ instanceId: SOURCE }, { provider }));
    await hwddm.backup.getRestoreTimeIntervals({ instanceId: SOURCE }, { provider });
    await resolveOutput(hwddm.backup.getRestoreTimeIntervalsOutput({ instanceId: SOURCE }));
    await hwddm.backup.getRestoreTimeIntervals({ instanceId: SOURCE }, { version: "9.9.9" });
    const ref = `${(await resolveOutput(provider.urn)).value as string}::${(await resolveOutput(provider.id)).value as string}`;
    const ri = "hwddm:backup:getRestorableInstances";
    const ti = "hwddm:backup:getRestoreTimeIntervals";
    const v = packageVersion();
    expect(seen).to.deep.equal([
      { tok: ri, version: v, provider: "" },
      { tok: ri, version: v, provider: ref },
      { tok: ri, version: v, provider: ref },
      { tok: ti, version: v, provider: ref },
      { tok: ti, version: v, provider: "" },
      { tok: ti, version: "9.9.9", provider: "" },
    ]);
  });

  it("config vars: `hwddm:` stack config, then the environment in the schema's order", () => {
    pulumi.runtime.setAllConfig(
      { "hwddm:region": "cn-north-4", "hwddm:maxRetries": "2", "hwddm:insecure": "true" },
      [],
    );
    withConfigEnv(
      {
        HW_REGION_NAME: "ap-southeast-3",
        HW_PROJECT_ID: "",
        HUAWEICLOUD_SDK_PROJECT_ID: "from-sdk-env",
        HWDDM_REQUEST_TIMEOUT: "12",
      },
      () => {
        expect(hwddm.config.region).to.equal("cn-north-4");
        expect(hwddm.config.maxRetries).to.equal(2);
        expect(hwddm.config.insecure).to.equal(true);
        expect(hwddm.config.projectId).to.equal("from-sdk-env");
        expect(hwddm.config.requestTimeout).to.equal(12);
        expect(hwddm.config.userName).to.equal(undefined);
      },
    );
    pulumi.runtime.setAllConfig({}, []);
  });

  it("config vars fall back to the core's CONFIG_DEFAULTS when a key is set nowhere", () => {
    pulumi.runtime.setAllConfig({}, []);
    withConfigEnv({}, () => {
      expect({
        maxRetries: hwddm.config.maxRetries,
        requestTimeout: hwddm.config.requestTimeout,
        invokeTimeout: hwddm.config.invokeTimeout,
        maxRecords: hwddm.config.maxRecords,
        insecure: hwddm.config.insecure,
      }).to.deep.equal(CONFIG_DEFAULTS);
      expect(CONFIG_DEFAULTS).to.deep.equal({
        maxRetries: 4,
        requestTimeout: 30,
        invokeTimeout: 300,
        maxRecords: 100_000,
        insecure: false,
      });
      expect(hwddm.config.region).to.equal(undefined);
      expect(hwddm.config.authToken).to.equal(undefined);
    });
  });
});

describe("sdk: the package's public exports", () => {
  it("exports the backup functions, the Restore resource, Provider, config, selection helpers, errors, tokens and version", () => {
    const pkg = require("pulumi-hwddm") as typeof hwddm;
    expect(pkg).to.equal(hwddm);
    expect(Object.keys(pkg.backup).sort()).to.deep.equal(
      [
        "Restore",
        "getRelatedDataNodes",
        "getRelatedDataNodesOutput",
        "getRestorableDataNodes",
        "getRestorableDataNodesOutput",
        "planRestore",
        "planRestoreOutput",
        "getRestorableInstances",
        "getRestorableInstancesOutput",
        "getRestoreTimeIntervals",
        "getRestoreTimeIntervalsOutput",
        "selectRestoreTarget",
        "selectRestoreTargetOutput",
        "selectRestoreTime",
        "selectRestoreTimeOutput",
      ].sort(),
    );
    for (const name of [
      "Provider",
      "selectRestoreTarget",
      "selectRestoreTime",
      "HwddmError",
      "ValidationError",
      "ConfigurationError",
      "ApiError",
      "NetworkError",
      "ResponseError",
      "SelectionError",
      "getVersion",
    ]) {
      expect(typeof (pkg as Record<string, unknown>)[name], name).to.equal("function");
    }
    expect(pkg.TOKENS).to.deep.equal({
      getRestorableInstances: "hwddm:backup:getRestorableInstances",
      getRestoreTimeIntervals: "hwddm:backup:getRestoreTimeIntervals",
      selectRestoreTarget: "hwddm:backup:selectRestoreTarget",
      selectRestoreTime: "hwddm:backup:selectRestoreTime",
      getRelatedDataNodes: "hwddm:backup:getRelatedDataNodes",
      getRestorableDataNodes: "hwddm:backup:getRestorableDataNodes",
      planRestore: "hwddm:backup:planRestore",
    });
    expect(pkg.RESOURCE_TOKENS).to.deep.equal({ restore: "hwddm:backup:Restore" });
    expect((pkg.backup.Restore as unknown as { __pulumiType: string }).__pulumiType).to.equal(
      "hwddm:backup:Restore",
    );
    expect(pkg.getVersion()).to.equal(packageVersion());
    expect(Object.keys(pkg.config)).to.include.members(["region", "authToken", "maxRetries", "insecure"]);
  });

  it("exports no internals: neither `pulumi-hwddm/provider` nor `hwddm/provider` resolves, nor the secret registry's controls", () => {
    // The overlay re-exports the core's errors from the SDK's copy of provider/errors.ts.
    const coreErrors = require("pulumi-hwddm/bin/core/errors") as Record<string, unknown>;
    for (const internal of ["clearRegisteredSecrets", "registerSecret", "redactSecrets", "closeClients"]) {
      expect(hwddm, internal).to.not.have.property(internal);
      if (internal === "clearRegisteredSecrets") expect(coreErrors, internal).to.not.have.property(internal);
    }
    for (const request of ["pulumi-hwddm/provider", "hwddm/provider"]) {
      expect(() => require.resolve(request, { paths: [packageRoot()] }), request).to.throw(
        /not defined by "exports"|Cannot find module/,
      );
    }
    expect(require.resolve("hwddm/testing", { paths: [packageRoot()] })).to.match(
      /dist[\\/]testing[\\/]index\.js$/,
    );
  });

  it("selection helpers work on SDK results and throw the package's SelectionError", () => {
    const result = {
      instances: [
        {
          instanceId: "a",
          instanceName: "x",
          status: "normal",
          available: false,
          unavailableReason: "frozen",
          vpcName: "v",
        },
      ],
    };
    expect(() => hwddm.selectRestoreTarget(result)).to.throw(hwddm.SelectionError, /frozen/);
    const t = hwddm.selectRestoreTime(
      { intervals: [{ startTime: "", endTime: "", startTimeEpochMs: 1000, endTimeEpochMs: 5000 }] },
      { latest: true, marginSeconds: 1 },
    );
    expect(t).to.deep.equal({ time: "1970-01-01T00:00:04.000Z", epochMs: 4000 });
  });
});
