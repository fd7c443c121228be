/**
 * The DDM API emulator: a real HTTP server (node:http) on loopback that speaks the two
 * restore queries of `docs/api/ddm-restore-v3.md` and the two IAM calls the client uses,
 * checks authentication the way Huawei's API gateway does, pages, validates, injects faults
 * and counts everything. `emulator/README.md` documents every route, status and error code.
 *
 * Order of work for each request: count it → cap the body (413) → route it (404/405) → faults
 * (latency, then a terminal fault if one is due) → authenticate (401) → validate the query
 * (400) → find project and instance (404) → answer.
 */
import { randomBytes, randomUUID } from "node:crypto";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { ValidationError, redactSecrets, registerSecret } from "../provider/errors";
import { DEFAULT_MAX_SKEW_MS, verifyRequest } from "../provider/signer";
import { parseApiTime, tryParseApiTime } from "../provider/time";
import { EMULATOR_ERRORS, HttpFailure, JSON_TYPE, pagingOf } from "./http-errors";
import { FaultDecision, FaultPlan } from "./fault-plan";
import { DEFAULT_JOB_DURATION_MS, JobRecord, JobTable } from "./jobs";
import {
  RESTORE_PARTIAL_BODIES,
  RestoreContext,
  classifyRestorePath,
  isRestoreRoute,
  restoreAnswer,
} from "./restore";
import { FaultSpec, ROUTES, RouteName } from "./faults";
import {
  CONTRACT_EXAMPLE,
  Fixture,
  FixtureInstance,
  FixtureProject,
  RestorableInstanceRecord,
  RestoreWindowRecord,
  defaultFixture,
  formatApiTime,
  parseFixture,
  primaryProject,
} from "./fixture";

export interface EmulatorOptions {
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Interface to listen on; default `127.0.0.1`. Only an explicit value binds elsewhere. */
  host?: string;
  /** The data served; default `defaultFixture()`. Checked like a fixture file. */
  data?: Fixture;
  /** Faults to inject from the first request; see `faults.ts`. Default none. */
  faults?: FaultSpec[];
  /** Life of tokens issued by `POST /v3/auth/tokens`, seconds; default 86400 (24 h, as IAM). */
  tokenLifetimeSeconds?: number;
  /** Log one line per request. Default: true when `log` is given, else false. */
  verbose?: boolean;
  /** Where log lines go; default standard error. Lines never hold a credential. */
  log?: (line: string) => void;
  /** Largest request body accepted, bytes; default 65536. Larger: 413. */
  maxBodyBytes?: number;
  /** Clock in epoch ms, for token expiry and the X-Sdk-Date window; default `Date.now`. */
  now?: () => number;
  /** Accepted X-Sdk-Date distance from the clock, ms; default 15 minutes (the gateway's). */
  maxSkewMs?: number;
  /** How many recent requests `stats().lastRequests` keeps; default 100. */
  lastRequestsLimit?: number;
  /** How long a restore job runs on the `now` clock, ms; default 3000. */
  jobDurationMs?: number;
  /** When set, a restore job completes on its Nth `GET .../jobs/{id}` instead (the clock is then ignored). */
  jobPolls?: number;
}

/** Credentials the emulator accepts (fixed, fake, from the fixture). Printing them is fine. */
export interface EmulatorCredentials {
  region: string;
  /** The project named after `region` (the project an IAM lookup by region finds). */
  projectId: string;
  /** Static IAM token: valid as X-Auth-Token for every project, never expires. */
  token: string;
  accessKey: string;
  secretKey: string;
  /** Accepted as X-Security-Token with the AK/SK (optional on requests). */
  securityToken: string;
  domainName: string;
  userName: string;
  password: string;
}

/** How a request authenticated: `token` (the static one), `iam-token` (one IAM issued), `aksk`; `none` when not checked. */
export type AuthMode = "none" | "token" | "iam-token" | "aksk" | "refused";

/** Route of a request; `other` is anything unknown (404) or with a wrong method (405). */
export type RequestRoute = RouteName | "other";

