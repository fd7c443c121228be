/**
 * The plugin as a process, driven the way the Pulumi engine drives it: `spawnPlugin` runs the
 * `pulumi-resource-hwddm` executable, reads its port from stdout and connects a
 * `ProviderClient` (typed, promise-based calls of the provider gRPC protocol).
 */
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import * as plugproto from "@pulumi/pulumi/proto/plugin_pb";

import type { InputFailure } from "../../provider/errors";
import { pluginExecutablePath } from "../../provider/plugin/package";
import { PlainObject, emptyproto, fromStruct, toStruct } from "../../provider/plugin/protocol";
import { errorWithDetails } from "../../testing";

// ---------------------------------------------------------------------------------------
// A typed client of the provider protocol

/** An Error that survives `setMocks` (the one in `hwddm/testing`). */
export { errorWithDetails };

type Unary<Req, Res> = (req: Req, callback: (err: grpc.ServiceError | null, res: Res) => void) => unknown;

/**
 * The engine's gRPC message limit (400 MiB, both ways): a driver with grpc-js's default (4 MiB
 * received) would see a large answer as a RESOURCE_EXHAUSTED failure the engine never sees.
 */
export const ENGINE_MAX_MESSAGE_BYTES = 400 * 1024 * 1024;

/** The calls the engine makes on a provider, as promises. Errors reject as `grpc.ServiceError`. */
export class ProviderClient {
  readonly raw: provrpc.ResourceProviderClient;

  constructor(readonly address: string) {
    this.raw = new provrpc.ResourceProviderClient(address, grpc.credentials.createInsecure(), {
      "grpc.max_receive_message_length": ENGINE_MAX_MESSAGE_BYTES,
      "grpc.max_send_message_length": ENGINE_MAX_MESSAGE_BYTES,
    });
  }

  private unary<Req, Res>(method: Unary<Req, Res>, req: Req): Promise<Res> {
    return new Promise<Res>((resolve, reject) => {
      method.call(this.raw, req, (err, res) => (err ? reject(err) : resolve(res)));
    });
  }

  /** A method of the raw client, by name, to be called with `this.raw` by `unary`. */
  private method<Req, Res>(name: keyof provrpc.ResourceProviderClient): Unary<Req, Res> {
    // eslint-disable-next-line @typescript-eslint/unbound-method -- unary() calls it on this.raw
    return this.raw[name] as unknown as Unary<Req, Res>;
  }

  async getPluginInfo(): Promise<string> {
    const info = await this.unary<InstanceType<typeof emptyproto.Empty>, plugproto.PluginInfo>(
      this.method("getPluginInfo"),
      new emptyproto.Empty(),
    );
    return info.getVersion();
  }

  /** GetSchema of a schema version (Pulumi's only one is 0). */
  async getSchema(version = 0): Promise<string> {
    const req = new provproto.GetSchemaRequest();
    req.setVersion(version);
    const res = await this.unary<provproto.GetSchemaRequest, provproto.GetSchemaResponse>(
      this.method("getSchema"),
      req,
    );
    return res.getSchema();
  }

  /** CheckConfig for a provider named `name` (the engine's `default` for stack config). */
  async checkConfig(
    news: PlainObject,
    olds: PlainObject = {},
    name = "default",
  ): Promise<{ inputs: PlainObject; failures: InputFailure[] }> {
    const req = new provproto.CheckRequest();
    req.setUrn(`urn:pulumi:stack::project::pulumi:providers:hwddm::${name}`);
    req.setName(name);
    req.setType("pulumi:providers:hwddm");
    req.setOlds(toStruct(olds));
    req.setNews(toStruct(news));
    const res = await this.unary<provproto.CheckRequest, provproto.CheckResponse>(
      this.method("checkConfig"),
      req,
    );
    return { inputs: fromStruct(res.getInputs()), failures: failuresOf(res.getFailuresList()) };
  }

