/**
 * The reliability suite's tables: transient and permanent faults (served by the emulator),
 * hostile response bodies (served by nock in-process, where the emulator has no such fault),
 * and bad inputs. Each row says what it injects and what every face must make of it.
 */
import { gzipSync } from "node:zlib";
import type { FaultSpec } from "../../emulator";
import { DEFAULTS } from "../../provider/defaults";
import { Fn, Handler, MAX_DELAY_MS, MAX_RETRIES, PAGES, PAGE_SIZE, RECORDS } from "./harness";

type Route = Fn["route"];

// ---------------------------------------------------------------------------------------
// Faults the emulator serves

/** A fault the retry budget must absorb: the call succeeds with every record. */
export interface TransientCase {
  name: string;
  faults: (route: Route) => FaultSpec[];
  /** Requests beyond one per page that the fault costs. */
  extra: number;
  /** A delay the client must ask for (Retry-After honoured), ms. */
  retryAfterMs?: number;
  /** Needs a real per-request timeout (1 s) to pass. */
  slow?: boolean;
}

export const TRANSIENT: readonly TransientCase[] = [
  {
    name: "HTTP 503 twice",
    faults: (route) => [{ kind: "status", status: 503, times: 2, route }],
    extra: 2,
  },
  { name: "HTTP 500 once", faults: (route) => [{ kind: "status", status: 500, times: 1, route }], extra: 1 },
  { name: "HTTP 502 once", faults: (route) => [{ kind: "status", status: 502, times: 1, route }], extra: 1 },
  { name: "HTTP 504 once", faults: (route) => [{ kind: "status", status: 504, times: 1, route }], extra: 1 },
  {
    name: "HTTP 429 with Retry-After: 1",
    faults: (route) => [{ kind: "status", status: 429, retryAfterSeconds: 1, times: 1, route }],
    extra: 1,
    retryAfterMs: 1000,
  },
  {
    name: `HTTP 429 with Retry-After: 30 (honoured in full, beyond the ${MAX_DELAY_MS / 1000} s backoff cap)`,
    faults: (route) => [{ kind: "status", status: 429, retryAfterSeconds: 30, times: 1, route }],
    extra: 1,
    retryAfterMs: 30_000,
  },
  {
    name: "HTTP 409 DBS.200019 twice",
    faults: (route) => [{ kind: "status", status: 409, errorCode: "DBS.200019", times: 2, route }],
    extra: 2,
  },
  {
    name: "HTTP 409 DBS.212033 once",
    faults: (route) => [{ kind: "status", status: 409, errorCode: "DBS.212033", times: 1, route }],
    extra: 1,
  },
  { name: "a connection reset once", faults: (route) => [{ kind: "reset", times: 1, route }], extra: 1 },
  {
    name: "an HTML 503 gateway page once",
    faults: (route) => [{ kind: "html", status: 503, times: 1, route }],
    extra: 1,
  },
  {
    name: "HTTP 503 on both later pages",
    faults: (route) => [{ kind: "status", status: 503, after: 1, times: 2, route }],
    extra: 2,
  },
  {
    name: "a response that never starts (per-request timeout)",
    faults: (route) => [{ kind: "stall", phase: "headers", times: 1, route }],
    extra: 1,
    slow: true,
  },
  {
    name: "a body that stops half-way (per-request timeout)",
    faults: (route) => [{ kind: "stall", phase: "body", times: 1, route }],
    extra: 1,
    slow: true,
  },
];

/** A fault no retry can absorb: a typed error within the deadline. */
export interface PermanentCase {
  name: string;
  faults: (route: Route) => FaultSpec[];
  kind: "api" | "network" | "response";
  status?: number;
  errorCode?: string;
  /** Requests made on the route. */
  requests: number;
  /** Overrides of the case's provider config (e.g. maxRetries). */
  config?: { maxRetries?: number };
  /** What the message must say besides the typed facts. */
  message?: RegExp;
  slow?: boolean;
}

const ALL = MAX_RETRIES + 1;

