/**
 * Wire types of the two DDM restore queries, exactly as `docs/api/ddm-restore-v3.md`
 * states them (snake_case), defined as zod schemas and checked at runtime. Every page is
 * first checked by a hand-written pass that accepts exactly what the schemas accept (and maps
 * the records as it goes); only a body it refuses is handed to zod, whose issues make the
 * error, so zod is loaded and run only for a broken answer. A body that does not match is a
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
import type { z } from "zod";
import { ResponseError, describeValue } from "./errors";
import { tryParseApiTime } from "./time";
import type {
  RestorableInstanceWire,
  RestorableInstancesBody,
  RestoreTimeIntervalWire,
  RestoreTimeIntervalsBody,
  ResponseContext,
} from "./wire";

/** The contract's zod schemas (the emulator checks fixture records with them too). */
export interface ContractSchemas {
  /** `DDMInstance4Restore`. */
  restorableInstance: z.ZodType<RestorableInstanceWire>;
  /** 200 body of `GET /v3/{project_id}/instances/{instance_id}/backups/restorable-instances`. */
  restorableInstancesBody: z.ZodType<RestorableInstancesBody>;
  /** `RestoreTimeInterval`. */
  restoreTimeInterval: z.ZodType<RestoreTimeIntervalWire>;
  /** 200 body of `GET /v3/{project_id}/instances/{instance_id}/backups/restorable-time-interval`. */
  restoreTimeIntervalsBody: z.ZodType<RestoreTimeIntervalsBody>;
}

function buildSchemas(zod: typeof z) {
  const count = zod.number().int().min(0);
  const apiTime = zod.string().superRefine((text, ctx) => {
    const r = tryParseApiTime(text);
    if (typeof r === "string") ctx.addIssue({ code: "custom", message: r });
  });
  const restorableInstance = zod.object({
    instance_name: zod.string(),
    instance_id: zod.string(),
    status: zod.string(),
    available: zod.boolean(),
    unavailable_reason: zod
      .string()
      .nullish()
      .transform((v) => v ?? ""),
    vpc_name: zod.string(),
  });
  const restoreTimeInterval = zod
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
  return {
    restorableInstance,
    restorableInstancesBody: zod.object({
      instances: zod.array(restorableInstance),
      offset: count,
      limit: count,
      total: count,
    }),
    restoreTimeInterval,
    restoreTimeIntervalsBody: zod.object({
      restorable_time_intervals: zod.array(restoreTimeInterval),
      offset: count,
      limit: count,
      total: count,
    }),
  };
}

let schemas: ReturnType<typeof buildSchemas> | undefined;

/**
 * The zod schemas, built (and zod loaded) on first use: a body that passes the fast check
 * below never needs them, so a process that only reads good answers (the plugin, a CLI run)
 * does not pay for loading zod.
 */
export function contractSchemas(): ReturnType<typeof buildSchemas> & ContractSchemas {
  schemas ??= buildSchemas((require("zod") as { z: typeof z }).z);
  return schemas;
}

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
function describeReceived(v: unknown): string {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? "an object" : describeValue(v);
}

/** One zod issue as "what was expected, what came", never echoing more than a short value. */
function describeIssue(issue: z.core.$ZodIssue, root: unknown): string {
  const got = valueAt(root, issue.path);
  switch (issue.code) {
    case "invalid_type": {
      const expected = EXPECTED_NAMES[issue.expected] ?? issue.expected;
      if (got === undefined) return `missing; expected ${expected}`;
      return `expected ${expected}, got ${describeReceived(got)}`;
    }
    case "too_small":
      return `expected a value >= ${String(issue.minimum)}, got ${describeReceived(got)}`;
    case "custom":
      return issue.message;
    default:
      return `${issue.message}, got ${describeReceived(got)}`;
  }
}

/**
 * A body the fast check refused, decoded by zod: a ResponseError for its first problem, with
 * the count of the others. (Should the fast check ever refuse a body the schema accepts, this
 * decodes it all the same: slower, never wrong; the contract spec tests that they agree.)
 */
