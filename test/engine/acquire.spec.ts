/**
 * The engine acquires the plugin by itself, as it does for every published provider: fresh user
 * projects with no `plugins.providers` path and no `pulumi plugin install`, automatic plugin
 * acquisition on, a fresh PULUMI_HOME, no ambient plugins, and the schema's pluginDownloadURL
 * (github://…) redirected by PULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES to a loopback server holding
 * what `npm run release:assets` writes.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { EngineWorkspace, findPulumiCli, run } from "../support/pulumi-cli";
import { packageRoot } from "../../provider/plugin/package";
import { LATEST_END, SOURCE, TestEmulator, startTestEmulator } from "../plugin/helpers";
import { packOnce, removeScratchAtEnd } from "../package/helpers";
import { pythonEnvWithSdk } from "./python-env";
import { ReleaseServer, overrides, startReleaseServer } from "./release-server";

removeScratchAtEnd();

const PULUMI = findPulumiCli();
const root = packageRoot();
/** The SDK's package.json: its `pulumi` key is what the engine learns the plugin's server from. */
const pkg = JSON.parse(fs.readFileSync(path.join(root, "sdk", "nodejs", "package.json"), "utf8")) as {
  version: string;
  pulumi: { resource: boolean; name: string; version: string; server: string };
};
const VERSION = pkg.version;
const SERVER = pkg.pulumi.server;
const TAG = `v${VERSION}`;
/** The archive this machine's engine asks for. */
const ASSET = `pulumi-resource-hwddm-${TAG}-${process.platform}-${process.arch === "x64" ? "amd64" : process.arch}.tar.gz`;

/**
 * The npm tarball of the TypeScript SDK a user's project installs (its package.json's `pulumi`
 * key is what the Node.js host reports).
 */
function typescriptSdkTarball(): string {
  return packOnce("pulumi-hwddm").tarball;
}

/** Everything a command printed, both streams. */
const all = (r: { stdout: string; stderr: string }) => `${r.stdout}\n${r.stderr}`;

