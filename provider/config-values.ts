/**
 * One config value's check: the one parser of config values (provider config, CLI flags,
 * environment, the SDK's `config` vars), returning the normalized value or why it is refused.
 */
import { describeValue } from "./errors";
import { SECRET_CONFIG_KEYS } from "./types";
import { CONFIG_LIMITS, ConfigKey as Key } from "./config-keys";
import { idProblem } from "./validate";

export function isSecretKey(key: Key): boolean {
  return SECRET_CONFIG_KEYS.includes(key);
}

const REGION_RE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
// Header-safe: printable ASCII, no whitespace (a trailing newline from `$(cat file)` is the usual culprit).
const HEADER_SAFE_RE = /^[\x21-\x7e]+$/;

export type Checked = { ok: true; value: unknown } | { ok: false; reason: string };

/** `v` as a message shows it: a secret key's value only by its type, never even a wrong one. */
function describeConfigValue(key: Key, v: unknown): string {
  if (isSecretKey(key))
    return typeof v === "string" ? "a string" : `a ${Array.isArray(v) ? "array" : typeof v}`;
  return describeValue(v);
}

function checkString(key: Key, v: unknown): Checked {
  if (typeof v !== "string")
    return { ok: false, reason: `got ${describeConfigValue(key, v)}; expected a string` };
  return { ok: true, value: v };
}

/** True when `host` (a URL's hostname) is this machine: 127.0.0.0/8, localhost, [::1]. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, "");
  return h === "localhost" || h === "[::1]" || h === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

function checkUrl(key: "endpoint" | "authUrl", v: unknown): Checked {
  if (typeof v !== "string")
    return { ok: false, reason: `got ${describeValue(v)}; expected an https:// URL` };
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    return {
      ok: false,
      reason: `got ${describeValue(v)}; expected an absolute http(s) URL such as https://host`,
    };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    return { ok: false, reason: `got ${describeValue(v)}; expected an http:// or https:// URL` };
  if (url.username || url.password)
    return { ok: false, reason: `expected a URL without user name or password in it` };
  if (url.search || url.hash || /[?#]/.test(v))
    return { ok: false, reason: `got ${describeValue(v)}; expected a URL without query or fragment` };
  const path = url.pathname.replace(/\/+$/, "");
  let out = `${url.protocol}//${url.host}${path}`;
  // authUrl ends in /v3 (as Huawei's Terraform provider takes it); endpoint is the host the
  // DDM paths (/v3/{project_id}/...) go under, so a trailing /v3 on it is dropped: both are
  // accepted with or without it.
  if (key === "authUrl" && !/\/v3$/.test(out)) out = `${out}/v3`;
  if (key === "endpoint") out = out.replace(/\/v3$/, "");
  return { ok: true, value: out };
}

function checkInteger(
  key: "maxRetries" | "requestTimeout" | "invokeTimeout" | "maxRecords",
  v: unknown,
): Checked {
  const { min, max } = CONFIG_LIMITS[key];
  const n =
    typeof v === "number" && Number.isSafeInteger(v)
      ? v
      : typeof v === "string" && /^\s*-?\d{1,9}\s*$/.test(v)
        ? Number(v.trim())
        : undefined;
  const unit = key === "requestTimeout" || key === "invokeTimeout" ? " (seconds)" : "";
  if (n === undefined || n < min || n > max)
    return { ok: false, reason: `got ${describeValue(v)}; expected an integer from ${min} to ${max}${unit}` };
  return { ok: true, value: n };
}

function checkBoolean(v: unknown): Checked {
  if (typeof v === "boolean") return { ok: true, value: v };
  if (typeof v === "string") {
    const s = v.trim().toLowerCase();
    if (s === "true" || s === "1") return { ok: true, value: true };
    if (s === "false" || s === "0") return { ok: true, value: false };
  }
  return { ok: false, reason: `got ${describeValue(v)}; expected true or false` };
}

/**
 * Check one key's value; returns the normalized value (URLs normalized, numbers and booleans
 * typed) or why it is refused. The one parser of config values: the SDK's `config` vars use it too.
 */
export function checkValue(key: Key, v: unknown): Checked {
  switch (key) {
    case "region": {
      if (typeof v !== "string" || v.length > 64 || !REGION_RE.test(v))
        return {
          ok: false,
          reason: `got ${describeValue(v)}; expected a region name of lowercase letters, digits and hyphens, e.g. ap-southeast-1`,
        };
      return { ok: true, value: v };
    }
    case "projectId": {
      const p = idProblem(v);
      return p ? { ok: false, reason: p } : { ok: true, value: v };
    }
    case "endpoint":
    case "authUrl":
      return checkUrl(key, v);
    case "authToken":
    case "accessKey":
    case "secretKey":
    case "securityToken": {
      const s = checkString(key, v);
      if (!s.ok) return s;
      if (!HEADER_SAFE_RE.test(v as string))
        return {
          ok: false,
          reason: `${key === "accessKey" ? `got ${describeValue(v)}; ` : ""}expected printable ASCII without spaces or control characters (a trailing newline?)`,
        };
      return s;
    }
    case "domainName":
    case "userName":
    case "password":
      return checkString(key, v);
    case "maxRetries":
    case "requestTimeout":
    case "invokeTimeout":
    case "maxRecords":
      return checkInteger(key, v);
    case "insecure":
      return checkBoolean(v);
  }
}

/** Why http:// is refused for this URL, or undefined when it is allowed. */
export function httpProblem(url: string, insecure: boolean): string | undefined {
  const u = new URL(url);
  if (u.protocol === "https:" || insecure || isLoopbackHost(u.hostname)) return undefined;
  return `got ${describeValue(url)}; plain http:// is allowed only for a loopback host (127.0.0.1, localhost, [::1]) or with insecure set to true; use https://`;
}
