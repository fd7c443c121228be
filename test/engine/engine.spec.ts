/**
 * The engine suite: every test is a real `pulumi` run (the CLI `npm run pulumi:install`
 * builds, or one on PATH) on a local file backend in a temp dir, against the emulator.
 * Without a CLI the suite is skipped with one line saying how to enable it; with
 * HWDDM_REQUIRE_ENGINE=1 (as .ci/run sets) a missing CLI fails the run instead.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { DEMO_OUTPUTS, DEMO_PROJECT, demoStackConfig } from "../../examples/demo";
import { EngineStack, EngineWorkspace, findPulumiCli, run } from "../../examples/pulumi-cli";
import { generateFixture, parseFaultSpec, startEmulator } from "../../emulator";
import { packageRoot } from "../../provider/plugin/package";
import {
  LATEST_END,
  LATEST_END_MS,
  SOURCE,
  TARGET,
  TARGET_NAME,
  TestEmulator,
  leakedSecrets,
  startTestEmulator,
} from "../plugin/helpers";
import { preparePythonSdk } from "./languages";

const PULUMI = findPulumiCli();
const root = packageRoot();
const programs = path.join(root, "test", "engine", "programs");

/** Everything a command printed, both streams. */
const all = (r: { stdout: string; stderr: string }) => `${r.stdout}\n${r.stderr}`;