export const PERMANENT: readonly PermanentCase[] = [
  {
    name: "HTTP 400 DBS.280001",
    faults: (route) => [{ kind: "status", status: 400, route }],
    kind: "api",
    status: 400,
    errorCode: "DBS.280001",
    requests: 1,
  },
  {
    name: "HTTP 401 APIGW.0301",
    faults: (route) => [{ kind: "status", status: 401, route }],
    kind: "api",
    status: 401,
    errorCode: "APIGW.0301",
    requests: 1,
  },
  {
    name: "HTTP 403 APIGW.0302",
    faults: (route) => [{ kind: "status", status: 403, route }],
    kind: "api",
    status: 403,
    errorCode: "APIGW.0302",
    requests: 1,
  },
  {
    name: "HTTP 404 DBS.280214",
    faults: (route) => [{ kind: "status", status: 404, route }],
    kind: "api",
    status: 404,
    errorCode: "DBS.280214",
    requests: 1,
  },
  {
    name: "HTTP 409 with a code that is not retryable (DBS.280111)",
    faults: (route) => [{ kind: "status", status: 409, errorCode: "DBS.280111", route }],
    kind: "api",
    status: 409,
    errorCode: "DBS.280111",
    requests: 1,
  },
  {
    name: "HTTP 503 beyond the retry budget",
    faults: (route) => [{ kind: "status", status: 503, route }],
    kind: "api",
    status: 503,
    errorCode: "APIGW.0202",
    requests: ALL,
  },
  {
    name: "HTTP 500 beyond the retry budget",
    faults: (route) => [{ kind: "status", status: 500, route }],
    kind: "api",
    status: 500,
    errorCode: "DBS.280005",
    requests: ALL,
  },
  {
    name: "HTTP 429 beyond the retry budget",
    faults: (route) => [{ kind: "status", status: 429, retryAfterSeconds: 0, route }],
    kind: "api",
    status: 429,
    errorCode: "APIGW.0308",
    requests: ALL,
  },
  {
    name: "HTTP 429 whose Retry-After (3600 s) is beyond the deadline (no waiting, no retry)",
    faults: (route) => [{ kind: "status", status: 429, retryAfterSeconds: 3600, route }],
    kind: "api",
    status: 429,
    errorCode: "APIGW.0308",
    requests: 1,
    message: /Retry-After/,
  },
  {
    name: "HTTP 409 DBS.200019 beyond the retry budget",
    faults: (route) => [{ kind: "status", status: 409, route }],
    kind: "api",
    status: 409,
    errorCode: "DBS.200019",
    requests: ALL,
  },
  {
    name: "connection resets beyond the retry budget",
    faults: (route) => [{ kind: "reset", route }],
    kind: "network",
    status: 0,
    errorCode: "ECONNRESET",
    requests: ALL,
  },
  {
    name: "a server that never answers (timeout, no retries configured)",
    faults: (route) => [{ kind: "stall", route }],
    kind: "network",
    status: 0,
    errorCode: "ETIMEDOUT",
    requests: 1,
    config: { maxRetries: 0 },
    slow: true,
  },
  {
    name: "an HTML 502 gateway page beyond the retry budget",
    faults: (route) => [{ kind: "html", status: 502, route }],
    kind: "api",
    status: 502,
    errorCode: "",
    requests: ALL,
  },
  {
    name: "a 200 whose JSON body is cut short",
    faults: (route) => [{ kind: "malformed", route }],
    kind: "response",
    requests: 1,
  },
];

// ---------------------------------------------------------------------------------------
// Lists that move between pages (emulator shrink/grow)

export interface MovingCase {
  name: string;
  faults: (route: Route) => FaultSpec[];
  /** Whether the result must carry a warning (the list moved in both walks). */
  warns: boolean;
  /** Records expected when the walk could settle (no warning). */
  records?: number;
}

/** Requests of one walk over 300 records. */
const WALK = 3;

export const MOVING: readonly MovingCase[] = [
  {
    name: "records age out once while paged (re-walked, consistent, no warning)",
    faults: (route) => [{ kind: "shrink", by: 1, after: 1, route }],
    warns: false,
    records: 299,
  },
  {
    name: "records age out during both walks (a warning, no duplicates)",
    faults: (route) => [
      { kind: "shrink", by: 1, after: 1, route },
      { kind: "shrink", by: 1, after: WALK + 1, route },
    ],
    warns: true,
  },
  {
    name: "records are added during both walks (a warning, no duplicates)",
    faults: (route) => [
      { kind: "grow", by: 2, after: 1, route },
      { kind: "grow", by: 2, after: WALK + 1, route },
    ],
    warns: true,
  },
];

// ---------------------------------------------------------------------------------------
// Hostile bodies (nock, in-process faces only)

