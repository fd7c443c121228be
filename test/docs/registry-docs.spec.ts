/**
 * The package pages the Pulumi Registry reads (docs/_index.md, docs/installation-configuration.md)
 * are checked like the README: every example compiles against the SDK of its language (TypeScript
 * with tsc, Go with `go vet` against sdk/go, Python parsed and its calls checked against the
 * generated sdk/python), every YAML program names only tokens, arguments and properties the
 * schema has, every `hwddm:` config key exists, and every version is the package's.
 */
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { typeCheckSnippets } from "./snippets";

const yaml = require("js-yaml") as { load(text: string): unknown };
const ROOT = path.resolve(__dirname, "..", "..", "..");
const PAGES = ["_index.md", "installation-configuration.md"];
const VERSION = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string })
  .version;

interface SchemaFunction {
  inputs?: { properties?: Record<string, unknown> };
  outputs?: { properties?: Record<string, unknown> };
}
interface Schema {
  config: { variables: Record<string, unknown> };
  functions: Record<string, SchemaFunction>;
  resources: Record<
    string,
    { inputProperties?: Record<string, unknown>; properties?: Record<string, unknown> }
  >;
}
const SCHEMA = JSON.parse(fs.readFileSync(path.join(ROOT, "provider", "schema.json"), "utf8")) as Schema;

/** The bodies of one language's fenced blocks across the pages, each with where it is. */
function blocks(lang: string): { page: string; code: string }[] {
  const out: { page: string; code: string }[] = [];
  for (const page of PAGES) {
    const text = fs.readFileSync(path.join(ROOT, "docs", page), "utf8");
    const re = new RegExp("```" + lang + "\\n([\\s\\S]*?)```", "g");
    for (let m = re.exec(text); m; m = re.exec(text)) out.push({ page, code: m[1] });
  }
  return out;
}

function tmpDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

