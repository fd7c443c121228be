/**
 * Drive the real plugin the way the Pulumi engine does, without the Pulumi CLI. The one
 * implementation shared by the demo (`npm start`, examples/demo.ts) and the tests; it
 * lives here, not under provider/, so that this test tooling (which imports
 * `@pulumi/pulumi`) never ships in the package:
 *
 * - `spawnPlugin` (plugin-process.ts, re-exported): the plugin as a process, and a typed client.
 * - `forwardingMocks`: `pulumi.runtime.setMocks` mocks whose `call` forwards every invoke
 *   over gRPC to a plugin process, one per provider instance (the default provider gets
 *   CheckConfig + Configure from the stack config, an explicit `hwddm.Provider` from its
 *   inputs, as the engine does), and whose `newResource` runs dynamic resources' serialized
 *   providers for real, evaluated exactly as the engine's dynamic-provider host evaluates them.
 * - `runProgram`: run a compiled Pulumi program module under mocks and resolve its exports.
 */
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import * as pulumi from "@pulumi/pulumi";

import { isEngineKey } from "../../provider/config";
import type { InputFailure } from "../../provider/errors";
import { PlainObject } from "../../provider/plugin/protocol";
import { isSecretWrapper, wrapSecret } from "../../provider/secret-wire";
import { errorWithDetails } from "../../testing";
import { PluginProcess } from "./plugin-process";

export * from "./plugin-process";

// ---------------------------------------------------------------------------------------
// Serialized dynamic providers

/** The directory of Pulumi's dynamic-provider host (`@pulumi/pulumi/cmd/dynamic-provider`). */
export function dynamicProviderHostDir(): string {
  return path.dirname(require.resolve("@pulumi/pulumi/cmd/dynamic-provider"));
}

/**
 * Evaluate serialized function text (a dynamic resource's `__provider`) exactly as the
 * engine's dynamic-provider host does and return its exports: the host calls
 * `requireFromString(text)` (the `require-from-string` package, resolved here from the host's
 * own directory), which compiles the text as a module whose file name is `""` and whose
 * module paths are those of the host's working directory. So a `require("hwddm/...")`
 * inside the provider resolves only through `<cwd>/node_modules` (and its parents), the
 * Pulumi program's own; `cwd` stands for the directory the engine starts the host in (the
 * program's project directory). The process's working directory is changed only while the
 * text is compiled (synchronously): the paths are fixed then, as in the host.
 */
export function loadSerializedModule(text: string, cwd: string = process.cwd()): unknown {
  const requireFromString = require(
    require.resolve("require-from-string", { paths: [dynamicProviderHostDir()] }),
  ) as (code: string) => unknown;
  const previous = process.cwd();
  process.chdir(cwd);
  try {
    return requireFromString(text);
  } finally {
    process.chdir(previous);
  }
}

/** The dynamic-provider host's `Config`: `get("hwddm:region")` etc. over the stack config. */
function dynamicConfig(raw: Record<string, string>, project: string) {
  return {
    get: (key: string): string | undefined => raw[key.includes(":") ? key : `${project}:${key}`],
    require(key: string): string {
      const v = this.get(key);
      if (v === undefined) throw new Error(`Missing required configuration key: ${key}`);
      return v;
    },
  };
}

// ---------------------------------------------------------------------------------------
// setMocks forwarding to the plugin

export interface ForwardingMocksOptions {
  /** Start a plugin process for one provider instance (called lazily, once per provider). */
  spawn: () => Promise<PluginProcess>;
  /** The stack config, as given to `pulumi.runtime.setAllConfig` (`hwddm:region`, ...). */
  config?: Record<string, string>;
  /** Which of `config`'s keys are secret. */
  secretKeys?: string[];
  /** Whether this run is a preview (sent as `InvokeRequest.preview`; dynamic creates are skipped). */
  preview?: boolean;
  /** Project name (for the dynamic provider's config lookups). Default `project`. */
  project?: string;
  /**
   * The program's project directory, where the dynamic-provider host runs: serialized
   * providers resolve their `require`s from its `node_modules`. Default: this process's cwd.
   */
  programDir?: string;
}

export interface ForwardingMocks extends pulumi.runtime.Mocks {
  /** Every invoke forwarded, in order. */
  readonly invokes: { token: string; provider: string; args: PlainObject }[];
  /** Every resource registered, in order. */
  readonly resources: pulumi.runtime.MockResourceArgs[];
  /** Every plugin started, in order. */
  readonly plugins: PluginProcess[];
  close(): Promise<void>;
}