describe("engine: real `pulumi` runs against the emulator", function () {
  this.timeout(240_000);
  let ws: EngineWorkspace;
  let te: TestEmulator;
  let counter = 0;

  before(async function () {
    if (!PULUMI) {
      if (process.env.HWDDM_REQUIRE_ENGINE === "1") {
        throw new Error("HWDDM_REQUIRE_ENGINE=1 but no Pulumi CLI was found: run `npm run pulumi:install`");
      }
      console.log(
        "  engine suite skipped: no Pulumi CLI in .tools/pulumi/bin or on PATH (run `npm run pulumi:install` to build one)",
      );
      return this.skip();
    }
    ws = new EngineWorkspace(PULUMI);
    te = await startTestEmulator();
  });

  after(async () => {
    ws?.close();
    await te?.close();
  });

  /** A new stack of a project, with the emulator's token auth as `hwddm:` config (secret). */
  async function stackOf(projectDir: string, project: string, settings: Record<string, string> = {}) {
    const stack = await ws.initStack(projectDir, `s${++counter}`);
    const { config, secretKeys } = te.stackConfig("token");
    await stack.configure({ [`${project}:sourceInstanceId`]: SOURCE, ...config, ...settings }, secretKeys);
    return stack;
  }

  /** The stack's state as `pulumi stack export` prints it (secrets encrypted). */
  async function stateOf(stack: EngineStack): Promise<string> {
    return stack.exportState();
  }

  describe("the demo stack (root Pulumi.yaml, examples/select-restore-target)", () => {
    let stack: EngineStack;

    before(async () => {
      stack = await ws.initStack(root, "demo");
      const { config, secretKeys } = demoStackConfig(te.emulator);
      config["hwddm:authToken"] = te.secrets.token;
      await stack.configure(config, secretKeys);
    });

    it("`pulumi preview` shows the chosen target and time as the stack's outputs", async () => {
      const r = await stack.run(["preview", "--diff"]);
      expect(r.stdout).to.match(new RegExp(`targetInstanceId\\s*: "${TARGET}"`));
      expect(r.stdout).to.match(new RegExp(`targetInstanceName\\s*: "${TARGET_NAME}"`));
      expect(r.stdout).to.match(new RegExp(`restoreTime\\s*: "${LATEST_END.replace(/\./g, "\\.")}"`));
      expect(r.stdout).to.match(new RegExp(`restoreTimeEpochMs\\s*: ${LATEST_END_MS}`));
    });

    it("`pulumi up`, then `pulumi stack output --json` returns them; `pulumi destroy` empties the stack", async () => {
      await stack.run(["up", "--yes", "--skip-preview"]);
      const outputs = await stack.outputs();
      expect(Object.keys(outputs).sort()).to.deep.equal([...DEMO_OUTPUTS].sort());
      expect(outputs).to.deep.equal({
        targetInstanceId: TARGET,
        targetInstanceName: TARGET_NAME,
        restoreTime: LATEST_END,
        restoreTimeEpochMs: LATEST_END_MS,
      });
      const state = await stateOf(stack);
      expect(leakedSecrets(state, te.secretValues)).to.deep.equal([]);
      await stack.run(["destroy", "--yes", "--skip-preview"]);
      const after = JSON.parse(await stateOf(stack)) as { deployment: { resources?: unknown[] } };
      expect(after.deployment.resources ?? []).to.deep.equal([]);
    });

    it("a bad argument fails `pulumi preview` with a message naming the property", async () => {
      const bad = await ws.initStack(root, `bad${++counter}`);
      const { config, secretKeys } = demoStackConfig(te.emulator);
      config["hwddm:authToken"] = te.secrets.token;
      config[`${DEMO_PROJECT}:sourceInstanceId`] = "../etc";
      await bad.configure(config, secretKeys);
      const before = te.emulator.stats().requests;
      const r = await bad.run(["preview"], { allowFailure: true });
      expect(r.code).to.not.equal(0);
      expect(all(r)).to.contain("instanceId");
      expect(all(r)).to.contain('"../etc"');
      // Refused before any request.
      expect(te.emulator.stats().requests).to.equal(before);
    });

    it("a refused token (401 APIGW.0301) fails `pulumi preview` naming status and code, showing no token", async () => {
      const refused = await ws.initStack(root, `refused${++counter}`);
      const { config, secretKeys } = demoStackConfig(te.emulator);
      const wrong = `tok-wrong-${Date.now().toString(36)}-not-accepted`;
      config["hwddm:authToken"] = wrong;
      await refused.configure(config, secretKeys);
      const r = await refused.run(["preview"], { allowFailure: true });
      expect(r.code).to.not.equal(0);
      expect(all(r)).to.contain("401");
      expect(all(r)).to.contain("APIGW.0301");
      expect(leakedSecrets(all(r), [wrong, ...te.secretValues])).to.deep.equal([]);
    });
  });

  describe("engine diagnostics", () => {
    it("a list that kept moving while it was paged shows as a warning in `pulumi preview`", async () => {
      const moving = await startEmulator({
        data: generateFixture({ instances: 300, windows: 3, seed: 9 }),
        // The list grows by one during the first walk (its 2nd request) and again during the
        // retry walk (its 5th): it moved twice, so the answer comes with a warning.
        faults: [
          parseFaultSpec("grow:1:route=instances:after=1:times=1"),
          parseFaultSpec("grow:1:route=instances:after=4:times=1"),
        ],
      });
      try {
        const stack = await ws.initStack(root, `moving${++counter}`);
        const { config, secretKeys } = demoStackConfig(moving);
        await stack.configure(config, secretKeys);
        const r = await stack.run(["preview"]);
        expect(r.stdout).to.match(
          /warning: hwddm:backup:getRestorableInstances: the list changed while it was being paged/,
        );
      } finally {
        await moving.close();
      }
    });
  });

  describe("Pulumi YAML (`fn::invoke`)", () => {
    it("examples/yaml through the default provider: `pulumi up` outputs the target and the latest time", async () => {
      const stack = await stackOf(path.join(root, "examples", "yaml"), "hwddm-yaml");
      const preview = await stack.run(["preview", "--diff"]);
      expect(preview.stdout).to.match(new RegExp(`targetInstanceId\\s*: "${TARGET}"`));
      await stack.run(["up", "--yes", "--skip-preview"]);
      const outputs = await stack.outputs();
      expect(outputs.targetInstanceId).to.equal(TARGET);
      expect(outputs.targetInstanceName).to.equal(TARGET_NAME);
      expect(outputs.latestRestorableTime).to.equal(LATEST_END);
      expect(outputs.latestRestorableTimeEpochMs).to.equal(LATEST_END_MS);
      expect(outputs.candidateCount).to.equal(5);
    });

    it("examples/yaml with a margin and another VPC: `pulumi up` outputs the provider's choice of both", async () => {
      const stack = await stackOf(path.join(root, "examples", "yaml"), "hwddm-yaml", {
        "hwddm-yaml:targetVpc": "vpc-analytics-10",
        "hwddm-yaml:marginSeconds": "300",
      });
      await stack.run(["up", "--yes", "--skip-preview"]);
      const outputs = await stack.outputs();
      expect(outputs.targetInstanceId).to.equal("e7b3d5f1a9c24e8b9d0f1a2b3c4d5e6fin09");
      expect(outputs.targetInstanceName).to.equal("ddm-analytics");
      expect(outputs.latestRestorableTime).to.equal("2025-05-21T11:10:43.000Z");
      expect(outputs.latestRestorableTimeEpochMs).to.equal(LATEST_END_MS - 300_000);
    });

    it("criteria that match nothing fail `pulumi preview` with the provider's list of every candidate", async () => {
      const stack = await stackOf(path.join(programs, "yaml-no-match"), "hwddm-yaml-no-match");
      const r = await stack.run(["preview"], { allowFailure: true });
      expect(r.code).to.not.equal(0);
      const text = all(r);
      expect(text).to.contain(
        'no available restore target matching nameRegex "^ddm-orders-", vpcName "vpc-analytics-10" among 5 candidates',
      );
      for (const name of [
        "ddm-agent-create-instance1",
        "ddm-orders-restore-drill",
        "ddm-orders-legacy",
        "ddm-analytics",
        "ddm-orders-frozen",
      ]) {
        expect(text).to.contain(`"${name}"`);
      }
      expect(text).to.contain('unavailableReason "The instance is frozen."');
      expect(text).to.contain(
        'unavailableReason "The DDM instance version is earlier than that of the source instance."',
      );
      expect(leakedSecrets(text, te.secretValues)).to.deep.equal([]);
    });

    it("through an explicit `pulumi:providers:hwddm` resource whose token is secret config", async () => {
      const project = "hwddm-yaml-explicit";
      const stack = await ws.initStack(path.join(programs, "yaml-explicit"), `s${++counter}`);
      const c = te.config("token");
      await stack.configure(
        {
          [`${project}:sourceInstanceId`]: SOURCE,
          [`${project}:region`]: String(c.region),
          [`${project}:projectId`]: String(c.projectId),
          [`${project}:endpoint`]: String(c.endpoint),
          [`${project}:authUrl`]: String(c.authUrl),
          [`${project}:authToken`]: te.secrets.token,
        },
        [`${project}:authToken`],
      );
      await stack.run(["up", "--yes"]);
      const outputs = await stack.outputs();
      expect(outputs.targetInstanceId).to.equal(TARGET);
      expect(outputs.latestRestorableTime).to.equal(LATEST_END);
      expect(leakedSecrets(await stateOf(stack), te.secretValues)).to.deep.equal([]);
    });
  });

  describe("an explicit TypeScript Provider with secret credentials", () => {
    for (const mode of ["token", "aksk"] as const) {
      it(`(${mode}): outputs resolve; \`pulumi stack export\` and the engine's -v=9 logs hold no secret`, async () => {
        const project = "hwddm-explicit";
        const stack = await ws.initStack(path.join(programs, "explicit-provider"), `s${++counter}`);
        const c = te.config(mode);
        const values: Record<string, string> = {
          [`${project}:sourceInstanceId`]: SOURCE,
          [`${project}:mode`]: mode,
        };
        for (const [k, v] of Object.entries(c)) if (v !== undefined) values[`${project}:${k}`] = String(v);
        await stack.configure(values, [`${project}:authToken`, `${project}:secretKey`]);
        const logFile = path.join(ws.dir, `engine-${mode}.log`);
        const r = await stack.run(["up", "--yes", "--logtostderr", "--logflow", "-v=9"]);
        fs.writeFileSync(logFile, r.stderr);
        const outputs = await stack.outputs();
        expect(outputs.targetInstanceId).to.equal(TARGET);
        expect(outputs.restoreTime).to.equal(LATEST_END);
        expect(r.stderr.length, "the engine wrote its log").to.be.greaterThan(10_000);
        expect(leakedSecrets(all(r), te.secretValues), "engine log").to.deep.equal([]);
        expect(leakedSecrets(await stateOf(stack), te.secretValues), "stack export").to.deep.equal([]);
      });
    }
  });

  describe("an invoke whose instanceId is unknown at preview", () => {
    it("previews with an unknown result, and `pulumi up` resolves it", async () => {
      const project = "hwddm-unknown-input";
      const stack = await stackOf(path.join(programs, "unknown-input"), project);
      const before = te.emulator.stats().requests;
      const preview = await stack.run(["preview", "--diff"]);
      expect(preview.stdout).to.match(/targetInstanceId\s*: \[unknown\]/);
      expect(te.emulator.stats().requests, "no invoke ran at preview").to.equal(before);
      await stack.run(["up", "--yes", "--skip-preview"]);
      const outputs = await stack.outputs();
      expect(outputs.targetInstanceId).to.equal(TARGET);
      expect(outputs.candidateCount).to.be.a("number");
      await stack.run(["destroy", "--yes", "--skip-preview"]);
    });
  });

  describe("the dynamic resources, in a fresh project that installs the `npm pack` tarball", () => {
    let project: string;
    let stack: EngineStack;

    before(async function () {
      this.timeout(300_000);
      project = fs.mkdtempSync(path.join(ws.dir, "dynamic-"));
      // dist/ is current (npm test builds first), so pack without the prepack build.
      const packed = await run(
        "npm",
        ["pack", "--ignore-scripts", "--pack-destination", project, "--silent"],
        {
          cwd: root,
        },
      );
      const tarball = path.join(project, packed.stdout.trim().split("\n").at(-1)!);
      const pulumiVersion = (require("@pulumi/pulumi/package.json") as { version: string }).version;
      fs.writeFileSync(
        path.join(project, "package.json"),
        JSON.stringify({
          name: "hwddm-dynamic-user",
          private: true,
          main: "index.js",
          dependencies: { "@pulumi/pulumi": pulumiVersion, "pulumi-hwddm": `file:${tarball}` },
        }),
      );
      fs.writeFileSync(
        path.join(project, "Pulumi.yaml"),
        "name: hwddm-dynamic-user\nruntime:\n  name: nodejs\n  options:\n    typescript: false\n",
      );
      fs.writeFileSync(
        path.join(project, "index.js"),
        [
          'const pulumi = require("@pulumi/pulumi");',
          'const hwddm = require("pulumi-hwddm");',
          'const instanceId = new pulumi.Config().require("sourceInstanceId");',
          'const candidates = new hwddm.backup.RestorableInstances("candidates", { instanceId, availableOnly: true });',
          'const windows = new hwddm.backup.RestoreTimeIntervals("windows", { instanceId });',
          "exports.firstTarget = candidates.instances.apply((list) => list[0].instanceId);",
          "exports.latest = windows.latestRestorableTime;",
          "",
        ].join("\n"),
      );
      await run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--silent"], {
        cwd: project,
        timeoutMs: 240_000,
      });
      stack = await stackOf(project, "hwddm-dynamic-user");
    });

    it("`up`, `refresh`, `up` with no changes, `destroy`; the state (secrets decrypted) holds no credential", async () => {
      await stack.run(["up", "--yes", "--skip-preview"]);
      expect(await stack.outputs()).to.deep.equal({ firstTarget: TARGET, latest: LATEST_END });
      await stack.run(["refresh", "--yes", "--skip-preview"]);
      await stack.run(["up", "--yes", "--expect-no-changes"]);
      // Pulumi keeps the whole stack config, encrypted, as the inputs of its own dynamic-provider
      // provider (`pulumi:providers:pulumi-nodejs`); every other resource, decrypted, holds no
      // credential, and nothing in the state holds one in plain text.
      expect(leakedSecrets(await stateOf(stack), te.secretValues)).to.deep.equal([]);
      const decrypted = JSON.parse(
        (await stack.runNoConfig(["stack", "export", "--show-secrets"])).stdout,
      ) as {
        deployment: { resources: { type: string; inputs?: { __provider?: string } }[] };
      };
      const ours = decrypted.deployment.resources.filter((r) => r.type !== "pulumi:providers:pulumi-nodejs");
      expect(ours.filter((r) => typeof r.inputs?.__provider === "string")).to.have.length(2);
      expect(leakedSecrets(JSON.stringify(ours), te.secretValues)).to.deep.equal([]);
      await stack.run(["destroy", "--yes", "--skip-preview"]);
      const after = JSON.parse(await stateOf(stack)) as { deployment: { resources?: unknown[] } };
      expect(after.deployment.resources ?? []).to.deep.equal([]);
    });
  });

  describe("the plugin archive (`npm run plugin:pack`)", () => {
    it("installed with `pulumi plugin install --file`, serves a program whose Pulumi.yaml has no plugins.providers path", async () => {
      await run(process.execPath, [path.join(root, "scripts", "plugin-pack.js")], { cwd: root });
      const version = (require(path.join(root, "package.json")) as { version: string }).version;
      const archive = path.join(
        root,
        "dist",
        "plugin",
        `pulumi-resource-hwddm-v${version}-linux-amd64.tar.gz`,
      );
      // A workspace of its own: the other tests' stacks must not see the installed plugin.
      const own = new EngineWorkspace(PULUMI!);
      try {
        await own.pulumi(["plugin", "install", "resource", "hwddm", version, "--file", archive]);
        const listed = JSON.parse((await own.pulumi(["plugin", "ls", "--json"])).stdout) as Record<
          string,
          unknown
        >[];
        expect(listed.map((p) => [p.name, p.kind, p.version])).to.deep.equal([
          ["hwddm", "resource", version],
        ]);
        fs.accessSync(
          path.join(own.home, "plugins", `resource-hwddm-v${version}`, "pulumi-resource-hwddm"),
          fs.constants.X_OK,
        );
        const project = "hwddm-yaml-installed";
        const stack = await own.initStack(path.join(programs, "yaml-installed"), "installed");
        const { config, secretKeys } = te.stackConfig("token");
        await stack.configure({ [`${project}:sourceInstanceId`]: SOURCE, ...config }, secretKeys);
        // The archive's plugin needs only node on PATH: no node_modules anywhere near it.
        await stack.run(["up", "--yes"]);
        expect((await stack.outputs()).latestRestorableTime).to.equal(LATEST_END);
      } finally {
        own.close();
      }
    });
  });

  describe("every Pulumi language: the SDKs generated from provider/schema.json", () => {
    /** Every file under `dir`, relative, sorted. */
    const files = (dir: string): string[] =>
      fs.existsSync(dir)
        ? fs
            .readdirSync(dir, { recursive: true, withFileTypes: true })
            .filter((e) => e.isFile())
            .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
            .sort()
        : [];

    /** Both data functions and both selection functions answered, as the emulator's data says. */
    const expectSelected = (outputs: Record<string, unknown>) => {
      expect(outputs.candidateCount).to.be.a("number").and.to.be.greaterThan(0);
      expect(outputs.latestRestorableTime).to.equal(LATEST_END);
      expect(outputs.targetInstanceId).to.equal(TARGET);
      expect(outputs.restoreTime).to.equal(new Date(LATEST_END_MS - 300_000).toISOString());
      expect(outputs.restoreTimeEpochMs).to.equal(LATEST_END_MS - 300_000);
    };

    it("sdk/python and sdk/go are exactly what `pulumi package gen-sdk` makes of the schema (`npm run sdk:gen`)", async () => {
      const out = fs.mkdtempSync(path.join(ws.dir, "gen-"));
      await run("bash", [path.join(root, "scripts", "sdk-gen.sh"), out], { cwd: root, timeoutMs: 180_000 });
      for (const lang of ["python", "go"]) {
        const committed = files(path.join(root, "sdk", lang)).filter((f) => !/^go\.(mod|sum)$/.test(f));
        const generated = files(path.join(out, lang));
        expect(committed, `sdk/${lang}: run \`npm run sdk:gen\``).to.deep.equal(generated);
        for (const f of generated) {
          expect(
            fs.readFileSync(path.join(root, "sdk", lang, f), "utf8"),
            `sdk/${lang}/${f}: run \`npm run sdk:gen\``,
          ).to.equal(fs.readFileSync(path.join(out, lang, f), "utf8"));
        }
      }
    });

    it("a Python program (virtualenv: pulumi from PyPI, the generated SDK from sdk/python) exports target and time", async function () {
      this.timeout(400_000);
      await preparePythonSdk(ws.dir);
      const stack = await stackOf(path.join(programs, "python"), "hwddm-python");
      await stack.run(["up", "--yes"]);
      const outputs = await stack.outputs();
      expectSelected(outputs);
    });

    it("a Go program (the generated SDK from sdk/go) exports target and time", async function () {
      this.timeout(400_000);
      const stack = await stackOf(path.join(programs, "go"), "hwddm-go");
      await stack.run(["up", "--yes"], { timeoutMs: 360_000 });
      const outputs = await stack.outputs();
      expectSelected(outputs);
    });
  });
});
