/**
 * Reliability: every fault the emulator can serve x both functions on the core, hostile
 * response bodies, answers only a real server gives (drips, mid-body drops, oversized headers,
 * redirects), bad inputs refused before any request, and a secret-leak sweep over every auth
 * mode and every output (errors, error JSON, results, ClientOverrides.log, the plugin's log and
 * stderr, the emulator's log, CLI stdout/stderr). Every case has a hard bound (mocha timeout and
 * a Promise.race bound).
 *
 * The full fault x function table runs on the core, where every behaviour lives (retries,
 * paging, decoding, validation, redaction). The faces are thin, so each other face gets one
 * contract test per fault class (`cells` below): it proves the face carries the core's outcome
 * through unchanged (typed facts, request counts, warnings, no secret) without re-testing the
 * core's behaviour through it case by case.
 *
 * Faces:
 * - `core`: `invoke(token, args, ctx)` in-process, with instant recorded retry sleeps.
 * - `plugin`: the plugin's gRPC server (`startProviderServer`) in this process, driven over
 *   TCP by the shared `ProviderClient`; the same overrides, and nock sees its HTTP.
 * - `plugin-process`: `bin/pulumi-resource-hwddm` spawned with `-v=9` (real retry timings,
 *   its own secret registry: nothing in this process redacts for it). Hostile bodies reach it
 *   from a scripted loopback server (nock cannot reach another process).
 * - `cli`: `cli/main.ts run()` with `--json --debug`; `cli-process`: `bin/hwddm` spawned.
 *
 * In-process, the emulator registers its own credentials with `registerSecret`, so the
 * in-process faces are partly shielded by that; the executables, the wrong-credential cases
 * and the URL password are the leak checks with nothing in this process helping them.
 *
 * Ends with one line: `faults survived X/Y, bad inputs refused X/Y, secret leaks N`; the
 * closing hook fails when X < Y or N > 0.
 */
import { expect } from "chai";
import nock from "nock";
import { EmulatorAuthMode, FaultSpec, emulatorConfig } from "../../emulator";
import type { ProviderConfigInput } from "../../provider/types";
import { runHwddm } from "../cli/helpers";
import {
  BadInput,
  HOSTILE,
  MOVING,
  PERMANENT,
  PermanentCase,
  RAW,
  TRANSIENT,
  URL_PASSWORD,
  badInputs,
  pageBody,
  record,
} from "./cases";
import {
  FLAG_OF,
  FNS,
  Face,
  Fn,
  MAX_RETRIES,
  Outcome,
  PAGES,
  PAGE_SIZE,
  RECORDS,
  Recorder,
  SOURCE,
  ScriptedServer,
  SecretScanner,
  SuiteEmulator,
  arm,
  bounded,
  cliFace,
  coreFace,
  countCase,
  envOfConfig,
  failureOfCli,
  fixedReply,
  lastRequestId,
  pluginFace,
  pluginProcessFace,
  recorder,
  requestsTo,
  startScriptedServer,
  startSuiteEmulator,
  summaryLine,
  tally,
} from "./harness";

/** Mocha timeout of a case that answers at once, and of one that waits out a 1 s request timeout. */
const FAST_MS = 6_000;
const SLOW_MS = 10_000;
/**
 * Per-attempt timeouts, seconds. A case that needs one to fire (`slow`: a stalled server, a
 * drip) runs with 1 s, and its later answers must come within that: a generous bound for a
 * loopback answer even with both cores busy. Every other case runs with 20 s, which no answer
 * under load reaches, so that load can never add a retry to a count a case asserts.
 */
const SLOW_TIMEOUT_S = 1;
const QUIET_TIMEOUT_S = 20;
const timeoutOf = (c: { slow?: boolean }) => (c.slow ? { requestTimeout: SLOW_TIMEOUT_S } : {});

