/**
 * The function registry: the ONE entry every face (plugin Invoke, SDK dynamic resources,
 * CLI, benchmarks) calls. For each function it checks every argument before anything else
 * and reports all failures at once, resolves the configuration, gets the (cached) client,
 * runs the operation, applies filters and shapes the result exactly like its declared type.
 *
 * Each data function lives in its own file as a `DataFunction` (its own argument checks,
 * query and shaping); what every function shares (connection arguments, unknown keys,
 * config resolution, the deterministic id) lives here.
 *
 * Conventions:
 * - An argument that is `undefined` or `null` counts as not given (Pulumi YAML and some
 *   languages send `null` for an unset optional input); so does `""` for an optional
 *   string argument (as in config resolution, where `""` is unset at every level).
 *   `instanceId` is required and must be a path-safe id.
 * - Results never hold an `undefined` field (the plugin's Struct cannot carry one).
 */
import { clientFor } from "../client";
import { dropUndefined } from "../objects";
import { checkProviderConfig, resolveConfig } from "../config";
import { NetworkError, ValidationError, describeValue } from "../errors";
import { DEFAULTS, DEFAULT_PAGING } from "../defaults";
import type { PagingOptions } from "../defaults";
import { realTimer } from "../retry";
import type { RestoreSource } from "../restore/operations";
import {
  ConnectionArgs,
  GetRestorableInstancesArgs,
  GetRestorableInstancesResult,
  GetRestoreTimeIntervalsArgs,
  GetRestoreTimeIntervalsResult,
  InvokeContext,
  ResolvedConfig,
  SelectRestoreTargetArgs,
  SelectRestoreTargetResult,
  SelectRestoreTimeArgs,
  SelectRestoreTimeResult,
  GetRelatedDataNodesArgs,
  GetRelatedDataNodesResult,
  GetRestorableDataNodesArgs,
  GetRestorableDataNodesResult,
  PlanRestoreArgs,
  PlanRestoreResult,
  TOKENS,
} from "../types";
import { FailureCollector, idProblem, integerProblem } from "../validate";
import { restorableInstancesFunction } from "./getRestorableInstances";
import { COMMON_KEYS, ownKeys } from "./keys";
import { COMMON_INPUTS, PAGING_INPUTS } from "../spec/functions";
import type { FunctionSpec, Properties, Property } from "../spec/declaration";
import { restoreTimeIntervalsFunction } from "./getRestoreTimeIntervals";
import { selectRestoreTargetFunction } from "./selectRestoreTarget";
import { selectRestoreTimeFunction } from "./selectRestoreTime";
import { relatedDataNodesFunction } from "./getRelatedDataNodes";
import { restorableDataNodesFunction } from "./getRestorableDataNodes";
import { planRestoreFunction } from "./planRestore";

export { TOKENS } from "../types";
export { closeClients } from "../client";

/** Every function token the registry serves. */
export const functionNames: readonly string[] = Object.freeze(Object.values(TOKENS));

/** The arguments every data function takes, checked: `ConnectionArgs` (generated from the declaration). */
export type CommonArgs = ConnectionArgs;

/** The keys of CommonArgs (declared in the dependency-free keys.ts). */
export { COMMON_KEYS };

/** What the registry hands a function's `run`. */
export interface RunContext {
  client: RestoreSource;
  common: CommonArgs;
  paging?: Partial<PagingOptions>;
  signal?: AbortSignal;
}

/** The result fields the registry fills in itself. */
type RegistryFields = "id" | "instanceId" | "projectId" | "region";

/** One data function: its declaration, its own checks, its query and its result shaping. */
export interface DataFunction<Own, Result> {
  /** Its declaration in provider/spec: token and inputs (the arguments it takes). */
  spec: FunctionSpec;
  /** Last segment of the result `id`, e.g. `restorable-instances`. */
  idName: string;
  /** Its own checks of arguments the declaration alone does not check (a time, a regex), by key. */
  checks?: ArgChecks;
  /**
   * Its own arguments, checked: `declared` holds each given valid one (ArgReader.declared, with
   * `checks`); other checks record their failures in `read.failures`.
   */
  check(read: ArgReader, declared: Record<string, unknown>): Own;
  /** Its own arguments as they should appear in the `id` (undefined = leave out). */
  idParams(own: Own): Record<string, string | number | boolean | undefined>;
  /** Query and shape; returns the result minus the fields the registry fills in. */
  run(ctx: RunContext, own: Own): Promise<{ projectId: string } & Omit<Result, RegistryFields>>;
}

