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

/**
 * Provider configuration as it arrives from a face: stack config (`hwddm:region`), an
 * explicit `Provider` resource, CLI flags. Every value may be a string (Pulumi config
 * values often are) or typed; `resolveConfig` checks and converts them.
 */
export interface ProviderConfigInput {
  /** Huawei Cloud region, e.g. `ap-southeast-1`. Env: HW_REGION_NAME. */
  region?: string;
  /** Project id; looked up through IAM by region name when absent. Env: HW_PROJECT_ID, HUAWEICLOUD_SDK_PROJECT_ID. */
  projectId?: string;
  /** DDM endpoint URL override, e.g. `http://127.0.0.1:8080`. Env: HWDDM_ENDPOINT. */
  endpoint?: string;
  /** IAM token (secret). Env: HW_AUTH_TOKEN. */
  authToken?: string;
  /** Access key id. Env: HW_ACCESS_KEY, HUAWEICLOUD_SDK_AK. */
  accessKey?: string;
  /** Secret access key (secret). Env: HW_SECRET_KEY, HUAWEICLOUD_SDK_SK. */
  secretKey?: string;
  /** Security token for temporary AK/SK (secret). Env: HW_SECURITY_TOKEN, HUAWEICLOUD_SDK_SECURITY_TOKEN. */
  securityToken?: string;
  /** IAM endpoint, with or without `/v3`. Env: HW_AUTH_URL, HUAWEICLOUD_SDK_IAM_ENDPOINT. */
  authUrl?: string;
  /** Account (domain) name for password auth. Env: HW_DOMAIN_NAME. */
  domainName?: string;
  /** IAM user name for password auth. Env: HW_USER_NAME. */
  userName?: string;
  /** IAM user password (secret). Env: HW_PASSWORD. */
  password?: string;
  /** Retries after the first attempt; integer >= 0, default 4. Env: HW_MAX_RETRIES. */
  maxRetries?: number | string;
  /** Per-request timeout in seconds; integer >= 1, default 30. */
  requestTimeout?: number | string;
  /** Deadline of one whole invoke (every page, retry and IAM call) in seconds; default 300. Env: HWDDM_INVOKE_TIMEOUT. */
  invokeTimeout?: number | string;
  /** Most records one invoke reads; a larger `total` fails before paging. Default 100000. Env: HWDDM_MAX_RECORDS. */
  maxRecords?: number | string;
  /** Allow a non-loopback http:// endpoint and skip TLS verification. Default false. */
  insecure?: boolean | string;
}

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

/** Arguments every data function takes besides its own. */
export interface ConnectionArgs {
  /** ID of the DDM instance whose backup is to be restored. Required. */
  instanceId: string;
  /** Overrides the provider's project id. */
  projectId?: string;
  /** Overrides the provider's region. */
  region?: string;
  /** Overrides the provider's DDM endpoint. */
  endpoint?: string;
  /** Records skipped before the first returned, integer >= 0. Default 0. */
  offset?: number;
  /** Most records returned in all, integer >= 1. Default: every record from `offset`. */
  limit?: number;
}

export interface GetRestorableInstancesArgs extends ConnectionArgs {
  /** Keep only instances with `available: true`. Default false. */
  availableOnly?: boolean;
  /** Keep only instances whose status equals this (e.g. `normal`). */
  status?: string;
  /** Keep only instances in this VPC (exact name). */
  vpcName?: string;
  /** Keep only instances whose name matches this JavaScript regular expression. */
  nameRegex?: string;
}

export interface RestorableInstance {
  instanceId: string;
  instanceName: string;
  status: string;
  available: boolean;
  /** Why it cannot be used; `""` when available. */
  unavailableReason: string;
  vpcName: string;
}

export interface GetRestorableInstancesResult {
  /** Deterministic id of this query (same inputs, same id). */
  id: string;
  instanceId: string;
  projectId: string;
  region: string;
  /** The instances fetched (all pages), after filters. */
  instances: RestorableInstance[];
  /** The API's `total` (before filters). */
  total: number;
  /** Non-fatal notes, e.g. that the list changed while it was paged. Empty when none. */
  warnings: string[];
}

export interface GetRestoreTimeIntervalsArgs extends ConnectionArgs {
  /** A time to check: RFC 3339 (or the API's forms) or epoch milliseconds. */
  restoreTime?: string | number;
}

export interface RestoreTimeIntervalOut {
  /** RFC 3339 UTC with milliseconds. */
  startTime: string;
  endTime: string;
  startTimeEpochMs: number;
  endTimeEpochMs: number;
}

export interface GetRestoreTimeIntervalsResult {
  id: string;
  instanceId: string;
  projectId: string;
  region: string;
  /** Windows sorted by start time. */
  intervals: RestoreTimeIntervalOut[];
  /** Absent when there are no windows. */
  earliestRestorableTime?: string;
  earliestRestorableTimeEpochMs?: number;
  latestRestorableTime?: string;
  latestRestorableTimeEpochMs?: number;
  total: number;
  warnings: string[];
  /** Present when `restoreTime` was given. */
  restoreTimeEpochMs?: number;
  restoreTimeRestorable?: boolean;
}