/** The Promise.race bound inside a case: below the mocha timeout, so a hang is named as one. */
const boundOf = (timeoutMs: number) => timeoutMs - 1_000;
/** The backoff a permanent fault may cost in all before its typed error (the deadline a user would feel). */
const PERMANENT_DEADLINE_MS = 3_000;

/** A loopback address nothing listens on; nock answers for it in the hostile-body cases. */
const NOCK_URL = "http://127.0.0.1:9";

const WRONG = {
  token: "wrong-token-0123456789abcdefWRONG",
  secretKey: "wrong-secret-key-0123456789WRONG",
  password: "wrong-password-0123456789WRONG",
};

/**
 * The (function, case) cells a face runs for one fault class: on the core every case on both
 * functions; on any other face one contract test, case `pick.c` on function `pick.fn`.
 */
function cells<T>(face: string, cases: readonly T[], pick: { c: number; fn: number } = { c: 0, fn: 0 }) {
  if (face === "core") return FNS.flatMap((fn) => cases.map((c) => ({ fn, c })));
  return [{ fn: FNS[pick.fn], c: cases[pick.c] }];
}

/** The functions a face runs a case on: both on the core, one elsewhere. */
const fnsOf = (face: string, pick = 0): readonly Fn[] => (face === "core" ? FNS : [FNS[pick]]);

function describeOutcome(out: Outcome): string {
  return out.ok ? `ok: ${out.text.slice(0, 300)}` : `${out.error.kind}: ${out.error.message.slice(0, 600)}`;
}

