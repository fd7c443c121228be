/**
 * Every example is run, against the emulator, with its outputs asserted:
 * - examples/select-restore-target under setMocks: with `hwddmMocks` from
 *   pulumi-hwddm/testing, as a user's own tests would run it (preview and update, each of its
 *   settings, and its failures), and forwarding to the real plugin (preview and update); and
 *   its Pulumi.yaml;
 * - examples/yaml/Pulumi.yaml, through a small evaluator written here for the subset of
 *   Pulumi YAML it uses (not Pulumi YAML itself, which needs the CLI), its `fn::invoke`s
 *   answered by the real plugin;
 * - the root Pulumi.yaml (the demo stack) and `npm start` (examples/demo.ts), both with no
 *   Pulumi CLI and, when one is built (`npm run pulumi:install`) or on PATH, with the real one.
 *   The engine suite (test/engine) runs every example under the real engine too.
 */
import { expect } from "chai";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { packageRoot } from "../../provider/plugin/package";
import { PluginProcess, ProviderClient, forwardingMocks, runProgram, spawnPlugin } from "../support/harness";
import { demoOutputs } from "../../examples/demo";
import { findPulumiCli } from "../support/pulumi-cli";
import { TOKENS } from "../../provider/types";
import { hwddmMocks } from "../../testing";
import {
  LATEST_END,
  LATEST_END_MS,
  SOURCE,
  TARGET,
  TARGET_NAME,
  TestEmulator,
  startTestEmulator,
} from "../plugin/helpers";

const root = packageRoot();
const PULUMI = findPulumiCli();

/** How a run's invokes are answered: the real plugin over gRPC, or pulumi-hwddm/testing. */
type Via = "plugin" | "hwddmMocks";
const yaml = require("js-yaml") as { load(text: string): unknown };

type Json = Record<string, unknown>;

function loadYaml(rel: string): Json {
  return yaml.load(fs.readFileSync(path.join(root, rel), "utf8")) as Json;
}

