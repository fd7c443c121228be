/**
 * Face boundaries, read from the TypeScript sources (no build, no loading): the core (everything
 * under provider/ but provider/plugin/) imports no face, no test code and no `@pulumi/pulumi`;
 * a face reaches another face only through that face's entry, never its internals. Every
 * import form counts: `import`, `import type`, `export … from`, `require()` and `import()`.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { packageRoot } from "../../provider/package";

const root = packageRoot();

/** Each face and the one file other faces may import it through. */
const FACES: Record<string, string> = {
  "provider/plugin": "provider/plugin/main.ts",
  cli: "cli/main.ts",
  dynamic: "dynamic/index.ts",
  testing: "testing/index.ts",
  emulator: "emulator/index.ts",
  examples: "examples/demo.ts",
  bench: "bench/index.ts",
};

/** Where a repository path belongs: a face, the core, the tests, or elsewhere (undefined). */
function areaOf(rel: string): string | undefined {
  for (const face of Object.keys(FACES)) if (rel === face || rel.startsWith(`${face}/`)) return face;
  if (rel.startsWith("provider/")) return "core";
  if (rel.startsWith("test/")) return "test";
  return undefined;
}

/** The `.ts` files under `dir` (repository-relative), build output and packages left out. */
function sources(dir: string): string[] {
  return fs
    .readdirSync(path.join(root, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(".ts") && !e.name.endsWith(".d.ts"))
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join("/"))
    .filter((rel) => !/(^|\/)(node_modules|dist|bin)\//.test(rel))
    .sort();
}

/** A relative specifier as the repository file it loads (`x.ts`, or `x/index.ts` for a folder). */
function resolve(from: string, spec: string): string {
  const target = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
  if (fs.existsSync(path.join(root, `${target}.ts`))) return `${target}.ts`;
  if (fs.existsSync(path.join(root, target, "index.ts"))) return `${target}/index.ts`;
  return target;
}

/** Every broken rule in the file `rel` whose text is `text`, one line each. */
function violations(rel: string, text: string): string[] {
  const from = areaOf(rel);
  const found: string[] = [];
  // preProcessFile reads import forms only, so a specifier in a comment or a string is not one.
  for (const { fileName: spec } of ts.preProcessFile(text, true, true).importedFiles) {
    if (!spec.startsWith(".")) {
      if (from === "core" && /^@pulumi\/pulumi(\/|$)/.test(spec))
        found.push(`${rel}: the core imports "${spec}"`);
      continue;
    }
    const target = resolve(rel, spec);
    const to = areaOf(target);
    if (to === undefined || to === from || to === "core") continue;
    if (from === "core")
      found.push(`${rel}: the core imports ${to === "test" ? "test code" : "a face"}, ${target}`);
    else if (to !== "test" && target !== FACES[to])
      found.push(`${rel}: imports ${target}, inside the ${to} face (its entry is ${FACES[to]})`);
  }
  return found;
}

describe("face boundaries (a static scan of the sources' imports)", () => {
  const files = ["provider", "cli", "dynamic", "testing", "emulator", "examples", "bench"].flatMap(sources);

  it("finds the sources: the core, every face and its entry", () => {
    expect(files.filter((f) => areaOf(f) === "core")).to.include.members([
      "provider/index.ts",
      "provider/client.ts",
      "provider/functions/index.ts",
      "provider/restore/job.ts",
      "provider/spec/index.ts",
    ]);
    for (const [face, entry] of Object.entries(FACES)) {
      expect(files, face).to.include(entry);
      expect(areaOf(entry)).to.equal(face);
    }
  });

  it("the core imports no face, no test code and no @pulumi/pulumi; a face imports another only through its entry", () => {
    const broken = files.flatMap((rel) => violations(rel, fs.readFileSync(path.join(root, rel), "utf8")));
    expect(broken).to.deep.equal([]);
  });

  it("the scan sees every import form, and not a specifier in a comment", () => {
    const planted = [
      'import { x } from "./plugin/server";',
      'import type { Y } from "../cli/output";',
      'export { z } from "../emulator/server";',
      'const a = require("../testing");',
      'const b = import("../test/support/harness");',
      'import * as pulumi from "@pulumi/pulumi";',
      'import * as proto from "@pulumi/pulumi/proto/provider_pb";',
      '// import { fine } from "./plugin/engine";',
    ].join("\n");
    expect(violations("provider/select.ts", planted)).to.deep.equal([
      "provider/select.ts: the core imports a face, provider/plugin/server.ts",
      "provider/select.ts: the core imports a face, cli/output.ts",
      "provider/select.ts: the core imports a face, emulator/server.ts",
      "provider/select.ts: the core imports a face, testing/index.ts",
      "provider/select.ts: the core imports test code, test/support/harness.ts",
      'provider/select.ts: the core imports "@pulumi/pulumi"',
      'provider/select.ts: the core imports "@pulumi/pulumi/proto/provider_pb"',
    ]);
    expect(
      violations(
        "cli/commands/x.ts",
        'import { a } from "../../emulator";\nimport { b } from "../../emulator/server";\nimport { c } from "../../provider/plugin/package";\nimport { d } from "../output";\nimport { e } from "../../provider/functions";',
      ),
    ).to.deep.equal([
      "cli/commands/x.ts: imports emulator/server.ts, inside the emulator face (its entry is emulator/index.ts)",
      "cli/commands/x.ts: imports provider/plugin/package.ts, inside the provider/plugin face (its entry is provider/plugin/main.ts)",
    ]);
  });
});