/** Checks of single arguments: each returns the checked value, or undefined after recording a failure. */
export type ArgChecks = Readonly<Record<string, (read: ArgReader, key: string) => unknown>>;

/**
 * The arguments as a function's `check` sees them (`null` already dropped: not given), the
 * collector for its failures, and the value checks the declaration drives.
 */
export class ArgReader {
  /** The arguments given, `undefined` and `null` left out. */
  readonly args: Record<string, unknown>;

  constructor(
    given: Record<string, unknown>,
    readonly failures: FailureCollector,
  ) {
    const args: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(given)) if (v !== undefined && v !== null) args[k] = v;
    this.args = args;
  }

  /**
   * The arguments of `inputs`, checked in their declared order: each by its entry in `checks`
   * when it has one, else as the declaration says when that suffices (strings, path-safe ids
   * for `format: "id"`, booleans, integers; required ones reported when missing). Arguments of
   * another format, a union, array or object type are left to the function's `check`.
   * Only given, valid values are returned.
   */
  declared(inputs: Properties, checks: ArgChecks = {}): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, p] of Object.entries(inputs)) {
      let v: unknown;
      if (checks[key]) v = checks[key](this, key);
      else if (p.format !== undefined && p.format !== "id") continue;
      else if (!("type" in p) || p.type === "array" || p.type === "number") continue;
      else v = this.value(key, p as Property & { type: "string" | "boolean" | "integer" });
      if (v !== undefined) out[key] = v;
    }
    return out;
  }

  /** One argument as its declaration says (see `declared`). */
  private value(key: string, p: Property & { type: "string" | "boolean" | "integer" }): unknown {
    if (p.format === "id") return this.id(key, p.required === true);
    if (p.type === "boolean") return this.boolean(key);
    if (p.type === "integer") return this.integer(key, p.minimum ?? 0);
    return this.string(key, p.maxLength);
  }

  /** A string of at most `max` characters, when given (`""` counts as not given). */
  string(key: string, max = 256): string | undefined {
    const v = this.args[key];
    if (v === undefined || v === "") return undefined;
    if (typeof v !== "string" || v.length > max) {
      this.failures.add(key, `got ${describeValue(v)}; expected a string of at most ${max} characters`);
      return undefined;
    }
    return v;
  }

  /** A boolean (true or false, not "true"), when given. */
  boolean(key: string): boolean | undefined {
    const v = this.args[key];
    if (v === undefined) return undefined;
    if (typeof v !== "boolean") {
      this.failures.add(key, `got ${describeValue(v)}; expected true or false`);
      return undefined;
    }
    return v;
  }

  /** An integer >= min (a number: 10 or 10.0, not "10", 1.5 or NaN), when given. */
  integer(key: string, min: number): number | undefined {
    const v = this.args[key];
    if (v === undefined) return undefined;
    const p = integerProblem(v, min);
    if (p) {
      this.failures.add(key, p);
      return undefined;
    }
    return v as number;
  }

  /** A path-safe id; an optional one given as `""` counts as not given. */
  id(key: string, required: boolean): string | undefined {
    const v = this.args[key];
    if (!required && v === "") return undefined;
    const p = idProblem(v);
    if (v === undefined) {
      if (required) this.failures.add(key, `is required; ${p}`);
      return undefined;
    }
    if (p) {
      this.failures.add(key, p);
      return undefined;
    }
    return v as string;
  }
}

const { instanceId, projectId, region, endpoint } = COMMON_INPUTS;

/** The connection arguments every function (and the Restore resource) takes, checked. */
export function checkCommon(read: ArgReader): CommonArgs {
  const given = read.declared({ instanceId, projectId, region, endpoint });
  // The forms of region and endpoint are judged by the config layer's own checks (one
  // validator). `insecure: true` leaves the http:// rule to resolveConfig, which knows the
  // real `insecure` setting; everything else about the URL is judged here, with the rest.
  const { failures } = checkProviderConfig({
    region: given.region,
    endpoint: given.endpoint,
    insecure: true,
  });
  for (const x of failures) {
    read.failures.failures.push({
      property: x.property,
      reason: x.reason,
      source: { kind: "argument", key: x.property, name: `the ${x.property} argument` },
    });
    delete given[x.property];
  }
  return { instanceId: "", ...given, ...read.declared(PAGING_INPUTS) };
}

