/**
 * `hwddm:backup:getRestorableInstances`: the DDM instances a backup of `instanceId` can be
 * restored into. Its own arguments are the filters `availableOnly`, `status`, `vpcName` and
 * `nameRegex`; they apply after fetching, to the records in the `offset`/`limit` range, so
 * `total` stays the API's count and `instances` may be fewer.
 */
import { describeValue } from "../errors";
import { listRestorableInstances } from "../operations";
import { GET_RESTORABLE_INSTANCES } from "../spec/functions";
import type {
  ConnectionArgs,
  GetRestorableInstancesArgs,
  GetRestorableInstancesResult,
  RestorableInstance,
} from "../types";
import type { ArgReader, DataFunction } from "./index";

/** The filters (the function's own arguments), checked. */
export type InstanceFilters = Omit<GetRestorableInstancesArgs, keyof ConnectionArgs>;

const MAX_REGEX_LENGTH = 1024;

/** Check `nameRegex` compiles as a JavaScript regular expression; returns the problem or undefined. */
export function regexProblem(value: unknown): string | undefined {
  if (typeof value !== "string" || value.length === 0 || value.length > MAX_REGEX_LENGTH) {
    return `got ${describeValue(value)}; expected a JavaScript regular expression of 1 to ${MAX_REGEX_LENGTH} characters`;
  }
  try {
    new RegExp(value);
    return undefined;
  } catch (e) {
    return `got ${describeValue(value)}; not a valid JavaScript regular expression (${(e as Error).message})`;
  }
}

/** Keep the instances that pass every given filter (pure; used by the registry). */
export function filterInstances(
  instances: RestorableInstance[],
  filters: InstanceFilters,
): RestorableInstance[] {
  const re = filters.nameRegex !== undefined ? new RegExp(filters.nameRegex) : undefined;
  return instances.filter(
    (i) =>
      (!filters.availableOnly || i.available) &&
      (filters.status === undefined || i.status === filters.status) &&
      (filters.vpcName === undefined || i.vpcName === filters.vpcName) &&
      (re === undefined || re.test(i.instanceName)),
  );
}

export const restorableInstancesFunction: DataFunction<InstanceFilters, GetRestorableInstancesResult> = {
  spec: GET_RESTORABLE_INSTANCES,
  idName: "restorable-instances",

  checks: {
    nameRegex(read: ArgReader, key: string): string | undefined {
      const v = read.args[key];
      if (v === undefined || v === "") return undefined;
      const p = regexProblem(v);
      if (p) read.failures.add(key, p);
      return p ? undefined : (v as string);
    },
  },

  check: (_read, declared): InstanceFilters => ({ ...declared }),

  idParams: (own) => ({ ...own }),

  async run({ client, common, paging, signal }, own) {
    const list = await listRestorableInstances(
      client,
      { instanceId: common.instanceId, offset: common.offset, limit: common.limit, paging },
      signal,
    );
    return {
      projectId: list.projectId,
      instances: filterInstances(list.instances, own),
      total: list.total,
      warnings: list.warnings,
    };
  },
};
