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
 * `checkProviderConfig(raw)` and `isEngineKey(key)`. This file only translates between
 * the wire and those.
 */
import * as grpc from "@grpc/grpc-js";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import * as plugproto from "@pulumi/pulumi/proto/plugin_pb";
import type * as emptyTypes from "google-protobuf/google/protobuf/empty_pb";

import { checkProviderConfig, isEngineKey } from "../config";
import { HwddmError, InputFailure, ValidationError, redactSecrets, registerSecret } from "../errors";
import { ClientOverrides, ProviderConfigInput, RESOURCE_TOKENS, SECRET_CONFIG_KEYS } from "../types";
import { EncodedInvokeResponse, encodeInvokeReturn } from "./encode";
import { EngineLog } from "./engine";
import { RestoreResource } from "./restore";
import { packageVersion, schemaText } from "./package";
import {
  PlainObject,
  UNKNOWN_VALUE,
  emptyproto,
  fromStruct,
  toStruct,
  unwrapProperties,
  wrapSecret,
} from "./protocol";

type FunctionsModule = typeof import("../functions/index");
type RestoreModule = typeof import("../functions/restore");

let functionsModule: FunctionsModule | undefined;

/** The function registry, loaded on first use. */
function functions(): FunctionsModule {
  if (!functionsModule) functionsModule = require("../functions/index") as FunctionsModule;
  return functionsModule;
}

let restoreModule: RestoreModule | undefined;

/** The Restore resource's core, loaded on first use. */
function restoreCore(): RestoreModule {
  if (!restoreModule) restoreModule = require("../functions/restore") as RestoreModule;
  return restoreModule;
}

/** The resource type in a URN (`urn:pulumi:stack::project::[parent$]type::name`). */
function typeOfUrn(urn: string): string {
  const parts = urn.split("::");
  const qualified = parts.length >= 4 ? parts[parts.length - 2] : "";
  return qualified.slice(qualified.lastIndexOf("$") + 1);
}

/** Load the function registry now (after the port is printed) so the first request does not pay for it. */
export function preloadCore(): void {
  functions();
}

/** The Pulumi package name; config variables arrive as `hwddm:config:<key>`. */
export const PACKAGE = "hwddm";
const VARIABLE_PREFIX = `${PACKAGE}:config:`;

const SECRET_KEYS = new Set<string>(SECRET_CONFIG_KEYS);

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

/** A gRPC error the engine can show: `details` is what users read. */
function serviceError(code: grpc.status, message: string): grpc.ServiceError {
  const details = redactSecrets(message);
  return Object.assign(new Error(details), { code, details, metadata: new grpc.Metadata() });
}

/** Map a core error (or anything else) to a gRPC error; secrets are redacted. */
export function toServiceError(err: unknown, cancelled = false): grpc.ServiceError {
  if (cancelled)
    return serviceError(grpc.status.CANCELLED, "invoke cancelled: the engine asked the provider to stop");
  if (HwddmError.isInstance(err)) {
    switch (err.kind) {
      case "validation":
        return serviceError(grpc.status.INVALID_ARGUMENT, err.message);
      case "configuration":
        return serviceError(grpc.status.FAILED_PRECONDITION, err.message);
      default:
        return serviceError(grpc.status.UNKNOWN, err.message);
    }
  }
  const message = err instanceof Error ? err.message : String(err);
  return serviceError(grpc.status.INTERNAL, `internal error in the hwddm provider: ${message}`);
}

function isServiceError(err: unknown): err is grpc.ServiceError {
  return (
    err instanceof Error &&
    typeof (err as Partial<grpc.ServiceError>).code === "number" &&
    !HwddmError.isInstance(err)
  );
}

function checkFailures(failures: InputFailure[]): provproto.CheckFailure[] {
  return failures.map((f) => {
    const cf = new provproto.CheckFailure();
    cf.setProperty(f.property);
    cf.setReason(redactSecrets(f.reason));
    return cf;
  });
}

