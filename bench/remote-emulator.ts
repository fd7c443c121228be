/**
 * The benchmark's handle on an emulator running in its own process (`child-emulator.ts`):
 * the URL and credentials `emulatorConfig`/`emulatorEnv` need, and the emulator's counters
 * over IPC. Every wait is bounded.
 */
import { ChildProcess, fork } from "node:child_process";
import * as path from "node:path";
import type { EmulatorCredentials, EmulatorStats, FaultSpec } from "../emulator";

export interface RemoteEmulatorSpec {
  instances: number;
  windows: number;
  faults?: FaultSpec[];
}

export interface RemoteEmulator {
  readonly url: string;
  readonly iamUrl: string;
  readonly credentials: EmulatorCredentials;
  stats(): Promise<EmulatorStats>;
  resetStats(): Promise<void>;
  setFaults(faults: FaultSpec[]): Promise<void>;
  close(): Promise<void>;
}

const START_TIMEOUT_MS = 30_000;
const REQUEST_TIMEOUT_MS = 10_000;

export async function startRemoteEmulator(spec: RemoteEmulatorSpec): Promise<RemoteEmulator> {
  const child: ChildProcess = fork(
    path.join(__dirname, "child-emulator.js"),
    [JSON.stringify({ faults: [], ...spec })],
    { stdio: ["ignore", "ignore", "inherit", "ipc"] },
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const pending = new Map<number, (result: unknown) => void>();
  let nextId = 1;

  const ready = await new Promise<{ url: string; iamUrl: string; credentials: EmulatorCredentials }>(
    (resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        reject(new Error(`the emulator process did not start within ${START_TIMEOUT_MS} ms`));
      }, START_TIMEOUT_MS);
      child.once("error", (e) => {
        clearTimeout(timer);
        reject(e);
      });
      void exited.then(() => {
        clearTimeout(timer);
        reject(new Error("the emulator process exited before it was ready"));
      });
      child.on("message", (m: { type?: string; id?: number; result?: unknown }) => {
        if (m.type === "ready") {
          clearTimeout(timer);
          resolve(m as { url: string; iamUrl: string; credentials: EmulatorCredentials });
        } else if (typeof m.id === "number") {
          pending.get(m.id)?.(m.result);
          pending.delete(m.id);
        }
      });
    },
  );

  const request = (op: string, extra: Record<string, unknown> = {}): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`the emulator process did not answer "${op}" within ${REQUEST_TIMEOUT_MS} ms`));
      }, REQUEST_TIMEOUT_MS);
      pending.set(id, (result) => {
        clearTimeout(timer);
        resolve(result);
      });
      child.send({ id, op, ...extra });
    });

  let closing: Promise<void> | undefined;
  return {
    url: ready.url,
    iamUrl: ready.iamUrl,
    credentials: ready.credentials,
    stats: async () => (await request("stats")) as EmulatorStats,
    resetStats: async () => {
      await request("reset");
    },
    setFaults: async (faults) => {
      await request("faults", { faults });
    },
    close: () => {
      closing ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        await request("close").catch(() => undefined);
        const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
        await exited;
        clearTimeout(timer);
      })();
      return closing;
    },
  };
}
