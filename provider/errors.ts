/**
 * The one error family of pulumi-hwddm. Every face (SDK, plugin, dynamic resources, CLI)
 * sees only these; axios errors never escape the client.
 *
 * Each class carries a brand so that `isInstance` works even when two copies of the
 * package are loaded (a program's copy and the plugin's, or `dist/` and a re-require).
 * No message, `toString()` or `JSON.stringify()` of any of them ever contains a token,
 * secret key, password or signature: the constructors take only non-secret facts, and
 * `redactSecrets` scrubs free text (API error messages, causes) before it is stored.
 */
import { DEFAULTS } from "./defaults";

const BRAND = Symbol.for("pulumi-hwddm.error");

/** The kinds of failure, one class each. */
export type HwddmErrorKind =
  "validation" | "configuration" | "api" | "network" | "response" | "selection" | "record-cap" | "job";

/** One rejected input, in the shape Pulumi's invoke `failures` take. */
export interface InputFailure {
  /** The argument or config key, e.g. `instanceId` or `hwddm:region`. */
  property: string;
  /** What is wrong and what is allowed. */
  reason: string;
  /** Where the rejected value came from, when it came from config resolution. */
  source?: { kind: string; key: string; name: string; layer?: string };
}

/** Base class of every error pulumi-hwddm throws. */
export class HwddmError extends Error {
  readonly kind: HwddmErrorKind;
  declare readonly cause?: unknown;

  constructor(kind: HwddmErrorKind, message: string, options?: { cause?: unknown }) {
    super(redactSecrets(message));
    this.name = "HwddmError";
    this.kind = kind;
    if (options?.cause !== undefined) {
      Object.defineProperty(this, "cause", {
        value: sanitizeCause(options.cause),
        enumerable: false,
        writable: false,
        configurable: true,
      });
    }
    Object.defineProperty(this, BRAND, { value: kind, enumerable: false });
  }

  /** True for any pulumi-hwddm error, from any loaded copy of the package. */
  static isInstance(value: unknown): value is HwddmError {
    return (
      typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[BRAND] !== undefined
    );
  }

  /** A plain, secret-free object: what `JSON.stringify` prints. */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { name: this.name, kind: this.kind, message: this.message };
    for (const [k, v] of Object.entries(this)) {
      if (k !== "kind" && v !== undefined) out[k] = v;
    }
    return out;
  }
}

function isKind(value: unknown, kind: HwddmErrorKind): boolean {
  return HwddmError.isInstance(value) && (value as unknown as Record<symbol, unknown>)[BRAND] === kind;
}

/** An argument or config value is wrong. Raised before any request is made. */
export class ValidationError extends HwddmError {
  /** Every rejected input (at least one). */
  readonly failures: InputFailure[];
  /** The first failure's field, for convenience. */
  readonly field: string;

  constructor(failures: InputFailure[]) {
    // Reasons quote the rejected value: scrub each one, so that `failures` (which JSON shows) is clean.
    const list = (failures.length > 0 ? failures : [{ property: "(input)", reason: "invalid input" }]).map(
      (f) => ({ ...f, property: f.property, reason: redactSecrets(f.reason) }),
    );
    const message =
      list.length === 1
        ? `invalid ${list[0].property}: ${list[0].reason}`
        : `invalid input: ${list.map((f) => `${f.property}: ${f.reason}`).join("; ")}`;
    super("validation", message);
    // The base class's pattern pass would read a field label such as "token:" or "password:" as a
    // credential and eat the reason's first word ("invalid token: [REDACTED] function x"). The
    // reasons are already scrubbed, so keep the message as built, minus registered secrets.
    this.message = redactRegistered(message);
    this.name = "ValidationError";
    this.failures = list;
    this.field = list[0].property;
  }

  /** One field, its (printable) value and what is allowed. */
  static field(field: string, value: unknown, allowed: string): ValidationError {
    return new ValidationError([{ property: field, reason: `got ${describeValue(value)}; ${allowed}` }]);
  }

  static isInstance(value: unknown): value is ValidationError {
    return isKind(value, "validation");
  }
}

/** Region, endpoint or credentials are missing or contradictory. */
export class ConfigurationError extends HwddmError {
  /** The keys that are missing or wrong, e.g. `["region"]`. */
  readonly keys: string[];