function slowDecode<B>(schema: z.ZodType<B>, res: ResponseContext): B {
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

// ---------------------------------------------------------------------------------------
// The fast check. A page of 128 records is checked (and mapped) in one pass over plain JSON
// values, with no copy made by a validator: the decoders below run once per page on every
// list call, and zod's copies and closures were the largest part of the plugin's garbage. It
// accepts exactly what the schemas above accept (test/core/contract.spec.ts checks the two
// agree on generated bodies); anything it refuses goes to zod, whose issues make the message,
// so there is one wording of every problem.

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** `z.number().int().min(0)`: a safe integer, not negative. */
function isCount(v: unknown): v is number {
  return typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
}

/** A checked body's page fields, its records mapped by the caller. */
export interface DecodedPage<T> {
  items: T[];
  offset: number;
  limit: number;
  total: number;
}

/** What a record check returns for a record it refuses. */
const REFUSED: unique symbol = Symbol("refused");

/**
 * The fast check of a page: the body an object, `listKey` an array of objects, `offset`,
 * `limit` and `total` counts, and every record passing `record` (which maps it, or returns
 * REFUSED). Undefined when any of it fails.
 */
function fastPage<T>(
  body: unknown,
  listKey: string,
  record: (r: Json) => T | typeof REFUSED,
): DecodedPage<T> | undefined {
  if (!isObject(body)) return undefined;
  const list = body[listKey];
  const { offset, limit, total } = body;
  if (!Array.isArray(list) || !isCount(offset) || !isCount(limit) || !isCount(total)) return undefined;
  const items: T[] = new Array<T>(list.length);
  for (let i = 0; i < list.length; i++) {
    const r: unknown = list[i];
    if (!isObject(r)) return undefined;
    const mapped = record(r);
    if (mapped === REFUSED) return undefined;
    items[i] = mapped;
  }
  return { items, offset, limit, total };
}

/** The fast check of a restorable-instances body, mapping as it goes; undefined when it refuses the body. */
function fastInstances<T>(
  body: unknown,
  map: (record: RestorableInstanceWire) => T,
): DecodedPage<T> | undefined {
  return fastPage(body, "instances", (r) => {
    const reason = r.unavailable_reason;
    if (
      typeof r.instance_name !== "string" ||
      typeof r.instance_id !== "string" ||
      typeof r.status !== "string" ||
      typeof r.available !== "boolean" ||
      typeof r.vpc_name !== "string" ||
      (reason !== undefined && reason !== null && typeof reason !== "string")
    ) {
      return REFUSED;
    }
    // The record itself when it is already in decoded form (no copy per record).
    return map(
      typeof reason === "string"
        ? (r as unknown as RestorableInstanceWire)
        : { ...(r as unknown as RestorableInstanceWire), unavailable_reason: "" },
    );
  });
}

/** The fast check of a restore-time-interval body, mapping as it goes; undefined when it refuses the body. */
function fastIntervals<T>(
  body: unknown,
  map: (record: RestoreTimeIntervalWire, startMs: number, endMs: number) => T,
): DecodedPage<T> | undefined {
  return fastPage(body, "restorable_time_intervals", (r) => {
    const { start_time: start, end_time: end } = r;
    const startMs = typeof start === "string" ? tryParseApiTime(start) : "";
    const endMs = typeof end === "string" ? tryParseApiTime(end) : "";
    if (typeof startMs !== "number" || typeof endMs !== "number" || endMs < startMs) return REFUSED;
    return map(r as unknown as RestoreTimeIntervalWire, startMs, endMs);
  });
}

/** For the contract spec: whether the fast check alone accepts a body (it must agree with the schemas). */
export function fastCheckAccepts(
  kind: "restorable-instances" | "restorable-time-interval",
  body: unknown,
): boolean {
  const keep = <W>(w: W): W => w;
  return (
    (kind === "restorable-instances" ? fastInstances(body, keep) : fastIntervals(body, keep)) !== undefined
  );
}

/**
 * Check a restorable-instances 200 body and map each record with `map`. It receives the
 * record with the contract's fields checked and `unavailable_reason` `""` when missing or
 * null; unknown fields may still be on it, so `map` reads only the contract's. Throws
 * ResponseError naming the first bad field.
 */
export function decodeRestorableInstancesAs<T>(
  res: ResponseContext,
  map: (record: RestorableInstanceWire) => T,
): DecodedPage<T> {
  const fast = fastInstances(res.data, map);
  if (fast) return fast;
  const body = slowDecode(contractSchemas().restorableInstancesBody, res);
  return {
    items: body.instances.map((r) => map(r)),
    offset: body.offset,
    limit: body.limit,
    total: body.total,
  };
}

/**
 * Check a restorable-time-interval 200 body and map each window with `map`, which also
 * receives both times as epoch milliseconds (parsed once, by the one parser); as for
 * instances, the record may still carry unknown fields. Throws ResponseError naming the
 * first bad field.
 */
export function decodeRestoreTimeIntervalsAs<T>(
  res: ResponseContext,
  map: (record: RestoreTimeIntervalWire, startMs: number, endMs: number) => T,
): DecodedPage<T> {
  const fast = fastIntervals(res.data, map);
  if (fast) return fast;
  const body = slowDecode(contractSchemas().restoreTimeIntervalsBody, res);
  return {
    // The schema checked both times with the same parser, so each parses to a number here.
    items: body.restorable_time_intervals.map((w) =>
      map(w, tryParseApiTime(w.start_time) as number, tryParseApiTime(w.end_time) as number),
    ),
    offset: body.offset,
    limit: body.limit,
    total: body.total,
  };
}

/** Check a restorable-instances 200 body; throws ResponseError naming the first bad field. */
export function decodeRestorableInstances(res: ResponseContext): RestorableInstancesBody {
  const { items, offset, limit, total } = decodeRestorableInstancesAs(res, (r) => ({
    instance_name: r.instance_name,
    instance_id: r.instance_id,
    status: r.status,
    available: r.available,
    unavailable_reason: r.unavailable_reason,
    vpc_name: r.vpc_name,
  }));
  return { instances: items, offset, limit, total };
}

/** Check a restorable-time-interval 200 body; throws ResponseError naming the first bad field. */
export function decodeRestoreTimeIntervals(res: ResponseContext): RestoreTimeIntervalsBody {
  const { items, offset, limit, total } = decodeRestoreTimeIntervalsAs(res, (w) => ({
    start_time: w.start_time,
    end_time: w.end_time,
  }));
  return { restorable_time_intervals: items, offset, limit, total };
}
