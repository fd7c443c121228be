/**
 * What the Restore resource's engine calls exchange: its inputs as plain values (with the
 * unknown ones at preview), its outputs, and the partial-create error that makes the engine keep
 * a restore it could not finish, with the job id.
 */
import * as grpc from "@grpc/grpc-js";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import * as statusproto from "@pulumi/pulumi/proto/status_pb";
import type * as structTypes from "google-protobuf/google/protobuf/struct_pb";
import { redactSecrets } from "../errors";
import { parseTimeInput } from "../time";
import type { RestorePlan } from "../restore/plan";
import type { Job } from "../restore/wire";
import { PlainObject, UNKNOWN_VALUE, anyproto, fromStruct, toStruct, unwrapProperties } from "./protocol";

function containsUnknown(v: unknown): boolean {
  if (v === UNKNOWN_VALUE) return true;
  if (Array.isArray(v)) return v.some(containsUnknown);
  if (v !== null && typeof v === "object") return Object.values(v).some(containsUnknown);
  return false;
}

/** Inputs as plain values, with the keys whose value is (or holds) an unknown. */
export function inputsOf(struct: structTypes.Struct | undefined): {
  values: PlainObject;
  unknown: Set<string>;
} {
  const raw = fromStruct(struct);
  const props = unwrapProperties(raw);
  const unknown = new Set(props.unknownKeys);
  for (const [k, v] of Object.entries(raw)) if (containsUnknown(v)) unknown.add(k);
  return { values: props.values, unknown };
}

/** A restore key's value in comparable form (times as epoch ms). */
export function comparable(key: string, v: unknown): string {
  if (key === "restoreTime" && v !== undefined) {
    try {
      return String(parseTimeInput(v, key));
    } catch {
      return JSON.stringify(v);
    }
  }
  return JSON.stringify(v ?? null);
}

const PARTIAL = Symbol("partial-create");

/** Whether `e` is a partialCreate error (the engine keeps the resource and the job id with it). */
export function isPartialCreate(e: unknown): boolean {
  return typeof e === "object" && e !== null && PARTIAL in e;
}

/** The gRPC error that makes the engine keep a resource it could not finish (ErrorResourceInitFailed). */
export function partialCreate(
  id: string,
  properties: PlainObject,
  inputs: PlainObject,
  reason: string,
): grpc.ServiceError {
  const message = redactSecrets(reason);
  const detail = new provproto.ErrorResourceInitFailed();
  detail.setId(id);
  detail.setProperties(toStruct(properties));
  detail.setInputs(toStruct(inputs));
  detail.setReasonsList([message]);
  const any = new anyproto.Any();
  any.pack(detail.serializeBinary(), "pulumirpc.ErrorResourceInitFailed");
  const status = new statusproto.Status();
  status.setCode(grpc.status.UNKNOWN);
  status.setMessage(message);
  status.addDetails(any);
  const metadata = new grpc.Metadata();
  metadata.add("grpc-status-details-bin", Buffer.from(status.serializeBinary()));
  return Object.assign(new Error(message), {
    code: grpc.status.UNKNOWN,
    details: message,
    metadata,
    [PARTIAL]: true,
  });
}

/** The outputs: the inputs as given, the plan, and the job as last seen. */
export function outputs(
  inputs: PlainObject,
  plan: RestorePlan | PlainObject | undefined,
  job: Partial<Job> & { status: string },
  jobId: string,
): PlainObject {
  return {
    ...inputs,
    plan,
    jobId,
    status: job.status,
    process: job.process ?? "",
    createdTime: job.createdTime,
    endTime: job.endTime,
  };
}

export function resourceId(jobId: string, plan: RestorePlan): string {
  return jobId !== "" ? jobId : `unknown-job:${plan.targetInstanceId}@${plan.restoreTimeEpochMs}`;
}

export function formatSeconds(s: number): string {
  if (s % 3600 === 0) return `${s / 3600}h`;
  if (s % 60 === 0) return `${s / 60}m`;
  return `${s}s`;
}
