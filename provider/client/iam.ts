/**
 * The IAM calls the client makes for itself: the password → token exchange (cached by
 * auth.ts's TokenCache) and the project id lookup by region name, each shared by concurrent
 * callers and ending by the deadline of the call that needs it.
 */
import { ApiError, ConfigurationError, ResponseError, describeValue } from "../errors";
import { IamToken, TokenCache, parseTokenResponse, passwordTokenBody } from "../auth";
import { ResolvedConfig } from "../types";
import { idProblem } from "../validate";
import { placesFor } from "../config";
import { Answer, parseJson } from "./classify";
import { Spec, abortError, pathOf, raceAbort, specOf } from "./transport";

/** What an IAM call needs from its client: the config, a clock, deadlines and the retrying send. */
export interface IamContext {
  readonly config: ResolvedConfig;
  nowMs(): number;
  /** The deadline of a call starting now, capped by `outer` when nested. */
  deadlineFrom(outer?: number): number;
  execute(spec: Spec, signal: AbortSignal | undefined, deadlineAt: number): Promise<Answer>;
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
 * `POST {authUrl}/auth/tokens` for password auth, ending by `outer` (the deadline of the call
 * that needs the token). Without a project id the token is scoped to the project named after
 * the region; IAM refusing that scope as unknown is the same ConfigurationError the project
 * lookup gives.
 */
export async function fetchToken(iam: IamContext, outer?: number): Promise<IamToken> {
  const config = iam.config;
  const auth = config.auth;
  if (auth.mode !== "password") throw new Error("internal: token fetch without password auth");
  const url = new URL(`${config.authUrl}/auth/tokens`);
  const region = config.region;
  const byName = config.projectId === undefined;
  const body = passwordTokenBody(auth, { region, projectId: config.projectId });
  let answer: Answer;
  try {
    answer = await iam.execute(specOf("IAM", "POST", url, false, body), undefined, iam.deadlineFrom(outer));
  } catch (e) {
    if (byName && ApiError.isInstance(e) && isUnknownProjectAnswer(e)) {
      throw noProjectNamed(
        region,
        `IAM refused a token scoped to it: HTTP ${e.status} ${e.errorCode}`.trim(),
      );
    }
    throw e;
  }
  const token = parseTokenResponse(answer.headers, parseJson(answer), answer);
  const now = iam.nowMs();
  if (token.expiresAtMs <= now) {
    // Using it would mean a new password exchange before every request: say so once instead.
    throw new ResponseError({
      field: "token.expires_at",
      detail:
        `IAM issued a token that expires at ${new Date(token.expiresAtMs).toISOString()}, already past by this ` +
        `machine's clock (${new Date(now).toISOString()}); check the system clock`,
      status: answer.status,
      requestId: answer.requestId,
      request: { method: answer.method, path: answer.path },
      service: "IAM",
    });
  }
  return token;
}

/**
 * The project id: the configured one, else the one the password token is scoped to, else
 * IAM `GET {authUrl}/projects?name={region}`; looked up once per region and shared.
 */
export class ProjectIds {
  /** Lookups per region (the promise, so concurrent callers share one; dropped when it fails). */
  private readonly byRegion = new Map<string, Promise<string>>();
  /** The id once known (configured or looked up), for the AK/SK `X-Project-Id` header. */
  known?: string;

  constructor(
    private readonly iam: IamContext,
    private readonly tokens?: TokenCache,
  ) {
    this.known = iam.config.projectId;
  }

  get(signal?: AbortSignal): Promise<string> {
    const config = this.iam.config;
    if (config.projectId !== undefined) return Promise.resolve(config.projectId);
    const region = config.region;
    let p = this.byRegion.get(region);
    if (!p) {
      p = this.lookup(region, this.iam.deadlineFrom());
      this.byRegion.set(region, p);
      p.then(
        (id) => {
          this.known = id;
        },
        () => {
          this.byRegion.delete(region);
        },
      );
    }
    const url = this.lookupUrl(region);
    return raceAbort(p, signal, () => abortError("GET", pathOf(url), 0, "IAM"));
  }

  private lookupUrl(region: string): URL {
    return new URL(`${this.iam.config.authUrl}/projects?name=${encodeURIComponent(region)}`);
  }

  private async lookup(region: string, deadlineAt: number): Promise<string> {
    if (this.tokens) {
      const t = await this.tokens.get(deadlineAt);
      if (t.projectId !== undefined) return t.projectId;
    }
    const url = this.lookupUrl(region);
    const answer = await this.iam.execute(specOf("IAM", "GET", url, true), undefined, deadlineAt);
    const data = parseJson(answer) as { projects?: unknown } | null;
    const fail = (field: string, detail: string) =>
      new ResponseError({
        field,
        detail,
        status: answer.status,
        requestId: answer.requestId,
        request: { method: answer.method, path: answer.path },
        service: answer.service,
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
    const problem = idProblem(id);
    if (problem) throw fail("projects[].id", problem);
    return id as string;
  }
}
