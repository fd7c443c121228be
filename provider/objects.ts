/** Small helpers over plain objects, free of dependencies so every face can use them. */

/**
 * A copy of `value` without undefined object fields, nested objects and arrays included (an
 * array's undefined entries become null, as in JSON): what protobuf's Struct and the function
 * registry accept. `topLevelOnly` leaves nested values as they are (no copy of a large list).
 * Only plain objects are copied: an AbortSignal, a Date or a class instance is kept as it is.
 */
export function dropUndefined<T>(value: T, options: { topLevelOnly?: boolean } = {}): T {
  const deep = options.topLevelOnly !== true;
  const inner = (v: unknown): unknown => (deep ? dropUndefined(v) : v);
  if (Array.isArray(value))
    return (deep ? value.map((v) => (v === undefined ? null : inner(v))) : value) as T;
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = inner(v);
  return out as T;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object") return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}
