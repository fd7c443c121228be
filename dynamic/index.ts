/**
 * `hwddm/dynamic`: the dynamic-provider face, for programs that cannot install the `hwddm`
 * plugin: `RestorableInstances` and `RestoreTimeIntervals` are read-only resources whose state
 * is the answer of the matching function.
 *
 * - `create` and `update` query; `read` re-queries (so `new RestorableInstances(name, args,
 *   { id })` reads at preview, with known values); `diff` asks for a replacement when the
 *   query changed and reports an update only when the live answer changed; `delete`
 *   touches nothing remote.
 * - Trade-off against the functions: the values are Outputs only (unknown at preview unless
 *   read with `{ id }`), and each query is one entry in the stack's state.
 *
 * The provider objects below are serialized into the state (`__provider`) and re-run later
 * by the engine's dynamic-provider host. They must capture no credential and nothing
 * Pulumi's closure serializer cannot handle, so each method reaches the core through `core()`,
 * a `require` of the installed `hwddm` package's compiled core by file path (the core is no
 * public subpath), and captures nothing else: the token, the argument names (the core's
 * dependency-free `provider/functions/keys`, so that importing this module loads nothing of
 * the HTTP core until a resource runs) and Pulumi's unknown-value sentinel are plain data on
 * the object, the credentials are resolved where it runs (the `hwddm:` stack config handed to
 * `configure`, kept in the host process, never on the object; then the environment).
 *
 * The engine's dynamic-provider host evaluates that text with `require-from-string`, whose
 * module paths are those of the host's working directory (the program's project): the
 * `require` resolves only when `hwddm` is installed in the program's own `node_modules`.
 */
import * as pulumi from "@pulumi/pulumi";
import type * as hwddm from "pulumi-hwddm";
// Only the dependency-free key lists and tokens: importing this module loads none of the HTTP core.
import {
  COMMON_KEYS,
  RESTORABLE_INSTANCES_KEYS,
  RESTORE_TIME_INTERVALS_KEYS,
} from "../provider/functions/keys";
import { GET_RESTORABLE_INSTANCES, GET_RESTORE_TIME_INTERVALS } from "../provider/spec/functions";
import type { FunctionSpec } from "../provider/spec/declaration";
import { TOKENS } from "../provider/types";

type Core = typeof import("../provider/index");
type Props = Record<string, unknown>;

/** The state of one query provider while it runs in the dynamic-provider host. */
interface QueryProvider extends pulumi.dynamic.ResourceProvider {
  /** The function token. */
  readonly token: string;
  /** The function's argument names (what is read from the resource's inputs). */
  readonly argKeys: readonly string[];
  /** `pulumi.runtime.unknownValue`: what an input not known yet (at preview) looks like. */
  readonly unknownValue: string;
  query(inputs: Props): Promise<{ id: string; outs: Props }>;
  core(): Core;
}

