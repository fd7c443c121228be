/**
 * Everything the `hwddm` command writes: streams, colour, tables, error lines. Nothing here
 * knows about DDM; the commands hand it rows and errors.
 */
import { HwddmError, redactSecrets } from "../provider/errors";
import type { ClientOverrides } from "../provider/types";

/** A writable text stream (process.stdout, or a buffer in tests). */
export interface CliStream {
  write(chunk: string): unknown;
  /** True when the stream is a terminal; colour is used only then. */
  isTTY?: boolean;
}

/** What `run()` reads and writes instead of touching `process` directly. */
export interface CliIO {
  stdout: CliStream;
  stderr: CliStream;
  /** Environment for config and credential fallbacks (HW_*, HUAWEICLOUD_SDK_*, HWDDM_ENDPOINT, NO_COLOR). */
  env: Record<string, string | undefined>;
  /**
   * Aborted on SIGINT/SIGTERM (the abort reason is the signal name). In-flight requests are
   * cancelled; `hwddm emulator` shuts down. Without it a command runs to completion.
   */
  signal?: AbortSignal;
  /** Test and benchmark knobs passed to the core (instant retry sleeps and the like). */
  overrides?: ClientOverrides;
}

/** The exit codes of every command (documented in `hwddm --help` and docs/cli.md). */
export const EXIT = Object.freeze({
  /** Success: the answer is "yes" (or the data was printed). */
  ok: 0,
  /** The answer is "no": the time is not restorable, or no target matches. */
  no: 1,
  /** Usage or configuration error: bad flag, bad value, missing region or credentials. */
  usage: 2,
  /** API or network failure: HTTP error status, timeout, unreachable, malformed response. */
  api: 3,
  /** An unexpected internal error (a bug): please report it with `--debug` output. */
  internal: 4,
  /** Interrupted by SIGINT (Ctrl-C). */
  sigint: 130,
  /** Terminated by SIGTERM. */
  sigterm: 143,
});

/** Text shown under `hwddm --help`, and mirrored in docs/cli.md. */
export const EXIT_CODES_HELP = [
  "Exit codes:",
  "  0    success (the time is restorable, a target was selected, the data was printed)",
  '  1    the answer is "no": the time is not restorable, or no target matches',
  "  2    usage or configuration error (bad flag or value, missing region or credentials,",
  "       a list larger than --max-records: read it with --offset/--limit)",
  "  3    API or network failure (HTTP error, timeout, unreachable, malformed response)",
  "  4    unexpected internal error (a bug; rerun with --debug and report it)",
  "  130  interrupted (Ctrl-C; 143 for SIGTERM); in-flight requests are aborted",
].join("\n");

/** Whether colour may be written to `stream`: a TTY, and NO_COLOR unset (or empty). */
export function colorEnabled(stream: CliStream, env: Record<string, string | undefined>): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.TERM === "dumb") return false;
  return stream.isTTY === true;
}

// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/g;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS_BUT_LINE_FEED = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g;

/** What a control character in text from the API becomes. */
export const REPLACEMENT_CHARACTER = "\ufffd";

/**
 * Text from the API, safe to print: every control character (C0 including line breaks and
 * ESC, DEL, C1) is replaced by U+FFFD, so an instance name cannot move the cursor, recolour
 * or retitle the user's terminal, add a table row or inject a `KEY=VALUE` line. With
 * `keepLineFeeds`, "\n" survives (for our own multi-line messages; everything else goes).
 * Used by every text output: table cells, `select`'s text and env lines, and stderr lines.
 */
export function safeText(text: string, opts: { keepLineFeeds?: boolean } = {}): string {
  return text.replace(
    opts.keepLineFeeds ? CONTROL_CHARS_BUT_LINE_FEED : CONTROL_CHARS,
    REPLACEMENT_CHARACTER,
  );
}

/** ANSI styling that is a no-op when colour is off. */
export interface Styler {
  bold: (s: string) => string;
  red: (s: string) => string;
  green: (s: string) => string;
  yellow: (s: string) => string;
  dim: (s: string) => string;
}

export function styler(enabled: boolean): Styler {
  const wrap = (open: number, close: number) => (s: string) =>
    enabled && s !== "" ? `\u001b[${open}m${s}\u001b[${close}m` : s;
  return {
    bold: wrap(1, 22),
    red: wrap(31, 39),
    green: wrap(32, 39),
    yellow: wrap(33, 39),
    dim: wrap(2, 22),
  };
}