type Handler<Req, Res> = (call: grpc.ServerUnaryCall<Req, Res>, callback: grpc.sendUnaryData<Res>) => void;

/** The ResourceProvider service: config handling and invokes; no resources of its own. */
export class HwddmProvider {
  /** Config from Configure (stack config or an explicit provider); undefined before Configure. */
  private providerConfig: ProviderConfigInput | undefined;
  private readonly inflight = new Set<AbortController>();
  private readonly env: Record<string, string | undefined>;
  private readonly log: (message: string) => void;
  /** The engine's address, from the command line, Handshake or Attach. */
  engineAddress: string | undefined;
  private engineLog: EngineLog | undefined;
  private readonly restore: RestoreResource;

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
      track: (controller) => {
        this.inflight.add(controller);
        return () => this.inflight.delete(controller);
      },
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

  /** Abort every in-flight invoke (Cancel, shutdown). */
  cancelAll(): void {
    for (const controller of this.inflight) controller.abort();
  }

  // -------------------------------------------------------------------------------------
  // Configuration

  /**
   * CheckConfig: validate the provider inputs (stack config or an explicit provider's
   * arguments), returning failures that name each bad key, and the checked inputs, which
   * the engine passes back verbatim to Configure. Secrets stay secret in the answer.
   */
  checkConfig(req: provproto.CheckRequest): provproto.CheckResponse {
    const news = unwrapProperties(fromStruct(req.getNews()));
    // Whatever the engine sent as a secret; checkProviderConfig registers the secret keys' values itself.
    news.secretStrings.forEach(registerSecret);
    const { toCheck, passthrough } = splitConfigInputs(news.values);
    const { config, failures } = checkProviderConfig(toCheck);

    const inputs: PlainObject = { ...passthrough };
    const checked = failures.length === 0 ? (config as PlainObject) : toCheck;
    for (const [key, value] of Object.entries(checked)) {
      if (value === undefined) continue;
      inputs[key] = news.secretKeys.has(key) || SECRET_KEYS.has(key) ? wrapSecret(value) : value;
    }
    for (const key of news.unknownKeys) inputs[key] = UNKNOWN_VALUE;

    const resp = new provproto.CheckResponse();
    resp.setInputs(toStruct(inputs));
    resp.setFailuresList(checkFailures(failures));
    this.log(`CheckConfig: ${failures.length} failure(s)`);
    return resp;
  }

  /** DiffConfig: which config keys changed. Nothing is ever replaced (the provider owns no resources). */
  diffConfig(req: provproto.DiffRequest): provproto.DiffResponse {
    const olds = unwrapProperties(fromStruct(req.getOldInputs() ?? req.getOlds()));
    const news = unwrapProperties(fromStruct(req.getNews()));
    const keys = new Set([...Object.keys(olds.values), ...Object.keys(news.values), ...news.unknownKeys]);
    const diffs: string[] = [];
    for (const key of keys) {
      if (isEngineKey(key)) continue;
      if (
        news.unknownKeys.has(key) ||
        JSON.stringify(olds.values[key]) !== JSON.stringify(news.values[key])
      ) {
        diffs.push(key);
      }
    }
    diffs.sort();
    const resp = new provproto.DiffResponse();
    resp.setChanges(
      diffs.length > 0
        ? provproto.DiffResponse.DiffChanges.DIFF_SOME
        : provproto.DiffResponse.DiffChanges.DIFF_NONE,
    );
    resp.setDiffsList(diffs);
    return resp;
  }

