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
import { redactRegistered, redactSecrets } from "./redact";

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

export { redactSecrets, registerSecret } from "./redact";

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