/** A valid record of each list, numbered. */
export function record(fn: Fn, i: number): Record<string, unknown> {
  if (fn.list === "instances") {
    return {
      instance_id: `${i.toString(16).padStart(32, "0")}in09`,
      instance_name: `ddm-hostile-${i}`,
      status: "normal",
      available: true,
      unavailable_reason: "",
      vpc_name: "vpc-ddm-172",
    };
  }
  const start = Date.UTC(2025, 4, 1) + i * 7_200_000;
  const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "+0000");
  return { start_time: iso(start), end_time: iso(start + 3_600_000) };
}

/** The wire name of a function's list. */
export function listField(fn: Fn): string {
  return fn.list === "instances" ? "instances" : "restorable_time_intervals";
}

/** A valid page body. */
export function pageBody(fn: Fn, items: unknown[], total: number, offset = 0): Record<string, unknown> {
  return { [listField(fn)]: items, offset, limit: PAGE_SIZE, total };
}

export interface HostileReply {
  status: number;
  body: string | Buffer;
  headers: Record<string, string>;
}

export interface HostileCase {
  name: string;
  reply: (fn: Fn) => HostileReply;
  /** The field the ResponseError names. */
  field: (fn: Fn) => string;
  /** Text the error's message must hold besides the field. */
  detail?: RegExp;
}

const JSON_HEADERS = { "Content-Type": "application/json" };

function json(body: unknown): HostileReply {
  return { status: 200, body: JSON.stringify(body), headers: JSON_HEADERS };
}

const DEEP = 100_000;

export const HOSTILE: readonly HostileCase[] = [
  {
    name: "a field of the wrong type",
    reply: (fn) => {
      const r = record(fn, 1);
      if (fn.list === "instances") r.available = "yes";
      else r.start_time = 1_747_734_040_000;
      return json(pageBody(fn, [r], 1));
    },
    field: (fn) =>
      fn.list === "instances" ? "instances[0].available" : "restorable_time_intervals[0].start_time",
  },
  {
    name: "a time the contract does not allow",
    reply: (fn) => {
      const r = record(fn, 1);
      if (fn.list === "instances") r.vpc_name = null;
      else r.end_time = "2025-13-45T99:99:99+0000";
      return json(pageBody(fn, [r], 1));
    },
    field: (fn) =>
      fn.list === "instances" ? "instances[0].vpc_name" : "restorable_time_intervals[0].end_time",
  },
  {
    name: "a missing total",
    reply: (fn) => {
      const b = pageBody(fn, [record(fn, 1)], 1);
      delete b.total;
      return json(b);
    },
    field: () => "total",
    detail: /missing/,
  },
  {
    name: "a list that is an object",
    reply: (fn) => json({ ...pageBody(fn, [], 0), [listField(fn)]: { 0: record(fn, 1) } }),
    field: (fn) => listField(fn),
  },
  {
    name: "a negative total",
    reply: (fn) => json(pageBody(fn, [record(fn, 1)], -1)),
    field: () => "total",
  },
  {
    name: "a total sent as a string",
    reply: (fn) => json({ ...pageBody(fn, [record(fn, 1)], 1), total: "1" }),
    field: () => "total",
  },
  {
    name: "a 200 carrying an error body",
    reply: () => json({ error_code: "DBS.280005", error_msg: "Server error." }),
    field: (fn) => listField(fn),
    detail: /missing/,
  },
  {
    name: "JSON null",
    reply: () => ({ status: 200, body: "null", headers: JSON_HEADERS }),
    field: () => "(body)",
  },
  {
    name: "an empty body",
    reply: () => ({ status: 200, body: "", headers: JSON_HEADERS }),
    field: () => "(body)",
    detail: /empty/,
  },
  {
    name: "malformed JSON",
    reply: (fn) => ({ status: 200, body: `{"${listField(fn)}":[{"a":1,}`, headers: JSON_HEADERS }),
    field: () => "(body)",
    detail: /not JSON/,
  },
  {
    name: "an HTML page with status 200",
    reply: () => ({
      status: 200,
      body: "<html><head><title>Login</title></head><body>Sign in</body></html>",
      headers: { "Content-Type": "text/html" },
    }),
    field: () => "(body)",
    detail: /not JSON/,
  },
  {
    name: `JSON nested ${DEEP} levels deep as the whole body`,
    reply: () => ({ status: 200, body: "[".repeat(DEEP) + "]".repeat(DEEP), headers: JSON_HEADERS }),
    field: () => "(body)",
  },
  {
    name: `JSON nested ${DEEP} levels deep inside a record`,
    reply: (fn) => {
      const body = JSON.stringify(pageBody(fn, ["@@DEEP@@"], 1));
      const deep = "[".repeat(DEEP) + "]".repeat(DEEP);
      return { status: 200, body: body.replace('"@@DEEP@@"', deep), headers: JSON_HEADERS };
    },
    field: (fn) => `${listField(fn)}[0]`,
  },
  {
    name: "a body one byte beyond the size cap",
    reply: (fn) => {
      const head = JSON.stringify(pageBody(fn, [], 0));
      const pad = " ".repeat(DEFAULTS.maxResponseBytes + 1 - Buffer.byteLength(head));
      return { status: 200, body: head + pad, headers: JSON_HEADERS };
    },
    field: () => "(body)",
    detail: /larger than/,
  },
  {
    name: "a gzip bomb that inflates beyond the size cap",
    reply: () => ({
      status: 200,
      body: gzipSync(Buffer.alloc(DEFAULTS.maxResponseBytes + 1024 * 1024, 0x20)),
      headers: { ...JSON_HEADERS, "Content-Encoding": "gzip" },
    }),
    field: () => "(body)",
    detail: /larger than/,
  },
];