  /**
   * Configure: remember the provider config for later invokes. Reads both the `variables`
   * map (`hwddm:config:<key>` → string) and `args` (the checked inputs; typed, secrets
   * wrapped); `args` wins where both are set. Values not yet known are left unset.
   */
  configure(req: provproto.ConfigureRequest): provproto.ConfigureResponse {
    const raw: PlainObject = {};
    req.getVariablesMap().forEach((value: string, key: string) => {
      if (!key.startsWith(VARIABLE_PREFIX)) return;
      const name = key.slice(VARIABLE_PREFIX.length);
      if (value !== UNKNOWN_VALUE) raw[name] = value;
    });
    const args = unwrapProperties(fromStruct(req.getArgs()));
    args.secretStrings.forEach(registerSecret);
    Object.assign(raw, splitConfigInputs(args.values).toCheck);

    // checkProviderConfig registers the secret keys' values before anything can print them.
    const { config, failures } = checkProviderConfig(raw);
    if (failures.length > 0) throw new ValidationError(failures);
    this.providerConfig = config;
    this.log(
      `Configure: ${
        Object.keys(config)
          .filter((k) => !SECRET_KEYS.has(k))
          .join(", ") || "(no keys)"
      }`,
    );

    const resp = new provproto.ConfigureResponse();
    resp.setAcceptsecrets(true);
    resp.setSupportspreview(true);
    resp.setAcceptresources(false);
    resp.setAcceptoutputs(false);
    return resp;
  }

  // -------------------------------------------------------------------------------------
  // Functions

  /**
   * Invoke: run the function through the core's registry with the configured provider
   * config (or, before Configure, the environment alone). A token the registry does not
   * serve is a gRPC INVALID_ARGUMENT `unknown function <token>`; bad arguments come back as
   * `failures`; every other error as a gRPC error whose message the core wrote.
   */
  async invoke(
    req: provproto.InvokeRequest,
    callSignal?: AbortSignal,
  ): Promise<provproto.InvokeResponse | EncodedInvokeResponse> {
    const token = req.getTok();
    if (!functions().functionNames.includes(token)) {
      this.log(`Invoke ${token}: unknown function`);
      throw serviceError(grpc.status.INVALID_ARGUMENT, `unknown function ${token}`);
    }
    // A function argument marked secret (a `status` filter, say) is no credential: registering it
    // would redact that word from every later message of this process. It is hidden from this
    // invoke's own failures and error instead.
    const args = unwrapProperties(fromStruct(req.getArgs()));
    const controller = new AbortController();
    // The gRPC call's own end (the engine cancelled it, or its deadline passed) stops the work too.
    const onCallEnd = () => controller.abort(callSignal?.reason);
    callSignal?.addEventListener("abort", onCallEnd, { once: true });
    if (callSignal?.aborted) onCallEnd();
    this.inflight.add(controller);
    const started = Date.now();
    const resp = new provproto.InvokeResponse();
    try {
      const result = await functions().invoke(token, args.values, {
        providerConfig: this.providerConfig,
        env: this.env,
        overrides: this.options.overrides,
        signal: controller.signal,
      });
      // Straight to protobuf bytes (encode.ts): no google-protobuf object tree for a large answer.
      const encoded = new EncodedInvokeResponse(encodeInvokeReturn(result));
      this.log(`Invoke ${token}: ok in ${Date.now() - started} ms`);
      const warnings = Array.isArray(result.warnings) ? (result.warnings as unknown[]) : [];
      const engine = warnings.length > 0 ? this.engine() : undefined;
      if (engine) await Promise.all(warnings.map((w) => engine.warn(`${token}: ${String(w)}`)));
      return encoded;
    } catch (err) {
      if (callSignal?.aborted && callSignal.reason === CALL_DEADLINE)
        throw serviceError(
          grpc.status.DEADLINE_EXCEEDED,
          "invoke stopped: the engine's deadline for it passed",
        );
      if (controller.signal.aborted) throw toServiceError(err, true);
      // Secret-marked arguments are hidden from this invoke's answer only (see above).
      const hide = (text: string): string =>
        args.secretStrings.reduce((t, v) => (v.length >= 4 ? t.split(v).join("[REDACTED]") : t), text);
      if (ValidationError.isInstance(err)) {
        resp.setFailuresList(
          checkFailures(err.failures.map((f) => ({ property: f.property, reason: hide(f.reason) }))),
        );
        this.log(`Invoke ${token}: ${err.failures.length} failure(s)`);
        return resp;
      }
      const se = toServiceError(err);
      se.details = hide(se.details);
      se.message = se.details;
      this.log(`Invoke ${token}: failed in ${Date.now() - started} ms: ${se.details}`);
      throw se;
    } finally {
      callSignal?.removeEventListener("abort", onCallEnd);
      this.inflight.delete(controller);
    }
  }

