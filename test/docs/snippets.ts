/**
 * Type-check documentation snippets as a user's program would compile them: strict, against the
 * installed SDK (`pulumi-hwddm`, the workspace) and this package's public subpaths. Shared by the
 * README spec and the Registry pages' spec.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";

const ROOT = path.resolve(__dirname, "..", "..", "..");

/** Write each snippet as a module in `dir` and return tsc's diagnostics for them ("" when clean). */
export function typeCheckSnippets(snippets: readonly string[], dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const files = snippets.map((code, i) => {
    const file = path.join(dir, `snippet-${i}.ts`);
    fs.writeFileSync(file, `${code}\nexport {};\n`);
    return file;
  });
  const program = ts.createProgram(files, {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ES2022,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    skipLibCheck: true,
    types: ["node", "mocha"],
    baseUrl: ROOT,
    paths: {
      "hwddm/dynamic": ["dynamic/index.ts"],
      "hwddm/emulator": ["emulator/index.ts"],
      "hwddm/testing": ["testing/index.ts"],
    },
    typeRoots: [path.join(ROOT, "node_modules", "@types")],
  });
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file === undefined || files.includes(path.resolve(d.file.fileName)))
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"))
    .join("\n");
}