const PROVIDER_TYPE = "pulumi:providers:hwddm";

function cleanConfigKey(key: string): string {
  const i = key.indexOf(":");
  return i > 0 && key.startsWith("config:", i + 1)
    ? key.slice(0, i) + ":" + key.slice(i + 1 + "config:".length)
    : key;
}

/** Provider inputs as `variables` (`hwddm:config:<key>` → string), as the engine derives them. */
function variablesOf(inputs: PlainObject): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const [key, raw] of Object.entries(inputs)) {
    if (isEngineKey(key) || raw === undefined || raw === null) continue;
    const v = isSecretWrapper(raw) ? raw.value : raw;
    vars[`hwddm:config:${key}`] = typeof v === "string" ? v : JSON.stringify(v);
  }
  return vars;
}

/**
 * Mocks that forward every `hwddm` invoke to a real plugin process over gRPC, configured
 * as the engine configures it, and run dynamic resources' serialized providers.
 */
export function forwardingMocks(opts: ForwardingMocksOptions): ForwardingMocks {
  const project = opts.project ?? "project";
  const stackConfig: Record<string, string> = {};
  for (const [k, v] of Object.entries(opts.config ?? {})) stackConfig[cleanConfigKey(k)] = v;
  const secret = new Set((opts.secretKeys ?? []).map(cleanConfigKey));

  const explicitInputs = new Map<string, PlainObject>();
  const plugins = new Map<string, Promise<PluginProcess>>();
  const started: PluginProcess[] = [];
  const invokes: ForwardingMocks["invokes"] = [];
  const resources: pulumi.runtime.MockResourceArgs[] = [];
  const dynamicProviders = new Map<string, Promise<DynamicProvider>>();

  /** Start and configure the plugin behind one provider, exactly once. */
  const pluginFor = (ref: string): Promise<PluginProcess> => {
    let p = plugins.get(ref);
    if (!p) {
      p = (async () => {
        let news: PlainObject;
        if (ref === "") {
          news = {};
          for (const [k, v] of Object.entries(stackConfig)) {
            if (!k.startsWith("hwddm:")) continue;
            news[k.slice("hwddm:".length)] = secret.has(k) ? wrapSecret(v) : v;
          }
        } else {
          const id = ref.slice(ref.lastIndexOf("::") + 2);
          const inputs = explicitInputs.get(id);
          if (!inputs) throw errorWithDetails(`unknown provider reference ${ref}`);
          news = inputs;
        }
        const plugin = await opts.spawn();
        started.push(plugin);
        const checked = await plugin.client.checkConfig(
          news,
          {},
          ref === "" ? "default" : ref.split("::")[3],
        );
        if (checked.failures.length > 0) {
          throw errorWithDetails(
            `provider config is invalid: ${checked.failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`,
          );
        }
        await plugin.client.configure({ variables: variablesOf(checked.inputs), args: checked.inputs });
        return plugin;
      })();
      plugins.set(ref, p);
    }
    return p;
  };

  const dynamicProviderFor = (text: string): Promise<DynamicProvider> => {
    let p = dynamicProviders.get(text);
    if (!p) {
      p = (async () => {
        const provider = (
          loadSerializedModule(text, opts.programDir) as { handler: () => DynamicProvider }
        ).handler();
        if (provider.configure) await provider.configure({ config: dynamicConfig(stackConfig, project) });
        return provider;
      })();
      dynamicProviders.set(text, p);
    }
    return p;
  };

  return {
    invokes,
    resources,
    get plugins() {
      return started;
    },

    async call(args: pulumi.runtime.MockCallArgs): Promise<Record<string, unknown>> {
      const ref = args.provider ?? "";
      invokes.push({ token: args.token, provider: ref, args: args.inputs as PlainObject });
      if (!args.token.startsWith("hwddm:")) throw errorWithDetails(`unknown function ${args.token}`);
      let res: { result?: PlainObject; failures: InputFailure[] };
      try {
        const plugin = await pluginFor(ref);
        res = await plugin.client.invoke(args.token, args.inputs as PlainObject, { preview: opts.preview });
      } catch (err) {
        const e = err as grpc.ServiceError;
        throw errorWithDetails(e.details ?? e.message, { code: e.code });
      }
      if (res.failures.length > 0) {
        const reasons = res.failures.map((f) => `${f.reason} (${f.property})`).join("; ");
        throw errorWithDetails(`Invoke of '${args.token}' failed: ${reasons}`, { failures: res.failures });
      }
      return res.result ?? {};
    },

    async newResource(
      args: pulumi.runtime.MockResourceArgs,
    ): Promise<{ id: string | undefined; state: PlainObject }> {
      resources.push(args);
      const inputs = (args.inputs ?? {}) as PlainObject;
      if (args.type === PROVIDER_TYPE) {
        const id = `${args.name}-id`;
        explicitInputs.set(id, inputs);
        return { id, state: inputs };
      }
      if (args.type.startsWith("pulumi-nodejs:dynamic") && typeof inputs.__provider === "string") {
        const provider = await dynamicProviderFor(inputs.__provider);
        const props = { ...inputs };
        delete props.__provider;
        try {
          if (args.id) {
            if (!provider.read) throw errorWithDetails(`${args.type} cannot be read`);
            const r = await provider.read(args.id, props);
            return { id: r.id ?? args.id, state: { ...(r.props ?? {}), __provider: inputs.__provider } };
          }
          if (opts.preview) return { id: undefined, state: inputs };
          const created = await provider.create(props);
          return { id: created.id, state: { ...(created.outs ?? {}), __provider: inputs.__provider } };
        } catch (err) {
          const e = err as Error & { details?: string };
          throw errorWithDetails(e.details ?? e.message);
        }
      }
      return { id: args.id ?? `${args.name}-id`, state: inputs };
    },

    async close(): Promise<void> {
      // Every plugin started, including one whose CheckConfig or Configure then failed (its
      // promise rejected, so only `started` still holds it).
      await Promise.all([...plugins.values()].map((p) => p.catch(() => undefined)));
      await Promise.all(started.map((p) => p.close().catch(() => undefined)));
    },
  };
}

