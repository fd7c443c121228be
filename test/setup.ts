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
 */
import type { ChildProcess } from "node:child_process";
import * as http from "node:http";
import * as net from "node:net";
import nock from "nock";

nock.disableNetConnect();
nock.enableNetConnect((host: string) => /^(127\.\d+\.\d+\.\d+|localhost|\[::1\]|::1)(:\d+)?$/.test(host));

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

export const mochaHooks = {
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
