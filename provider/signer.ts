/**
 * Huawei Cloud AK/SK request signing, `SDK-HMAC-SHA256`, and its verification (for the emulator).
 * The canonical request, where it differs from Huawei's SDK and the gateway's codes: docs/signing.md.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { ConfigurationError } from "./errors";

/** The signing algorithm name, first word of the `Authorization` header. */
export const SIGNING_ALGORITHM = "SDK-HMAC-SHA256";

/** Hex sha256 of the empty string: the body hash of a GET. */
export const EMPTY_BODY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/** The gateway's accepted clock difference between `X-Sdk-Date` and its own clock. */
export const DEFAULT_MAX_SKEW_MS = 15 * 60_000;

/** Codes `verifyRequest` returns (API-gateway style; see the header comment). */
export const SIGNER_ERROR_CODES = Object.freeze({
  /** Bad, unknown or mismatching credentials or signature. */
  badCredentials: "APIGW.0301",
  /** Missing, malformed or out-of-window `X-Sdk-Date`. */
  badDate: "APIGW.0303",
});

const SDK_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const CONTENT_SHA256 = "x-sdk-content-sha256";

/** Format a time as `X-Sdk-Date` wants it: `YYYYMMDDTHHmmssZ` in UTC (seconds, no fraction). */
export function formatSdkDate(d: Date): string {
  const t = d.getTime();
  if (!Number.isFinite(t)) throw new RangeError("formatSdkDate: invalid Date");
  const year = d.getUTCFullYear();
  if (year < 0 || year > 9999) throw new RangeError(`formatSdkDate: year ${year} is outside 0000..9999`);
  const two = (n: number): string => String(n).padStart(2, "0");
  return (
    String(year).padStart(4, "0") +
    two(d.getUTCMonth() + 1) +
    two(d.getUTCDate()) +
    "T" +
    two(d.getUTCHours()) +
    two(d.getUTCMinutes()) +
    two(d.getUTCSeconds()) +
    "Z"
  );
}

/** Parse a `YYYYMMDDTHHmmssZ` value; undefined for any other text or an impossible date. */
export function parseSdkDate(s: string): Date | undefined {
  if (typeof s !== "string") return undefined;
  const m = SDK_DATE.exec(s);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number);
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59 || day < 1) return undefined;
  const d = new Date(Date.UTC(2000, month - 1, day, hour, minute, second));
  d.setUTCFullYear(year, month - 1, day);
  // A day beyond the month's end rolls over: refuse it.
  if (d.getUTCDate() !== day || d.getUTCMonth() !== month - 1) return undefined;
  return d;
}

/** A request about to be sent. */
export interface SignableRequest {
  method: string;
  /** Absolute URL, query included, e.g. `https://ddm.ap-southeast-1.myhuaweicloud.com/v3/p/instances?offset=0`. */
  url: string;
  /** Headers to send (X-Project-Id, X-Security-Token, Content-Type, ...). All are signed. */
  headers: Record<string, string>;
  /** The body exactly as it will be sent; absent or "" for none. */
  body?: string;
}

/** Hex sha256 of a body (string as UTF-8, or bytes). */
export function sha256Hex(body: string | Uint8Array): string {
  return createHash("sha256").update(body).digest("hex");
}

/** Percent-encode as Huawei's signer does: every UTF-8 byte except `A-Z a-z 0-9 - _ . ~`. */
function encode(text: string): string {
  // encodeURIComponent leaves A-Z a-z 0-9 - _ . ! ~ * ' ( ) alone and uses upper-case hex;
  // Huawei's set is RFC 3986's unreserved characters, so ! * ' ( ) are encoded as well.
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase(),
  );
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment; // not valid percent-encoding: sign what is there (its % becomes %25)
  }
}

function canonicalUri(path: string): string {
  const encoded = path
    .split("/")
    .map((s) => encode(decodeSegment(s)))
    .join("/");
  return encoded.endsWith("/") ? encoded : `${encoded}/`;
}

/** Code-unit order, the order of `Array.prototype.sort()` on strings. */
function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function canonicalQuery(query: URLSearchParams): string {
  const byKey = new Map<string, string[]>();
  for (const [k, v] of query) {
    const values = byKey.get(k);
    if (values) values.push(v);
    else byKey.set(k, [v]);
  }
  const parts: string[] = [];
  for (const key of [...byKey.keys()].sort(byCodeUnits)) {
    const encodedKey = encode(key);
    for (const value of byKey.get(key)!.sort(byCodeUnits)) parts.push(`${encodedKey}=${encode(value)}`);
  }
  return parts.join("&");
}

