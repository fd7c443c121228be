/**
 * The core's surface inside the `hwddm` package (no public subpath): what the plugin, the
 * dynamic resources, the CLI and the benchmarks use. Everything a face needs to call a data
 * function goes through `invoke` / `getRestorableInstances` / `getRestoreTimeIntervals`.
 *
 * This module must not import `@pulumi/pulumi` (directly or through anything it loads):
 * the plugin's cold start and the CLI depend on it staying light.
 */
export * from "./errors";
export * from "./types";
export * from "./time";
export { DEFAULTS, DEFAULT_PAGING, DEFAULT_RETRY } from "./defaults";
export type { PagingOptions, RetryOptions } from "./defaults";
export {
  FailureCollector,
  checkId,
  checkLimit,
  checkOffset,
  idProblem,
  integerProblem,
  toInteger,
} from "./validate";
export { checkProviderConfig, resolveConfig } from "./config";
export { clientFor, closeClients } from "./client";
export type { DdmClient, JsonResponse } from "./client";
export { functionNames, getRestorableInstances, getRestoreTimeIntervals, invoke } from "./functions";
export { selectRestoreTarget, selectRestoreTime } from "./select";
export type { RestoreTimeOptions, TargetCriteria } from "./select";
export { listRestorableInstances, listRestoreTimeIntervals } from "./operations";
export type {
  ListOptions,
  PageSource,
  RestorableInstancesList,
  RestoreTimeIntervalsList,
} from "./operations";
export { collectPages, walkPages, MAX_PAGES } from "./paging";
export type { Collected, FetchPage, Page, PageWalk, WalkOptions } from "./paging";
export type {
  RestorableInstanceWire,
  RestorableInstancesBody,
  RestoreTimeIntervalWire,
  RestoreTimeIntervalsBody,
} from "./wire";
