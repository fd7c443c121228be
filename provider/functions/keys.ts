/**
 * The argument names of the data functions, in a module that imports nothing: the SDK's dynamic
 * resources read them when a program loads `pulumi-hwddm`, and a program must not pay for the
 * HTTP core (axios, zod, the client) until a dynamic resource actually runs. The function
 * definitions (one file per function) and the registry take their keys from here.
 */

/** The arguments every data function takes (`ConnectionArgs` in types.ts). */
export const COMMON_KEYS = ["instanceId", "projectId", "region", "endpoint", "offset", "limit"] as const;

/** `hwddm:backup:getRestorableInstances`'s own arguments, besides COMMON_KEYS: its filters. */
export const RESTORABLE_INSTANCES_KEYS = ["availableOnly", "status", "vpcName", "nameRegex"] as const;

/** `hwddm:backup:getRestoreTimeIntervals`'s own arguments, besides COMMON_KEYS. */
export const RESTORE_TIME_INTERVALS_KEYS = ["restoreTime"] as const;

/** `hwddm:backup:getRelatedDataNodes`'s own arguments. */
export const RELATED_DATA_NODES_KEYS = ["restoreTime"] as const;

/** `hwddm:backup:getRestorableDataNodes`'s own arguments. */
export const RESTORABLE_DATA_NODES_KEYS = [
  "targetInstanceId",
  "sourceDataNodeId",
  "restoreTime",
  "availableOnly",
] as const;

/** `hwddm:backup:planRestore`'s own arguments: target criteria, time rule, mapping. */
export const PLAN_RESTORE_KEYS = [
  "targetInstanceId",
  "name",
  "nameRegex",
  "vpcName",
  "status",
  "latest",
  "at",
  "marginSeconds",
  "dataNodeRelations",
] as const;