  async diffConfig(olds: PlainObject, news: PlainObject): Promise<{ changes: number; diffs: string[] }> {
    const req = new provproto.DiffRequest();
    req.setUrn("urn:pulumi:stack::project::pulumi:providers:hwddm::default");
    req.setOlds(toStruct(olds));
    req.setOldInputs(toStruct(olds));
    req.setNews(toStruct(news));
    const res = await this.unary<provproto.DiffRequest, provproto.DiffResponse>(
      this.method("diffConfig"),
      req,
    );
    return { changes: res.getChanges(), diffs: res.getDiffsList() };
  }

  /** Configure with `variables` (`hwddm:config:<key>` → string) and/or `args` (checked inputs). */
  async configure(
    opts: { variables?: Record<string, string>; args?: PlainObject; acceptSecrets?: boolean } = {},
  ): Promise<{ acceptSecrets: boolean; supportsPreview: boolean }> {
    const req = new provproto.ConfigureRequest();
    const vars = req.getVariablesMap();
    for (const [k, v] of Object.entries(opts.variables ?? {})) vars.set(k, v);
    if (opts.args) req.setArgs(toStruct(opts.args));
    req.setAcceptsecrets(opts.acceptSecrets ?? true);
    req.setAcceptresources(true);
    const res = await this.unary<provproto.ConfigureRequest, provproto.ConfigureResponse>(
      this.method("configure"),
      req,
    );
    return { acceptSecrets: res.getAcceptsecrets(), supportsPreview: res.getSupportspreview() };
  }

  /** Invoke a function; `result` is absent when there are failures. */
  async invoke(
    token: string,
    args: PlainObject,
    opts: { preview?: boolean } = {},
  ): Promise<{ result?: PlainObject; failures: InputFailure[] }> {
    const req = new provproto.InvokeRequest();
    req.setTok(token);
    req.setArgs(toStruct(args));
    req.setPreview(opts.preview ?? false);
    const res = await this.unary<provproto.InvokeRequest, provproto.InvokeResponse>(
      this.method("invoke"),
      req,
    );
    const failures = failuresOf(res.getFailuresList());
    return failures.length > 0 ? { failures } : { result: fromStruct(res.getReturn()), failures };
  }

  /**
   * Invoke, answered with the response's protobuf bytes undecoded (`decodeInvokeResponse` reads
   * them): the benchmark measures a plugin's CPU while its driver does no more than the engine's
   * Go runtime would, then decodes and checks every answer after the clock stops.
   */
  invokeBytes(token: string, args: PlainObject): Promise<Buffer> {
    const req = new provproto.InvokeRequest();
    req.setTok(token);
    req.setArgs(toStruct(args));
    return new Promise<Buffer>((resolve, reject) => {
      this.raw.makeUnaryRequest(
        "/pulumirpc.ResourceProvider/Invoke",
        (r: provproto.InvokeRequest) => Buffer.from(r.serializeBinary()),
        (b: Buffer) => b,
        req,
        (err, res) => (err || !res ? reject(err ?? new Error("no answer")) : resolve(res)),
      );
    });
  }

  async cancel(): Promise<void> {
    await this.unary(this.method("cancel"), new emptyproto.Empty());
  }

  close(): void {
    this.raw.close();
  }
}

/** An InvokeResponse's bytes (from `invokeBytes`) as `invoke` would have answered. */
export function decodeInvokeResponse(bytes: Uint8Array): { result?: PlainObject; failures: InputFailure[] } {
  const res = provproto.InvokeResponse.deserializeBinary(bytes);
  const failures = failuresOf(res.getFailuresList());
  return failures.length > 0 ? { failures } : { result: fromStruct(res.getReturn()), failures };
}

function failuresOf(list: provproto.CheckFailure[]): InputFailure[] {
  return list.map((f) => ({ property: f.getProperty(), reason: f.getReason() }));
}

// ---------------------------------------------------------------------------------------
// Spawning the plugin executable