describe("docs: the Registry's package pages", function () {
  this.timeout(300_000);

  it("have the front matter the Registry needs, and every language in every chooser", () => {
    for (const page of PAGES) {
      const text = fs.readFileSync(path.join(ROOT, "docs", page), "utf8");
      const front = /^---\n([\s\S]*?)\n---\n/.exec(text);
      expect(front, `${page}: front matter`).to.not.equal(null);
      const meta = yaml.load(front![1]) as Record<string, string>;
      expect(meta.title, `${page}: title`).to.be.a("string").and.not.equal("");
      expect(meta.meta_desc, `${page}: meta_desc`).to.be.a("string").and.not.equal("");
      expect(meta.layout, `${page}: layout`).to.equal("package");
      const choosers = text.split("{{< chooser language").slice(1);
      for (const chooser of choosers) {
        const body = chooser.split("{{< /chooser >}}")[0];
        for (const lang of ["typescript", "python", "go", "yaml"]) {
          expect(body, `${page}: a ${lang} tab`).to.include(`{{% choosable language ${lang} %}}`);
        }
      }
    }
  });

  it("name only the package's own version", () => {
    let count = 0;
    for (const page of PAGES) {
      const text = fs.readFileSync(path.join(ROOT, "docs", page), "utf8");
      const named = [
        ...text.matchAll(/hwddm (\d+\.\d+\.\d+)/g),
        ...text.matchAll(/hwddm-v(\d+\.\d+\.\d+)/g),
        ...text.matchAll(/"pulumi-hwddm": "\^?(\d+\.\d+\.\d+)"/g),
        ...text.matchAll(/pulumi_hwddm==(\d+\.\d+\.\d+)/g),
        ...text.matchAll(/sdk\/go v(\d+\.\d+\.\d+)/g),
        ...text.matchAll(/version: (\d+\.\d+\.\d+)/g),
      ].map((m) => m[1]);
      count += named.length;
      for (const v of named) expect(v, `${page} names version ${v}`).to.equal(VERSION);
    }
    expect(count, "versions named").to.be.greaterThan(3);
  });

  it("set only config keys the provider has", () => {
    const keys = Object.keys(SCHEMA.config.variables);
    const set = blocks("sh").flatMap((b) => [
      ...b.code.matchAll(/pulumi config set (?:--secret )?hwddm:(\w+)/g),
    ]);
    expect(set.length).to.be.greaterThan(0);
    for (const m of set) expect(keys, `hwddm:${m[1]}`).to.include(m[1]);
    const table = fs.readFileSync(path.join(ROOT, "docs", "installation-configuration.md"), "utf8");
    for (const row of table.matchAll(/^\| (`\w+`(?:, `\w+`)*) \|/gm)) {
      for (const key of row[1].matchAll(/`(\w+)`/g)) expect(keys, `table row ${key[1]}`).to.include(key[1]);
    }
  });

  it("show YAML programs that use only the schema's functions, arguments, resources and properties", () => {
    let programs = 0;
    for (const { page, code } of blocks("yaml")) {
      const doc = yaml.load(code) as Record<string, Record<string, Record<string, unknown>>> | undefined;
      const where = (what: string) => `${page}: ${what}`;
      for (const variable of Object.values(doc?.variables ?? {})) {
        const invoke = variable["fn::invoke"] as
          { function: string; arguments?: Record<string, unknown> } | undefined;
        if (!invoke) continue;
        programs++;
        const fn = SCHEMA.functions[invoke.function];
        expect(fn, where(`function ${invoke.function}`)).to.not.equal(undefined);
        for (const arg of Object.keys(invoke.arguments ?? {})) {
          expect(
            Object.keys(fn.inputs?.properties ?? {}),
            where(`${invoke.function} argument ${arg}`),
          ).to.include(arg);
        }
      }
      for (const resource of Object.values(doc?.resources ?? {})) {
        const type = resource.type as string;
        const spec = SCHEMA.resources[type];
        expect(spec, where(`resource type ${type}`)).to.not.equal(undefined);
        for (const prop of Object.keys((resource.properties as Record<string, unknown>) ?? {})) {
          expect(Object.keys(spec.inputProperties ?? {}), where(`${type} property ${prop}`)).to.include(prop);
        }
      }
    }
    expect(programs, "YAML programs with invokes").to.be.greaterThan(1);
  });

  it("show TypeScript that compiles against the SDK", () => {
    const snippets = blocks("typescript").map((b) => b.code);
    expect(snippets.length).to.be.greaterThan(1);
    // Under the repository (dist/), so that `pulumi-hwddm` resolves to the workspace's SDK.
    const text = typeCheckSnippets(snippets, path.join(ROOT, "dist", "registry-docs-snippets"));
    expect(text, text).to.equal("");
  });

  it("show Python that parses and calls only what sdk/python defines, with its keyword arguments", function () {
    const python = spawnSync("python3", ["--version"]);
    if (python.status !== 0) return this.skip();
    const code = blocks("python").map((b) => b.code);
    expect(code.length).to.be.greaterThan(1);
    // A small checker in Python's own parser: hwddm.backup.NAME(...) calls against the SDK's
    // functions and classes (every __init__ overload of a class counts).
    const checker = `
import ast, json, pathlib, sys
sdk = pathlib.Path(sys.argv[1])
defined = {}
for f in sdk.glob("*.py"):
    for node in ast.parse(f.read_text()).body:
        if isinstance(node, ast.FunctionDef):
            defined.setdefault(node.name, set()).update(a.arg for a in node.args.args + node.args.kwonlyargs)
        elif isinstance(node, ast.ClassDef):
            params = defined.setdefault(node.name, set())
            for item in node.body:
                if isinstance(item, ast.FunctionDef) and item.name == "__init__":
                    params.update(a.arg for a in item.args.args + item.args.kwonlyargs)
problems = []
for i, src in enumerate(json.load(sys.stdin)):
    tree = ast.parse(src)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            base = node.func.value
            if isinstance(base, ast.Attribute) and base.attr == "backup" and getattr(base.value, "id", "") == "hwddm":
                name = node.func.attr
                if name not in defined:
                    problems.append(f"block {i}: hwddm.backup.{name} is not in the SDK")
                    continue
                for kw in node.keywords:
                    if kw.arg not in defined[name]:
                        problems.append(f"block {i}: hwddm.backup.{name} has no argument {kw.arg}")
print("\\n".join(problems))
`;
    const r = spawnSync(
      "python3",
      ["-c", checker, path.join(ROOT, "sdk", "python", "pulumi_hwddm", "backup")],
      {
        input: JSON.stringify(code),
        encoding: "utf8",
      },
    );
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout.trim(), r.stdout).to.equal("");
  });

  it("show Go that `go vet` accepts against sdk/go", function () {
    if (spawnSync("go", ["version"]).status !== 0) {
      if (process.env.HWDDM_REQUIRE_ENGINE === "1")
        throw new Error("HWDDM_REQUIRE_ENGINE=1 but no `go` on PATH");
      return this.skip();
    }
    const code = blocks("go").map((b) => b.code);
    expect(code.length).to.be.greaterThan(1);
    const dir = tmpDir("hwddm-docs-go-");
    try {
      const engineProgram = path.join(ROOT, "test", "engine", "programs", "go");
      const mod = fs
        .readFileSync(path.join(engineProgram, "go.mod"), "utf8")
        .replace(/^module .*$/m, "module hwddm-docs-snippets")
        .replace(/^replace .*$/gm, "");
      fs.writeFileSync(
        path.join(dir, "go.mod"),
        `${mod}\nreplace github.com/pulumi-hwddm/pulumi-hwddm/sdk/go => ${path.join(ROOT, "sdk", "go")}\n`,
      );
      fs.copyFileSync(path.join(engineProgram, "go.sum"), path.join(dir, "go.sum"));
      code.forEach((src, i) => {
        fs.mkdirSync(path.join(dir, `snippet${i}`));
        fs.writeFileSync(path.join(dir, `snippet${i}`, "main.go"), src);
      });
      const fmt = spawnSync("gofmt", ["-l", "."], { cwd: dir, encoding: "utf8" });
      expect(fmt.status, fmt.stderr).to.equal(0);
      expect(fmt.stdout.trim(), `not gofmt-formatted: ${fmt.stdout}`).to.equal("");
      const vet = spawnSync("go", ["vet", "./..."], {
        cwd: dir,
        encoding: "utf8",
        env: { ...process.env, GOFLAGS: "-mod=mod", GOTOOLCHAIN: "local" },
      });
      expect(vet.status, vet.stderr).to.equal(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
