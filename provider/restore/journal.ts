/**
 * The restore journal: what the plugin knows about a restore POST the engine may never learn
 * of. The engine records a Create's result only when the call returns; a plugin killed after
 * the POST (or an engine killed with it) leaves the stack with nothing, and the next
 * `pulumi up` would restore again. So, per resource URN, one small file records the restore
 * before it is sent (`sending`) and its job id once DDM answered (`sent`); the next Create
 * reads it first. An entry goes once the engine holds the job id (the Create returned).
 *
 * The files hold ids, names, times and a digest of the inputs, never a credential. They live
 * per user under `PULUMI_HOME` (default `~/.pulumi`), in `hwddm/restore-journal/`, or in
 * `HWDDM_RESTORE_JOURNAL_DIR` when set; each is written to a temporary file and renamed, so a
 * reader sees the old entry or the new one, never a piece.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { HwddmError } from "../errors";
import type { RestorePlan } from "./plan";

export interface JournalEntry {
  version: 1;
  urn: string;
  /** restoreInputsDigest of the inputs the restore was sent for. */
  inputsDigest: string;
  /** `sending`: the POST may have left and no answer was seen; `sent`: DDM answered with `jobId`. */
  state: "sending" | "sent";
  jobId?: string;
  /** The plan sent (ids, names, time): shown again when the wait resumes. */
  plan?: RestorePlan;
  /** When the entry was written (RFC 3339). */
  updatedAt: string;
}

/** What identifies one restore: what is restored, where, on which DDM (no credential). */
export interface RestoreIdentity {
  instanceId: string;
  targetInstanceId: string;
  restoreTimeEpochMs: number;
  dataNodeRelations?: readonly { sourceInstanceId: string; targetInstanceId: string }[];
  projectId?: string;
  region?: string;
  endpoint?: string;
}

/** A digest of a restore's identity: equal for the same restore, whatever form its inputs took. */
export function restoreInputsDigest(r: RestoreIdentity): string {
  const canonical = JSON.stringify([
    r.instanceId,
    r.targetInstanceId,
    r.restoreTimeEpochMs,
    (r.dataNodeRelations ?? []).map((x) => [x.sourceInstanceId, x.targetInstanceId]),
    r.projectId ?? "",
    r.region ?? "",
    r.endpoint ?? "",
  ]);
  return createHash("sha256").update(canonical).digest("hex");
}

/** The journal's folder for an environment (the plugin's). */
export function journalDir(env: Record<string, string | undefined> = process.env): string {
  const own = env.HWDDM_RESTORE_JOURNAL_DIR;
  if (own) return own;
  const home = env.PULUMI_HOME || path.join(os.homedir(), ".pulumi");
  return path.join(home, "hwddm", "restore-journal");
}

export class RestoreJournal {
  constructor(readonly dir: string) {}

  /** The file of a resource's entry: a digest of its URN (URNs hold characters no file name may). */
  fileOf(urn: string): string {
    return path.join(this.dir, `${createHash("sha256").update(urn).digest("hex").slice(0, 40)}.json`);
  }

  /** The resource's entry, if any. An unreadable file is an error naming it (it may record a sent restore). */
  read(urn: string): JournalEntry | undefined {
    const file = this.fileOf(urn);
    let text: string;
    try {
      text = fs.readFileSync(file, "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw e;
    }
    let entry: Partial<JournalEntry>;
    try {
      entry = JSON.parse(text) as Partial<JournalEntry>;
    } catch {
      entry = {};
    }
    const valid =
      entry.version === 1 &&
      entry.urn === urn &&
      typeof entry.inputsDigest === "string" &&
      (entry.state === "sending" ||
        (entry.state === "sent" && typeof entry.jobId === "string" && entry.jobId !== ""));
    if (!valid) {
      throw new HwddmError(
        "configuration",
        `the restore journal entry ${file} cannot be used (expected version 1, urn ${JSON.stringify(urn)}, state "sending", or "sent" with a jobId); ` +
          "it may record a restore an earlier `pulumi up` sent: find that restore's job in the DDM console's Task Center, then fix the file or delete it",
      );
    }
    return entry as JournalEntry;
  }

  /** Write the entry: a temporary file, flushed, then renamed over the old one. */
  write(entry: Omit<JournalEntry, "version" | "updatedAt">): void {
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const file = this.fileOf(entry.urn);
    const tmp = `${file}.${process.pid}.tmp`;
    const full: JournalEntry = { version: 1, ...entry, updatedAt: new Date().toISOString() };
    const fd = fs.openSync(tmp, "w", 0o600);
    try {
      fs.writeSync(fd, `${JSON.stringify(full, null, 2)}\n`);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  }

  /** Forget the resource's entry (none is no error). */
  remove(urn: string): void {
    fs.rmSync(this.fileOf(urn), { force: true });
  }
}
