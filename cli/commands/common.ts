/**
 * What every query command shares: the connection flags, turning them into function
 * arguments and a ProviderConfigInput, and the context handed to the function registry.
 * No validation happens here: the core checks every value (flags, then environment, then
 * defaults) and names what is wrong.
 */
import { dropUndefined } from "../../provider/objects";
import { Command, Option } from "commander";
import { ValidationError } from "../../provider/errors";
import { CONFIG_LIMITS, ENV_NAMES, checkProviderConfig } from "../../provider/config";
import { DEFAULTS, DEFAULT_PAGING, DEFAULT_RETRY } from "../../provider/defaults";
import { toInteger } from "../../provider/validate";
import { CREDENTIAL_KEYS } from "../../provider/types";
import type { ConfigSource, InvokeContext, ProviderConfigInput, RetryNotice } from "../../provider/types";
import { CONFIG_VARIABLES, COMMON_INPUTS, FUNCTIONS, PAGING_INPUTS, RESTORE } from "../../provider/spec";
import type { Properties } from "../../provider/spec";
import { CliIO, Printer } from "../output";

/** What each command's action gets besides its own options. */
export interface CliContext {
  io: CliIO;
  print: Printer;
  /** Record the exit code of the command that ran. */
  setExit(code: number): void;
}

/** The connection flags, as commander hands them over. */
export interface ConnectionFlags {
  instanceId?: string;
  region?: string;
  projectId?: string;
  endpoint?: string;
  authUrl?: string;
  insecure?: boolean;
  maxRetries?: string;
  requestTimeout?: string;
  verbose?: boolean;
  json?: boolean;
  invokeTimeout?: string;
  maxRecords?: string;
}

/** Paging flags shared by the listing commands. */
export interface PagingFlags {
  offset?: string;
  limit?: string;
}

const env = (key: keyof typeof ENV_NAMES) => ENV_NAMES[key].join(", ");

/** The credentials and environment section of `hwddm --help` (env names from the core's table). */
export const CREDENTIALS_HELP = [
  "Credentials come from the environment only, never from flags (flags leak into process",
  "lists and CI logs). One of:",
  `  token:     ${env("authToken")}`,
  `  AK/SK:     ${env("accessKey")}; ${env("secretKey")}`,
  `             (temporary credentials also ${env("securityToken")})`,
  `  password:  ${env("domainName")}; ${env("userName")}; ${env("password")}`,
  "Other settings: a flag wins over the environment, which wins over the default:",
  `  --region ${env("region")}; --project-id ${env("projectId")}; --endpoint ${env("endpoint")};`,
  `  --auth-url ${env("authUrl")}; --max-retries ${env("maxRetries")};`,
  `  --request-timeout ${env("requestTimeout")}; --invoke-timeout ${env("invokeTimeout")};`,
  `  --max-records ${env("maxRecords")}; --insecure ${env("insecure")}.`,
  "NO_COLOR (set and non-empty) turns colour off; colour is only used on a terminal.",
].join("\n");

/** Credentials have no flag: they come from the environment only. */
const CREDENTIALS: readonly string[] = CREDENTIAL_KEYS;

/** Flags whose names are not their argument's in kebab case. */
const FLAG_NAMES: Readonly<Record<string, string>> = Object.freeze({
  marginSeconds: "--margin",
  dataNodeRelations: "--relation",
  pollIntervalSeconds: "--poll-interval",
});

