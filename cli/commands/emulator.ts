/**
 * `hwddm emulator`: run the DDM API emulator on loopback until SIGINT/SIGTERM. This is the
 * emulator's only command line: `bin/hwddm-emulator` runs this same command.
 */
import { Command, Option } from "commander";
import { ConfigurationError, ValidationError } from "../../provider/errors";
import {
  Emulator,
  EmulatorOptions,
  defaultFixture,
  emulatorBanner,
  loadFixture,
  parseFaultSpec,
  startEmulator,
} from "../../emulator";
import { EXIT } from "../output";
import { CliContext, integerArg } from "./common";

interface EmulatorFlags {
  port: string;
  host?: string;
  data?: string;
  fault: string[];
  tokenLifetime?: string;
  maxBodyBytes?: string;
  verbose?: boolean;
  printFixture?: boolean;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function emulatorCommand(ctx: CliContext): Command {
  const cmd = new Command("emulator").description(
    "Run the DDM API emulator (DDM restore queries and IAM) on loopback until Ctrl-C or SIGTERM.",
  );
  cmd
    .option("--port <port>", "port to listen on; 0 picks a free one (printed at start)", "0")
    .option("--host <host>", "address to listen on (default 127.0.0.1; anything else is your choice)")
    .option("--data <file>", "JSON fixture file (default: the built-in demo data)")
    .addOption(
      new Option(
        "--fault <spec>",
        "inject a fault (repeatable), e.g. status:503:times=2, 429, latency:20, reset:times=1 (see docs/cli.md)",
      )
        .argParser(collect)
        .default([]),
    )
    .option("--token-lifetime <seconds>", "lifetime of tokens issued by the emulator's IAM (default 86400)")
    .option("--max-body-bytes <n>", "largest request body accepted; larger ones get 413 (default 65536)")
    .option("-v, --verbose", "log one line per request on stderr (never a credential)")
    .option("--print-fixture", "print the built-in fixture as JSON (a template for --data) and exit");
  cmd.addHelpText(
    "after",
    [
      "",
      "Prints the URL and the environment lines that point hwddm (and the Pulumi provider) at it;",
      "the credentials printed are the emulator's fixed fake ones, not secrets. `hwddm-emulator`",
      "is the same command. Exit 0 when stopped; 2 for a bad flag, fault or fixture, or a port in use.",
      "",
      "Examples:",
      "  $ hwddm emulator --port 8080",
      "  $ hwddm emulator --fault 429:retry-after=1 --fault latency:20:jitter=5 --verbose",
      "  $ hwddm emulator --port 0 --data fixture.json --fault status:503:times=2 --verbose",
      "  $ hwddm emulator --print-fixture > fixture.json",
    ].join("\n"),
  );
  cmd.action(async (flags: EmulatorFlags) => {
    if (flags.printFixture) {
      ctx.print.json(defaultFixture());
      ctx.setExit(EXIT.ok);
      return;
    }
    let emulator: Emulator;
    try {
      emulator = await startEmulator(emulatorOptions(flags, ctx));
    } catch (e) {
      throw inFlagTerms(e, flags);
    }
    for (const line of emulatorBanner(emulator, emulator.faults())) ctx.print.line(line);
    const signal = ctx.io.signal;
    await new Promise<void>((resolve) => {
      if (!signal) return; // nothing can stop it: it runs until the process ends
      if (signal.aborted) resolve();
      else signal.addEventListener("abort", () => resolve(), { once: true });
    });
    await emulator.close();
    const reason = typeof signal?.reason === "string" ? ` (${signal.reason})` : "";
    ctx.print.note(`hwddm emulator stopped${reason}`);
    ctx.setExit(EXIT.ok);
  });
  return cmd;
}

/** The flags as startEmulator options; the emulator checks every value (reported as flags below). */
function emulatorOptions(flags: EmulatorFlags, ctx: CliContext): EmulatorOptions {
  const number = (v: string | undefined) => integerArg(v) as number | undefined;
  const options: EmulatorOptions = {
    port: number(flags.port),
    faults: flags.fault.map((spec) => parseFaultSpec(spec)),
  };
  if (flags.host !== undefined) options.host = flags.host;
  if (flags.data !== undefined) options.data = loadFixture(flags.data);
  if (flags.tokenLifetime !== undefined) options.tokenLifetimeSeconds = number(flags.tokenLifetime);
  if (flags.maxBodyBytes !== undefined) options.maxBodyBytes = number(flags.maxBodyBytes);
  if (flags.verbose) options.log = (line: string) => ctx.print.note(line);
  return options;
}

const OPTION_FLAGS: Record<string, string> = {
  port: "--port",
  host: "--host",
  tokenLifetimeSeconds: "--token-lifetime",
  maxBodyBytes: "--max-body-bytes",
  fault: "--fault",
  faults: "--fault",
};

/**
 * The emulator's errors in command-line terms: its option names as flags, and a port that
 * cannot be listened on as a configuration error (exit 2, like every other bad setting).
 */
function inFlagTerms(e: unknown, flags: EmulatorFlags): unknown {
  if (ValidationError.isInstance(e)) {
    return new ValidationError(
      e.failures.map((f) => {
        const [head, ...rest] = f.property.split(".");
        const flag = OPTION_FLAGS[head];
        return { property: flag ? [flag, ...rest].join(".") : f.property, reason: f.reason };
      }),
    );
  }
  const code = (e as { code?: unknown } | undefined)?.code;
  if (code === "EADDRINUSE" || code === "EACCES" || code === "EADDRNOTAVAIL") {
    return new ConfigurationError(
      `cannot listen on ${flags.host ?? "127.0.0.1"}:${flags.port} (${code}); choose another --port (0 picks a free one)` +
        (code === "EADDRNOTAVAIL" ? " or --host" : ""),
      ["port"],
    );
  }
  return e;
}