/** One request as `stats().lastRequests` reports it (never a header value). */
export interface RequestRecord {
  /** Its X-Request-Id. */
  id: string;
  method: string;
  /** Path with query, as it arrived. */
  path: string;
  route: RequestRoute;
  /** HTTP status sent; 0 when none was (connection reset, stalled, client gave up). */
  status: number;
  /** Time from arrival to the end of the response (or of the connection), ms. */
  ms: number;
  auth: AuthMode;
  /** Labels of the faults applied (`latency`, `status:503`, `reset`, ...). */
  faults: string[];
}

export interface EmulatorStats {
  /** Every request received, whatever became of it. */
  requests: number;
  /** Requests per route (every route present, 0 when none). */
  byRoute: Record<RequestRoute, number>;
  /** Requests per status sent (`"200"`, `"503"`, ...; `"0"`: no response). */
  byStatus: Record<string, number>;
  /** Requests accepted per authentication mode. */
  byAuth: Record<"token" | "iam-token" | "aksk", number>;
  /** Faults applied per label (`latency`, `status:503`, `status:429`, `reset`, `stall`, ...). */
  faults: Record<string, number>;
  /** Requests refused with 401 by the authentication check (faults not included). */
  authFailures: number;
  /** Tokens issued by `POST /v3/auth/tokens`. */
  tokensIssued: number;
  /** Restore jobs created by `POST .../backups/recovery` (202s, including answers a fault then dropped). */
  restoresAccepted: number;
  /** The most recent requests, oldest first (a finished request has its status and ms). */
  lastRequests: RequestRecord[];
}

export interface Emulator {
  /** DDM endpoint, e.g. `http://127.0.0.1:41234` (no trailing slash). */
  readonly url: string;
  /** IAM endpoint: `url + "/v3"`. */
  readonly iamUrl: string;
  readonly host: string;
  readonly port: number;
  /** The accepted credentials (follow `setData`). */
  readonly credentials: EmulatorCredentials;
  /** A snapshot of the counters. */
  stats(): EmulatorStats;
  /** Zero every counter and forget recent requests (faults keep their own counts). */
  resetStats(): void;
  /** Replace the faults; their request counters start from zero. Throws ValidationError. */
  setFaults(faults: FaultSpec[]): void;
  /** The current faults, checked and with defaults filled in. */
  faults(): FaultSpec[];
  /** Replace the data (checked like a fixture file). Issued tokens stay valid. */
  setData(fixture: Fixture): void;
  /** A copy of the data served. */
  data(): Fixture;
  /** Every restore job as of the clock now (copies, oldest first; reading does not count as a poll). */
  jobs(): JobRecord[];
  /** End a running job as Completed now. Throws for an unknown id. */
  completeJob(id: string): void;
  /** End a running job as Failed now, with a reason. Throws for an unknown id. */
  failJob(id: string, reason?: string): void;
  /** Stop: refuse new connections, end idle keep-alive sockets, stalled and delayed responses. */
  close(): Promise<void>;
}

/** The credentials an emulator serving `f` accepts (`Emulator.credentials`). */
export function emulatorCredentials(f: Fixture): EmulatorCredentials {
  return {
    region: f.region,
    projectId: primaryProject(f).id,
    token: f.credentials.token,
    accessKey: f.credentials.accessKey,
    secretKey: f.credentials.secretKey,
    securityToken: f.credentials.securityToken,
    domainName: f.credentials.domainName,
    userName: f.credentials.userName,
    password: f.credentials.password,
  };
}

const DEFAULT_TOKEN_LIFETIME_SECONDS = 24 * 3600;
const DEFAULT_MAX_BODY_BYTES = 64 * 1024;
/** Where the `grow` fault's first window goes when there is no usable last window: the contract's window end. */
const GROW_AFTER_MS = parseApiTime(CONTRACT_EXAMPLE.windowEnd, "CONTRACT_EXAMPLE.windowEnd");

export { EMULATOR_ERRORS };

interface IssuedToken {
  expiresAtMs: number;
  issuedAtMs: number;
  projectId?: string;
}

interface Routed {
  route: RequestRoute;
  /** Methods the path takes (for 405), when the path is known. */
  allow?: string;
  projectId?: string;
  instanceId?: string;
  jobId?: string;
}