export interface SelectRestoreTargetArgs extends ConnectionArgs {
  /** Choose the target with this instance id, exactly. */
  targetInstanceId?: string;
  /** Choose the target with exactly this name. */
  name?: string;
  /** Choose the first target whose name matches this JavaScript regular expression. */
  nameRegex?: string;
  /** Choose a target in this VPC (exact name). */
  vpcName?: string;
  /** Choose a target with this status, e.g. `normal`. */
  status?: string;
}

export interface SelectRestoreTargetResult {
  id: string;
  instanceId: string;
  projectId: string;
  region: string;
  /** The first available instance that matches every given criterion. */
  target: RestorableInstance;
  /** The API's `total` of candidates. */
  total: number;
  warnings: string[];
}

export interface SelectRestoreTimeArgs extends ConnectionArgs {
  /** `true`: the latest restorable time (kept `marginSeconds` from the window's edges). */
  latest?: boolean;
  /** This time, when restorable: RFC 3339 (or the API's forms) or epoch milliseconds. */
  at?: string | number;
  /** Keep this far from both edges of the window: seconds, or `90s`, `5m`, `1h`. Default 0. */
  marginSeconds?: number | string;
}

export interface SelectRestoreTimeResult {
  id: string;
  instanceId: string;
  projectId: string;
  region: string;
  /** The chosen restore time, RFC 3339 UTC with milliseconds. */
  time: string;
  /** The chosen restore time in epoch milliseconds. */
  epochMs: number;
  /** The API's `total` of windows. */
  total: number;
  warnings: string[];
}

export interface GetRelatedDataNodesArgs extends ConnectionArgs {
  /** The point in time: RFC 3339 (or the API's forms) or epoch milliseconds. Required. */
  restoreTime: string | number;
}

/** One data node of the source instance at a point in time. */
export interface RelatedDataNodeOut {
  instanceId: string;
  instanceName: string;
  instanceStatus: string;
  /** Storage size in bytes, when the API gives it. */
  dataVolumeSize?: number;
  version: string;
  engineName: string;
}

export interface GetRelatedDataNodesResult {
  id: string;
  instanceId: string;
  projectId: string;
  region: string;
  restoreTime: string;
  restoreTimeEpochMs: number;
  /** The source's data nodes at that time (all pages). */
  dataNodes: RelatedDataNodeOut[];
  /** The API's latest restorable time, when it gives one. */
  latestRestorableTime?: string;
  latestRestorableTimeEpochMs?: number;
  total: number;
  warnings: string[];
}

export interface GetRestorableDataNodesArgs extends ConnectionArgs {
  /** The DDM instance to restore into. Required. */
  targetInstanceId: string;
  /** The source data node (from getRelatedDataNodes). Required. */
  sourceDataNodeId: string;
  /** The point in time: RFC 3339 (or the API's forms) or epoch milliseconds. Required. */
  restoreTime: string | number;
  /** Keep only data nodes with `available: true`. Default false. */
  availableOnly?: boolean;
}

/** One data node of the target a source data node can be restored into. */
export interface TargetDataNodeOut {
  instanceId: string;
  instanceName: string;
  engineName: string;
  status: string;
  available: boolean;
  unavailableReason: string;
  vpcName: string;
  privateIp: string;
}

export interface GetRestorableDataNodesResult {
  id: string;
  instanceId: string;
  projectId: string;
  region: string;
  targetInstanceId: string;
  sourceDataNodeId: string;
  restoreTimeEpochMs: number;
  dataNodes: TargetDataNodeOut[];
  total: number;
  warnings: string[];
}

/** One source data node and the target data node it is restored into. */
export interface DataNodeRelationIn {
  sourceInstanceId: string;
  targetInstanceId: string;
}

export interface DataNodeRelationOut extends DataNodeRelationIn {
  sourceInstanceName: string;
  targetInstanceName: string;
}

export interface PlanRestoreArgs extends Omit<SelectRestoreTargetArgs, "offset" | "limit"> {
  /** `true`: the latest restorable time. */
  latest?: boolean;
  /** This time, when restorable. */
  at?: string | number;
  /** Keep this far from both window edges: seconds, or `90s`, `5m`, `1h`. Default 0. */
  marginSeconds?: number | string;
  /** An explicit mapping to check (never changed); default: the documented rule. */
  dataNodeRelations?: DataNodeRelationIn[];
}

export interface PlanRestoreResult {
  id: string;
  instanceId: string;
  projectId: string;
  region: string;
  targetInstanceId: string;
  targetInstanceName: string;
  restoreTime: string;
  restoreTimeEpochMs: number;
  dataNodeRelations: DataNodeRelationOut[];
  warnings: string[];
}

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
