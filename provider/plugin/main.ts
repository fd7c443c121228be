/**
 * Entry point of the `pulumi-resource-hwddm` plugin executable.
 *
 * Like every Pulumi plugin it takes the engine's address as a positional argument and
 * the engine's logging flags (`--logtostderr`, `-v=N`, `--tracing <endpoint>`,
 * `--logflow`), listens on 127.0.0.1 on a free port and prints that port and a newline
 * on stdout: the only thing it ever writes there. Diagnostics go to stderr (only with
 * `-v=N`, N >= 1), always redacted. SIGTERM and SIGINT stop it cleanly (exit code 0).
 */
import { redactSecrets } from "../errors";
import { preloadCore, startProviderServer } from "./server";

/** What the command line says. */
export interface PluginArgs {
  engineAddress?: string;
  verbosity: number;
}

/** Parse the plugin command line; unknown flags are ignored (newer engines may add some). */
export function parsePluginArgs(argv: readonly string[]): PluginArgs {
  const out: PluginArgs = { verbosity: 0 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.includes("=")
      ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
      : [arg];
    switch (flag.replace(/^--?/, "")) {
      case "v":
      case "verbose": {
        const value = inline ?? argv[++i];
        const n = Number(value);
        out.verbosity = Number.isInteger(n) && n >= 0 ? n : out.verbosity;
        break;
      }
      // Accepted and ignored: diagnostics always go to stderr (the engine reads it), and the
      // plugin sends no trace spans; `--tracing` takes a value, skipped with it.
      case "logtostderr":
      case "logflow":
        break;
      case "tracing":
        if (inline === undefined) i++;
        break;
      default:
        if (!arg.startsWith("-") && out.engineAddress === undefined) out.engineAddress = arg;
    }
  }
  return out;
}

/** Start the plugin; resolves once the port is printed. */
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  const args = parsePluginArgs(argv);
  const log =
    args.verbosity > 0
      ? (message: string) => process.stderr.write(`hwddm: ${redactSecrets(message)}\n`)
      : undefined;
  const { port, provider, shutdown } = await startProviderServer({ engineAddress: args.engineAddress, log });

  // Handlers first: the engine may signal as soon as it has read the port.
  let exiting = false;
  const stop = (signal: string) => {
    if (exiting) return;
    exiting = true;
    log?.(`${signal}: shutting down`);
    // Nobody waits for an answer any more: abort in-flight invokes, then stop (forced after 2 s).
    provider.cancelAll();
    void shutdown(2000).then(() => process.exit(0));
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));

  process.stdout.write(`${port}\n`);

  // Load the function registry now that the engine has the port: the first request does not wait for it.
  setImmediate(() => {
    try {
      preloadCore();
    } catch (err) {
      log?.(`preloading the core failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  });
}

/** Run as the executable: start, or print why not on stderr and exit 1. */
export function run(): void {
  main().catch((err: unknown) => {
    process.stderr.write(
      `hwddm: cannot start: ${redactSecrets(err instanceof Error ? err.message : String(err))}\n`,
    );
    process.exit(1);
  });
}

if (require.main === module) run();
