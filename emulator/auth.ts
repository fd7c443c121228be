/**
 * Authentication as Huawei's API gateway checks it: an AK/SK signature (with the optional
 * security token and X-Project-Id), the fixture's static token, or a token IAM issued
 * (unexpired and scoped to the project in the path). A refusal is a 401 HttpFailure.
 */
import * as http from "node:http";
import { redactSecrets } from "../provider/errors";
import { verifyRequest } from "../provider/signer";
import { EMULATOR_ERRORS, HttpFailure } from "./http-errors";
import { Fixture, FixtureCredentials, primaryProject } from "./fixture";
import { AuthMode, EmulatorCredentials } from "./types";

/** A token `POST /v3/auth/tokens` issued. */
export interface IssuedToken {
  expiresAtMs: number;
  issuedAtMs: number;
  projectId?: string;
}

/** `{YYYY-MM-DDTHH:mm:ss.ffffffZ}`, IAM's form of `expires_at` (microseconds). */
export function iamTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}

/** The credentials an emulator serving `f` accepts (`Emulator.credentials`). */
export function emulatorCredentials(f: Fixture): EmulatorCredentials {
  return {
    region: f.region,
    projectId: primaryProject(f).id,
    token: f.credentials.token,
    accessKey: f.credentials.accessKey,
    secretKey: f.credentials.secretKey,
    securityToken: f.credentials.securityToken,
    domainName: f.credentials.domainName,
    userName: f.credentials.userName,
    password: f.credentials.password,
  };
}

function lower(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : v;
  }
  return out;
}

/** What the check reads of a request. */
export interface AuthRequest {
  req: http.IncomingMessage;
  rawPath: string;
  rawQuery: string;
  body: Buffer;
  /** The project in the path, which a token or X-Project-Id must match. */
  pathProjectId: string | undefined;
}

/** How the request authenticated; throws a 401 HttpFailure saying why when it did not. */
export function authenticate(
  r: AuthRequest,
  c: FixtureCredentials,
  issued: ReadonlyMap<string, IssuedToken>,
  now: () => number,
  maxSkewMs: number,
): Exclude<AuthMode, "none" | "refused"> {
  const headers = lower(r.req.headers);
  const refuse = (reason: string, code = EMULATOR_ERRORS.auth.code): never => {
    throw new HttpFailure(401, code, `${EMULATOR_ERRORS.auth.msg}: ${reason}`);
  };
  if (headers.authorization !== undefined) {
    const v = verifyRequest(
      { method: r.req.method ?? "GET", path: r.rawPath, rawQuery: r.rawQuery, headers, body: r.body },
      (ak) => (ak === c.accessKey ? c.secretKey : undefined),
      new Date(now()),
      maxSkewMs,
    );
    if (!v.ok) throw new HttpFailure(401, v.code, redactSecrets(v.reason));
    const st = headers["x-security-token"];
    if (st !== undefined && st !== c.securityToken) refuse("the security token is invalid or expired");
    const pid = headers["x-project-id"];
    if (pid !== undefined && r.pathProjectId !== undefined && pid !== r.pathProjectId)
      refuse("X-Project-Id does not match the project in the path");
    return "aksk";
  }
  const token = headers["x-auth-token"];
  if (token === undefined || token === "") refuse("x-auth-token not found");
  if (token === c.token) return "token";
  const t = issued.get(token);
  if (!t) refuse("decrypt token fail");
  const info = t as IssuedToken;
  if (now() >= info.expiresAtMs) refuse(`token expires, expires_at: ${iamTime(info.expiresAtMs)}`);
  if (r.pathProjectId !== undefined && info.projectId !== r.pathProjectId)
    refuse("the token is not scoped to the project in the path");
  return "iam-token";
}
