/**
 * Retries for one logical request: which failures are retried, how long to wait, and when
 * to give up. Only the client uses this.
 *
 * Retried: network failures (connection reset/refused, socket hang up, DNS try-again,
 * per-attempt timeout), HTTP 429 (honouring `Retry-After` as seconds or an HTTP date),
 * 500/502/503/504, and 409 carrying `DBS.200019` or `DBS.212033`. Never any other 4xx.
 *
 * Delay before retry n (0-based): `Retry-After` when the server sent one, honoured in full
 * (not cut to `maxDelayMs`: a server that asks for 60 s is not called again after 20 s),
 * else full jitter `random() * min(maxDelayMs, baseDelayMs * 2^n)`. When the delay would
 * carry past the total deadline, the last failure is thrown at once instead (for a
 * `Retry-After`, its message says how long the server asked to wait).
 *
 * The deadline is one absolute instant per logical request (`RetryRuntime.deadlineAt`), so
 * that the caller can share it with whatever the request needs first (an IAM token, a
 * project lookup): everything, nested calls included, ends by then.
 */
import { setTimeout as sleepTimer } from "node:timers/promises";
import { ApiError, redactSecrets } from "./errors";
import { DEFAULT_RETRY, RETRYABLE_409_CODES, RETRYABLE_STATUSES, RetryOptions } from "./defaults";

/** Network error codes worth another attempt (all transient). */
export const RETRYABLE_NETWORK_CODES: readonly string[] = Object.freeze([
  "ECONNRESET",
  "ECONNREFUSED",
  "ETIMEDOUT",
  "EPIPE",
  "EAI_AGAIN",
  "ECONNABORTED",
]);

/** The retry options in force: DEFAULT_RETRY, then the config's maxRetries, then test overrides. */
export function retryOptions(maxRetries?: number, overrides?: Partial<RetryOptions>): RetryOptions {
  const merged: RetryOptions = { ...DEFAULT_RETRY };
  if (maxRetries !== undefined) merged.maxRetries = maxRetries;
  for (const [k, v] of Object.entries(overrides ?? {})) {
    if (typeof v === "number" && Number.isFinite(v) && v >= 0) merged[k as keyof RetryOptions] = v;
  }
  return merged;
}

/** Whether an HTTP answer is of a retryable class. */
export function isRetryableStatus(status: number, errorCode: string): boolean {
  if (RETRYABLE_STATUSES.includes(status)) return true;
  return status === 409 && RETRYABLE_409_CODES.includes(errorCode);
}

/** Whether a network failure code is of a retryable class. */
export function isRetryableNetworkCode(code: string): boolean {
  return RETRYABLE_NETWORK_CODES.includes(code);
}

/**
 * `Retry-After` in ms: delta-seconds (`"120"`) or an HTTP date (`"Wed, 21 Oct 2015 07:28:00 GMT"`,
 * measured from `nowMs`, never negative). Undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

/** Full-jitter backoff before retry `n` (0-based). */
export function backoffDelay(n: number, opts: RetryOptions, random: () => number): number {
  const ceiling = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** n);
  return Math.floor(random() * ceiling);
}

/** What one attempt reports back: a value, or a retryable failure (non-retryable ones are thrown). */
export type AttemptOutcome<T> =
  { ok: true; value: T } | { ok: false; error: ApiError; retryAfterMs?: number };

export interface RetryRuntime {
  /** Wait `ms`; given the signal, a real sleep clears its timer when it aborts. */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  random: () => number;
  /** Milliseconds clock for the deadline. */
  now: () => number;
  /**
   * The absolute deadline on the `now` clock; default `now()` at entry + `opts.deadlineMs`.
   * Callers that spend part of the budget elsewhere (a nested call) pass the one they hold.
   */
  deadlineAt?: number;
  signal?: AbortSignal;
  /** The error thrown when `signal` aborts while waiting. */
  abortError: () => Error;
  /** Told about every retry before its delay (for logging). */
  onRetry?: (info: { retry: number; delayMs: number; error: ApiError }) => void;
}

/**
 * Run `attempt` until it succeeds, throws (non-retryable), the retry budget is spent or the
 * deadline would pass. `attempt(n, remainingMs)` gets the 0-based attempt number and the time
 * left before the deadline. On exhaustion the last retryable failure is thrown as it is: the
 * attempt builds it with the attempts made so far and `retryable: true`.
 */
export async function withRetries<T>(
  attempt: (n: number, remainingMs: number) => Promise<AttemptOutcome<T>>,
  opts: RetryOptions,
  rt: RetryRuntime,
): Promise<T> {
  const deadlineAt = rt.deadlineAt ?? rt.now() + opts.deadlineMs;
  for (let n = 0; ; n++) {
    if (rt.signal?.aborted) throw rt.abortError();
    const outcome = await attempt(n, Math.max(1, deadlineAt - rt.now()));
    if (outcome.ok) return outcome.value;
    if (n >= opts.maxRetries) throw outcome.error;
    const retryAfter = outcome.retryAfterMs;
    const delay = retryAfter ?? backoffDelay(n, opts, rt.random);
    const left = deadlineAt - rt.now();
    if (delay >= left) {
      if (retryAfter !== undefined) {
        throw withNote(
          outcome.error,
          `the server asked to wait ${seconds(retryAfter)} s (Retry-After) before retrying, beyond the deadline (${seconds(Math.max(0, left))} s left)`,
        );
      }
      throw outcome.error;
    }
    rt.onRetry?.({ retry: n + 1, delayMs: delay, error: outcome.error });
    await sleepUnlessAborted(delay, rt);
  }
}

function seconds(ms: number): string {
  return String(Math.round(ms / 100) / 10);
}

/**
 * `error` with `note` added to its message (and stack header). The error was built by the
 * attempt for this failure alone and is thrown from here, so it is amended in place.
 */
function withNote(error: ApiError, note: string): ApiError {
  const old = error.message;
  const message = redactSecrets(`${old}; ${note}`);
  Object.defineProperty(error, "message", { value: message, writable: true, configurable: true });
  const at = typeof error.stack === "string" ? error.stack.indexOf(old) : -1;
  if (at >= 0) {
    const stack = error.stack!.slice(0, at) + message + error.stack!.slice(at + old.length);
    Object.defineProperty(error, "stack", { value: stack, writable: true, configurable: true });
  }
  return error;
}

async function sleepUnlessAborted(ms: number, rt: RetryRuntime): Promise<void> {
  const signal = rt.signal;
  if (!signal) return rt.sleep(ms);
  if (signal.aborted) throw rt.abortError();
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(rt.abortError());
    signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    // The sleep gets the signal too, so that its timer is cleared on abort: an aborted call
    // leaves nothing behind that keeps the process alive (a `Retry-After: 30` would, 30 s).
    const slept = rt.sleep(ms, signal).catch((e: unknown) => {
      if (!signal.aborted) throw e;
    });
    await Promise.race([slept, aborted]);
    if (signal.aborted) throw rt.abortError();
  } finally {
    signal.removeEventListener("abort", onAbort!);
  }
}

/** The real sleep (tests inject their own): a timer that is cleared when `signal` aborts. */
export function realSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return sleepTimer(ms, undefined, signal ? { signal } : undefined);
}

/** The real per-attempt timer (tests inject their own): calls `fire` after `ms`; returns its cancel. */
export function realTimer(ms: number, fire: () => void): () => void {
  const timer = setTimeout(fire, ms);
  return () => clearTimeout(timer);
}