function checkOptions(o: EmulatorOptions): void {
  const failures: { property: string; reason: string }[] = [];
  const intIn = (name: string, v: unknown, min: number, max: number): void => {
    if (v !== undefined && (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max))
      failures.push({ property: name, reason: `expected an integer from ${min} to ${max}` });
  };
  intIn("port", o.port, 0, 65535);
  intIn("maxBodyBytes", o.maxBodyBytes, 1, 1 << 30);
  intIn("maxSkewMs", o.maxSkewMs, 0, 365 * 86_400_000);
  intIn("lastRequestsLimit", o.lastRequestsLimit, 0, 1_000_000);
  intIn("jobDurationMs", o.jobDurationMs, 1, 365 * 86_400_000);
  intIn("jobPolls", o.jobPolls, 1, 1_000_000);
  if (
    o.tokenLifetimeSeconds !== undefined &&
    (typeof o.tokenLifetimeSeconds !== "number" ||
      !Number.isFinite(o.tokenLifetimeSeconds) ||
      o.tokenLifetimeSeconds <= 0)
  )
    failures.push({ property: "tokenLifetimeSeconds", reason: "expected a number of seconds > 0" });
  if (o.host !== undefined && (typeof o.host !== "string" || o.host.trim() === ""))
    failures.push({ property: "host", reason: "expected a host name or address" });
  if (o.faults !== undefined && !Array.isArray(o.faults))
    failures.push({ property: "faults", reason: "expected an array of faults" });
  if (failures.length > 0) throw new ValidationError(failures);
}

function emptyStats(): EmulatorStats {
  return {
    requests: 0,
    byRoute: Object.fromEntries([...ROUTES, "other"].map((r) => [r, 0])) as Record<RequestRoute, number>,
    byStatus: {},
    byAuth: { token: 0, "iam-token": 0, aksk: 0 },
    faults: {},
    authFailures: 0,
    tokensIssued: 0,
    restoresAccepted: 0,
    lastRequests: [],
  };
}

/** Split `/a/b%20c` into decoded segments; undefined when a segment is not valid percent-encoding. */
function segments(rawPath: string): string[] | undefined {
  try {
    return rawPath.split("/").map((s) => decodeURIComponent(s));
  } catch {
    return undefined;
  }
}

function classify(method: string, rawPath: string): Routed {
  const s = segments(rawPath);
  if (!s || s[0] !== "" || s[1] !== "v3") return { route: "other" };
  const known = (route: RouteName, allow: string, extra: Partial<Routed> = {}): Routed =>
    method === allow ? { route, allow, ...extra } : { route: "other", allow, ...extra };
  if (s.length === 4 && s[2] === "auth" && s[3] === "tokens") return known("iam-token", "POST");
  if (s.length === 3 && s[2] === "projects") return known("iam-projects", "GET");
  if (s.length === 7 && s[3] === "instances" && s[5] === "backups" && s[2] !== "" && s[4] !== "") {
    if (s[6] === "restorable-instances")
      return known("restorable-instances", "GET", { projectId: s[2], instanceId: s[4] });
    if (s[6] === "restorable-time-interval")
      return known("restorable-time-interval", "GET", { projectId: s[2], instanceId: s[4] });
  }
  const r = classifyRestorePath(s);
  if (r) return known(r.route, r.allow, { projectId: r.projectId, instanceId: r.instanceId, jobId: r.jobId });
  return { route: "other" };
}

function apigw(status: number, code: string, msg: string, headers?: Record<string, string>): HttpFailure {
  return new HttpFailure(status, code, msg, headers);
}

/** `{YYYY-MM-DDTHH:mm:ss.ffffffZ}`, IAM's form of `expires_at` (microseconds). */
function iamTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}

function lower(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : v;
  }
  return out;
}

const HTML_PAGES: Record<number, string> = {
  502: "Bad Gateway",
  503: "Service Temporarily Unavailable",
  504: "Gateway Time-out",
};

function htmlPage(status: number): string {
  const title = `${status} ${HTML_PAGES[status] ?? http.STATUS_CODES[status] ?? "Error"}`;
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
}

