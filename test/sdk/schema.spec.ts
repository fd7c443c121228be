/**
 * provider/schema.json is the source of truth the core's types and the dynamic resources must
 * agree with (the SDKs are generated from it; the engine suite checks they are current). The
 * core's types are generated from the same declaration (provider/types.generated.ts), so this
 * checks the generator against the schema from the other side: it reads the TypeScript with
 * the compiler API, not the declaration, and lists every disagreement; the suite fails on any,
 * and a mutated schema shows that it can.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { ENV_NAMES } from "../../provider/config";
import { packageRoot, packageVersion, schemaPath } from "../../provider/plugin/package";
import { RESTORE_KEYS } from "../../provider/functions/restore";
import { CONFIG_KEYS, RESOURCE_TOKENS, SECRET_CONFIG_KEYS, TOKENS } from "../../provider/types";

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
  const decl = interfacesOf(sf).get(name);
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
    if (!(schemaProps[k] as Json).description) problems.push(`schema ${where}.${k}: no description`);
  }
  return problems;
}

/** Every way the schema, the SDK and the core types disagree. */
export function schemaDisagreements(schema: Json): string[] {
  const problems: string[] = [];
  const core = source("provider/types.generated.ts");
  const fnFiles: Record<string, { file: string; name: string; coreArgs: string; coreResult: string }> = {
    [TOKENS.getRestorableInstances]: {
      file: "sdk/nodejs/backup/getRestorableInstances.ts",
      name: "GetRestorableInstances",
      coreArgs: "GetRestorableInstancesArgs",
      coreResult: "GetRestorableInstancesResult",
    },
    [TOKENS.getRestoreTimeIntervals]: {
      file: "sdk/nodejs/backup/getRestoreTimeIntervals.ts",
      name: "GetRestoreTimeIntervals",
      coreArgs: "GetRestoreTimeIntervalsArgs",
      coreResult: "GetRestoreTimeIntervalsResult",
    },
    [TOKENS.selectRestoreTarget]: {
      file: "sdk/nodejs/backup/selectRestoreTarget.ts",
      name: "SelectRestoreTarget",
      coreArgs: "SelectRestoreTargetArgs",
      coreResult: "SelectRestoreTargetResult",
    },
    [TOKENS.selectRestoreTime]: {
      file: "sdk/nodejs/backup/selectRestoreTime.ts",
      name: "SelectRestoreTime",
      coreArgs: "SelectRestoreTimeArgs",
      coreResult: "SelectRestoreTimeResult",
    },
    [TOKENS.getRelatedDataNodes]: {
      file: "sdk/nodejs/backup/getRelatedDataNodes.ts",
      name: "GetRelatedDataNodes",
      coreArgs: "GetRelatedDataNodesArgs",
      coreResult: "GetRelatedDataNodesResult",
    },
    [TOKENS.getRestorableDataNodes]: {
      file: "sdk/nodejs/backup/getRestorableDataNodes.ts",
      name: "GetRestorableDataNodes",
      coreArgs: "GetRestorableDataNodesArgs",
      coreResult: "GetRestorableDataNodesResult",
    },
    [TOKENS.planRestore]: {
      file: "sdk/nodejs/backup/planRestore.ts",
      name: "PlanRestore",
      coreArgs: "PlanRestoreArgs",
      coreResult: "PlanRestoreResult",
    },
  };
  if (Object.keys(fnFiles).sort().join() !== Object.values(TOKENS).sort().join()) {
    problems.push(
      `the SDK's functions ${Object.keys(fnFiles)} are not the core's TOKENS ${Object.values(TOKENS)}`,
    );
  }
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
    problems.push(...compareProps(`core ${f.coreArgs}`, inProps, inReq, propsOf(core, f.coreArgs)));
    problems.push(...compareProps(`core ${f.coreResult}`, outProps, outReq, propsOf(core, f.coreResult)));
  }

  // Object types.
  const types = (schema.types ?? {}) as Record<string, Json>;
  // [token, SDK output type, core type]
  const typePairs: [string, string, string][] = [
    ["hwddm:backup:RestorableInstance", "RestorableInstance", "RestorableInstance"],
    ["hwddm:backup:RestoreTimeInterval", "RestoreTimeInterval", "RestoreTimeIntervalOut"],
    ["hwddm:backup:RelatedDataNode", "RelatedDataNode", "RelatedDataNodeOut"],
    ["hwddm:backup:TargetDataNode", "TargetDataNode", "TargetDataNodeOut"],
    ["hwddm:backup:DataNodeRelation", "DataNodeRelation", "DataNodeRelationIn"],
    ["hwddm:backup:PlannedDataNodeRelation", "PlannedDataNodeRelation", "DataNodeRelationOut"],
    ["hwddm:backup:RestorePlan", "RestorePlan", "RestorePlan"],
  ];
  if (Object.keys(types).sort().join() !== [...new Set(typePairs.map((p) => p[0]))].sort().join()) {
    problems.push(`schema types ${Object.keys(types)} are not ${[...new Set(typePairs.map((p) => p[0]))]}`);
  }
  for (const [token, , coreName] of typePairs) {
    const t = types[token];
    if (!t) continue;
    const props = (t.properties ?? {}) as Json;
    const req = (t.required ?? []) as string[];
    problems.push(...compareProps(`core ${coreName}`, props, req, propsOf(core, coreName)));
  }

  // Resources: the schema's inputs are the core's RESTORE_KEYS, each also an output.
  const resources = (schema.resources ?? {}) as Record<string, Json>;
  const resourceFiles: Record<string, { file: string; name: string; keys: readonly string[] }> = {
    [RESOURCE_TOKENS.restore]: {
      file: "sdk/nodejs/backup/restore.ts",
      name: "Restore",
      keys: [...RESTORE_KEYS.restore, ...RESTORE_KEYS.connection],
    },
  };
  if (Object.keys(resources).sort().join() !== Object.values(RESOURCE_TOKENS).sort().join()) {
    problems.push(
      `schema resources ${Object.keys(resources)} are not RESOURCE_TOKENS ${Object.values(RESOURCE_TOKENS)}`,
    );
  }
  for (const [token, r] of Object.entries(resourceFiles)) {
    const res = resources[token];
    if (!res) continue;
    if (!res.description) problems.push(`schema ${token}: no description`);
    const inProps = (res.inputProperties ?? {}) as Json;
    const inReq = (res.requiredInputs ?? []) as string[];
    const outProps = (res.properties ?? {}) as Json;
    const outReq = (res.required ?? []) as string[];
    if (Object.keys(inProps).sort().join() !== [...r.keys].sort().join())
      problems.push(`schema ${token} inputs ${Object.keys(inProps)} are not the core's ${r.keys}`);
    for (const k of Object.keys(inProps)) {
      if (JSON.stringify(inProps[k]) !== JSON.stringify(outProps[k]))
        problems.push(`schema ${token}: input ${k} is not also an output, as given`);
      if (inReq.includes(k) !== outReq.includes(k))
        problems.push(
          `schema ${token}: input ${k} is required ${inReq.includes(k)}, as an output ${outReq.includes(k)}`,
        );
    }
  }

  // Config and provider inputs.
  const variables = ((schema.config as Json | undefined)?.variables ?? {}) as Record<string, Json>;
  const inputProps = ((schema.provider as Json | undefined)?.inputProperties ?? {}) as Record<string, Json>;
  if (JSON.stringify(Object.keys(variables)) !== JSON.stringify(CONFIG_KEYS)) {
    problems.push(`schema config variables ${Object.keys(variables)} are not CONFIG_KEYS ${CONFIG_KEYS}`);
  }
  // The provider's inputs are the config variables without their defaults: a generated SDK
  // would read a `defaultInfo` environment variable in the program and put it, secret or not,
  // into the provider's inputs in the state; the plugin reads the environment itself.
  const noDefaults = Object.fromEntries(
    Object.entries(variables).map(([k, v]) => {
      const { default: _d, defaultInfo: _i, ...rest } = v;
      return [k, rest];
    }),
  );
  if (JSON.stringify(inputProps) !== JSON.stringify(noDefaults)) {
    problems.push("schema provider.inputProperties are not config.variables without default/defaultInfo");
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
  // The config as it arrives: every variable, optional, numbers and booleans also as strings.
  const configInput = propsOf(source("provider/config.generated.ts"), "ProviderConfigInput");
  for (const k of Object.keys(variables).filter((x) => !configInput.has(x)))
    problems.push(`core ProviderConfigInput: ${k} is in the schema, not in TypeScript`);
  for (const [k, p] of configInput) {
    const v = variables[k];
    if (!v) problems.push(`core ProviderConfigInput: ${k} is in TypeScript, not in the schema`);
    else if (!p.optional) problems.push(`core ProviderConfigInput.${k}: not optional`);
    else {
      const want = [...new Set([schemaTypeOf(v), "string"])].sort().join("|");
      if (schemaTypeOfTs(p.type) !== want)
        problems.push(`core ProviderConfigInput.${k}: schema type ${want}, TypeScript ${p.type}`);
    }
  }
  // Dynamic resources take the functions' arguments and expose their results.
  const dynamic = source("dynamic/index.ts");
  const dyn: [string, string][] = [
    ["RestorableInstances", TOKENS.getRestorableInstances],
    ["RestoreTimeIntervals", TOKENS.getRestoreTimeIntervals],
  ];
  for (const [cls, token] of dyn) {
    const fn = functions[token];
    if (!fn) continue;
    const outProps = (fn.outputs as Json).properties as Json;
    // Their args are the function's OutputArgs (checked above against the schema), not a copy.
    if (
      !new RegExp(`export type ${cls}Args = hwddm\\.backup\\.Get${cls}OutputArgs;`).test(
        dynamic.getFullText(),
      )
    ) {
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

describe("sdk: schema.json, the core types and the dynamic resources agree", () => {
  const schema = () => JSON.parse(fs.readFileSync(schemaPath(), "utf8")) as Json;

  it("finds no disagreement between provider/schema.json, provider/types.generated.ts and hwddm/dynamic", () => {
    expect(schemaDisagreements(schema())).to.deep.equal([]);
  });

  it("reports a property the core lacks, a type that differs and a secret flag that is off", () => {
    const s = schema();
    const fn = (s.functions as Record<string, Json>)[TOKENS.getRestoreTimeIntervals];
    ((fn.inputs as Json).properties as Json).pageToken = { type: "string", description: "x" };
    ((fn.outputs as Json).properties as Json).total = { type: "string", description: "x" };
    delete ((s.config as Json).variables as Record<string, Json>).password.secret;
    ((s.config as Json).variables as Record<string, Json>).maxRetries.type = "boolean";
    const problems = schemaDisagreements(s);
    expect(problems.some((p) => /GetRestoreTimeIntervalsArgs: pageToken is in the schema/.test(p))).to.equal(
      true,
    );
    expect(problems.some((p) => /GetRestoreTimeIntervalsResult\.total: schema type string/.test(p))).to.equal(
      true,
    );
    expect(problems.some((p) => /schema config password: secret undefined/.test(p))).to.equal(true);
    expect(
      problems.some((p) => /ProviderConfigInput\.maxRetries: schema type boolean\|string/.test(p)),
    ).to.equal(true);
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
    has(/GetRelatedDataNodesResult\.warnings: schema does not require it/);
    has(/TargetDataNodeOut\.privateIp: schema type number/);
    has(/inputs .*timeoutSeconds.* are not the core's/);
    has(/input jobId is not also an output|input timeoutSeconds is not also an output/);
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
