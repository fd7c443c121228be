/**
 * Protobuf bytes of a `google.protobuf.Struct` written straight from a plain value, for the
 * one message that can be large: an Invoke answer (up to the core's record cap). google-protobuf
 * would first build a tree of `Struct`/`Value`/`ListValue`/map objects (several times the size
 * of the result) and then serialize it through its generic writer; this writes the same wire
 * format into one buffer of the exact size, in two passes over the value: the first measures
 * every nested message and string, the second writes. Dependency-free.
 *
 * What is encoded, as `Struct.fromJavaScript` does after `dropUndefined` (objects.ts): `null`,
 * numbers (doubles, any value), strings, booleans, arrays (an `undefined` element is `null`)
 * and plain objects (own enumerable string keys; an `undefined` field is left out). Anything else (a
 * function, a symbol, a bigint) is a TypeError, as google-protobuf would throw one. Keys keep
 * the object's own order.
 *
 * Wire format (google/protobuf/struct.proto):
 *   Struct    { map<string, Value> fields = 1; }  each entry a message { key = 1; value = 2; }
 *   Value     { null_value = 1 (varint); number_value = 2 (double); string_value = 3;
 *               bool_value = 4 (varint); struct_value = 5; list_value = 6; }
 *   ListValue { repeated Value values = 1; }
 * and pulumirpc.InvokeResponse { Struct return = 1; repeated CheckFailure failures = 2; }.
 */

// Tags: (field number << 3) | wire type (0 varint, 1 64-bit, 2 length-delimited).
const TAG_STRUCT_FIELDS = 0x0a; // Struct.fields, 1:LEN
const TAG_ENTRY_KEY = 0x0a; // entry.key, 1:LEN
const TAG_ENTRY_VALUE = 0x12; // entry.value, 2:LEN
const TAG_NULL = 0x08; // Value.null_value, 1:VARINT
const TAG_NUMBER = 0x11; // Value.number_value, 2:I64
const TAG_STRING = 0x1a; // Value.string_value, 3:LEN
const TAG_BOOL = 0x20; // Value.bool_value, 4:VARINT
const TAG_STRUCT = 0x2a; // Value.struct_value, 5:LEN
const TAG_LIST = 0x32; // Value.list_value, 6:LEN
const TAG_LIST_VALUES = 0x0a; // ListValue.values, 1:LEN
const TAG_INVOKE_RETURN = 0x0a; // InvokeResponse.return, 1:LEN

/** Strings longer than this are measured and written by Buffer (native); shorter ones in JS. */
const SHORT_STRING = 64;

/** Bytes of the varint of a length (a non-negative integer below 2^32). */
function varintSize(n: number): number {
  return n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : n < 0x10000000 ? 4 : 5;
}

/** UTF-8 bytes of a string as Buffer writes it (a lone surrogate becomes U+FFFD, 3 bytes). */
function utf8Length(s: string): number {
  const n = s.length;
  if (n > SHORT_STRING) return Buffer.byteLength(s, "utf8");
  let bytes = n;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) bytes += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < n && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 2; // a surrogate pair: 2 units, 4 bytes
      i++;
    } else bytes += 2;
  }
  return bytes;
}

/**
 * Each key's entry bytes (`TAG_ENTRY_KEY`, length, UTF-8), cached: an answer repeats the same
 * few keys once per record, so both passes look them up instead of measuring and writing
 * them character by character. Bounded, so an answer with many distinct keys cannot grow it.
 */
const keyCache = new Map<string, Uint8Array>();
const KEY_CACHE_MAX = 512;
const KEY_CACHE_MAX_LENGTH = 64;

function keyEntry(key: string): Uint8Array {
  let bytes = keyCache.get(key);
  if (bytes !== undefined) return bytes;
  const len = Buffer.byteLength(key, "utf8");
  bytes = Buffer.allocUnsafeSlow(1 + varintSize(len) + len);
  let pos = 0;
  bytes[pos++] = TAG_ENTRY_KEY;
  let n = len;
  while (n >= 0x80) {
    bytes[pos++] = (n & 0x7f) | 0x80;
    n >>>= 7;
  }
  bytes[pos++] = n;
  (bytes as Buffer).write(key, pos, len, "utf8");
  if (key.length <= KEY_CACHE_MAX_LENGTH && keyCache.size < KEY_CACHE_MAX) keyCache.set(key, bytes);
  return bytes;
}

// eslint-disable-next-line @typescript-eslint/unbound-method -- called with .call(obj, key)
const hasOwn = Object.prototype.hasOwnProperty;

function unsupported(value: unknown): TypeError {
  return new TypeError(`cannot encode a ${typeof value} as a google.protobuf.Value`);
}

/**
 * The first pass: the size of every Struct body, ListValue body and string, pushed in the
 * order the second pass reads them (a container's slot is reserved before its children's).
 */
class Measure {
  readonly sizes: number[] = [];

  /** Bytes of the encoded Value (without its own tag and length). */
  value(v: unknown): number {
    switch (typeof v) {
      case "string": {
        const len = utf8Length(v);
        this.sizes.push(len);
        return 1 + varintSize(len) + len;
      }
      case "number":
        return 9;
      case "boolean":
        return 2;
      case "object": {
        if (v === null) return 2;
        const at = this.sizes.length;
        this.sizes.push(0);
        const body = Array.isArray(v) ? this.list(v) : this.struct(v as Record<string, unknown>);
        this.sizes[at] = body;
        return 1 + varintSize(body) + body;
      }
      default:
        throw unsupported(v);
    }
  }

