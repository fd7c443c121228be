/**
 * The hwddm:backup:Restore resource over real gRPC, against the emulator: Check proves the plan
 * and refuses what cannot be restored, Diff replaces on what is restored, Create sends one POST
 * and waits on the job, a cut wait or a failed job is a partial create keeping the job id, and
 * Update resumes the wait without a second POST (the emulator's count of POSTs is the proof).
 */
import * as grpc from "@grpc/grpc-js";
import { expect } from "chai";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import * as statusproto from "@pulumi/pulumi/proto/status_pb";
import { ProviderServer, startProviderServer } from "../../provider/plugin/server";
import { toStruct, fromStruct, UNKNOWN_VALUE } from "../../provider/plugin/protocol";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { RestoreJournal, restoreInputsDigest } from "../../provider/restore/journal";
import { SOURCE, TARGET, LATEST_END_MS, TestEmulator, startTestEmulator } from "./helpers";

const URN = "urn:pulumi:dev::proj::hwddm:backup:Restore::r";
const TIME = LATEST_END_MS - 60_000;

type Unary = (req: unknown, cb: (e: grpc.ServiceError | null, v: unknown) => void) => void;

describe("plugin: the Restore resource over gRPC", function () {
  let te: TestEmulator;
  let server: ProviderServer;
  let client: provrpc.ResourceProviderClient;
  let journal: RestoreJournal;
  /** The journal's entries (files), e.g. what a killed plugin left. */
  const entries = () => fs.readdirSync(journal.dir).filter((f) => !f.startsWith("."));

  const call = <T>(method: string, req: unknown): Promise<T> => {
    const fn: Unary = (client as unknown as Record<string, Unary>)[method].bind(client);
    return new Promise((resolve, reject) => fn(req, (e, v) => (e ? reject(e) : resolve(v as T))));
  };
  const inputs = (extra: Record<string, unknown> = {}) =>
    toStruct({
      instanceId: SOURCE,
      targetInstanceId: TARGET,
      restoreTime: TIME,
      pollIntervalSeconds: 0.05,
      ...extra,
    });
  const create = (props = inputs(), timeout = 0, preview = false) =>
    call<provproto.CreateResponse>(
      "create",
      new provproto.CreateRequest().setUrn(URN).setProperties(props).setTimeout(timeout).setPreview(preview),
    );
  /** The partial-create detail of a failed Create/Update, or undefined. */
  const initFailed = (e: grpc.ServiceError): provproto.ErrorResourceInitFailed | undefined => {
    const bin = e.metadata?.get("grpc-status-details-bin")[0];
    if (!bin) return undefined;
    const status = statusproto.Status.deserializeBinary(bin as Buffer);
    const any = status.getDetailsList()[0];
    return any ? provproto.ErrorResourceInitFailed.deserializeBinary(any.getValue_asU8()) : undefined;
  };
  const rejection = async (p: Promise<unknown>): Promise<grpc.ServiceError> => {
    try {
      await p;
    } catch (e) {
      return e as grpc.ServiceError;
    }
    throw new Error("expected a failure");
  };

  beforeEach(async () => {
    te = await startTestEmulator({ jobPolls: 3, log: () => undefined });
    journal = new RestoreJournal(fs.mkdtempSync(path.join(os.tmpdir(), "hwddm-journal-")));
    server = await startProviderServer({ env: { ...te.env(), HWDDM_RESTORE_JOURNAL_DIR: journal.dir } });
    client = new provrpc.ResourceProviderClient(
      `127.0.0.1:${server.port}`,
      grpc.credentials.createInsecure(),
    );
  });
  afterEach(async () => {
    client.close();
    await server.shutdown(100);
    await te.close();
    fs.rmSync(journal.dir, { recursive: true, force: true });
  });

  it("Check refuses bad inputs naming each, before any request", async () => {
    const before = te.emulator.stats().requests;
    const res = await call<provproto.CheckResponse>(
      "check",
      new provproto.CheckRequest()
        .setUrn(URN)
        .setNews(toStruct({ instanceId: "a/b", restoreTime: "yesterday", pollIntervalSeconds: 0, bogus: 1 })),
    );
    const props = res
      .getFailuresList()
      .map((f) => f.getProperty())
      .sort();
    expect(props).to.deep.equal([
      "bogus",
      "instanceId",
      "pollIntervalSeconds",
      "restoreTime",
      "targetInstanceId",
    ]);
    expect(te.emulator.stats().requests).to.equal(before);
  });

  it("Check takes unknown values at preview without a request, and proves a known plan with reads only", async () => {
    const unknown = await call<provproto.CheckResponse>(
      "check",
      new provproto.CheckRequest().setUrn(URN).setNews(inputs({ targetInstanceId: UNKNOWN_VALUE })),
    );
    expect(unknown.getFailuresList()).to.have.length(0);
    expect(te.emulator.stats().requests).to.equal(0);
    const known = await call<provproto.CheckResponse>(
      "check",
      new provproto.CheckRequest().setUrn(URN).setNews(inputs()),
    );
    expect(known.getFailuresList()).to.have.length(0);
    expect(te.emulator.stats().byRoute["related-dn"]).to.be.greaterThan(0);
    expect(te.emulator.stats().byRoute.restore).to.equal(0);
  });

  it("Check fails a time outside every window with the selection's message, and sends nothing", async () => {
    const res = await call<provproto.CheckResponse>(
      "check",
      new provproto.CheckRequest().setUrn(URN).setNews(inputs({ restoreTime: "2020-01-01T00:00:00Z" })),
    );
    expect(res.getFailuresList()[0].getReason()).to.match(/2020-01-01T00:00:00.000Z is not restorable/);
    expect(res.getFailuresList()[0].getProperty()).to.equal("restoreTime");
    expect(te.emulator.stats().byRoute.restore).to.equal(0);
  });

  it("Check names the input a failed plan is about: an unknown target, a mapping naming no data node of the source", async () => {
    const check = async (extra: Record<string, unknown>) =>
      (
        await call<provproto.CheckResponse>(
          "check",
          new provproto.CheckRequest().setUrn(URN).setNews(inputs(extra)),
        )
      ).getFailuresList();
    const target = await check({ targetInstanceId: "0123456789abcdef0123456789abcdefin09" });
    expect(target.map((f) => f.getProperty())).to.deep.equal(["targetInstanceId"]);
    expect(target[0].getReason()).to.contain("0123456789abcdef0123456789abcdefin09");
    const mapping = await check({
      dataNodeRelations: [
        {
          sourceInstanceId: "ffffffffffffffffffffffffffffffffin01",
          targetInstanceId: "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeein01",
        },
      ],
    });
    expect(mapping.map((f) => f.getProperty())).to.deep.equal(["dataNodeRelations"]);
    expect(mapping[0].getReason()).to.contain("is not a data node of the source");
    expect(te.emulator.stats().byRoute.restore).to.equal(0);
  });

  it("Diff replaces on the target or time (the same instant in another form is no change), and not on connection inputs", async () => {
    const diff = (olds: Record<string, unknown>, news: Record<string, unknown>) =>
      call<provproto.DiffResponse>(
        "diff",
        new provproto.DiffRequest().setUrn(URN).setOldInputs(inputs(olds)).setNews(inputs(news)),
      );
    expect((await diff({}, { targetInstanceId: "other" })).getReplacesList()).to.deep.equal([
      "targetInstanceId",
    ]);
    const sameInstant = await diff({}, { restoreTime: new Date(TIME).toISOString() });
    expect(sameInstant.getChanges()).to.equal(provproto.DiffResponse.DiffChanges.DIFF_NONE);
    const region = await diff({}, { region: "ap-southeast-1", pollIntervalSeconds: 1 });
    expect(region.getChanges()).to.equal(provproto.DiffResponse.DiffChanges.DIFF_NONE);
  });

  it("Create at preview shows the plan and sends no POST", async () => {
    const res = await create(inputs(), 0, true);
    const props = fromStruct(res.getProperties());
    expect((props.plan as { targetInstanceId: string }).targetInstanceId).to.equal(TARGET);
    expect(props.jobId).to.equal(UNKNOWN_VALUE);
    expect(te.emulator.stats().byRoute.restore).to.equal(0);
  });

  it("Create sends one POST and waits for the job: status Completed, the plan and the job id in the outputs", async () => {
    const res = await create();
    const props = fromStruct(res.getProperties());
    expect(props.status).to.equal("Completed");
    expect(res.getId()).to.equal(props.jobId);
    const plan = props.plan as { dataNodeRelations: unknown[]; restoreTimeEpochMs: number };
    expect(plan.restoreTimeEpochMs).to.equal(TIME);
    expect(plan.dataNodeRelations).to.have.length(2);
    expect(te.emulator.stats().restoresAccepted).to.equal(1);
    expect(te.emulator.jobs()[0].dataNodeRelations).to.have.length(2);
    expect(entries(), "the engine has the job id: no journal entry").to.deep.equal([]);
  });

  describe("the journal (a plugin killed after the POST leaves the engine nothing)", () => {
    const identity = restoreInputsDigest({
      instanceId: SOURCE,
      targetInstanceId: TARGET,
      restoreTimeEpochMs: TIME,
    });

    /** A job as a killed plugin leaves it: sent, never recorded by the engine (the emulator's own, hung). */
    const orphanJob = async (): Promise<string> => {
      te.emulator.setFaults([{ kind: "job-hang" }]);
      const e = await rejection(create(inputs(), 0.2));
      expect(entries(), "a partial create gives the engine the job id: no entry").to.deep.equal([]);
      te.emulator.setFaults([]);
      return initFailed(e)!.getId();
    };

    it("an entry with the job id of the same restore: Create resumes waiting on that job and sends no POST; then the entry is gone", async () => {
      const jobId = await orphanJob();
      journal.write({ urn: URN, inputsDigest: identity, state: "sent", jobId });
      te.emulator.completeJob(jobId);
      const res = await create();
      expect(res.getId()).to.equal(jobId);
      expect(fromStruct(res.getProperties()).status).to.equal("Completed");
      expect(te.emulator.stats().restoresAccepted).to.equal(1);
      expect(entries()).to.deep.equal([]);
    });

    it("an entry stuck in `sending` (the answer never seen): Create refuses, naming the file and what to do, and sends nothing", async () => {
      journal.write({ urn: URN, inputsDigest: identity, state: "sending" });
      const e = await rejection(create());
      expect(e.details)
        .to.include(journal.fileOf(URN))
        .and.include("may have started")
        .and.include("Task Center")
        .and.include(`"state": "sent"`);
      expect(te.emulator.stats().byRoute.restore).to.equal(0);
      expect(entries()).to.have.length(1);
    });

    it("an entry for other inputs: Create refuses naming its job and the file; Delete removes the entry", async () => {
      journal.write({ urn: URN, inputsDigest: "0".repeat(64), state: "sent", jobId: "job-of-other-inputs" });
      const e = await rejection(create());
      expect(e.details).to.include("job-of-other-inputs").and.include(journal.fileOf(URN));
      expect(te.emulator.stats().byRoute.restore).to.equal(0);
      await call("delete", new provproto.DeleteRequest().setUrn(URN).setId("x").setProperties(toStruct({})));
      expect(entries()).to.deep.equal([]);
    });

    it("the entry written before the POST holds no credential", async () => {
      te.emulator.setFaults([{ kind: "job-hang" }]);
      const pending = rejection(create());
      while (te.emulator.stats().byRoute.job === 0) await new Promise((r) => setImmediate(r));
      const text = fs.readFileSync(journal.fileOf(URN), "utf8");
      expect(JSON.parse(text)).to.include({ urn: URN, state: "sent", inputsDigest: identity });
      for (const secret of te.secretValues) expect(text).to.not.include(secret);
      await call("cancel", new (require("google-protobuf/google/protobuf/empty_pb").Empty)());
      await pending;
      expect(entries()).to.deep.equal([]);
    });
  });

  it("a job that never ends: Create times out as a partial create keeping the job id; Update resumes it and never POSTs again", async () => {
    te.emulator.setFaults([{ kind: "job-hang" }]);
    const e = await rejection(create(inputs(), 0.3));
    const detail = initFailed(e)!;
    expect(detail, e.message).to.not.equal(undefined);
    const jobId = detail.getId();
    expect(e.details).to.include(jobId).and.include("did not finish within the timeout of 0.3s");
    const state = fromStruct(detail.getProperties());
    expect(state.jobId).to.equal(jobId);
    expect(state.status).to.equal("Running");

    te.emulator.completeJob(jobId);
    const up = await call<provproto.UpdateResponse>(
      "update",
      new provproto.UpdateRequest()
        .setUrn(URN)
        .setId(jobId)
        .setOlds(detail.getProperties())
        .setNews(inputs()),
    );
    expect(fromStruct(up.getProperties()).status).to.equal("Completed");
    expect(te.emulator.stats().byRoute.restore).to.equal(1);
    expect(te.emulator.stats().restoresAccepted).to.equal(1);
  });

  it("Cancel mid-wait ends Create as a partial create keeping the job id", async () => {
    te.emulator.setFaults([{ kind: "job-hang" }]);
    const pending = rejection(create());
    while (te.emulator.stats().byRoute.job === 0) await new Promise((r) => setImmediate(r));
    await call("cancel", new (require("google-protobuf/google/protobuf/empty_pb").Empty)());
    const e = await pending;
    expect(initFailed(e)!.getId()).to.equal(te.emulator.jobs()[0].id);
    expect(e.details).to.include("cancelled");
    expect(te.emulator.stats().restoresAccepted).to.equal(1);
  });

  it("a failed job fails Create naming the job, and keeps it in the state as Failed", async () => {
    te.emulator.setFaults([{ kind: "job-fail" }]);
    const e = await rejection(create());
    const detail = initFailed(e)!;
    expect(e.details).to.include(`restore job ${detail.getId()} failed`);
    expect(fromStruct(detail.getProperties()).status).to.equal("Failed");
  });

  it("a POST whose answer is lost is kept as Unknown and never sent again, by Create or by Update", async () => {
    te.emulator.setFaults([{ kind: "lost-answer" }]);
    const e = await rejection(create());
    expect(e.details).to.include("may have started");
    const detail = initFailed(e)!;
    expect(fromStruct(detail.getProperties()).status).to.equal("Unknown");
    te.emulator.setFaults([]);
    const again = await rejection(
      call(
        "update",
        new provproto.UpdateRequest()
          .setUrn(URN)
          .setId(detail.getId())
          .setOlds(detail.getProperties())
          .setNews(inputs()),
      ),
    );
    expect(again.details).to.include("not sent again");
    expect(te.emulator.stats().restoresAccepted).to.equal(1);
  });

  it("Read refreshes the job, and keeps the state when DDM no longer knows it", async () => {
    const res = await create();
    const read = (props: unknown) =>
      call<provproto.ReadResponse>(
        "read",
        new provproto.ReadRequest()
          .setUrn(URN)
          .setId(res.getId())
          .setProperties(props as never)
          .setInputs(inputs()),
      );
    expect(fromStruct((await read(res.getProperties())).getProperties()).status).to.equal("Completed");
    te.emulator.setFaults([{ kind: "job-vanish" }]);
    const kept = await read(res.getProperties());
    expect(fromStruct(kept.getProperties())).to.deep.equal(fromStruct(res.getProperties()));
  });
});