/**
 * The deterministic id of a query: `{projectId}/{instanceId}/{idName}` plus, when any were
 * given, `?key=value&...` of offset, limit and the function's own arguments, sorted by key
 * and URL-encoded. It never holds a credential (no credential is an argument).
 */
export function queryId(
  projectId: string,
  instanceId: string,
  idName: string,
  params: Record<string, string | number | boolean | undefined>,
): string {
  const q = new URLSearchParams();
  for (const key of Object.keys(params).sort()) {
    const v = params[key];
    if (v !== undefined) q.append(key, String(v));
  }
  const suffix = q.toString();
  return `${projectId}/${instanceId}/${idName}${suffix ? `?${suffix}` : ""}`;
}

/**
 * Run `work` under the invoke's deadline (`invokeTimeout`; `overrides.invokeTimeoutMs` in
 * tests): its signal aborts when the caller's does or when the deadline passes, and a deadline
 * that passed is reported as such (a NetworkError `ETIMEDOUT` naming invokeTimeout), not as a
 * cancellation. The timer is cleared when the work ends, so nothing outlives the invoke.
 */
async function withInvokeDeadline<T>(
  token: string,
  config: ResolvedConfig,
  ctx: InvokeContext,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const overrideMs = ctx.overrides?.invokeTimeoutMs;
  const ms =
    typeof overrideMs === "number" && Number.isFinite(overrideMs) && overrideMs >= 1
      ? Math.floor(overrideMs)
      : (config.invokeTimeoutMs ?? DEFAULTS.invokeTimeoutMs);
  const deadline = new AbortController();
  const cancelTimer = (ctx.overrides?.timer ?? realTimer)(ms, () => deadline.abort());
  const signal = ctx.signal ? AbortSignal.any([ctx.signal, deadline.signal]) : deadline.signal;
  try {
    return await work(signal);
  } catch (e) {
    if (deadline.signal.aborted && !ctx.signal?.aborted) {
      throw new NetworkError({
        code: "ETIMEDOUT",
        detail: `the invoke did not finish within ${ms} ms`,
        request: { method: "INVOKE", path: token, attempts: 0 },
        retryable: false,
        message: `${token} did not finish within its deadline of ${ms / 1000} s (invokeTimeout); raise invokeTimeout, or read less with offset and limit`,
      });
    }
    throw e;
  } finally {
    cancelTimer();
  }
}

/** The client for a call's connection arguments: config resolved in the usual order, the cached client. */
export function clientForCall(
  common: CommonArgs,
  ctx: InvokeContext,
): { client: ReturnType<typeof clientFor>; config: ResolvedConfig } {
  const config = resolveConfig(
    { region: common.region, projectId: common.projectId, endpoint: common.endpoint },
    ctx.providerConfig,
    ctx.env ?? process.env,
    { sourceName: ctx.sourceName },
  );
  return { client: clientFor(config, ctx.overrides), config };
}

async function run<Own, Result>(
  fn: DataFunction<Own, Result>,
  rawArgs: unknown,
  ctx: InvokeContext = {},
): Promise<Result> {
  if (typeof rawArgs !== "object" || rawArgs === null || Array.isArray(rawArgs)) {
    throw ValidationError.field("args", rawArgs, "expected an object of named arguments");
  }
  const failures = new FailureCollector();
  const read = new ArgReader(rawArgs as Record<string, unknown>, failures);
  const known = new Set<string>([...COMMON_KEYS, ...Object.keys(fn.spec.inputs)]);
  for (const key of Object.keys(read.args)) {
    if (!known.has(key))
      failures.add(key, `unknown argument; ${fn.spec.token} takes ${[...known].join(", ")}`);
  }
  const common = checkCommon(read);
  const ownInputs = Object.fromEntries(ownKeys(fn.spec).map((k) => [k, fn.spec.inputs[k]]));
  const own = fn.check(read, read.declared(ownInputs, fn.checks));
  failures.throwIfAny();

  const { client, config } = clientForCall(common, ctx);
  const { projectId, ...rest } = await withInvokeDeadline(fn.spec.token, config, ctx, (signal) =>
    fn.run(
      {
        client,
        common,
        paging: { maxRecords: config.maxRecords ?? DEFAULT_PAGING.maxRecords, ...ctx.overrides?.paging },
        signal,
      },
      own,
    ),
  );
  const id = queryId(projectId, common.instanceId, fn.idName, {
    offset: common.offset,
    limit: common.limit,
    ...fn.idParams(own),
  });
  return dropUndefined(
    {
      id,
      instanceId: common.instanceId,
      projectId,
      region: config.region,
      ...rest,
    },
    { topLevelOnly: true },
  ) as unknown as Result;
}