  // -------------------------------------------------------------------------------------
  // The gRPC service

  /** The handlers for `ResourceProviderService`. */
  service(): grpc.UntypedServiceImplementation {
    /** A resource call: only hwddm:backup:Restore exists; errors become gRPC errors (a partial create as it is). */
    const resource =
      <Req extends { getUrn(): string }, Res>(
        what: string,
        fn: (req: Req) => Promise<Res>,
      ): Handler<Req, Res> =>
      (call, callback) => {
        const type = typeOfUrn(call.request.getUrn());
        if (type !== RESOURCE_TOKENS.restore) {
          callback(serviceError(grpc.status.INVALID_ARGUMENT, `${what}: unknown resource type ${type}`));
          return;
        }
        fn(call.request).then(
          (res) => callback(null, res),
          (err: unknown) => {
            this.log(`${what} ${call.request.getUrn()}: ${err instanceof Error ? err.message : String(err)}`);
            callback(isServiceError(err) ? err : toServiceError(err));
          },
        );
      };
    const unimplemented =
      (what: string): Handler<unknown, unknown> =>
      (_call, callback) =>
        callback(serviceError(grpc.status.UNIMPLEMENTED, `${what} is not implemented by the hwddm provider`));
    const sync =
      <Req, Res>(fn: (req: Req) => Res): Handler<Req, Res> =>
      (call, callback) => {
        let res: Res;
        try {
          res = fn(call.request);
        } catch (err) {
          callback(isServiceError(err) ? err : toServiceError(err));
          return;
        }
        callback(null, res);
      };
    const handlers: Record<keyof typeof provrpc.ResourceProviderService, Handler<never, unknown>> = {
      handshake: sync((req: provproto.ProviderHandshakeRequest) => this.handshake(req)),
      parameterize: unimplemented("Parameterize"),
      getSchema: sync((req: provproto.GetSchemaRequest) => {
        // Like Pulumi's own providers: only schema version 0 exists.
        if (req.getVersion() !== 0) {
          throw serviceError(grpc.status.INVALID_ARGUMENT, `unsupported schema version ${req.getVersion()}`);
        }
        const resp = new provproto.GetSchemaResponse();
        resp.setSchema((this.options.schema ?? schemaText)());
        return resp;
      }),
      checkConfig: sync((req: provproto.CheckRequest) => this.checkConfig(req)),
      diffConfig: sync((req: provproto.DiffRequest) => this.diffConfig(req)),
      configure: sync((req: provproto.ConfigureRequest) => this.configure(req)),
      invoke: (
        call: grpc.ServerUnaryCall<provproto.InvokeRequest, provproto.InvokeResponse | EncodedInvokeResponse>,
        callback,
      ) => {
        const end = callEndSignal(call);
        this.invoke(call.request, end.signal)
          .then(
            (res) => callback(null, res),
            (err: unknown) => callback(isServiceError(err) ? err : toServiceError(err)),
          )
          .finally(end.dispose);
      },
      call: unimplemented("Call"),
      check: resource("Check", (req: provproto.CheckRequest) => this.restore.check(req)),
      diff: resource("Diff", async (req: provproto.DiffRequest) => this.restore.diff(req)),
      create: resource("Create", (req: provproto.CreateRequest) => this.restore.create(req)),
      read: resource("Read", (req: provproto.ReadRequest) => this.restore.read(req)),
      list: unimplemented("List"),
      update: resource("Update", (req: provproto.UpdateRequest) => this.restore.update(req)),
      delete: resource("Delete", async (req: provproto.DeleteRequest) => {
        await this.restore.delete(req);
        return new emptyproto.Empty();
      }),
      construct: unimplemented("Construct"),
      cancel: sync((_req: emptyTypes.Empty) => {
        this.log(`Cancel: aborting ${this.inflight.size} call(s)`);
        this.cancelAll();
        return new emptyproto.Empty();
      }),
      getPluginInfo: sync((_req: emptyTypes.Empty) => {
        const info = new plugproto.PluginInfo();
        info.setVersion(this.options.version ?? packageVersion());
        return info;
      }),
      attach: sync((req: plugproto.PluginAttach) => {
        this.engineAddress = req.getAddress();
        return new emptyproto.Empty();
      }),
      getMapping: sync((_req: provproto.GetMappingRequest) => {
        const resp = new provproto.GetMappingResponse();
        resp.setProvider("");
        resp.setData(new Uint8Array());
        return resp;
      }),
      getMappings: sync((_req: provproto.GetMappingsRequest) => {
        const resp = new provproto.GetMappingsResponse();
        resp.setProvidersList([]);
        return resp;
      }),
    };
    return handlers as unknown as grpc.UntypedServiceImplementation;
  }
}

