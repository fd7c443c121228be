/**
 * The reliability suite's harness: the faces a case runs through (the core registry
 * in-process, the plugin's gRPC server in-process, the plugin executable, the CLI), the one
 * shape their outcomes are compared in, the tally behind the closing line, hard time bounds,
 * and the secret scanner every text of every case goes through.
 *
 * Nothing here re-implements the product: each face calls the real entry point (`invoke`,
 * `startProviderServer` + the shared `ProviderClient`, `spawnPlugin`, `cli/main.ts run()`).
 */
import type * as grpc from "@grpc/grpc-js";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { run as runCli } from "../../cli/main";
import type { CliStream } from "../../cli/output";
import {
  CONTRACT_EXAMPLE,
  Emulator,
  EmulatorCredentials,
  FaultSpec,
  RequestRoute,
  generateFixture,
  startEmulator,
} from "../../emulator";
import { ENV_NAMES } from "../../provider/config";
import { HwddmError, ValidationError } from "../../provider/errors";
import { invoke } from "../../provider/functions";
import { startProviderServer } from "../../provider/plugin/server";
import type { PlainObject } from "../../provider/plugin/protocol";
import { PluginProcess, ProviderClient, spawnPlugin } from "../support/harness";
import { ClientOverrides, ProviderConfigInput, TOKENS } from "../../provider/types";

// ---------------------------------------------------------------------------------------
// The data every case runs against

/** The source instance of every case (the contract's example id, first source of generated fixtures). */
export const SOURCE = CONTRACT_EXAMPLE.sourceInstanceId;
/** Records in each list: three pages of 128 (128 + 128 + 44). */
export const RECORDS = 300;
/** The walker's page size (DEFAULT_PAGING.pageSize) and so the pages one clean walk takes. */
export const PAGE_SIZE = 128;
export const PAGES = Math.ceil(RECORDS / PAGE_SIZE);
/** Retries allowed in the fault matrix (provider config `maxRetries`). */
export const MAX_RETRIES = 2;
/** The cap on one retry delay the suite's clients run with (retry.maxDelayMs). */
export const MAX_DELAY_MS = 5_000;

/** One of the two data functions, as each face names it. */
export interface Fn {
  name: "getRestorableInstances" | "getRestoreTimeIntervals";
  token: string;
  /** The emulator route it requests. */
  route: "restorable-instances" | "restorable-time-interval";
  /** The result field holding the records. */
  list: "instances" | "intervals";
  /** The CLI command. */
  cli: "instances" | "time-intervals";
}

export const FNS: readonly Fn[] = [
  {
    name: "getRestorableInstances",
    token: TOKENS.getRestorableInstances,
    route: "restorable-instances",
    list: "instances",
    cli: "instances",
  },
  {
    name: "getRestoreTimeIntervals",
    token: TOKENS.getRestoreTimeIntervals,
    route: "restorable-time-interval",
    list: "intervals",
    cli: "time-intervals",
  },
];

// ---------------------------------------------------------------------------------------
// Tally and the closing line

export interface Counter {
  ok: number;
  total: number;
  failed: string[];
}

function counter(): Counter {
  return { ok: 0, total: 0, failed: [] };
}

/** What the closing line reports. */
export const tally = { faults: counter(), inputs: counter(), leaks: [] as string[] };

/** Run one counted case: it counts as survived/refused only when `body` resolves. */
export async function countCase(c: Counter, name: string, body: () => Promise<void>): Promise<void> {
  c.total++;
  try {
    await body();
    c.ok++;
  } catch (e) {
    c.failed.push(`${name}: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`);
    throw e;
  }
}

/** `faults survived X/Y, bad inputs refused X/Y, secret leaks N`. */
export function summaryLine(): string {
  const f = tally.faults;
  const i = tally.inputs;
  return `faults survived ${f.ok}/${f.total}, bad inputs refused ${i.ok}/${i.total}, secret leaks ${tally.leaks.length}`;
}

// ---------------------------------------------------------------------------------------
// Hard bounds

