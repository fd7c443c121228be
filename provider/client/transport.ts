/**
 * The HTTP exchange under the DDM client: one axios instance per client (no global axios
 * defaults), with its own keep-alive agents (TLS verification on unless `insecure`), no
 * redirects followed (a redirect could carry a token to another host), no proxy taken from the
 * environment, every status handed back and bodies read as text (parsed by classify.ts, so a
 * body that is not JSON becomes a ResponseError instead of a string). axios errors never
 * escape: they become a network outcome carrying only the error's code and message.
 *
 * Oversized bodies (more than DEFAULTS.maxResponseBytes after decompression) are a
 * ResponseError with field `(body)`, whatever the status, and are not retried.
 */
import * as http from "node:http";
import * as https from "node:https";
import axios, { AxiosInstance } from "axios";
import { NetworkError, ResponseError, ValidationError, redactSecrets } from "../errors";
import { DEFAULTS, HEADERS } from "../defaults";
import { isRetryableNetworkCode, realTimer } from "../retry";

export type Service = "DDM" | "IAM";

/** One logical request, as every attempt of it sends it. */
export interface Spec {
  service: Service;
  method: "GET" | "POST";
  url: URL;
  /** `url` as a string, and its path with query (what messages name): computed once per call. */
  href: string;
  path: string;
  body?: string;
  /** Send credentials (false only for the password → token exchange itself). */
  authenticate: boolean;
  /**
   * A request that changes something (the restore POST): never sent again once it may have
   * reached the server; only failures before sending and a 409 "target busy" are retried.
   */
  mutation?: boolean;
}

export function specOf(
  service: Service,
  method: Spec["method"],
  url: URL,
  authenticate: boolean,
  body?: string,
): Spec {
  return { service, method, url, href: url.toString(), path: pathOf(url), body, authenticate };
}

/** What one exchange gave: an answer (any status), or a network failure as a value. */
export type Exchanged =
  | { kind: "response"; status: number; headers: Record<string, string>; body: string; requestId: string }
  | { kind: "network"; code: string; detail: string; retryable: boolean };

const USER_AGENT = "pulumi-hwddm";

export function pathOf(url: URL): string {
  return url.pathname + url.search;
}

export function checkPath(path: unknown): string {
  if (
    typeof path !== "string" ||
    !path.startsWith("/") ||
    // eslint-disable-next-line no-control-regex
    /[?#\\\s\u0000-\u001f\u007f]/.test(path) ||
    path.split("/").some((seg, i) => (i > 0 && seg === "") || seg === "." || seg === "..")
  ) {
    throw ValidationError.field(
      "path",
      path,
      'expected an absolute request path such as "/v3/{project}/..." without query, fragment, backslash, whitespace, empty, "." or ".." segments',
    );
  }
  return path;
}

export function queryString(query: Record<string, string | number>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(query ?? {})) {
    if (k === "" || (typeof v !== "string" && !(typeof v === "number" && Number.isFinite(v)))) {
      throw ValidationError.field(`query.${k}`, v, "expected a string or a finite number");
    }
    parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  }
  return parts.length > 0 ? `?${parts.join("&")}` : "";
}

/** The headers every request carries before authentication adds its own. */
export function baseHeaders(spec: Spec): Record<string, string> {
  const headers: Record<string, string> = {
    Accept: "application/json",
    "Accept-Encoding": "gzip, deflate",
    "User-Agent": USER_AGENT,
  };
  if (spec.body !== undefined) headers["Content-Type"] = "application/json;charset=UTF-8";
  return headers;
}

function plainHeaders(h: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const src =
    h && typeof (h as { toJSON?: unknown }).toJSON === "function"
      ? (h as { toJSON(): Record<string, unknown> }).toJSON()
      : (h as Record<string, unknown>);
  for (const [k, v] of Object.entries(src ?? {})) {
    if (v === undefined || v === null) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : `${v as string}`;
  }
  return out;
}

function requestIdOf(headers: Record<string, string>): string {
  return headers[HEADERS.requestId.toLowerCase()] ?? headers["x-iam-trace-id"] ?? "";
}

/**
 * A network error code from a message when the error carried none: "socket hang up" and a
 * connection dropped half-way through the body (axios: "stream has been aborted") are resets.
 */
function networkCodeOf(message: string): string {
  if (/socket hang up|stream has been aborted/i.test(message)) return "ECONNRESET";
  const m = /\b(E[A-Z_]{3,})\b/.exec(message);
  return m ? m[1] : "ERR_NETWORK";
}

/** Resolve `p`, or reject with `abortError()` as soon as `signal` aborts (p keeps running for others). */
export function raceAbort<T>(
  p: Promise<T>,
  signal: AbortSignal | undefined,
  abortError: () => Error,
): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(abortError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError());
    signal.addEventListener("abort", onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}

/** The caller cancelled; `inFlight` when the request may already have reached the server. */
export function abortError(
  method: string,
  path: string,
  attempts: number,
  service: Service = "DDM",
  inFlight = false,
): NetworkError {
  return new NetworkError({
    service,
    code: "ABORTED",
    detail: inFlight ? "the request was cancelled after it was sent" : "the request was cancelled",
    request: { method, path, attempts },
    retryable: false,
    outcomeUnknown: inFlight,
  });
}

