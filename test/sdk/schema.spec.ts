/**
 * provider/schema.json is made from provider/spec (test/core/package-spec.spec.ts checks it), and
 * so are the core's tokens, key lists and config tables. What is still written by hand must
 * agree with it: the SDK (in the generated style) and the core's TypeScript interfaces. This
 * reads those sources with the compiler API and lists every disagreement; the suite fails on
 * any, and a mutated schema shows that it can.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { packageRoot, schemaPath } from "../../provider/plugin/package";
import { RESOURCE_TOKENS, TOKENS } from "../../provider/types";

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

/**
 * The properties of an interface, following `extends` within the same file (`Omit<X, "a" | "b">`
 * too: X's properties without a and b), or in the files `more` (what `sf` imports).
 */
function propsOf(sf: ts.SourceFile, name: string, more: ts.SourceFile[] = []): Map<string, PropInfo> {
  const owner = [sf, ...more].find((f) => interfacesOf(f).has(name));
  if (!owner) throw new Error(`no interface ${name} in ${sf.fileName}`);
  if (owner !== sf) return propsOf(owner, name, more);
  const decl = interfacesOf(sf).get(name)!;
  const out = new Map<string, PropInfo>();
  for (const h of decl.heritageClauses ?? []) {
    for (const t of h.types) {
      const base = t.expression.getText(sf);
      const [of, without] = t.typeArguments ?? [];
      if (base === "Omit" && of && without) {
        const dropped = new Set(
          (ts.isUnionTypeNode(without) ? without.types : [without]).map((x) =>
            x.getText(sf).replace(/"/g, ""),
          ),
        );
        for (const [k, v] of propsOf(sf, of.getText(sf), more)) if (!dropped.has(k)) out.set(k, v);
      } else {
        for (const [k, v] of propsOf(sf, base, more)) out.set(k, v);
      }
    }
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

/** The schema object type each TypeScript type name (SDK or core) stands for. */
const SCHEMA_TYPE_OF_TS: Record<string, string> = {
  RestorableInstance: "RestorableInstance",
  RestoreTimeInterval: "RestoreTimeInterval",
  RestoreTimeIntervalOut: "RestoreTimeInterval",
  RelatedDataNode: "RelatedDataNode",
  RelatedDataNodeOut: "RelatedDataNode",
  TargetDataNode: "TargetDataNode",
  TargetDataNodeOut: "TargetDataNode",
  DataNodeRelation: "DataNodeRelation",
  DataNodeRelationArgs: "DataNodeRelation",
  DataNodeRelationIn: "DataNodeRelation",
  PlannedDataNodeRelation: "PlannedDataNodeRelation",
  DataNodeRelationOut: "PlannedDataNodeRelation",
  PlannedRelation: "PlannedDataNodeRelation",
  RestorePlan: "RestorePlan",
};

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
  const ref = /(?:^|\.)(\w+)$/.exec(t);
  if (ref && SCHEMA_TYPE_OF_TS[ref[1]]) return `ref<${SCHEMA_TYPE_OF_TS[ref[1]]}>`;
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
    [TOKENS.getRelatedDataNodes]: {
      file: "sdk/backup/getRelatedDataNodes.ts",
      name: "GetRelatedDataNodes",
      coreArgs: "GetRelatedDataNodesArgs",
      coreResult: "GetRelatedDataNodesResult",
    },
    [TOKENS.getRestorableDataNodes]: {
      file: "sdk/backup/getRestorableDataNodes.ts",
      name: "GetRestorableDataNodes",
      coreArgs: "GetRestorableDataNodesArgs",
      coreResult: "GetRestorableDataNodesResult",
    },
    [TOKENS.planRestore]: {
      file: "sdk/backup/planRestore.ts",
      name: "PlanRestore",
      coreArgs: "PlanRestoreArgs",
      coreResult: "PlanRestoreResult",
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
  const sdkInputTypes = source("sdk/types/input.ts");
  const restorePlanCore = source("provider/restore/plan.ts");
  const restoreOperations = source("provider/restore/operations.ts");
  // [token, SDK output type, core type, file of the core type (default provider/types.ts)]
  const typePairs: [string, string, string, ts.SourceFile?][] = [
    ["hwddm:backup:RestorableInstance", "RestorableInstance", "RestorableInstance"],
    ["hwddm:backup:RestoreTimeInterval", "RestoreTimeInterval", "RestoreTimeIntervalOut"],
    ["hwddm:backup:RelatedDataNode", "RelatedDataNode", "RelatedDataNodeOut"],
    ["hwddm:backup:TargetDataNode", "TargetDataNode", "TargetDataNodeOut"],
    ["hwddm:backup:DataNodeRelation", "DataNodeRelation", "DataNodeRelationIn"],
    ["hwddm:backup:PlannedDataNodeRelation", "PlannedDataNodeRelation", "DataNodeRelationOut"],
    ["hwddm:backup:PlannedDataNodeRelation", "PlannedDataNodeRelation", "PlannedRelation", restorePlanCore],
    ["hwddm:backup:RestorePlan", "RestorePlan", "RestorePlan", restorePlanCore],
  ];
  // Types used as inputs also have the generated input forms: `X` (plain) and `XArgs` (Inputs).
  const inputTypes: [string, string][] = [["hwddm:backup:DataNodeRelation", "DataNodeRelation"]];
  if (Object.keys(types).sort().join() !== [...new Set(typePairs.map((p) => p[0]))].sort().join()) {
    problems.push(`schema types ${Object.keys(types)} are not ${[...new Set(typePairs.map((p) => p[0]))]}`);
  }
  for (const [token, sdkName, coreName, coreFile] of typePairs) {
    const t = types[token];
    if (!t) continue;
    const props = (t.properties ?? {}) as Json;
    const req = (t.required ?? []) as string[];
    problems.push(
      ...compareProps(token, props, req, propsOf(sdkTypes, sdkName), { readonly: true, docs: true }),
    );
    problems.push(
      ...compareProps(
        `core ${coreName}`,
        props,
        req,
        propsOf(coreFile ?? core, coreName, [restoreOperations]),
      ),
    );
  }
  for (const [token, name] of inputTypes) {
    const t = types[token];
    if (!t) continue;
    const props = (t.properties ?? {}) as Json;
    const req = (t.required ?? []) as string[];
    for (const n of [name, `${name}Args`])
      problems.push(...compareProps(`input ${n}`, props, req, propsOf(sdkInputTypes, n), { docs: true }));
  }

  // Resources: RestoreArgs and the class's outputs agree with the schema; the constructor
  // sends every input and no output.
  const resources = (schema.resources ?? {}) as Record<string, Json>;
  const resourceFiles: Record<string, { file: string; name: string }> = {
    [RESOURCE_TOKENS.restore]: { file: "sdk/backup/restore.ts", name: "Restore" },
  };
  for (const [token, r] of Object.entries(resourceFiles)) {
    const res = resources[token];
    if (!res) continue;
    const inProps = (res.inputProperties ?? {}) as Json;
    const inReq = (res.requiredInputs ?? []) as string[];
    const outProps = (res.properties ?? {}) as Json;
    const outReq = (res.required ?? []) as string[];
    const sdk = source(r.file);
    problems.push(
      ...compareProps(`${r.name}Args`, inProps, inReq, propsOf(sdk, `${r.name}Args`), { docs: true }),
    );
    // Outputs: `declare readonly x: pulumi.Output<T>`, `T | undefined` exactly when not required.
    const declared = classOutputs(sdk, r.name);
    const asProps = new Map<string, PropInfo>();
    for (const [k, type] of declared) {
      asProps.set(k, { optional: /\|\s*undefined\s*>$/.test(type), readonly: true, type, doc: "/** x */" });
      if (!/^pulumi\.Output</.test(type)) problems.push(`${r.name}.${k}: ${type} is not a pulumi.Output`);
    }
    problems.push(...compareProps(`${r.name} outputs`, outProps, outReq, asProps));
    const text = sdk.getFullText();
    if (!text.includes(`public static readonly __pulumiType = "${token}";`))
      problems.push(`${r.file}: __pulumiType is not ${token}`);
    if (/public readonly \w+!/.test(text)) problems.push(`${r.file}: a \`public readonly x!\` field`);
    for (const k of Object.keys(outProps)) {
      const sent = new RegExp(`resourceInputs\\["${k}"\\] = args\\?\\.${k}[; ]`).test(text);
      const out = new RegExp(`resourceInputs\\["${k}"\\] = undefined; /\\*out\\*/`).test(text);
      if (k in inProps ? !sent : !out)
        problems.push(
          `${r.file}: ${k} must be ${k in inProps ? "sent from args" : "set undefined; /*out*/"}`,
        );
    }
  }

  // Config and provider inputs: the SDK's Provider and config vars.
  const variables = ((schema.config as Json | undefined)?.variables ?? {}) as Record<string, Json>;
  const inputProps = ((schema.provider as Json | undefined)?.inputProperties ?? {}) as Record<string, Json>;
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
    delete ((s.provider as Json).inputProperties as Record<string, Json>).password.secret;
    const problems = schemaDisagreements(s);
    expect(problems.some((p) => /GetRestoreTimeIntervalsArgs: pageToken is in the schema/.test(p))).to.equal(
      true,
    );
    expect(problems.some((p) => /GetRestoreTimeIntervalsResult\.total: schema type string/.test(p))).to.equal(
      true,
    );
    expect(problems.some((p) => /sdk\/provider\.ts: password must be passed as given/.test(p))).to.equal(
      true,
    );
  });

  it("reports the same for the restore functions, their object types and the Restore resource", () => {
    const s = schema();
    const fns = s.functions as Record<string, Json>;
    delete ((fns[TOKENS.planRestore].inputs as Json).properties as Json).dataNodeRelations;
    (((fns[TOKENS.getRelatedDataNodes].outputs as Json).required as string[]) ?? []).pop();
    const types = s.types as Record<string, Json>;
    ((types["hwddm:backup:TargetDataNode"].properties as Json).privateIp as Json).type = "integer";
    const restore = (s.resources as Record<string, Json>)[RESOURCE_TOKENS.restore];
    (restore.inputProperties as Json).timeoutSeconds = { type: "number", description: "x" };
    ((restore.properties as Json).jobId as Json).type = "integer";
    (restore.required as string[]).splice((restore.required as string[]).indexOf("status"), 1);
    const problems = schemaDisagreements(s);
    const has = (re: RegExp) =>
      expect(
        problems.some((p) => re.test(p)),
        `${re}\n${problems.join("\n")}`,
      ).to.equal(true);
    has(/PlanRestoreArgs: dataNodeRelations is in TypeScript, not in the schema/);
    has(/planRestore\.ts: pulumi\.runtime\.invoke sends/);
    has(/GetRelatedDataNodesResult\.warnings: schema does not require it/);
    has(/hwddm:backup:TargetDataNode\.privateIp: schema type number/);
    has(/RestoreArgs: timeoutSeconds is in the schema, not in TypeScript/);
    has(/Restore outputs\.jobId: schema type number/);
    has(/Restore outputs\.status: schema does not require it/);
  });
});
