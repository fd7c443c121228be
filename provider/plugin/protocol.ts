/**
 * Pulumi wire conventions the plugin needs, without loading `@pulumi/pulumi`'s main index
 * (which costs more than a second of start time): the protobuf `Struct`/`Empty` classes
 * taken from the very google-protobuf copy that `@pulumi/pulumi/proto` loads (mixing
 * copies fails with "Expected argument of type ..."), and property-map walking over the
 * special values Pulumi uses for secrets (secret-wire.ts) and unknowns.
 */
import * as path from "path";
import type * as structTypes from "google-protobuf/google/protobuf/struct_pb";
import type * as emptyTypes from "google-protobuf/google/protobuf/empty_pb";
import type * as anyTypes from "google-protobuf/google/protobuf/any_pb";
import { dropUndefined } from "../objects";
import { isSecretWrapper, unwrapSecret } from "../secret-wire";
/**
 * The string that stands for a value not known yet (at preview): `pulumi.runtime.unknownValue`,
 * restated because loading `@pulumi/pulumi/runtime` here would cost the plugin its fast start
 * (test/plugin checks that the two agree).
 */
export const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/**
 * Set (to true) by the plugin bundler (scripts/plugin-pack.js), whose bundle holds exactly one
 * google-protobuf: the copy the Pulumi stubs resolve. Unset when running from `dist/`.
 */
declare const __HWDDM_BUNDLE__: boolean | undefined;
const bundled = typeof __HWDDM_BUNDLE__ !== "undefined" && __HWDDM_BUNDLE__;

function fromStubCopy<T>(request: string): T {
  const stubDir = path.dirname(require.resolve("@pulumi/pulumi/proto/provider_pb"));
  return require(require.resolve(request, { paths: [stubDir] })) as T;
}

/** google-protobuf's struct module, the copy the Pulumi stubs use. */
export const structproto: typeof structTypes = bundled
  ? (require("google-protobuf/google/protobuf/struct_pb") as typeof structTypes)
  : fromStubCopy<typeof structTypes>("google-protobuf/google/protobuf/struct_pb");
/** google-protobuf's empty module, the copy the Pulumi stubs use. */
export const emptyproto: typeof emptyTypes = bundled
  ? (require("google-protobuf/google/protobuf/empty_pb") as typeof emptyTypes)
  : fromStubCopy<typeof emptyTypes>("google-protobuf/google/protobuf/empty_pb");

/** google-protobuf's Any module, the copy the Pulumi stubs use (the partial-create error packs into one). */
export const anyproto: typeof anyTypes = bundled
  ? (require("google-protobuf/google/protobuf/any_pb") as typeof anyTypes)
  : fromStubCopy<typeof anyTypes>("google-protobuf/google/protobuf/any_pb");

export type PlainObject = Record<string, unknown>;

/** A Struct (or nothing) as a plain object. */
export function fromStruct(struct: structTypes.Struct | undefined): PlainObject {
  return struct ? struct.toJavaScript() : {};
}

/** A plain object as a Struct; undefined fields (which `Struct.fromJavaScript` rejects) are dropped first. */
export function toStruct(value: PlainObject): structTypes.Struct {
  return structproto.Struct.fromJavaScript(
    dropUndefined(value) as Record<string, structTypes.JavaScriptValue>,
  );
}

/** A value with every secret wrapper removed (deeply); `secrets` receives each unwrapped string. */
export function unwrapSecretsDeep(value: unknown, secrets?: string[]): unknown {
  if (isSecretWrapper(value)) {
    const inner = unwrapSecretsDeep(unwrapSecret(value), secrets);
    collectStrings(inner, secrets);
    return inner;
  }
  if (Array.isArray(value)) return value.map((v) => unwrapSecretsDeep(v, secrets));
  if (value !== null && typeof value === "object") {
    const out: PlainObject = {};
    for (const [k, v] of Object.entries(value)) out[k] = unwrapSecretsDeep(v, secrets);
    return out;
  }
  return value;
}

function collectStrings(value: unknown, into: string[] | undefined): void {
  if (!into) return;
  if (typeof value === "string") into.push(value);
  else if (Array.isArray(value)) value.forEach((v) => collectStrings(v, into));
  else if (value !== null && typeof value === "object")
    Object.values(value).forEach((v) => collectStrings(v, into));
}

/** A top-level property map split into plain values, the keys that were secret and the keys not yet known. */
export interface UnwrappedProperties {
  values: PlainObject;
  secretKeys: Set<string>;
  unknownKeys: Set<string>;
  /** Every string found inside a secret wrapper. */
  secretStrings: string[];
}

/** Unwrap a property map as it arrives in CheckConfig/Configure/Invoke. */
export function unwrapProperties(props: PlainObject): UnwrappedProperties {
  const values: PlainObject = {};
  const secretKeys = new Set<string>();
  const unknownKeys = new Set<string>();
  const secretStrings: string[] = [];
  for (const [key, raw] of Object.entries(props)) {
    if (isSecretWrapper(raw)) secretKeys.add(key);
    const value = unwrapSecretsDeep(raw, secretStrings);
    if (value === UNKNOWN_VALUE) {
      unknownKeys.add(key);
      continue;
    }
    values[key] = value;
  }
  return { values, secretKeys, unknownKeys, secretStrings };
}

/** The Pulumi package name; config variables arrive as `hwddm:config:<key>`. */
const PACKAGE = "hwddm";
export const VARIABLE_PREFIX = `${PACKAGE}:config:`;

/** The resource type in a URN (`urn:pulumi:stack::project::[parent$]type::name`). */
export function typeOfUrn(urn: string): string {
  const parts = urn.split("::");
  const qualified = parts.length >= 4 ? parts[parts.length - 2] : "";
  return qualified.slice(qualified.lastIndexOf("$") + 1);
}
