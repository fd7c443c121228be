/** Writing answers: JSON bodies and the gateway's, DBS's and IAM's error bodies. */
import * as http from "node:http";
import { HttpFailure, JSON_TYPE } from "./http-errors";

export function sendJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": JSON_TYPE,
    "Content-Length": String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

/** `{error_code, error_msg}`, plus the gateway's `request_id` and, on IAM routes, IAM's `error` object. */
export function sendFailure(res: http.ServerResponse, f: HttpFailure, requestId: string, iam: boolean): void {
  const body: Record<string, unknown> = { error_code: f.code, error_msg: f.msg };
  if (f.code.startsWith("APIGW.")) body.request_id = requestId;
  if (iam && f.code.startsWith("IAM.")) {
    body.error = { code: f.status, title: http.STATUS_CODES[f.status] ?? "Error", message: f.msg };
  }
  sendJson(res, f.status, body, f.headers);
}
