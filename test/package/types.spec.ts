/**
 * A TypeScript program that installed both packed packages type-checks its imports of the SDK
 * `pulumi-hwddm` and of `hwddm/dynamic`, `hwddm/emulator` and `hwddm/testing` under each module
 * resolution a user may have: `node` (node10: what `pulumi new typescript` sets; it ignores
 * `exports`, so the subpaths need `typesVersions`), `node16` and `bundler`. The compiler
 * options are the Pulumi template's (no skipLibCheck).
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { ROOT, packOnce, removeScratchAtEnd, tempDir } from "./helpers";

removeScratchAtEnd();

const CONSUMER = `import * as pulumi from "@pulumi/pulumi";
import * as hwddm from "pulumi-hwddm";
import { RestorableInstances, RestoreTimeIntervals } from "hwddm/dynamic";
import { defaultFixture, startEmulator } from "hwddm/emulator";
import { HwddmMocks, hwddmMocks } from "hwddm/testing";

const mocks: HwddmMocks = hwddmMocks({ fixture: defaultFixture(), mocks: { newResource: (a) => ({ id: a.name, state: a.inputs }) } });
void pulumi.runtime.setMocks(mocks, "project", "stack", false);

export const targetId: pulumi.Output<string> = hwddm.backup
  .getRestorableInstancesOutput({ instanceId: "i" })
  .apply((r) => hwddm.selectRestoreTarget(r, { vpcName: "v" }).instanceId);

const plan = hwddm.backup.planRestoreOutput({ instanceId: "i", vpcName: "v", latest: true });
const restore: hwddm.backup.Restore = new hwddm.backup.Restore("r", {
  instanceId: "i",
  targetInstanceId: plan.targetInstanceId,
  restoreTime: plan.restoreTime,
  dataNodeRelations: [{ sourceInstanceId: "s", targetInstanceId: pulumi.output("t") }],
});
export const jobId: pulumi.Output<string> = restore.jobId;
export const mapping: pulumi.Output<readonly hwddm.types.output.backup.PlannedDataNodeRelation[]> =
  restore.plan.dataNodeRelations;
export const restoreToken: string = hwddm.RESOURCE_TOKENS.restore;

export async function checkRestore(): Promise<number> {
  const nodes = await hwddm.backup.getRelatedDataNodes({ instanceId: "i", restoreTime: 1747735200000 });
  const targets = await hwddm.backup.getRestorableDataNodes({
    instanceId: "i",
    targetInstanceId: "t",
    sourceDataNodeId: nodes.dataNodes[0].instanceId,
    restoreTime: nodes.restoreTime,
  });
  const p = await hwddm.backup.planRestore({ instanceId: "i", at: nodes.restoreTime, dataNodeRelations: [{ sourceInstanceId: "s", targetInstanceId: "t" }] });
  if (targets.dataNodes.length === 0) return 0;
  // @ts-expect-error restoreTime is required
  new hwddm.backup.Restore("x", { instanceId: "i", targetInstanceId: "t" });
  return (nodes.dataNodes[0].dataVolumeSize ?? 0) + p.restoreTimeEpochMs;
}

export async function check(): Promise<number> {
  const r = await hwddm.backup.getRestorableInstances({ instanceId: "i" });
  const w = await hwddm.backup.getRestoreTimeIntervals({ instanceId: "i" });
  const em = await startEmulator({ port: 0 });
  await em.close();
  const err: unknown = new Error("x");
  return hwddm.HwddmError.isInstance(err) ? 0 : hwddm.selectRestoreTime(w, { latest: true }).epochMs + r.total;
}

const candidates = new RestorableInstances("candidates", { instanceId: "i", availableOnly: true });
export const firstTarget: pulumi.Output<string | undefined> = candidates.instances.apply((l) => l[0]?.instanceId);
// @ts-expect-error the dynamic resources take the SDK function's arguments: instanceId is required
new RestoreTimeIntervals("windows", {});
`;

/** The \`pulumi new typescript\` template's compiler options, with one module resolution. */
function options(kind: "node10" | "node16" | "bundler"): ts.CompilerOptions {
  const base: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2020,
    sourceMap: true,
    experimentalDecorators: true,
    noFallthroughCasesInSwitch: true,
    noImplicitReturns: true,
    forceConsistentCasingInFileNames: true,
    types: ["node"],
  };
  switch (kind) {
    case "node10":
      return { ...base, module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10 };
    case "node16":
      return { ...base, module: ts.ModuleKind.Node16, moduleResolution: ts.ModuleResolutionKind.Node16 };
    case "bundler":
      return { ...base, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler };
  }
}

/**
 * A project directory with the unpacked tarballs copied to `node_modules/hwddm` and
 * `node_modules/pulumi-hwddm` (as npm installs them) and the rest of this repository's
 * `node_modules` linked beside them. `edit` changes hwddm's package.json.
 */
function consumerProject(edit?: (manifest: Record<string, unknown>) => void): string {
  const dir = tempDir("hwddm-consumer-");
  const modules = path.join(dir, "node_modules");
  fs.mkdirSync(modules);
  for (const entry of fs.readdirSync(path.join(ROOT, "node_modules"))) {
    if (entry.startsWith(".") || entry === "pulumi-hwddm" || entry === "hwddm") continue;
    fs.symlinkSync(path.join(ROOT, "node_modules", entry), path.join(modules, entry), "dir");
  }
  fs.cpSync(packOnce("pulumi-hwddm").dir, path.join(modules, "pulumi-hwddm"), { recursive: true });
  const installed = path.join(modules, "hwddm");
  fs.cpSync(packOnce("hwddm").dir, installed, { recursive: true });
  if (edit) {
    const file = path.join(installed, "package.json");
    const manifest = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
    edit(manifest);
    fs.writeFileSync(file, JSON.stringify(manifest, null, 2));
  }
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true }));
  fs.writeFileSync(path.join(dir, "index.ts"), CONSUMER);
  return dir;
}

/** Type-check `index.ts` of `dir`; the diagnostics as `TS<code>: <message>` lines. */
function typeCheck(dir: string, kind: "node10" | "node16" | "bundler"): string[] {
  const program = ts.createProgram([path.join(dir, "index.ts")], options(kind));
  return ts
    .getPreEmitDiagnostics(program)
    .map(
      (d) =>
        `TS${d.code}: ${d.file ? `${path.relative(dir, d.file.fileName)}: ` : ""}${ts.flattenDiagnosticMessageText(d.messageText, " ")}`,
    );
}

describe("package: the packed types, from a program that installed them", function () {
  this.timeout(120_000);
  let dir: string;

  before(() => {
    dir = consumerProject();
  });

  for (const kind of ["node10", "node16", "bundler"] as const) {
    it(`type-checks the root and every subpath import under moduleResolution ${kind === "node10" ? '"node" (node10)' : kind}`, () => {
      const problems = typeCheck(dir, kind);
      expect(problems, problems.join("\n")).to.deep.equal([]);
    });
  }

  it('without typesVersions, moduleResolution "node" cannot find the subpaths (TS2307): the check above has teeth', () => {
    const bare = consumerProject((m) => delete m.typesVersions);
    const problems = typeCheck(bare, "node10");
    for (const sub of ["dynamic", "emulator", "testing"]) {
      expect(
        problems.some((p) => p.startsWith("TS2307") && p.includes(`hwddm/${sub}`)),
        problems.join("\n"),
      ).to.equal(true);
    }
  });
});
