/**
 * The provider's own configuration: CheckConfig, DiffConfig and Configure. The core's
 * `checkProviderConfig` decides what is valid; this translates between it and the wire.
 */
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import { checkProviderConfig, isEngineKey } from "../config";
import { ValidationError, registerSecret } from "../errors";
import { ProviderConfigInput, SECRET_CONFIG_KEYS } from "../types";
import { checkFailures } from "./grpc-errors";
import {
  PlainObject,
  UNKNOWN_VALUE,
  VARIABLE_PREFIX,
  fromStruct,
  toStruct,
  unwrapProperties,
} from "./protocol";
import { wrapSecret } from "../secret-wire";

const SECRET_KEYS = new Set<string>(SECRET_CONFIG_KEYS);

/** Split provider inputs into config keys to check and engine-added keys passed through untouched. */
function splitConfigInputs(values: PlainObject): { toCheck: PlainObject; passthrough: PlainObject } {
  const toCheck: PlainObject = {};
  const passthrough: PlainObject = {};
  for (const [key, value] of Object.entries(values)) {
    if (isEngineKey(key)) passthrough[key] = value;
    else toCheck[key] = value;
  }
  return { toCheck, passthrough };
}

/**
 * CheckConfig: validate the provider inputs (stack config or an explicit provider's
 * arguments), returning failures that name each bad key, and the checked inputs, which
 * the engine passes back verbatim to Configure. Secrets stay secret in the answer.
 */
export function checkConfig(req: provproto.CheckRequest, log: (m: string) => void): provproto.CheckResponse {
  const news = unwrapProperties(fromStruct(req.getNews()));
  // Whatever the engine sent as a secret; checkProviderConfig registers the secret keys' values itself.
  news.secretStrings.forEach(registerSecret);
  const { toCheck, passthrough } = splitConfigInputs(news.values);
  const { config, failures } = checkProviderConfig(toCheck);

  const inputs: PlainObject = { ...passthrough };
  const checked = failures.length === 0 ? (config as PlainObject) : toCheck;
  for (const [key, value] of Object.entries(checked)) {
    if (value === undefined) continue;
    inputs[key] = news.secretKeys.has(key) || SECRET_KEYS.has(key) ? wrapSecret(value) : value;
  }
  for (const key of news.unknownKeys) inputs[key] = UNKNOWN_VALUE;

  const resp = new provproto.CheckResponse();
  resp.setInputs(toStruct(inputs));
  resp.setFailuresList(checkFailures(failures));
  log(`CheckConfig: ${failures.length} failure(s)`);
  return resp;
}

/** DiffConfig: which config keys changed. Nothing is ever replaced (the provider owns no resources). */
export function diffConfig(req: provproto.DiffRequest): provproto.DiffResponse {
  const olds = unwrapProperties(fromStruct(req.getOldInputs() ?? req.getOlds()));
  const news = unwrapProperties(fromStruct(req.getNews()));
  const keys = new Set([...Object.keys(olds.values), ...Object.keys(news.values), ...news.unknownKeys]);
  const diffs: string[] = [];
  for (const key of keys) {
    if (isEngineKey(key)) continue;
    if (news.unknownKeys.has(key) || JSON.stringify(olds.values[key]) !== JSON.stringify(news.values[key])) {
      diffs.push(key);
    }
  }
  diffs.sort();
  const resp = new provproto.DiffResponse();
  resp.setChanges(
    diffs.length > 0
      ? provproto.DiffResponse.DiffChanges.DIFF_SOME
      : provproto.DiffResponse.DiffChanges.DIFF_NONE,
  );
  resp.setDiffsList(diffs);
  return resp;
}

/**
 * Configure: the provider config for later invokes. Reads both the `variables` map
 * (`hwddm:config:<key>` → string) and `args` (the checked inputs; typed, secrets wrapped);
 * `args` wins where both are set. Values not yet known are left unset. Throws ValidationError.
 */
export function configure(
  req: provproto.ConfigureRequest,
  log: (m: string) => void,
): { config: ProviderConfigInput; resp: provproto.ConfigureResponse } {
  const raw: PlainObject = {};
  req.getVariablesMap().forEach((value: string, key: string) => {
    if (!key.startsWith(VARIABLE_PREFIX)) return;
    const name = key.slice(VARIABLE_PREFIX.length);
    if (value !== UNKNOWN_VALUE) raw[name] = value;
  });
  const args = unwrapProperties(fromStruct(req.getArgs()));
  args.secretStrings.forEach(registerSecret);
  Object.assign(raw, splitConfigInputs(args.values).toCheck);

  // checkProviderConfig registers the secret keys' values before anything can print them.
  const { config, failures } = checkProviderConfig(raw);
  if (failures.length > 0) throw new ValidationError(failures);
  const publicKeys = Object.keys(config).filter((k) => !SECRET_KEYS.has(k));
  log(`Configure: ${publicKeys.join(", ") || "(no keys)"}`);

  const resp = new provproto.ConfigureResponse();
  resp.setAcceptsecrets(true);
  resp.setSupportspreview(true);
  resp.setAcceptresources(false);
  resp.setAcceptoutputs(false);
  return { config, resp };
}
