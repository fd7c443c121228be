/**
 * Fault injection. A fault is chosen per run (`EmulatorOptions.faults`, `--fault`) and per
 * request count, and can be replaced at any time (`Emulator.setFaults`). Every fault has a
 * route it targets and a window of matching requests it applies to:
 *
 *   - `route`: `restorable-instances`, `restorable-time-interval`, `restore`, `related-dn`,
 *     `restorable-data-node`, `job`, `iam-token`, `iam-projects` or `any` (default;
 *     `shrink`/`grow` only ever touch the two list routes; the restore kinds have their own
 *     route: `job-fail`, `job-hang`, `lost-answer` → `restore`, `job-vanish` → `job`);
 *   - `after`: matching requests left alone before the fault starts (default 0, except
 *     `shrink`/`grow`: 1, so the first page is whole and the later ones moved);
 *   - `times`: matching requests it then applies to (default: all that follow).
 *
 * Each fault counts the requests that match its route from the moment it was set, whether
 * or not an earlier fault in the list took the request over, so `after` and `times` always
 * mean "the Nth request to this route". The text form is in `fault-text.ts`; the choice per
 * request in `fault-plan.ts`.
 */
import { ValidationError } from "../provider/errors";

/** The routes the emulator serves (faults can target any of them). */
export const ROUTES = [
  "restorable-instances",
  "restorable-time-interval",
  "iam-token",
  "iam-projects",
  "restore",
  "related-dn",
  "restorable-data-node",
  "job",
] as const;
export type RouteName = (typeof ROUTES)[number];
export type FaultRoute = RouteName | "any";

/** The list routes (the only ones `shrink` and `grow` act on). */
export const LIST_ROUTES: readonly RouteName[] = ["restorable-instances", "restorable-time-interval"];

export interface FaultWindow {
  /** Default `any`. */
  route?: FaultRoute;
  /** Matching requests skipped before the fault applies; default 0 (`shrink`/`grow`: 1). */
  after?: number;
  /** Matching requests the fault applies to; default unlimited. */
  times?: number;
}

/** Delay the response by `ms` plus a random 0..`jitterMs`. Stacks with every other fault. */
export interface LatencyFault extends FaultWindow {
  kind: "latency";
  ms: number;
  jitterMs?: number;
}

/**
 * Answer with an error status and a JSON error body instead of the real answer. Defaults by
 * status (see `defaultError`): 409 → `DBS.200019`, 429 → `APIGW.0308` with `Retry-After: 1`,
 * 500 → `DBS.280005`, 502/503 → `APIGW.0202`, 504 → `APIGW.0203`, ...
 */
export interface StatusFault extends FaultWindow {
  kind: "status";
  /** 400..599. */
  status: number;
  errorCode?: string;
  errorMsg?: string;
  /** `Retry-After` header in seconds (integer >= 0). Default 1 for 429, none otherwise. */
  retryAfterSeconds?: number;
}

/** Destroy the connection without answering (the client sees ECONNRESET / socket hang up). */
export interface ResetFault extends FaultWindow {
  kind: "reset";
}

/**
 * Never finish the response: `headers` (default) sends nothing at all; `body` sends a 200
 * with headers and part of the body, then nothing. For client timeouts. `close()` ends it.
 */
export interface StallFault extends FaultWindow {
  kind: "stall";
  phase?: "headers" | "body";
}

/** 200 with `Content-Type: application/json` and a truncated, unparseable body. */
export interface MalformedFault extends FaultWindow {
  kind: "malformed";
}

/** An HTML gateway error page (`text/html`), status 502 unless given. */
export interface HtmlFault extends FaultWindow {
  kind: "html";
  status?: number;
}

/**
 * The list moves between pages: `shrink` serves it without its first `by` records (they aged
 * out, so later records shift to lower offsets), `grow` with `by` extra records at the end.
 * Either way `total` changes. Default `by` 1, `after` 1.
 */
export interface ListFault extends FaultWindow {
  kind: "shrink" | "grow";
  by?: number;
}