function trimHeaderValue(value: string): string {
  return String(value).replace(/^[ \t]+|[ \t]+$/g, "");
}

/** The headers with lower-cased names; two names differing only in case are an error. */
function lowerCaseHeaders(headers: Record<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (out.has(lower)) throw new RangeError(`header ${lower} is given twice (names differ only in case)`);
    out.set(lower, value);
  }
  return out;
}

/**
 * The canonical request (see the header comment). `path` is the URL path as sent or as it
 * arrived (percent-encoded or not), `query` the decoded query, `signedHeaders` the header names
 * in the order they are listed in `SignedHeaders`. Throws a RangeError when a signed header is
 * not in `headers`.
 */
export function canonicalRequest(
  method: string,
  path: string,
  query: URLSearchParams,
  headers: Record<string, string>,
  signedHeaders: string[],
  bodySha256Hex: string,
): string {
  const lower = lowerCaseHeaders(headers);
  const names = signedHeaders.map((n) => n.toLowerCase());
  let canonicalHeaders = "";
  for (const name of names) {
    const value = lower.get(name);
    if (value === undefined) throw new RangeError(`signed header ${name} is not among the headers`);
    canonicalHeaders += `${name}:${trimHeaderValue(value)}\n`;
  }
  return [
    method.toUpperCase(),
    canonicalUri(path || "/"),
    canonicalQuery(query),
    canonicalHeaders,
    names.join(";"),
    bodySha256Hex,
  ].join("\n");
}

/** `SDK-HMAC-SHA256\n{sdkDate}\n{hex sha256 of the canonical request}`. */
export function stringToSign(canonical: string, sdkDate: string): string {
  return `${SIGNING_ALGORITHM}\n${sdkDate}\n${sha256Hex(canonical)}`;
}

/** Hex HMAC-SHA256 of the string to sign, keyed with the secret key. */
export function signature(secretKey: string, toSign: string): string {
  return createHmac("sha256", secretKey).update(toSign).digest("hex");
}

function findHeader(headers: Record<string, string>, lowerName: string): string | undefined {
  return Object.keys(headers).find((k) => k.toLowerCase() === lowerName);
}

/**
 * Sign a request. Returns the full header set to send: `req.headers`, plus `host` (from the URL,
 * unless a Host header is given), `X-Sdk-Date` (from `now`, replacing any given) and
 * `Authorization` (replacing any given). Every header in the result except Authorization is
 * signed, so nothing may change them afterwards; headers the HTTP library adds later
 * (User-Agent, Accept, Content-Length) are simply not signed, which the gateway allows.
 */
export function signRequest(
  req: SignableRequest,
  creds: { accessKey: string; secretKey: string },
  now: Date,
): Record<string, string> {
  if (!creds.accessKey || !creds.secretKey) {
    throw new ConfigurationError("AK/SK signing needs both an access key and a secret key", [
      "accessKey",
      "secretKey",
    ]);
  }
  const url = new URL(req.url);
  const sdkDate = formatSdkDate(now);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    const lower = k.toLowerCase();
    if (lower !== "x-sdk-date" && lower !== "authorization") headers[k] = v;
  }
  if (findHeader(headers, "host") === undefined) headers.host = url.host;
  headers["X-Sdk-Date"] = sdkDate;

  const names = [...lowerCaseHeaders(headers).keys()].sort(byCodeUnits);
  const contentShaKey = findHeader(headers, CONTENT_SHA256);
  const bodyHash = contentShaKey !== undefined ? headers[contentShaKey] : sha256Hex(req.body ?? "");
  const canonical = canonicalRequest(req.method, url.pathname, url.searchParams, headers, names, bodyHash);
  const sig = signature(creds.secretKey, stringToSign(canonical, sdkDate));
  headers.Authorization = `${SIGNING_ALGORITHM} Access=${creds.accessKey}, SignedHeaders=${names.join(";")}, Signature=${sig}`;
  return headers;
}

/** The parts of an `Authorization` header; undefined when it is not of the SDK-HMAC form. */
export function parseAuthorization(
  h: string,
): { algorithm: string; accessKey: string; signedHeaders: string[]; signature: string } | undefined {
  if (typeof h !== "string") return undefined;
  const m = /^([A-Za-z0-9-]+) Access=([^\s,]+), ?SignedHeaders=([^\s,]+), ?Signature=([0-9a-fA-F]{64})$/.exec(
    h.trim(),
  );
  if (!m) return undefined;
  const signedHeaders = m[3].split(";");
  if (signedHeaders.some((n) => !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(n))) return undefined;
  return { algorithm: m[1], accessKey: m[2], signedHeaders, signature: m[4] };
}

