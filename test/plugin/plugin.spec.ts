/**
 * The plugin executable, spawned and driven over real gRPC the way the Pulumi engine does:
 * start-up contract, GetPluginInfo, GetSchema, CheckConfig, DiffConfig, Configure, Invoke,
 * Cancel, the calls it does not implement, and shutdown. Everything runs against the
 * emulator on loopback; the plugin's environment comes only from the test.
 */
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import { packageRoot, packageVersion, schemaPath } from "../../provider/plugin/package";
import { PluginProcess, spawnPlugin } from "../support/harness";
import { UNKNOWN_VALUE } from "../../provider/plugin/protocol";
import { SECRET_SIG_KEY, SECRET_SIG_VALUE, wrapSecret } from "../../provider/secret-wire";
import { TOKENS } from "../../provider/types";
import {
  EMPTY_SOURCE,
  LATEST_END,
  SOURCE,
  TARGET,
  TestEmulator,
  leakedSecrets,
  startTestEmulator,
} from "./helpers";

const MAIN_JS = path.join(packageRoot(), "dist", "provider", "plugin", "main.js");

function grpcError(p: Promise<unknown>): Promise<grpc.ServiceError> {
  return p.then(
    () => {
      throw new Error("expected the call to fail");
    },
    (e: grpc.ServiceError) => e,
  );
}

