/**
 * Pulumi's secret wire signature: how a secret travels in a property map over gRPC when the
 * provider accepts secrets, `{ [SECRET_SIG_KEY]: SECRET_SIG_VALUE, value }`. Dependency-free, so
 * config checks and the plugin protocol share it without loading gRPC or protobuf.
 */

/** Key that marks a special value in a Pulumi property map (`pulumi.runtime.specialSigKey`). */
export const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
/** `SECRET_SIG_KEY`'s value for a secret (`pulumi.runtime.specialSecretSig`). */
export const SECRET_SIG_VALUE = "1b47061264138c4ac30d75fd1eb44270";

/** The value inside a Pulumi secret wrapper, or `v` itself when it is not wrapped. */
export function unwrapSecret(v: unknown): unknown {
  if (
    typeof v === "object" &&
    v !== null &&
    (v as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG_VALUE
  ) {
    return (v as Record<string, unknown>).value;
  }
  return v;
}

/** True for `{ [SECRET_SIG_KEY]: SECRET_SIG_VALUE, value }`. */
export function isSecretWrapper(value: unknown): value is { value: unknown } {
  return value !== null && typeof value === "object" && unwrapSecret(value) !== value;
}

/** Wrap a value as a Pulumi secret. */
export function wrapSecret(value: unknown): Record<string, unknown> {
  return { [SECRET_SIG_KEY]: SECRET_SIG_VALUE, value };
}