  constructor(message: string, keys: string[] = []) {
    super("configuration", message);
    this.name = "ConfigurationError";
    this.keys = keys;
  }

  static isInstance(value: unknown): value is ConfigurationError {
    return isKind(value, "configuration");
  }
}

/** What identifies the request that failed (never its headers). */
export interface RequestInfo {
  method: string;
  /** Path with query, e.g. `/v3/{project}/instances/{id}/backups/restorable-instances?offset=0&limit=128`. */
  path: string;
  /** Number of attempts made, retries included. */
  attempts: number;
}

/** The API answered with an error status (4xx/5xx). */
export class ApiError extends HwddmError {
  /** HTTP status; 0 for a network failure or timeout (see NetworkError). */
  readonly status: number;
  /** Huawei's `error_code` (e.g. `DBS.280001`, `APIGW.0301`), or `""` when the body had none. */
  readonly errorCode: string;
  /** Huawei's `error_msg`, or `""`. */
  readonly errorMsg: string;
  /** The `X-Request-Id` response header, or `""`. */
  readonly requestId: string;
  readonly method: string;
  readonly path: string;
  readonly attempts: number;
  /** Whether the failure was of a retryable class (the retry budget ran out). */
  readonly retryable: boolean;
  /**
   * True when a request that changes something (a restore) may have reached the server and
   * been acted on although no success came back (timeout after sending, connection reset, 5xx):
   * sending it again could do it twice.
   */
  readonly outcomeUnknown: boolean;

  constructor(
    init: {
      status: number;
      errorCode?: string;
      errorMsg?: string;
      requestId?: string;
      request: RequestInfo;
      retryable?: boolean;
      outcomeUnknown?: boolean;
      message?: string;
    },
    options?: { cause?: unknown },
    kind: HwddmErrorKind = "api",
  ) {
    const errorCode = redactSecrets(init.errorCode ?? "");
    const errorMsg = redactSecrets(init.errorMsg ?? "");
    const requestId = init.requestId ?? "";
    const parts = [
      init.message ?? `DDM API ${init.request.method} ${init.request.path} failed with HTTP ${init.status}`,
      errorCode ? `error_code ${errorCode}` : "",
      errorMsg ? `error_msg "${errorMsg}"` : "",
      requestId ? `request id ${requestId}` : "",
      init.request.attempts > 1 ? `after ${init.request.attempts} attempts` : "",
    ].filter(Boolean);
    super(kind, parts.join(", "), options);
    this.name = "ApiError";
    this.status = init.status;
    this.errorCode = errorCode;
    this.errorMsg = errorMsg;
    this.requestId = requestId;
    this.method = init.request.method;
    this.path = init.request.path;
    this.attempts = init.request.attempts;
    this.retryable = init.retryable ?? false;
    this.outcomeUnknown = init.outcomeUnknown ?? false;
  }

  static isInstance(value: unknown): value is ApiError {
    return isKind(value, "api") || isKind(value, "network");
  }
}

/** No HTTP answer at all: connection refused/reset, DNS, TLS, timeout, deadline. `status` is 0. */
export class NetworkError extends ApiError {
  constructor(
    init: {
      code: string;
      detail: string;
      request: RequestInfo;
      retryable?: boolean;
      outcomeUnknown?: boolean;
      service?: "DDM" | "IAM";
      /** The message's head, in place of `<service> API <method> <path> failed: network error <code>`. */
      message?: string;
    },
    options?: { cause?: unknown },
  ) {
    super(
      {
        status: 0,
        errorCode: init.code,
        errorMsg: init.detail,
        request: init.request,
        retryable: init.retryable ?? true,
        outcomeUnknown: init.outcomeUnknown,
        message:
          init.message ??
          `${init.service ?? "DDM"} API ${init.request.method} ${init.request.path} failed: network error ${init.code}`,
      },
      options,
      "network",
    );
    this.name = "NetworkError";
  }

  static isInstance(value: unknown): value is NetworkError {
    return isKind(value, "network");
  }
}

/** The API answered 2xx but the body is not what the contract says. */
export class ResponseError extends HwddmError {
  /** Dotted path of the offending field (e.g. `instances[3].available`), or `(body)`. */
  readonly field: string;
  readonly status: number;
  readonly requestId: string;
  readonly method: string;
  readonly path: string;