/** The flag that sets a function argument or config key on the command line, e.g. `--vpc-name`. */
export function flagOf(key: string): string {
  return FLAG_NAMES[key] ?? `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** Every function argument and Restore input, as declared. */
const ARGUMENTS: Properties = Object.freeze(
  Object.assign({}, ...FUNCTIONS.map((f) => f.inputs), RESTORE.inputs) as Properties,
);

/** Keys that only a flag can have set when the core names them without a source. */
const FLAG_ONLY = new Set(Object.keys(ARGUMENTS).filter((k) => !(k in CONFIG_VARIABLES)));

/** A declared description as flag help: argument names in backticks become their flags. */
function flagHelp(description: string): string {
  return description.replace(/`([^`]*)`/g, (_, text: string) =>
    text in ARGUMENTS || text in CONFIG_VARIABLES ? flagOf(text) : text,
  );
}

/**
 * Add a flag for each of `keys` of `inputs`: named after the argument (`vpcName`: `--vpc-name
 * <name>`; booleans take no value), its help the declaration's description, required when the
 * declaration requires it.
 */
export function addArgOptions(cmd: Command, inputs: Properties, keys: readonly string[]): Command {
  for (const key of keys) {
    const p = inputs[key];
    const flag = flagOf(key);
    const value = "type" in p && p.type === "boolean" ? "" : ` <${flag.slice(flag.lastIndexOf("-") + 1)}>`;
    const option = new Option(`${flag}${value}`, flagHelp(p.description));
    cmd.addOption(p.required ? option.makeOptionMandatory() : option);
  }
  return cmd;
}

/**
 * The function arguments `keys` of `inputs` from the flags: booleans given are `true`, integers
 * numbers when they are digits (else passed on for the core to refuse), strings as given.
 */
export function argsFromFlags(
  flags: object,
  inputs: Properties,
  keys: readonly string[],
): Record<string, unknown> {
  const given = flags as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const p = inputs[key];
    const v = given[key];
    if (v === undefined || v === false) continue;
    out[key] = "type" in p && p.type === "integer" ? integerArg(v as string) : v;
  }
  return out;
}

/**
 * How the command line names a value's source: the function arguments and provider config
 * the CLI passes are exactly its flags (`the region argument` is `--region`, `hwddm:maxRetries`
 * is `--max-retries`); environment variables keep their names.
 */
export function flagSourceName(source: ConfigSource): string | undefined {
  const fromFlag = source.kind === "argument" || source.kind === "config";
  return fromFlag && !CREDENTIALS.includes(source.key) ? flagOf(source.key) : undefined;
}

/** A ValidationError's message with flag names for what came from flags. */
export function validationMessage(err: ValidationError): string {
  const parts = err.failures.map((f) => {
    const s = f.source as ConfigSource | undefined;
    const fromFlag = FLAG_ONLY.has(f.property) || (s !== undefined && flagSourceName(s) !== undefined);
    const name = fromFlag ? flagOf(f.property) : f.property;
    return { name, reason: f.reason };
  });
  return parts.length === 1
    ? `invalid ${parts[0].name}: ${parts[0].reason}`
    : `invalid input: ${parts.map((p) => `${p.name}: ${p.reason}`).join("; ")}`;
}

/** The short note every query command's --help carries. */
export const QUERY_HELP_NOTE = [
  "",
  `Credentials come from the environment only, never from flags: ${ENV_NAMES.authToken[0]}, or`,
  `${ENV_NAMES.accessKey[0]} + ${ENV_NAMES.secretKey[0]}, or ${ENV_NAMES.domainName[0]} + ${ENV_NAMES.userName[0]} + ${ENV_NAMES.password[0]}`,
  "(all names: hwddm --help). Exit codes: 0 yes/ok, 1 no, 2 usage or configuration, 3 API or network.",
].join("\n");

/**
 * Add `--instance-id` and the connection flags to a query command (`instanceId: false`: the
 * connection flags only, for `hwddm job`, which needs no instance).
 */
export function addConnectionOptions(cmd: Command, opts: { instanceId?: boolean } = {}): Command {
  cmd.addHelpText("after", QUERY_HELP_NOTE);
  if (opts.instanceId !== false) addArgOptions(cmd, COMMON_INPUTS, ["instanceId"]);
  return cmd
    .option("--region <region>", `Huawei Cloud region, e.g. ap-southeast-1 (env ${env("region")})`)
    .option("--project-id <id>", `project ID (env ${env("projectId")}; default: looked up through IAM)`)
    .option(
      "--endpoint <url>",
      `DDM endpoint URL, with or without /v3 (env ${env("endpoint")}; default https://ddm.<region>.myhuaweicloud.com)`,
    )
    .option("--auth-url <url>", `IAM endpoint, with or without /v3 (env ${env("authUrl")})`)
    .option(
      "--insecure",
      `allow a non-loopback http:// endpoint and skip TLS verification (env ${env("insecure")})`,
    )
    .option(
      "--max-retries <n>",
      `retries after the first attempt, 0..${CONFIG_LIMITS.maxRetries.max} (env ${env("maxRetries")}; default ${DEFAULT_RETRY.maxRetries})`,
    )
    .option(
      "--request-timeout <seconds>",
      `timeout of one attempt in seconds (env ${env("requestTimeout")}; default ${DEFAULTS.requestTimeoutMs / 1000})`,
    )
    .option(
      "--verbose",
      "a line on stderr for each retry (the default when stderr is a terminal, unless --json)",
    )
    .option(
      "--invoke-timeout <seconds>",
      `deadline of one query (every page, retry and IAM call) in seconds (env ${env("invokeTimeout")}; default ${DEFAULTS.invokeTimeoutMs / 1000})`,
    )
    .option(
      "--max-records <n>",
      `most records one query reads; more fails, naming --offset/--limit (env ${env("maxRecords")}; default ${DEFAULT_PAGING.maxRecords})`,
    );
}