/** The total deadline passed before a request could be sent (the time went on IAM or delays). */
export function deadlineError(
  method: string,
  path: string,
  attempts: number,
  service: Service,
  deadlineMs: number,
): NetworkError {
  return new NetworkError({
    service,
    code: "ETIMEDOUT",
    detail: `the call's deadline (at most ${deadlineMs} ms) passed before the request could be sent`,
    request: { method, path, attempts },
    retryable: true,
  });
}

/** One client's connections: sends exchanges and releases its keep-alive agents when closed. */
export class Transport {
  private readonly http: AxiosInstance;
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;
  /** HTTP exchanges in progress (close() waits for them before destroying the agents). */
  private active = 0;
  private closed = false;

  constructor(
    insecure: boolean,
    private readonly log?: (line: string) => void,
    /** Starts the per-attempt timeout and returns its cancel (tests fire it on a fake clock). */
    private readonly timer: (ms: number, fire: () => void) => () => void = realTimer,
  ) {
    this.httpAgent = new http.Agent({ keepAlive: true });
    this.httpsAgent = new https.Agent({ keepAlive: true, rejectUnauthorized: !insecure });
    this.http = axios.create({
      maxContentLength: DEFAULTS.maxResponseBytes,
      maxBodyLength: DEFAULTS.maxResponseBytes,
      maxRedirects: 0,
      proxy: false,
      responseType: "text",
      responseEncoding: "utf8",
      transformResponse: [(d: unknown) => d],
      transformRequest: [(d: unknown) => d],
      validateStatus: () => true,
      decompress: true,
      transitional: { clarifyTimeoutError: true, silentJSONParsing: true, forcedJSONParsing: false },
      httpAgent: this.httpAgent,
      httpsAgent: this.httpsAgent,
    });
  }

  /** The axios settings every exchange is sent with. */
  get defaults(): AxiosInstance["defaults"] {
    return this.http.defaults;
  }

  /**
   * Release the keep-alive connections: at once when no request is in progress, else as soon
   * as the last one ends. A closed transport still works (a later request opens a new
   * connection, released again when it ends).
   */
  close(): void {
    this.closed = true;
    if (this.active === 0) this.releaseConnections();
  }

  private releaseConnections(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  /** One HTTP exchange; network failures come back as values, cancellation and oversize are thrown. */
  async send(
    spec: Spec,
    headers: Record<string, string>,
    timeoutMs: number,
    signal: AbortSignal | undefined,
    attempts: number,
  ): Promise<Exchanged> {
    const method = spec.method;
    const path = spec.path;
    const started = Date.now();
    // One controller per exchange, aborted by our own timer or by the caller's signal (cheaper
    // than AbortSignal.any, which keeps a dependent signal alive per request). axios gets no
    // timeout of its own: this timer is the one per-attempt timeout.
    const exchange = new AbortController();
    let timedOut = false;
    const cancelTimer = this.timer(timeoutMs, () => {
      timedOut = true;
      exchange.abort();
    });
    const onAbort = () => exchange.abort();
    signal?.addEventListener("abort", onAbort, { once: true });
    const line = (outcome: string) =>
      this.log?.(redactSecrets(`${method} ${path} -> ${outcome} (${Date.now() - started} ms)`));
    this.active++;
    try {
      if (signal?.aborted) throw abortError(method, path, attempts, spec.service);
      const res = await this.http.request<string>({
        method,
        url: spec.href,
        headers,
        data: spec.body,
        signal: exchange.signal,
      });
      const resHeaders = plainHeaders(res.headers);
      line(String(res.status));
      return {
        kind: "response",
        status: res.status,
        headers: resHeaders,
        body: typeof res.data === "string" ? res.data : String(res.data ?? ""),
        requestId: requestIdOf(resHeaders),
      };
    } catch (e) {
      if (NetworkError.isInstance(e)) throw e;
      const err = (e ?? {}) as { code?: unknown; message?: unknown; request?: unknown };
      const message = typeof err.message === "string" ? err.message : "";
      const code = typeof err.code === "string" ? err.code : "";
      if (signal?.aborted) {
        line("ABORTED");
        throw abortError(method, path, attempts, spec.service, spec.mutation);
      }
      if (timedOut || code === "ETIMEDOUT" || code === "ECONNABORTED") {
        line("ETIMEDOUT");
        return {
          kind: "network",
          code: "ETIMEDOUT",
          detail: `no answer within ${timeoutMs} ms`,
          retryable: true,
        };
      }
      if (message.includes("maxContentLength")) {
        // The status line did arrive; Node keeps it on the request's `res`.
        const res = (err.request as { res?: { statusCode?: number; headers?: unknown } } | undefined)?.res;
        const resHeaders = plainHeaders(res?.headers);
        line("body too large");
        throw new ResponseError({
          field: "(body)",
          detail: `the body is larger than ${DEFAULTS.maxResponseBytes} bytes`,
          status: res?.statusCode ?? 0,
          requestId: requestIdOf(resHeaders),
          request: { method, path },
          service: spec.service,
        });
      }
      const netCode =
        code && code !== "ERR_BAD_RESPONSE" && code !== "ERR_NETWORK" ? code : networkCodeOf(message);
      line(netCode);
      return {
        kind: "network",
        code: netCode,
        detail: message || netCode,
        retryable: isRetryableNetworkCode(netCode),
      };
    } finally {
      cancelTimer();
      signal?.removeEventListener("abort", onAbort);
      this.active--;
      if (this.closed && this.active === 0) this.releaseConnections();
    }
  }
}
