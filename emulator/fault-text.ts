/**
 * The text form of a fault (the CLI's `--fault`, `parseFaultSpec`) and back (`formatFaultSpec`,
 * for banners and logs). The grammar is in `parseFaultSpec`'s comment and `emulator/README.md`.
 */
import { ValidationError } from "../provider/errors";
import {
  DEFAULT_JOB_FAIL_REASON,
  FaultKind,
  FaultRoute,
  FaultSpec,
  KINDS,
  checkFaultSpec,
  defaultError,
  defaultFaultRoute,
} from "./faults";

function fail(property: string, reason: string): never {
  throw new ValidationError([{ property, reason }]);
}

const ROUTE_ALIASES: Record<string, FaultRoute> = {
  any: "any",
  "restorable-instances": "restorable-instances",
  instances: "restorable-instances",
  "restorable-time-interval": "restorable-time-interval",
  "time-interval": "restorable-time-interval",
  intervals: "restorable-time-interval",
  "iam-token": "iam-token",
  token: "iam-token",
  "iam-projects": "iam-projects",
  projects: "iam-projects",
  restore: "restore",
  recovery: "restore",
  "related-dn": "related-dn",
  "restorable-data-node": "restorable-data-node",
  "data-node": "restorable-data-node",
  job: "job",
  jobs: "job",
};

function parseCount(text: string, value: string, key: string): number {
  if (!/^\d{1,9}$/.test(value))
    fail(
      "fault",
      `${JSON.stringify(text)}: ${key} must be a non-negative integer, got ${JSON.stringify(value)}`,
    );
  return Number(value);
}

/**
 * Parse the compact text form of a fault (the CLI's `--fault`):
 *
 *   spec    = head *( ":" part )
 *   head    = "latency" | "status" | "throttle" | "conflict" | "reset" | "stall"
 *           | "malformed" | "html" | "shrink" | "grow" | STATUS        ; STATUS = 400..599
 *           | "job-fail" | "job-hang" | "lost-answer" | "job-vanish"
 *   part    = VALUE | key "=" VALUE
 *   key     = "route" | "times" | "after"                              ; every kind
 *           | "ms" | "jitter"                                          ; latency (VALUE = ms)
 *           | "status" | "code" | "msg" | "retry-after"                ; status / 429 / 409
 *                                             ; (code/msg also as errorCode/errorMsg, error_code/error_msg)
 *           | "phase"                                                  ; stall: headers | body
 *           | "by"                                                     ; shrink / grow
 *           | "reason"                                                 ; job-fail
 *           | "process"                                                ; job-hang (VALUE = process)
 *
 * A bare VALUE is the kind's main value: latency ms (a second one is the jitter), status
 * code, stall phase, html status, shrink/grow count. `429` and `throttle` mean status 429
 * (Retry-After 1 unless `retry-after=`); `409` and `conflict` mean status 409 `DBS.200019`.
 * Routes may be abbreviated: `instances`, `intervals`, `token`, `projects`, `recovery`,
 * `data-node`, `jobs`. The restore kinds default to their own route (`job-fail`, `job-hang`,
 * `lost-answer`: `restore`; `job-vanish`: `job`) and take no other.
 *
 * Examples: `latency:20`, `latency:20:jitter=5`, `status:503:times=2`, `500:times=1`,
 * `429:retry-after=1`, `409:route=instances`, `reset:times=1`, `stall`, `stall:body`,
 * `malformed:after=1:times=1`, `html`, `shrink`, `shrink:by=3`, `grow:2`,
 * `409:route=restore:code=DBS.200019:times=1`, `job-fail:reason=Disk full`, `job-hang:30`,
 * `lost-answer:times=1`, `job-vanish:after=2`.
 * Throws ValidationError (property `fault`) saying what is wrong.
 */
