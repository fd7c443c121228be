/**
 * `hwddm/testing`: mocks for `pulumi.runtime.setMocks` that answer the `hwddm`
 * functions in a user's own unit tests, through the real core (argument checks, config
 * resolution, auth, paging, result shaping) against the DDM API emulator: one started in
 * this process from a fixture (the emulator's fixture format), or one already running.
 *
 * ```ts
 * import * as pulumi from "@pulumi/pulumi";
 * import { hwddmMocks } from "hwddm/testing";
 *
 * const mocks = hwddmMocks({ fixture: "test/ddm-fixture.json" });
 * pulumi.runtime.setMocks(mocks, "project", "stack", false);
 * // ... import the program, check its outputs ...
 * await mocks.close();
 * ```
 *
 * Every other function token goes to the user's own `call` (or fails naming the token);
 * every resource goes to the user's own `newResource` (or gets `{ id: "<name>_id", state:
 * inputs }`, as Pulumi's examples do).
 */
import type * as pulumi from "@pulumi/pulumi";

import {
  Emulator,
  EmulatorAuthMode,
  EmulatorCredentials,
  FaultSpec,
  Fixture,
  defaultFixture,
  emulatorConfig,
  emulatorCredentials,
  loadFixture,
  parseFixture,
  startEmulator,
} from "../emulator";
import { HwddmError, ValidationError } from "../provider/errors";
import { functionNames, invoke } from "../provider/functions";
import type { ProviderConfigInput } from "../provider/types";

/** The prefix of every token this package serves. */
const PACKAGE_PREFIX = "hwddm:";

/** A running emulator to answer from: `hwddm emulator` in another process, or `startEmulator`'s result. */
export interface RunningEmulator {
  /** Its DDM endpoint, e.g. `http://127.0.0.1:8080` (what `hwddm emulator` prints). */
  url: string;
  /** Its IAM endpoint; default `url + "/v3"`. */
  iamUrl?: string;
  /**
   * The credentials it accepts; each missing one is the default fixture's (the emulator's
   * fixed, fake credentials), which is what an emulator started without a fixture accepts.
   */
  credentials?: Partial<EmulatorCredentials>;
}

export interface HwddmMocksOptions {
  /**
   * What the in-process emulator serves: a fixture (the emulator's fixture format, see the
   * emulator's README) as an object or as the path of a JSON file. Default: the emulator's
   * default fixture. Not allowed together with `emulator`.
   */
  fixture?: Fixture | string;
  /** Faults the in-process emulator injects (latency, 503s, ...). Default none. */
  faults?: FaultSpec[];
  /** Answer from this running emulator instead of starting one in this process. */
  emulator?: RunningEmulator;
  /** Which of the emulator's credentials the core authenticates with. Default `token`. */
  auth?: EmulatorAuthMode;
  /**
   * Provider config laid over the emulator's connection (e.g. `{ maxRetries: 0 }`), as
   * `hwddm:` stack config would be. The process environment is never read.
   */
  config?: ProviderConfigInput;
  /**
   * Your own mocks: `newResource` for every resource the program registers, `call` for
   * every function token that is not `hwddm`'s.
   */
  mocks?: Partial<pulumi.runtime.Mocks>;
}

/** One `hwddm` function call the program made. */
export interface HwddmInvoke {
  token: string;
  /** The provider reference it went through (`urn::id`); undefined for the default provider. */
  provider?: string;
  args: Record<string, unknown>;
}

/** The emulator answering: the full `Emulator` when in-process, its address and credentials when given. */
export type AnsweringEmulator = Pick<Emulator, "url" | "iamUrl" | "credentials"> & Partial<Emulator>;

export interface HwddmMocks extends pulumi.runtime.Mocks {
  /** Every `hwddm` function call, in order (answered or failed). */
  readonly invokes: readonly HwddmInvoke[];
  /**
   * The emulator answering: the in-process one (started on first use) or the given one.
   * Use it to change its data or faults between tests, or to read its request counts.
   */
  emulator(): Promise<AnsweringEmulator>;
  /**
   * Wait for the invokes already asked, then stop the in-process emulator (a given one is
   * left running). Call it in your `after` hook.
   */
  close(): Promise<void>;
}

/**
 * An Error that survives `setMocks`: the program sees `details` as the message (a mock's
 * plain Error reaches the program with an empty one).
 */
export function errorWithDetails(message: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { details: message }, extra);
}