/**
 * Route `restore` only: the restore jobs created by the POSTs in its window end `Failed`
 * with `reason` (default "Emulated restore failure.") at the point they would have completed.
 */
export interface JobFailFault extends FaultWindow {
  kind: "job-fail";
  reason?: string;
}

/**
 * Route `restore` only: the restore jobs created by the POSTs in its window never complete:
 * they stay `Running` with `process` stuck at `process`% (default 50) until
 * `completeJob`/`failJob`.
 */
export interface JobHangFault extends FaultWindow {
  kind: "job-hang";
  process?: number;
}

/**
 * Route `restore` only: the POST is processed in full (a restore job is created and counted)
 * and then the connection is destroyed without an answer (ECONNRESET / socket hang up).
 */
export interface LostAnswerFault extends FaultWindow {
  kind: "lost-answer";
}

/** Route `job` only: the job query answers 404 job-not-found (after authentication). */
export interface JobVanishFault extends FaultWindow {
  kind: "job-vanish";
}

/** The faults that act on restore jobs and their answers rather than on the HTTP exchange. */
export type RestoreFault = JobFailFault | JobHangFault | LostAnswerFault | JobVanishFault;

export type FaultSpec =
  | LatencyFault
  | StatusFault
  | ResetFault
  | StallFault
  | MalformedFault
  | HtmlFault
  | ListFault
  | RestoreFault;
export type FaultKind = FaultSpec["kind"];

/** Every fault kind, in the order error messages list them. */
export const KINDS: readonly FaultKind[] = [
  "latency",
  "status",
  "reset",
  "stall",
  "malformed",
  "html",
  "shrink",
  "grow",
  "job-fail",
  "job-hang",
  "lost-answer",
  "job-vanish",
];

/** The one route a restore fault acts on (its default); `any` for every other kind. */
export function defaultFaultRoute(kind: FaultKind): FaultRoute {
  switch (kind) {
    case "job-fail":
    case "job-hang":
    case "lost-answer":
      return "restore";
    case "job-vanish":
      return "job";
    default:
      return "any";
  }
}

/** The reason a `job-fail` fault gives when it names none. */
export const DEFAULT_JOB_FAIL_REASON = "Emulated restore failure.";

/** The JSON error body a status fault sends when it names no code/message. */
export function defaultError(status: number): { errorCode: string; errorMsg: string } {
  switch (status) {
    case 400:
      return { errorCode: "DBS.280001", errorMsg: "Parameter error." };
    case 401:
      return {
        errorCode: "APIGW.0301",
        errorMsg: "Incorrect IAM authentication information: emulated fault",
      };
    case 403:
      return {
        errorCode: "APIGW.0302",
        errorMsg: "The IAM or app user access control policy denies access.",
      };
    case 404:
      return { errorCode: "DBS.280214", errorMsg: "Instance not found." };
    case 409:
      return {
        errorCode: "DBS.200019",
        errorMsg: "Another operation is being performed on the instance. Try again later.",
      };
    case 429:
      return { errorCode: "APIGW.0308", errorMsg: "The throttling threshold has been reached." };
    case 500:
      return { errorCode: "DBS.280005", errorMsg: "Server error." };
    case 502:
    case 503:
      return { errorCode: "APIGW.0202", errorMsg: "Backend unavailable." };
    case 504:
      return { errorCode: "APIGW.0203", errorMsg: "Backend timeout." };
    default:
      return { errorCode: "DBS.280000", errorMsg: `Emulated HTTP ${status} fault.` };
  }
}

/** The label a fault is counted under in `stats().faults`: its kind, or `status:<code>`. */
export function faultLabel(f: FaultSpec): string {
  return f.kind === "status" ? `status:${f.status}` : f.kind;
}

// ---------------------------------------------------------------------------------------
// Checking (programmatic specs) and the text form (CLI)

function fail(property: string, reason: string): never {
  throw new ValidationError([{ property, reason }]);
}

function isCount(v: unknown): v is number {
  return typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
}

