/**
 * Loaded by mocha before every spec (see .mocharc.json).
 *
 * - No test may reach a host that is not on this machine: nock refuses every connection
 *   except loopback (the emulator and the plugin under test listen there).
 * - Nothing may be left running. Mocha runs without `exit: true`, so a handle left open keeps
 *   the run from ending; this file turns the usual culprits into a failure that names them
 *   instead: every child process spawned through `child_process.spawn` (the plugin, bin/hwddm,
 *   the demo, shell snippets) is tracked, and the root `afterAll` hook fails the run when one
 *   is still alive at the end or a server is still listening (it kills and closes them first,
 *   so that the failing run still ends).
 * - Nothing may be left in the temp directory. The run gets a private TMPDIR (children inherit
 *   it), and the root `afterAll` fails naming every `hwddm-*` entry a test left there.
 * - No spec file depends on what another left in a process-wide registry: after each spec file
 *   the secret registry is cleared and the client cache is closed and emptied.
 *
 * `npm test` runs mocha with --parallel: each worker process loads this file once and runs
 * every spec file it is given as a run of its own, so the root hooks, and the checks above,
 * run once per spec file (serially, `--no-config` or `npx mocha --no-parallel`, once per run).
 */
import type { ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import nock from "nock";
import { resetClients } from "../provider/client";
import { clearRegisteredSecrets } from "../provider/redact";

nock.disableNetConnect();
nock.enableNetConnect((host: string) => /^(127\.\d+\.\d+\.\d+|localhost|\[::1\]|::1)(:\d+)?$/.test(host));

// os.tmpdir() reads TMPDIR on every call: from here on, every temp file of the run (and of the
// processes it starts) lands in this directory, which no concurrent run shares.
const runTmp = fs.mkdtempSync(path.join(os.tmpdir(), "mocha-run-"));
process.env.TMPDIR = runTmp;
// The check below removes it; this covers a run that ends before the check gets to run.
process.once("exit", () => fs.rmSync(runTmp, { recursive: true, force: true }));

/** Children spawned by any test that have not exited yet. */
const alive = new Map<ChildProcess, string>();

// The module object itself (an `import * as` would be a copy): specs call `spawn` through it
// (CommonJS output), so this wrapper sees every call.
const childProcess = require("node:child_process") as typeof import("node:child_process");
const originalSpawn = childProcess.spawn;
childProcess.spawn = function spawn(
  this: unknown,
  ...args: Parameters<typeof childProcess.spawn>
): ChildProcess {
  const child = (originalSpawn as (...a: unknown[]) => ChildProcess).apply(this, args);
  const [command, argv] = args as unknown as [string, unknown];
  alive.set(child, [command, ...(Array.isArray(argv) ? (argv as string[]) : [])].join(" ").slice(0, 200));
  child.once("exit", () => alive.delete(child));
  child.once("error", () => alive.delete(child));
  return child;
} as typeof childProcess.spawn;

/**
 * Servers still listening (emulators, gRPC servers, scripted servers a spec forgot to close),
 * closed here so that the run ends (failing) instead of hanging on them.
 */
function closeListeningServers(): string[] {
  const handles = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles();
  return handles
    .filter((h): h is net.Server => h instanceof net.Server && h.listening)
    .map((s) => {
      const a = s.address();
      s.close();
      if (s instanceof http.Server) s.closeAllConnections();
      return typeof a === "string" ? a : a ? `${a.address}:${a.port}` : "(unknown address)";
    });
}

/** Poll (no fixed sleep) until nothing is alive, at most `ms`. */
async function settle(ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (alive.size > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
}

/** The process-wide registries, reset after each spec file. */
function resetRegistries(): void {
  clearRegisteredSecrets();
  resetClients();
}

/** Reset the process-wide registries after the last top-level suite of each spec file. */
function isolateSpecFiles(root: Mocha.Suite): void {
  const lastOfFile = new Map<string | undefined, Mocha.Suite>();
  for (const suite of root.suites) lastOfFile.set(suite.file, suite);
  for (const suite of lastOfFile.values()) suite.afterAll("reset process-wide registries", resetRegistries);
}

/** The `hwddm-*` entries left in the run's temp directory; then the directory is removed. */
function leftInTmp(): string[] {
  const left = fs.readdirSync(runTmp).filter((name) => name.startsWith("hwddm-"));
  // Emptied, not removed: under --parallel a worker runs more spec files in this process.
  for (const name of fs.readdirSync(runTmp))
    fs.rmSync(path.join(runTmp, name), { recursive: true, force: true });
  return left.map((name) => `temp entry ${name}`);
}

export const mochaHooks = {
  beforeAll(this: Mocha.Context): void {
    const root = this.test?.parent;
    if (!root) return;
    isolateSpecFiles(root);
    // Added now, after every spec file's own root hooks: it runs after their clean-ups.
    root.afterAll("nothing left in the temp directory", () => {
      const left = leftInTmp();
      if (left.length > 0)
        throw new Error(`the tests left ${left.length} thing(s) behind:\n  ${left.join("\n  ")}`);
    });
  },

  async afterAll(this: Mocha.Context): Promise<void> {
    this.timeout(15_000);
    // A child that was sent SIGTERM a moment ago may still be on its way out.
    await settle(5_000);
    const leaked = [...alive].map(([child, what]) => `process ${child.pid ?? "?"}: ${what}`);
    for (const child of alive.keys()) child.kill("SIGKILL");
    await settle(5_000);
    leaked.push(...closeListeningServers().map((a) => `server still listening on ${a}`));
    if (leaked.length > 0) {
      throw new Error(`the tests left ${leaked.length} thing(s) running:\n  ${leaked.join("\n  ")}`);
    }
  },
};