  constructor(init: {
    field: string;
    detail: string;
    status: number;
    requestId?: string;
    request: { method: string; path: string };
    /** Which API answered; default DDM. */
    service?: "DDM" | "IAM";
  }) {
    super(
      "response",
      `malformed ${init.service ?? "DDM"} API response to ${init.request.method} ${init.request.path}: ${init.field}: ${init.detail}` +
        (init.requestId ? ` (request id ${init.requestId})` : ""),
    );
    this.name = "ResponseError";
    this.field = init.field;
    this.status = init.status;
    this.requestId = init.requestId ?? "";
    this.method = init.request.method;
    this.path = init.request.path;
  }

  static isInstance(value: unknown): value is ResponseError {
    return isKind(value, "response");
  }
}

/**
 * A list's `total` promises more records in the asked range than one call reads
 * (`maxRecords`). Raised after the first page, before any other: page by hand with
 * `offset`/`limit`, or raise `maxRecords`.
 */
export class RecordCapError extends HwddmError {
  /** The API's `total`. */
  readonly total: number;
  readonly offset: number;
  /** The `limit` asked for, when one was. */
  readonly limit?: number;
  /** The cap in force (`maxRecords`). */
  readonly cap: number;

  constructor(init: { total: number; offset: number; limit?: number; cap: number }) {
    const range =
      init.limit === undefined
        ? `from offset ${init.offset} on`
        : `in offset ${init.offset}, limit ${init.limit}`;
    const page = Math.min(init.cap, 1000);
    super(
      "record-cap",
      `the list reports total ${init.total}, more records ${range} than the ${init.cap} one call reads (maxRecords); ` +
        `page by hand with offset and limit (e.g. offset ${init.offset} limit ${page}, then offset ${init.offset + page} limit ${page}), or raise maxRecords`,
    );
    this.name = "RecordCapError";
    this.total = init.total;
    this.offset = init.offset;
    if (init.limit !== undefined) this.limit = init.limit;
    this.cap = init.cap;
  }

  static isInstance(value: unknown): value is RecordCapError {
    return isKind(value, "record-cap");
  }
}

/** A selection helper found nothing that fits (no target matches, time not restorable). */
export class SelectionError extends HwddmError {
  constructor(message: string) {
    super("selection", message);
    this.name = "SelectionError";
  }

  static isInstance(value: unknown): value is SelectionError {
    return isKind(value, "selection");
  }
}

// ---------------------------------------------------------------------------------------
// Secret hygiene

// The registry is shared through the global symbol registry (like BRAND), so that a secret
// registered by one loaded copy of the package is redacted by every other copy too. The set
// itself stays a plain insertion-ordered Set (what every copy, older ones included, expects);
// a second shared record holds the longest-first list that redaction walks, rebuilt only when
// the set's contents change (a `generation` bump, or a size change made by a copy that does
// not bump it).
const SECRETS = Symbol.for("pulumi-hwddm.secrets");
const SECRETS_ORDER = Symbol.for("pulumi-hwddm.secrets.longest-first");
const shared = globalThis as Record<symbol, unknown>;
const registeredSecrets: Set<string> = (shared[SECRETS] ??= new Set<string>()) as Set<string>;
const longestFirst = (shared[SECRETS_ORDER] ??= { generation: 0 }) as {
  generation: number;
  cached?: { generation: number; size: number; list: string[] };
};

/**
 * Remember a secret value (token, secret key, password, signature) so that any text that
 * passes through `redactSecrets` has it replaced. Values shorter than 4 characters are
 * not registered (they would redact ordinary words).
 *
 * The registry keeps the `DEFAULTS.maxRegisteredSecrets` (1,000) most recently registered
 * values and drops the oldest beyond that, so that a long-lived plugin process, which
 * registers every IAM token it is issued, neither grows without end nor slows every
 * redaction. Dropping the oldest is safe because every secret still in use is registered
 * again whenever it is used: credentials each time config is resolved (`resolveConfig`,
 * `checkProviderConfig`, the plugin's secret strings) and by the client on every request
 * (its token, secret key, security token, password token), and registering a value already
 * held moves it to the newest end. What falls off is a value no one has used for 1,000
 * registrations: an IAM token long replaced.
 */
