/**
 * The Python environment the engine suite's Python programs run in: a virtualenv with `pulumi`
 * from PyPI (made once, kept in .tools/engine-venv/python while the pinned version holds), and
 * the generated SDK installed from sdk/python as a user installs it from its folder (again only
 * when sdk/python changed: a reinstall under a running program would pull files from under it).
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { run } from "../support/pulumi-cli";
import { packageRoot } from "../../provider/plugin/package";
import { waitFor } from "../support/wait";

/** The `pulumi` Python SDK (PyPI) the Python programs run with. */
export const PYTHON_PULUMI = "3.272.0";

let ready: Promise<string> | undefined;

/**
 * The virtualenv, with the SDK as it is now installed into it. `scratch` is a directory the
 * caller removes: pip builds in the folder it is given, so it gets a copy of sdk/python there.
 * Once per process, and under a lock shared by every process (mocha workers) using the venv.
 */
export function pythonEnvWithSdk(scratch: string): Promise<string> {
  ready ??= withLock(() => install(scratch));
  // A failed install is not kept: the next caller tries again.
  ready.catch(() => (ready = undefined));
  return ready;
}

/** A digest of every file under `dir` (names and contents). */
function digestOf(dir: string): string {
  const hash = createHash("sha256");
  const files = fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
  for (const f of files) hash.update(path.relative(dir, f)).update("\0").update(fs.readFileSync(f));
  return hash.digest("hex");
}

/** Run `fn` holding .tools/engine-venv/.lock (a directory: mkdir is atomic). */
async function withLock<T>(fn: () => Promise<T>): Promise<T> {
  const parent = path.join(packageRoot(), ".tools", "engine-venv");
  fs.mkdirSync(parent, { recursive: true });
  const lock = path.join(parent, ".lock");
  // A lock older than any install is a crashed run's: taken over.
  const stale = () => {
    try {
      return Date.now() - fs.statSync(lock).mtimeMs > 15 * 60_000;
    } catch {
      return true;
    }
  };
  const take = () => {
    try {
      fs.mkdirSync(lock);
      return true;
    } catch {
      if (stale()) fs.rmSync(lock, { recursive: true, force: true });
      return false;
    }
  };
  await waitFor(take, 15 * 60_000, "the engine venv's lock", 200);
  try {
    return await fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

async function install(scratch: string): Promise<string> {
  const root = packageRoot();
  const venv = path.join(root, ".tools", "engine-venv", "python");
  const pip = path.join(venv, "bin", "pip");
  // The venv's own path is part of the stamp: a venv copied from another checkout runs that
  // checkout's pip (its scripts name their interpreter by absolute path), so it is made anew.
  const want = `pulumi==${PYTHON_PULUMI} ${venv}`;
  const stamp = path.join(venv, ".hwddm-stamp");
  if (!fs.existsSync(stamp) || fs.readFileSync(stamp, "utf8") !== want) {
    fs.rmSync(venv, { recursive: true, force: true });
    await run("python3", ["-m", "venv", venv], { timeoutMs: 120_000 });
    await run(pip, ["install", "-q", "--disable-pip-version-check", `pulumi==${PYTHON_PULUMI}`], {
      timeoutMs: 300_000,
    });
    fs.writeFileSync(stamp, want);
  }
  const sdk = path.join(root, "sdk", "python");
  const sdkStamp = path.join(venv, ".hwddm-sdk-stamp");
  const digest = digestOf(sdk);
  if (fs.existsSync(sdkStamp) && fs.readFileSync(sdkStamp, "utf8") === digest) return venv;
  const copy = path.join(fs.mkdtempSync(path.join(scratch, "sdk-")), "python");
  fs.cpSync(sdk, copy, { recursive: true });
  await run(pip, ["install", "-q", "--disable-pip-version-check", "--no-deps", "--force-reinstall", copy], {
    timeoutMs: 180_000,
  });
  fs.writeFileSync(sdkStamp, digest);
  return venv;
}
