/**
 * The Python environment the engine suite's Python programs run in: a virtualenv with `pulumi`
 * from PyPI (made once, kept in .tools/engine-venv/python while the pinned version holds), and
 * the generated SDK installed from sdk/python as a user installs it from its folder.
 */
import * as fs from "fs";
import * as path from "path";
import { run } from "../support/pulumi-cli";
import { packageRoot } from "../../provider/plugin/package";

/** The `pulumi` Python SDK (PyPI) the Python programs run with. */
export const PYTHON_PULUMI = "3.272.0";

/**
 * The virtualenv, with the SDK as it is now installed into it. `scratch` is a directory the
 * caller removes: pip builds in the folder it is given, so it gets a copy of sdk/python there.
 */
export async function pythonEnvWithSdk(scratch: string): Promise<string> {
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
  const copy = path.join(fs.mkdtempSync(path.join(scratch, "sdk-")), "python");
  fs.cpSync(path.join(root, "sdk", "python"), copy, { recursive: true });
  await run(pip, ["install", "-q", "--disable-pip-version-check", "--no-deps", "--force-reinstall", copy], {
    timeoutMs: 180_000,
  });
  return venv;
}
