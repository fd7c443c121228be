/**
 * The DDM client (the only code in the project that talks HTTP to DDM or IAM) and the
 * process-wide cache of clients, one per resolved config. The client's parts are in client/.
 */
import { createHash } from "node:crypto";
import { ClientOverrides, ResolvedConfig } from "./types";
import { DdmClient } from "./client/ddm-client";

export { DdmClient } from "./client/ddm-client";
export type { JsonResponse } from "./client/ddm-client";
export { errorFields } from "./client/classify";

const MAX_CACHED_CLIENTS = 64;
const sharedClients = new Map<string, DdmClient>();
const clientsByOverrides = new WeakMap<ClientOverrides, Map<string, DdmClient>>();

/**
 * The cache key of a resolved config: its non-credential fields in clear, its credentials
 * only as a sha256 (so the key itself never holds a secret).
 */
export function configKey(config: ResolvedConfig): string {
  const { auth, ...rest } = config;
  const credentialHash = createHash("sha256").update(JSON.stringify(auth)).digest("hex");
  return JSON.stringify({ ...rest, projectId: rest.projectId ?? null, mode: auth.mode, credentialHash });
}

/**
 * The client for `config`, shared by every call with an equal config (so IAM tokens and
 * project ids persist across invokes). Clients built with `overrides` are cached per
 * overrides object, never mixed with the shared ones.
 */
export function clientFor(config: ResolvedConfig, overrides?: ClientOverrides): DdmClient {
  let cache = sharedClients;
  if (overrides) {
    cache = clientsByOverrides.get(overrides) ?? new Map<string, DdmClient>();
    clientsByOverrides.set(overrides, cache);
  }
  const key = configKey(config);
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit); // most recently used last
    return hit;
  }
  const client = new DdmClient(config, overrides);
  cache.set(key, client);
  while (cache.size > MAX_CACHED_CLIENTS) {
    const oldest = cache.keys().next().value as string;
    cache.get(oldest)?.close();
    cache.delete(oldest);
  }
  return client;
}

/**
 * Close every cached client built with `overrides` (the shared ones when absent): their
 * keep-alive connections are released now, or as each one's last request ends. What a face
 * calls when it is done (the CLI at the end of a run, the plugin on shutdown). The clients stay
 * cached with their IAM tokens and project ids: a closed client still works, so an in-process
 * caller that runs again reuses them (and their connections are released again).
 */
export function closeClients(overrides?: ClientOverrides): void {
  const cache = overrides ? clientsByOverrides.get(overrides) : sharedClients;
  for (const client of cache?.values() ?? []) client.close();
}

/**
 * Close and forget every shared client, with the IAM tokens and project ids they hold. Not for
 * faces (they call `closeClients`): the cache is process-wide, so a test run calls this between
 * spec files (test/setup.ts) to keep one file's clients out of another's results.
 */
export function resetClients(): void {
  closeClients();
  sharedClients.clear();
}
