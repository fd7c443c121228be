/** What every bench group shares: the emulator and child-process helpers, the targets table, the group shape. */
import { ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { CONTRACT_EXAMPLE } from "../emulator";
import { DEFAULT_PAGING } from "../provider";
import type * as PluginTesting from "../test/support/harness";
import { RemoteEmulator, RemoteEmulatorSpec, startRemoteEmulator } from "./remote-emulator";

export const SOURCE = CONTRACT_EXAMPLE.sourceInstanceId;
export const LATENCY_MS = 20;
export const PAGE_SIZE = DEFAULT_PAGING.pageSize;
export const CONCURRENCY = DEFAULT_PAGING.concurrency;
export const ROOT = path.resolve(__dirname, "..", "..");

/**
 * One bench section: its sizes for the real run and for `--quick`, how it runs, and its report
 * lines (the index numbers the first). `key` names its figures in results.json; a run that
 * gives `undefined` (a section skipped) leaves the key out.
 */
export interface BenchGroup<S, R> {
  key: string;
  full: S;
  quick: S;
  run(s: S): Promise<R>;
  report(r: R, s: S): string[];
}

/** The plugin test harness (it loads @pulumi/pulumi, so only the sections that spawn the plugin load it). */
export function pluginTesting(): typeof PluginTesting {
  return require("../test/support/harness") as typeof PluginTesting;
}

/** `p`, or a rejection when it takes longer than `ms`. */
export async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Run `body` against an emulator in a process of its own (see child-emulator.ts). */
export async function withEmulator<T>(
  spec: RemoteEmulatorSpec,
  body: (em: RemoteEmulator) => Promise<T>,
): Promise<T> {
  const em = await startRemoteEmulator(spec);
  try {
    return await body(em);
  } finally {
    await em.close();
  }
}

/** A child process's exit, and its stdout; killed when it outlives `timeoutMs`. */
export function runChild(
  command: string,
  args: string[],
  env: Record<string, string>,
  timeoutMs: number,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout!.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${command} ${args.join(" ")} took longer than ${timeoutMs} ms`));
    }, timeoutMs);
    child.once("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Only PATH (so `#!/usr/bin/env node` finds this Node) plus `extra`. */
export function childEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: [path.dirname(process.execPath), process.env.PATH ?? ""].join(path.delimiter), ...extra };
}

export interface Target {
  name: string;
  target: string;
  measured: string;
  pass: boolean;
}

export const targets: Target[] = [];

export function target(name: string, targetText: string, measured: string, pass: boolean): void {
  targets.push({ name, target: targetText, measured, pass });
}

/** CPU time (user + system) a process has used, ms, from /proc (Linux); undefined elsewhere. */
export function processCpuMs(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces) start at field 3; utime and stime are 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks * 10 : undefined; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}
