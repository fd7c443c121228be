/**
 * What the Python programs of the engine suites run with: a virtual environment (pulumi from
 * PyPI, kept between runs) with the generated SDK installed from sdk/python as it is now.
 */
import * as fs from "fs";
import * as path from "path";
import { run } from "../../examples/pulumi-cli";
import { packageRoot } from "../../provider/plugin/package";

/** The `pulumi` Python SDK (PyPI) the Python programs run with. */
export const PYTHON_PULUMI = "3.272.0";

/** The virtual environment the programs' Pulumi.yaml names (`../../../../.tools/engine-venv/python`). */
export const PYTHON_VENV = path.join(packageRoot(), ".tools", "engine-venv", "python");

/**
 * Make the virtual environment (once per pulumi version) and install the SDK into it, from a
 * copy in `scratchDir` (pip builds in the folder it is given; sdk/python holds only what the
 * generator wrote).
 */
export async function preparePythonSdk(scratchDir: string): Promise<void> {
  const pip = path.join(PYTHON_VENV, "bin", "pip");
  const want = `pulumi==${PYTHON_PULUMI}`;
  const stamp = path.join(PYTHON_VENV, ".hwddm-stamp");
  if (!fs.existsSync(stamp) || fs.readFileSync(stamp, "utf8") !== want) {
    fs.rmSync(PYTHON_VENV, { recursive: true, force: true });
    await run("python3", ["-m", "venv", PYTHON_VENV], { timeoutMs: 120_000 });
    await run(pip, ["install", "-q", "--disable-pip-version-check", want], { timeoutMs: 300_000 });
    fs.writeFileSync(stamp, want);
  }
  const copy = path.join(fs.mkdtempSync(path.join(scratchDir, "sdk-")), "python");
  fs.cpSync(path.join(packageRoot(), "sdk", "python"), copy, { recursive: true });
  await run(pip, ["install", "-q", "--disable-pip-version-check", "--no-deps", "--force-reinstall", copy], {
    timeoutMs: 180_000,
  });
}
