/**
 * The `hwddm` command line: a thin face over the function registry in `provider/`. It parses
 * flags (commander), builds function arguments and a ProviderConfigInput from them, calls
 * the core (which validates and resolves the rest: flags, then environment, then defaults)
 * and prints. `run()` does all of it without touching `process`, so tests drive it
 * in-process; `main()` wires it to the real process (bin/hwddm).
 */
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import {
  ApiError,
  ConfigurationError,
  HwddmError,
  RecordCapError,
  ResponseError,
  SelectionError,
  ValidationError,
} from "../provider/errors";
import { ENV_NAMES } from "../provider/config";
import { JobError } from "../provider/restore/job";
import { CREDENTIAL_KEYS } from "../provider/types";
import { closeClients } from "../provider/client";
import { packageVersion } from "../provider/package";
import { checkTimeCommand } from "./commands/check-time";
import { CREDENTIALS_HELP, CliContext, validationMessage } from "./commands/common";
import { emulatorCommand } from "./commands/emulator";
import { instancesCommand } from "./commands/instances";
import { jobCommand } from "./commands/job";
import { planRestoreCommand } from "./commands/plan-restore";
import { relatedDataNodesCommand } from "./commands/related-data-nodes";
import { restorableDataNodesCommand } from "./commands/restorable-data-nodes";
import { restoreCommand } from "./commands/restore";
import { selectCommand } from "./commands/select";
import { timeIntervalsCommand } from "./commands/time-intervals";
import { CliIO, EXIT, EXIT_CODES_HELP, Printer, colorEnabled, debugDetails } from "./output";

export type { CliIO, CliStream } from "./output";
export { EXIT } from "./output";

/** The exit code for an error a command threw. */
export function exitCodeFor(err: unknown): number {
  if (SelectionError.isInstance(err)) return EXIT.no;
  if (ValidationError.isInstance(err) || ConfigurationError.isInstance(err)) return EXIT.usage;
  // Too many records for one call: the remedy is --offset/--limit, a usage matter.
  if (RecordCapError.isInstance(err)) return EXIT.usage;
  if (ApiError.isInstance(err) || ResponseError.isInstance(err)) return EXIT.api;
  // A restore job that failed, vanished or could not be read: an API matter.
  if (JobError.isInstance(err)) return EXIT.api;
  if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
  return EXIT.internal;
}

const CREDENTIAL_KEY_NAMES: readonly string[] = CREDENTIAL_KEYS;

/**
 * A missing-configuration error in the command line's own terms, from the keys the core names
 * (never from its prose): the flag and the environment variable for the region, the variables
 * for credentials (which only the environment holds). Undefined when the keys are not only
 * region and credentials (the core's message is the better one then).
 */
export function configurationMessage(err: ConfigurationError): string | undefined {
  const keys = err.keys;
  if (keys.length === 0 || !keys.every((k) => k === "region" || CREDENTIAL_KEY_NAMES.includes(k)))
    return undefined;
  const first = (k: keyof typeof ENV_NAMES) => ENV_NAMES[k][0];
  const parts: string[] = [];
  if (keys.includes("region")) parts.push(`no region: pass --region or set ${first("region")}`);
  const creds = keys.filter((k) => k !== "region") as (keyof typeof ENV_NAMES)[];
  if (["authToken", "accessKey", "domainName"].every((k) => creds.includes(k as keyof typeof ENV_NAMES))) {
    parts.push(
      `no credentials: set ${first("authToken")}, or ${first("accessKey")} and ${first("secretKey")}, ` +
        `or ${first("domainName")}, ${first("userName")} and ${first("password")}`,
    );
  } else if (creds.length > 0) {
    // A partial set: the core's message names the key that is missing and the layer that holds the rest.
    return undefined;
  }
  return `${parts.join("; ")} (every variable: hwddm --help)`;
}

/** The flags of an option that takes one value: given twice, it is refused instead of taking the last. */
function refuseRepeats(cmd: Command): void {
  for (const opt of cmd.options as Option[]) {
    if (!opt.required || opt.variadic || opt.parseArg) continue;
    opt.argParser((value: string, previous: unknown) => {
      if (cmd.getOptionValueSource(opt.attributeName()) === "cli") {
        throw new InvalidArgumentError(
          `${opt.long ?? opt.flags} is given twice (${String(previous)}, ${value}); give it once`,
        );
      }
      return value;
    });
  }
}

/**
 * Commander checks required options before unknown ones, so `--instance S` (a typo of
 * `--instance-id`) would be reported as a missing `--instance-id`. Checking the required ones in a
 * preAction hook, which runs after the unknown-option check, names the typo and its suggestion.
 */
function requireAfterUnknownCheck(cmd: Command): void {
  const required = (cmd.options as Option[]).filter((opt) => opt.mandatory);
  if (required.length === 0) return;
  for (const opt of required) opt.makeOptionMandatory(false);
  cmd.hook("preAction", () => {
    for (const opt of required) {
      if (cmd.getOptionValue(opt.attributeName()) === undefined) {
        cmd.error(`required option '${opt.flags}' not specified`, {
          code: "commander.missingMandatoryOptionValue",
          exitCode: EXIT.usage,
        });
      }
    }
  });
}

