/**
 * `hwddm-emulator`: run the DDM API emulator from the command line.
 *
 *   hwddm-emulator [--port N] [--host H] [--data fixture.json] [--fault SPEC]...
 *                  [--token-lifetime SECONDS] [--verbose] [--print-fixture] [--help]
 *
 * Prints the URL and the `export` lines that point the client at it (the credentials are
 * the emulator's fixed, fake ones), then serves until SIGINT/SIGTERM. The `hwddm emulator`
 * subcommand of the main CLI wraps `startEmulator` and reuses `parseFaultSpec` and
 * `emulatorBanner` from here.
 *
 * Exit codes: 0 stopped by a signal (or --help / --print-fixture); 2 usage or configuration
 * error (bad flag, fault or fixture); 3 the server could not listen (e.g. port in use).
 */
import { ConfigurationError, HwddmError, ValidationError } from "../provider/errors";
import { emulatorEnv } from "./env";
import { FaultSpec, formatFaultSpec, parseFaultSpec } from "./faults";
import { defaultFixture, loadFixture, Fixture } from "./fixture";
import { Emulator, EmulatorOptions, startEmulator } from "./server";

export const USAGE = `Usage: hwddm-emulator [options]

Runs a local Huawei Cloud DDM + IAM API emulator (loopback only unless --host is given).

Options:
  --port N                 TCP port (default 0: a free port, printed at start)
  --host HOST              interface to listen on (default 127.0.0.1)
  --data FILE              fixture JSON file (default: the built-in demo data)
  --fault SPEC             inject a fault; repeatable. SPEC examples:
                             latency:20  latency:20:jitter=5  status:503:times=2
                             429:retry-after=1  409  reset:times=1  stall  stall:body
                             malformed  html  shrink  grow:2  ...:route=instances:after=1
  --token-lifetime SECS    life of IAM tokens it issues (default 86400)
  --max-body-bytes N       largest request body accepted (default 65536)
  --verbose                one log line per request (never a credential)
  --print-fixture          print the built-in fixture as JSON (a template for --data) and exit
  --help                   this text
`;

/** What the command line asked for. */
export interface EmulatorCliArgs {
  options: EmulatorOptions;
  /** The fault texts as given (for the banner). */
  faultTexts: string[];
  help: boolean;
  printFixture: boolean;
}

function usage(reason: string): never {
  throw new ValidationError([{ property: "arguments", reason }]);
}