/** The methods both providers share. Each reaches the core through its own `require`. */
const queryMethods: Omit<QueryProvider, "token" | "argKeys" | "unknownValue"> = {
  core(): Core {
    const path = require("path") as typeof import("path");
    const root = path.dirname(require.resolve("hwddm/package.json"));
    return require(path.join(root, "dist", "provider", "index.js")) as Core;
  },

  async configure(this: QueryProvider, req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    const core = this.core();
    const config: Record<string, string> = {};
    for (const key of core.CONFIG_KEYS) {
      const value = req.config.get(`hwddm:${key}`);
      if (value !== undefined && value !== "") config[key] = value;
    }
    // Kept on the host process, never on this object: whatever the object holds would be
    // serialized into the state if it were ever serialized again.
    (globalThis as Record<symbol, unknown>)[Symbol.for("pulumi-hwddm.dynamic-provider-config")] = config;
  },

  async query(this: QueryProvider, inputs: Props): Promise<{ id: string; outs: Props }> {
    const core = this.core();
    const args: Props = {};
    for (const key of this.argKeys) {
      if (inputs[key] !== undefined && inputs[key] !== null) args[key] = inputs[key];
    }
    const providerConfig = (globalThis as Record<symbol, unknown>)[
      Symbol.for("pulumi-hwddm.dynamic-provider-config")
    ] as Record<string, string> | undefined;
    const result = await core.invoke(this.token, args, { providerConfig });
    const outs: Props = { ...result, queryArgs: args };
    delete outs.id;
    return { id: String(result.id), outs };
  },

  async create(this: QueryProvider, inputs: Props): Promise<pulumi.dynamic.CreateResult> {
    return this.query(inputs);
  },

  async read(this: QueryProvider, id: string, props?: Props): Promise<pulumi.dynamic.ReadResult> {
    const state = props ?? {};
    const source = (state.queryArgs as Props | undefined) ?? state;
    const { outs } = await this.query(source);
    return { id, props: outs };
  },

  async diff(this: QueryProvider, _id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult> {
    // Compared as values, whatever the key order: the state comes back from the engine with
    // its object keys sorted, the core answers in the contract's order.
    const { isDeepStrictEqual } = require("util") as typeof import("util");
    const before = (olds.queryArgs as Props | undefined) ?? {};
    const changedArgs: string[] = [];
    let unknown = false;
    for (const key of this.argKeys) {
      const value = news[key] === null ? undefined : news[key];
      if (value === this.unknownValue) unknown = true;
      if (!isDeepStrictEqual(value, before[key])) changedArgs.push(key);
    }
    if (changedArgs.length > 0 || unknown) {
      return { changes: true, replaces: changedArgs, deleteBeforeReplace: false };
    }
    const { outs } = await this.query(news);
    const changed = Object.keys(outs).some(
      (key) => key !== "queryArgs" && key !== "warnings" && !isDeepStrictEqual(outs[key], olds[key]),
    );
    return { changes: changed };
  },

  async update(
    this: QueryProvider,
    _id: string,
    _olds: Props,
    news: Props,
  ): Promise<pulumi.dynamic.UpdateResult> {
    const { outs } = await this.query(news);
    return { outs };
  },

  async delete(): Promise<void> {
    // Read-only: nothing remote to delete.
  },
};

/** The provider behind `RestorableInstances` (exported for tests that serialize it). */
export const restorableInstancesProvider: QueryProvider = {
  token: TOKENS.getRestorableInstances,
  argKeys: [...COMMON_KEYS, ...RESTORABLE_INSTANCES_KEYS],
  unknownValue: pulumi.runtime.unknownValue,
  ...queryMethods,
};

/** The provider behind `RestoreTimeIntervals` (exported for tests that serialize it). */
export const restoreTimeIntervalsProvider: QueryProvider = {
  token: TOKENS.getRestoreTimeIntervals,
  argKeys: [...COMMON_KEYS, ...RESTORE_TIME_INTERVALS_KEYS],
  unknownValue: pulumi.runtime.unknownValue,
  ...queryMethods,
};

/**
 * A resource's inputs: the function's arguments as given (read by `argKeys`) and its other
 * outputs but `id` left to the provider, so that the engine tracks them as the resource's outputs.
 */
function resourceInputs(provider: QueryProvider, fn: FunctionSpec, args: object): pulumi.Inputs {
  const given = args as Record<string, unknown>;
  const inputs: pulumi.Inputs = {};
  for (const k of [...Object.keys(fn.outputs), "queryArgs"]) if (k !== "id") inputs[k] = undefined;
  for (const k of provider.argKeys) inputs[k] = given[k];
  return inputs;
}

/**
 * The arguments of a `RestorableInstances` resource: exactly those of `getRestorableInstancesOutput`.
 */
export type RestorableInstancesArgs = hwddm.backup.GetRestorableInstancesOutputArgs;

/**
 * The DDM instances a backup of `instanceId` can be restored into, as a read-only dynamic
 * resource (no plugin needed). Its id is the query's deterministic id.
 *
 * ## Example Usage
 *
 * ```typescript
 * import { RestorableInstances } from "hwddm/dynamic";
 *
 * const candidates = new RestorableInstances("candidates", {
 *     instanceId: "1f5c9fd6cd984056ba89c8c87cc03278in09",
 *     availableOnly: true,
 * });
 * export const firstTarget = candidates.instances.apply(list => list[0]?.instanceId);
 * ```
 */
export class RestorableInstances extends pulumi.dynamic.Resource {
  /**
   * ID of the source DDM instance.
   */
  declare readonly instanceId: pulumi.Output<string>;
  /**
   * The instances fetched (all pages), after filters.
   */
  declare readonly instances: pulumi.Output<hwddm.types.output.backup.RestorableInstance[]>;
  /**
   * Project id used.
   */
  declare readonly projectId: pulumi.Output<string>;
  /**
   * Region used.
   */
  declare readonly region: pulumi.Output<string>;
  /**
   * The API's `total` (before filters).
   */
  declare readonly total: pulumi.Output<number>;
  /**
   * Non-fatal notes, e.g. that the list changed while it was paged.
   */
  declare readonly warnings: pulumi.Output<string[]>;

  constructor(name: string, args: RestorableInstancesArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      restorableInstancesProvider,
      name,
      resourceInputs(restorableInstancesProvider, GET_RESTORABLE_INSTANCES, args),
      opts,
      "backup",
      "RestorableInstances",
    );
  }
}