describe("plugin: pulumi-resource-hwddm over gRPC", function () {
  let em: TestEmulator;
  const plugins: PluginProcess[] = [];

  /** Spawn a plugin (closed in afterEach) with exactly this environment. */
  async function plugin(env: Record<string, string> = {}, args?: string[]): Promise<PluginProcess> {
    const p = await spawnPlugin({ env, args });
    plugins.push(p);
    return p;
  }

  before(async () => {
    em = await startTestEmulator();
  });

  afterEach(async () => {
    await Promise.all(plugins.splice(0).map((p) => p.close()));
    em.emulator.setFaults([]);
    em.emulator.resetStats();
  });

  after(async () => {
    await em.close();
  });

  describe("start-up", () => {
    it("prints its port and a newline as the only stdout, with the engine address and logging flags", async () => {
      const p = await plugin(em.env(), [
        "127.0.0.1:50123",
        "--logtostderr",
        "-v=9",
        "--tracing",
        "file:/dev/null",
      ]);
      expect(p.port).to.be.greaterThan(0);
      await p.client.getPluginInfo();
      const r = await p.client.invoke(TOKENS.getRestorableInstances, { instanceId: SOURCE });
      expect(r.failures).to.deep.equal([]);
      await p.close();
      expect(p.stdout()).to.equal(`${p.port}\n`);
      expect(p.stderr()).to.contain("Invoke hwddm:backup:getRestorableInstances: ok");
    });

    it("bin/ runs the bundle npm run build made, unless it is missing or older than dist/", () => {
      // A copy of bin/pulumi-resource-hwddm over a fake dist/ whose two entry points say which ran.
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hwddm-bin-"));
      try {
        fs.mkdirSync(path.join(dir, "bin"));
        fs.copyFileSync(
          path.join(packageRoot(), "bin", "pulumi-resource-hwddm"),
          path.join(dir, "bin", "pulumi-resource-hwddm"),
        );
        const main = path.join(dir, "dist", "provider", "plugin", "main.js");
        const bundle = path.join(dir, "dist", "plugin-bundle", "pulumi-resource-hwddm.js");
        fs.mkdirSync(path.dirname(main), { recursive: true });
        fs.mkdirSync(path.dirname(bundle), { recursive: true });
        fs.writeFileSync(main, 'exports.run = () => process.stdout.write("dist");\n');
        const ran = () =>
          spawnSync(process.execPath, [path.join(dir, "bin", "pulumi-resource-hwddm")], { encoding: "utf8" })
            .stdout;
        expect(ran()).to.equal("dist");
        fs.copyFileSync(
          path.join(packageRoot(), "dist", "plugin-bundle", "launch.js"),
          path.join(path.dirname(bundle), "launch.js"),
        );
        fs.writeFileSync(bundle, 'process.stdout.write("bundle");\n');
        const t = Date.now() / 1000;
        fs.utimesSync(main, t - 10, t - 10);
        fs.utimesSync(bundle, t, t);
        expect(ran()).to.equal("bundle");
        // dist/ rebuilt by tsc alone, after the bundle: the bundle is stale.
        fs.utimesSync(main, t + 10, t + 10);
        expect(ran()).to.equal("dist");
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it("starts without loading @pulumi/pulumi's main index or the core's HTTP and schema libraries", () => {
      const script = `
        const m = require(${JSON.stringify(MAIN_JS)});
        const write = process.stdout.write.bind(process.stdout);
        process.stdout.write = () => true;
        m.main([]).then(() => {
          write(JSON.stringify(Object.keys(require.cache)));
          process.exit(0);
        });`;
      const r = spawnSync(process.execPath, ["-e", script], {
        encoding: "utf8",
        env: { PATH: process.env.PATH },
      });
      expect(r.status, r.stderr).to.equal(0);
      const loaded = JSON.parse(r.stdout) as string[];
      expect(loaded.some((f) => f.includes(`${path.sep}provider_grpc_pb.js`))).to.equal(true);
      const heavy = loaded.filter((f) =>
        /@pulumi[\\/]pulumi[\\/]index\.js$|[\\/]node_modules[\\/](axios|zod)[\\/]|[\\/]provider[\\/]functions[\\/]/.test(
          f,
        ),
      );
      expect(heavy).to.deep.equal([]);
    });

    it("exits with code 0 on SIGTERM", async () => {
      const p = await plugin(em.env());
      p.kill("SIGTERM");
      expect(await p.exited).to.deep.equal({ code: 0, signal: null });
    });

    it("exits with code 0 on SIGTERM at once, failing an invoke still waiting on the API", async () => {
      const p = await plugin(em.env());
      em.emulator.setFaults([{ kind: "stall", route: "restorable-instances" }]);
      const pending = grpcError(p.client.invoke(TOKENS.getRestorableInstances, { instanceId: SOURCE }));
      for (let i = 0; i < 500 && em.emulator.stats().byRoute["restorable-instances"] === 0; i++) {
        await new Promise((r) => setTimeout(r, 5));
      }
      const t0 = Date.now();
      p.kill("SIGTERM");
      expect(await p.exited).to.deep.equal({ code: 0, signal: null });
      expect(Date.now() - t0).to.be.lessThan(1500);
      expect((await pending).code).to.be.oneOf([grpc.status.CANCELLED, grpc.status.UNAVAILABLE]);
    });

    it("exits with code 0 on SIGINT", async () => {
      const p = await plugin(em.env());
      await p.client.getPluginInfo();
      p.kill("SIGINT");
      expect(await p.exited).to.deep.equal({ code: 0, signal: null });
    });
  });

  describe("GetPluginInfo and GetSchema", () => {
    it("GetPluginInfo answers the package version", async () => {
      const p = await plugin();
      expect(await p.client.getPluginInfo()).to.equal(packageVersion());
    });

    it("GetSchema refuses a schema version other than 0 with INVALID_ARGUMENT, as Pulumi's own providers do", async () => {
      const p = await plugin();
      const e = await grpcError(p.client.getSchema(1));
      expect(e.code).to.equal(grpc.status.INVALID_ARGUMENT);
      expect(e.details).to.equal("unsupported schema version 1");
    });

    it("GetSchema answers provider/schema.json: package hwddm at the package version, every function", async () => {
      const p = await plugin();
      const text = await p.client.getSchema();
      expect(text).to.equal(fs.readFileSync(schemaPath(), "utf8"));
      const schema = JSON.parse(text);
      expect(schema.name).to.equal("hwddm");
      expect(schema.version).to.equal(packageVersion());
      expect(Object.keys(schema.functions)).to.have.members(Object.values(TOKENS));
    });
  });

  describe("CheckConfig", () => {
    it('accepts typed values and strings such as "4" and "true", returning them converted', async () => {
      const p = await plugin();
      const r = await p.client.checkConfig({
        region: "ap-southeast-1",
        maxRetries: "4",
        requestTimeout: 12,
        insecure: "true",
        endpoint: em.emulator.url,
      });
      expect(r.failures).to.deep.equal([]);
      expect(r.inputs).to.deep.equal({
        region: "ap-southeast-1",
        maxRetries: 4,
        requestTimeout: 12,
        insecure: true,
        endpoint: em.emulator.url,
      });
    });

    it("refuses bad values and unknown keys with one failure naming each key", async () => {
      const p = await plugin();
      const r = await p.client.checkConfig({
        region: "Not A Region",
        maxRetries: "many",
        insecure: "perhaps",
        endpoint: "http://ddm.example.com",
        colour: "blue",
      });
      expect(r.failures.map((f) => f.property)).to.have.members([
        "region",
        "maxRetries",
        "insecure",
        "endpoint",
        "colour",
      ]);
      expect(r.failures.find((f) => f.property === "maxRetries")!.reason).to.match(/"many".*integer/);
    });

    it("keeps secrets secret: wrapped values are unwrapped to check and re-wrapped in the inputs", async () => {
      const p = await plugin();
      const r = await p.client.checkConfig({
        region: "ap-southeast-1",
        authToken: wrapSecret(em.secrets.token),
        password: em.secrets.password, // a secret key given in plain text comes back wrapped too
        userName: "someone",
        domainName: "acme",
      });
      expect(r.failures).to.deep.equal([]);
      expect(r.inputs.authToken).to.deep.equal(wrapSecret(em.secrets.token));
      expect(r.inputs.password).to.deep.equal(wrapSecret(em.secrets.password));
      expect(r.inputs.userName).to.equal("someone");
    });

    it("passes the engine's own inputs (the core's ENGINE_KEYS, __ keys) and unknown values through untouched", async () => {
      const p = await plugin();
      const news = {
        version: "0.1.0",
        pluginDownloadURL: "https://example.com/plugins",
        __internal: "x",
        region: UNKNOWN_VALUE,
        projectId: "abc",
      };
      const r = await p.client.checkConfig(news);
      expect(r.failures).to.deep.equal([]);
      expect(r.inputs).to.deep.equal(news);
    });

    it("never shows a rejected secret value in a failure", async () => {
      const p = await plugin();
      const bad = `${em.secrets.token} with spaces`;
      const r = await p.client.checkConfig({ authToken: wrapSecret(bad) });
      expect(r.failures.map((f) => f.property)).to.deep.equal(["authToken"]);
      expect(JSON.stringify(r.failures)).not.to.contain(em.secrets.token);
    });
  });

  describe("DiffConfig", () => {
    it("lists the keys that changed, comparing secrets by value", async () => {
      const p = await plugin();
      const olds = { region: "ap-southeast-1", authToken: wrapSecret("a-token"), version: "0.1.0" };
      expect(
        await p.client.diffConfig(olds, {
          ...olds,
          version: "0.2.0",
          pluginDownloadURL: "https://example.com",
        }),
      ).to.deep.equal({
        changes: provproto.DiffResponse.DiffChanges.DIFF_NONE,
        diffs: [],
      });
      expect(
        await p.client.diffConfig(olds, {
          region: "cn-north-4",
          authToken: wrapSecret("b-token"),
          version: "0.1.0",
        }),
      ).to.deep.equal({
        changes: provproto.DiffResponse.DiffChanges.DIFF_SOME,
        diffs: ["authToken", "region"],
      });
    });
  });

  describe("Configure then Invoke", () => {
    it("reads `variables` (hwddm:config:<key>) and uses them for later invokes, with nothing in the environment", async () => {
      const p = await plugin({});
      const variables: Record<string, string> = {};
      for (const [k, v] of Object.entries(em.config("token"))) variables[`hwddm:config:${k}`] = String(v);
      variables["hwddm:config:maxRetries"] = "0";
      variables["aws:config:region"] = "us-east-1"; // another package's config is ignored
      const res = await p.client.configure({ variables });
      expect(res).to.deep.equal({ acceptSecrets: true, supportsPreview: true });
      const r = await p.client.invoke(TOKENS.getRestorableInstances, { instanceId: SOURCE });
      expect(r.result!.instances).to.have.length(5);
      expect((r.result!.instances as { instanceId: string }[])[0].instanceId).to.equal(TARGET);
    });

    it("reads `args` with secret-wrapped credentials (AK/SK) and typed values", async () => {
      const p = await plugin({});
      const c = em.config("aksk");
      const args = { ...c, secretKey: wrapSecret(c.secretKey), maxRetries: 0, version: "0.1.0" };
      const checked = await p.client.checkConfig(args);
      expect(checked.failures).to.deep.equal([]);
      await p.client.configure({ args: checked.inputs });
      const r = await p.client.invoke(TOKENS.getRestoreTimeIntervals, { instanceId: SOURCE });
      expect(r.result!.latestRestorableTime).to.equal(LATEST_END);
      expect(em.emulator.stats().byAuth.aksk).to.be.greaterThan(0);
    });

    it("lets `args` win over `variables` for the same key", async () => {
      const p = await plugin({});
      const variables: Record<string, string> = {};
      for (const [k, v] of Object.entries(em.config("token"))) variables[`hwddm:config:${k}`] = String(v);
      variables["hwddm:config:region"] = "cn-north-4";
      await p.client.configure({ variables, args: { region: "ap-southeast-1" } });
      const r = await p.client.invoke(TOKENS.getRestorableInstances, { instanceId: SOURCE });
      expect(r.result!.region).to.equal("ap-southeast-1");
    });

    it("refuses bad config in Configure with INVALID_ARGUMENT naming the key", async () => {
      const p = await plugin({});
      const e = await grpcError(p.client.configure({ args: { requestTimeout: "forever" } }));
      expect(e.code).to.equal(grpc.status.INVALID_ARGUMENT);
      expect(e.details).to.contain("requestTimeout");
    });

    it("answers an invoke before Configure from the environment alone", async () => {
      const p = await plugin(em.env("password"));
      const r = await p.client.invoke(TOKENS.getRestorableInstances, {
        instanceId: SOURCE,
        availableOnly: true,
      });
      expect(r.failures).to.deep.equal([]);
      expect((r.result!.instances as unknown[]).length).to.equal(3);
    });

    it("fails an invoke with no region or credentials anywhere with one error listing where to set them", async () => {
      const p = await plugin({});
      const e = await grpcError(p.client.invoke(TOKENS.getRestorableInstances, { instanceId: SOURCE }));
      expect(e.code).to.equal(grpc.status.FAILED_PRECONDITION);
      expect(e.details)
        .to.contain("hwddm:region")
        .and.to.contain("HW_REGION_NAME")
        .and.to.contain("HW_AUTH_TOKEN");
    });
  });

  describe("Invoke", () => {
    it("answers both functions with the result shapes of provider/types.ts", async () => {
      const p = await plugin(em.env());
      const a = await p.client.invoke(TOKENS.getRestorableInstances, {
        instanceId: SOURCE,
        offset: 1,
        limit: 2,
      });
      expect(a.result).to.include.keys(
        "id",
        "instanceId",
        "projectId",
        "region",
        "instances",
        "total",
        "warnings",
      );
      expect(a.result!.total).to.equal(5);
      expect(a.result!.instances).to.have.length(2);
      const b = await p.client.invoke(TOKENS.getRestoreTimeIntervals, {
        instanceId: SOURCE,
        restoreTime: "2025-05-21T11:15:44Z",
      });
      expect(b.result).to.include({
        restoreTimeRestorable: false,
        total: 3,
        latestRestorableTime: LATEST_END,
      });
      const empty = await p.client.invoke(TOKENS.getRestoreTimeIntervals, { instanceId: EMPTY_SOURCE });
      expect(empty.result).to.include({ total: 0 }).and.not.to.have.property("latestRestorableTime");
    });

    it("answers both selection functions: the chosen target and the latest time kept a margin from the edge", async () => {
      const p = await plugin(em.env());
      const t = await p.client.invoke(TOKENS.selectRestoreTarget, {
        instanceId: SOURCE,
        vpcName: "vpc-ddm-172",
        nameRegex: "-drill$",
      });
      expect(t.failures).to.deep.equal([]);
      expect(t.result).to.deep.include({ instanceId: SOURCE, total: 5, warnings: [] });
      expect(t.result!.target).to.deep.equal({
        instanceId: "8d2f4a1c0e6b4f3a9c7d5e2b1a0f9c8din09",
        instanceName: "ddm-orders-restore-drill",
        status: "normal",
        available: true,
        unavailableReason: "",
        vpcName: "vpc-ddm-172",
      });
      const first = await p.client.invoke(TOKENS.selectRestoreTarget, { instanceId: SOURCE, name: null });
      expect((first.result!.target as { instanceId: string }).instanceId).to.equal(TARGET);
      const time = await p.client.invoke(TOKENS.selectRestoreTime, {
        instanceId: SOURCE,
        latest: true,
        marginSeconds: "5m",
      });
      expect(time.result).to.deep.include({
        time: "2025-05-21T11:10:43.000Z",
        epochMs: Date.parse(LATEST_END) - 300_000,
        total: 3,
      });
    });

    it("fails a selection that nothing fits with a gRPC error whose message lists every candidate or window", async () => {
      const p = await plugin(em.env());
      const e = await grpcError(
        p.client.invoke(TOKENS.selectRestoreTarget, { instanceId: SOURCE, name: "no-such-target" }),
      );
      expect(e.code).to.equal(grpc.status.UNKNOWN);
      expect(e.details).to.match(
        /^no available restore target matching name "no-such-target" among 5 candidates:/,
      );
      expect(e.details.split("\n").slice(1)).to.have.length(5);
      expect(e.details).to.contain(
        '"ddm-orders-legacy" ("c4e1b7a9d2f04c6e8b3a5d7f9e1c2b4ain09"): status "normal", available false, unavailableReason "The DDM instance version is earlier than that of the source instance."',
      );
      expect(e.details).to.contain('unavailableReason "The instance is frozen."');
      const late = await grpcError(
        p.client.invoke(TOKENS.selectRestoreTime, { instanceId: SOURCE, at: "2025-05-21T11:15:44Z" }),
      );
      expect(late.details).to.equal(
        "2025-05-21T11:15:44.000Z is not restorable: the restore windows are " +
          "2025-05-18T02:00:00.000Z .. 2025-05-19T06:30:00.000Z, " +
          "2025-05-19T07:10:12.000Z .. 2025-05-20T08:55:00.000Z, " +
          "2025-05-20T09:40:40.000Z .. 2025-05-21T11:15:43.000Z",
      );
      const none = await grpcError(p.client.invoke(TOKENS.selectRestoreTarget, { instanceId: EMPTY_SOURCE }));
      expect(none.details).to.equal(
        "no restore target (no criteria): the backup has no restorable instances",
      );
    });

    it("returns bad selection criteria and options as failures naming each argument, before any request", async () => {
      const p = await plugin(em.env());
      const t = await p.client.invoke(TOKENS.selectRestoreTarget, {
        instanceId: SOURCE,
        targetInstanceId: 5,
        nameRegex: "(",
        colour: "red",
      });
      expect(t.failures.map((f) => f.property).sort()).to.deep.equal(
        ["colour", "nameRegex", "targetInstanceId"].sort(),
      );
      const time = await p.client.invoke(TOKENS.selectRestoreTime, {
        instanceId: SOURCE,
        latest: true,
        at: "2025-05-21T00:00:00Z",
        marginSeconds: "soon",
      });
      expect(time.failures.map((f) => f.property).sort()).to.deep.equal(["at", "marginSeconds"]);
      const neither = await p.client.invoke(TOKENS.selectRestoreTime, { instanceId: SOURCE });
      expect(neither.failures.map((f) => f.property)).to.deep.equal(["at"]);
      expect(em.emulator.stats().requests).to.equal(0);
    });

    it("returns bad arguments as failures naming each property, before any request", async () => {
      const p = await plugin(em.env());
      const r = await p.client.invoke(TOKENS.getRestorableInstances, {
        instanceId: "a/b",
        offset: -1,
        limit: 0,
      });
      expect(r.result).to.equal(undefined);
      expect(r.failures.map((f) => f.property)).to.have.members(["instanceId", "offset", "limit"]);
      expect(em.emulator.stats().requests).to.equal(0);
    });

    it("answers an unknown function token with a gRPC INVALID_ARGUMENT `unknown function <token>`, before any request", async () => {
      const p = await plugin(em.env());
      const e = await grpcError(p.client.invoke("hwddm:backup:getBackups", { instanceId: SOURCE }));
      expect(e.code).to.equal(grpc.status.INVALID_ARGUMENT);
      expect(e.details).to.equal("unknown function hwddm:backup:getBackups");
      expect(em.emulator.stats().requests).to.equal(0);
    });

    it("fails an API error with a message carrying HTTP status, error_code, error_msg and request id", async () => {
      const p = await plugin(em.env());
      const e = await grpcError(
        p.client.invoke(TOKENS.getRestorableInstances, { instanceId: "no-such-instance" }),
      );
      const requestId = em.emulator.stats().lastRequests.at(-1)!.id;
      expect(e.code).to.equal(grpc.status.UNKNOWN);
      expect(e.details)
        .to.contain("HTTP 404")
        .and.to.contain("DBS.280214")
        .and.to.contain("Instance not found.");
      expect(e.details).to.contain(requestId);
    });

    it("reports a server error after the configured retries (maxRetries 0: one attempt)", async () => {
      const p = await plugin({ ...em.env(), HW_MAX_RETRIES: "0" });
      em.emulator.setFaults([{ kind: "status", status: 500 }]);
      const e = await grpcError(p.client.invoke(TOKENS.getRestoreTimeIntervals, { instanceId: SOURCE }));
      expect(e.details).to.contain("HTTP 500").and.to.contain("DBS.280005");
      expect(em.emulator.stats().requests).to.equal(1);
    });

    it("never echoes secrets: not in failures, errors or stderr (at -v=9)", async () => {
      const p = await plugin({}, ["127.0.0.1:1", "-v=9"]);
      const wrongToken = `${em.secrets.token}-revoked`;
      const variables: Record<string, string> = {};
      for (const [k, v] of Object.entries({ ...em.config("token"), authToken: wrongToken }))
        variables[`hwddm:config:${k}`] = String(v);
      await p.client.configure({ variables });
      const denied = await grpcError(p.client.invoke(TOKENS.getRestorableInstances, { instanceId: SOURCE }));
      expect(denied.details).to.contain("HTTP 401");
      const secretArg = `${em.secrets.password}/x`;
      const failed = await p.client.invoke(TOKENS.getRestorableInstances, {
        instanceId: wrapSecret(secretArg),
      });
      expect(failed.failures.map((f) => f.property)).to.deep.equal(["instanceId"]);
      await p.close();
      const everything = [
        denied.details,
        denied.message,
        JSON.stringify(failed),
        p.stderr(),
        p.stdout(),
      ].join("\n");
      expect(leakedSecrets(everything, [...em.secretValues, wrongToken, secretArg])).to.deep.equal([]);
      expect(p.stderr()).to.contain("Configure:");
    });

    it("serves 25 concurrent invokes, each with its own answer", async () => {
      const p = await plugin(em.env());
      const base = Date.parse("2025-05-20T09:40:40Z");
      const calls = Array.from({ length: 25 }, (_, i) =>
        i % 2 === 0
          ? p.client.invoke(TOKENS.getRestoreTimeIntervals, {
              instanceId: SOURCE,
              restoreTime: base + i * 1000,
            })
          : p.client.invoke(TOKENS.getRestorableInstances, { instanceId: SOURCE, offset: i % 5, limit: 1 }),
      );
      const results = await Promise.all(calls);
      results.forEach((r, i) => {
        expect(r.failures, `call ${i}`).to.deep.equal([]);
        if (i % 2 === 0) expect(r.result!.restoreTimeEpochMs).to.equal(base + i * 1000);
        else expect(r.result!.instances).to.have.length(1);
      });
      expect(em.emulator.stats().requests).to.equal(25);
    });

    it("Cancel aborts in-flight invokes, which fail with CANCELLED", async () => {
      const p = await plugin(em.env());
      em.emulator.setFaults([{ kind: "stall", route: "restorable-instances" }]);
      const pending = grpcError(p.client.invoke(TOKENS.getRestorableInstances, { instanceId: SOURCE }));
      for (let i = 0; i < 500 && em.emulator.stats().byRoute["restorable-instances"] === 0; i++) {
        await new Promise((r) => setTimeout(r, 5));
      }
      expect(em.emulator.stats().byRoute["restorable-instances"]).to.equal(1);
      await p.client.cancel();
      const e = await pending;
      expect(e.code).to.equal(grpc.status.CANCELLED);
      em.emulator.setFaults([]);
      const after = await p.client.invoke(TOKENS.getRestoreTimeIntervals, { instanceId: SOURCE });
      expect(after.failures).to.deep.equal([]);
    });
  });

  describe("wire constants", () => {
    it("match @pulumi/pulumi's own: unknown value, special signature key, secret signature", () => {
      const pulumi = require("@pulumi/pulumi") as typeof import("@pulumi/pulumi");
      expect(UNKNOWN_VALUE).to.equal(pulumi.runtime.unknownValue);
      expect(SECRET_SIG_KEY).to.equal(pulumi.runtime.specialSigKey);
      expect(SECRET_SIG_VALUE).to.equal(pulumi.runtime.specialSecretSig);
    });
  });

  describe("calls a functions-only provider does not implement", () => {
    const unary = (p: PluginProcess, method: string, req: unknown) =>
      grpcError(
        new Promise((resolve, reject) =>
          (
            p.client.raw as unknown as Record<
              string,
              (r: unknown, cb: (e: Error | null, v: unknown) => void) => void
            >
          )[method](req, (e, v) => (e ? reject(e) : resolve(v))),
        ),
      );

    it("answers Handshake: secrets accepted, resources and outputs not (as Configure says)", async () => {
      const p = await plugin();
      const req = new provproto.ProviderHandshakeRequest();
      req.setEngineAddress("127.0.0.1:1");
      const res = await new Promise<provproto.ProviderHandshakeResponse>((resolve, reject) =>
        (
          p.client.raw as unknown as Record<
            string,
            (r: unknown, cb: (e: Error | null, v: provproto.ProviderHandshakeResponse) => void) => void
          >
        ).handshake(req, (e, v) => (e ? reject(e) : resolve(v))),
      );
      expect(res.getAcceptSecrets()).to.equal(true);
      expect(res.getAcceptResources()).to.equal(false);
      expect(res.getAcceptOutputs()).to.equal(false);
    });

    it("answers UNIMPLEMENTED to Construct and Call, and INVALID_ARGUMENT naming the type to CRUD of a resource type it does not have", async () => {
      const p = await plugin();
      for (const [method, req] of [
        ["construct", new provproto.ConstructRequest()],
        ["call", new provproto.CallRequest()],
      ] as [string, unknown][]) {
        const e = await unary(p, method, req);
        expect(e.code, method).to.equal(grpc.status.UNIMPLEMENTED);
      }
      const urn = "urn:pulumi:dev::proj::hwddm:backup:Nothing::x";
      for (const [method, req] of [
        ["check", new provproto.CheckRequest().setUrn(urn)],
        ["diff", new provproto.DiffRequest().setUrn(urn)],
        ["create", new provproto.CreateRequest().setUrn(urn)],
        ["read", new provproto.ReadRequest().setUrn(urn)],
        ["update", new provproto.UpdateRequest().setUrn(urn)],
        ["delete", new provproto.DeleteRequest().setUrn(urn)],
      ] as [string, unknown][]) {
        const e = await unary(p, method, req);
        expect(e.code, method).to.equal(grpc.status.INVALID_ARGUMENT);
        expect(e.details, method).to.include("unknown resource type hwddm:backup:Nothing");
      }
    });

    it("answers GetMapping and GetMappings with empty mappings", async () => {
      const p = await plugin();
      const call = <T>(method: string, req: unknown) =>
        new Promise<T>((resolve, reject) =>
          (
            p.client.raw as unknown as Record<
              string,
              (r: unknown, cb: (e: Error | null, v: T) => void) => void
            >
          )[method](req, (e, v) => (e ? reject(e) : resolve(v))),
        );
      const m = await call<provproto.GetMappingResponse>("getMapping", new provproto.GetMappingRequest());
      expect(m.getProvider()).to.equal("");
      expect(m.getData_asU8()).to.have.length(0);
      const ms = await call<provproto.GetMappingsResponse>("getMappings", new provproto.GetMappingsRequest());
      expect(ms.getProvidersList()).to.deep.equal([]);
    });
  });
});