/** Writes lines to stdout and stderr, with colour where allowed. */
export class Printer {
  readonly out: Styler;
  readonly err: Styler;

  constructor(private readonly io: CliIO) {
    this.out = styler(colorEnabled(io.stdout, io.env));
    this.err = styler(colorEnabled(io.stderr, io.env));
  }

  /** One line (or several joined by newlines) on stdout. */
  line(text = ""): void {
    this.io.stdout.write(`${text}\n`);
  }

  /** A value as pretty JSON on stdout. */
  json(value: unknown): void {
    this.io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /**
   * `hwddm: <message>` on stderr, redacted, control characters replaced: one line (a line
   * break inside, such as OpenSSL's or a JSON parser's, becomes a space). With `lines`, the
   * message's own line feeds are kept (a `select` that finds no target lists every candidate,
   * one line each).
   */
  error(message: string, opts: { lines?: boolean } = {}): void {
    const text = opts.lines ? stderrText(message) : oneLine(message);
    this.io.stderr.write(`${this.err.red("hwddm:")} ${text}\n`);
  }

  /** `hwddm: warning: <message>` on stderr, redacted, control characters replaced: one line. */
  warn(message: string): void {
    this.io.stderr.write(`${this.err.yellow("hwddm: warning:")} ${oneLine(message)}\n`);
  }

  /** Free text on stderr (debug details, emulator log), redacted, control characters but line feeds replaced. */
  note(text: string): void {
    this.io.stderr.write(`${stderrText(text)}\n`);
  }

  /** A table with a header row; columns padded to their widest cell. */
  table(headers: string[], rows: string[][]): void {
    for (const l of renderTable(headers, rows, this.out)) this.line(l);
  }
}

/** Messages may quote API text (error_msg, instance names): never let it reach the terminal raw. */
function stderrText(text: string): string {
  return safeText(redactSecrets(text), { keepLineFeeds: true });
}

/** `stderrText` on one line: line breaks (and the spaces around them) become one space. */
function oneLine(text: string): string {
  return safeText(redactSecrets(text.trim().replace(/\s*[\r\n]+\s*/g, " ")));
}

/**
 * Table lines: a bold header, then one line per row; two spaces between columns. Cells go
 * through `safeText` (they hold API strings).
 */
export function renderTable(headers: string[], rawRows: string[][], style: Styler = styler(false)): string[] {
  const rows = rawRows.map((r) => r.map((c) => safeText(c ?? "")));
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const fmt = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
      .join("  ")
      .trimEnd();
  return [style.bold(fmt(headers)), ...rows.map(fmt)];
}

/** A duration in ms as a short human text, e.g. `1d 1h 35m 3s`. */
export function formatDuration(ms: number): string {
  let s = Math.max(0, Math.round(ms / 1000));
  const d = Math.floor(s / 86400);
  s -= d * 86400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const parts = [d ? `${d}d` : "", h ? `${h}h` : "", m ? `${m}m` : "", s || (!d && !h && !m) ? `${s}s` : ""];
  return parts.filter(Boolean).join(" ");
}

/**
 * The `--debug` details of an error: its kind and every non-secret field the error family
 * carries (status, error_code, request id, method, path, attempts, failures, keys), its
 * cause's name and message, and the stack. The error classes never hold a credential, and
 * the text goes through `redactSecrets` on the way out anyway.
 */
export function debugDetails(err: unknown): string[] {
  const lines: string[] = [];
  if (HwddmError.isInstance(err)) {
    lines.push(`  kind: ${err.kind} (${err.name})`);
    const fields = err.toJSON();
    for (const key of [
      "status",
      "errorCode",
      "errorMsg",
      "requestId",
      "method",
      "path",
      "attempts",
      "retryable",
      "field",
      "keys",
      "failures",
    ]) {
      if (fields[key] === undefined) continue;
      const label = key === "errorCode" ? "error_code" : key === "errorMsg" ? "error_msg" : key;
      lines.push(
        `  ${label}: ${typeof fields[key] === "string" ? fields[key] : JSON.stringify(fields[key])}`,
      );
    }
  }
  if (err instanceof Error) {
    const cause = (err as { cause?: unknown }).cause;
    if (cause instanceof Error) {
      const code = (cause as { code?: unknown }).code;
      lines.push(`  cause: ${cause.name}${typeof code === "string" ? ` ${code}` : ""}: ${cause.message}`);
    }
    if (err.stack) lines.push(`  stack: ${err.stack.split("\n").slice(1).join("\n  ").trim()}`);
  }
  return lines.map(redactSecrets);
}