/** The message a program sees for a failed invoke: what the engine shows for the plugin's failures. */
function invokeFailure(token: string, err: unknown): Error {
  if (ValidationError.isInstance(err)) {
    const reasons = err.failures.map((f) => `${f.reason} (${f.property})`).join("; ");
    return errorWithDetails(`Invoke of '${token}' failed: ${reasons}`, { failures: err.failures });
  }
  if (HwddmError.isInstance(err)) return errorWithDetails(err.message, { kind: err.kind });
  return errorWithDetails(err instanceof Error ? err.message : String(err));
}

function runningCredentials(given: Partial<EmulatorCredentials> = {}): EmulatorCredentials {
  const out = { ...emulatorCredentials(defaultFixture()) };
  for (const [k, v] of Object.entries(given)) {
    if (v !== undefined) (out as Record<string, string>)[k] = v;
  }
  return out;
}

/**
 * Mocks for `pulumi.runtime.setMocks` that answer `hwddm:backup:getRestorableInstances` and
 * `hwddm:backup:getRestoreTimeIntervals` through the real core against an emulator, and
 * leave everything else to `options.mocks`. The in-process emulator starts on the first
 * call (or `emulator()`); `close()` stops it.
 *
 * Every invoke, through the default provider or an explicit `hwddm.Provider`, is answered
 * with the emulator's endpoint and credentials (plus `options.config`): a test never
 * reaches Huawei Cloud. A function's own `projectId` argument still chooses among the
 * fixture's projects, as it would in the cloud. Failures reach the program as
 * the engine would show them: bad arguments as `Invoke of '<token>' failed: <reason>
 * (<property>)`, API errors with their message (status, error code, request id).
 */
export function hwddmMocks(options: HwddmMocksOptions = {}): HwddmMocks {
  if (options.emulator && (options.fixture !== undefined || options.faults !== undefined)) {
    throw new ValidationError([
      {
        property: "emulator",
        reason: "a running emulator serves its own data and faults; give either emulator or fixture/faults",
      },
    ]);
  }
  // Check a fixture now, so that a bad one fails where the mocks are made, naming the field.
  const fixture =
    options.fixture === undefined
      ? undefined
      : typeof options.fixture === "string"
        ? loadFixture(options.fixture)
        : parseFixture(options.fixture);
  const invokes: HwddmInvoke[] = [];
  let started: Promise<Emulator> | undefined;
  let closed = false;
  const pending = new Set<Promise<unknown>>();

  const emulator = async (): Promise<AnsweringEmulator> => {
    if (options.emulator) {
      const url = options.emulator.url.replace(/\/+$/, "");
      return {
        url,
        iamUrl: options.emulator.iamUrl ?? `${url}/v3`,
        credentials: runningCredentials(options.emulator.credentials),
      };
    }
    if (closed) throw errorWithDetails("hwddmMocks: used after close()");
    started ??= startEmulator({ data: fixture, faults: options.faults });
    return started;
  };

  const own = options.mocks ?? {};

  return {
    invokes,
    emulator,

    async call(args: pulumi.runtime.MockCallArgs): Promise<Record<string, unknown>> {
      if (!args.token.startsWith(PACKAGE_PREFIX)) {
        if (own.call) return own.call(args);
        throw errorWithDetails(
          `unknown function ${args.token}: hwddmMocks answers ${functionNames.join(", ")}`,
        );
      }
      const inputs = (args.inputs ?? {}) as Record<string, unknown>;
      invokes.push({ token: args.token, provider: args.provider, args: inputs });
      const answer = (async () => {
        const em = await emulator();
        const providerConfig = { ...emulatorConfig(em, options.auth ?? "token"), ...options.config };
        return invoke(args.token, inputs, { providerConfig, env: {} });
      })();
      pending.add(answer);
      try {
        return await answer;
      } catch (err) {
        throw invokeFailure(args.token, err);
      } finally {
        pending.delete(answer);
      }
    },

    newResource(args: pulumi.runtime.MockResourceArgs) {
      if (own.newResource) return own.newResource(args);
      return { id: args.id || `${args.name}_id`, state: args.inputs as Record<string, unknown> };
    },

    async close(): Promise<void> {
      closed = true;
      // Let the invokes already asked finish first: a program's other outputs may still wait on them.
      await Promise.allSettled([...pending]);
      const em = started;
      started = undefined;
      if (em) await (await em).close();
    },
  };
}