/** Start an emulator. Resolves once it listens; rejects when the options are bad or the port is taken. */
export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  checkOptions(opts);
  const host = opts.host ?? "127.0.0.1";
  const now = opts.now ?? Date.now;
  const tokenLifetimeMs = (opts.tokenLifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS) * 1000;
  const maxBodyBytes = opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const maxSkewMs = opts.maxSkewMs ?? DEFAULT_MAX_SKEW_MS;
  const lastLimit = opts.lastRequestsLimit ?? 100;
  const verbose = opts.verbose ?? opts.log !== undefined;
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));

  let fixture = parseFixture(opts.data ?? defaultFixture(), "data");
  let plan = new FaultPlan(opts.faults ?? []);
  let stats = emptyStats();
  const issued = new Map<string, IssuedToken>();
  const jobs = new JobTable({
    now,
    durationMs: opts.jobDurationMs ?? DEFAULT_JOB_DURATION_MS,
    polls: opts.jobPolls,
  });
  const restoreContext: RestoreContext = {
    fixture: () => fixture,
    jobs,
    accepted: () => {
      stats.restoresAccepted++;
    },
  };
  const timers = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  let closed = false;
  let closing: Promise<void> | undefined;
  let baseUrl = "";

  const registerFixtureSecrets = (f: Fixture): void => {
    for (const v of [
      f.credentials.token,
      f.credentials.secretKey,
      f.credentials.securityToken,
      f.credentials.password,
    ])
      registerSecret(v);
  };
  registerFixtureSecrets(fixture);

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      if (ms <= 0 || closed) return resolve();
      const entry = {
        timer: setTimeout(() => {
          timers.delete(entry);
          resolve();
        }, ms),
        resolve,
      };
      timers.add(entry);
    });

  const findProject = (id: string): FixtureProject | undefined => fixture.projects.find((p) => p.id === id);

  // ---- responses ----------------------------------------------------------------------

  const sendJson = (
    res: http.ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void => {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      "Content-Type": JSON_TYPE,
      "Content-Length": String(Buffer.byteLength(text)),
      ...headers,
    });
    res.end(text);
  };

  const sendFailure = (res: http.ServerResponse, f: HttpFailure, requestId: string, iam: boolean): void => {
    const body: Record<string, unknown> = { error_code: f.code, error_msg: f.msg };
    if (f.code.startsWith("APIGW.")) body.request_id = requestId;
    if (iam && f.code.startsWith("IAM.")) {
      body.error = { code: f.status, title: http.STATUS_CODES[f.status] ?? "Error", message: f.msg };
    }
    sendJson(res, f.status, body, f.headers);
  };

  // ---- authentication -----------------------------------------------------------------

  const authenticate = (
    req: http.IncomingMessage,
    rawPath: string,
    rawQuery: string,
    body: Buffer,
    pathProjectId: string | undefined,
  ): AuthMode => {
    const headers = lower(req.headers);
    const c = fixture.credentials;
    const refuse = (reason: string, code = EMULATOR_ERRORS.auth.code): never => {
      throw apigw(401, code, `${EMULATOR_ERRORS.auth.msg}: ${reason}`);
    };
    if (headers.authorization !== undefined) {
      const r = verifyRequest(
        { method: req.method ?? "GET", path: rawPath, rawQuery, headers, body },
        (ak) => (ak === c.accessKey ? c.secretKey : undefined),
        new Date(now()),
        maxSkewMs,
      );
      if (!r.ok) throw apigw(401, r.code, redactSecrets(r.reason));
      const st = headers["x-security-token"];
      if (st !== undefined && st !== c.securityToken) refuse("the security token is invalid or expired");
      const pid = headers["x-project-id"];
      if (pid !== undefined && pathProjectId !== undefined && pid !== pathProjectId)
        refuse("X-Project-Id does not match the project in the path");
      return "aksk";
    }
    const token = headers["x-auth-token"];
    if (token === undefined || token === "") refuse("x-auth-token not found");
    if (token === c.token) return "token";
    const t = issued.get(token);
    if (!t) refuse("decrypt token fail");
    const info = t as IssuedToken;
    if (now() >= info.expiresAtMs) refuse(`token expires, expires_at: ${iamTime(info.expiresAtMs)}`);
    if (pathProjectId !== undefined && info.projectId !== pathProjectId)
      refuse("the token is not scoped to the project in the path");
    return "iam-token";
  };

  // ---- handlers -----------------------------------------------------------------------

  const listAnswer = <T>(
    list: T[],
    rawQuery: string,
    shrinkBy: number,
    grow: (index: number, last: T | undefined) => T,
  ): { items: T[]; offset: number; limit: number; total: number } => {
    const { offset, limit } = pagingOf(new URLSearchParams(rawQuery));
    let all = list;
    if (shrinkBy > 0) all = list.slice(Math.min(shrinkBy, list.length));
    else if (shrinkBy < 0) {
      all = [...list];
      for (let i = 0; i < -shrinkBy; i++) all.push(grow(i, all[all.length - 1]));
    }
    return { items: all.slice(offset, offset + limit), offset, limit, total: all.length };
  };

  const ddmAnswer = (routed: Routed, rawQuery: string, shrinkBy: number): Record<string, unknown> => {
    // Parameters are checked first, as DBS does; then the project and instance.
    pagingOf(new URLSearchParams(rawQuery));
    const project = findProject(routed.projectId as string);
    if (!project) {
      const e = EMULATOR_ERRORS.projectNotFound;
      throw new HttpFailure(e.status, e.code, e.msg);
    }
    const instance: FixtureInstance | undefined = project.instances.find((i) => i.id === routed.instanceId);
    if (!instance) {
      const e = EMULATOR_ERRORS.instanceNotFound;
      throw new HttpFailure(e.status, e.code, e.msg);
    }
    if (routed.route === "restorable-instances") {
      const a = listAnswer<RestorableInstanceRecord>(
        instance.restorableInstances,
        rawQuery,
        shrinkBy,
        (i) => ({
          instance_id: `${String(i + 1).padStart(8, "0")}0000000000000000000000a9in09`,
          instance_name: `ddm-new-target-${i + 1}`,
          status: "normal",
          available: true,
          unavailable_reason: "",
          vpc_name: "vpc-ddm-172",
        }),
      );
      return { instances: a.items, offset: a.offset, limit: a.limit, total: a.total };
    }
    const a = listAnswer<RestoreWindowRecord>(instance.restoreWindows, rawQuery, shrinkBy, (_i, last) => {
      // A grown window starts 10 minutes after the last one ends (or after the contract's
      // window end when the list is empty or its last end is not a valid API time).
      const lastEnd = last ? tryParseApiTime(last.end_time) : undefined;
      const start = (typeof lastEnd === "number" ? lastEnd : GROW_AFTER_MS) + 600_000;
      return { start_time: formatApiTime(start), end_time: formatApiTime(start + 3_600_000) };
    });
    return { restorable_time_intervals: a.items, offset: a.offset, limit: a.limit, total: a.total };
  };

  const issueToken = (res: http.ServerResponse, body: Buffer, rawQuery: string): void => {
    const bad = (detail: string): never => {
      const e = EMULATOR_ERRORS.iamBadRequest;
      throw new HttpFailure(e.status, e.code, `${e.msg} ${detail}`);
    };
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString("utf8"));
    } catch {
      bad("The request body is not valid JSON.");
    }
    type Named = { name?: unknown; id?: unknown };
    const auth = (parsed as { auth?: Record<string, unknown> } | null)?.auth;
    const identity = auth?.identity as
      { methods?: unknown; password?: { user?: Record<string, unknown> } } | undefined;
    if (!identity || !Array.isArray(identity.methods) || !identity.methods.includes("password"))
      bad('auth.identity.methods must include "password".');
    const user = identity?.password?.user;
    const domain = user?.domain as Named | undefined;
    if (typeof user?.name !== "string" || typeof user?.password !== "string")
      bad("auth.identity.password.user needs name and password.");
    if (typeof domain?.name !== "string" && typeof domain?.id !== "string")
      bad("auth.identity.password.user.domain needs name or id.");
    const scope = auth?.scope as { project?: Named; domain?: Named } | undefined;
    if (!scope || (!scope.project && !scope.domain)) bad("auth.scope needs a project or a domain.");
    const c = fixture.credentials;
    const domainOk = domain?.name !== undefined ? domain.name === c.domainName : domain?.id === c.domainId;
    if (!domainOk || user?.name !== c.userName || user?.password !== c.password) {
      const e = EMULATOR_ERRORS.iamBadCredentials;
      throw new HttpFailure(e.status, e.code, e.msg);
    }
    let project: FixtureProject | undefined;
    if (scope?.project) {
      const p = scope.project;
      project =
        typeof p.id === "string"
          ? findProject(p.id)
          : typeof p.name === "string"
            ? fixture.projects.find((x) => x.name === p.name)
            : undefined;
      if (!project) {
        const e = EMULATOR_ERRORS.iamNoProject;
        throw new HttpFailure(e.status, e.code, e.msg);
      }
    }
    const issuedAtMs = now();
    const expiresAtMs = issuedAtMs + tokenLifetimeMs;
    for (const [k, v] of issued) if (v.expiresAtMs <= issuedAtMs) issued.delete(k);
    const token = `hwddm-emulator-issued-${randomBytes(24).toString("hex")}`;
    registerSecret(token);
    issued.set(token, { issuedAtMs, expiresAtMs, ...(project ? { projectId: project.id } : {}) });
    stats.tokensIssued++;
    const domainInfo = { id: c.domainId, name: c.domainName };
    const out: Record<string, unknown> = {
      expires_at: iamTime(expiresAtMs),
      issued_at: iamTime(issuedAtMs),
      methods: ["password"],
      user: { id: c.userId, name: c.userName, domain: domainInfo, password_expires_at: "" },
      roles: [{ id: "0", name: "op_service" }],
    };
    if (project) out.project = { id: project.id, name: project.name, domain: domainInfo };
    else out.domain = domainInfo;
    if (!new URLSearchParams(rawQuery).has("nocatalog")) out.catalog = [];
    sendJson(res, 201, { token: out }, { "X-Subject-Token": token });
  };

  const listProjects = (rawQuery: string): Record<string, unknown> => {
    const q = new URLSearchParams(rawQuery);
    const name = q.get("name");
    const c = fixture.credentials;
    const projects = fixture.projects
      .filter((p) => name === null || p.name === name)
      .map((p) => ({
        id: p.id,
        name: p.name,
        domain_id: c.domainId,
        parent_id: c.domainId,
        description: "",
        enabled: true,
        is_domain: false,
        links: { self: `${baseUrl}/v3/projects/${p.id}` },
      }));
    return {
      projects,
      links: { self: `${baseUrl}/v3/projects${rawQuery ? `?${rawQuery}` : ""}`, previous: null, next: null },
    };
  };

  // ---- faults -------------------------------------------------------------------------

  /** Apply a terminal fault; true when it took the request over. */
  const applyTerminal = (
    d: FaultDecision,
    route: RouteName,
    res: http.ServerResponse,
    requestId: string,
  ): boolean => {
    const f = d.terminal;
    if (!f) return false;
    switch (f.kind) {
      case "status": {
        const headers: Record<string, string> = {};
        if (f.retryAfterSeconds !== undefined) headers["Retry-After"] = String(f.retryAfterSeconds);
        sendFailure(
          res,
          new HttpFailure(f.status, f.errorCode ?? "", f.errorMsg ?? "", headers),
          requestId,
          false,
        );
        return true;
      }
      case "reset":
        res.socket?.destroy();
        return true;
      case "stall": {
        if (f.phase === "body") {
          const field = route === "restorable-time-interval" ? "restorable_time_intervals" : "instances";
          res.writeHead(200, { "Content-Type": JSON_TYPE, "Content-Length": "4096" });
          res.write(isRestoreRoute(route) ? RESTORE_PARTIAL_BODIES[route] : `{"${field}":[`);
        }
        // Never finished; close() (closeAllConnections) or the client ends it.
        return true;
      }
      case "malformed": {
        const start = isRestoreRoute(route)
          ? RESTORE_PARTIAL_BODIES[route]
          : route === "restorable-time-interval"
            ? '{"restorable_time_intervals":[{"start_time":"2025-05-20T09:40:40+0000","end_'
            : route === "restorable-instances"
              ? '{"instances":[{"instance_id":"3b65c609427c4b20bc0ae93e161dc7adin09","instance_na'
              : route === "iam-token"
                ? '{"token":{"expires_at":"2025-05-21T'
                : '{"projects":[{"id":"619d3e78f';
        res.writeHead(200, { "Content-Type": JSON_TYPE, "Content-Length": String(Buffer.byteLength(start)) });
        res.end(start);
        return true;
      }
      case "html": {
        const page = htmlPage(f.status ?? 502);
        res.writeHead(f.status ?? 502, {
          "Content-Type": "text/html",
          "Content-Length": String(Buffer.byteLength(page)),
          Server: "nginx",
        });
        res.end(page);
        return true;
      }
    }
  };

  // ---- the request loop ---------------------------------------------------------------

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const started = process.hrtime.bigint();
    const requestId = newRequestId();
    const method = (req.method ?? "GET").toUpperCase();
    const rawUrl = req.url ?? "/";
    const q = rawUrl.indexOf("?");
    const rawPath = q < 0 ? rawUrl : rawUrl.slice(0, q);
    const rawQuery = q < 0 ? "" : rawUrl.slice(q + 1);
    const routed = classify(method, rawPath);
    const iam = routed.route === "iam-token" || routed.route === "iam-projects";

    const record: RequestRecord = {
      id: requestId,
      method,
      path: rawUrl,
      route: routed.route,
      status: 0,
      ms: 0,
      auth: "none",
      faults: [],
    };
    const s = stats;
    s.requests++;
    s.byRoute[routed.route]++;
    s.lastRequests.push(record);
    if (s.lastRequests.length > lastLimit) s.lastRequests.splice(0, s.lastRequests.length - lastLimit);

    let done = false;
    const finish = (status: number): void => {
      if (done) return;
      done = true;
      record.status = status;
      record.ms = Math.round(Number(process.hrtime.bigint() - started) / 1e5) / 10;
      s.byStatus[String(status)] = (s.byStatus[String(status)] ?? 0) + 1;
      if (verbose) {
        const faults = record.faults.length > 0 ? ` faults=${record.faults.join(",")}` : "";
        const shown = status === 0 ? "---" : String(status);
        log(
          redactSecrets(
            `${new Date(now()).toISOString()} ${method} ${rawUrl} ${shown} ${record.ms}ms auth=${record.auth} id=${requestId}${faults}`,
          ),
        );
      }
    };
    res.on("finish", () => finish(res.statusCode));
    res.on("close", () => finish(res.writableFinished ? res.statusCode : 0));
    res.setHeader("X-Request-Id", requestId);

    // Body, capped.
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > maxBodyBytes) {
      res.setHeader("Connection", "close");
      sendFailure(
        res,
        apigw(413, EMULATOR_ERRORS.tooLarge.code, EMULATOR_ERRORS.tooLarge.msg),
        requestId,
        iam,
      );
      req.resume();
      return;
    }
    let body: Buffer;
    try {
      body = await readBody(req, maxBodyBytes);
    } catch (e) {
      if (e === TOO_LARGE && !res.headersSent && !res.destroyed) {
        res.setHeader("Connection", "close");
        sendFailure(
          res,
          apigw(413, EMULATOR_ERRORS.tooLarge.code, EMULATOR_ERRORS.tooLarge.msg),
          requestId,
          iam,
        );
      }
      return;
    }

    if (routed.route === "other") {
      const e = routed.allow ? EMULATOR_ERRORS.methodNotAllowed : EMULATOR_ERRORS.apiNotFound;
      sendFailure(
        res,
        apigw(e.status, e.code, e.msg, routed.allow ? { Allow: routed.allow } : {}),
        requestId,
        false,
      );
      return;
    }
    const route = routed.route;

    const decision = plan.decide(route);
    record.faults = decision.applied;
    for (const label of decision.applied) s.faults[label] = (s.faults[label] ?? 0) + 1;
    if (decision.delayMs > 0) await sleep(decision.delayMs);
    if (closed || res.destroyed) return;
    if (applyTerminal(decision, route, res, requestId)) return;

    try {
      if (route === "iam-token") {
        issueToken(res, body, rawQuery);
        return;
      }
      try {
        record.auth = authenticate(req, rawPath, rawQuery, body, routed.projectId);
      } catch (e) {
        record.auth = "refused";
        s.authFailures++;
        throw e;
      }
      s.byAuth[record.auth as "token" | "iam-token" | "aksk"]++;
      if (route === "iam-projects") sendJson(res, 200, listProjects(rawQuery));
      else if (isRestoreRoute(route)) {
        const path = { ...routed, route, allow: "", projectId: routed.projectId as string };
        const reply = restoreAnswer(restoreContext, path, rawQuery, body, decision);
        // lost-answer: the request was processed (a job created and counted); drop the answer.
        if (decision.lostAnswer) res.socket?.destroy();
        else sendJson(res, reply.status, reply.body);
      } else sendJson(res, 200, ddmAnswer(routed, rawQuery, decision.shrinkBy));
    } catch (e) {
      if (decision.lostAnswer) res.socket?.destroy();
      else if (e instanceof HttpFailure) sendFailure(res, e, requestId, iam);
      else {
        // A bug in the emulator: answer 500 without details (never echo request data).
        sendFailure(res, new HttpFailure(500, "DBS.280005", "Server error."), requestId, iam);
        if (verbose)
          log(`emulator internal error: ${redactSecrets(e instanceof Error ? e.message : String(e))}`);
      }
    }
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500, { "Content-Type": JSON_TYPE });
        res.end(JSON.stringify({ error_code: "DBS.280005", error_msg: "Server error." }));
      }
    });
  });
  // A request node:http cannot parse never reaches `handle`: answer a bare 400 that still
  // carries an X-Request-Id, like every other response.
  server.on("clientError", (_err, socket) => {
    if (socket.writable)
      socket.end(
        "HTTP/1.1 400 Bad Request\r\n" +
          `X-Request-Id: ${newRequestId()}\r\n` +
          "Connection: close\r\nContent-Length: 0\r\n\r\n",
      );
    else socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (e: Error): void => reject(e);
    server.once("error", onError);
    server.listen(opts.port ?? 0, host, () => {
      server.off("error", onError);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost =
    address.family === "IPv6" || address.address.includes(":") ? `[${address.address}]` : address.address;
  baseUrl = `http://${urlHost}:${address.port}`;

  const emulator: Emulator = {
    url: baseUrl,
    iamUrl: `${baseUrl}/v3`,
    host: address.address,
    port: address.port,
    get credentials() {
      return emulatorCredentials(fixture);
    },
    stats: () => structuredClone(stats),
    resetStats: () => {
      stats = emptyStats();
    },
    setFaults: (faults) => {
      plan = new FaultPlan(faults);
    },
    faults: () => plan.specs,
    setData: (data) => {
      fixture = parseFixture(data, "data");
      registerFixtureSecrets(fixture);
    },
    data: () => structuredClone(fixture),
    jobs: () => jobs.list(),
    completeJob: (id) => jobs.complete(id),
    failJob: (id, reason) => jobs.fail(id, reason),
    close: () => {
      if (closing) return closing;
      closed = true;
      for (const t of timers) {
        clearTimeout(t.timer);
        t.resolve();
      }
      timers.clear();
      closing = new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
  return emulator;
}

const TOO_LARGE = new Error("request body too large");

/** An X-Request-Id: 32 lowercase hex digits, as Huawei's gateway sends. */
function newRequestId(): string {
  return randomUUID().replace(/-/g, "");
}

function readBody(req: http.IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on("data", (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > max) {
        over = true;
        reject(TOO_LARGE);
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (!over) resolve(Buffer.concat(chunks));
    });
    req.on("error", (e) => reject(e));
    req.on("aborted", () => reject(new Error("aborted")));
  });
}
