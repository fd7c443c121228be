/**
 * The restore POST on the client (nock): never sent again once it may have reached DDM; retried
 * only when it cannot have been acted on (a 409 "target busy", a connection refused); DDM's own
 * error body ({errCode, externalMessage}) read like the others.
 */
import { expect } from "chai";
import nock from "nock";
import { DdmClient } from "../../provider/client";
import { ApiError } from "../../provider/errors";
import { startRestore } from "../../provider/restore/operations";
import { ResolvedConfig } from "../../provider/types";

const DDM = "https://ddm.ap-southeast-1.myhuaweicloud.com";
const PATH = "/v3/p1/instances/src1/backups/recovery";
const RESTORE = {
  instanceId: "src1",
  targetInstanceId: "tgt1",
  restoreTimeEpochMs: 1747826143123,
  dataNodeRelations: [{ sourceInstanceId: "dn1", targetInstanceId: "tdn1" }],
};

function client(): DdmClient {
  const config: ResolvedConfig = {
    region: "ap-southeast-1",
    projectId: "p1",
    endpoint: DDM,
    authUrl: "https://iam.ap-southeast-1.myhuaweicloud.com/v3",
    auth: { mode: "token", token: "mutation-spec-token-secret" },
    maxRetries: 3,
    requestTimeoutMs: 5000,
    insecure: false,
  };
  return new DdmClient(config, { sleep: async () => {}, retry: { baseDelayMs: 1 } });
}

async function failure(p: Promise<unknown>): Promise<ApiError> {
  return p.then(
    () => {
      throw new Error("expected a failure");
    },
    (e: unknown) => e as ApiError,
  );
}

describe("client: the restore POST is never sent twice", () => {
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    expect(pending, "every nock interceptor was used").to.deep.equal([]);
  });

  it("sends the body DDM documents (epoch ms exact) and returns the job id", async () => {
    let body: unknown;
    nock(DDM)
      .post(PATH, (b: unknown) => ((body = b), true))
      .reply(202, { job_id: "job-1" });
    const got = await startRestore(client(), RESTORE);
    expect(got.jobId).to.equal("job-1");
    expect(body).to.deep.equal({
      source: { instance_id: "src1", restore_time: 1747826143123 },
      target: { instance_id: "tgt1" },
      data_node_relations: [{ source_instance_id: "dn1", target_instance_id: "tdn1" }],
    });
  });

  it("a 409 target busy is retried (it was not acted on), then succeeds", async () => {
    nock(DDM).post(PATH).reply(409, { errCode: "DBS.200019", externalMessage: "busy" });
    nock(DDM).post(PATH).reply(202, { job_id: "job-2" });
    expect((await startRestore(client(), RESTORE)).jobId).to.equal("job-2");
  });

  for (const [what, reply] of [
    ["a 503", (s: nock.Interceptor) => s.reply(503, { error_code: "APIGW.0202", error_msg: "down" })],
    ["a 500", (s: nock.Interceptor) => s.reply(500, { errCode: "DBS.280005", externalMessage: "oops" })],
    [
      "a connection reset",
      (s: nock.Interceptor) =>
        s.replyWithError(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" })),
    ],
  ] as const) {
    it(`${what} is not retried: outcomeUnknown, and the message says the restore may have started`, async () => {
      reply(nock(DDM).post(PATH)); // one interceptor: a second POST would be an unmatched request
      const e = await failure(startRestore(client(), RESTORE));
      expect(ApiError.isInstance(e)).to.equal(true);
      expect(e.outcomeUnknown).to.equal(true);
      expect(e.retryable).to.equal(false);
      expect(e.message).to.include("may have started").and.include("tgt1");
    });
  }

  it("a connection refused is retried (nothing left this machine)", async () => {
    nock(DDM)
      .post(PATH)
      .replyWithError(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }));
    nock(DDM).post(PATH).reply(202, { job_id: "job-3" });
    expect((await startRestore(client(), RESTORE)).jobId).to.equal("job-3");
  });

  it("a 400 is a plain ApiError carrying DDM's errCode and externalMessage, outcome known", async () => {
    nock(DDM).post(PATH).reply(400, { errCode: "DBS.280001", externalMessage: "Parameter error." });
    const e = await failure(startRestore(client(), RESTORE));
    expect(e.status).to.equal(400);
    expect(e.errorCode).to.equal("DBS.280001");
    expect(e.errorMsg).to.equal("Parameter error.");
    expect(e.outcomeUnknown).to.equal(false);
  });
});