/** Add `--offset` and `--limit`. */
export function addPagingOptions(cmd: Command): Command {
  return addArgOptions(cmd, PAGING_INPUTS, Object.keys(PAGING_INPUTS));
}

/** Add `--format` and `--json` (its short form); giving both with different formats is a usage error. */
export function addFormatOptions(cmd: Command, formats: string[] = ["text", "json"]): Command {
  cmd.option("--json", "print JSON on stdout (same as --format json)");
  cmd.addOption(new Option("--format <format>", "output format").choices(formats).default("text"));
  cmd.hook("preAction", (_, action) => {
    const format = action.getOptionValue("format") as string;
    if (
      action.getOptionValue("json") &&
      action.getOptionValueSource("format") !== "default" &&
      format !== "json"
    ) {
      action.error(`--json and --format ${format} disagree; give one of them`, {
        code: "hwddm.conflictingFormat",
        exitCode: 2,
      });
    }
  });
  return cmd;
}

/** The output format chosen by `--json` / `--format`. */
export function outputFormat(opts: { json?: boolean; format?: string }): string {
  return opts.json ? "json" : (opts.format ?? "text");
}

/**
 * A flag's text as a function argument: digit strings become numbers; anything else is
 * passed on unchanged so that the core rejects it with its own message.
 */
export function integerArg(value: string | undefined): number | string | undefined {
  if (value === undefined) return undefined;
  return toInteger(value) ?? value;
}

/** The function arguments every query takes, from the flags. */
export function connectionArgs(flags: ConnectionFlags): Record<string, unknown> {
  return dropUndefined({
    instanceId: flags.instanceId,
    region: flags.region,
    projectId: flags.projectId,
  });
}

/**
 * The InvokeContext for the registry: provider config from the flags (checked and
 * converted by the core's checkProviderConfig: `--endpoint` and `--auth-url` go the same way,
 * so they are normalised and refused alike), the environment, the abort signal, and the
 * retry notices when `--verbose` (or a terminal on stderr, unless `--json`) asks for them.
 */
export function invokeContext(flags: ConnectionFlags, io: CliIO): InvokeContext {
  const raw = dropUndefined({
    endpoint: flags.endpoint,
    authUrl: flags.authUrl,
    insecure: flags.insecure ? true : undefined,
    maxRetries: flags.maxRetries,
    requestTimeout: flags.requestTimeout,
    invokeTimeout: flags.invokeTimeout,
    maxRecords: flags.maxRecords,
  });
  let providerConfig: ProviderConfigInput | undefined;
  if (Object.keys(raw).length > 0) {
    const checked = checkProviderConfig(raw);
    if (checked.failures.length > 0) {
      throw new ValidationError(
        checked.failures.map((f) => ({ property: flagOf(f.property), reason: f.reason })),
      );
    }
    providerConfig = checked.config;
  }
  const progress = flags.verbose === true || (io.stderr.isTTY === true && flags.json !== true);
  const overrides = progress
    ? { ...io.overrides, onRetry: (n: RetryNotice) => retryLine(io, n) }
    : io.overrides;
  // Top level only: the client cache is keyed by the overrides object itself, so it must not be copied.
  return dropUndefined(
    { providerConfig, env: io.env, overrides, signal: io.signal, sourceName: flagSourceName },
    { topLevelOnly: true },
  );
}

/** `hwddm: retrying in 2.1 s after HTTP 503, attempt 2 of 5` on stderr (never stdout). */
function retryLine(io: CliIO, n: RetryNotice): void {
  const after = n.status === 0 ? n.errorCode : `HTTP ${n.status}`;
  new Printer(io).note(
    `hwddm: retrying in ${(n.delayMs / 1000).toFixed(1)} s after ${after}, attempt ${n.attempt} of ${n.attempts}`,
  );
}