export interface SpawnPluginOptions {
  /**
   * The plugin's whole environment (besides PATH, which is inherited so that the shim finds
   * `node`). Nothing else leaks in from this process: pass the emulator's endpoint and
   * credentials here.
   */
  env?: Record<string, string | undefined>;
  /** Command-line arguments; default: an engine address, as the engine passes. */
  args?: string[];
  /** Default: `bin/pulumi-resource-hwddm`. */
  executable?: string;
  /** How long to wait for the port, ms (default 15000). */
  startTimeoutMs?: number;
}

export interface PluginProcess {
  readonly port: number;
  readonly pid: number;
  readonly client: ProviderClient;
  /** Everything written to stdout so far. */
  stdout(): string;
  /** Everything written to stderr so far. */
  stderr(): string;
  /** Resolves when the process has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Send a signal to the process. */
  kill(signal?: NodeJS.Signals): void;
  /** Close the client, SIGTERM the process and wait for it (SIGKILL after 5 s). */
  close(): Promise<void>;
}

/** Plugin processes started by `spawnPlugin` that have not exited yet. */
const running = new Set<ChildProcess>();

/**
 * The pids of plugin processes started here that are still running. A caller that owns every
 * plugin (a test run) checks this is empty at its end; `killRunningPlugins` reaps them.
 */
export function runningPlugins(): number[] {
  return [...running].map((c) => c.pid ?? 0);
}

/** SIGKILL every plugin process started here that is still running, and wait for each to exit. */
export async function killRunningPlugins(): Promise<void> {
  await Promise.all(
    [...running].map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null || c.signalCode !== null) return resolve();
          c.once("exit", () => resolve());
          c.kill("SIGKILL");
        }),
    ),
  );
}

/** Start the plugin executable and connect to the port it prints. */
export async function spawnPlugin(opts: SpawnPluginOptions = {}): Promise<PluginProcess> {
  const env: Record<string, string> = { PATH: pathWithNode() };
  for (const [k, v] of Object.entries(opts.env ?? {})) if (v !== undefined) env[k] = v;
  const child: ChildProcess = spawn(opts.executable ?? pluginExecutablePath(), opts.args ?? ["127.0.0.1:1"], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  child.once("exit", () => running.delete(child));
  let out = "";
  let err = "";
  child.stdout!.setEncoding("utf8").on("data", (d: string) => (out += d));
  child.stderr!.setEncoding("utf8").on("data", (d: string) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );

  // A plugin that never printed its port is nobody's to close: it is killed here, whatever went wrong.
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(
        new Error(`the plugin printed no port within ${opts.startTimeoutMs ?? 15000} ms; stderr: ${err}`),
      );
    }, opts.startTimeoutMs ?? 15000);
    const onData = () => {
      const nl = out.indexOf("\n");
      if (nl < 0) return;
      clearTimeout(timer);
      child.stdout!.off("data", onData);
      const n = Number(out.slice(0, nl).trim());
      if (Number.isInteger(n) && n > 0) resolve(n);
      else {
        child.kill("SIGKILL");
        reject(new Error(`the plugin printed ${JSON.stringify(out.slice(0, nl))} instead of a port`));
      }
    };
    child.stdout!.on("data", onData);
    child.once("error", (e) => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(e);
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(
        new Error(
          `the plugin exited (code ${code}, signal ${signal}) before printing a port; stderr: ${err}`,
        ),
      );
    });
  });

  const client = new ProviderClient(`127.0.0.1:${port}`);
  let closing: Promise<void> | undefined;
  return {
    port,
    pid: child.pid!,
    client,
    stdout: () => out,
    stderr: () => err,
    exited,
    kill: (signal: NodeJS.Signals = "SIGTERM") => void child.kill(signal),
    close: () => {
      closing ??= (async () => {
        client.close();
        if (child.exitCode === null && child.signalCode === null) {
          child.kill("SIGTERM");
          const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
          await exited;
          clearTimeout(timer);
        }
      })();
      return closing;
    },
  };
}

/** PATH with this Node's directory first, so that `#!/usr/bin/env node` runs the same Node. */
function pathWithNode(): string {
  return [path.dirname(process.execPath), process.env.PATH ?? ""].filter(Boolean).join(path.delimiter);
}
