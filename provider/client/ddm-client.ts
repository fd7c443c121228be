/**
 * One client per resolved config: authenticated DDM calls with retries and deadlines. The
 * exchange itself is transport.ts, what an answer means is classify.ts, IAM's token and
 * project lookups are iam.ts.
 *
 * Time: each logical call (`getJson`, `postJson`, `projectId`) takes one absolute deadline at
 * entry (`retry.deadlineMs` from then). Everything the call does ends by it: the IAM token
 * fetch and the project lookup it needs (each gets the earlier of its own deadline and the
 * caller's), every attempt, the token refresh on a 401 and the delays between attempts. An
 * attempt's timeout is the request timeout, or the time left when that is less, measured
 * after its credentials are ready (so the token fetch is not counted twice).
 */
import { redactSecrets, registerSecret } from "../errors";
import { DEFAULTS, RetryOptions } from "../defaults";
import { TokenCache, authHeaders } from "../auth";
import { AttemptOutcome, realSleep, retryOptions, withRetries } from "../retry";
import { ClientOverrides, ResolvedConfig, RetryNotice } from "../types";
import { Answer, classify, parseJson } from "./classify";
import { IamContext, ProjectIds, fetchToken } from "./iam";
import {
  Exchanged,
  Spec,
  Transport,
  abortError,
  baseHeaders,
  checkPath,
  deadlineError,
  queryString,
  raceAbort,
  specOf,
} from "./transport";

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

export class DdmClient {
  readonly config: ResolvedConfig;
  /** The HTTP exchange: this client's own axios instance and keep-alive agents. */
  private readonly http: Transport;
  private readonly retry: RetryOptions;
  private readonly now: () => Date;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly random: () => number;
  private readonly log?: (line: string) => void;
  private readonly onRetry?: (notice: RetryNotice) => void;
  /** Per-attempt timeout: `overrides.requestTimeoutMs`, else the config's. */
  private readonly requestTimeoutMs: number;
  private readonly tokens?: TokenCache;
  private readonly projects: ProjectIds;

  constructor(config: ResolvedConfig, overrides: ClientOverrides = {}) {
    this.config = config;
    // Configs are normally resolved (and their secrets registered) by resolveConfig; a
    // hand-built one must not leak either.
    registerConfigSecrets(config);
    this.retry = retryOptions(config.maxRetries, overrides.retry);
    this.now = overrides.now ?? (() => new Date());
    this.sleep = overrides.sleep ?? realSleep;
    this.random = overrides.random ?? Math.random;
    this.log = overrides.log;
    this.onRetry = overrides.onRetry;
    const rt = overrides.requestTimeoutMs;
    this.requestTimeoutMs =
      typeof rt === "number" && Number.isFinite(rt) && rt >= 1 ? Math.floor(rt) : config.requestTimeoutMs;
    this.http = new Transport(config.insecure, this.log, overrides.timer);
    const iam: IamContext = {
      config,
      nowMs: () => this.now().getTime(),
      deadlineFrom: (outer) => this.deadlineFrom(outer),
      execute: (spec, signal, deadlineAt) => this.execute(spec, signal, deadlineAt),
    };
    if (config.auth.mode === "password") {
      this.tokens = new TokenCache(
        (deadlineAt) => fetchToken(iam, deadlineAt),
        () => this.now().getTime(),
        DEFAULTS.tokenRefreshSkewMs,
      );
    }
    this.projects = new ProjectIds(iam, this.tokens);
  }

  /**
   * Release the keep-alive connections: at once when no request is in progress, else as soon
   * as the last one ends. Called when the client cache evicts the client and on shutdown. A
   * closed client still works (a later request opens a new connection, released again when it
   * ends), so closing one that a running call still holds is safe.
   */
  close(): void {
    this.http.close();
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
    return this.projects.get(signal);
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
    return jsonOf(await this.execute(specOf("DDM", "GET", url, true), signal, deadlineAt));
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
    return jsonOf(await this.execute(spec, signal, deadlineAt));
  }

  /** The deadline of a call starting now, capped by the caller's (`outer`) when nested. */
  private deadlineFrom(outer?: number): number {
    const own = this.now().getTime() + this.retry.deadlineMs;
    return outer === undefined ? own : Math.min(own, outer);
  }

  /**
   * Send one logical request by `deadlineAt`: auth, retries, one token refresh on 401
   * (password auth). Each send's timeout is taken after its credentials are ready.
   */
  private async execute(spec: Spec, signal: AbortSignal | undefined, deadlineAt: number): Promise<Answer> {
    const method = spec.method;
    const path = spec.path;
    let sent = 0;
    let refreshed = false;
    const aborted = () => abortError(method, path, sent, spec.service);
    const sendNow = async (headers: Record<string, string>): Promise<Exchanged> => {
      const remainingMs = deadlineAt - this.now().getTime();
      if (remainingMs < 1) throw deadlineError(method, path, sent, spec.service, this.retry.deadlineMs);
      sent++;
      const timeoutMs = Math.min(this.requestTimeoutMs, remainingMs);
      return this.http.send(spec, headers, timeoutMs, signal, sent);
    };
    const attempt = async (): Promise<AttemptOutcome<Answer>> => {
      let prepared = await this.prepare(spec, signal, deadlineAt, aborted);
      let res = await sendNow(prepared.headers);
      if (res.kind === "response" && res.status === 401 && prepared.token !== undefined && !refreshed) {
        // The password token was refused (revoked, or expired early): get a new one, once.
        refreshed = true;
        this.tokens!.invalidate(prepared.token);
        this.log?.(`${method} ${path}: token refused, fetching a new one`);
        prepared = await this.prepare(spec, signal, deadlineAt, aborted);
        res = await sendNow(prepared.headers);
      }
      return classify(spec, res, sent, () => this.now().getTime());
    };
    return withRetries(attempt, this.retry, {
      sleep: this.sleep,
      random: this.random,
      now: () => this.now().getTime(),
      deadlineAt,
      signal,
      abortError: aborted,
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

  /**
   * Headers for one attempt (fetching the password token when needed, by `deadlineAt`). The
   * credentials used are registered again, so the bounded secret registry keeps them.
   */
  private async prepare(
    spec: Spec,
    signal: AbortSignal | undefined,
    deadlineAt: number,
    aborted: () => Error,
  ): Promise<{ headers: Record<string, string>; token?: string }> {
    const headers = baseHeaders(spec);
    if (!spec.authenticate) return { headers };
    const req = { method: spec.method, url: spec.href, headers, body: spec.body };
    registerConfigSecrets(this.config);
    if (this.tokens) {
      const token = (await raceAbort(this.tokens.get(deadlineAt), signal, aborted)).token;
      registerSecret(token);
      return { headers: authHeaders(this.config.auth, req, { token, now: this.now() }), token };
    }
    const now = this.now();
    const projectId = spec.service === "DDM" ? this.projects.known : undefined;
    return { headers: authHeaders(this.config.auth, req, { projectId, now }) };
  }
}

function jsonOf(answer: Answer): JsonResponse {
  return {
    status: answer.status,
    data: parseJson(answer),
    requestId: answer.requestId,
    method: answer.method,
    path: answer.path,
    attempts: answer.attempts,
  };
}

/** Register the credentials of `config` for redaction (again: the registry keeps the recently used). */
function registerConfigSecrets(config: ResolvedConfig): void {
  const auth = config.auth;
  if (auth.mode === "token") registerSecret(auth.token);
  if (auth.mode === "aksk") [auth.secretKey, auth.securityToken].forEach(registerSecret);
  if (auth.mode === "password") registerSecret(auth.password);
}
