/**
 * Small HTTP helpers for the emulator's own tests: plain node:http (no client of ours), a
 * fresh agent per request unless one is given, bodies read whole.
 */
import { waitFor as waitForCondition } from "../support/wait";
import * as http from "node:http";
import { signRequest } from "../../provider/signer";
import type { Emulator } from "../../emulator";

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  agent?: http.Agent | false;
  /** Give up (reject with "timeout") after this many ms. */
  timeoutMs?: number;
}

/** Send one request to an absolute URL and read the whole answer. */
export function request(url: string, opts: RequestOptions = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: opts.method ?? "GET", headers: opts.headers ?? {}, agent: opts.agent ?? false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", reject);
        res.on("aborted", () => reject(new Error("aborted")));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on("error", reject);
    if (opts.timeoutMs !== undefined) {
      req.setTimeout(opts.timeoutMs, () => {
        req.destroy(new Error("timeout"));
      });
    }
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

export const SOURCE = "1f5c9fd6cd984056ba89c8c87cc03278in09";
export const PROJECT = "619d3e78f61b4be68bc5aa0b59edcf7b";

/** `/v3/{project}/instances/{instance}/backups/{what}` with an optional query. */
export function ddmPath(
  what: "restorable-instances" | "restorable-time-interval",
  query = "",
  project = PROJECT,
  instance = SOURCE,
): string {
  return `/v3/${project}/instances/${instance}/backups/${what}${query ? `?${query}` : ""}`;
}

/** GET a DDM path with the static token. */
export function getWithToken(em: Emulator, path: string, token = em.credentials.token): Promise<Reply> {
  return request(em.url + path, { headers: { "X-Auth-Token": token } });
}

/** GET a path signed with AK/SK (headers added before signing are signed too). */
export function getSigned(
  em: Emulator,
  path: string,
  opts: { headers?: Record<string, string>; now?: Date; accessKey?: string; secretKey?: string } = {},
): Promise<Reply> {
  const url = em.url + path;
  const headers = signRequest(
    { method: "GET", url, headers: opts.headers ?? {} },
    {
      accessKey: opts.accessKey ?? em.credentials.accessKey,
      secretKey: opts.secretKey ?? em.credentials.secretKey,
    },
    opts.now ?? new Date(),
  );
  return request(url, { headers });
}

/** The body of `POST /v3/auth/tokens` for password auth. */
export function passwordBody(
  em: Emulator,
  overrides: { domain?: string; user?: string; password?: string; scope?: unknown } = {},
): string {
  const c = em.credentials;
  return JSON.stringify({
    auth: {
      identity: {
        methods: ["password"],
        password: {
          user: {
            name: overrides.user ?? c.userName,
            password: overrides.password ?? c.password,
            domain: { name: overrides.domain ?? c.domainName },
          },
        },
      },
      scope: overrides.scope ?? { project: { name: c.region } },
    },
  });
}

/** Obtain an IAM token from the emulator; returns the reply (token in `x-subject-token`). */
export function issueToken(em: Emulator, body = passwordBody(em)): Promise<Reply> {
  return request(`${em.iamUrl}/auth/tokens`, {
    method: "POST",
    headers: { "Content-Type": "application/json;charset=utf8" },
    body,
  });
}

/** Wait until `predicate` holds (polling every 5 ms), at most `ms` (2 s by default here). */
export const waitFor = (predicate: () => boolean, ms = 2000): Promise<void> =>
  waitForCondition(predicate, ms);