export function parseFaultSpec(text: string): FaultSpec {
  if (typeof text !== "string" || text.trim() === "")
    fail("fault", "expected a fault such as latency:20 or status:503:times=2");
  const parts = text.trim().split(":");
  const head = parts[0].toLowerCase();
  const spec: Record<string, unknown> = {};
  const positional: string[] = [];
  if (/^\d+$/.test(head)) {
    spec.kind = "status";
    spec.status = Number(head);
  } else if (head === "throttle") {
    spec.kind = "status";
    spec.status = 429;
  } else if (head === "conflict") {
    spec.kind = "status";
    spec.status = 409;
  } else if ((KINDS as readonly string[]).includes(head)) {
    spec.kind = head;
  } else {
    fail(
      "fault",
      `${JSON.stringify(text)}: unknown fault ${JSON.stringify(parts[0])}; expected one of ${KINDS.join(", ")}, throttle, conflict or an HTTP status`,
    );
  }
  for (const part of parts.slice(1)) {
    const eq = part.indexOf("=");
    if (eq < 0) {
      positional.push(part);
      continue;
    }
    const key = part.slice(0, eq).trim().toLowerCase();
    const value = part.slice(eq + 1).trim();
    switch (key) {
      case "route": {
        const r = ROUTE_ALIASES[value.toLowerCase()];
        if (!r)
          fail(
            "fault",
            `${JSON.stringify(text)}: unknown route ${JSON.stringify(value)}; expected one of ${Object.keys(ROUTE_ALIASES).join(", ")}`,
          );
        spec.route = r;
        break;
      }
      case "times":
      case "after":
      case "by":
        spec[key] = parseCount(text, value, key);
        break;
      case "ms":
        spec.ms = parseCount(text, value, key);
        break;
      case "jitter":
        spec.jitterMs = parseCount(text, value, key);
        break;
      case "status":
        spec.status = parseCount(text, value, key);
        break;
      case "retry-after":
        spec.retryAfterSeconds = parseCount(text, value, key);
        break;
      case "code":
      case "errorcode":
      case "error_code":
        spec.errorCode = value;
        break;
      case "msg":
      case "errormsg":
      case "error_msg":
        spec.errorMsg = value;
        break;
      case "phase":
        spec.phase = value;
        break;
      case "reason":
        spec.reason = value;
        break;
      case "process":
        spec.process = parseCount(text, value, key);
        break;
      default:
        fail("fault", `${JSON.stringify(text)}: unknown option ${JSON.stringify(key)}`);
    }
  }
  const kind = spec.kind as FaultKind;
  const mainKey: Partial<Record<FaultKind, string[]>> = {
    latency: ["ms", "jitterMs"],
    status: ["status"],
    stall: ["phase"],
    html: ["status"],
    shrink: ["by"],
    grow: ["by"],
    "job-hang": ["process"],
  };
  // A status given in the head (`503`, `throttle`) takes no positional status after it.
  const keys = kind === "status" && head !== "status" ? [] : (mainKey[kind] ?? []);
  if (positional.length > keys.length)
    fail("fault", `${JSON.stringify(text)}: unexpected value ${JSON.stringify(positional[keys.length])}`);
  positional.forEach((value, i) => {
    const key = keys[i];
    spec[key] = key === "phase" ? value : parseCount(text, value, key === "jitterMs" ? "jitter" : key);
  });
  if (kind === "latency" && spec.ms === undefined)
    fail("fault", `${JSON.stringify(text)}: latency needs milliseconds, e.g. latency:20`);
  if (kind === "status" && spec.status === undefined)
    fail("fault", `${JSON.stringify(text)}: status needs a code, e.g. status:503`);
  return checkFaultSpec(spec as unknown as FaultSpec);
}

/** The text form of a (checked) spec, parseable by `parseFaultSpec`; for banners and logs. */
export function formatFaultSpec(spec: FaultSpec): string {
  const f = checkFaultSpec(spec);
  const parts: string[] = [];
  switch (f.kind) {
    case "latency":
      parts.push("latency", String(f.ms));
      if (f.jitterMs) parts.push(`jitter=${f.jitterMs}`);
      break;
    case "status": {
      parts.push("status", String(f.status));
      const d = defaultError(f.status);
      if (f.errorCode !== d.errorCode) parts.push(`code=${f.errorCode}`);
      if (f.errorMsg !== d.errorMsg) parts.push(`msg=${f.errorMsg}`);
      if (f.retryAfterSeconds !== undefined && !(f.status === 429 && f.retryAfterSeconds === 1))
        parts.push(`retry-after=${f.retryAfterSeconds}`);
      break;
    }
    case "stall":
      parts.push("stall");
      if (f.phase === "body") parts.push("body");
      break;
    case "html":
      parts.push("html");
      if (f.status !== 502) parts.push(String(f.status));
      break;
    case "shrink":
    case "grow":
      parts.push(f.kind);
      if (f.by !== 1) parts.push(`by=${f.by}`);
      break;
    case "job-fail":
      parts.push(f.kind);
      if (f.reason !== DEFAULT_JOB_FAIL_REASON) parts.push(`reason=${f.reason}`);
      break;
    case "job-hang":
      parts.push(f.kind);
      if (f.process !== 50) parts.push(String(f.process));
      break;
    default:
      parts.push(f.kind);
  }
  if (f.route && f.route !== defaultFaultRoute(f.kind)) parts.push(`route=${f.route}`);
  const defaultAfter = f.kind === "shrink" || f.kind === "grow" ? 1 : 0;
  if (f.after !== undefined && f.after !== defaultAfter) parts.push(`after=${f.after}`);
  if (f.times !== undefined) parts.push(`times=${f.times}`);
  return parts.join(":");
}
