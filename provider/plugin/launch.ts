/**
 * Starts the plugin bundle (one 2 MB file, see scripts/plugin-pack.js) with V8's code cache, so
 * that only the first start after an install compiles it: compiling is most of what the plugin
 * adds to a bare `node` start, and the engine starts the plugin on every `pulumi preview`/`up`.
 *
 * Node 22.1 and newer have this built in (`module.enableCompileCache`); on older lines the same
 * is done here with `vm.Script` and `cachedData`, in the same place (`NODE_COMPILE_CACHE`, else
 * `<tmpdir>/node-compile-cache`) and switched off the same way (`NODE_DISABLE_COMPILE_CACHE=1`).
 * A cache file is trusted only in a directory that this user owns and nobody else may write to;
 * V8 itself rejects one made for other source or by another V8, and then the bundle is compiled
 * as usual and the file rewritten. Any failure to cache costs only the speed-up.
 *
 * Copied beside the bundle (dist/plugin-bundle, the plugin archive) and run from there; it must
 * load nothing but Node's own modules.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as vm from "node:vm";
import Module = require("node:module");

/** The bundle's file name beside this launcher. */
export const BUNDLE_FILE = "pulumi-resource-hwddm.js";

interface NodeModuleInternals {
  enableCompileCache?: () => unknown;
  flushCompileCache?: () => void;
  wrap(source: string): string;
  _nodeModulePaths(dir: string): string[];
}

/**
 * Set by the launcher, called by the plugin once it has answered its first Invoke (service.ts):
 * the cache then holds what starting and answering compiled, the work on the engine's path.
 */
const WARM = Symbol.for("pulumi-hwddm.plugin.warm");

/** Say that the code a start needs has run: the launcher writes the code cache now, if it waits to. */
export function signalWarm(): void {
  const hooks = globalThis as Record<symbol, (() => void) | undefined>;
  const save = hooks[WARM];
  delete hooks[WARM];
  save?.();
}

/** What happened to the cache on this start (the tests and the benchmark read it). */
export type CacheUse = "node" | "off" | "used" | "written" | "unavailable";

/** Where cache files may live, or undefined when no safe place exists. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.NODE_DISABLE_COMPILE_CACHE) return undefined;
  const base = env.NODE_COMPILE_CACHE || path.join(os.tmpdir(), "node-compile-cache");
  const dir = path.join(base, "pulumi-hwddm");
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    // A shared temp directory: a file someone else could have written is never loaded.
    for (const d of [base, dir]) {
      const st = fs.statSync(d);
      const uid = typeof process.getuid === "function" ? process.getuid() : st.uid;
      if (!st.isDirectory() || st.uid !== uid || (st.mode & 0o022) !== 0) return undefined;
    }
    return dir;
  } catch {
    return undefined;
  }
}

/**
 * Load `file` (a CommonJS module that needs only Node's own modules) as `require` would, with a
 * code cache. Returns how the cache was used.
 */
export function loadWithCodeCache(file: string, env: NodeJS.ProcessEnv = process.env): CacheUse {
  const nodeModule = Module as unknown as NodeModuleInternals;
  if (typeof nodeModule.enableCompileCache === "function") {
    nodeModule.enableCompileCache();
    // Node writes its cache at exit; from 22.10 on it can be told to write it when warm, too.
    if (typeof nodeModule.flushCompileCache === "function")
      (globalThis as Record<symbol, unknown>)[WARM] = () => nodeModule.flushCompileCache?.();
    require(file);
    return "node";
  }
  const bytes = fs.readFileSync(file);
  const source = bytes.toString("utf8");
  const dir = cacheDir(env);
  // One entry per bundle location; its name also says which source and which V8 made it.
  const where = crypto.createHash("sha256").update(file).digest("hex").slice(0, 16);
  const what = crypto
    .createHash("sha256")
    .update(`${process.version} ${process.arch} ${process.execArgv.join(" ")}\n`)
    .update(bytes)
    .digest("hex")
    .slice(0, 32);
  const cacheFile = dir ? path.join(dir, `${where}-${what}.bin`) : undefined;
  let cached: Buffer | undefined;
  if (cacheFile) {
    try {
      cached = fs.readFileSync(cacheFile);
    } catch {
      cached = undefined;
    }
  }
  const script = new vm.Script(nodeModule.wrap(source), { filename: file, cachedData: cached });
  const used = cached !== undefined && !script.cachedDataRejected;
  if (cacheFile && !used) saveLater(script, dir as string, where, cacheFile);

  const mod = new Module(file, module);
  mod.filename = file;
  mod.paths = nodeModule._nodeModulePaths(path.dirname(file));
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(mod.exports, mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
  mod.loaded = true;
  return !dir ? (env.NODE_DISABLE_COMPILE_CACHE ? "off" : "unavailable") : used ? "used" : "written";
}

/** Write the cache once: when the plugin says it is warm, or at exit. */
function saveLater(script: vm.Script, dir: string, where: string, cacheFile: string): void {
  let saved = false;
  const save = () => {
    if (saved) return;
    saved = true;
    try {
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
      fs.renameSync(tmp, cacheFile);
      pruneEntries(dir, where, cacheFile);
    } catch {
      // Read-only or full: the next start compiles again.
    }
  };
  (globalThis as Record<symbol, unknown>)[WARM] = save;
  process.once("exit", save);
}

/** Entries kept: plugins installed in this many places start from the cache. */
const MAX_ENTRIES = 8;

/** Drop older entries for this bundle's place, then all but the newest MAX_ENTRIES. */
function pruneEntries(dir: string, where: string, keep: string): void {
  const entries = fs
    .readdirSync(dir)
    .filter((name) => name.endsWith(".bin"))
    .map((name) => ({ file: path.join(dir, name), name, mtime: fs.statSync(path.join(dir, name)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  const others = entries.filter((e) => e.file !== keep);
  const samePlace = others.filter((e) => e.name.startsWith(`${where}-`));
  const elsewhere = others.filter((e) => !e.name.startsWith(`${where}-`)).slice(MAX_ENTRIES - 1);
  for (const e of [...samePlace, ...elsewhere]) fs.rmSync(e.file, { force: true });
}

if (require.main === module) loadWithCodeCache(path.join(__dirname, BUNDLE_FILE));
