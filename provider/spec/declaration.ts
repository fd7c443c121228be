/**
 * The shape of the package declaration (provider/spec): what a property, an object type, a
 * function and a resource are. Plain data only, so that every face (the SDK at load time
 * included) can read the declaration without loading the HTTP core.
 */

export type ScalarType = "string" | "integer" | "number" | "boolean";

/** What a property's value is: one scalar, an array, a reference to an object type, or a union. */
export type PropertyType =
  | { readonly type: ScalarType }
  | { readonly type: "array"; readonly items: ScalarType | { readonly ref: string } }
  | { readonly ref: string }
  | { readonly oneOf: readonly ScalarType[] };

export type Property = PropertyType & {
  readonly description: string;
  readonly required?: true;
  readonly secret?: true;
  readonly default?: string | number | boolean;
  /** Environment variables read when the value is not set, first found wins. */
  readonly env?: readonly string[];
  /**
   * What the value is beyond its type. The generic argument reader checks `id` (a path-safe
   * id, it goes into URL paths); the others are checked by their one implementation: `time`
   * (RFC 3339 or epoch ms, provider/time.ts), `duration` (seconds or `90s`), `regex` (a
   * JavaScript regular expression), `selection` (a target criterion or the time rule's `latest`, checked together by
   * provider/select.ts).
   */
  readonly format?: "id" | "time" | "duration" | "regex" | "selection";
  /** Least value of an integer. */
  readonly minimum?: number;
  /** Most characters of a string; default 256. */
  readonly maxLength?: number;
};

export type Properties = Readonly<Record<string, Property>>;

export interface ObjectTypeSpec {
  readonly description: string;
  readonly properties: Properties;
}

export interface FunctionSpec {
  readonly token: string;
  readonly description: string;
  readonly inputs: Properties;
  readonly outputs: Properties;
}

export interface ResourceSpec {
  readonly token: string;
  readonly description: string;
  readonly inputs: Properties;
  /** Outputs besides the inputs (every input is also an output, as given). */
  readonly outputs: Properties;
}

/** The package: everything `schema.json` holds except what package.json gives (version, download URL). */
export interface PackageSpec {
  readonly name: string;
  readonly displayName: string;
  readonly description: string;
  readonly keywords: readonly string[];
  readonly license: string;
  readonly publisher: string;
  readonly providerDescription: string;
  readonly config: Properties;
  readonly types: Readonly<Record<string, ObjectTypeSpec>>;
  readonly functions: readonly FunctionSpec[];
  readonly resources: readonly ResourceSpec[];
  readonly language: Readonly<Record<string, unknown>>;
}