describe("examples", function () {
  let em: TestEmulator;

  before(async () => {
    em = await startTestEmulator();
  });

  afterEach(() => em.emulator.resetStats());

  after(async () => {
    await em.close();
  });

  describe("select-restore-target (TypeScript, under setMocks: hwddmMocks, or forwarding to the plugin)", () => {
    const program = path.join(root, "dist", "examples", "select-restore-target", "index.js");
    const project = "select-restore-target";

    /**
     * Run the program under setMocks: by default with `hwddmMocks` (pulumi-hwddm/testing, as a
     * user's own tests would), or with every invoke forwarded to the real plugin process.
     */
    async function run(settings: Record<string, string>, preview: boolean, via: Via = "hwddmMocks") {
      const stack = em.stackConfig("token");
      const config = { ...stack.config };
      for (const [k, v] of Object.entries(settings)) config[`${project}:${k}`] = v;
      const mocks =
        via === "plugin"
          ? forwardingMocks({
              spawn: () => spawnPlugin({ env: {} }),
              config,
              secretKeys: stack.secretKeys,
              preview,
              project,
            })
          : hwddmMocks();
      try {
        const outputs = await runProgram({
          program,
          mocks,
          preview,
          config,
          secretKeys: stack.secretKeys,
          project,
        });
        return { outputs, mocks };
      } finally {
        await mocks.close();
      }
    }

    for (const [preview, via] of [
      [true, "plugin"],
      [false, "plugin"],
      [true, "hwddmMocks"],
      [false, "hwddmMocks"],
    ] as const) {
      it(`exports the first available target and the latest restorable time at ${preview ? "preview" : "update"} (${via === "plugin" ? "invokes forwarded to the plugin" : "hwddmMocks"})`, async () => {
        const { outputs, mocks } = await run({ sourceInstanceId: SOURCE }, preview, via);
        expect(outputs).to.deep.equal({
          targetInstanceId: { value: TARGET, known: true, secret: false },
          targetInstanceName: { value: TARGET_NAME, known: true, secret: false },
          restoreTime: { value: LATEST_END, known: true, secret: false },
          restoreTimeEpochMs: { value: LATEST_END_MS, known: true, secret: false },
        });
        expect(mocks.invokes.map((i) => i.token).sort()).to.deep.equal(
          [TOKENS.getRestorableInstances, TOKENS.getRestoreTimeIntervals].sort(),
        );
      });
    }

    it("honours a given restore time, a margin and the VPC filter", async () => {
      const { outputs } = await run(
        {
          sourceInstanceId: SOURCE,
          restoreTime: "2025-05-20T10:00:00+0000",
          marginSeconds: "60",
          targetVpc: "vpc-analytics-10",
        },
        false,
      );
      expect(outputs.targetInstanceId.value).to.equal("e7b3d5f1a9c24e8b9d0f1a2b3c4d5e6fin09");
      expect(outputs.targetInstanceName.value).to.equal("ddm-analytics");
      expect(outputs.restoreTime.value).to.equal("2025-05-20T10:00:00.000Z");
      expect(outputs.restoreTimeEpochMs.value).to.equal(Date.parse("2025-05-20T10:00:00Z"));
    });

    it("keeps the latest time a margin away from the window's end, and matches a target by name pattern", async () => {
      const { outputs } = await run(
        { sourceInstanceId: SOURCE, marginSeconds: "90", targetNameRegex: "-drill$" },
        true,
      );
      expect(outputs.targetInstanceName.value).to.equal("ddm-orders-restore-drill");
      expect(outputs.restoreTimeEpochMs.value).to.equal(LATEST_END_MS - 90_000);
    });

    it("fails naming the windows when the wanted time is not restorable", async () => {
      const err = await run({ sourceInstanceId: SOURCE, restoreTime: "2025-05-22T00:00:00Z" }, true).then(
        () => undefined,
        (e: Error) => e,
      );
      expect(err?.message).to.contain("2025-05-22T00:00:00.000Z is not restorable");
      expect(err?.message).to.contain("2025-05-20T09:40:40.000Z .. 2025-05-21T11:15:43.000Z");
    });

    it("fails listing every candidate with its reason when no target matches", async () => {
      const err = await run({ sourceInstanceId: SOURCE, targetName: "ddm-orders-legacy" }, true).then(
        () => undefined,
        (e: Error) => e,
      );
      expect(err?.message).to.contain("ddm-orders-legacy");
      expect(err?.message).to.contain(
        "The DDM instance version is earlier than that of the source instance.",
      );
    });
  });

  describe("the harness (test/support/harness.ts)", () => {
    it("close() stops every plugin it started, also one whose provider config was refused", async () => {
      const mocks = forwardingMocks({ spawn: () => spawnPlugin({ env: {} }) });
      const refused = await mocks
        .call({ token: TOKENS.getRestorableInstances, inputs: { instanceId: SOURCE }, provider: "" })
        .then(
          () => undefined,
          (e: Error) => e,
        );
      // No stack config: the default provider has no region, so CheckConfig passes and the invoke fails...
      expect(refused?.message).to.match(/region/);
      const explicit = "urn:pulumi:stack::project::pulumi:providers:hwddm::bad::bad-id";
      await mocks.newResource({
        type: "pulumi:providers:hwddm",
        name: "bad",
        inputs: { region: "Not A Region" },
        custom: true,
      });
      const failed = await mocks
        .call({ token: TOKENS.getRestorableInstances, inputs: { instanceId: SOURCE }, provider: explicit })
        .then(
          () => undefined,
          (e: Error) => e,
        );
      // ...and the explicit provider's CheckConfig refuses its region.
      expect(failed?.message).to.contain("provider config is invalid");
      expect(mocks.plugins).to.have.length(2);
      await mocks.close();
      const exits = await Promise.all(mocks.plugins.map((p) => p.exited));
      expect(exits.every((e) => e.code !== null || e.signal !== null)).to.equal(true);
    });
  });

  describe("yaml/Pulumi.yaml, run by this spec's evaluator of its config, fn::invoke and ${...} outputs against the real plugin", () => {
    let plugin: PluginProcess | undefined;
    afterEach(async () => {
      await plugin?.close();
      plugin = undefined;
    });

    /** The subset of Pulumi YAML the example uses: config defaults, fn::invoke variables, ${a.b[0].c}. */
    async function evaluate(
      doc: Json,
      client: ProviderClient,
      config: Record<string, string> = {},
    ): Promise<Json> {
      const scope: Json = {};
      for (const [k, decl] of Object.entries((doc.config ?? {}) as Record<string, Json>)) {
        scope[k] = config[k] ?? decl.default;
      }
      const lookup = (expr: string): unknown =>
        expr
          .split(/\.|(?=\[)/)
          .filter(Boolean)
          .reduce<unknown>((v, part) => {
            const index = /^\[(\d+)\]$/.exec(part);
            const next = index ? (v as unknown[])[Number(index[1])] : (v as Json)[part];
            if (next === undefined) throw new Error(`\${${expr}}: ${part} is undefined`);
            return next;
          }, scope);
      const interpolate = (v: unknown): unknown => {
        if (typeof v === "string") {
          const whole = /^\$\{([^}]+)\}$/.exec(v);
          if (whole) return lookup(whole[1]);
          return v.replace(/\$\{([^}]+)\}/g, (_, e: string) => String(lookup(e)));
        }
        if (Array.isArray(v)) return v.map(interpolate);
        if (v && typeof v === "object")
          return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, interpolate(x)]));
        return v;
      };
      for (const [name, def] of Object.entries((doc.variables ?? {}) as Record<string, Json>)) {
        const inv = def["fn::invoke"] as Json | undefined;
        if (!inv) {
          scope[name] = interpolate(def);
          continue;
        }
        const fn = inv.function as string;
        const r = await client.invoke(fn, interpolate(inv.arguments ?? {}) as Json);
        if (r.failures.length > 0) throw new Error(`${fn}: ${JSON.stringify(r.failures)}`);
        scope[name] = inv.return ? (r.result as Json)[inv.return as string] : r.result;
      }
      return interpolate(doc.outputs ?? {}) as Json;
    }

    it("registers the local plugin, and the evaluator's outputs from both tokens' invokes are the expected target and time", async () => {
      const doc = loadYaml("examples/yaml/Pulumi.yaml");
      expect(doc.runtime).to.equal("yaml");
      const providers = (doc.plugins as Json).providers as Json[];
      expect(providers).to.deep.equal([{ name: "hwddm", path: "../../bin" }]);
      fs.accessSync(
        path.join(root, "examples/yaml", String(providers[0].path), "pulumi-resource-hwddm"),
        fs.constants.X_OK,
      );

      plugin = await spawnPlugin({ env: em.env("token") });
      const outputs = await evaluate(doc, plugin.client);
      expect(outputs).to.deep.equal({
        targetInstanceId: TARGET,
        targetInstanceName: TARGET_NAME,
        candidateCount: 5,
        latestRestorableTime: LATEST_END,
        latestRestorableTimeEpochMs: LATEST_END_MS,
      });
    });

    it("the evaluator follows the program's config: another VPC gives another target", async () => {
      plugin = await spawnPlugin({ env: em.env("token") });
      const outputs = await evaluate(loadYaml("examples/yaml/Pulumi.yaml"), plugin.client, {
        targetVpc: "vpc-analytics-10",
      });
      expect(outputs.targetInstanceName).to.equal("ddm-analytics");
    });
  });

  describe("the demo stack (root Pulumi.yaml) and `npm start`", () => {
    it("root Pulumi.yaml runs the compiled TypeScript example and registers ./bin as the hwddm plugin", () => {
      const doc = loadYaml("Pulumi.yaml");
      expect(doc.name).to.equal("hwddm-demo");
      expect(doc.runtime).to.deep.equal({ name: "nodejs", options: { typescript: false } });
      expect(doc.main).to.equal("dist/examples/select-restore-target/index.js");
      expect(fs.existsSync(path.join(root, String(doc.main)))).to.equal(true);
      expect((doc.plugins as Json).providers).to.deep.equal([{ name: "hwddm", path: "./bin" }]);
      fs.accessSync(path.join(root, "bin", "pulumi-resource-hwddm"), fs.constants.X_OK);
      const declared = Object.keys(doc.config as Json);
      const example = loadYaml("examples/select-restore-target/Pulumi.yaml");
      expect(declared).to.deep.equal(Object.keys(example.config as Json));
    });

    it("examples/select-restore-target/Pulumi.yaml runs the same compiled program and registers ../../bin as the hwddm plugin", () => {
      const dir = path.join(root, "examples", "select-restore-target");
      const doc = loadYaml("examples/select-restore-target/Pulumi.yaml");
      const demo = loadYaml("Pulumi.yaml");
      // Compiled JS, like the demo stack: with no `main`, Pulumi's Node.js host would take the
      // entry point from the repository's package.json (the SDK) instead of this program.
      expect(doc.runtime).to.deep.equal({ name: "nodejs", options: { typescript: false } });
      expect(path.resolve(dir, String(doc.main))).to.equal(path.resolve(root, String(demo.main)));
      expect(fs.existsSync(path.resolve(dir, String(doc.main)))).to.equal(true);
      const providers = (doc.plugins as Json).providers as Json[];
      expect(providers).to.deep.equal([{ name: "hwddm", path: "../../bin" }]);
      fs.accessSync(path.join(dir, String(providers[0].path), "pulumi-resource-hwddm"), fs.constants.X_OK);
      expect(doc.config).to.deep.equal(demo.config);
    });

    /** Run `node dist/examples/demo.js` with PATH = a directory holding `node` (and maybe a stand-in `pulumi`). */
    function runDemo(extraPathDir?: string, extraEnv: Record<string, string> = {}) {
      const bin = fs.mkdtempSync(path.join(os.tmpdir(), "hwddm-demo-path-"));
      fs.symlinkSync(process.execPath, path.join(bin, "node"));
      const PATH = [extraPathDir, bin].filter(Boolean).join(path.delimiter);
      return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [path.join(root, "dist", "examples", "demo.js")], {
          env: { PATH, ...extraEnv },
          stdio: ["ignore", "pipe", "pipe"],
        });
        let stdout = "";
        let stderr = "";
        child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
        child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
        child.on("exit", (code) => {
          fs.rmSync(bin, { recursive: true, force: true });
          resolve({ code, stdout, stderr });
        });
      });
    }

    it("`npm start` without a Pulumi CLI runs the program under setMocks against the real plugin and prints the selection", async () => {
      const r = await runDemo(undefined, { HWDDM_PULUMI_CLI: "none" });
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout).to.match(/DDM emulator listening at http:\/\/127\.0\.0\.1:\d+ \(default fixture\)/);
      expect(r.stdout).to.match(
        /mode: HWDDM_PULUMI_CLI=none turned the `pulumi` CLI off, so the demo program ran under pulumi\.runtime\.setMocks/,
      );
      expect(r.stdout).to.match(
        /its 2 invokes went over gRPC to the real plugin bin\/pulumi-resource-hwddm \(pid \d+, port \d+\)/,
      );
      expect(r.stdout).to.contain(`source   ${SOURCE}`);
      expect(r.stdout).to.contain(`\ntarget   ${TARGET} (${TARGET_NAME})\n`);
      expect(r.stdout).to.contain(`\ntime     ${LATEST_END} (epoch ms ${LATEST_END_MS})\n`);
      expect(r.stdout).to.contain("emulator served 2 request(s)");
    });

    it("`npm start` with the Pulumi CLI runs a real `pulumi preview`, then `pulumi up` of a throwaway stack, and prints its outputs", async function () {
      if (!PULUMI) return this.skip();
      this.timeout(180_000);
      const r = await runDemo(undefined, { HWDDM_PULUMI_CLI: PULUMI });
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout).to.contain("mode: real `pulumi preview`, then `pulumi up` of a throwaway stack");
      expect(r.stdout).to.contain(`\ntarget   ${TARGET} (${TARGET_NAME})\n`);
      expect(r.stdout).to.contain(`\ntime     ${LATEST_END} (epoch ms ${LATEST_END_MS})\n`);
      // No stack config file is left in (or ever written to) the repository; the temp dir is gone.
      expect(fs.readdirSync(root).filter((f) => /^Pulumi\..+\.yaml$/.test(f))).to.deep.equal([]);
      const backend = /file backend in (\S+);/.exec(r.stdout)?.[1];
      expect(backend, r.stdout).to.be.a("string");
      expect(fs.existsSync(backend!)).to.equal(false);
    });

    it("the demo names every output a stack lacks", () => {
      expect(() => demoOutputs("{}")).to.throw(
        "the stack has no output targetInstanceId, targetInstanceName, restoreTime, restoreTimeEpochMs",
      );
      expect(() => demoOutputs("not json")).to.throw(
        "`pulumi stack output --json` did not print JSON: not json",
      );
    });
  });
});
