/**
 * provider/schema.json is the source of truth the SDK (written by hand, in the generated
 * style) and the core's types must agree with. This reads the TypeScript sources with the
 * compiler API and lists every disagreement; the suite fails on any, and a mutated schema
 * shows that it can.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { ENV_NAMES } from "../../provider/config";
import { packageRoot, packageVersion, schemaPath } from "../../provider/plugin/package";
import { CONFIG_KEYS, SECRET_CONFIG_KEYS, TOKENS } from "../../provider/types";

type Json = Record<string, unknown>;
interface PropInfo {
  optional: boolean;
  readonly: boolean;
  type: string;
  doc: string;
}

const root = packageRoot();

function source(rel: string): ts.SourceFile {
  const file = path.join(root, rel);
  return ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
}

/** Every interface in a file (namespaces included), by name. */
function interfacesOf(sf: ts.SourceFile): Map<string, ts.InterfaceDeclaration> {
  const out = new Map<string, ts.InterfaceDeclaration>();
  const visit = (n: ts.Node) => {
    if (ts.isInterfaceDeclaration(n)) out.set(n.name.text, n);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/** The properties of an interface, following `extends` within the same file. */
function propsOf(sf: ts.SourceFile, name: string): Map<string, PropInfo> {
  const all = interfacesOf(sf);
  const decl = all.get(name);
  if (!decl) throw new Error(`no interface ${name} in ${sf.fileName}`);
  const out = new Map<string, PropInfo>();
  for (const h of decl.heritageClauses ?? []) {
    for (const t of h.types) for (const [k, v] of propsOf(sf, t.expression.getText(sf))) out.set(k, v);
  }
  for (const m of decl.members) {
    if (!ts.isPropertySignature(m) || !m.type) continue;
    const docs = ts.getJSDocCommentsAndTags(m).map((d) => d.getText(sf));
    out.set(m.name.getText(sf), {
      optional: m.questionToken !== undefined,
      readonly: (m.modifiers ?? []).some((x) => x.kind === ts.SyntaxKind.ReadonlyKeyword),
      type: m.type.getText(sf).replace(/\s+/g, " "),
      doc: docs.join("\n"),
    });
  }
  return out;
}

/** `declare readonly x: pulumi.Output<T>` fields of a class. */
function classOutputs(sf: ts.SourceFile, name: string): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (n: ts.Node) => {
    if (ts.isClassDeclaration(n) && n.name?.text === name) {
      for (const m of n.members) {
        if (
          ts.isPropertyDeclaration(m) &&
          m.type &&
          (m.modifiers ?? []).some((x) => x.kind === ts.SyntaxKind.DeclareKeyword)
        ) {
          out.set(m.name.getText(sf), m.type.getText(sf));
        }
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/** `pulumi.runtime.invoke*("token", { ...keys }, opts)` calls in a file. */
function invokeCalls(sf: ts.SourceFile): { fn: string; token: string; keys: string[] }[] {
  const out: { fn: string; token: string; keys: string[] }[] = [];
  const visit = (n: ts.Node) => {
    if (ts.isCallExpression(n) && /^pulumi\.runtime\.invoke(Output)?$/.test(n.expression.getText(sf))) {
      const [tok, obj] = n.arguments;
      if (ts.isStringLiteral(tok) && ts.isObjectLiteralExpression(obj)) {
        out.push({
          fn: n.expression.getText(sf),
          token: tok.text,
          keys: obj.properties.map((p) => p.name!.getText(sf).replace(/"/g, "")),
        });
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/** A TypeScript type (Input/Output unwrapped) as a schema type description. */
function schemaTypeOfTs(type: string): string {
  let t = type.trim();
  for (;;) {
    const m = /^pulumi\.(Input|Output)<(.*)>$/.exec(t);
    if (!m) break;
    t = m[2].trim();
  }
  t = t.replace(/\s*\|\s*undefined$/, "");
  const arr = /^(?:readonly\s+)?(.*)\[\]$/.exec(t);
  if (arr) return `array<${schemaTypeOfTs(arr[1])}>`;
  if (t.includes("|")) {
    return t
      .split("|")
      .map((x) => schemaTypeOfTs(x))
      .sort()
      .join("|");
  }
  if (t === "number") return "number";
  if (["string", "boolean"].includes(t)) return t;
  const ref = /(?:^|\.)(RestorableInstance|RestoreTimeInterval)(?:Out)?$/.exec(t);
  if (ref) return `ref<${ref[1]}>`;
  return `?${t}`;
}

/** A schema property as the same description. */
function schemaTypeOf(p: Json): string {
  if (Array.isArray(p.oneOf)) {
    return (p.oneOf as Json[])
      .map((x) => schemaTypeOf(x))
      .sort()
      .join("|");
  }
  if (typeof p.$ref === "string") return `ref<${p.$ref.replace("#/types/hwddm:backup:", "")}>`;
  if (p.type === "array") return `array<${schemaTypeOf(p.items as Json)}>`;
  if (p.type === "integer") return "number";
  return String(p.type);
}

function compareProps(
  where: string,
  schemaProps: Json,
  required: string[],
  ts: Map<string, PropInfo>,
  opts: { readonly?: boolean; docs?: boolean } = {},
): string[] {
  const problems: string[] = [];
  const schemaKeys = Object.keys(schemaProps).sort();
  const tsKeys = [...ts.keys()].sort();
  for (const k of schemaKeys)
    if (!ts.has(k)) problems.push(`${where}: ${k} is in the schema, not in TypeScript`);
  for (const k of tsKeys)
    if (!(k in schemaProps)) problems.push(`${where}: ${k} is in TypeScript, not in the schema`);
  for (const k of schemaKeys.filter((x) => ts.has(x))) {
    const p = ts.get(k)!;
    const want = schemaTypeOf(schemaProps[k] as Json);
    const got = schemaTypeOfTs(p.type);
    if (want !== got) problems.push(`${where}.${k}: schema type ${want}, TypeScript ${p.type}`);
    if (p.optional === required.includes(k)) {
      problems.push(
        `${where}.${k}: schema ${required.includes(k) ? "requires" : "does not require"} it, TypeScript says optional=${p.optional}`,
      );
    }
    if (opts.readonly && !p.readonly) problems.push(`${where}.${k}: not readonly`);
    if (opts.readonly && /\[\]$/.test(p.type.trim()) && !/^readonly\s/.test(p.type.trim()))
      problems.push(`${where}.${k}: a mutable array type (${p.type}); result arrays are readonly`);
    if (opts.docs && !/\/\*\*[\s\S]*\w[\s\S]*\*\//.test(p.doc))
      problems.push(`${where}.${k}: no doc comment`);
    if (!(schemaProps[k] as Json).description) problems.push(`schema ${where}.${k}: no description`);
  }
  return problems;
}

/** Every way the schema, the SDK and the core types disagree. */
export function schemaDisagreements(schema: Json): string[] {
  const problems: string[] = [];
  const core = source("provider/types.ts");
  const fnFiles: Record<string, { file: string; name: string; coreArgs: string; coreResult: string }> = {
    [TOKENS.getRestorableInstances]: {
      file: "sdk/backup/getRestorableInstances.ts",
      name: "GetRestorableInstances",
      coreArgs: "GetRestorableInstancesArgs",
      coreResult: "GetRestorableInstancesResult",
    },
    [TOKENS.getRestoreTimeIntervals]: {
      file: "sdk/backup/getRestoreTimeIntervals.ts",
      name: "GetRestoreTimeIntervals",
      coreArgs: "GetRestoreTimeIntervalsArgs",
      coreResult: "GetRestoreTimeIntervalsResult",
    },
    [TOKENS.selectRestoreTarget]: {
      file: "sdk/backup/selectRestoreTarget.ts",
      name: "SelectRestoreTarget",
      coreArgs: "SelectRestoreTargetArgs",
      coreResult: "SelectRestoreTargetResult",
    },
    [TOKENS.selectRestoreTime]: {
      file: "sdk/backup/selectRestoreTime.ts",
      name: "SelectRestoreTime",
      coreArgs: "SelectRestoreTimeArgs",
      coreResult: "SelectRestoreTimeResult",
    },
  };
  const functions = (schema.functions ?? {}) as Record<string, Json>;
  const tokens = Object.keys(functions).sort();
  if (JSON.stringify(tokens) !== JSON.stringify(Object.keys(fnFiles).sort())) {
    problems.push(`schema functions ${tokens} are not the SDK's ${Object.keys(fnFiles)}`);
  }
  for (const [token, f] of Object.entries(fnFiles)) {
    const fn = functions[token];
    if (!fn) continue;
    if (!fn.description) problems.push(`schema ${token}: no description`);
    const inputs = (fn.inputs ?? {}) as Json;
    const outputs = (fn.outputs ?? {}) as Json;
    const inProps = (inputs.properties ?? {}) as Json;
    const outProps = (outputs.properties ?? {}) as Json;
    const inReq = (inputs.required ?? []) as string[];
    const outReq = (outputs.required ?? []) as string[];
    const sdk = source(f.file);
    problems.push(
      ...compareProps(`${f.name}Args`, inProps, inReq, propsOf(sdk, `${f.name}Args`), { docs: true }),
    );
    problems.push(
      ...compareProps(`${f.name}OutputArgs`, inProps, inReq, propsOf(sdk, `${f.name}OutputArgs`), {
        docs: true,
      }),
    );
    problems.push(
      ...compareProps(`${f.name}Result`, outProps, outReq, propsOf(sdk, `${f.name}Result`), {
        readonly: true,
        docs: true,
      }),
    );
    problems.push(...compareProps(`core ${f.coreArgs}`, inProps, inReq, propsOf(core, f.coreArgs)));
    problems.push(...compareProps(`core ${f.coreResult}`, outProps, outReq, propsOf(core, f.coreResult)));
    const calls = invokeCalls(sdk);
    if (
      calls
        .map((c) => c.fn)
        .sort()
        .join() !== "pulumi.runtime.invoke,pulumi.runtime.invokeOutput"
    ) {
      problems.push(
        `${f.file}: expected one invoke and one invokeOutput call, found ${calls.map((c) => c.fn)}`,
      );
    }
    for (const c of calls) {
      if (c.token !== token) problems.push(`${f.file}: ${c.fn} calls ${c.token}, not ${token}`);
      if (c.keys.sort().join() !== Object.keys(inProps).sort().join()) {
        problems.push(`${f.file}: ${c.fn} sends ${c.keys}, the schema takes ${Object.keys(inProps).sort()}`);
      }
    }
  }

  // Object types.
  const types = (schema.types ?? {}) as Record<string, Json>;
  const sdkTypes = source("sdk/types/output.ts");
  const typePairs: [string, string, string][] = [
    ["hwddm:backup:RestorableInstance", "RestorableInstance", "RestorableInstance"],
    ["hwddm:backup:RestoreTimeInterval", "RestoreTimeInterval", "RestoreTimeIntervalOut"],
  ];
  if (
    Object.keys(types).sort().join() !==
    typePairs
      .map((p) => p[0])
      .sort()
      .join()
  ) {
    problems.push(`schema types ${Object.keys(types)} are not ${typePairs.map((p) => p[0])}`);
  }
  for (const [token, sdkName, coreName] of typePairs) {
    const t = types[token];
    if (!t) continue;
    const props = (t.properties ?? {}) as Json;
    const req = (t.required ?? []) as string[];
    problems.push(
      ...compareProps(token, props, req, propsOf(sdkTypes, sdkName), { readonly: true, docs: true }),
    );
    problems.push(...compareProps(`core ${coreName}`, props, req, propsOf(core, coreName)));
  }

  // Config and provider inputs.
  const variables = ((schema.config as Json | undefined)?.variables ?? {}) as Record<string, Json>;
  const inputProps = ((schema.provider as Json | undefined)?.inputProperties ?? {}) as Record<string, Json>;
  if (JSON.stringify(Object.keys(variables)) !== JSON.stringify(CONFIG_KEYS)) {
    problems.push(`schema config variables ${Object.keys(variables)} are not CONFIG_KEYS ${CONFIG_KEYS}`);
  }
  if (JSON.stringify(inputProps) !== JSON.stringify(variables)) {
    problems.push("schema provider.inputProperties differ from config.variables");
  }
  for (const key of CONFIG_KEYS) {
    const v = variables[key];
    if (!v) continue;
    if (!v.description) problems.push(`schema config ${key}: no description`);
    const secret = (SECRET_CONFIG_KEYS as readonly string[]).includes(key);
    if ((v.secret === true) !== secret)
      problems.push(`schema config ${key}: secret ${v.secret as boolean}, core says ${secret}`);
    const envs = ((v.defaultInfo as Json | undefined)?.environment ?? []) as string[];
    if (JSON.stringify(envs) !== JSON.stringify(ENV_NAMES[key])) {
      problems.push(`schema config ${key}: environment ${envs}, core reads ${ENV_NAMES[key]}`);
    }
  }
  const provider = source("sdk/provider.ts");
  const providerArgs = propsOf(provider, "ProviderArgs");
  problems.push(...compareProps("ProviderArgs", inputProps, [], providerArgs, { docs: true }));
  const providerText = provider.getFullText();
  for (const key of Object.keys(inputProps)) {
    const wraps = new RegExp(`resourceInputs\\["${key}"\\] = args\\?\\.${key} \\? pulumi\\.secret\\(`).test(
      providerText,
    );
    const passes = new RegExp(`resourceInputs\\["${key}"\\] = args\\?\\.${key};`).test(providerText);
    const secret = inputProps[key].secret === true;
    if (secret ? !wraps : !passes) {
      problems.push(
        `sdk/provider.ts: ${key} must be ${secret ? "wrapped with pulumi.secret" : "passed as given"}`,
      );
    }
  }
  const vars = fs.readFileSync(path.join(root, "sdk/config/vars.ts"), "utf8");
  const declared = [...vars.matchAll(/export declare const (\w+):/g)].map((m) => m[1]);
  if (JSON.stringify(declared) !== JSON.stringify(Object.keys(variables))) {
    problems.push(`sdk/config/vars.ts declares ${declared}, the schema has ${Object.keys(variables)}`);
  }

  // Dynamic resources take the functions' arguments and expose their results.
  const dynamic = source("sdk/backup/dynamic.ts");
  const dyn: [string, string][] = [
    ["RestorableInstances", TOKENS.getRestorableInstances],
    ["RestoreTimeIntervals", TOKENS.getRestoreTimeIntervals],
  ];
  for (const [cls, token] of dyn) {
    const fn = functions[token];
    if (!fn) continue;
    const outProps = (fn.outputs as Json).properties as Json;
    // Their args are the function's OutputArgs (checked above against the schema), not a copy.
    if (!new RegExp(`export type ${cls}Args = Get${cls}OutputArgs;`).test(dynamic.getFullText())) {
      problems.push(`${cls}Args is not an alias of Get${cls}OutputArgs`);
    }
    const declaredOutputs = classOutputs(dynamic, cls);
    const expected = Object.keys(outProps).filter((k) => k !== "id");
    if ([...declaredOutputs.keys()].sort().join() !== expected.sort().join()) {
      problems.push(
        `${cls} declares outputs ${[...declaredOutputs.keys()]}, the function returns ${expected}`,
      );
    }
  }

  if (schema.name !== "hwddm") problems.push(`schema name ${schema.name as string}`);
  if (schema.version !== packageVersion())
    problems.push(`schema version ${schema.version as string} is not ${packageVersion()}`);
  return problems;
}

describe("sdk: schema.json, the SDK and the core types agree", () => {
  const schema = () => JSON.parse(fs.readFileSync(schemaPath(), "utf8")) as Json;

  it("finds no disagreement between provider/schema.json, the SDK sources and provider/types.ts", () => {
    expect(schemaDisagreements(schema())).to.deep.equal([]);
  });

  it("reports a property the SDK lacks, a type that differs and a secret flag that is off", () => {
    const s = schema();
    const fn = (s.functions as Record<string, Json>)[TOKENS.getRestoreTimeIntervals];
    ((fn.inputs as Json).properties as Json).pageToken = { type: "string", description: "x" };
    ((fn.outputs as Json).properties as Json).total = { type: "string", description: "x" };
    delete ((s.config as Json).variables as Record<string, Json>).password.secret;
    const problems = schemaDisagreements(s);
    expect(problems.some((p) => /GetRestoreTimeIntervalsArgs: pageToken is in the schema/.test(p))).to.equal(
      true,
    );
    expect(problems.some((p) => /GetRestoreTimeIntervalsResult\.total: schema type string/.test(p))).to.equal(
      true,
    );
    expect(problems.some((p) => /schema config password: secret undefined/.test(p))).to.equal(true);
  });

  it("describes every function, input, output, type property and config variable", () => {
    // Every object carrying a type also carries a description (array items and union members aside).
    const s = schema();
    const missing: string[] = [];
    const walk = (v: unknown, at: string) => {
      if (Array.isArray(v)) return v.forEach((x, i) => walk(x, `${at}[${i}]`));
      if (v && typeof v === "object") {
        const o = v as Json;
        if (
          ("type" in o || "oneOf" in o || "$ref" in o) &&
          !at.endsWith(".items") &&
          !/oneOf\[\d+\]$/.test(at) &&
          !o.description
        ) {
          missing.push(at);
        }
        for (const [k, x] of Object.entries(o)) walk(x, `${at}.${k}`);
      }
    };
    walk(s, "schema");
    expect(missing).to.deep.equal([]);
  });
});
