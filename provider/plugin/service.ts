/**
 * The `ResourceProviderService` handlers: each gRPC method wired to the provider, errors turned
 * into gRPC errors. Only hwddm:backup:Restore has resource methods; Call, Construct, List and
 * Parameterize are unimplemented.
 */
import * as grpc from "@grpc/grpc-js";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import * as plugproto from "@pulumi/pulumi/proto/plugin_pb";
import type * as emptyTypes from "google-protobuf/google/protobuf/empty_pb";
import { RESOURCE_TOKENS } from "../types";
import { EncodedInvokeResponse } from "./encode";
import { asServiceError, serviceError } from "./grpc-errors";
import { callEndSignal } from "./invoke";
import { signalWarm } from "./launch";
import { emptyproto, typeOfUrn } from "./protocol";
import type { HwddmProvider } from "./server";

type Handler<Req, Res> = (call: grpc.ServerUnaryCall<Req, Res>, callback: grpc.sendUnaryData<Res>) => void;

/**
 * `ResourceProviderService` as generated, except that Invoke's answer may arrive already written
 * (an `EncodedInvokeResponse`: a result), which is sent as is; a google-protobuf
 * `InvokeResponse` (failures) goes through the generated serializer.
 */
export const SERVICE: grpc.ServiceDefinition = {
  ...(provrpc.ResourceProviderService as unknown as grpc.ServiceDefinition),
  invoke: {
    ...provrpc.ResourceProviderService.invoke,
    responseSerialize: (value: provproto.InvokeResponse | EncodedInvokeResponse): Buffer =>
      value instanceof EncodedInvokeResponse
        ? value.bytes
        : provrpc.ResourceProviderService.invoke.responseSerialize(value),
  },
};

function unimplemented(what: string): Handler<unknown, unknown> {
  return (_call, callback) =>
    callback(serviceError(grpc.status.UNIMPLEMENTED, `${what} is not implemented by the hwddm provider`));
}

function sync<Req, Res>(fn: (req: Req) => Res): Handler<Req, Res> {
  return (call, callback) => {
    let res: Res;
    try {
      res = fn(call.request);
    } catch (err) {
      callback(asServiceError(err));
      return;
    }
    callback(null, res);
  };
}

/** The handlers for `ResourceProviderService`, served by `p`. */
export function serviceHandlers(p: HwddmProvider): grpc.UntypedServiceImplementation {
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
          p.log(`${what} ${call.request.getUrn()}: ${err instanceof Error ? err.message : String(err)}`);
          callback(asServiceError(err));
        },
      );
    };
  const handlers: Record<keyof typeof provrpc.ResourceProviderService, Handler<never, unknown>> = {
    handshake: sync((req: provproto.ProviderHandshakeRequest) => p.handshake(req)),
    parameterize: unimplemented("Parameterize"),
    getSchema: sync((req: provproto.GetSchemaRequest) => {
      // Like Pulumi's own providers: only schema version 0 exists.
      if (req.getVersion() !== 0) {
        throw serviceError(grpc.status.INVALID_ARGUMENT, `unsupported schema version ${req.getVersion()}`);
      }
      const resp = new provproto.GetSchemaResponse();
      resp.setSchema(p.schema());
      return resp;
    }),
    checkConfig: sync((req: provproto.CheckRequest) => p.checkConfig(req)),
    diffConfig: sync((req: provproto.DiffRequest) => p.diffConfig(req)),
    configure: sync((req: provproto.ConfigureRequest) => p.configure(req)),
    invoke: (
      call: grpc.ServerUnaryCall<provproto.InvokeRequest, provproto.InvokeResponse | EncodedInvokeResponse>,
      callback,
    ) => {
      const end = callEndSignal(call);
      p.invoke(call.request, end.signal)
        .then(
          (res) => {
            callback(null, res);
            // Answered: what the engine waits on is compiled now, so the code cache can be written.
            setImmediate(signalWarm);
          },
          (err: unknown) => callback(asServiceError(err)),
        )
        .finally(end.dispose);
    },
    call: unimplemented("Call"),
    check: resource("Check", (req: provproto.CheckRequest) => p.restore.check(req)),
    diff: resource("Diff", async (req: provproto.DiffRequest) => p.restore.diff(req)),
    create: resource("Create", (req: provproto.CreateRequest) => p.restore.create(req)),
    read: resource("Read", (req: provproto.ReadRequest) => p.restore.read(req)),
    list: unimplemented("List"),
    update: resource("Update", (req: provproto.UpdateRequest) => p.restore.update(req)),
    delete: resource("Delete", async (req: provproto.DeleteRequest) => {
      await p.restore.delete(req);
      return new emptyproto.Empty();
    }),
    construct: unimplemented("Construct"),
    cancel: sync((_req: emptyTypes.Empty) => {
      p.cancelAll("Cancel");
      return new emptyproto.Empty();
    }),
    getPluginInfo: sync((_req: emptyTypes.Empty) => {
      const info = new plugproto.PluginInfo();
      info.setVersion(p.version());
      return info;
    }),
    attach: sync((req: plugproto.PluginAttach) => {
      p.engineAddress = req.getAddress();
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