/**
 * The arguments of a `RestoreTimeIntervals` resource: exactly those of `getRestoreTimeIntervalsOutput`.
 */
export type RestoreTimeIntervalsArgs = hwddm.backup.GetRestoreTimeIntervalsOutputArgs;

/**
 * The windows of time `instanceId` can be restored to, as a read-only dynamic resource (no
 * plugin needed). Its id is the query's deterministic id.
 *
 * ## Example Usage
 *
 * ```typescript
 * import { RestoreTimeIntervals } from "hwddm/dynamic";
 *
 * const windows = new RestoreTimeIntervals("windows", {
 *     instanceId: "1f5c9fd6cd984056ba89c8c87cc03278in09",
 * });
 * export const latest = windows.latestRestorableTime;
 * ```
 */
export class RestoreTimeIntervals extends pulumi.dynamic.Resource {
  /**
   * Start of the earliest window, RFC 3339 UTC with milliseconds (absent without windows).
   */
  declare readonly earliestRestorableTime: pulumi.Output<string | undefined>;
  /**
   * `earliestRestorableTime` in epoch milliseconds.
   */
  declare readonly earliestRestorableTimeEpochMs: pulumi.Output<number | undefined>;
  /**
   * ID of the source DDM instance.
   */
  declare readonly instanceId: pulumi.Output<string>;
  /**
   * The restorable windows, sorted by start time.
   */
  declare readonly intervals: pulumi.Output<hwddm.types.output.backup.RestoreTimeInterval[]>;
  /**
   * End of the latest window, RFC 3339 UTC with milliseconds (absent without windows).
   */
  declare readonly latestRestorableTime: pulumi.Output<string | undefined>;
  /**
   * `latestRestorableTime` in epoch milliseconds.
   */
  declare readonly latestRestorableTimeEpochMs: pulumi.Output<number | undefined>;
  /**
   * Project id used.
   */
  declare readonly projectId: pulumi.Output<string>;
  /**
   * Region used.
   */
  declare readonly region: pulumi.Output<string>;
  /**
   * `restoreTime` in epoch milliseconds, when given.
   */
  declare readonly restoreTimeEpochMs: pulumi.Output<number | undefined>;
  /**
   * Whether `restoreTime` falls inside a window, when given.
   */
  declare readonly restoreTimeRestorable: pulumi.Output<boolean | undefined>;
  /**
   * The API's `total`.
   */
  declare readonly total: pulumi.Output<number>;
  /**
   * Non-fatal notes, e.g. that the list changed while it was paged.
   */
  declare readonly warnings: pulumi.Output<string[]>;

  constructor(name: string, args: RestoreTimeIntervalsArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      restoreTimeIntervalsProvider,
      name,
      resourceInputs(restoreTimeIntervalsProvider, GET_RESTORE_TIME_INTERVALS, args),
      opts,
      "backup",
      "RestoreTimeIntervals",
    );
  }
}
