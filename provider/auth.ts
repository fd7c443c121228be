/**
 * Authentication, the three ways Huawei Cloud takes it:
 * - `token`: an IAM token sent as `X-Auth-Token`;
 * - `aksk`: `X-Project-Id` (when the project is known) and `X-Security-Token` (temporary
 *   credentials) added, then the whole header set signed `SDK-HMAC-SHA256` by signer.ts
 *   (which also signs `host` and adds `X-Sdk-Date`);
 * - `password`: an IAM token obtained with `POST {authUrl}/auth/tokens` (domain, user,
 *   password, project scope), taken from `X-Subject-Token`, cached until shortly before its
 *   `expires_at`, shared by concurrent callers, and replaced once when DDM answers 401.
 *
 * This module builds and reads IAM messages and keeps the token cache; it sends nothing
 * itself: the client does (with its retries, timeouts and error mapping).
 */
import { ApiError, ResponseError, registerSecret } from "./errors";
import { DEFAULTS, HEADERS } from "./defaults";
import { signRequest } from "./signer";
import { tryParseApiTime } from "./time";
import { AuthConfig } from "./types";
import { idProblem } from "./validate";

/** An IAM token and what came with it. */
export interface IamToken {
  token: string;
  /** `token.expires_at` as epoch ms. */
  expiresAtMs: number;
  /** `token.project.id` when the token is scoped to a project. */
  projectId?: string;
}

type PasswordAuth = Extract<AuthConfig, { mode: "password" }>;

/**
 * The JSON body of `POST /v3/auth/tokens` for password auth, scoped to the project id when
 * known, else to the project named after the region (Huawei names each region's default
 * project after the region).
 */
export function passwordTokenBody(auth: PasswordAuth, scope: { region: string; projectId?: string }): string {
  return JSON.stringify({
    auth: {
      identity: {
        methods: ["password"],
        password: {
          user: { name: auth.userName, password: auth.password, domain: { name: auth.domainName } },
        },
      },
      scope: { project: scope.projectId !== undefined ? { id: scope.projectId } : { name: scope.region } },
    },
  });
}

/** Read a 2xx answer to `POST /v3/auth/tokens`; throws ResponseError naming what is missing. */
export function parseTokenResponse(
  headers: Record<string, string>,
  data: unknown,
  ctx: { status: number; requestId: string; method: string; path: string },
): IamToken {
  const fail = (field: string, detail: string): ResponseError =>
    new ResponseError({
      field,
      detail,
      status: ctx.status,
      requestId: ctx.requestId,
      request: { method: ctx.method, path: ctx.path },
      service: "IAM",
    });
  const token = headers[HEADERS.subjectToken.toLowerCase()];
  if (typeof token !== "string" || token.length === 0)
    throw fail(HEADERS.subjectToken, "IAM answered without a token header");
  registerSecret(token);
  const body = data as { token?: { expires_at?: unknown; project?: { id?: unknown } } } | null;
  const expiresAt = body?.token?.expires_at;
  if (typeof expiresAt !== "string") throw fail("token.expires_at", "missing; expected an ISO 8601 time");
  // IAM writes microseconds (`2025-05-21T09:40:40.123000Z`); the time parser takes milliseconds.
  const parsed = tryParseApiTime(expiresAt.replace(/(\.\d{3})\d+/, "$1"));
  if (typeof parsed === "string") throw fail("token.expires_at", parsed);
  const out: IamToken = { token, expiresAtMs: parsed };
  const projectId = body?.token?.project?.id;
  if (projectId !== undefined) {
    const p = idProblem(projectId);
    if (p) throw fail("token.project.id", p);
    out.projectId = projectId as string;
  }
  return out;
}