/** The abort reason of a call whose gRPC deadline passed. */
const CALL_DEADLINE = "grpc-deadline";

/**
 * A signal that aborts when the gRPC call ends early: the client cancelled it (`cancelled`
 * event) or its deadline passed (grpc-js answers DEADLINE_EXCEEDED itself but does not stop the
 * handler). `dispose` removes the listener and the timer.
 */
function callEndSignal(call: grpc.ServerUnaryCall<unknown, unknown>): {
  signal: AbortSignal;
  dispose: () => void;
} {
  const controller = new AbortController();
  const onCancelled = () => controller.abort("cancelled");
  call.on("cancelled", onCancelled);
  const deadline = call.getDeadline();
  const at = deadline instanceof Date ? deadline.getTime() : Number(deadline);
  const timer = Number.isFinite(at)
    ? setTimeout(() => controller.abort(CALL_DEADLINE), Math.max(0, at - Date.now()))
    : undefined;
  return {
    signal: controller.signal,
    dispose: () => {
      clearTimeout(timer);
      call.removeListener("cancelled", onCancelled);
    },
  };
}

/** Split provider inputs into config keys to check and engine-added keys passed through untouched. */
function splitConfigInputs(values: PlainObject): { toCheck: PlainObject; passthrough: PlainObject } {
  const toCheck: PlainObject = {};
  const passthrough: PlainObject = {};
  for (const [key, value] of Object.entries(values)) {
    if (isEngineKey(key)) passthrough[key] = value;
    else toCheck[key] = value;
  }
  return { toCheck, passthrough };
}

/** A running provider server. */
export interface ProviderServer {
  port: number;
  provider: HwddmProvider;
  server: grpc.Server;
  /** Stop accepting calls, let in-flight ones finish for up to `graceMs`, then force. */
  shutdown: (graceMs?: number) => Promise<void>;
}

/**
 * `ResourceProviderService` as generated, except that Invoke's answer may arrive already written
 * (an `EncodedInvokeResponse`: a result), which is sent as is; a google-protobuf
 * `InvokeResponse` (failures) goes through the generated serializer.
 */
const SERVICE: grpc.ServiceDefinition = {
  ...(provrpc.ResourceProviderService as unknown as grpc.ServiceDefinition),
  invoke: {
    ...provrpc.ResourceProviderService.invoke,
    responseSerialize: (value: provproto.InvokeResponse | EncodedInvokeResponse): Buffer =>
      value instanceof EncodedInvokeResponse
        ? value.bytes
        : provrpc.ResourceProviderService.invoke.responseSerialize(value),
  },
};

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
  server.addService(SERVICE, provider.service());
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
        functionsModule?.closeClients(options.overrides);
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