describe("engine: the engine downloads and installs the plugin by itself", function () {
  this.timeout(300_000);
  let te: TestEmulator;
  /** Holds `<tag>/<asset>` folders: the good release, a corrupt one, an empty one. */
  let releases: { good: string; corrupt: string; empty: string; parent: string };
  const open: { close(): unknown }[] = [];

  before(async function () {
    if (!PULUMI) {
      if (process.env.HWDDM_REQUIRE_ENGINE === "1") {
        throw new Error("HWDDM_REQUIRE_ENGINE=1 but no Pulumi CLI was found: run `npm run pulumi:install`");
      }
      console.log("  acquisition suite skipped: no Pulumi CLI (run `npm run pulumi:install` to build one)");
      return this.skip();
    }
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), "hwddm-releases-"));
    releases = {
      parent,
      good: path.join(parent, "good"),
      corrupt: path.join(parent, "corrupt"),
      empty: path.join(parent, "empty"),
    };
    await run(
      process.execPath,
      [path.join(root, "scripts", "plugin-pack.js"), "--release", path.join(releases.good, TAG)],
      {
        cwd: root,
      },
    );
    fs.mkdirSync(path.join(releases.corrupt, TAG), { recursive: true });
    // A truncated archive: gzip header and a piece of the stream, as a cut download leaves it.
    const whole = fs.readFileSync(path.join(releases.good, TAG, ASSET));
    fs.writeFileSync(
      path.join(releases.corrupt, TAG, ASSET),
      whole.subarray(0, Math.floor(whole.length / 3)),
    );
    fs.mkdirSync(path.join(releases.empty, TAG), { recursive: true });
    te = await startTestEmulator();
  });

  after(async () => {
    for (const o of open.reverse()) await o.close();
    await te?.close();
    if (releases) fs.rmSync(releases.parent, { recursive: true, force: true });
  });

  /**
   * A fresh Pulumi world with automatic plugin acquisition on, ambient plugins ignored, and
   * our GitHub release URL redirected to `server`.
   */
  function acquiringWorkspace(server: ReleaseServer): EngineWorkspace {
    const ws = new EngineWorkspace(PULUMI!);
    open.push(ws);
    delete ws.env.PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION;
    expect(ws.env.PULUMI_IGNORE_AMBIENT_PLUGINS).to.equal("true");
    ws.env.PULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES = overrides(SERVER, server);
    return ws;
  }

  async function serve(dir: string): Promise<ReleaseServer> {
    const server = await startReleaseServer(dir);
    open.push(server);
    return server;
  }

  /**
   * hwddm's entries in PULUMI_HOME/plugins that count as installed: a directory without the
   * `.partial` marker the engine writes before unpacking and removes only after a whole install
   * (its `.lock` files are never removed, by design).
   */
  function installedDirs(ws: EngineWorkspace): string[] {
    const dir = path.join(ws.home, "plugins");
    if (!fs.existsSync(dir)) return [];
    const names = fs.readdirSync(dir);
    return names
      .filter((f) => f.includes("hwddm") && fs.statSync(path.join(dir, f)).isDirectory())
      .filter((f) => !names.includes(`${f}.partial`))
      .sort();
  }

  async function installedPlugins(ws: EngineWorkspace): Promise<unknown[][]> {
    const listed = JSON.parse((await ws.pulumi(["plugin", "ls", "--json"])).stdout) as Record<
      string,
      unknown
    >[];
    return listed.map((p) => [p.name, p.kind, p.version]);
  }

  /** A user's project directory in `ws` with these files. */
  function project(ws: EngineWorkspace, files: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(ws.dir, "project-"));
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    return dir;
  }

  /** A stack of `dir` configured for the emulator (token auth), then `pulumi preview`. */
  async function preview(
    ws: EngineWorkspace,
    dir: string,
    name: string,
    opts: { allowFailure?: boolean; stack?: string; source?: string } = {},
  ) {
    const stack = await ws.initStack(dir, opts.stack ?? "dev");
    const { config, secretKeys } = te.stackConfig("token");
    await stack.configure({ [`${name}:sourceInstanceId`]: opts.source ?? SOURCE, ...config }, secretKeys);
    return stack.run(["preview", "--diff"], { allowFailure: opts.allowFailure });
  }

  /** A Pulumi YAML program as a user writes it for a provider published outside Pulumi. */
  const yamlProgram = (name: string) =>
    [
      `name: ${name}`,
      "runtime: yaml",
      "config:",
      "  sourceInstanceId:",
      "    type: string",
      "variables:",
      "  windows:",
      "    fn::invoke:",
      "      function: hwddm:backup:getRestoreTimeIntervals",
      "      arguments:",
      "        instanceId: ${sourceInstanceId}",
      "      options:",
      `        version: ${VERSION}`,
      `        pluginDownloadURL: ${SERVER}`,
      "outputs:",
      "  latestRestorableTime: ${windows.latestRestorableTime}",
      "",
    ].join("\n");

  it("the schema, the SDK package.json's `pulumi` key and the Python and Go SDKs name one server: the repository's GitHub releases", () => {
    const rootPkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as {
      repository: { url: string };
    };
    const repo = /github\.com\/([^/]+)\/([^/.]+)/.exec(rootPkg.repository.url)!;
    expect(SERVER).to.equal(`github://api.github.com/${repo[1]}/${repo[2]}`);
    expect(pkg.pulumi).to.deep.equal({ resource: true, name: "hwddm", version: VERSION, server: SERVER });
    const schema = JSON.parse(fs.readFileSync(path.join(root, "provider", "schema.json"), "utf8")) as {
      pluginDownloadURL: string;
      version: string;
    };
    expect([schema.pluginDownloadURL, schema.version]).to.deep.equal([SERVER, VERSION]);
    for (const file of ["sdk/python/pulumi_hwddm/pulumi-plugin.json", "sdk/go/hwddm/pulumi-plugin.json"]) {
      expect(JSON.parse(fs.readFileSync(path.join(root, file), "utf8")), file).to.deep.equal(pkg.pulumi);
    }
    const sums = fs.readFileSync(
      path.join(releases.good, TAG, `pulumi-hwddm_${VERSION}_checksums.txt`),
      "utf8",
    );
    expect(sums).to.match(new RegExp(`^[0-9a-f]{64}  ${ASSET.replace(/\./g, "\\.")}$`, "m"));
  });

  /** `pulumi preview` of a fresh project downloads the plugin and the invoke answers. */
  async function expectAcquired(
    files: () => Record<string, string>,
    name: string,
    prepare?: (dir: string) => Promise<void>,
  ) {
    const server = await serve(releases.good);
    const ws = acquiringWorkspace(server);
    const dir = project(ws, files());
    await prepare?.(dir);
    const r = await preview(ws, dir, name);
    expect(r.stdout).to.match(new RegExp(`latestRestorableTime\\s*: "${LATEST_END.replace(/\./g, "\\.")}"`));
    expect(server.requests).to.include(`/${TAG}/${ASSET}`);
    expect(await installedPlugins(ws)).to.deep.equal([["hwddm", "resource", VERSION]]);
    expect(installedDirs(ws)).to.deep.equal([`resource-hwddm-${TAG}`]);
    return { ws, dir };
  }

  it("TypeScript (index.ts; pulumi-hwddm installed from its npm tarball): `pulumi preview` downloads the plugin, the invoke answers", async function () {
    this.timeout(400_000);
    const name = "hwddm-ts-acquire";
    const pulumiVersion = (require("@pulumi/pulumi/package.json") as { version: string }).version;
    const devVersion = (m: string) => (require(`${m}/package.json`) as { version: string }).version;
    await expectAcquired(
      () => ({
        "Pulumi.yaml": `name: ${name}\nruntime: nodejs\n`,
        "package.json": JSON.stringify({
          name,
          private: true,
          main: "index.ts",
          dependencies: { "@pulumi/pulumi": pulumiVersion, "pulumi-hwddm": `file:${typescriptSdkTarball()}` },
          devDependencies: { typescript: devVersion("typescript"), "@types/node": devVersion("@types/node") },
        }),
        "tsconfig.json": JSON.stringify({
          compilerOptions: { strict: true, target: "es2020", module: "commonjs", moduleResolution: "node" },
          files: ["index.ts"],
        }),
        "index.ts": [
          'import * as pulumi from "@pulumi/pulumi";',
          'import * as hwddm from "pulumi-hwddm";',
          "",
          'const instanceId = new pulumi.Config().require("sourceInstanceId");',
          "const windows = hwddm.backup.getRestoreTimeIntervalsOutput({ instanceId });",
          "export const latestRestorableTime = windows.latestRestorableTime;",
          "",
        ].join("\n"),
      }),
      name,
      async (dir) => {
        await run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--silent"], {
          cwd: dir,
          timeoutMs: 300_000,
        });
      },
    );
  });

  it("Python (virtualenv with the SDK from sdk/python): `pulumi preview` downloads the plugin, the invoke answers", async function () {
    this.timeout(400_000);
    const name = "hwddm-python-acquire";
    const venv = await pythonEnvWithSdk(releases.parent);
    await expectAcquired(
      () => ({
        "Pulumi.yaml": `name: ${name}\nruntime:\n  name: python\n  options:\n    virtualenv: ${venv}\n`,
        "__main__.py": [
          "import pulumi",
          "import pulumi_hwddm as hwddm",
          "",
          'source = pulumi.Config().require("sourceInstanceId")',
          "windows = hwddm.backup.get_restore_time_intervals_output(instance_id=source)",
          'pulumi.export("latestRestorableTime", windows.latest_restorable_time)',
          "",
        ].join("\n"),
      }),
      name,
    );
  });

  it("Go (go.mod requiring sdk/go through a replace): `pulumi preview` downloads the plugin, the invoke answers; a failing invoke is reported once", async function () {
    this.timeout(400_000);
    const name = "hwddm-go-acquire";
    const goProgram = path.join(root, "test", "engine", "programs", "go");
    const goMod = fs
      .readFileSync(path.join(goProgram, "go.mod"), "utf8")
      .replace(/^module .*$/m, `module ${name}`)
      .replace(/^replace (\S+) => .*$/m, `replace $1 => ${path.join(root, "sdk", "go")}`);
    const { ws, dir } = await expectAcquired(
      () => ({
        "Pulumi.yaml": `name: ${name}\nruntime: go\n`,
        "go.mod": goMod,
        "go.sum": fs.readFileSync(path.join(goProgram, "go.sum"), "utf8"),
        "main.go": [
          "package main",
          "",
          "import (",
          '\t"github.com/pulumi-hwddm/pulumi-hwddm/sdk/go/hwddm/backup"',
          '\t"github.com/pulumi/pulumi/sdk/v3/go/pulumi"',
          '\t"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"',
          ")",
          "",
          "func main() {",
          "\tpulumi.Run(func(ctx *pulumi.Context) error {",
          '\t\tsource := config.Require(ctx, "sourceInstanceId")',
          "\t\twindows := backup.GetRestoreTimeIntervalsOutput(ctx, backup.GetRestoreTimeIntervalsOutputArgs{InstanceId: pulumi.String(source)})",
          '\t\tctx.Export("latestRestorableTime", windows.LatestRestorableTime())',
          "\t\treturn nil",
          "\t})",
          "}",
          "",
        ].join("\n"),
      }),
      name,
    );
    // The Go SDK reports the invoke's error and exits 32 ("already reported"): the host does not
    // report the exit as a second error.
    const bad = await preview(ws, dir, name, { allowFailure: true, stack: "bad", source: "../etc" });
    expect(bad.code).to.not.equal(0);
    expect(all(bad)).to.contain('"../etc"');
    expect(all(bad)).to.not.match(/exit code/i);
  });

  it("YAML: `pulumi preview` downloads the archive from the release server, installs it, and the invoke answers", async () => {
    const name = "hwddm-yaml-acquire";
    await expectAcquired(() => ({ "Pulumi.yaml": yamlProgram(name) }), name);
  });

  it("`pulumi plugin install resource hwddm <version> --server <release URL>` installs from that server", async () => {
    const server = await serve(releases.good);
    const ws = acquiringWorkspace(server);
    await ws.pulumi(["plugin", "install", "resource", "hwddm", VERSION, "--server", `${server.url}/${TAG}`]);
    expect(server.requests).to.deep.equal([`/${TAG}/${ASSET}`]);
    expect(await installedPlugins(ws)).to.deep.equal([["hwddm", "resource", VERSION]]);
    fs.accessSync(
      path.join(ws.home, "plugins", `resource-hwddm-${TAG}`, "pulumi-resource-hwddm"),
      fs.constants.X_OK,
    );
  });

  for (const [kind, dir, message] of [
    ["a corrupt (truncated) archive", "corrupt", /unexpected EOF/],
    ["a missing archive (404)", "empty", /404 HTTP error fetching plugin/],
  ] as const) {
    it(`${kind} fails \`pulumi preview\` with the engine's message, leaves no half-installed plugin, and a good release then installs`, async () => {
      const server = await serve(releases[dir]);
      const ws = acquiringWorkspace(server);
      const name = "hwddm-yaml-acquire";
      const dirOf = project(ws, { "Pulumi.yaml": yamlProgram(name) });
      const r = await preview(ws, dirOf, name, { allowFailure: true });
      expect(r.code).to.not.equal(0);
      expect(server.requests).to.include(`/${TAG}/${ASSET}`);
      expect(all(r)).to.contain(
        "Could not automatically download and install resource plugin 'pulumi-resource-hwddm'",
      );
      expect(all(r)).to.match(message);
      expect(installedDirs(ws)).to.deep.equal([]);
      expect(await installedPlugins(ws)).to.deep.equal([]);
      // Whatever the failed install left is discarded by the next one.
      const good = await serve(releases.good);
      ws.env.PULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES = overrides(SERVER, good);
      const again = await preview(ws, dirOf, name, { stack: "again" });
      expect(again.stdout).to.contain(LATEST_END);
      expect(installedDirs(ws)).to.deep.equal([`resource-hwddm-${TAG}`]);
    });
  }
});