/**
 * Caches one IAM token. `get` returns the cached token while it is fresh, else fetches a new
 * one; concurrent callers share a single in-flight fetch. A token is replaced
 * `tokenRefreshSkewMs` before `expires_at` (or halfway through its life when that is shorter).
 *
 * `get(deadlineAt)` hands the deadline of the call that needs the token to the fetch it
 * starts, so the fetch ends by then. A caller that joins a fetch in flight waits for it, but
 * that fetch ends by the deadline of the caller that started it: when it fails with a
 * retryable fault (its budget ran out on a 5xx or a timeout) while the joiner still has time,
 * the joiner starts a fetch of its own instead of inheriting the other's deadline. A refusal
 * (wrong password) is shared as it is.
 */
export class TokenCache {
  private current?: { value: IamToken; refreshAtMs: number };
  private inflight?: Promise<IamToken>;
  /** The deadline the fetch in flight ends by (undefined: its own). */
  private inflightDeadline?: number;
  /** Fetches made (for tests and logs). */
  fetches = 0;

  constructor(
    private readonly fetch: (deadlineAt?: number) => Promise<IamToken>,
    private readonly now: () => number,
    private readonly skewMs: number = DEFAULTS.tokenRefreshSkewMs,
  ) {}

  /** A fresh token: the cached one, the one being fetched, or a new fetch (ending by `deadlineAt`). */
  get(deadlineAt?: number): Promise<IamToken> {
    if (this.current && this.now() < this.current.refreshAtMs) return Promise.resolve(this.current.value);
    if (this.inflight) {
      const theirs = this.inflightDeadline;
      const shared = this.inflight;
      if (deadlineAt === undefined || theirs === undefined || deadlineAt <= theirs) return shared;
      return shared.catch((e: unknown) => {
        if (ApiError.isInstance(e) && e.retryable && this.now() < deadlineAt) return this.get(deadlineAt);
        throw e;
      });
    }
    const fetchedAt = this.now();
    this.fetches++;
    const p = this.fetch(deadlineAt).then(
      (value) => {
        const life = value.expiresAtMs - fetchedAt;
        this.current = {
          value,
          refreshAtMs: value.expiresAtMs - Math.min(this.skewMs, Math.max(0, life / 2)),
        };
        if (this.inflight === p) this.inflight = undefined;
        return value;
      },
      (e: unknown) => {
        if (this.inflight === p) this.inflight = undefined;
        throw e;
      },
    );
    this.inflight = p;
    this.inflightDeadline = deadlineAt;
    return p;
  }

  /** Forget `token` (DDM refused it); a token fetched meanwhile by someone else is kept. */
  invalidate(token: string): void {
    if (this.current?.value.token === token) this.current = undefined;
  }

  /** The project id the cached token is scoped to, when known. */
  projectId(): string | undefined {
    return this.current?.value.projectId;
  }
}

/**
 * Headers for one request in the given mode. `extra.token` is the password-mode token;
 * `extra.projectId` goes into `X-Project-Id` for AK/SK (omit it for IAM calls); `now` dates
 * the signature. The caller's headers (Accept, User-Agent, ...) are kept and, for AK/SK, signed.
 */
export function authHeaders(
  auth: AuthConfig,
  req: { method: string; url: string; headers: Record<string, string>; body?: string },
  extra: { token?: string; projectId?: string; now: Date },
): Record<string, string> {
  switch (auth.mode) {
    case "token":
      return { ...req.headers, [HEADERS.authToken]: auth.token };
    case "password": {
      if (extra.token === undefined) throw new Error("internal: password auth without a token");
      return { ...req.headers, [HEADERS.authToken]: extra.token };
    }
    case "aksk": {
      const headers: Record<string, string> = { ...req.headers };
      if (extra.projectId !== undefined) headers[HEADERS.projectId] = extra.projectId;
      if (auth.securityToken !== undefined) headers[HEADERS.securityToken] = auth.securityToken;
      return signRequest(
        { method: req.method, url: req.url, headers, body: req.body },
        { accessKey: auth.accessKey, secretKey: auth.secretKey },
        extra.now,
      );
    }
  }
}