export function registerSecret(value: string | undefined): void {
  if (typeof value !== "string" || value.length < 4) return;
  if (registeredSecrets.delete(value)) {
    registeredSecrets.add(value); // most recently used last; the contents are unchanged
    return;
  }
  registeredSecrets.add(value);
  longestFirst.generation++;
  const cap = DEFAULTS.maxRegisteredSecrets;
  if (registeredSecrets.size > cap) {
    for (const oldest of registeredSecrets) {
      registeredSecrets.delete(oldest);
      if (registeredSecrets.size <= cap) break;
    }
  }
}

/**
 * Forget every registered secret. The registry is process-wide, so a test run calls this
 * between spec files (test/setup.ts) to keep one file's secrets from shaping another's results.
 */
export function clearRegisteredSecrets(): void {
  registeredSecrets.clear();
  longestFirst.generation++;
  delete longestFirst.cached;
}

/** The registered secrets, longest first (cached until the set changes). */
function secretsLongestFirst(): string[] {
  const c = longestFirst.cached;
  if (c && c.generation === longestFirst.generation && c.size === registeredSecrets.size) return c.list;
  // Longest first: a secret that contains another must not be left partly visible.
  const list = [...registeredSecrets].sort((a, b) => b.length - a.length);
  longestFirst.cached = { generation: longestFirst.generation, size: registeredSecrets.size, list };
  return list;
}

// Credential-shaped fragments, redacted even when the value was never registered:
// `key=value` and JSON `"key": "value"` for every credential name, and `Name: value` only for
// header names (prose such as "an IAM token: set authToken ..." must stay readable).
const CREDENTIAL_NAMES =
  "password|passwd|secret(?:[_-]?(?:access[_-]?)?key)?|(?:auth|security|subject|access)?[_-]?token|x-auth-token|x-subject-token|x-security-token|authorization";
const SECRET_PATTERNS: RegExp[] = [
  /(Signature=)[0-9a-fA-F]+/g,
  /(Access=)[^,\s]+/g,
  new RegExp(`((?:${CREDENTIAL_NAMES})=)[^&\\s,;}"]+`, "gi"),
  new RegExp(`("(?:${CREDENTIAL_NAMES})"\\s*:\\s*")[^"]*`, "gi"),
  /((?:x-auth-token|x-subject-token|x-security-token|authorization|secret[_-]?access[_-]?key)\s*:\s*)[^\s,;}"]+/gi,
];

/** Replace every registered secret with `[REDACTED]`. */
function redactRegistered(text: string): string {
  let out = text;
  for (const secret of secretsLongestFirst()) {
    if (out.includes(secret)) out = out.split(secret).join("[REDACTED]");
  }
  return out;
}

/** Replace every registered secret and every credential-shaped fragment with `[REDACTED]`. */
export function redactSecrets(text: string): string {
  let out = redactRegistered(String(text));
  for (const re of SECRET_PATTERNS) out = out.replace(re, "$1[REDACTED]");
  return out;
}

/** Keep only a cause's name, code and (redacted) message: never its request config or headers. */
function sanitizeCause(cause: unknown): unknown {
  if (HwddmError.isInstance(cause)) return cause;
  if (cause instanceof Error) {
    const plain = new Error(redactSecrets(cause.message));
    plain.name = cause.name;
    const code = (cause as { code?: unknown }).code;
    if (typeof code === "string") (plain as Error & { code?: string }).code = code;
    return plain;
  }
  return undefined;
}

/**
 * `text` cut to at most `max` characters. Only ever applied to text that has been
 * redacted already: a secret cut in half no longer matches the registry, so redaction must
 * come first.
 */
export function cut(text: string, max: number): string {
  return text.length > max ? text.slice(0, max) : text;
}

/** A short printable rendering of a rejected value (strings redacted, quoted and cut at 64 characters). */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (typeof value === "string") {
    const clean = redactSecrets(value);
    const shown = clean.length > 64 ? `${clean.slice(0, 64)}…(${value.length} characters)` : clean;
    return JSON.stringify(shown);
  }
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint")
    return String(value);
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}