  list(items: readonly unknown[]): number {
    let total = 0;
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      const size = item === undefined ? 2 : this.value(item);
      total += 1 + varintSize(size) + size;
    }
    return total;
  }

  struct(obj: Record<string, unknown>): number {
    let total = 0;
    // for-in with an own-property check walks the keys in Object.keys order without
    // allocating a key array per record.
    for (const key in obj) {
      if (!hasOwn.call(obj, key)) continue;
      const v = obj[key];
      if (v === undefined) continue;
      const keySize = keyEntry(key).length;
      const valueSize = this.value(v);
      const entry = keySize + 1 + varintSize(valueSize) + valueSize;
      total += 1 + varintSize(entry) + entry;
    }
    return total;
  }
}

/** The second pass: writes into a buffer of the measured size, reading the sizes in order. */
class Write {
  pos = 0;
  private next = 0;

  constructor(
    readonly buf: Buffer,
    private readonly sizes: number[],
  ) {}

  private byte(b: number): void {
    this.buf[this.pos++] = b;
  }

  private varint(n: number): void {
    while (n >= 0x80) {
      this.buf[this.pos++] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
    this.buf[this.pos++] = n;
  }

  private string(s: string, len: number): void {
    if (len === s.length && len <= SHORT_STRING) {
      // ASCII: one byte per unit.
      const buf = this.buf;
      let pos = this.pos;
      for (let i = 0; i < len; i++) buf[pos++] = s.charCodeAt(i);
      this.pos = pos;
    } else {
      this.pos += this.buf.write(s, this.pos, len, "utf8");
    }
  }

  /** Bytes of the Value `v` is about to be written as (reads, does not consume, its size). */
  private valueSize(v: unknown): number {
    if (typeof v === "number") return 9;
    if (typeof v === "boolean" || v === null) return 2;
    // A string or a container: its length is the next size.
    const len = this.sizes[this.next];
    return 1 + varintSize(len) + len;
  }

  value(v: unknown): void {
    switch (typeof v) {
      case "string": {
        const len = this.sizes[this.next++];
        this.byte(TAG_STRING);
        this.varint(len);
        this.string(v, len);
        return;
      }
      case "number":
        this.byte(TAG_NUMBER);
        this.buf.writeDoubleLE(v, this.pos);
        this.pos += 8;
        return;
      case "boolean":
        this.byte(TAG_BOOL);
        this.byte(v ? 1 : 0);
        return;
      case "object": {
        if (v === null) {
          this.byte(TAG_NULL);
          this.byte(0);
          return;
        }
        const body = this.sizes[this.next++];
        if (Array.isArray(v)) {
          this.byte(TAG_LIST);
          this.varint(body);
          this.list(v);
        } else {
          this.byte(TAG_STRUCT);
          this.varint(body);
          this.struct(v as Record<string, unknown>);
        }
        return;
      }
      default:
        throw unsupported(v);
    }
  }

  list(items: readonly unknown[]): void {
    for (let i = 0; i < items.length; i++) {
      const item = items[i] === undefined ? null : items[i];
      this.byte(TAG_LIST_VALUES);
      this.varint(this.valueSize(item));
      this.value(item);
    }
  }

  struct(obj: Record<string, unknown>): void {
    for (const key in obj) {
      if (!hasOwn.call(obj, key)) continue;
      const v = obj[key];
      if (v === undefined) continue;
      const entryKey = keyEntry(key);
      const valueSize = this.valueSize(v);
      this.byte(TAG_STRUCT_FIELDS);
      this.varint(entryKey.length + 1 + varintSize(valueSize) + valueSize);
      const buf = this.buf;
      let pos = this.pos;
      for (let k = 0; k < entryKey.length; k++) buf[pos++] = entryKey[k];
      this.pos = pos;
      this.byte(TAG_ENTRY_VALUE);
      this.varint(valueSize);
      this.value(v);
    }
  }

  /** Check that the two passes agreed (a mismatch is a bug here, never bad input). */
  done(): Buffer {
    if (this.pos !== this.buf.length || this.next !== this.sizes.length) {
      throw new Error(`struct encoder: wrote ${this.pos} of ${this.buf.length} bytes`);
    }
    return this.buf;
  }
}

/** The bytes of a `google.protobuf.Struct` holding `obj`. */
export function encodeStruct(obj: Record<string, unknown>): Buffer {
  const m = new Measure();
  const size = m.struct(obj);
  const w = new Write(Buffer.allocUnsafe(size), m.sizes);
  w.struct(obj);
  return w.done();
}

/** The bytes of a `pulumirpc.InvokeResponse` whose `return` is `obj` (and no failures). */
export function encodeInvokeReturn(obj: Record<string, unknown>): Buffer {
  const m = new Measure();
  const size = m.struct(obj);
  const w = new Write(Buffer.allocUnsafe(1 + varintSize(size) + size), m.sizes);
  w.buf[w.pos++] = TAG_INVOKE_RETURN;
  let n = size;
  while (n >= 0x80) {
    w.buf[w.pos++] = (n & 0x7f) | 0x80;
    n >>>= 7;
  }
  w.buf[w.pos++] = n;
  w.struct(obj);
  return w.done();
}

/** An Invoke answer already written as protobuf bytes: the plugin's Invoke serializer sends it as is. */
export class EncodedInvokeResponse {
  constructor(readonly bytes: Buffer) {}
}