/** The part of `pulumi.dynamic.ResourceProvider` the mocks drive. */
interface DynamicProvider {
  configure?(req: { config: { get(key: string): string | undefined } }): Promise<void>;
  create(inputs: PlainObject): Promise<{ id: string; outs?: PlainObject }>;
  read?(id: string, props?: PlainObject): Promise<{ id?: string; props?: PlainObject }>;
}

// ---------------------------------------------------------------------------------------
// Running a program under mocks

/** A program output as the engine would record it. */
export interface ProgramOutput {
  value: unknown;
  known: boolean;
  secret: boolean;
}

/** Resolve any value (Outputs nested or not) to its value, knownness and secretness. */
export async function resolveOutput(value: unknown): Promise<ProgramOutput> {
  const out = pulumi.output(value) as unknown as {
    isKnown: Promise<boolean>;
    isSecret: Promise<boolean>;
    promise(withUnknowns?: boolean): Promise<unknown>;
  };
  // allSettled: when the Output failed, its knownness and secretness reject too; handle all three.
  const [resolved, known, secret] = await Promise.allSettled([out.promise(true), out.isKnown, out.isSecret]);
  for (const r of [resolved, known, secret]) if (r.status === "rejected") throw r.reason;
  const isKnown = (known as PromiseFulfilledResult<boolean>).value;
  return {
    value: isKnown ? (resolved as PromiseFulfilledResult<unknown>).value : undefined,
    known: isKnown,
    secret: (secret as PromiseFulfilledResult<boolean>).value,
  };
}

export interface RunProgramOptions {
  /** Absolute path of the compiled program module (its exports are the stack outputs). */
  program: string;
  mocks: pulumi.runtime.Mocks;
  preview: boolean;
  config?: Record<string, string>;
  secretKeys?: string[];
  project?: string;
  stack?: string;
}

/** Run a Pulumi program under `setMocks` and return its stack outputs. */
export async function runProgram(opts: RunProgramOptions): Promise<Record<string, ProgramOutput>> {
  await pulumi.runtime.setMocks(opts.mocks, opts.project ?? "project", opts.stack ?? "stack", opts.preview);
  pulumi.runtime.setAllConfig(opts.config ?? {}, opts.secretKeys ?? []);
  const modulePath = require.resolve(opts.program);
  delete require.cache[modulePath];
  let exported = require(modulePath) as Record<string, unknown> | (() => unknown);
  if (typeof exported === "function") exported = (await exported()) as Record<string, unknown>;
  const entries = Object.entries(exported ?? {}).filter(([key]) => key !== "__esModule");
  const settled = await Promise.allSettled(entries.map(([, value]) => resolveOutput(value)));
  const outputs: Record<string, ProgramOutput> = {};
  settled.forEach((r, i) => {
    if (r.status === "rejected") throw r.reason;
    outputs[entries[i][0]] = r.value;
  });
  return outputs;
}
