/** How the provider's failures reach the engine: gRPC statuses and CheckFailures, secrets redacted. */
import * as grpc from "@grpc/grpc-js";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import { HwddmError, InputFailure, redactSecrets } from "../errors";

/** A gRPC error the engine can show: `details` is what users read. */
export function serviceError(code: grpc.status, message: string): grpc.ServiceError {
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

/** `err` as the gRPC error to answer with: itself when it already is one. */
export function asServiceError(err: unknown): grpc.ServiceError {
  const ready =
    err instanceof Error &&
    typeof (err as Partial<grpc.ServiceError>).code === "number" &&
    !HwddmError.isInstance(err);
  return ready ? (err as grpc.ServiceError) : toServiceError(err);
}

export function checkFailures(failures: InputFailure[]): provproto.CheckFailure[] {
  return failures.map((f) => {
    const cf = new provproto.CheckFailure();
    cf.setProperty(f.property);
    cf.setReason(redactSecrets(f.reason));
    return cf;
  });
}
