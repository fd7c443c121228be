/**
 * The hwddm resource provider, served over gRPC exactly as the Pulumi engine drives it.
 *
 * Written here rather than through `@pulumi/pulumi`'s `provider.main`, which ignores
 * Configure and rejects CheckConfig (so stack config and explicit providers would never
 * reach an invoke). This module loads only `@grpc/grpc-js`, the generated stubs in
 * `@pulumi/pulumi/proto` and the core's dependency-free errors and config checks; the
 * function registry (zod, axios) is loaded on first use so the port is printed fast.
 *
 * Everything about DDM happens in the core: `invoke(token, args, ctx)`, `functionNames`,
 * `checkProviderConfig(raw)` and `isEngineKey(key)`. This file holds the provider's state
 * (config, in-flight calls, the engine connection) and serves it; configure.ts, invoke.ts and
 * service.ts translate between the wire and the core.
 */
import * as grpc from "@grpc/grpc-js";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import { ClientOverrides, ProviderConfigInput } from "../types";
import { EncodedInvokeResponse } from "./encode";
import { EngineLog } from "./engine";
import { RestoreResource } from "./restore";
import { packageVersion, schemaText } from "./package";
import { checkConfig, configure, diffConfig } from "./configure";
import { closeFunctionClients, invoke } from "./invoke";
import { SERVICE, serviceHandlers } from "./service";

export { preloadCore } from "./invoke";

type RestoreModule = typeof import("../functions/restore");

let restoreModule: RestoreModule | undefined;

/** The Restore resource's core, loaded on first use. */
function restoreCore(): RestoreModule {
  if (!restoreModule) restoreModule = require("../functions/restore") as RestoreModule;
  return restoreModule;
}

export interface HwddmProviderOptions {
  /** Reported by GetPluginInfo; default: the package version. */
  version?: string;
  /** What GetSchema answers; default: `provider/schema.json`. */
  schema?: () => string;
  /** Environment for config fallbacks; default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Test knobs handed to the core. */
  overrides?: ClientOverrides;
  /** Diagnostic lines (already redacted); default: none. */
  log?: (message: string) => void;
}

/** The provider's state: its config, the calls in flight, the engine connection, the Restore resource. */
export class HwddmProvider {
  /** Config from Configure (stack config or an explicit provider); undefined before Configure. */
  private providerConfig: ProviderConfigInput | undefined;
  private readonly inflight = new Set<AbortController>();
  private readonly env: Record<string, string | undefined>;
  readonly log: (message: string) => void;
  /** The engine's address, from the command line, Handshake or Attach. */
  engineAddress: string | undefined;
  private engineLog: EngineLog | undefined;
  readonly restore: RestoreResource;

  constructor(private readonly options: HwddmProviderOptions = {}) {
    this.env = options.env ?? process.env;
    this.log = options.log ?? (() => undefined);
    this.restore = new RestoreResource({
      core: restoreCore,
      context: (signal) => ({
        providerConfig: this.providerConfig,
        env: this.env,
        overrides: this.options.overrides,
        signal,
      }),
      status: async (urn, message) => {
        this.log(`${urn}: ${message}`);
        await this.engine()?.info(message, urn, true);
      },
      warn: async (urn, message) => {
        this.log(`${urn}: warning: ${message}`);
        await this.engine()?.warnAbout(message, urn);
      },
      track: (controller) => this.track(controller),
      log: (message) => this.log(message),
    });
  }

  /** The engine's Log service (once its address is known). */
  private engine(): EngineLog | undefined {
    if (this.engineAddress === undefined || this.engineAddress === "") return undefined;
    if (this.engineLog?.address !== this.engineAddress) {
      this.engineLog?.close();
      this.engineLog = new EngineLog(this.engineAddress, this.log);
    }
    return this.engineLog;
  }

  /** Close the engine connection (shutdown). */
  closeEngine(): void {
    this.engineLog?.close();
    this.engineLog = undefined;
  }

  private track(controller: AbortController): () => void {
    this.inflight.add(controller);
    return () => this.inflight.delete(controller);
  }

