/** `hwddm emulator`: run the DDM API emulator on loopback until SIGINT/SIGTERM. */
import { Command, Option } from "commander";
import { ConfigurationError, ValidationError } from "../../provider/errors";
import { Emulator, loadFixture, parseFaultSpec, startEmulator } from "../../emulator";
import { emulatorBanner } from "../../emulator/main";
import { EXIT } from "../output";
import { CliContext, integerArg } from "./common";

interface EmulatorFlags {
  port: string;
  host?: string;
  data?: string;
  fault: string[];
  tokenLifetime?: string;
  verbose?: boolean;
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
    .option("--token-lifetime <seconds>", "lifetime of tokens issued by the emulator's IAM")
    .option("--verbose", "log one line per request on stderr (never a credential)");
  cmd.addHelpText(
    "after",
    [
      "",
      "Prints the URL and the environment lines that point hwddm (and the Pulumi provider) at it;",
      "the credentials printed are the emulator's fixed fake ones, not secrets.",
      "",
      "Examples:",
      "  $ hwddm emulator --port 8080",
      "  $ hwddm emulator --fault 429:retry-after=1 --fault latency:20:jitter=5 --verbose",
      "  $ hwddm emulator --port 0 --data fixture.json --fault status:503:times=2 --verbose",
    ].join("\n"),
  );
  cmd.action(async (flags: EmulatorFlags) => {
    let emulator: Emulator;
    try {
      emulator = await startEmulator({
        port: integerArg(flags.port) as number,
        ...(flags.host !== undefined ? { host: flags.host } : {}),
        ...(flags.data !== undefined ? { data: loadFixture(flags.data) } : {}),
        faults: flags.fault.map((spec) => parseFaultSpec(spec)),
        ...(flags.tokenLifetime !== undefined
          ? { tokenLifetimeSeconds: integerArg(flags.tokenLifetime) as number }
          : {}),
        ...(flags.verbose ? { log: (line: string) => ctx.print.note(line) } : {}),
      });
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
    ctx.print.note("hwddm emulator stopped");
    ctx.setExit(EXIT.ok);
  });
  return cmd;
}

const OPTION_FLAGS: Record<string, string> = {
  port: "--port",
  host: "--host",
  tokenLifetimeSeconds: "--token-lifetime",
  fault: "--fault",
  faults: "--fault",
};

/** The emulator's errors in command-line terms: its option names as flags, a busy port as a usage error. */
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