/** Check one spec and return a normalized copy (defaults filled in). Throws ValidationError. */
export function checkFaultSpec(spec: FaultSpec, property = "fault"): FaultSpec {
  if (typeof spec !== "object" || spec === null) fail(property, "expected a fault object");
  const s = spec as FaultSpec & Record<string, unknown>;
  if (!KINDS.includes(s.kind))
    fail(
      `${property}.kind`,
      `unknown fault kind ${JSON.stringify(s.kind)}; expected one of ${KINDS.join(", ")}`,
    );
  const ownRoute = defaultFaultRoute(s.kind);
  const route = s.route ?? ownRoute;
  if (route !== "any" && !(ROUTES as readonly string[]).includes(route))
    fail(
      `${property}.route`,
      `unknown route ${JSON.stringify(route)}; expected one of ${[...ROUTES, "any"].join(", ")}`,
    );
  if (ownRoute !== "any" && route !== ownRoute)
    fail(`${property}.route`, `${s.kind} applies only to route ${ownRoute}`);
  const isList = s.kind === "shrink" || s.kind === "grow";
  if (isList && route !== "any" && !LIST_ROUTES.includes(route))
    fail(`${property}.route`, `${s.kind} applies only to ${LIST_ROUTES.join(" or ")}`);
  const after = s.after ?? (isList ? 1 : 0);
  if (!isCount(after)) fail(`${property}.after`, "expected an integer >= 0");
  if (s.times !== undefined && (!isCount(s.times) || s.times < 1))
    fail(`${property}.times`, "expected an integer >= 1");
  const base = { route, after, ...(s.times !== undefined ? { times: s.times } : {}) };
  switch (s.kind) {
    case "latency":
      if (!isCount(s.ms)) fail(`${property}.ms`, "expected an integer >= 0 (milliseconds)");
      if (s.jitterMs !== undefined && !isCount(s.jitterMs))
        fail(`${property}.jitterMs`, "expected an integer >= 0");
      return { kind: "latency", ms: s.ms, jitterMs: s.jitterMs ?? 0, ...base };
    case "status": {
      if (!Number.isInteger(s.status) || s.status < 400 || s.status > 599)
        fail(`${property}.status`, "expected an HTTP status from 400 to 599");
      if (s.retryAfterSeconds !== undefined && !isCount(s.retryAfterSeconds))
        fail(`${property}.retryAfterSeconds`, "expected an integer >= 0");
      const d = defaultError(s.status);
      const retryAfterSeconds = s.retryAfterSeconds ?? (s.status === 429 ? 1 : undefined);
      return {
        kind: "status",
        status: s.status,
        errorCode: s.errorCode ?? d.errorCode,
        errorMsg: s.errorMsg ?? d.errorMsg,
        ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
        ...base,
      };
    }
    case "stall":
      if (s.phase !== undefined && s.phase !== "headers" && s.phase !== "body")
        fail(`${property}.phase`, `expected "headers" or "body"`);
      return { kind: "stall", phase: s.phase ?? "headers", ...base };
    case "html":
      if (s.status !== undefined && (!Number.isInteger(s.status) || s.status < 400 || s.status > 599))
        fail(`${property}.status`, "expected an HTTP status from 400 to 599");
      return { kind: "html", status: s.status ?? 502, ...base };
    case "shrink":
    case "grow":
      if (s.by !== undefined && (!isCount(s.by) || s.by < 1))
        fail(`${property}.by`, "expected an integer >= 1");
      return { kind: s.kind, by: s.by ?? 1, ...base };
    case "job-fail":
      if (s.reason !== undefined && (typeof s.reason !== "string" || s.reason === ""))
        fail(`${property}.reason`, "expected a non-empty string");
      return { kind: "job-fail", reason: s.reason ?? DEFAULT_JOB_FAIL_REASON, ...base };
    case "job-hang":
      if (s.process !== undefined && (!isCount(s.process) || s.process > 99))
        fail(`${property}.process`, "expected an integer from 0 to 99 (percent)");
      return { kind: "job-hang", process: s.process ?? 50, ...base };
    case "reset":
    case "malformed":
    case "lost-answer":
    case "job-vanish":
      return { kind: s.kind, ...base };
  }
}
