/**
 * Secret hygiene: the process-wide registry of secret values, and the redaction every message,
 * log line and error of pulumi-hwddm passes through.
 */
import { DEFAULTS } from "./defaults";

// The registry is shared through the global symbol registry (like BRAND), so that a secret
// registered by one loaded copy of the package is redacted by every other copy too. The set
// itself stays a plain insertion-ordered Set (what every copy, older ones included, expects);
// a second shared record holds the longest-first list that redaction walks, rebuilt only when
// the set's contents change (a `generation` bump, or a size change made by a copy that does
// not bump it).
const SECRETS = Symbol.for("pulumi-hwddm.secrets");
const SECRETS_ORDER = Symbol.for("pulumi-hwddm.secrets.longest-first");
const shared = globalThis as Record<symbol, unknown>;
const registeredSecrets: Set<string> = (shared[SECRETS] ??= new Set<string>()) as Set<string>;
const longestFirst = (shared[SECRETS_ORDER] ??= { generation: 0 }) as {
  generation: number;
  cached?: { generation: number; size: number; list: string[] };
};

/**
 * Remember a secret value (token, secret key, password, signature) so that any text that
 * passes through `redactSecrets` has it replaced. Values shorter than 4 characters are
 * not registered (they would redact ordinary words).
 *
 * The registry keeps the `DEFAULTS.maxRegisteredSecrets` (1,000) most recently registered
 * values and drops the oldest beyond that, so that a long-lived plugin process, which
 * registers every IAM token it is issued, neither grows without end nor slows every
 * redaction. Dropping the oldest is safe because every secret still in use is registered
 * again whenever it is used: credentials each time config is resolved (`resolveConfig`,
 * `checkProviderConfig`, the plugin's secret strings) and by the client on every request
 * (its token, secret key, security token, password token), and registering a value already
 * held moves it to the newest end. What falls off is a value no one has used for 1,000
 * registrations: an IAM token long replaced.
 */
export function registerSecret(value: string | undefined): void {
  if (typeof value !== "string" || value.length < 4) return;
  if (registeredSecrets.delete(value)) {
    registeredSecrets.add(value); // most recently used last; the contents are unchanged
    return;
  }
  registeredSecrets.add(value);
  longestFirst.generation++;
  const cap = DEFAULTS.maxRegisteredSecrets;
  if (registeredSecrets.size > cap) {
    for (const oldest of registeredSecrets) {
      registeredSecrets.delete(oldest);
      if (registeredSecrets.size <= cap) break;
    }
  }
}

/**
 * Forget every registered secret. The registry is process-wide, so a test run calls this
 * between spec files (test/setup.ts) to keep one file's secrets from shaping another's results.
 */
export function clearRegisteredSecrets(): void {
  registeredSecrets.clear();
  longestFirst.generation++;
  delete longestFirst.cached;
}

/** The registered secrets, longest first (cached until the set changes). */
function secretsLongestFirst(): string[] {
  const c = longestFirst.cached;
  if (c && c.generation === longestFirst.generation && c.size === registeredSecrets.size) return c.list;
  // Longest first: a secret that contains another must not be left partly visible.
  const list = [...registeredSecrets].sort((a, b) => b.length - a.length);
  longestFirst.cached = { generation: longestFirst.generation, size: registeredSecrets.size, list };
  return list;
}

// Credential-shaped fragments, redacted even when the value was never registered:
// `key=value` and JSON `"key": "value"` for every credential name, and `Name: value` only for
// header names (prose such as "an IAM token: set authToken ..." must stay readable).
const CREDENTIAL_NAMES =
  "password|passwd|secret(?:[_-]?(?:access[_-]?)?key)?|(?:auth|security|subject|access)?[_-]?token|x-auth-token|x-subject-token|x-security-token|authorization";
const SECRET_PATTERNS: RegExp[] = [
  /(Signature=)[0-9a-fA-F]+/g,
  /(Access=)[^,\s]+/g,
  new RegExp(`((?:${CREDENTIAL_NAMES})=)[^&\\s,;}"]+`, "gi"),
  new RegExp(`("(?:${CREDENTIAL_NAMES})"\\s*:\\s*")[^"]*`, "gi"),
  /((?:x-auth-token|x-subject-token|x-security-token|authorization|secret[_-]?access[_-]?key)\s*:\s*)[^\s,;}"]+/gi,
];

/** Replace every registered secret with `[REDACTED]`. */
export function redactRegistered(text: string): string {
  let out = text;
  for (const secret of secretsLongestFirst()) {
    if (out.includes(secret)) out = out.split(secret).join("[REDACTED]");
  }
  return out;
}

/** Replace every registered secret and every credential-shaped fragment with `[REDACTED]`. */
export function redactSecrets(text: string): string {
  let out = redactRegistered(String(text));
  for (const re of SECRET_PATTERNS) out = out.replace(re, "$1[REDACTED]");
  return out;
}