describe("reliability: faults, hostile responses, bad inputs and secret leaks", function () {
  this.timeout(20_000);

  let suite: SuiteEmulator;
  let scripted: ScriptedServer;
  const scanner = new SecretScanner();
  const recorders: Record<string, Recorder> = { core: recorder(), plugin: recorder(), cli: recorder() };
  const pluginLog: string[] = [];
  const faces: Record<string, Face> = {};
  let processStderr: () => string = () => "";
  let processStdout: () => string = () => "";

  const em = () => suite.em;

  /** Provider config for one auth mode against the suite's emulator. */
  const config = (
    mode: EmulatorAuthMode = "token",
    extra: Partial<ProviderConfigInput> = {},
  ): ProviderConfigInput => ({
    ...emulatorConfig(em(), mode, { securityToken: true }),
    maxRetries: MAX_RETRIES,
    requestTimeout: QUIET_TIMEOUT_S,
    ...extra,
  });

  /** Scan every log for what it gained: core/plugin/CLI override logs, the plugin's own log, its stderr, the emulator's. */
  const scanLogs = (): string[] => [
    ...Object.entries(recorders).flatMap(([name, r]) =>
      scanner.scanNew(`${name} ClientOverrides.log`, r.log),
    ),
    ...scanner.scanNew("plugin log", pluginLog),
    ...scanner.scanNew("plugin-process stderr", processStderr()),
    ...scanner.scanNew("plugin-process stdout", processStdout()),
    ...scanner.scanNew("emulator log", suite.log),
  ];

  /** Run one call on a face, bounded, and scan everything it returned. */
  const call = async (
    face: string,
    fn: Fn,
    args: Record<string, unknown>,
    cfg: ProviderConfigInput,
    boundMs: number,
  ): Promise<Outcome> => {
    const where = `[${face}] ${fn.name} (${currentTitle})`;
    const out = await bounded(faces[face].call(fn, args, cfg), boundMs, where);
    if (out.ok) scanner.scan(`${where} result`, out.text);
    else scanner.scan(`${where} error`, out.error.text);
    return out;
  };

  before(async function () {
    this.timeout(30_000);
    suite = await startSuiteEmulator();
    scripted = await startScriptedServer();
    scanner.addCredentials(em().credentials);
    scanner.add("a password inside an endpoint URL", URL_PASSWORD);
    scanner.add("a wrong IAM token", WRONG.token);
    scanner.add("a wrong secret key", WRONG.secretKey);
    scanner.add("a wrong password", WRONG.password);
    faces.core = coreFace(recorders.core.overrides);
    faces.plugin = await pluginFace(recorders.plugin.overrides, (line) => pluginLog.push(line));
    faces.cli = cliFace(recorders.cli.overrides);
    const proc = await pluginProcessFace();
    faces["plugin-process"] = proc;
    processStderr = () => proc.process.stderr();
    processStdout = () => proc.process.stdout();
  });

  /** The running test's title, for naming where a leak was found. */
  let currentTitle = "";
  beforeEach(function () {
    currentTitle = this.currentTest?.title ?? "";
  });

  afterEach(() => {
    suite?.em.setFaults([]);
  });

  after(async function () {
    this.timeout(30_000);
    for (const face of Object.values(faces)) await face.close().catch(() => undefined);
    if (suite) {
      scanLogs();
      await suite.em.close();
    }
    if (scripted) await scripted.close();
    const line = summaryLine();
    console.log(line);
    const { faults, inputs, leaks } = tally;
    if (faults.ok < faults.total || inputs.ok < inputs.total || leaks.length > 0) {
      throw new Error([line, ...faults.failed, ...inputs.failed, ...leaks].join("\n"));
    }
  });

  // -------------------------------------------------------------------------------------
  // Transient faults

  /** Assert a full, clean result after a transient fault. */
  const expectRecovered = (out: Outcome, fn: Fn) => {
    expect(out.ok, describeOutcome(out)).to.equal(true);
    if (!out.ok) return;
    expect(out.result.total).to.equal(RECORDS);
    expect(out.result[fn.list]).to.have.length(RECORDS);
    expect(out.result.warnings).to.deep.equal([]);
  };

  describe("transient faults are recovered within the retry budget", () => {
    for (const face of ["core", "plugin"]) {
      // The plugin's contract test: a 429 whose Retry-After must reach the core's sleep.
      for (const { fn, c } of cells(face, TRANSIENT, {
        c: TRANSIENT.findIndex((x) => x.retryAfterMs),
        fn: 1,
      })) {
        const title = `[${face}] ${fn.name} recovers from ${c.name} in ${PAGES + c.extra} requests`;
        it(title, async function () {
          const timeout = c.slow ? SLOW_MS : FAST_MS;
          this.timeout(timeout);
          await countCase(tally.faults, title, async () => {
            const rec = recorders[face];
            arm(em(), c.faults(fn.route));
            rec.clear();
            const out = await call(
              face,
              fn,
              { instanceId: SOURCE },
              config("token", timeoutOf(c)),
              boundOf(timeout),
            );
            expectRecovered(out, fn);
            expect(requestsTo(em(), fn.route)).to.equal(PAGES + c.extra);
            if (c.retryAfterMs !== undefined) expect(rec.sleeps).to.include(c.retryAfterMs);
          });
        });
      }
    }
  });

  // -------------------------------------------------------------------------------------
  // Permanent faults

  /** Assert the typed error of a permanent fault (request id checked against the emulator's). */
  const expectTyped = (
    out: Outcome,
    fn: Fn,
    c: Pick<PermanentCase, "kind" | "status" | "errorCode" | "message">,
  ) => {
    expect(out.ok, describeOutcome(out)).to.equal(false);
    if (out.ok) return;
    const e = out.error;
    expect(e.kind, e.message).to.equal(c.kind);
    if (c.status !== undefined) expect(e.status, e.message).to.equal(c.status);
    if (c.errorCode !== undefined) expect(e.errorCode ?? "", e.message).to.equal(c.errorCode);
    if (c.kind === "api") expect(e.requestId, e.message).to.equal(lastRequestId(em(), fn.route));
    if (c.message) expect(e.message).to.match(c.message);
  };

  describe("permanent faults become the right typed error within the deadline", () => {
    for (const face of ["core", "plugin"]) {
      // The plugin's contract test: a 404 keeps its status, error_code and request id over gRPC.
      for (const { fn, c } of cells(face, PERMANENT, {
        c: PERMANENT.findIndex((x) => x.status === 404),
        fn: 0,
      })) {
        const what =
          c.kind === "api" ? `ApiError ${c.status} ${c.errorCode || "(no code)"}` : `a ${c.kind} error`;
        const title = `[${face}] ${fn.name} turns ${c.name} into ${what} after ${c.requests} request(s)`;
        it(title, async function () {
          const timeout = c.slow ? SLOW_MS : FAST_MS;
          this.timeout(timeout);
          await countCase(tally.faults, title, async () => {
            const rec = recorders[face];
            arm(em(), c.faults(fn.route));
            rec.clear();
            const out = await call(
              face,
              fn,
              { instanceId: SOURCE },
              config("token", { ...c.config, ...timeoutOf(c) }),
              boundOf(timeout),
            );
            expectTyped(out, fn, c);
            expect(requestsTo(em(), fn.route)).to.equal(c.requests);
            // The waiting the client asked for (on its injected sleep), not the wall clock.
            const waited = rec.sleeps.reduce((a, b) => a + b, 0);
            expect(waited, "backoff asked for").to.be.below(PERMANENT_DEADLINE_MS);
          });
        });
      }
    }
  });

  // -------------------------------------------------------------------------------------
  // Hostile responses

  describe("hostile responses give a response error (or a warning), never a crash", () => {
    describe("lists that move between pages (emulator)", () => {
      // Off the core: a list that moved in both walks (the warning must cross the face).
      for (const face of ["core", "plugin", "plugin-process"]) {
        for (const { fn, c } of cells(face, MOVING, { c: 1, fn: face === "plugin" ? 0 : 1 })) {
          const title = `[${face}] ${fn.name}: ${c.name}`;
          it(title, async function () {
            this.timeout(FAST_MS);
            await countCase(tally.faults, title, async () => {
              arm(em(), c.faults(fn.route));
              const out = await call(face, fn, { instanceId: SOURCE }, config(), boundOf(FAST_MS));
              expect(out.ok, describeOutcome(out)).to.equal(true);
              if (!out.ok) return;
              const list = out.result[fn.list] as Record<string, unknown>[];
              const keys = list.map((r) =>
                fn.list === "instances" ? r.instanceId : `${r.startTime as string}/${r.endTime as string}`,
              );
              expect(new Set(keys).size, "duplicates").to.equal(keys.length);
              const warnings = out.result.warnings as string[];
              if (c.warns) {
                expect(warnings).to.have.length(1);
                expect(warnings[0]).to.match(/changed while it was being paged/);
              } else {
                expect(warnings).to.deep.equal([]);
                expect(list).to.have.length(c.records!);
              }
              // Two walks of at most three pages: the first stopped at the page that showed the
              // list moving (a page already in flight may or may not have reached the server
              // before it was aborted) and was re-run once.
              expect(requestsTo(em(), fn.route)).to.be.within(PAGES + 1, 2 * PAGES);
            });
          });
        }
      }
    });

    describe("emulator-served hostile bodies through the plugin executable", () => {
      // One contract test: a body cut short is a response error from the executable too.
      const served = PERMANENT.filter((c) => c.kind === "response");
      for (const fn of FNS.slice(1)) {
        for (const c of served) {
          const title = `[plugin-process] ${fn.name} turns ${c.name} into a ${c.kind} error`;
          it(title, async function () {
            this.timeout(SLOW_MS);
            await countCase(tally.faults, title, async () => {
              arm(em(), c.faults(fn.route));
              const out = await call(
                "plugin-process",
                fn,
                { instanceId: SOURCE },
                config("token", { maxRetries: 0 }),
                boundOf(SLOW_MS),
              );
              expectTyped(out, fn, c);
            });
          });
        }
      }
    });

    describe("bodies the emulator cannot serve (nock, in-process faces)", () => {
      afterEach(() => {
        nock.cleanAll();
      });

      const pathOf = (fn: Fn) => `/v3/${em().credentials.projectId}/instances/${SOURCE}/backups/${fn.route}`;

      for (const face of ["core", "plugin"]) {
        for (const { fn, c } of cells(face, HOSTILE, { c: 0, fn: 1 })) {
          const title = `[${face}] ${fn.name}: ${c.name} is a response error naming ${c.field(fn)}`;
          it(title, async function () {
            this.timeout(FAST_MS);
            await countCase(tally.faults, title, async () => {
              const r = c.reply(fn);
              const scope = nock(NOCK_URL)
                .get(pathOf(fn))
                .query({ offset: "0", limit: String(PAGE_SIZE) })
                .reply(r.status, r.body, r.headers);
              const out = await call(
                face,
                fn,
                { instanceId: SOURCE },
                config("token", { endpoint: NOCK_URL }),
                boundOf(FAST_MS),
              );
              expect(scope.isDone(), "the page was requested").to.equal(true);
              expect(out.ok, describeOutcome(out)).to.equal(false);
              if (out.ok) return;
              expect(out.error.kind, out.error.message).to.equal("response");
              expect(out.error.message).to.include(`: ${c.field(fn)}: `);
              if (c.detail) expect(out.error.message).to.match(c.detail);
            });
          });
        }

        for (const fn of fnsOf(face)) {
          const title = `[${face}] ${fn.name}: a total larger than the records served stops at the short page with a warning`;
          it(title, async function () {
            this.timeout(FAST_MS);
            await countCase(tally.faults, title, async () => {
              let requests = 0;
              const scope = nock(NOCK_URL)
                .persist()
                .get(pathOf(fn))
                .query(true)
                .reply((uri) => {
                  requests++;
                  const offset = Number(new URL(uri, NOCK_URL).searchParams.get("offset"));
                  const items =
                    offset === 0 ? Array.from({ length: PAGE_SIZE }, (_, i) => record(fn, i)) : [];
                  return [
                    200,
                    JSON.stringify(pageBody(fn, items, 1000, offset)),
                    { "Content-Type": "application/json" },
                  ];
                });
              const out = await call(
                face,
                fn,
                { instanceId: SOURCE },
                config("token", { endpoint: NOCK_URL }),
                boundOf(FAST_MS),
              );
              expect(scope.isDone()).to.equal(true);
              expect(out.ok, describeOutcome(out)).to.equal(true);
              if (!out.ok) return;
              expect(out.result[fn.list]).to.have.length(PAGE_SIZE);
              expect(out.result.warnings).to.have.length(1);
              // Two walks, each: the first page, then at most `concurrency` (4) pages in flight.
              expect(requests).to.be.within(2, 10);
            });
          });
        }
      }
    });
  });

  // -------------------------------------------------------------------------------------
  // Answers only a real server gives (scripted loopback server; every face, the executable too)

  describe("answers only a real server gives: drips, mid-body drops, oversized headers, redirects", () => {
    // Off the core: a connection dropped half-way through a body, recovered by a retry.
    for (const face of ["core", "plugin", "plugin-process"]) {
      for (const { fn, c } of cells(face, RAW, { c: 0, fn: face === "plugin" ? 1 : 0 })) {
        const what =
          c.expect === "ok"
            ? `recovers in ${c.requests} requests`
            : `gives a ${c.expect.kind} error${c.expect.status ? ` (HTTP ${c.expect.status})` : ""} after ${c.requests} request(s)`;
        const title = `[${face}] ${fn.name}: ${c.name} ${what}`;
        it(title, async function () {
          const timeout = c.slow ? SLOW_MS : FAST_MS;
          this.timeout(timeout);
          await countCase(tally.faults, title, async () => {
            const { first, rest } = c.handlers(fn, scripted.url);
            scripted.script(first, rest);
            const cfg = config("token", { endpoint: scripted.url, ...c.config, ...timeoutOf(c) });
            const out = await call(face, fn, { instanceId: SOURCE }, cfg, boundOf(timeout));
            if (c.expect === "ok") expectRecovered(out, fn);
            else {
              expect(out.ok, describeOutcome(out)).to.equal(false);
              if (!out.ok) {
                expect(out.error.kind, out.error.message).to.equal(c.expect.kind);
                if (c.expect.status !== undefined)
                  expect(out.error.status, out.error.message).to.equal(c.expect.status);
                if (c.expect.errorCode !== undefined)
                  expect(out.error.errorCode, out.error.message).to.equal(c.expect.errorCode);
              }
            }
            expect(scripted.requests).to.equal(c.requests);
          });
        });
      }
    }

    describe("hostile bodies through the plugin executable (scripted server)", () => {
      // One contract test: a field of the wrong type is a response error naming the field.
      for (const fn of FNS.slice(0, 1)) {
        for (const c of HOSTILE.slice(0, 1)) {
          const title = `[plugin-process] ${fn.name}: ${c.name} is a response error naming ${c.field(fn)}`;
          it(title, async function () {
            this.timeout(FAST_MS);
            await countCase(tally.faults, title, async () => {
              const r = c.reply(fn);
              scripted.script([], fixedReply(r.status, r.body, r.headers));
              const cfg = config("token", { endpoint: scripted.url });
              const out = await call("plugin-process", fn, { instanceId: SOURCE }, cfg, boundOf(FAST_MS));
              expect(out.ok, describeOutcome(out)).to.equal(false);
              if (out.ok) return;
              expect(out.error.kind, out.error.message).to.equal("response");
              expect(out.error.message).to.include(`: ${c.field(fn)}: `);
              if (c.detail) expect(out.error.message).to.match(c.detail);
              expect(scripted.requests).to.equal(1);
            });
          });
        }
      }
    });
  });

  // -------------------------------------------------------------------------------------
  // Bad inputs

  describe("bad inputs are refused before any request", () => {
    const cases = (face: string): BadInput[] =>
      badInputs(SOURCE).filter(
        (c) => !(face === "cli" && c.cli === false) && !(face === "plugin-process" && c.nonLoopback),
      );

    for (const face of ["core", "plugin", "plugin-process", "cli"]) {
      // Off the core: one refused input (the first of the table) on one function.
      for (const c of face === "core" ? cases(face) : cases(face).slice(0, 1)) {
        it(`[${face}] refuses ${c.name}, naming ${c.property}, with zero requests (${face === "core" ? "both functions" : fnsOf(face)[0].name})`, async function () {
          this.timeout(FAST_MS);
          for (const fn of fnsOf(face)) {
            await countCase(tally.inputs, `[${face}] ${fn.name} ${c.name}`, async () => {
              arm(em(), []);
              const out = await call(face, fn, c.args, config(), boundOf(FAST_MS));
              expect(out.ok, describeOutcome(out)).to.equal(false);
              if (out.ok) return;
              expect(out.error.kind, out.error.message).to.equal("validation");
              if (face === "cli") {
                // The CLI names the flag (its --debug failures list names the argument).
                const named =
                  out.error.properties.includes(c.property) ||
                  out.error.message.includes(FLAG_OF[c.property]);
                expect(named, out.error.message).to.equal(true);
              } else if (out.error.properties.length > 0) {
                expect(out.error.properties).to.include(c.property);
              } else {
                expect(out.error.message).to.include(c.property);
              }
              expect(em().stats().requests, "requests that reached the emulator").to.equal(0);
            });
          }
        });
      }

      it(`[${face}] accepts limit 1e9 as "at most 1e9 records" and reads the whole list in ceil(N/128) requests`, async function () {
        this.timeout(FAST_MS);
        for (const fn of fnsOf(face, 1)) {
          arm(em(), []);
          const out = await call(face, fn, { instanceId: SOURCE, limit: 1e9 }, config(), boundOf(FAST_MS));
          expectRecovered(out, fn);
          expect(requestsTo(em(), fn.route)).to.equal(PAGES);
        }
      });
    }
  });

  // -------------------------------------------------------------------------------------
  // Secret leaks

  describe("secret leaks: every failing case in every auth mode, every output searched", () => {
    interface LeakCase {
      name: string;
      faults: (route: Fn["route"]) => FaultSpec[];
      /** `ok` or the typed error expected. */
      expect: "ok" | Pick<PermanentCase, "kind" | "status">;
      /** Also through the plugin executable (real backoff: the slower cases stay in-process). */
      process: boolean;
    }
    const permanent: LeakCase[] = PERMANENT.filter((c) => !c.slow).map((c) => ({
      name: c.name,
      faults: c.faults,
      expect: { kind: c.kind, status: c.status },
      process: c.requests === 1 || /503|reset|HTML/.test(c.name),
    }));
    const leakCases: LeakCase[] = [
      ...permanent,
      {
        name: "HTTP 503 once (recovered)",
        faults: (route) => [{ kind: "status", status: 503, times: 1, route }],
        expect: "ok",
        process: true,
      },
      {
        name: "HTTP 429 with Retry-After: 0 once (recovered)",
        faults: (route) => [{ kind: "status", status: 429, retryAfterSeconds: 0, times: 1, route }],
        expect: "ok",
        process: true,
      },
    ];
    const modes: EmulatorAuthMode[] = ["token", "aksk", "password"];
    const leakFaces = ["core", "plugin", "plugin-process", "cli"];
    /** One retry: enough for the recovered cases, and the plugin executable's real backoff stays short. */
    const leakConfig = (mode: EmulatorAuthMode, extra: Partial<ProviderConfigInput> = {}) =>
      config(mode, { maxRetries: 1, ...extra });

    for (const mode of modes) {
      describe(`with ${mode === "aksk" ? "AK/SK and a security token" : mode} credentials`, () => {
        for (const face of leakFaces) {
          // Off the core: one failing case (an API error answered at once), on one function.
          const own = leakCases.filter((x) => face !== "plugin-process" || x.process);
          for (const c of face === "core" ? own : own.slice(0, 1)) {
            const title = `[${face}] ${c.name}: nothing secret in any error, result or log`;
            it(title, async function () {
              this.timeout(SLOW_MS);
              for (const fn of fnsOf(face)) {
                await countCase(tally.faults, `${mode} [${face}] ${fn.name} ${c.name}`, async () => {
                  arm(em(), c.faults(fn.route));
                  const out = await call(
                    face,
                    fn,
                    { instanceId: SOURCE },
                    leakConfig(mode),
                    boundOf(SLOW_MS) / 2,
                  );
                  if (c.expect === "ok") expectRecovered(out, fn);
                  else {
                    expect(out.ok, describeOutcome(out)).to.equal(false);
                    if (!out.ok) {
                      expect(out.error.kind, out.error.message).to.equal(c.expect.kind);
                      if (c.expect.status !== undefined)
                        expect(out.error.status, out.error.message).to.equal(c.expect.status);
                    }
                  }
                  expect(scanLogs()).to.deep.equal([]);
                });
              }
            });
          }

          const wrong: Partial<ProviderConfigInput> =
            mode === "token"
              ? { authToken: WRONG.token }
              : mode === "aksk"
                ? { secretKey: WRONG.secretKey }
                : { password: WRONG.password };
          const title = `[${face}] wrong ${Object.keys(wrong)[0]}: an ApiError 401, the wrong value never shown`;
          it(title, async function () {
            this.timeout(SLOW_MS);
            for (const fn of fnsOf(face, 1)) {
              await countCase(tally.faults, `${mode} [${face}] ${fn.name} wrong credentials`, async () => {
                arm(em(), []);
                const out = await call(
                  face,
                  fn,
                  { instanceId: SOURCE },
                  leakConfig(mode, wrong),
                  boundOf(SLOW_MS) / 2,
                );
                expect(out.ok, describeOutcome(out)).to.equal(false);
                if (!out.ok) {
                  expect(out.error.kind, out.error.message).to.equal("api");
                  expect(out.error.status, out.error.message).to.equal(401);
                }
                expect(scanLogs()).to.deep.equal([]);
              });
            }
          });

          it(`[${face}] an endpoint with a password in it is refused without echoing the password`, async function () {
            this.timeout(FAST_MS);
            const bad = badInputs(SOURCE).find((c) => c.name.includes("password"))!;
            for (const fn of fnsOf(face)) {
              await countCase(tally.inputs, `${mode} [${face}] ${fn.name} ${bad.name}`, async () => {
                arm(em(), []);
                const out = await call(face, fn, bad.args, leakConfig(mode), boundOf(FAST_MS));
                expect(out.ok, describeOutcome(out)).to.equal(false);
                if (!out.ok) expect(out.error.kind, out.error.message).to.equal("validation");
                expect(em().stats().requests).to.equal(0);
              });
            }
          });
        }

        if (mode === "password") {
          for (const face of leakFaces) {
            const title = `[${face}] a 401 on a cached IAM token is recovered with one fresh token`;
            it(title, async function () {
              this.timeout(FAST_MS);
              for (const fn of fnsOf(face, 1)) {
                await countCase(tally.faults, `${mode} [${face}] ${fn.name} 401 once`, async () => {
                  // Warm the token cache, then refuse the token once.
                  arm(em(), []);
                  expectRecovered(
                    await call(face, fn, { instanceId: SOURCE }, leakConfig(mode), boundOf(FAST_MS)),
                    fn,
                  );
                  arm(em(), [{ kind: "status", status: 401, times: 1, route: fn.route }]);
                  const out = await call(
                    face,
                    fn,
                    { instanceId: SOURCE },
                    leakConfig(mode),
                    boundOf(FAST_MS),
                  );
                  expectRecovered(out, fn);
                  expect(requestsTo(em(), fn.route)).to.equal(PAGES + 1);
                  expect(em().stats().tokensIssued).to.equal(1);
                  expect(scanLogs()).to.deep.equal([]);
                });
              }
            });
          }
        }

        it("[cli-process] bin/hwddm prints no secret on an API error or refused credentials", async function () {
          this.timeout(SLOW_MS);
          const wrongEnv = envOfConfig(
            mode === "token"
              ? { authToken: WRONG.token }
              : mode === "aksk"
                ? { secretKey: WRONG.secretKey }
                : { password: WRONG.password },
          );
          const runs: { name: string; env: Record<string, string>; faults: FaultSpec[] }[] = [
            { name: "HTTP 404", env: {}, faults: [{ kind: "status", status: 404 }] },
            { name: "wrong credentials", env: wrongEnv, faults: [] },
          ];
          for (const r of runs) {
            await countCase(tally.faults, `${mode} [cli-process] ${r.name}`, async () => {
              arm(em(), r.faults);
              const env = { ...envOfConfig(leakConfig(mode)), ...r.env };
              const res = await bounded(
                runHwddm(["instances", "--instance-id", SOURCE, "--json", "--debug"], env),
                boundOf(SLOW_MS) / 2,
                "bin/hwddm",
              );
              const text = `${res.stdout}\n${res.stderr}`;
              expect(scanner.scan(`cli-process ${r.name}`, text)).to.deep.equal([]);
              expect(res.code, text).to.equal(3);
              const failure = failureOfCli(res.code, res.stderr, text);
              expect(failure.kind, text).to.equal("api");
              expect(scanLogs()).to.deep.equal([]);
            });
          }
        });
      });
    }

    it("leaves no secret in any log line, the plugin's stderr or the emulator's log", () => {
      expect(scanLogs()).to.deep.equal([]);
      expect(scanner.scanned).to.be.above(0);
    });
  });
});
