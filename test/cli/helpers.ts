/**
 * Shared by the CLI specs: run `hwddm` in-process against buffers, or spawn bin/hwddm for real.
 */
import { ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";
import { run } from "../../cli/main";
import type { CliIO } from "../../cli/output";
import type { ClientOverrides } from "../../provider/types";

/** The contract's source instance (the default fixture's first source). */
export const SRC = "1f5c9fd6cd984056ba89c8c87cc03278in09";
/** A source in the default fixture with no targets and no windows. */
export const EMPTY_SRC = "5e7a9c1b3d5f4e6a8b0c2d4e6f8a0b1cin09";

/** bin/hwddm at the repository root (tests run from dist/test/cli). */
export const BIN = path.resolve(__dirname, "..", "..", "..", "bin", "hwddm");

/** Retries without real waiting. */
export const FAST: ClientOverrides = {
  sleep: async () => undefined,
  retry: { baseDelayMs: 1, maxDelayMs: 1 },
};

/** A stream that keeps what is written. */
export class MemoryStream {
  text = "";
  constructor(readonly isTTY = false) {}
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  tty?: boolean;
  signal?: AbortSignal;
  overrides?: ClientOverrides;
  /** Called with the live buffers before the run is awaited (to watch output as it appears). */
  onStart?: (out: MemoryStream, err: MemoryStream) => void;
}

/** `hwddm ...argv` in-process. */
export async function hwddm(
  argv: string[],
  env: Record<string, string | undefined>,
  opts: RunOptions = {},
): Promise<CliRun> {
  const stdout = new MemoryStream(opts.tty ?? false);
  const stderr = new MemoryStream(opts.tty ?? false);
  const io: CliIO = { stdout, stderr, env, overrides: opts.overrides ?? FAST };
  if (opts.signal) io.signal = opts.signal;
  const pending = run(argv, io);
  opts.onStart?.(stdout, stderr);
  const code = await pending;
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** Wait until a check is true, polling every 5 ms, at most 5 s by default (test/support/wait.ts). */
export { waitFor } from "../support/wait";

export interface Spawned {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code (or 128 + signal number when killed by a signal). */
  exit: Promise<number>;
}

const SIGNALS: Record<string, number> = { SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };

/** Spawn bin/hwddm itself (its shebang, its shim, dist/cli/main.js). */
export function spawnHwddm(argv: string[], env: Record<string, string | undefined>): Spawned {
  const child = spawn(BIN, argv, {
    env: { PATH: process.env.PATH, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
  child.stderr.setEncoding("utf8").on("data", (d: string) => (err += d));
  const exit = new Promise<number>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve(code ?? 128 + (SIGNALS[signal ?? ""] ?? 0)));
  });
  return { child, stdout: () => out, stderr: () => err, exit };
}

/** Spawn and wait for the end. */
export async function runHwddm(argv: string[], env: Record<string, string | undefined>): Promise<CliRun> {
  const s = spawnHwddm(argv, env);
  const code = await s.exit;
  return { code, stdout: s.stdout(), stderr: s.stderr() };
}

/** `KEY=VALUE` lines to an object. */
export function parseEnvLines(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split("\n").filter(Boolean)) {
    const eq = line.indexOf("=");
    out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}
