/**
 * provider/schema.json as the declaration makes it: the Pulumi package schema, with the
 * version and plugin download URL taken from package.json (never written by hand).
 */
import type { FunctionSpec, ObjectTypeSpec, PackageSpec, Properties, Property } from "./declaration";

type Json = Record<string, unknown>;

/** What of package.json the schema takes. */
export interface PackageJson {
  version: string;
  repository?: string | { url?: string };
}

/** `github://api.github.com/<owner>/<repo>` for a GitHub repository URL: where the engine fetches the plugin. */
export function pluginDownloadURL(pkg: PackageJson): string {
  const url = typeof pkg.repository === "string" ? pkg.repository : (pkg.repository?.url ?? "");
  const m = /github\.com[/:]([^/]+)\/([^/]+?)(?:\.git)?\/?$/.exec(url);
  if (!m) throw new Error(`package.json repository ${JSON.stringify(url)} is not a GitHub repository`);
  return `github://api.github.com/${m[1]}/${m[2]}`;
}

const typeRef = (name: string) => `#/types/hwddm:backup:${name}`;

/**
 * A property as the schema states it. A provider input carries no `default`/`defaultInfo`: the
 * generated Provider classes would read them from the program's environment into the provider's
 * state inputs (credentials included); the plugin reads the environment itself.
 */
function property(p: Property, withDefaults = true): Json {
  const out: Json = {};
  if ("oneOf" in p) out.oneOf = p.oneOf.map((type) => ({ type }));
  else if ("ref" in p) out.$ref = typeRef(p.ref);
  else {
    out.type = p.type;
    if (p.type === "array") {
      out.items = typeof p.items === "string" ? { type: p.items } : { $ref: typeRef(p.items.ref) };
    }
  }
  out.description = p.description;
  if (p.secret) out.secret = true;
  if (withDefaults && p.default !== undefined) out.default = p.default;
  if (withDefaults && p.env) out.defaultInfo = { environment: [...p.env] };
  return out;
}

function properties(props: Properties, withDefaults = true): Json {
  return Object.fromEntries(Object.entries(props).map(([k, p]) => [k, property(p, withDefaults)]));
}

function required(props: Properties): string[] {
  return Object.entries(props)
    .filter(([, p]) => p.required)
    .map(([k]) => k);
}

function objectType(t: ObjectTypeSpec): Json {
  return {
    type: "object",
    description: t.description,
    properties: properties(t.properties),
    required: required(t.properties),
  };
}

function fn(f: FunctionSpec): Json {
  return {
    description: f.description,
    inputs: { properties: properties(f.inputs), required: required(f.inputs) },
    outputs: { properties: properties(f.outputs), required: required(f.outputs) },
  };
}

/** The schema object, in the order of the committed file. */
export function buildSchema(spec: PackageSpec, pkg: PackageJson): Json {
  const resources: Json = {};
  for (const r of spec.resources) {
    const all = { ...r.inputs, ...r.outputs };
    resources[r.token] = {
      description: r.description,
      inputProperties: properties(r.inputs),
      requiredInputs: required(r.inputs),
      properties: properties(all),
      required: required(all),
    };
  }
  return {
    name: spec.name,
    displayName: spec.displayName,
    version: pkg.version,
    description: spec.description,
    keywords: [...spec.keywords],
    license: spec.license,
    publisher: spec.publisher,
    pluginDownloadURL: pluginDownloadURL(pkg),
    meta: { moduleFormat: "(.*)" },
    config: { variables: properties(spec.config) },
    provider: { description: spec.providerDescription, inputProperties: properties(spec.config, false) },
    resources,
    types: Object.fromEntries(
      Object.entries(spec.types).map(([name, t]) => [`hwddm:backup:${name}`, objectType(t)]),
    ),
    functions: Object.fromEntries(spec.functions.map((f) => [f.token, fn(f)])),
    language: spec.language,
  };
}
