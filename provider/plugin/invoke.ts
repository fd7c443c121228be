/**
 * Invoke: the provider functions, run through the core's registry (loaded on first use, so the
 * plugin prints its port before paying for zod and axios).
 */
import * as grpc from "@grpc/grpc-js";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import { ValidationError } from "../errors";
import { ClientOverrides, ProviderConfigInput } from "../types";
import { EncodedInvokeResponse, encodeInvokeReturn } from "./encode";
import { checkFailures, serviceError, toServiceError } from "./grpc-errors";
import { fromStruct, unwrapProperties } from "./protocol";

type FunctionsModule = typeof import("../functions/index");

let functionsModule: FunctionsModule | undefined;

/** The function registry, loaded on first use. */
function functions(): FunctionsModule {
  if (!functionsModule) functionsModule = require("../functions/index") as FunctionsModule;
  return functionsModule;
}

/** Load the function registry now (after the port is printed) so the first request does not pay for it. */
export function preloadCore(): void {
  functions();
}

/** Close the clients the functions cached (when the registry was ever loaded). */
export function closeFunctionClients(overrides?: ClientOverrides): void {
  functionsModule?.closeClients(overrides);
}

/** The abort reason of a call whose gRPC deadline passed. */
const CALL_DEADLINE = "grpc-deadline";

/**
 * A signal that aborts when the gRPC call ends early: the client cancelled it (`cancelled`
 * event) or its deadline passed (grpc-js answers DEADLINE_EXCEEDED itself but does not stop the
 * handler). `dispose` removes the listener and the timer.
 */
export function callEndSignal(call: grpc.ServerUnaryCall<unknown, unknown>): {
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

/** What an invoke runs with, from the provider. */
export interface InvokeContext {
  providerConfig: ProviderConfigInput | undefined;
  env: Record<string, string | undefined>;
  overrides?: ClientOverrides;
  /** Track an invoke's controller (so Cancel and shutdown abort it); returns the untrack. */
  track(controller: AbortController): () => void;
  /** Send the result's warnings to the engine (resolves when sent, or at once without an engine). */
  warn(messages: string[]): Promise<void>;
  log(message: string): void;
}

/**
 * Run the function through the core's registry with the configured provider config (or, before
 * Configure, the environment alone). A token the registry does not serve is a gRPC
 * INVALID_ARGUMENT `unknown function <token>`; bad arguments come back as `failures`; every
 * other error as a gRPC error whose message the core wrote.
 */
export async function invoke(
  req: provproto.InvokeRequest,
  ctx: InvokeContext,
  callSignal?: AbortSignal,
): Promise<provproto.InvokeResponse | EncodedInvokeResponse> {
  const token = req.getTok();
  if (!functions().functionNames.includes(token)) {
    ctx.log(`Invoke ${token}: unknown function`);
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
  const untrack = ctx.track(controller);
  const started = Date.now();
  const resp = new provproto.InvokeResponse();
  try {
    const result = await functions().invoke(token, args.values, {
      providerConfig: ctx.providerConfig,
      env: ctx.env,
      overrides: ctx.overrides,
      signal: controller.signal,
    });
    // Straight to protobuf bytes (encode.ts): no google-protobuf object tree for a large answer.
    const encoded = new EncodedInvokeResponse(encodeInvokeReturn(result));
    ctx.log(`Invoke ${token}: ok in ${Date.now() - started} ms`);
    const warnings = Array.isArray(result.warnings) ? (result.warnings as unknown[]) : [];
    if (warnings.length > 0) await ctx.warn(warnings.map((w) => `${token}: ${String(w)}`));
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
      ctx.log(`Invoke ${token}: ${err.failures.length} failure(s)`);
      return resp;
    }
    const se = toServiceError(err);
    se.details = hide(se.details);
    se.message = se.details;
    ctx.log(`Invoke ${token}: failed in ${Date.now() - started} ms: ${se.details}`);
    throw se;
  } finally {
    callSignal?.removeEventListener("abort", onCallEnd);
    untrack();
  }
}