/** `hwddm:backup:getRestorableInstances`: the instances a backup of `instanceId` can be restored into. */
export function getRestorableInstances(
  args: GetRestorableInstancesArgs,
  ctx?: InvokeContext,
): Promise<GetRestorableInstancesResult> {
  return run(restorableInstancesFunction, args, ctx);
}

/** `hwddm:backup:getRestoreTimeIntervals`: the windows `instanceId` can be restored to. */
export function getRestoreTimeIntervals(
  args: GetRestoreTimeIntervalsArgs,
  ctx?: InvokeContext,
): Promise<GetRestoreTimeIntervalsResult> {
  return run(restoreTimeIntervalsFunction, args, ctx);
}

/**
 * `hwddm:backup:selectRestoreTarget`: the first available instance a backup of `instanceId`
 * can be restored into that matches every given criterion; otherwise a SelectionError
 * listing every candidate. (provider/select.ts's helper of the same name chooses from a
 * result already held; this one fetches it first.)
 */
export function selectRestoreTarget(
  args: SelectRestoreTargetArgs,
  ctx?: InvokeContext,
): Promise<SelectRestoreTargetResult> {
  return run(selectRestoreTargetFunction, args, ctx);
}

/**
 * `hwddm:backup:selectRestoreTime`: the latest restorable time of `instanceId`, or the given
 * `at` when restorable, kept `marginSeconds` from the window's edges; otherwise a
 * SelectionError naming the windows.
 */
export function selectRestoreTime(
  args: SelectRestoreTimeArgs,
  ctx?: InvokeContext,
): Promise<SelectRestoreTimeResult> {
  return run(selectRestoreTimeFunction, args, ctx);
}

/** `hwddm:backup:getRelatedDataNodes`: the source's data nodes at `restoreTime`. */
export function getRelatedDataNodes(
  args: GetRelatedDataNodesArgs,
  ctx?: InvokeContext,
): Promise<GetRelatedDataNodesResult> {
  return run(relatedDataNodesFunction, args, ctx);
}

/** `hwddm:backup:getRestorableDataNodes`: the target's data nodes one source data node can go to. */
export function getRestorableDataNodes(
  args: GetRestorableDataNodesArgs,
  ctx?: InvokeContext,
): Promise<GetRestorableDataNodesResult> {
  return run(restorableDataNodesFunction, args, ctx);
}

/** `hwddm:backup:planRestore`: a complete, checked restore plan; otherwise a SelectionError naming what is missing. */
export function planRestore(args: PlanRestoreArgs, ctx?: InvokeContext): Promise<PlanRestoreResult> {
  return run(planRestoreFunction, args, ctx);
}

/**
 * Call a function by token. Unknown token: ValidationError (property `token`). Bad
 * arguments: one ValidationError listing every failure, before any request.
 */
export async function invoke(
  token: string,
  args: Record<string, unknown>,
  ctx?: InvokeContext,
): Promise<Record<string, unknown>> {
  switch (token) {
    case TOKENS.getRestorableInstances:
      return { ...(await run(restorableInstancesFunction, args, ctx)) };
    case TOKENS.getRestoreTimeIntervals:
      return { ...(await run(restoreTimeIntervalsFunction, args, ctx)) };
    case TOKENS.selectRestoreTarget:
      return { ...(await run(selectRestoreTargetFunction, args, ctx)) };
    case TOKENS.selectRestoreTime:
      return { ...(await run(selectRestoreTimeFunction, args, ctx)) };
    case TOKENS.getRelatedDataNodes:
      return { ...(await run(relatedDataNodesFunction, args, ctx)) };
    case TOKENS.getRestorableDataNodes:
      return { ...(await run(restorableDataNodesFunction, args, ctx)) };
    case TOKENS.planRestore:
      return { ...(await run(planRestoreFunction, args, ctx)) };
    default:
      throw new ValidationError([{ property: "token", reason: `unknown function ${token}` }]);
  }
}
