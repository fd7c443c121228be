/**
 * The DDM client: the only code in the project that talks HTTP to DDM or IAM.
 *
 * One axios instance per client (no global axios defaults), with its own keep-alive agents
 * (TLS verification on unless `insecure`), no redirects followed (a redirect could carry a
 * token to another host), no proxy taken from the environment, every status handed back
 * (`validateStatus: () => true`) and bodies read as text and parsed here, so that a body
 * that is not JSON becomes a ResponseError instead of a string. Every request goes
 * through `withRetries`. axios errors never escape: they are mapped to NetworkError /
 * ResponseError carrying only the error's code and message.
 *
 * Time: each logical call (`getJson`, `projectId`) takes one absolute deadline at entry
 * (`retry.deadlineMs` from then). Everything the call does ends by it: the IAM token fetch
 * and the project lookup it needs (each gets the earlier of its own deadline and the
 * caller's), every attempt, the token refresh on a 401 and the delays between attempts. An
 * attempt's timeout is the request timeout, or the time left when that is less, measured
 * after its credentials are ready (so the token fetch is not counted twice).
 *
 * Oversized bodies (more than DEFAULTS.maxResponseBytes after decompression) are a
 * ResponseError with field `(body)`, whatever the status, and are not retried.
 */
import * as http from "node:http";
import * as https from "node:https";
import { createHash } from "node:crypto";
import axios, { AxiosInstance } from "axios";
import {
  ApiError,
  ConfigurationError,
  cut,
  NetworkError,
  ResponseError,
  ValidationError,
  describeValue,
  redactSecrets,
  registerSecret,
} from "./errors";
import { DEFAULTS, HEADERS, RetryOptions } from "./defaults";
import { IamToken, TokenCache, authHeaders, parseTokenResponse, passwordTokenBody } from "./auth";
import {
  AttemptOutcome,
  isRetryableNetworkCode,
  isRetryableStatus,
  parseRetryAfter,
  realSleep,
  realTimer,
  retryOptions,
  withRetries,
} from "./retry";
import { ClientOverrides, ResolvedConfig, RetryNotice } from "./types";
import { idProblem } from "./validate";
import { placesFor } from "./config";

/** A decoded 2xx JSON answer and where it came from. */
export interface JsonResponse {
  status: number;
  data: unknown;
  /** `X-Request-Id` of the answer, or `""`. */
  requestId: string;
  method: string;
  /** Path with query, as requested. */
  path: string;
  /** Requests made, retries and a token refresh included. */
  attempts: number;
}

type Service = "DDM" | "IAM";

