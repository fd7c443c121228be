/**
 * What an exchange means: a 2xx answer to read, an error to retry, or an error to throw now.
 * Huawei's error bodies are read here, and a mutation (the restore POST) is never retried once
 * it may have reached the server.
 */
import { ApiError, NetworkError, ResponseError, cut, redactSecrets } from "../errors";
import { HEADERS } from "../defaults";
import { AttemptOutcome, isRetryableStatus, parseRetryAfter } from "../retry";
import { Exchanged, Service, Spec } from "./transport";

/** A 2xx answer, its body not yet parsed, and where it came from. */
export interface Answer {
  service: Service;
  status: number;
  headers: Record<string, string>;
  body: string;
  requestId: string;
  method: string;
  path: string;
  attempts: number;
}

/** Network failures that happen before a request leaves this machine (it cannot have been acted on). */
const PRE_SEND_NETWORK_CODES: readonly string[] = ["ECONNREFUSED", "EAI_AGAIN", "ENOTFOUND"];

/**
 * Huawei's error bodies: `{error_code, error_msg}`, DDM's `{errCode, externalMessage}` (its
 * restore and job calls), APIGW's `{code, message}`, IAM's `{error: {code, message}}`.
 */
export function errorFields(body: string): { errorCode: string; errorMsg: string } {
  let j: unknown;
  try {
    j = JSON.parse(body);
  } catch {
    return { errorCode: "", errorMsg: "" };
  }
  // Redact first, then cut: a secret cut in half would no longer match the registry.
  const text = (v: unknown): string =>
    typeof v === "string" ? cut(redactSecrets(v), 500) : typeof v === "number" ? String(v) : "";
  if (typeof j !== "object" || j === null) return { errorCode: "", errorMsg: "" };
  const o = j as Record<string, unknown>;
  if (o.error_code !== undefined || o.error_msg !== undefined)
    return { errorCode: text(o.error_code), errorMsg: text(o.error_msg) };
  if (o.errCode !== undefined || o.externalMessage !== undefined)
    return { errorCode: text(o.errCode), errorMsg: text(o.externalMessage) };
  if (typeof o.error === "object" && o.error !== null) {
    const e = o.error as Record<string, unknown>;
    return { errorCode: text(e.code ?? e.error_code), errorMsg: text(e.message ?? e.error_msg) };
  }
  if (o.code !== undefined || o.message !== undefined)
    return { errorCode: text(o.code), errorMsg: text(o.message) };
  return { errorCode: "", errorMsg: "" };
}

/** An exchange as an attempt outcome (non-retryable failures thrown). */
export function classify(
  spec: Spec,
  res: Exchanged,
  attempts: number,
  nowMs: () => number,
): AttemptOutcome<Answer> {
  const method = spec.method;
  const path = spec.path;
  const request = { method, path, attempts };
  if (res.kind === "network") {
    // A mutation is retried only when the failure proves it never reached the server.
    const unsent = PRE_SEND_NETWORK_CODES.includes(res.code);
    const outcomeUnknown = spec.mutation === true && !unsent;
    const retryable = res.retryable && !outcomeUnknown;
    const error = new NetworkError(
      { code: res.code, detail: res.detail, request, retryable, outcomeUnknown, service: spec.service },
      { cause: Object.assign(new Error(res.detail), { code: res.code }) },
    );
    if (!retryable) throw error;
    return { ok: false, error };
  }
  if (res.status >= 200 && res.status < 300) {
    return {
      ok: true,
      value: {
        service: spec.service,
        status: res.status,
        headers: res.headers,
        body: res.body,
        requestId: res.requestId,
        method,
        path,
        attempts,
      },
    };
  }
  const { errorCode, errorMsg } = errorFields(res.body);
  // A mutation answered 5xx may have been acted on; only "target busy" (409) proves it was not.
  const outcomeUnknown = spec.mutation === true && res.status >= 500;
  const retryable = spec.mutation
    ? res.status === 409 && isRetryableStatus(res.status, errorCode)
    : isRetryableStatus(res.status, errorCode);
  const error = new ApiError({
    status: res.status,
    errorCode,
    errorMsg,
    requestId: res.requestId,
    request,
    retryable,
    outcomeUnknown,
    message: spec.service === "IAM" ? `IAM API ${method} ${path} failed with HTTP ${res.status}` : undefined,
  });
  if (!retryable) throw error;
  const retryAfterMs =
    res.status === 429 || res.status === 503
      ? parseRetryAfter(res.headers[HEADERS.retryAfter.toLowerCase()], nowMs())
      : undefined;
  return { ok: false, error, retryAfterMs };
}

/** A 2xx body as JSON; an empty or non-JSON body is a ResponseError with field `(body)`. */
export function parseJson(answer: Answer): unknown {
  const fail = (detail: string) =>
    new ResponseError({
      field: "(body)",
      detail,
      status: answer.status,
      requestId: answer.requestId,
      request: { method: answer.method, path: answer.path },
      service: answer.service,
    });
  const text = answer.body;
  if (text.trim() === "") throw fail("the body is empty; expected JSON");
  try {
    return JSON.parse(text);
  } catch {
    const type = answer.headers["content-type"] ?? "no content type";
    throw fail(
      `the body is not JSON (${type}; it starts ${JSON.stringify(cut(redactSecrets(text.trim()), 40))})`,
    );
  }
}