/** `p`, or a rejection saying it hung when it has not settled within `ms`. */
export async function bounded<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms (hang)`)), ms);
  });
  try {
    return await Promise.race([p, hung]);
  } finally {
    clearTimeout(timer);
  }
}

// ---------------------------------------------------------------------------------------
// Secret scanning

const PATTERNS: { label: string; re: RegExp }[] = [
  // Tokens the emulator's IAM issues (password auth): never known to the test in advance.
  { label: "an IAM-issued token", re: /hwddm-emulator-issued-[0-9a-f]{8,}/ },
  { label: "an Authorization signature", re: /Signature=(?!\[REDACTED\])[0-9a-fA-F]{8,}/ },
  // SDK-HMAC-SHA256 signatures are 64 hex digits; nothing else we print is that shape.
  { label: "a signature-shaped 64-hex value", re: /(?<![0-9a-fA-F])[0-9a-fA-F]{64}(?![0-9a-fA-F])/ },
];

/** Looks for every registered secret and every credential-shaped value in a text. */
export class SecretScanner {
  private readonly secrets = new Map<string, string>();
  private readonly offsets = new Map<string, number>();
  /** Texts scanned so far. */
  scanned = 0;

  /** Remember a secret value under a label (values shorter than 4 characters are ignored). */
  add(label: string, value: string | undefined): void {
    if (typeof value === "string" && value.length >= 4) this.secrets.set(value, label);
  }

  /** Every secret of the emulator's credentials. */
  addCredentials(c: EmulatorCredentials): void {
    this.add("the IAM token", c.token);
    this.add("the secret key", c.secretKey);
    this.add("the security token", c.securityToken);
    this.add("the password", c.password);
  }

  /** Scan one text; every hit is recorded in the tally and returned. */
  scan(where: string, text: string): string[] {
    this.scanned++;
    const hits: string[] = [];
    for (const [value, label] of this.secrets) if (text.includes(value)) hits.push(`${where}: ${label}`);
    for (const p of PATTERNS) if (p.re.test(text)) hits.push(`${where}: ${p.label}`);
    tally.leaks.push(...hits);
    return hits;
  }

  /** Scan what a growing text (a log, a process's stderr) gained since the last call for `where`. */
  scanNew(where: string, text: string | string[]): string[] {
    const whole = Array.isArray(text) ? text.join("\n") : text;
    const from = this.offsets.get(where) ?? 0;
    this.offsets.set(where, whole.length);
    return whole.length > from ? this.scan(where, whole.slice(from)) : [];
  }
}

// ---------------------------------------------------------------------------------------
// Outcomes

/** A failure as every face reports it, reduced to what the cases compare. */
export interface Failure {
  /** `validation`, `configuration`, `api`, `network`, `response`, `cancelled`, or `crash` (anything untyped). */
  kind: string;
  message: string;
  status?: number;
  errorCode?: string;
  requestId?: string;
  /** The properties named by a ValidationError / invoke failures. */
  properties: string[];
  /** Every text the failure shows anywhere (message, JSON, stack, stderr), for the scanner. */
  text: string;
}

export type Outcome =
  { ok: true; result: Record<string, unknown>; text: string } | { ok: false; error: Failure };

function failureOfError(e: unknown): Failure {
  if (HwddmError.isInstance(e)) {
    const j = e.toJSON();
    const cause = (e as { cause?: unknown }).cause;
    return {
      kind: e.kind,
      message: e.message,
      status: typeof j.status === "number" ? j.status : undefined,
      errorCode: typeof j.errorCode === "string" ? j.errorCode : undefined,
      requestId: typeof j.requestId === "string" ? j.requestId : undefined,
      properties: ValidationError.isInstance(e) ? e.failures.map((f) => f.property) : [],
      text: [
        e.message,
        JSON.stringify(e),
        String(e),
        e.stack ?? "",
        cause instanceof Error ? cause.message : "",
      ].join("\n"),
    };
  }
  const err = e instanceof Error ? e : new Error(String(e));
  return { kind: "crash", message: err.message, properties: [], text: `${err.message}\n${err.stack ?? ""}` };
}

/** The typed facts a plugin/CLI error message carries (the core writes them). */
function factsOfMessage(message: string): Pick<Failure, "kind" | "status" | "errorCode" | "requestId"> {
  const status = /failed with HTTP (\d{3})/.exec(message);
  const network = /failed: network error ([A-Z0-9_]+)/.exec(message);
  const code = /error_code ([^,\s]+)/.exec(message);
  const rid = /request id ([0-9A-Za-z-]+)/.exec(message);
  const kind = status
    ? "api"
    : network
      ? "network"
      : /^malformed DDM API response/.test(message)
        ? "response"
        : "unknown";
  return {
    kind,
    status: status ? Number(status[1]) : network ? 0 : undefined,
    errorCode: network ? network[1] : code ? code[1] : undefined,
    requestId: rid ? rid[1] : undefined,
  };
}

// gRPC status codes (numbers, so that this module does not load grpc-js just for them).
const GRPC_CANCELLED = 1;
const GRPC_UNKNOWN = 2;
const GRPC_INVALID_ARGUMENT = 3;
const GRPC_FAILED_PRECONDITION = 9;

function failureOfGrpc(e: unknown): Failure {
  const se = e as Partial<grpc.ServiceError>;
  const details = se.details ?? (e instanceof Error ? e.message : String(e));
  const text = `${details}\n${e instanceof Error ? e.message : ""}`;
  switch (se.code as number | undefined) {
    case GRPC_INVALID_ARGUMENT:
      return { kind: "validation", message: details, properties: [], text };
    case GRPC_FAILED_PRECONDITION:
      return { kind: "configuration", message: details, properties: [], text };
    case GRPC_CANCELLED:
      return { kind: "cancelled", message: details, properties: [], text };
    case GRPC_UNKNOWN: {
      const facts = factsOfMessage(details);
      return {
        ...facts,
        kind: facts.kind === "unknown" ? "crash" : facts.kind,
        message: details,
        properties: [],
        text,
      };
    }
    default:
      // INTERNAL (an untyped error in the provider) and anything else: a crash.
      return { kind: "crash", message: `gRPC ${String(se.code)}: ${details}`, properties: [], text };
  }
}

// ---------------------------------------------------------------------------------------
// Faces

export interface Face {
  readonly name: string;
  /** Call `fn` with `args` under `config` (provider config: endpoint, credentials, maxRetries, ...). */
  call(fn: Fn, args: Record<string, unknown>, config: ProviderConfigInput): Promise<Outcome>;
  close(): Promise<void>;
}

/** The core's function registry, in-process: `invoke(token, args, ctx)`. */
export function coreFace(overrides: ClientOverrides): Face {
  return {
    name: "core",
    async call(fn, args, config) {
      try {
        const result = await invoke(fn.token, args, { providerConfig: config, env: {}, overrides });
        return { ok: true, result, text: JSON.stringify(result) };
      } catch (e) {
        return { ok: false, error: failureOfError(e) };
      }
    },
    close: async () => undefined,
  };
}

/** A face over a gRPC ProviderClient: CheckConfig + Configure when the config changes, then Invoke. */
function grpcFace(name: string, client: ProviderClient, close: () => Promise<void>): Face {
  let configured: string | undefined;
  return {
    name,
    async call(fn, args, config) {
      const key = JSON.stringify(config);
      if (key !== configured) {
        const checked = await client.checkConfig(config as PlainObject);
        if (checked.failures.length > 0)
          throw new Error(`CheckConfig refused the test config: ${JSON.stringify(checked.failures)}`);
        await client.configure({ args: checked.inputs });
        configured = key;
      }
      try {
        const r = await client.invoke(fn.token, args);
        if (r.failures.length > 0) {
          const message = r.failures.map((f) => `${f.property}: ${f.reason}`).join("; ");
          return {
            ok: false,
            error: {
              kind: "validation",
              message,
              properties: r.failures.map((f) => f.property),
              text: `${message}\n${JSON.stringify(r.failures)}`,
            },
          };
        }
        const result = r.result ?? {};
        return { ok: true, result, text: JSON.stringify(result) };
      } catch (e) {
        return { ok: false, error: failureOfGrpc(e) };
      }
    },
    close,
  };
}

/** The plugin's gRPC server started in this process (so it takes test overrides and nock sees its HTTP). */
export async function pluginFace(overrides: ClientOverrides, log: (line: string) => void): Promise<Face> {
  const server = await startProviderServer({ env: {}, overrides, log });
  const client = new ProviderClient(`127.0.0.1:${server.port}`);
  return grpcFace("plugin", client, async () => {
    client.close();
    await server.shutdown(1000);
  });
}

/** The plugin executable (bin/pulumi-resource-hwddm) with verbose logging to stderr; real retry timings. */
export async function pluginProcessFace(): Promise<Face & { process: PluginProcess }> {
  const p = await spawnPlugin({ env: {}, args: ["127.0.0.1:1", "-v=9", "--logtostderr"] });
  return { ...grpcFace("plugin-process", p.client, () => p.close()), process: p };
}

/** A text sink for the CLI's streams. */
export class TextBuffer implements CliStream {
  text = "";
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

/** The CLI flag of each function argument. */
export const FLAG_OF: Record<string, string> = {
  instanceId: "--instance-id",
  projectId: "--project-id",
  region: "--region",
  endpoint: "--endpoint",
  offset: "--offset",
  limit: "--limit",
};

/** Provider config as the environment the CLI reads (credentials come only from there). */
export function envOfConfig(config: ProviderConfigInput): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(config)) {
    if (v !== undefined) env[ENV_NAMES[k as keyof ProviderConfigInput][0]] = String(v);
  }
  return env;
}

/** `hwddm <command> --json --debug` through `cli/main.ts run()`, in-process. */
export function cliFace(overrides: ClientOverrides): Face {
  return {
    name: "cli",
    async call(fn, args, config) {
      const argv: string[] = [fn.cli];
      for (const [k, v] of Object.entries(args)) {
        const flag = FLAG_OF[k];
        if (!flag) throw new Error(`the CLI face cannot pass argument ${k}`);
        // `--flag=value`, so that a value starting with "-" is never read as a flag.
        if (v !== undefined) argv.push(`${flag}=${v as string}`);
      }
      argv.push("--json", "--debug");
      const stdout = new TextBuffer();
      const stderr = new TextBuffer();
      const code = await runCli(argv, { stdout, stderr, env: envOfConfig(config), overrides });
      const text = `${stdout.text}\n${stderr.text}`;
      if (code === 0) return { ok: true, result: JSON.parse(stdout.text) as Record<string, unknown>, text };
      return { ok: false, error: failureOfCli(code, stderr.text, text) };
    },
    close: async () => undefined,
  };
}

/** Read a CLI failure back from its exit code and `--debug` details. */
export function failureOfCli(code: number, stderr: string, text: string): Failure {
  const first = stderr.split("\n")[0].replace(/^hwddm: /, "");
  const kind = /^\s*kind: (\w+) \(/m.exec(stderr)?.[1];
  const facts = factsOfMessage(first);
  const failures = /^\s*failures: (\[.*\])$/m.exec(stderr)?.[1];
  let properties: string[] = [];
  if (failures) {
    try {
      properties = (JSON.parse(failures) as { property: string }[]).map((f) => f.property);
    } catch {
      properties = [];
    }
  }
  const byExit: Record<number, string> = { 1: "selection", 2: "validation", 3: facts.kind, 4: "crash" };
  return {
    ...facts,
    kind: kind ?? byExit[code] ?? `exit ${code}`,
    message: first,
    properties,
    text,
  };
}

// ---------------------------------------------------------------------------------------
// The shared emulator and what a case reads from it

export interface SuiteEmulator {
  em: Emulator;
  /** The emulator's own verbose log. */
  log: string[];
}

export async function startSuiteEmulator(): Promise<SuiteEmulator> {
  const log: string[] = [];
  const em = await startEmulator({
    data: generateFixture({ instances: RECORDS, windows: RECORDS }),
    log: (line) => log.push(line),
  });
  return { em, log };
}

/** Set the faults of one case, with fresh counters. */
export function arm(em: Emulator, faults: FaultSpec[]): void {
  em.setFaults(faults);
  em.resetStats();
}

/** Requests the emulator received on one route since the last `arm`. */
export function requestsTo(em: Emulator, route: RequestRoute): number {
  return em.stats().byRoute[route];
}

/** The request id of the last request to `route`. */
export function lastRequestId(em: Emulator, route: RequestRoute): string | undefined {
  return em
    .stats()
    .lastRequests.filter((r) => r.route === route)
    .pop()?.id;
}

/** Overrides that make retries instant and record every delay the client asks for. */
export interface Recorder {
  overrides: ClientOverrides;
  /** Delays asked for since the last `clear`. */
  sleeps: number[];
  /** ClientOverrides.log lines (never cleared: scanned incrementally). */
  log: string[];
  clear(): void;
}

export function recorder(): Recorder {
  const r: Recorder = {
    sleeps: [],
    log: [],
    overrides: {},
    clear: () => {
      r.sleeps.length = 0;
    },
  };
  r.overrides = {
    // A base delay of 1 ms keeps backoff near zero; the cap stays high so that a Retry-After is
    // asked for as sent (the recording sleep returns at once, so nothing really waits).
    retry: { baseDelayMs: 1, maxDelayMs: MAX_DELAY_MS },
    sleep: async (ms: number) => {
      r.sleeps.push(ms);
    },
    log: (line: string) => r.log.push(line),
  };
  return r;
}

// ---------------------------------------------------------------------------------------
// A scripted loopback server, for answers neither the emulator nor nock can give the plugin
// executable (nock only intercepts in-process): hostile bodies, drips, mid-body resets.

/** Answers one request. */
export type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export interface ScriptedServer {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** Requests received since the last `script`. */
  readonly requests: number;
  /** Answer the next requests with `first`, one handler each, then every later one with `rest`. */
  script(first: Handler[], rest: Handler): void;
  close(): Promise<void>;
}

export async function startScriptedServer(): Promise<ScriptedServer> {
  let queue: Handler[] = [];
  let rest: Handler = (_req, res) => {
    res.writeHead(500);
    res.end();
  };
  let requests = 0;
  const server = http.createServer((req, res) => {
    requests++;
    (queue.shift() ?? rest)(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    get requests() {
      return requests;
    },
    script(first, then) {
      queue = [...first];
      rest = then;
      requests = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Reply with a fixed status, body and headers. */
export function fixedReply(status: number, body: string | Buffer, headers: Record<string, string>): Handler {
  return (_req, res) => {
    res.writeHead(status, { ...headers, "Content-Length": String(Buffer.byteLength(body)) });
    res.end(body);
  };
}
