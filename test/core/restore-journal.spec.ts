/**
 * The restore journal on its own: where it lives, entries written whole and read back, the
 * digest telling one restore from another, and a damaged entry refused naming its file.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { RestoreJournal, journalDir, restoreInputsDigest } from "../../provider/restore/journal";

const URN = "urn:pulumi:prod::orders::hwddm:backup:Restore::orders-restore";
const RESTORE = {
  instanceId: "a".repeat(32) + "in09",
  targetInstanceId: "b".repeat(32) + "in09",
  restoreTimeEpochMs: 1747825843000,
};

describe("restore journal", () => {
  let dir: string;
  let journal: RestoreJournal;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "hwddm-journal-"));
    journal = new RestoreJournal(path.join(dir, "nested", "journal"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("lives in HWDDM_RESTORE_JOURNAL_DIR, else under PULUMI_HOME, else under ~/.pulumi", () => {
    expect(journalDir({ HWDDM_RESTORE_JOURNAL_DIR: "/j", PULUMI_HOME: "/p" })).to.equal("/j");
    expect(journalDir({ PULUMI_HOME: "/p" })).to.equal(path.join("/p", "hwddm", "restore-journal"));
    expect(journalDir({})).to.equal(path.join(os.homedir(), ".pulumi", "hwddm", "restore-journal"));
  });

  it("writes an entry (making its folder, private to the user) and reads it back; another URN has none", () => {
    const digest = restoreInputsDigest(RESTORE);
    journal.write({ urn: URN, inputsDigest: digest, state: "sending" });
    expect(journal.read(URN)).to.include({ version: 1, urn: URN, inputsDigest: digest, state: "sending" });
    expect(fs.statSync(journal.dir).mode & 0o077).to.equal(0);
    expect(fs.statSync(journal.fileOf(URN)).mode & 0o077).to.equal(0);
    expect(journal.read(`${URN}-other`)).to.equal(undefined);
  });

  it("replaces an entry whole (no temporary file left) and removes it; removing none is no error", () => {
    const digest = restoreInputsDigest(RESTORE);
    journal.write({ urn: URN, inputsDigest: digest, state: "sending" });
    journal.write({ urn: URN, inputsDigest: digest, state: "sent", jobId: "job-1" });
    expect(journal.read(URN)).to.include({ state: "sent", jobId: "job-1" });
    expect(fs.readdirSync(journal.dir)).to.deep.equal([path.basename(journal.fileOf(URN))]);
    journal.remove(URN);
    journal.remove(URN);
    expect(journal.read(URN)).to.equal(undefined);
    expect(fs.readdirSync(journal.dir)).to.deep.equal([]);
  });

  it("names the file of each URN by a digest (no URN character reaches the file system)", () => {
    expect(path.basename(journal.fileOf(URN))).to.match(/^[0-9a-f]{40}\.json$/);
    expect(journal.fileOf(URN)).to.not.equal(journal.fileOf(`${URN}2`));
  });

  it("refuses a damaged entry, or one of another URN, naming the file", () => {
    fs.mkdirSync(journal.dir, { recursive: true });
    for (const text of [
      "{not json",
      JSON.stringify({ version: 1, urn: "urn:other", inputsDigest: "x", state: "sending" }),
      JSON.stringify({ version: 1, urn: URN, inputsDigest: "x", state: "sent" }),
    ]) {
      fs.writeFileSync(journal.fileOf(URN), text);
      expect(() => journal.read(URN)).to.throw(journal.fileOf(URN));
    }
  });

  it("the digest is the same for the same restore and differs when what, where, when or which DDM differs", () => {
    const base = restoreInputsDigest(RESTORE);
    expect(restoreInputsDigest({ ...RESTORE })).to.equal(base);
    const changed = [
      { ...RESTORE, instanceId: "c".repeat(32) + "in09" },
      { ...RESTORE, targetInstanceId: "c".repeat(32) + "in09" },
      { ...RESTORE, restoreTimeEpochMs: RESTORE.restoreTimeEpochMs + 1 },
      { ...RESTORE, dataNodeRelations: [{ sourceInstanceId: "s", targetInstanceId: "t" }] },
      { ...RESTORE, projectId: "p" },
      { ...RESTORE, region: "ap-southeast-1" },
      { ...RESTORE, endpoint: "https://ddm.example" },
    ].map(restoreInputsDigest);
    expect(new Set([base, ...changed]).size).to.equal(changed.length + 1);
  });
});