  /** What GetSchema answers. */
  schema(): string {
    return (this.options.schema ?? schemaText)();
  }

  /** What GetPluginInfo reports. */
  version(): string {
    return this.options.version ?? packageVersion();
  }

  /**
   * Handshake (engines since 3.1xx call it first): learn the engine's address, and say what
   * Configure would: secrets are accepted (and unwrapped), resources and outputs are not.
   */
  handshake(req: provproto.ProviderHandshakeRequest): provproto.ProviderHandshakeResponse {
    if (req.getEngineAddress()) this.engineAddress = req.getEngineAddress();
    const resp = new provproto.ProviderHandshakeResponse();
    resp.setAcceptSecrets(true);
    resp.setAcceptResources(false);
    resp.setAcceptOutputs(false);
    resp.setSupportsAutonamingConfiguration(false);
    return resp;
  }

  /** Abort every in-flight call (Cancel, shutdown); `why` names the request in the log. */
  cancelAll(why?: string): void {
    if (why) this.log(`${why}: aborting ${this.inflight.size} call(s)`);
    for (const controller of this.inflight) controller.abort();
  }

  checkConfig(req: provproto.CheckRequest): provproto.CheckResponse {
    return checkConfig(req, this.log);
  }

  diffConfig(req: provproto.DiffRequest): provproto.DiffResponse {
    return diffConfig(req);
  }

  /** Configure: remember the provider config for later invokes (see configure.ts). */
  configure(req: provproto.ConfigureRequest): provproto.ConfigureResponse {
    const { config, resp } = configure(req, this.log);
    this.providerConfig = config;
    return resp;
  }

  /** Invoke a provider function with the configured provider config (see invoke.ts). */
  invoke(
    req: provproto.InvokeRequest,
    callSignal?: AbortSignal,
  ): Promise<provproto.InvokeResponse | EncodedInvokeResponse> {
    return invoke(
      req,
      {
        providerConfig: this.providerConfig,
        env: this.env,
        overrides: this.options.overrides,
        track: (controller) => this.track(controller),
        warn: async (messages) => {
          const engine = this.engine();
          if (engine) await Promise.all(messages.map((m) => engine.warn(m)));
        },
        log: this.log,
      },
      callSignal,
    );
  }
}

/** A running provider server. */
export interface ProviderServer {
  port: number;
  provider: HwddmProvider;
  server: grpc.Server;
  /** Stop accepting calls, let in-flight ones finish for up to `graceMs`, then force. */
  shutdown: (graceMs?: number) => Promise<void>;
}

/** 400 MB, as Pulumi's own servers allow (schemas and large results). */
const MAX_MESSAGE_BYTES = 400 * 1024 * 1024;

/** Serve the provider on 127.0.0.1 (port 0 = any free port). */
export async function startProviderServer(
  options: HwddmProviderOptions & { port?: number; engineAddress?: string } = {},
): Promise<ProviderServer> {
  const provider = new HwddmProvider(options);
  provider.engineAddress = options.engineAddress;
  const server = new grpc.Server({
    "grpc.max_receive_message_length": MAX_MESSAGE_BYTES,
    "grpc.max_send_message_length": MAX_MESSAGE_BYTES,
  });
  server.addService(SERVICE, serviceHandlers(provider));
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`127.0.0.1:${options.port ?? 0}`, grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    );
  });
  let stopping: Promise<void> | undefined;
  const shutdown = (graceMs = 2000): Promise<void> => {
    stopping ??= new Promise<void>((resolve) => {
      // The cached clients' keep-alive connections go with the server.
      const done = () => {
        closeFunctionClients(options.overrides);
        resolve();
      };
      const timer = setTimeout(() => {
        provider.cancelAll();
        server.forceShutdown();
        done();
      }, graceMs);
      timer.unref();
      server.tryShutdown(() => {
        clearTimeout(timer);
        done();
      });
    }).finally(() => provider.closeEngine());
    return stopping;
  };
  return { port, provider, server, shutdown };
}
