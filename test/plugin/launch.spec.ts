/**
 * The launcher that starts the plugin bundle with V8's code cache (provider/plugin/launch.ts):
 * the second start of the same file uses what the first wrote; a cache V8 rejects, a directory
 * others may write to, or caching switched off never stop the module from running. On Node
 * 22.1 and newer the launcher hands over to Node's own compile cache, in the same directory.
 */
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { TOKENS } from "../../provider/types";
import { spawnPlugin } from "../support/harness";
import { waitFor } from "../support/wait";
import { SOURCE, startTestEmulator } from "./helpers";

const LAUNCH = path.join(__dirname, "..", "..", "provider", "plugin", "launch.js");
const NODE_CACHES =
  typeof (require("module") as { enableCompileCache?: unknown }).enableCompileCache === "function";

describe("plugin launcher: the bundle started with V8's code cache", function () {
  let dir: string;
  let cache: string;
  let file: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "hwddm-launch-"));
    fs.chmodSync(dir, 0o700);
    cache = path.join(dir, "cache");
    file = path.join(dir, "bundle.js");
    fs.writeFileSync(
      file,
      "module.exports = 1;\nfunction answer() { return 6 * 7; }\nprocess.stdout.write(`ran ${answer()}`);\n",
    );
  });

  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Run `file` through the launcher in a fresh node; what it printed and how the cache was used. */
  function launch(env: Record<string, string> = { NODE_COMPILE_CACHE: cache }): { out: string; use: string } {
    const script = `const use = require(${JSON.stringify(LAUNCH)}).loadWithCodeCache(${JSON.stringify(file)});
      process.stdout.write("\\n" + use);`;
    const r = spawnSync(process.execPath, ["-e", script], {
      encoding: "utf8",
      env: { PATH: process.env.PATH, ...env },
    });
    expect(r.status, r.stderr).to.equal(0);
    const [out, use] = r.stdout.split("\n");
    return { out, use };
  }

  const entries = (): string[] => {
    const own = path.join(cache, "pulumi-hwddm");
    return fs.existsSync(own) ? fs.readdirSync(own) : [];
  };

  it("writes a cache on the first start and uses it on the next", function () {
    if (NODE_CACHES) {
      expect(launch()).to.deep.equal({ out: "ran 42", use: "node" });
      expect(
        fs.readdirSync(cache).length,
        "Node's own compile cache, in NODE_COMPILE_CACHE",
      ).to.be.greaterThan(0);
      return;
    }
    expect(launch()).to.deep.equal({ out: "ran 42", use: "written" });
    expect(entries()).to.have.length(1);
    expect(launch()).to.deep.equal({ out: "ran 42", use: "used" });
    expect(fs.statSync(path.join(cache, "pulumi-hwddm", entries()[0])).mode & 0o077).to.equal(0);
  });

  it("a changed bundle gets a fresh entry that replaces the old one", function () {
    if (NODE_CACHES) this.skip();
    launch();
    const before = entries();
    fs.writeFileSync(file, 'process.stdout.write("ran 43");\n');
    expect(launch()).to.deep.equal({ out: "ran 43", use: "written" });
    expect(entries()).to.have.length(1).and.not.deep.equal(before);
    expect(launch().use).to.equal("used");
  });

  it("a cache V8 rejects is ignored and rewritten", function () {
    if (NODE_CACHES) this.skip();
    launch();
    const entry = path.join(cache, "pulumi-hwddm", entries()[0]);
    fs.writeFileSync(entry, Buffer.alloc(4096, 7));
    expect(launch()).to.deep.equal({ out: "ran 42", use: "written" });
    expect(launch().use).to.equal("used");
  });

  it("never loads a cache from a directory others may write to", function () {
    if (NODE_CACHES) this.skip();
    fs.mkdirSync(cache, { mode: 0o777 });
    fs.chmodSync(cache, 0o777);
    expect(launch()).to.deep.equal({ out: "ran 42", use: "unavailable" });
    expect(launch().use).to.equal("unavailable");
  });

  it("NODE_DISABLE_COMPILE_CACHE switches it off, as it does Node's own", function () {
    const r = launch({ NODE_COMPILE_CACHE: cache, NODE_DISABLE_COMPILE_CACHE: "1" });
    expect(r.out).to.equal("ran 42");
    if (!NODE_CACHES) expect(r.use).to.equal("off");
    expect(entries()).to.deep.equal([]);
  });

  it("keeps the newest entries only: plugins in at most 8 places", function () {
    if (NODE_CACHES) this.skip();
    const own = path.join(cache, "pulumi-hwddm");
    fs.mkdirSync(own, { recursive: true, mode: 0o700 });
    for (let i = 0; i < 10; i++) {
      const f = path.join(own, `${String(i).padStart(16, "0")}-old.bin`);
      fs.writeFileSync(f, "x");
      fs.utimesSync(f, 1000 + i, 1000 + i);
    }
    expect(launch().use).to.equal("written");
    const left = entries();
    expect(left).to.have.length(8);
    // The new entry and the seven newest of the others.
    expect(left.filter((n) => n.endsWith("-old.bin")).sort()).to.deep.equal(
      [3, 4, 5, 6, 7, 8, 9].map((i) => `${String(i).padStart(16, "0")}-old.bin`),
    );
  });

  it("the plugin writes its cache once it has answered its first Invoke, while it keeps running", async function () {
    const em = await startTestEmulator();
    const plugin = await spawnPlugin({ env: { ...em.env(), NODE_COMPILE_CACHE: cache } });
    try {
      const files = () =>
        fs.existsSync(cache)
          ? fs.readdirSync(cache, { recursive: true, withFileTypes: true }).filter((e) => e.isFile())
          : [];
      expect(files()).to.deep.equal([]);
      const r = await plugin.client.invoke(TOKENS.getRestorableInstances, { instanceId: SOURCE });
      expect(r.failures).to.deep.equal([]);
      await waitFor(() => files().length > 0, 10_000, "a code cache file");
    } finally {
      await plugin.close();
      await em.close();
    }
  });

  it("the plugin archive and dist/plugin-bundle hold the launcher beside the bundle, and the archive's shim execs it", () => {
    const bundleDir = path.join(__dirname, "..", "..", "plugin-bundle");
    expect(fs.existsSync(path.join(bundleDir, "launch.js"))).to.equal(true);
    expect(fs.existsSync(path.join(bundleDir, "pulumi-resource-hwddm.js"))).to.equal(true);
    // What `npm run plugin:pack` puts in each archive, staged into a directory of our own.
    const stage = path.join(dir, "stage");
    fs.mkdirSync(stage);
    // In a child: esbuild's service process then goes with it.
    const packScript = path.join(__dirname, "..", "..", "..", "scripts", "plugin-pack.js");
    const r = spawnSync(
      process.execPath,
      ["-e", `require(${JSON.stringify(packScript)}).stagePlugin(${JSON.stringify(stage)})`],
      { encoding: "utf8" },
    );
    expect(r.status, r.stderr).to.equal(0);
    expect(fs.existsSync(path.join(stage, "launch.js"))).to.equal(true);
    expect(fs.existsSync(path.join(stage, "pulumi-resource-hwddm.js"))).to.equal(true);
    expect(fs.readFileSync(path.join(stage, "pulumi-resource-hwddm"), "utf8")).to.contain('"$dir/launch.js"');
  });
});