/** What arrived at the server. */
export interface ArrivedRequest {
  method: string;
  /** The URL path as it arrived (percent-encoded), without the query. */
  path: string;
  /** The query as it arrived, without the `?` (a leading `?` is tolerated); "" for none. */
  rawQuery: string;
  /** Headers with lower-cased names, as Node's `IncomingMessage.headers` has them. */
  headers: Record<string, string>;
  /** The body bytes as they arrived; absent or empty for none. */
  body?: string | Uint8Array;
}

export type VerifyResult = { ok: true; accessKey: string } | { ok: false; code: string; reason: string };

/**
 * Check an AK/SK-signed request the way Huawei's API gateway does, from what actually arrived.
 * `lookupSecret` maps an access key to its secret key (undefined: unknown). See the header
 * comment for the codes.
 */
export function verifyRequest(
  req: ArrivedRequest,
  lookupSecret: (accessKey: string) => string | undefined,
  now: Date,
  maxSkewMs: number = DEFAULT_MAX_SKEW_MS,
): VerifyResult {
  const bad = (reason: string): VerifyResult => ({
    ok: false,
    code: SIGNER_ERROR_CODES.badCredentials,
    reason: `Incorrect IAM authentication information: ${reason}`,
  });
  const badDate = (reason: string): VerifyResult => ({
    ok: false,
    code: SIGNER_ERROR_CODES.badDate,
    reason: `Incorrect authentication information: ${reason}`,
  });

  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : String(v);
  }
  const authorization = headers.authorization;
  if (authorization === undefined) return bad("no Authorization header");
  const auth = parseAuthorization(authorization);
  if (!auth)
    return bad(
      "Authorization header is not of the form SDK-HMAC-SHA256 Access=…, SignedHeaders=…, Signature=…",
    );
  if (auth.algorithm !== SIGNING_ALGORITHM) return bad(`unsupported signing algorithm ${auth.algorithm}`);

  const sdkDate = headers["x-sdk-date"];
  if (sdkDate === undefined) return badDate("no X-Sdk-Date header");
  const date = parseSdkDate(sdkDate.trim());
  if (!date) return badDate(`X-Sdk-Date ${JSON.stringify(sdkDate.slice(0, 32))} is not YYYYMMDDTHHmmssZ`);
  const skew = Math.abs(now.getTime() - date.getTime());
  if (skew > maxSkewMs) {
    return badDate(
      `X-Sdk-Date ${sdkDate} is ${Math.round(skew / 1000)} s away from the server clock (allowed ${Math.round(maxSkewMs / 1000)} s)`,
    );
  }

  const signed = auth.signedHeaders.map((n) => n.toLowerCase());
  const missing = signed.filter((n) => headers[n] === undefined);
  if (missing.length > 0) return bad(`signed header(s) ${missing.join(", ")} did not arrive`);
  if (!signed.includes("host")) return bad("the host header must be signed");

  const secret = lookupSecret(auth.accessKey);
  if (secret === undefined) return bad(`Get secretKey failed, access key not found`);

  const actualBodyHash = sha256Hex(req.body ?? "");
  let bodyHash = actualBodyHash;
  const declared = signed.includes(CONTENT_SHA256) ? headers[CONTENT_SHA256].trim() : undefined;
  if (declared !== undefined) {
    if (declared !== "UNSIGNED-PAYLOAD" && declared.toLowerCase() !== actualBodyHash) {
      return bad("X-Sdk-Content-Sha256 does not match the body");
    }
    bodyHash = declared;
  }

  let expected: string;
  try {
    const query = new URLSearchParams(req.rawQuery.startsWith("?") ? req.rawQuery.slice(1) : req.rawQuery);
    const canonical = canonicalRequest(req.method, req.path, query, headers, signed, bodyHash);
    expected = signature(secret, stringToSign(canonical, sdkDate.trim()));
  } catch (e) {
    return bad(`request cannot be canonicalized (${e instanceof Error ? e.name : "error"})`);
  }
  const a = Buffer.from(expected, "utf8");
  const b = Buffer.from(auth.signature.toLowerCase(), "utf8");
  if (a.length !== b.length || !timingSafeEqual(a, b)) return bad("verify aksk signature fail");
  return { ok: true, accessKey: auth.accessKey };
}
