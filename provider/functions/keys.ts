/**
 * The argument names of the data functions, taken from the package declaration (plain data):
 * the SDK's dynamic resources read them when a program loads `pulumi-hwddm`, and a program must
 * not pay for the HTTP core (axios, zod, the client) until a dynamic resource actually runs.
 */
import {
  COMMON_INPUTS,
  GET_RELATED_DATA_NODES,
  GET_RESTORABLE_DATA_NODES,
  GET_RESTORABLE_INSTANCES,
  GET_RESTORE_TIME_INTERVALS,
  PLAN_RESTORE,
  SELECT_RESTORE_TARGET,
  SELECT_RESTORE_TIME,
} from "../spec/functions";
import type { FunctionSpec } from "../spec/declaration";

/** The arguments every data function takes (`ConnectionArgs` of types.generated.ts). */
export const COMMON_KEYS: readonly string[] = Object.freeze(Object.keys(COMMON_INPUTS));

/** A function's own arguments, besides COMMON_KEYS. */
export function ownKeys(fn: FunctionSpec): readonly string[] {
  return Object.freeze(Object.keys(fn.inputs).filter((k) => !COMMON_KEYS.includes(k)));
}

export const RESTORABLE_INSTANCES_KEYS = ownKeys(GET_RESTORABLE_INSTANCES);
export const RESTORE_TIME_INTERVALS_KEYS = ownKeys(GET_RESTORE_TIME_INTERVALS);
export const SELECT_RESTORE_TARGET_KEYS = ownKeys(SELECT_RESTORE_TARGET);
export const SELECT_RESTORE_TIME_KEYS = ownKeys(SELECT_RESTORE_TIME);
export const RELATED_DATA_NODES_KEYS = ownKeys(GET_RELATED_DATA_NODES);
export const RESTORABLE_DATA_NODES_KEYS = ownKeys(GET_RESTORABLE_DATA_NODES);
export const PLAN_RESTORE_KEYS = ownKeys(PLAN_RESTORE);