/** Build the program for one run (commander keeps parse state, so never reuse one). */
function buildProgram(ctx: CliContext): Command {
  const { io } = ctx;
  const program = new Command("hwddm");
  program
    .description(
      "Answer, for a Huawei Cloud DDM instance, which instances its backup can be restored into " +
        "and to which points in time: for pipelines and people.",
    )
    .version(packageVersion(), "-V, --version", "print the version")
    .option(
      "--debug",
      "on errors, add details (error kind, HTTP status, error_code, request id, attempts, stack)",
    )
    .helpOption("-h, --help", "show help")
    .helpCommand(false)
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      // One line, whatever commander adds ("Did you mean ...?" goes on the same line).
      outputError: (s, write) =>
        write(
          `hwddm: ${s
            .replace(/^error: /, "")
            .trim()
            .replace(/\s*\n\s*/g, " ")} (add --help for usage)\n`,
        ),
      getOutHasColors: () => colorEnabled(io.stdout, io.env),
      getErrHasColors: () => colorEnabled(io.stderr, io.env),
    })
    .exitOverride()
    .configureHelp({ showGlobalOptions: true })
    .addHelpText(
      "after",
      [
        "",
        CREDENTIALS_HELP,
        "",
        EXIT_CODES_HELP,
        "",
        "Examples:",
        "  $ hwddm instances --instance-id $SRC --region ap-southeast-1 --available-only",
        "  $ hwddm check-time --instance-id $SRC --time 2025-05-21T08:00:00Z --margin 5m || exit 1",
        '  $ hwddm select --instance-id $SRC --vpc-name vpc-ddm-172 --format env >> "$GITHUB_ENV"',
        "  $ hwddm plan-restore --instance-id $SRC --vpc-name vpc-ddm-172 --margin 5m",
        "  $ hwddm restore --instance-id $SRC --target-instance-id $TGT --wait --timeout 2h",
        "  $ hwddm emulator --port 8080",
      ].join("\n"),
    );
  for (const make of [
    instancesCommand,
    timeIntervalsCommand,
    checkTimeCommand,
    selectCommand,
    relatedDataNodesCommand,
    restorableDataNodesCommand,
    planRestoreCommand,
    restoreCommand,
    jobCommand,
    emulatorCommand,
  ]) {
    const cmd = make(ctx);
    // Subcommands added with addCommand do not inherit settings: copy them explicitly.
    cmd.copyInheritedSettings(program);
    refuseRepeats(cmd);
    requireAfterUnknownCheck(cmd);
    program.addCommand(cmd);
  }
  // `help [command]`, naming an unknown command instead of printing the full help for it.
  const help = new Command("help")
    .description("show help for a command")
    .argument("[command]")
    .action((name?: string) => {
      if (name === undefined) return program.help();
      const sub = program.commands.find((c) => c.name() === name || c.aliases().includes(name));
      if (!sub || sub === help) {
        const known = program.commands.filter((c) => c !== help).map((c) => c.name());
        return program.error(`unknown command '${name}'; the commands are ${known.join(", ")}`, {
          code: "commander.unknownCommand",
          exitCode: EXIT.usage,
        });
      }
      sub.help();
    });
  help.copyInheritedSettings(program);
  program.addCommand(help);
  return program;
}

/**
 * Run `hwddm` with `argv` (the arguments after the program name) and return the exit code.
 * Never throws and never calls `process.exit`.
 */
export async function run(argv: string[], io: CliIO): Promise<number> {
  let code: number = EXIT.ok;
  const print = new Printer(io);
  const ctx: CliContext = { io, print, setExit: (c) => (code = c) };
  const debug = argv.includes("--debug");
  let program: Command | undefined;
  try {
    program = buildProgram(ctx);
    await program.parseAsync(argv, { from: "user" });
    return code;
  } catch (err) {
    return reportError(err, io, print, debug);
  } finally {
    // The run is over: release the keep-alive connections of the clients it used.
    closeClients(io.overrides);
  }
}

/** Print an error the way the command line shows it and return its exit code. */
function reportError(err: unknown, io: CliIO, print: Printer, debug: boolean): number {
  if (err instanceof CommanderError) return exitCodeFor(err); // commander has printed it
  if (io.signal?.aborted) {
    print.error("interrupted; in-flight requests aborted");
    return io.signal.reason === "SIGTERM" ? EXIT.sigterm : EXIT.sigint;
  }
  const exit = exitCodeFor(err);
  if (ValidationError.isInstance(err)) {
    print.error(validationMessage(err));
  } else if (ConfigurationError.isInstance(err)) {
    const own = configurationMessage(err);
    print.error(own ?? err.message);
    if (own && debug) print.note(`  message: ${err.message}`);
  } else if (HwddmError.isInstance(err)) {
    print.error(err.message);
  } else {
    const message = err instanceof Error ? err.message : String(err);
    print.error(`internal error: ${message}${debug ? "" : " (rerun with --debug for details)"}`);
  }
  if (debug) for (const line of debugDetails(err)) print.note(line);
  return exit;
}

const SIGNAL_EXIT: Record<string, number> = { SIGINT: EXIT.sigint, SIGTERM: EXIT.sigterm };

/**
 * The process entry: real argv, streams, environment and signals. bin/hwddm passes the
 * process arguments; bin/hwddm-emulator passes `["emulator", ...arguments]`.
 */
export function main(argv: string[] = process.argv.slice(2)): void {
  const controller = new AbortController();
  let interrupted = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupted += 1;
    // A second Ctrl-C does not wait for anything.
    if (interrupted > 1) process.exit(SIGNAL_EXIT[signal] ?? EXIT.sigint);
    controller.abort(signal);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  // `hwddm ... | head` closes stdout early: that is not an error.
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
  });
  void run(argv, {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    signal: controller.signal,
  }).then((code) => {
    // No forced exit: run() released its connections and an aborted call leaves no timer
    // behind, so the process ends by itself once the streams are flushed.
    process.exitCode = code;
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  });
}
