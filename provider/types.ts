/**
 * The shapes that join the core's modules and its faces. Changing one of these is a change
 * to every face: the plugin, the SDK, the dynamic resources and the CLI all rely on them.
 */
import type { PagingOptions, RetryOptions } from "./defaults";
import { CONFIG_VARIABLES } from "./spec/config";
import type { Property } from "./spec/declaration";
import {
  GET_RELATED_DATA_NODES,
  GET_RESTORABLE_DATA_NODES,
  GET_RESTORABLE_INSTANCES,
  GET_RESTORE_TIME_INTERVALS,
  PLAN_RESTORE,
  SELECT_RESTORE_TARGET,
  SELECT_RESTORE_TIME,
} from "./spec/functions";
import { RESTORE } from "./spec/restore";

// ---------------------------------------------------------------------------------------
// Configuration

// ProviderConfigInput, the provider configuration as it arrives, is the declaration's.
import type { ProviderConfigInput } from "./config.generated";
export type { ProviderConfigInput };

/** The config keys, in schema order. */
export const CONFIG_KEYS = Object.freeze(
  Object.keys(CONFIG_VARIABLES) as (keyof typeof CONFIG_VARIABLES)[],
) satisfies readonly (keyof ProviderConfigInput)[];

/**
 * The credential keys: taken together from one layer (provider config, `HW_*`, or
 * `HUAWEICLOUD_SDK_*`), never mixed across layers.
 */
export const CREDENTIAL_KEYS = [
  "authToken",
  "accessKey",
  "secretKey",
  "securityToken",
  "domainName",
  "userName",
  "password",
] as const satisfies readonly (keyof ProviderConfigInput)[];

/**
 * Where a resolved value (or a rejected one) came from. `name` is the core's name for it
 * (`the region argument`, `hwddm:region`, `HW_REGION_NAME`); faces that call things
 * differently (the CLI's flags) map `kind` and `key` to their own words.
 */
export interface ConfigSource {
  kind: "argument" | "config" | "env" | "default";
  /** The config key or argument, e.g. `region`. */
  key: string;
  name: string;
  /** For provider config and environment values: the credential layer it belongs to. */
  layer?: "config" | "HW" | "HUAWEICLOUD_SDK";
}

/** Config keys whose values are secrets (never printed, marked secret in Pulumi). */
export const SECRET_CONFIG_KEYS: readonly (keyof ProviderConfigInput)[] = Object.freeze(
  CONFIG_KEYS.filter((k) => (CONFIG_VARIABLES[k] as Property).secret),
);

export type AuthConfig =
  | { mode: "token"; token: string }
  | { mode: "aksk"; accessKey: string; secretKey: string; securityToken?: string }
  | { mode: "password"; domainName: string; userName: string; password: string };

/** Configuration after resolution (argument → provider config → environment → default). */
export interface ResolvedConfig {
  region: string;
  /** Undefined: looked up through IAM `GET /v3/projects?name={region}` and cached. */
  projectId?: string;
  /** DDM base URL, no trailing slash, e.g. `https://ddm.ap-southeast-1.myhuaweicloud.com`. */
  endpoint: string;
  /** IAM base URL ending in `/v3`, e.g. `https://iam.ap-southeast-1.myhuaweicloud.com/v3`. */
  authUrl: string;
  auth: AuthConfig;
  maxRetries: number;
  requestTimeoutMs: number;
  /** Deadline of one invoke, ms; default DEFAULTS.invokeTimeoutMs when absent (hand-built configs). */
  invokeTimeoutMs?: number;
  /** Most records one invoke reads; default DEFAULT_PAGING.maxRecords when absent. */
  maxRecords?: number;
  insecure: boolean;
  /**
   * Where each value came from (non-enumerable: not part of the config's identity). Absent
   * on a hand-built config.
   */
  readonly sources?: Readonly<Partial<Record<keyof ProviderConfigInput, ConfigSource>>>;
}

/** Knobs tests and benchmarks inject; users never need them. */
/** A retry about to happen: what failed, how long the client waits, which attempt comes next. */
export interface RetryNotice {
  /** The attempt about to be made, 1-based (2 for the first retry). */
  attempt: number;
  /** Attempts allowed in all (maxRetries + 1). */
  attempts: number;
  delayMs: number;
  /** HTTP status of the failure, 0 for a network failure. */
  status: number;
  /** Huawei's error_code, or the network code (ECONNRESET, ETIMEDOUT) when status is 0. */
  errorCode: string;
  method: string;
  path: string;
}

export interface ClientOverrides {
  retry?: Partial<RetryOptions>;
  paging?: Partial<PagingOptions>;
  /** Clock for token expiry and X-Sdk-Date. */
  now?: () => Date;
  /** Sleep used between retries (tests may make it instant). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Random source in [0,1) for backoff jitter. */
  random?: () => number;
  /** Starts a timeout (an attempt's, an invoke's deadline), returning its cancel (tests fire it on a fake clock). */
  timer?: (ms: number, fire: () => void) => () => void;
  /** Receives one line per request/retry; never a credential. */
  log?: (line: string) => void;
  /** Told about each retry before its delay, as data (the CLI's progress lines). */
  onRetry?: (notice: RetryNotice) => void;
  /**
   * Per-attempt timeout in ms, used in place of the config's `requestTimeoutMs` (which is
   * whole seconds), so tests can time out a stalled answer in tens of milliseconds.
   */
  requestTimeoutMs?: number;
  /** Invoke deadline in ms, used in place of the config's `invokeTimeoutMs` (whole seconds). */
  invokeTimeoutMs?: number;
}

// ---------------------------------------------------------------------------------------
// The functions (identical in every face): two data functions, and two selection functions
// that fetch the same data and choose from it (provider/select.ts) inside the provider, so
// that every Pulumi language gets the choice, not only TypeScript.

export const TOKENS = {
  getRestorableInstances: GET_RESTORABLE_INSTANCES.token,
  getRestoreTimeIntervals: GET_RESTORE_TIME_INTERVALS.token,
  selectRestoreTarget: SELECT_RESTORE_TARGET.token,
  selectRestoreTime: SELECT_RESTORE_TIME.token,
  getRelatedDataNodes: GET_RELATED_DATA_NODES.token,
  getRestorableDataNodes: GET_RESTORABLE_DATA_NODES.token,
  planRestore: PLAN_RESTORE.token,
} as const;

/** The resources the provider manages. */
export const RESOURCE_TOKENS = {
  restore: RESTORE.token,
} as const;

// Each function's argument and result interfaces and the object types they use are the
// declaration's (provider/spec), written by `npm run schema`.
export * from "./types.generated";

/** What every face hands the function registry besides the arguments. */
export interface InvokeContext {
  /** Provider config (stack config / explicit provider / CLI flags). */
  providerConfig?: ProviderConfigInput;
  /** Environment to read fallbacks from; defaults to process.env. */
  env?: Record<string, string | undefined>;
  /** Test and benchmark knobs. */
  overrides?: ClientOverrides;
  /** Aborts in-flight requests (plugin Cancel, CLI Ctrl-C). */
  signal?: AbortSignal;
  /**
   * How this face names a value's source in messages (the CLI: `--region` for the region
   * argument); undefined, or a namer returning undefined, keeps the core's name.
   */
  sourceName?: (source: ConfigSource) => string | undefined;
}
