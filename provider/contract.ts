/**
 * Wire types of the two DDM restore queries, exactly as `docs/api/ddm-restore-v3.md`
 * states them (snake_case), checked at runtime with zod. A body that does not match is a
 * ResponseError naming the offending field as a dotted path (`instances[3].available`) with
 * what was expected and what came: never a crash, never a silent `undefined`, never the
 * whole body in a message.
 *
 * Leniency, decided here and nowhere else:
 * - Unknown extra fields are ignored (stripped), at every level: APIs add fields.
 * - `unavailable_reason` missing or `null` decodes as `""`: the field only has meaning when
 *   `available` is false, and Huawei's APIs commonly omit empty strings.
 * - Everything else is strict: a missing field, a wrong type (`"true"` for a boolean, `"5"`
 *   for an integer), a negative or fractional integer, or a time string the one parser in
 *   `time.ts` rejects is an error. An interval whose `end_time` is before its `start_time`
 *   is an error too (equal times, a zero-length window, are accepted).
 * - Size: zod walks only the declared fields, so nesting inside unknown fields costs
 *   nothing; the client caps the body size before it gets here.
 */
import { z } from "zod";
import { ResponseError, describeValue } from "./errors";
import { tryParseApiTime } from "./time";
import type { RestorableInstancesBody, RestoreTimeIntervalsBody, ResponseContext } from "./wire";

const count = z.number().int().min(0);

const apiTime = z.string().superRefine((text, ctx) => {
  const r = tryParseApiTime(text);
  if (typeof r === "string") ctx.addIssue({ code: "custom", message: r });
});

/** `DDMInstance4Restore`. */
export const RestorableInstanceWireSchema = z.object({
  instance_name: z.string(),
  instance_id: z.string(),
  status: z.string(),
  available: z.boolean(),
  unavailable_reason: z
    .string()
    .nullish()
    .transform((v) => v ?? ""),
  vpc_name: z.string(),
});

/** 200 body of `GET /v3/{project_id}/instances/{instance_id}/backups/restorable-instances`. */
export const RestorableInstancesBodySchema = z.object({
  instances: z.array(RestorableInstanceWireSchema),
  offset: count,
  limit: count,
  total: count,
});

/** `RestoreTimeInterval`. */
export const RestoreTimeIntervalWireSchema = z
  .object({
    start_time: apiTime,
    end_time: apiTime,
  })
  .superRefine((w, ctx) => {
    const start = tryParseApiTime(w.start_time);
    const end = tryParseApiTime(w.end_time);
    if (typeof start === "number" && typeof end === "number" && end < start) {
      ctx.addIssue({
        code: "custom",
        path: ["end_time"],
        message: `${describeValue(w.end_time)} is before start_time ${describeValue(w.start_time)}`,
      });
    }
  });

/** 200 body of `GET /v3/{project_id}/instances/{instance_id}/backups/restorable-time-interval`. */
export const RestoreTimeIntervalsBodySchema = z.object({
  restorable_time_intervals: z.array(RestoreTimeIntervalWireSchema),
  offset: count,
  limit: count,
  total: count,
});

// The decoded shapes are the plain types of wire.ts (the decoders below are typed with them).
export type {
  RestorableInstanceWire,
  RestorableInstancesBody,
  RestoreTimeIntervalWire,
  RestoreTimeIntervalsBody,
  ResponseContext,
} from "./wire";

/** `["instances", 3, "available"]` → `instances[3].available`; `[]` → `(body)`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else out += out === "" ? String(seg) : `.${String(seg)}`;
  }
  return out === "" ? "(body)" : out;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = root;
  for (const seg of path) {
    if (typeof cur !== "object" || cur === null) return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[seg];
  }
  return cur;
}

const EXPECTED_NAMES: Record<string, string> = {
  int: "an integer",
  number: "a number",
  string: "a string",
  boolean: "a boolean",
  array: "an array",
  object: "an object",
};

/** A short rendering of a received value ("an object", not "a object"). */
function shown(v: unknown): string {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? "an object" : describeValue(v);
}

/** One zod issue as "what was expected, what came", never echoing more than a short value. */
function describeIssue(issue: z.core.$ZodIssue, root: unknown): string {
  const got = valueAt(root, issue.path);
  switch (issue.code) {
    case "invalid_type": {
      const expected = EXPECTED_NAMES[issue.expected] ?? issue.expected;
      if (got === undefined) return `missing; expected ${expected}`;
      return `expected ${expected}, got ${shown(got)}`;
    }
    case "too_small":
      return `expected a value >= ${String(issue.minimum)}, got ${shown(got)}`;
    case "custom":
      return issue.message;
    default:
      return `${issue.message}, got ${shown(got)}`;
  }
}

function decode<S extends z.ZodType>(schema: S, res: ResponseContext): z.output<S> {
  const r = schema.safeParse(res.data);
  if (r.success) return r.data;
  const issues = r.error.issues;
  const first = issues[0];
  const more =
    issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? "s" : ""})` : "";
  throw new ResponseError({
    field: formatPath(first.path),
    detail: describeIssue(first, res.data) + more,
    status: res.status,
    requestId: res.requestId,
    request: { method: res.method, path: res.path },
  });
}

/** Check a restorable-instances 200 body; throws ResponseError naming the first bad field. */
export function decodeRestorableInstances(res: ResponseContext): RestorableInstancesBody {
  return decode(RestorableInstancesBodySchema, res);
}

/** Check a restorable-time-interval 200 body; throws ResponseError naming the first bad field. */
export function decodeRestoreTimeIntervals(res: ResponseContext): RestoreTimeIntervalsBody {
  return decode(RestoreTimeIntervalsBodySchema, res);
}