// ---------------------------------------------------------------------------------------
// Answers only a real server can give (the scripted loopback server)

/** Serve `fn`'s list as the API does: RECORDS records, paged by the query's offset and limit. */
export function servePages(fn: Fn): Handler {
  return (req, res) => {
    const q = new URL(req.url ?? "/", "http://127.0.0.1").searchParams;
    const offset = Number(q.get("offset") ?? 0);
    const limit = Number(q.get("limit") ?? 10);
    const items: unknown[] = [];
    for (let i = offset; i < Math.min(RECORDS, offset + limit); i++) items.push(record(fn, i));
    const body = JSON.stringify({ ...pageBody(fn, items, RECORDS, offset), limit });
    res.writeHead(200, {
      "Content-Type": "application/json",
      "Content-Length": String(Buffer.byteLength(body)),
    });
    res.end(body);
  };
}

/** A 200 whose connection is destroyed after the first bytes of the body. */
const dropMidBody =
  (fn: Fn): Handler =>
  (_req, res) => {
    res.writeHead(200, { "Content-Type": "application/json", "Content-Length": "4096" });
    res.write(`{"${listField(fn)}":[`);
    setTimeout(() => res.socket?.destroy(), 10);
  };

/** A 200 whose body arrives one byte every 200 ms, forever (never idle long enough for a socket timeout). */
const drip: Handler = (_req, res) => {
  res.writeHead(200, { "Content-Type": "application/json" });
  res.write("{");
  const timer = setInterval(() => {
    if (res.destroyed || res.writableEnded) clearInterval(timer);
    else res.write(" ");
  }, 200);
  res.on("close", () => clearInterval(timer));
};

/** A status line and a header larger than Node's 16 KiB header limit. */
const headerOverflow: Handler = (_req, res) => {
  res.socket?.end(
    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Big: " +
      "z".repeat(20_000) +
      "\r\nContent-Length: 2\r\n\r\n{}",
  );
};

export interface RawCase {
  name: string;
  /** The answers: `first` one each, then `rest` for every later request. */
  handlers: (fn: Fn, url: string) => { first: Handler[]; rest: Handler };
  expect: "ok" | Pick<PermanentCase, "kind" | "status" | "errorCode">;
  requests: number;
  config?: { maxRetries?: number };
  slow?: boolean;
}

export const RAW: readonly RawCase[] = [
  {
    name: "the connection dropping half-way through a 200 body, once",
    handlers: (fn) => ({ first: [dropMidBody(fn)], rest: servePages(fn) }),
    expect: "ok",
    requests: PAGES + 1,
  },
  {
    name: "a body that drips one byte every 200 ms (wall-clock request timeout, no retries configured)",
    handlers: () => ({ first: [], rest: drip }),
    expect: { kind: "network", status: 0, errorCode: "ETIMEDOUT" },
    requests: 1,
    config: { maxRetries: 0 },
    slow: true,
  },
  {
    name: "a response header beyond Node's size limit",
    handlers: () => ({ first: [], rest: headerOverflow }),
    expect: { kind: "network", status: 0, errorCode: "HPE_HEADER_OVERFLOW" },
    requests: 1,
  },
  {
    name: "a redirect (never followed: it could carry the credentials elsewhere)",
    handlers: (_fn, url) => ({
      first: [],
      rest: (_req, res) => {
        res.writeHead(302, { Location: `${url}/v3/elsewhere` });
        res.end();
      },
    }),
    expect: { kind: "api", status: 302 },
    requests: 1,
  },
];

