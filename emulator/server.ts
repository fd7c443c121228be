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
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { ValidationError, redactSecrets, registerSecret } from "../provider/errors";
import { DEFAULT_MAX_SKEW_MS } from "../provider/signer";
import { EMULATOR_ERRORS, HttpFailure, JSON_TYPE } from "./http-errors";
import { FaultPlan } from "./fault-plan";
import { DEFAULT_JOB_DURATION_MS, JobTable } from "./jobs";
import { RestoreContext, isRestoreRoute, restoreAnswer } from "./restore";
import { Fixture, defaultFixture, parseFixture } from "./fixture";
import { IssuedToken, authenticate, emulatorCredentials } from "./auth";
import { TOO_LARGE, declaredTooLarge, readBody } from "./body";
import { ddmAnswer } from "./data";
import { applyTerminal } from "./fault-answers";
import { issueToken, listProjects } from "./iam";
import { sendFailure, sendJson } from "./respond";
import { newRequestId, routeOf } from "./routing";
import { countFaults, countRequest, emptyStats } from "./stats";
import { Emulator, EmulatorOptions, RequestRecord } from "./types";

export { emulatorCredentials } from "./auth";
export { EMULATOR_ERRORS };

const DEFAULT_TOKEN_LIFETIME_SECONDS = 24 * 3600;
const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

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

function registerFixtureSecrets(f: Fixture): void {
  const c = f.credentials;
  for (const v of [c.token, c.secretKey, c.securityToken, c.password]) registerSecret(v);
}

function tooLarge(res: http.ServerResponse, requestId: string, iam: boolean): void {
  const e = EMULATOR_ERRORS.tooLarge;
  res.setHeader("Connection", "close");
  sendFailure(res, new HttpFailure(413, e.code, e.msg), requestId, iam);
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
  registerFixtureSecrets(fixture);

  /** A latency fault's wait; close() ends every one at once. */
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

  const logLine = (r: RequestRecord): void => {
    if (!verbose) return;
    const faults = r.faults.length > 0 ? ` faults=${r.faults.join(",")}` : "";
    const status = r.status === 0 ? "---" : String(r.status);
    log(
      redactSecrets(
        `${new Date(now()).toISOString()} ${r.method} ${r.path} ${status} ${r.ms}ms auth=${r.auth} id=${r.id}${faults}`,
      ),
    );
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const requestId = newRequestId();
    const method = (req.method ?? "GET").toUpperCase();
    const rawUrl = req.url ?? "/";
    const q = rawUrl.indexOf("?");
    const rawPath = q < 0 ? rawUrl : rawUrl.slice(0, q);
    const rawQuery = q < 0 ? "" : rawUrl.slice(q + 1);
    const routed = routeOf(method, rawPath);
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
    // The counters of this request's arrival, even when resetStats() runs before it ends.
    const s = stats;
    const finish = countRequest(s, record, lastLimit, logLine);
    res.on("finish", () => finish(res.statusCode));
    res.on("close", () => finish(res.writableFinished ? res.statusCode : 0));
    res.setHeader("X-Request-Id", requestId);

    if (declaredTooLarge(req, maxBodyBytes)) {
      tooLarge(res, requestId, iam);
      req.resume();
      return;
    }
    let body: Buffer;
    try {
      body = await readBody(req, maxBodyBytes);
    } catch (e) {
      if (e === TOO_LARGE && !res.headersSent && !res.destroyed) tooLarge(res, requestId, iam);
      return;
    }

    if (routed.route === "other") {
      const e = routed.allow ? EMULATOR_ERRORS.methodNotAllowed : EMULATOR_ERRORS.apiNotFound;
      const headers: Record<string, string> = routed.allow ? { Allow: routed.allow } : {};
      sendFailure(res, new HttpFailure(e.status, e.code, e.msg, headers), requestId, false);
      return;
    }
    const route = routed.route;

    const decision = plan.decide(route);
    record.faults = decision.applied;
    countFaults(s, decision.applied);
    if (decision.delayMs > 0) await sleep(decision.delayMs);
    if (closed || res.destroyed) return;
    if (applyTerminal(decision, route, res, requestId)) return;

    try {
      if (route === "iam-token") {
        const answer = issueToken(fixture, issued, now(), tokenLifetimeMs, body, rawQuery);
        s.tokensIssued++;
        sendJson(res, 201, answer.body, { "X-Subject-Token": answer.subjectToken });
        return;
      }
      try {
        const request = { req, rawPath, rawQuery, body, pathProjectId: routed.projectId };
        record.auth = authenticate(request, fixture.credentials, issued, now, maxSkewMs);
      } catch (e) {
        record.auth = "refused";
        s.authFailures++;
        throw e;
      }
      s.byAuth[record.auth]++;
      if (route === "iam-projects") sendJson(res, 200, listProjects(fixture, baseUrl, rawQuery));
      else if (isRestoreRoute(route)) {
        const path = { ...routed, route, allow: "", projectId: routed.projectId as string };
        const reply = restoreAnswer(restoreContext, path, rawQuery, body, decision);
        // lost-answer: the request was processed (a job created and counted); drop the answer.
        if (decision.lostAnswer) res.socket?.destroy();
        else sendJson(res, reply.status, reply.body);
      } else sendJson(res, 200, ddmAnswer(fixture, routed, rawQuery, decision.shrinkBy));
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
