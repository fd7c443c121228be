/**
 * Input checks shared by every face. Each returns the checked value or throws a
 * ValidationError that names the field, shows the value and says what is allowed. They
 * run before any request is made.
 */
import { InputFailure, ValidationError, describeValue } from "./errors";

const MAX_ID_LENGTH = 128;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why `value` is not a usable path id, or undefined when it is. */
export function idProblem(value: unknown): string | undefined {
  const allowed = `expected a non-empty id of at most ${MAX_ID_LENGTH} characters without "/", "?", "#", "%", "..", whitespace or control characters`;
  if (typeof value !== "string" || value.length === 0 || value.length > MAX_ID_LENGTH) {
    return `got ${describeValue(value)}; ${allowed}`;
  }
  // eslint-disable-next-line no-control-regex
  if (/[/?#%\\\s\u0000-\u001f\u007f-\u009f]/.test(value) || value.includes("..")) {
    return `got ${describeValue(value)}; ${allowed}`;
  }
  // A lone UTF-16 surrogate cannot be percent-encoded (encodeURIComponent throws URIError).
  if (LONE_SURROGATE.test(value))
    return `got ${describeValue(value)}; ${allowed} (it holds a lone UTF-16 surrogate)`;
  return undefined;
}

/** A DDM instance id or project id, safe to put in a URL path. */
export function checkId(field: string, value: unknown): string {
  const p = idProblem(value);
  if (p) throw new ValidationError([{ property: field, reason: p }]);
  return value as string;
}

/** Accepts integers and strings of digits (config often arrives as strings). */
export function toInteger(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isSafeInteger(value)) return value;
  if (typeof value === "string" && /^-?\d{1,15}$/.test(value.trim())) return Number(value.trim());
  return undefined;
}

/** Why `value` is not an integer >= min (and <= max), or undefined when it is. */
export function integerProblem(value: unknown, min: number, max?: number): string | undefined {
  const n = typeof value === "number" && Number.isSafeInteger(value) ? value : undefined;
  const range = max === undefined ? `an integer >= ${min}` : `an integer from ${min} to ${max}`;
  if (n === undefined || n < min || (max !== undefined && n > max))
    return `got ${describeValue(value)}; expected ${range}`;
  return undefined;
}

/** `offset`: records skipped, an integer >= 0. Strict: numbers only (function arguments are typed). */
export function checkOffset(value: unknown, field = "offset"): number {
  const p = integerProblem(value, 0);
  if (p) throw new ValidationError([{ property: field, reason: p }]);
  return value as number;
}

/** `limit`: most records returned in all, an integer >= 1. */
export function checkLimit(value: unknown, field = "limit"): number {
  const p = integerProblem(value, 1);
  if (p) throw new ValidationError([{ property: field, reason: p }]);
  return value as number;
}

/** Collects failures so that every bad field is reported at once. */
export class FailureCollector {
  readonly failures: InputFailure[] = [];

  /** Run a check; record its ValidationError failures instead of throwing. */
  check<T>(fn: () => T): T | undefined {
    try {
      return fn();
    } catch (e) {
      if (ValidationError.isInstance(e)) {
        this.failures.push(...e.failures);
        return undefined;
      }
      throw e;
    }
  }

  /** Whether a failure was recorded for `property`. */
  has(property: string): boolean {
    return this.failures.some((x) => x.property === property);
  }

  add(property: string, reason: string): void {
    this.failures.push({ property, reason });
  }

  /** Throw one ValidationError listing every failure, if any. */
  throwIfAny(): void {
    if (this.failures.length > 0) throw new ValidationError(this.failures);
  }
}
