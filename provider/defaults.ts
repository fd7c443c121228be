/**
 * Every tunable default of the core, declared in one place. Tests inject smaller values
 * (milliseconds, never seconds) through the client options instead of editing these.
 */

export interface RetryOptions {
  /** Retries after the first attempt (so attempts = maxRetries + 1). */
  maxRetries: number;
  /** Base of the exponential backoff, in ms: delay n is random(0, min(maxDelayMs, baseDelayMs * 2^n)). */
  baseDelayMs: number;
  /**
   * Cap on one backoff delay, in ms. Not applied to a server's `Retry-After`, which is honoured
   * in full when it fits before the deadline (and ends the retries at once when it does not).
   */
  maxDelayMs: number;
  /** Total deadline for one logical request, all attempts and delays included, in ms. */
  deadlineMs: number;
}

export interface PagingOptions {
  /** Records per request; the API allows 1..128. */
  pageSize: number;
  /** Pages fetched at once after the first. */
  concurrency: number;
  /** Most requests one walk makes, whatever `total` says. */
  maxPages: number;
  /** Most records one walk reads; a `total` beyond it (in the asked range) fails before paging. */
  maxRecords: number;
}

/** The API's largest page (`limit` 1..128). */
const API_MAX_LIMIT = 128;

export const DEFAULT_RETRY: Readonly<RetryOptions> = Object.freeze({
  maxRetries: 4,
  baseDelayMs: 500,
  maxDelayMs: 20_000,
  deadlineMs: 120_000,
});

export const DEFAULT_PAGING: Readonly<PagingOptions> = Object.freeze({
  pageSize: API_MAX_LIMIT,
  concurrency: 4,
  /** 10,000 pages of 128 = 1.28 million records: a hard stop for a `total` that never ends. */
  maxPages: 10_000,
  /** 100,000 records (about 800 requests): beyond that, page by hand with offset/limit. */
  maxRecords: 100_000,
});

export const DEFAULTS = Object.freeze({
  /** Per-request timeout (one attempt), ms. */
  requestTimeoutMs: 30_000,
  /** Deadline of one whole invoke (config resolution to result: every page, retry, IAM call), ms. */
  invokeTimeoutMs: 300_000,
  /** Largest response body accepted, bytes. */
  maxResponseBytes: 10 * 1024 * 1024,
  /** A cached IAM token is replaced this long before its `expires_at`, ms. */
  tokenRefreshSkewMs: 5 * 60_000,
  /** The API's own page-size bounds. */
  apiMaxLimit: API_MAX_LIMIT,
  apiDefaultLimit: 10,
  /**
   * Most secrets the redaction registry keeps (the most recently registered or used; see
   * `registerSecret` in errors.ts for why dropping the oldest is safe).
   */
  maxRegisteredSecrets: 1_000,
  retry: DEFAULT_RETRY,
  paging: DEFAULT_PAGING,
});

/** Header names the core sends or reads. */
export const HEADERS = Object.freeze({
  authToken: "X-Auth-Token",
  subjectToken: "X-Subject-Token",
  requestId: "X-Request-Id",
  projectId: "X-Project-Id",
  securityToken: "X-Security-Token",
  sdkDate: "X-Sdk-Date",
  retryAfter: "Retry-After",
});

/** Error codes that Huawei documents as "try again" on a 409. */
export const RETRYABLE_409_CODES: readonly string[] = Object.freeze(["DBS.200019", "DBS.212033"]);

/** HTTP statuses retried (besides 409 with a code above and network failures). */
export const RETRYABLE_STATUSES: readonly number[] = Object.freeze([429, 500, 502, 503, 504]);