interface Spec {
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

function specOf(
  service: Service,
  method: Spec["method"],
  url: URL,
  authenticate: boolean,
  body?: string,
): Spec {
  return { service, method, url, href: url.toString(), path: pathOf(url), body, authenticate };
}

interface Raw {
  service: Service;
  status: number;
  headers: Record<string, string>;
  body: string;
  requestId: string;
  method: string;
  path: string;
  attempts: number;
}

type Sent =
  | { kind: "response"; status: number; headers: Record<string, string>; body: string; requestId: string }
  | { kind: "network"; code: string; detail: string; retryable: boolean };

const USER_AGENT = "pulumi-hwddm";

/** Network failures that happen before a request leaves this machine (it cannot have been acted on). */
const PRE_SEND_NETWORK_CODES: readonly string[] = ["ECONNREFUSED", "EAI_AGAIN", "ENOTFOUND"];

function pathOf(url: URL): string {
  return url.pathname + url.search;
}

/**
 * Huawei's error bodies: `{error_code, error_msg}`, DDM's `{errCode, externalMessage}` (its
 * restore and job calls), APIGW's `{code, message}`, IAM's `{error: {code, message}}`.
 */
export function errorFields(body: string): { errorCode: string; errorMsg: string } {
  let j: unknown;
  try {
    j = JSON.parse(body);
  } catch {
    return { errorCode: "", errorMsg: "" };
  }
  // Redact first, then cut: a secret cut in half would no longer match the registry.
  const text = (v: unknown): string =>
    typeof v === "string" ? cut(redactSecrets(v), 500) : typeof v === "number" ? String(v) : "";
  if (typeof j !== "object" || j === null) return { errorCode: "", errorMsg: "" };
  const o = j as Record<string, unknown>;
  if (o.error_code !== undefined || o.error_msg !== undefined)
    return { errorCode: text(o.error_code), errorMsg: text(o.error_msg) };
  if (o.errCode !== undefined || o.externalMessage !== undefined)
    return { errorCode: text(o.errCode), errorMsg: text(o.externalMessage) };
  if (typeof o.error === "object" && o.error !== null) {
    const e = o.error as Record<string, unknown>;
    return { errorCode: text(e.code ?? e.error_code), errorMsg: text(e.message ?? e.error_msg) };
  }
  if (o.code !== undefined || o.message !== undefined)
    return { errorCode: text(o.code), errorMsg: text(o.message) };
  return { errorCode: "", errorMsg: "" };
}

function checkPath(path: unknown): string {
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

function queryString(query: Record<string, string | number>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(query ?? {})) {
    if (k === "" || (typeof v !== "string" && !(typeof v === "number" && Number.isFinite(v)))) {
      throw ValidationError.field(`query.${k}`, v, "expected a string or a finite number");
    }
    parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  }
  return parts.length > 0 ? `?${parts.join("&")}` : "";
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

/** Resolve `p`, or reject with `abortError()` as soon as `signal` aborts (p keeps running for others). */
function raceAbort<T>(p: Promise<T>, signal: AbortSignal | undefined, abortError: () => Error): Promise<T> {
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

export class DdmClient {
  readonly config: ResolvedConfig;
  private readonly http: AxiosInstance;
  private readonly retry: RetryOptions;
  private readonly now: () => Date;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly timer: (ms: number, fire: () => void) => () => void;
  private readonly random: () => number;
  private readonly log?: (line: string) => void;
  private readonly onRetry?: (notice: RetryNotice) => void;
  /** Per-attempt timeout: `overrides.requestTimeoutMs`, else the config's. */
  private readonly requestTimeoutMs: number;
  private readonly tokens?: TokenCache;
  /** Project id lookups per region (the promise, so concurrent callers share one). */
  private readonly projects = new Map<string, Promise<string>>();
  private knownProjectId?: string;
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;
  /** HTTP exchanges in progress (close() waits for them before destroying the agents). */
  private active = 0;
  private closed = false;

  constructor(config: ResolvedConfig, overrides: ClientOverrides = {}) {
    this.config = config;
    // Configs are normally resolved (and their secrets registered) by resolveConfig; a
    // hand-built one must not leak either.
    registerConfigSecrets(config);
    this.retry = retryOptions(config.maxRetries, overrides.retry);
    this.now = overrides.now ?? (() => new Date());
    this.sleep = overrides.sleep ?? realSleep;
    this.timer = overrides.timer ?? realTimer;
    this.random = overrides.random ?? Math.random;
    this.log = overrides.log;
    this.onRetry = overrides.onRetry;
    const rt = overrides.requestTimeoutMs;
    this.requestTimeoutMs =
      typeof rt === "number" && Number.isFinite(rt) && rt >= 1 ? Math.floor(rt) : config.requestTimeoutMs;
    this.knownProjectId = config.projectId;
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
      httpAgent: (this.httpAgent = new http.Agent({ keepAlive: true })),
      httpsAgent: (this.httpsAgent = new https.Agent({
        keepAlive: true,
        rejectUnauthorized: !config.insecure,
      })),
    });
    if (config.auth.mode === "password") {
      this.tokens = new TokenCache(
        (deadlineAt) => this.fetchToken(deadlineAt),
        () => this.now().getTime(),
        DEFAULTS.tokenRefreshSkewMs,
      );
    }
  }

  /**
   * Release the keep-alive connections: at once when no request is in progress, else as soon
   * as the last one ends. Called when the client cache evicts the client and on shutdown. A
   * closed client still works (a later request opens a new connection, released again when it
   * ends), so closing one that a running call still holds is safe.
   */
  close(): void {
    this.closed = true;
    if (this.active === 0) this.releaseConnections();
  }

  private releaseConnections(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  /** IAM token fetches made so far (password auth), for tests and diagnostics. */
  get tokenFetches(): number {
    return this.tokens?.fetches ?? 0;
  }

  /**
   * The project id: the configured one, else the one the password token is scoped to, else
   * IAM `GET {authUrl}/projects?name={region}`; looked up once per region and shared.
   */
  projectId(signal?: AbortSignal): Promise<string> {
    if (this.config.projectId !== undefined) return Promise.resolve(this.config.projectId);
    const region = this.config.region;
    let p = this.projects.get(region);
    if (!p) {
      p = this.lookupProjectId(region, this.deadlineFrom());
      this.projects.set(region, p);
      p.then(
        (id) => {
          this.knownProjectId = id;
        },
        () => {
          this.projects.delete(region);
        },
      );
    }
    const url = new URL(`${this.config.authUrl}/projects?name=${encodeURIComponent(region)}`);
    return raceAbort(p, signal, () => this.abortError("GET", pathOf(url), 0, "IAM"));
  }

  /**
   * `GET {endpoint}{path}{?query}` with authentication, retries and timeouts; the 2xx body
   * parsed as JSON. Non-2xx → ApiError; no answer → NetworkError; a 2xx body that is not
   * JSON → ResponseError with field `(body)`.
   */
  async getJson(
    path: string,
    query: Record<string, string | number>,
    signal?: AbortSignal,
  ): Promise<JsonResponse> {
    const deadlineAt = this.deadlineFrom();
    const url = new URL(this.config.endpoint + checkPath(path) + queryString(query));
    const raw = await this.execute(specOf("DDM", "GET", url, true), signal, deadlineAt);
    const data = this.parseJson(raw);
    return {
      status: raw.status,
      data,
      requestId: raw.requestId,
      method: raw.method,
      path: raw.path,
      attempts: raw.attempts,
    };
  }

  /**
   * `POST {endpoint}{path}` with a JSON body, for a request that changes something. Retried
   * only when it cannot have been acted on: a failure before sending (connection refused, DNS
   * try-again, no token yet) or a 409 "target busy" answer. A timeout after sending, a reset
   * connection, a 5xx or a cancellation mid-request is thrown at once with `outcomeUnknown`.
   */
  async postJson(path: string, body: unknown, signal?: AbortSignal): Promise<JsonResponse> {
    const deadlineAt = this.deadlineFrom();
    const url = new URL(this.config.endpoint + checkPath(path));
    const spec: Spec = { ...specOf("DDM", "POST", url, true, JSON.stringify(body)), mutation: true };
    const raw = await this.execute(spec, signal, deadlineAt);
    const data = this.parseJson(raw);
    return {
      status: raw.status,
      data,
      requestId: raw.requestId,
      method: raw.method,
      path: raw.path,
      attempts: raw.attempts,
    };
  }

  // -------------------------------------------------------------------------------------

  /** The deadline of a call starting now, capped by the caller's (`outer`) when nested. */
  private deadlineFrom(outer?: number): number {
    const own = this.now().getTime() + this.retry.deadlineMs;
    return outer === undefined ? own : Math.min(own, outer);
  }

  private async lookupProjectId(region: string, deadlineAt: number): Promise<string> {
    if (this.tokens) {
      const t = await this.tokens.get(deadlineAt);
      if (t.projectId !== undefined) return t.projectId;
    }
    const url = new URL(`${this.config.authUrl}/projects?name=${encodeURIComponent(region)}`);
    const raw = await this.execute(specOf("IAM", "GET", url, true), undefined, deadlineAt);
    const data = this.parseJson(raw) as { projects?: unknown } | null;
    const fail = (field: string, detail: string) =>
      new ResponseError({
        field,
        detail,
        status: raw.status,
        requestId: raw.requestId,
        request: { method: raw.method, path: raw.path },
        service: raw.service,
      });
    if (typeof data !== "object" || data === null || !Array.isArray(data.projects))
      throw fail("projects", "missing; expected an array of projects");
    const matches = (data.projects as unknown[]).filter(
      (p): p is { id: unknown; name: unknown } =>
        typeof p === "object" && p !== null && (p as { name?: unknown }).name === region,
    );
    if (matches.length === 0) throw noProjectNamed(region);
    if (matches.length > 1) {
      const how = `set the project id with ${placesFor("projectId")}`;
      const ids = matches.map((m) => describeValue(m.id)).join(", ");
      throw new ConfigurationError(
        `IAM has ${matches.length} projects named "${region}" (ids ${ids}), so the project id is ambiguous; ${how}`,
        ["projectId"],
      );
    }
    const id = matches[0].id;
    const p = idProblem(id);
    if (p) throw fail("projects[].id", p);
    return id as string;
  }

  /**
   * `POST {authUrl}/auth/tokens` for password auth, ending by `outer` (the deadline of the call
   * that needs the token). Without a project id the token is scoped to the project named after
   * the region; IAM refusing that scope as unknown is the same ConfigurationError the project
   * lookup gives.
   */
  private async fetchToken(outer?: number): Promise<IamToken> {
    const auth = this.config.auth;
    if (auth.mode !== "password") throw new Error("internal: token fetch without password auth");
    const url = new URL(`${this.config.authUrl}/auth/tokens`);
    const region = this.config.region;
    const byName = this.config.projectId === undefined;
    const body = passwordTokenBody(auth, { region, projectId: this.config.projectId });
    let raw: Raw;
    try {
      raw = await this.execute(specOf("IAM", "POST", url, false, body), undefined, this.deadlineFrom(outer));
    } catch (e) {
      if (byName && ApiError.isInstance(e) && isUnknownProjectAnswer(e)) {
        throw noProjectNamed(
          region,
          `IAM refused a token scoped to it: HTTP ${e.status} ${e.errorCode}`.trim(),
        );
      }
      throw e;
    }
    const token = parseTokenResponse(raw.headers, this.parseJson(raw), raw);
    const now = this.now().getTime();
    if (token.expiresAtMs <= now) {
      // Using it would mean a new password exchange before every request: say so once instead.
      throw new ResponseError({
        field: "token.expires_at",
        detail:
          `IAM issued a token that expires at ${new Date(token.expiresAtMs).toISOString()}, already past by this ` +
          `machine's clock (${new Date(now).toISOString()}); check the system clock`,
        status: raw.status,
        requestId: raw.requestId,
        request: { method: raw.method, path: raw.path },
        service: "IAM",
      });
    }
    return token;
  }

  private parseJson(raw: Raw): unknown {
    const fail = (detail: string) =>
      new ResponseError({
        field: "(body)",
        detail,
        status: raw.status,
        requestId: raw.requestId,
        request: { method: raw.method, path: raw.path },
        service: raw.service,
      });
    const text = raw.body;
    if (text.trim() === "") throw fail("the body is empty; expected JSON");
    try {
      return JSON.parse(text);
    } catch {
      const type = raw.headers["content-type"] ?? "no content type";
      throw fail(
        `the body is not JSON (${type}; it starts ${JSON.stringify(cut(redactSecrets(text.trim()), 40))})`,
      );
    }
  }

  private abortError(
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

  /**
   * Send one logical request by `deadlineAt`: auth, retries, one token refresh on 401
   * (password auth). Each send's timeout is taken after its credentials are ready.
   */
  private async execute(spec: Spec, signal: AbortSignal | undefined, deadlineAt: number): Promise<Raw> {
    const method = spec.method;
    const path = spec.path;
    let sent = 0;
    let refreshed = false;
    const abortError = () => this.abortError(method, path, sent, spec.service);
    const sendNow = async (headers: Record<string, string>): Promise<Sent> => {
      const remainingMs = deadlineAt - this.now().getTime();
      if (remainingMs < 1) throw this.deadlineError(method, path, sent, spec.service);
      sent++;
      return this.send(spec, headers, Math.min(this.requestTimeoutMs, remainingMs), signal, sent);
    };
    const attempt = async (): Promise<AttemptOutcome<Raw>> => {
      let prepared = await this.prepare(spec, signal, deadlineAt, abortError);
      let res = await sendNow(prepared.headers);
      if (res.kind === "response" && res.status === 401 && prepared.token !== undefined && !refreshed) {
        // The password token was refused (revoked, or expired early): get a new one, once.
        refreshed = true;
        this.tokens!.invalidate(prepared.token);
        this.log?.(`${method} ${path}: token refused, fetching a new one`);
        prepared = await this.prepare(spec, signal, deadlineAt, abortError);
        res = await sendNow(prepared.headers);
      }
      return this.classify(spec, res, sent);
    };
    return withRetries(attempt, this.retry, {
      sleep: this.sleep,
      random: this.random,
      now: () => this.now().getTime(),
      deadlineAt,
      signal,
      abortError,
      onRetry: ({ retry, delayMs, error }) => {
        this.log?.(
          redactSecrets(
            `${method} ${path}: retry ${retry} of ${this.retry.maxRetries} in ${delayMs} ms after ${error.status === 0 ? error.errorCode : `HTTP ${error.status}`}`,
          ),
        );
        this.onRetry?.({
          attempt: retry + 1,
          attempts: this.retry.maxRetries + 1,
          delayMs,
          status: error.status,
          errorCode: error.errorCode,
          method,
          path,
        });
      },
    });
  }

  /** The total deadline passed before a request could be sent (the time went on IAM or delays). */
  private deadlineError(method: string, path: string, attempts: number, service: Service): NetworkError {
    return new NetworkError({
      service,
      code: "ETIMEDOUT",
      detail: `the call's deadline (at most ${this.retry.deadlineMs} ms) passed before the request could be sent`,
      request: { method, path, attempts },
      retryable: true,
    });
  }

  /**
   * Headers for one attempt (fetching the password token when needed, by `deadlineAt`). The
   * credentials used are registered again, so the bounded secret registry keeps them.
   */
  private async prepare(
    spec: Spec,
    signal: AbortSignal | undefined,
    deadlineAt: number,
    abortError: () => Error,
  ): Promise<{ headers: Record<string, string>; token?: string }> {
    const headers: Record<string, string> = {
      Accept: "application/json",
      "Accept-Encoding": "gzip, deflate",
      "User-Agent": USER_AGENT,
    };
    if (spec.body !== undefined) headers["Content-Type"] = "application/json;charset=UTF-8";
    if (!spec.authenticate) return { headers };
    const req = { method: spec.method, url: spec.href, headers, body: spec.body };
    registerConfigSecrets(this.config);
    if (this.tokens) {
      const token = (await raceAbort(this.tokens.get(deadlineAt), signal, abortError)).token;
      registerSecret(token);
      return { headers: authHeaders(this.config.auth, req, { token, now: this.now() }), token };
    }
    const now = this.now();
    const projectId = spec.service === "DDM" ? this.knownProjectId : undefined;
    return { headers: authHeaders(this.config.auth, req, { projectId, now }) };
  }

  /** One HTTP exchange; network failures come back as values, cancellation and oversize are thrown. */
  private async send(
    spec: Spec,
    headers: Record<string, string>,
    timeoutMs: number,
    signal: AbortSignal | undefined,
    attempts: number,
  ): Promise<Sent> {
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
      if (signal?.aborted) throw this.abortError(method, path, attempts, spec.service);
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
        throw this.abortError(method, path, attempts, spec.service, spec.mutation);
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

  /** A response or network failure as an attempt outcome (non-retryable failures thrown). */
  private classify(spec: Spec, res: Sent, attempts: number): AttemptOutcome<Raw> {
    const method = spec.method;
    const path = spec.path;
    const request = { method, path, attempts };
    if (res.kind === "network") {
      // A mutation is retried only when the failure proves it never reached the server.
      const unsent = PRE_SEND_NETWORK_CODES.includes(res.code);
      const outcomeUnknown = spec.mutation === true && !unsent;
      const retryable = res.retryable && !outcomeUnknown;
      const error = new NetworkError(
        { code: res.code, detail: res.detail, request, retryable, outcomeUnknown, service: spec.service },
        { cause: Object.assign(new Error(res.detail), { code: res.code }) },
      );
      if (!retryable) throw error;
      return { ok: false, error };
    }
    if (res.status >= 200 && res.status < 300) {
      return {
        ok: true,
        value: {
          service: spec.service,
          status: res.status,
          headers: res.headers,
          body: res.body,
          requestId: res.requestId,
          method,
          path,
          attempts,
        },
      };
    }
    const { errorCode, errorMsg } = errorFields(res.body);
    // A mutation answered 5xx may have been acted on; only "target busy" (409) proves it was not.
    const outcomeUnknown = spec.mutation === true && res.status >= 500;
    const retryable = spec.mutation
      ? res.status === 409 && isRetryableStatus(res.status, errorCode)
      : isRetryableStatus(res.status, errorCode);
    const error = new ApiError({
      status: res.status,
      errorCode,
      errorMsg,
      requestId: res.requestId,
      request,
      retryable,
      outcomeUnknown,
      message:
        spec.service === "IAM" ? `IAM API ${method} ${path} failed with HTTP ${res.status}` : undefined,
    });
    if (!retryable) throw error;
    const retryAfterMs =
      res.status === 429 || res.status === 503
        ? parseRetryAfter(res.headers[HEADERS.retryAfter.toLowerCase()], this.now().getTime())
        : undefined;
    return { ok: false, error, retryAfterMs };
  }
}

/** Register the credentials of `config` for redaction (again: the registry keeps the recently used). */
function registerConfigSecrets(config: ResolvedConfig): void {
  const auth = config.auth;
  if (auth.mode === "token") registerSecret(auth.token);
  if (auth.mode === "aksk") [auth.secretKey, auth.securityToken].forEach(registerSecret);
  if (auth.mode === "password") registerSecret(auth.password);
}

/**
 * The one message for "IAM knows no project named after the region": the project lookup finds
 * none (token and AK/SK auth), or IAM refuses a password token scoped to that name.
 */
function noProjectNamed(region: string, evidence?: string): ConfigurationError {
  return new ConfigurationError(
    `IAM has no project named "${region}" for these credentials${evidence ? ` (${evidence})` : ""}, ` +
      `so the project id cannot be looked up; set the project id with ${placesFor("projectId")}`,
    ["projectId"],
  );
}

/**
 * Whether IAM's refusal of a token request says the scope's project does not exist: Huawei's
 * `IAM.0012` ("The project in the scope does not exist."), or a Keystone-style message such as
 * "Could not find project: x" (on 400, 401 or 404). A wrong password (`IAM.0001`) is not one.
 */
function isUnknownProjectAnswer(e: ApiError): boolean {
  if (e.status !== 400 && e.status !== 401 && e.status !== 404) return false;
  if (e.errorCode === "IAM.0012") return true;
  return /could not find project|project\b.*\b(?:does not exist|not exist|not found)/i.test(e.errorMsg);
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

// ---------------------------------------------------------------------------------------
// One client per resolved config

const MAX_CACHED_CLIENTS = 64;
const sharedClients = new Map<string, DdmClient>();
const clientsByOverrides = new WeakMap<ClientOverrides, Map<string, DdmClient>>();

/**
 * The cache key of a resolved config: its non-credential fields in clear, its credentials
 * only as a sha256 (so the key itself never holds a secret).
 */
export function configKey(config: ResolvedConfig): string {
  const { auth, ...rest } = config;
  const credentialHash = createHash("sha256").update(JSON.stringify(auth)).digest("hex");
  return JSON.stringify({ ...rest, projectId: rest.projectId ?? null, mode: auth.mode, credentialHash });
}

/**
 * The client for `config`, shared by every call with an equal config (so IAM tokens and
 * project ids persist across invokes). Clients built with `overrides` are cached per
 * overrides object, never mixed with the shared ones.
 */
export function clientFor(config: ResolvedConfig, overrides?: ClientOverrides): DdmClient {
  let cache = sharedClients;
  if (overrides) {
    cache = clientsByOverrides.get(overrides) ?? new Map<string, DdmClient>();
    clientsByOverrides.set(overrides, cache);
  }
  const key = configKey(config);
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit); // most recently used last
    return hit;
  }
  const client = new DdmClient(config, overrides);
  cache.set(key, client);
  while (cache.size > MAX_CACHED_CLIENTS) {
    const oldest = cache.keys().next().value as string;
    cache.get(oldest)?.close();
    cache.delete(oldest);
  }
  return client;
}

/**
 * Close every cached client built with `overrides` (the shared ones when absent): their
 * keep-alive connections are released now, or as each one's last request ends. What a face
 * calls when it is done (the CLI at the end of a run, the plugin on shutdown). The clients stay
 * cached with their IAM tokens and project ids: a closed client still works, so an in-process
 * caller that runs again reuses them (and their connections are released again).
 */
export function closeClients(overrides?: ClientOverrides): void {
  const cache = overrides ? clientsByOverrides.get(overrides) : sharedClients;
  for (const client of cache?.values() ?? []) client.close();
}