// ---------------------------------------------------------------------------------------
// Bad inputs

export interface BadInput {
  name: string;
  args: Record<string, unknown>;
  /** The property the refusal must name. */
  property: string;
  /** Not a bad input on the command line (flags are text: `--limit 10` is fine), or not expressible there. */
  cli?: false;
  /** Would address a non-loopback host if it were not refused: only faces under nock's net guard run it. */
  nonLoopback?: true;
}

const id = (name: string, instanceId: unknown): BadInput => ({
  name: `instanceId ${name}`,
  args: { instanceId },
  property: "instanceId",
});

export function badInputs(source: string): BadInput[] {
  const withArg = (name: string, key: string, value: unknown, extra: Partial<BadInput> = {}): BadInput => ({
    name,
    args: { instanceId: source, [key]: value },
    property: key,
    ...extra,
  });
  return [
    id('containing "/"', `${source}/x`),
    id('that is ".."', ".."),
    id('containing ".."', `${source}..x`),
    id('containing "?"', `${source}?x=1`),
    id('containing "#"', `${source}#x`),
    id('containing "%2F"', `${source}%2Fx`),
    id("containing a space", `${source} x`),
    id("with a leading space", ` ${source}`),
    id("containing a tab", `${source}\tx`),
    id("containing a newline", `${source}\nx`),
    id("containing a NUL", `${source}\u0000x`),
    id("containing ESC", `${source}\u001bx`),
    id("containing DEL", `${source}\u007fx`),
    id("containing U+2028", `${source}\u2028x`),
    // Not hex digits: a run of 64 would look like a leaked signature to the scanner.
    id("of 10 000 characters", "z".repeat(10_000)),
    { ...id("that is empty", ""), cli: false },
    withArg('projectId containing "/"', "projectId", "619d3e78f61b4be68bc5aa0b59edcf7b/../x"),
    withArg("projectId containing %2F", "projectId", "619d%2Fx"),
    withArg("offset -1", "offset", -1),
    withArg("offset 1.5", "offset", 1.5),
    withArg('offset "0" (a string)', "offset", "0", { cli: false }),
    withArg("limit 0", "limit", 0),
    withArg("limit -1", "limit", -1),
    withArg("limit 1.5", "limit", 1.5),
    withArg('limit "10" (a string)', "limit", "10", { cli: false }),
    withArg("limit NaN", "limit", Number.NaN),
    withArg("limit Infinity", "limit", Number.POSITIVE_INFINITY),
    withArg("limit true", "limit", true, { cli: false }),
    // limit 1e9 is a valid integer ("at most 1e9 records"): the suite asserts it is accepted.
    // A well-formed but unknown region ("moon-1") cannot be told apart offline: it resolves to
    // https://ddm.moon-1.myhuaweicloud.com, a host no test may reach. Malformed names are the
    // bad input here.
    withArg('region "Moon 1" (malformed)', "region", "Moon 1"),
    withArg('region "MOON-1" (malformed)', "region", "MOON-1"),
    withArg('region "../x" (malformed)', "region", "../x"),
    withArg("a non-loopback http:// endpoint (a name)", "endpoint", "http://ddm.example.com", {
      nonLoopback: true,
    }),
    withArg("a non-loopback http:// endpoint (a private address)", "endpoint", "http://10.1.2.3:8080", {
      nonLoopback: true,
    }),
    withArg("an ftp:// endpoint", "endpoint", "ftp://127.0.0.1/"),
    withArg("an endpoint with a query", "endpoint", "http://127.0.0.1:9/?x=1"),
    withArg("an endpoint that is not a URL", "endpoint", "not a url"),
    withArg(
      "an endpoint with a password in it",
      "endpoint",
      "https://hwddm-user:leaky-url-password@127.0.0.1:9",
    ),
  ];
}

/** The password the last bad input carries in its URL (must never be echoed). */
export const URL_PASSWORD = "leaky-url-password";