function intArg(flag: string, value: string, min: number, max: number): number {
  if (!/^\d{1,10}$/.test(value) || Number(value) < min || Number(value) > max)
    usage(`${flag} expects an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
  return Number(value);
}

/** Parse the arguments (without `node` and the script). Throws ValidationError / ConfigurationError. */
export function parseEmulatorArgs(argv: readonly string[]): EmulatorCliArgs {
  const options: EmulatorOptions = {};
  const faults: FaultSpec[] = [];
  const faultTexts: string[] = [];
  let help = false;
  let printFixture = false;
  let dataPath: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    const value = (): string => {
      if (inline !== undefined) return inline;
      const next = argv[i + 1];
      if (next === undefined || next.startsWith("--")) usage(`${flag} needs a value`);
      i++;
      return next;
    };
    const noValue = (): void => {
      if (inline !== undefined) usage(`${flag} takes no value`);
    };
    switch (flag) {
      case "--port":
        options.port = intArg(flag, value(), 0, 65535);
        break;
      case "--host": {
        const h = value().trim();
        if (h === "") usage("--host needs a host name or address");
        options.host = h;
        break;
      }
      case "--data":
        dataPath = value();
        break;
      case "--fault": {
        const text = value();
        try {
          faults.push(parseFaultSpec(text));
        } catch (e) {
          if (ValidationError.isInstance(e)) usage(`--fault ${e.failures[0].reason}`);
          throw e;
        }
        faultTexts.push(text);
        break;
      }
      case "--token-lifetime":
        options.tokenLifetimeSeconds = intArg(flag, value(), 1, 10 * 365 * 86400);
        break;
      case "--max-body-bytes":
        options.maxBodyBytes = intArg(flag, value(), 1, 1 << 30);
        break;
      case "--verbose":
      case "-v":
        noValue();
        options.verbose = true;
        break;
      case "--print-fixture":
        noValue();
        printFixture = true;
        break;
      case "--help":
      case "-h":
        noValue();
        help = true;
        break;
      default:
        usage(`unknown argument ${JSON.stringify(arg)} (see --help)`);
    }
  }
  if (faults.length > 0) options.faults = faults;
  if (dataPath !== undefined) options.data = loadFixture(dataPath);
  return { options, faultTexts, help, printFixture };
}

/**
 * The lines printed at start: the URL, `export` lines for the token mode (and, commented, for
 * AK/SK and password), the faults in force and the example instance ids. The credentials are
 * the emulator's own fake fixture values; printing them is intended.
 */
export function emulatorBanner(emulator: Emulator, faults: readonly FaultSpec[] = []): string[] {
  const env = emulatorEnv(emulator, "token");
  const aksk = emulatorEnv(emulator, "aksk");
  const pw = emulatorEnv(emulator, "password");
  const data = emulator.data();
  const project = data.projects.find((p) => p.id === emulator.credentials.projectId);
  const lines = [
    `hwddm emulator (DDM + IAM) listening on ${emulator.url}`,
    `# Point the client at it (fake credentials from the emulator's fixture):`,
    ...Object.entries(env).map(([k, v]) => `export ${k}=${v}`),
    `# AK/SK instead of the token: unset HW_AUTH_TOKEN; export HW_ACCESS_KEY=${aksk.HW_ACCESS_KEY} HW_SECRET_KEY=${aksk.HW_SECRET_KEY}`,
    `# IAM password instead: unset HW_AUTH_TOKEN; export HW_DOMAIN_NAME=${pw.HW_DOMAIN_NAME} HW_USER_NAME=${pw.HW_USER_NAME} HW_PASSWORD=${pw.HW_PASSWORD}`,
  ];
  if (project && project.instances.length > 0)
    lines.push(`# DDM instances in project ${project.id}: ${project.instances.map((i) => i.id).join(", ")}`);
  if (faults.length > 0) lines.push(`# faults: ${faults.map((f) => formatFaultSpec(f)).join(" ")}`);
  lines.push("# Ctrl-C stops it.");
  return lines;
}

export interface MainIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

const STD_IO: MainIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/**
 * Run the command line. Resolves with the exit code once the emulator has stopped (signal),
 * or at once for --help, --print-fixture and errors. Sets `process.exitCode`.
 */
export async function main(
  argv: readonly string[] = process.argv.slice(2),
  io: MainIo = STD_IO,
): Promise<number> {
  const done = (code: number): number => {
    process.exitCode = code;
    return code;
  };
  let args: EmulatorCliArgs;
  try {
    args = parseEmulatorArgs(argv);
  } catch (e) {
    if (ValidationError.isInstance(e)) io.err(`hwddm-emulator: ${e.failures[0].reason}`);
    else if (ConfigurationError.isInstance(e) || HwddmError.isInstance(e))
      io.err(`hwddm-emulator: ${e.message}`);
    else throw e;
    return done(2);
  }
  if (args.help) {
    io.out(USAGE.trimEnd());
    return done(0);
  }
  if (args.printFixture) {
    const f: Fixture = defaultFixture();
    io.out(JSON.stringify(f, null, 2));
    return done(0);
  }
  let emulator: Emulator;
  try {
    emulator = await startEmulator({ ...args.options, log: args.options.verbose ? io.out : undefined });
  } catch (e) {
    const code = (e as { code?: string }).code;
    io.err(`hwddm-emulator: cannot listen: ${code ?? (e as Error).message}`);
    return done(3);
  }
  for (const line of emulatorBanner(emulator, emulator.faults())) io.out(line);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    const onSignal = (s: NodeJS.Signals): void => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      resolve(s);
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
  await emulator.close();
  io.err(`hwddm-emulator: stopped (${signal})`);
  return done(0);
}

if (require.main === module) {
  void main();
}
