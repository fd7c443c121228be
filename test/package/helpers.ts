/**
 * The two packages as npm publishes them: `npm pack` of this repository's root package `hwddm`
 * and of its workspace sdk/nodejs, the SDK `pulumi-hwddm` (scripts skipped: `npm test` has just
 * built dist/ and sdk/nodejs/bin), each unpacked into a temp directory. Packed once per mocha
 * run (per file under --parallel) and shared by the specs using them; removed at the end of it.
 */
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { packageRoot } from "../../provider/plugin/package";

export const ROOT = packageRoot();

export interface Packed {
  /** The .tgz file. */
  tarball: string;
  /** The unpacked package (the tarball's `package/` folder). */
  dir: string;
  /** Every file in the tarball, relative to `dir`, with `/` separators. */
  files: string[];
}

const packed = new Map<string, Packed>();
const scratch: string[] = [];

/**
 * Registers the clean-up as a root hook of the calling spec file: every spec file using these
 * helpers calls it at its top level. Run serially, the hooks run after the last spec file (the
 * pack is shared by all of them); under --parallel a worker runs each file as a run of its own,
 * and a hook registered once, by the first file, would leave the later files' directories.
 */
export function removeScratchAtEnd(): void {
  after(() => {
    for (const d of scratch.splice(0)) fs.rmSync(d, { recursive: true, force: true });
    packed.clear();
  });
}

/** A new temp directory, removed at the end of the mocha run. */
export function tempDir(prefix: string): string {
  const d = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  scratch.push(d);
  return d;
}

/** Run a command; throws with its output when it fails. */
export function run(cmd: string, args: string[], cwd: string, timeoutMs = 120_000): string {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", timeout: timeoutMs, env: process.env });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(" ")} failed (${r.status ?? r.signal}): ${r.stderr}${r.stdout}`);
  }
  return r.stdout;
}

/** Like `run`, without blocking the event loop (for long installs). */
export function runAsync(
  cmd: string,
  args: string[],
  cwd: string,
  timeoutMs = 180_000,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", (e) => (stderr += String(e)));
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The packages of this repository: the root `hwddm` and the SDK workspace `pulumi-hwddm`. */
export type PackageName = "hwddm" | "pulumi-hwddm";

/** `npm pack` one of this repository's packages and unpack it (once per process). */
export function packOnce(name: PackageName = "hwddm"): Packed {
  const known = packed.get(name);
  if (known) return known;
  const built = name === "hwddm" ? ["dist", "cli", "main.js"] : ["sdk", "nodejs", "bin", "index.js"];
  if (!fs.existsSync(path.join(ROOT, ...built))) {
    throw new Error("not built: run `npm run build` first");
  }
  const out = tempDir("hwddm-pack-");
  const workspace = name === "hwddm" ? [] : ["-w", "sdk/nodejs"];
  const json = run(
    "npm",
    ["pack", ...workspace, "--ignore-scripts", "--json", "--pack-destination", out],
    ROOT,
  );
  const [info] = JSON.parse(json) as { filename: string; files: { path: string }[] }[];
  const tarball = path.join(out, info.filename);
  run("tar", ["-xzf", tarball, "-C", out], out);
  const result = {
    tarball,
    dir: path.join(out, "package"),
    files: info.files.map((f) => f.path.split(path.sep).join("/")).sort(),
  };
  packed.set(name, result);
  return result;
}
