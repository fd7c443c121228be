import { expect } from "chai";
import { Emulator, EmulatorOptions, FaultSpec, defaultFixture, startEmulator } from "../../emulator";
import { signRequest } from "../../provider/signer";
import { PROJECT, Reply, SOURCE, request } from "./helpers";

const TARGET = "3b65c609427c4b20bc0ae93e161dc7adin09";
const TARGET2 = "8d2f4a1c0e6b4f3a9c7d5e2b1a0f9c8din09";
const UNAVAILABLE_TARGET = "c4e1b7a9d2f04c6e8b3a5d7f9e1c2b4ain09";
const SOURCE_DNS = ["a1c3e5f7091b4d6f8a0c2e4f6a8b0d1cin01", "b2d4f6a8102c4e7a9b1d3f5a7c9e1f2ain01"];
const TARGET_DNS = ["d3e5f7a9b1c34d5e8f0a2b4c6d8e0f1ain01", "e4f6a8b0c2d44e6f9a1b3c5d7e9f1a2bin01"];
const TARGET_DN_IN_USE = "f5a7b9c1d3e54f7a0b2c4d6e8f0a1b3cin01";
const TARGET2_DNS = ["0a1b2c3d4e5f46a7b8c9d0e1f2a3b4c5in01", "1b2c3d4e5f6a47b8c9d0e1f2a3b4c5d6in01"];
/** Inside the contract's last window (2025-05-20T09:40:40 .. 2025-05-21T11:15:43 UTC). */
const RESTORE_TIME = Date.UTC(2025, 4, 21, 10, 0, 0);
const T0 = Date.UTC(2025, 4, 21, 12, 0, 0);

const backups = (what: string, query = "", instance = SOURCE, project = PROJECT): string =>
  `/v3/${project}/instances/${instance}/backups/${what}${query ? `?${query}` : ""}`;
const jobPath = (id: string, project = PROJECT): string => `/v3/${project}/jobs/${id}`;

function restoreBody(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    source: { instance_id: SOURCE, restore_time: RESTORE_TIME },
    target: { instance_id: TARGET },
    data_node_relations: [
      { source_instance_id: SOURCE_DNS[0], target_instance_id: TARGET_DNS[0] },
      { source_instance_id: SOURCE_DNS[1], target_instance_id: TARGET_DNS[1] },
    ],
    ...over,
  };
}

function get(em: Emulator, path: string): Promise<Reply> {
  return request(em.url + path, { headers: { "X-Auth-Token": em.credentials.token } });
}

function post(em: Emulator, body: unknown, path = backups("recovery")): Promise<Reply> {
  return request(em.url + path, {
    method: "POST",
    headers: { "X-Auth-Token": em.credentials.token, "Content-Type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

/** A request signed with the emulator's AK/SK at the emulator's clock (the body is signed too). */
function signed(em: Emulator, method: string, path: string, at: number, body?: string): Promise<Reply> {
  const url = em.url + path;
  const headers = signRequest(
    { method, url, headers: { "Content-Type": "application/json" }, body },
    { accessKey: em.credentials.accessKey, secretKey: em.credentials.secretKey },
    new Date(at),
  );
  return request(url, { method, headers, body });
}

function expectParameterError(r: Reply, field: RegExp): void {
  expect(r.status, r.text).to.equal(400);
  const b = r.json as { error_code: string; error_msg: string };
  expect(b.error_code).to.equal("DBS.280001");
  expect(b.error_msg).to.match(field);
  expect(r.headers["x-request-id"]).to.match(/^[0-9a-f]{32}$/);
}

type JobBody = {
  job: {
    id: string;
    name: string;
    status: string;
    process: string;
    created_time: string;
    end_time: string;
    instance: { id: string; name: string };
  };
};

describe("emulator: restore calls", () => {
  let em: Emulator;
  let clock = T0;

  const start = async (opts: EmulatorOptions = {}): Promise<void> => {
    await em?.close();
    clock = T0;
    em = await startEmulator({ now: () => clock, ...opts });
  };
  beforeEach(() => start());
  afterEach(() => em.close());

  describe("related-dn", () => {
    it("answers the source's data nodes at a restore time, paged, with the latest restorable time", async () => {
      const r = await get(em, backups("related-dn", `restore_time=${RESTORE_TIME}`));
      expect(r.status).to.equal(200);
      const body = r.json as Record<string, unknown> & { related_data_nodes: Record<string, unknown>[] };
      expect(Object.keys(body)).to.deep.equal([
        "related_data_nodes",
        "latest_restorable_time",
        "offset",
        "limit",
        "total",
      ]);
      expect(body).to.include({
        latest_restorable_time: "2025-05-21T11:15:43+0000",
        offset: 0,
        limit: 10,
        total: 2,
      });
      expect(body.related_data_nodes.map((n) => n.instance_id)).to.deep.equal(SOURCE_DNS);
      expect(body.related_data_nodes[0]).to.deep.equal({
        instance_id: SOURCE_DNS[0],
        instance_name: "ddm-orders-dn-01",
        instance_status: "normal",
        engine_name: "mysql",
        data_volume_size: 40_000_000_000,
        version: "8.0.32",
      });
      const p = await get(em, backups("related-dn", `restore_time=${RESTORE_TIME}&offset=1&limit=1`));
      expect(p.json).to.deep.include({ offset: 1, limit: 1, total: 2 });
      expect(
        (p.json as { related_data_nodes: { instance_id: string }[] }).related_data_nodes[0].instance_id,
      ).to.equal(SOURCE_DNS[1]);
    });

    it("accepts AK/SK signing", async () => {
      const r = await signed(em, "GET", backups("related-dn", `restore_time=${RESTORE_TIME}`), clock);
      expect(r.status).to.equal(200);
      expect(em.stats().byAuth.aksk).to.equal(1);
    });

    it("answers 400 for a missing, malformed or out-of-window restore_time and bad paging", async () => {
      expectParameterError(await get(em, backups("related-dn")), /restore_time is required/);
      expectParameterError(
        await get(em, backups("related-dn", "restore_time=abc")),
        /restore_time must be an integer/,
      );
      expectParameterError(await get(em, backups("related-dn", "restore_time=1.5")), /restore_time/);
      expectParameterError(
        await get(em, backups("related-dn", `restore_time=${T0}`)),
        /restore_time .* not inside/,
      );
      const l = await get(em, backups("related-dn", `restore_time=${RESTORE_TIME}&limit=129`));
      expect(l.status).to.equal(400);
      expect(l.json).to.deep.equal({ error_code: "DBS.280001", error_msg: "Parameter error." });
    });

    it("answers 404 for an unknown instance or project and 401 without credentials", async () => {
      const i = await get(
        em,
        backups("related-dn", `restore_time=${RESTORE_TIME}`, "ffffffffffffffffffffffffffffffffin09"),
      );
      expect(i.status).to.equal(404);
      expect((i.json as { error_code: string }).error_code).to.equal("DBS.280214");
      const p = await get(em, backups("related-dn", `restore_time=${RESTORE_TIME}`, SOURCE, "0".repeat(32)));
      expect((p.json as { error_code: string }).error_code).to.equal("DBS.280213");
      const u = await request(em.url + backups("related-dn", `restore_time=${RESTORE_TIME}`));
      expect(u.status).to.equal(401);
    });
  });

  describe("restorable-data-node", () => {
    const q = (target = TARGET, dn = SOURCE_DNS[0], time: number | string = RESTORE_TIME): string =>
      `target_instance_id=${target}&source_dn_instance_id=${dn}&restore_time=${time}`;

    it("answers the target's data nodes, the unavailable one with its reason", async () => {
      const r = await get(em, backups("restorable-data-node", q()));
      expect(r.status).to.equal(200);
      const body = r.json as {
        target_data_nodes: Record<string, unknown>[];
        offset: number;
        limit: number;
        total: number;
      };
      expect(body).to.include({ offset: 0, limit: 10, total: 3 });
      expect(body.target_data_nodes[0]).to.deep.equal({
        instance_id: TARGET_DNS[0],
        instance_name: "rds-agent-restore-01",
        engine_name: "mysql",
        status: "normal",
        available: true,
        unavailable_reason: "",
        vpc_name: "vpc-ddm-172",
        private_ip: "192.168.0.21",
      });
      const unavailable = body.target_data_nodes.filter((n) => n.available === false);
      expect(unavailable).to.have.length(1);
      expect(unavailable[0].unavailable_reason).to.be.a("string").and.not.equal("");
      const page = await get(em, backups("restorable-data-node", `${q()}&offset=2&limit=5`));
      expect(page.json).to.deep.include({ offset: 2, limit: 5, total: 3 });
    });

    it("gives every available target of the example source at least two available data nodes", async () => {
      const targets = defaultFixture().projects[0].instances[0].restorableInstances.filter(
        (t) => t.available,
      );
      for (const t of targets) {
        const r = await get(em, backups("restorable-data-node", q(t.instance_id)));
        const nodes = (r.json as { target_data_nodes: { available: boolean }[] }).target_data_nodes;
        expect(nodes.filter((n) => n.available).length, t.instance_id).to.be.at.least(2);
      }
    });

    it("accepts AK/SK signing", async () => {
      const r = await signed(em, "GET", backups("restorable-data-node", q()), clock);
      expect(r.status).to.equal(200);
    });

    it("answers 400 naming each missing or bad parameter", async () => {
      const base = backups("restorable-data-node");
      expectParameterError(
        await get(em, `${base}?source_dn_instance_id=${SOURCE_DNS[0]}&restore_time=${RESTORE_TIME}`),
        /target_instance_id is required/,
      );
      expectParameterError(
        await get(em, `${base}?target_instance_id=${TARGET}&restore_time=${RESTORE_TIME}`),
        /source_dn_instance_id is required/,
      );
      expectParameterError(
        await get(em, `${base}?target_instance_id=${TARGET}&source_dn_instance_id=${SOURCE_DNS[0]}`),
        /restore_time is required/,
      );
      expectParameterError(
        await get(em, backups("restorable-data-node", q(TARGET, "nope"))),
        /source_dn_instance_id nope/,
      );
      expectParameterError(
        await get(em, backups("restorable-data-node", q(TARGET, SOURCE_DNS[0], 5))),
        /restore_time/,
      );
    });

    it("answers 404 for an unknown target", async () => {
      const r = await get(em, backups("restorable-data-node", q("eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeein09")));
      expect(r.status).to.equal(404);
      expect(r.json).to.deep.equal({ error_code: "DBS.280214", error_msg: "Target instance not found." });
    });
  });

  describe("recovery (POST) and jobs", () => {
    it("accepts a restore with a token: 202 {job_id}, one job, counted", async () => {
      const r = await post(em, restoreBody());
      expect(r.status).to.equal(202);
      const id = (r.json as { job_id: string }).job_id;
      expect(Object.keys(r.json as object)).to.deep.equal(["job_id"]);
      expect(id).to.match(/^[0-9a-f]{32}$/);
      expect(r.headers["x-request-id"]).to.match(/^[0-9a-f]{32}$/);
      const jobs = em.jobs();
      expect(jobs).to.have.length(1);
      expect(jobs[0]).to.deep.include({
        id,
        status: "Running",
        sourceInstanceId: SOURCE,
        targetInstanceId: TARGET,
        restoreTime: RESTORE_TIME,
        createdAt: T0,
      });
      expect(em.stats().restoresAccepted).to.equal(1);
      expect(em.stats().byRoute.restore).to.equal(1);
    });

    it("accepts a restore signed with AK/SK (the body signed) and refuses a body changed after signing", async () => {
      const text = JSON.stringify(restoreBody());
      const ok = await signed(em, "POST", backups("recovery"), clock, text);
      expect(ok.status).to.equal(202);
      const headers = signRequest(
        { method: "POST", url: em.url + backups("recovery"), headers: {}, body: text },
        { accessKey: em.credentials.accessKey, secretKey: em.credentials.secretKey },
        new Date(clock),
      );
      const tampered = JSON.stringify(restoreBody({ target: { instance_id: TARGET2 } }));
      const r = await request(em.url + backups("recovery"), { method: "POST", headers, body: tampered });
      expect(r.status).to.equal(401);
      expect(em.stats().restoresAccepted).to.equal(1);
    });

    const invalid: [string, string | Record<string, unknown>, RegExp][] = [
      ["not JSON", "{not json", /not valid JSON/],
      ["not an object", "[1,2]", /JSON object/],
      ["no source", restoreBody({ source: undefined }), /source is required/],
      [
        "no source.instance_id",
        restoreBody({ source: { restore_time: RESTORE_TIME } }),
        /source\.instance_id/,
      ],
      [
        "another source",
        restoreBody({ source: { instance_id: TARGET, restore_time: RESTORE_TIME } }),
        /source\.instance_id .* not the instance in the path/,
      ],
      [
        "a string restore_time",
        restoreBody({ source: { instance_id: SOURCE, restore_time: String(RESTORE_TIME) } }),
        /source\.restore_time .* integer/,
      ],
      [
        "a fractional restore_time",
        restoreBody({ source: { instance_id: SOURCE, restore_time: RESTORE_TIME + 0.5 } }),
        /source\.restore_time/,
      ],
      [
        "a restore_time outside every window",
        restoreBody({ source: { instance_id: SOURCE, restore_time: T0 } }),
        /source\.restore_time .* not inside/,
      ],
      ["no target", restoreBody({ target: undefined }), /target is required/],
      [
        "a target the source cannot restore into",
        restoreBody({ target: { instance_id: SOURCE } }),
        /target\.instance_id .* not an instance the source can be restored into/,
      ],
      [
        "an unavailable target",
        restoreBody({ target: { instance_id: UNAVAILABLE_TARGET } }),
        /target\.instance_id .* not available/,
      ],
      [
        "no data_node_relations",
        restoreBody({ data_node_relations: undefined }),
        /data_node_relations is required/,
      ],
      [
        "a relation that is not an object",
        restoreBody({ data_node_relations: ["x"] }),
        /data_node_relations\[0\] must be an object/,
      ],
      [
        "an unmapped source data node",
        restoreBody({
          data_node_relations: [{ source_instance_id: SOURCE_DNS[0], target_instance_id: TARGET_DNS[0] }],
        }),
        new RegExp(`must map every data node .*missing ${SOURCE_DNS[1]}`),
      ],
      [
        "a source data node mapped twice",
        restoreBody({
          data_node_relations: [
            { source_instance_id: SOURCE_DNS[0], target_instance_id: TARGET_DNS[0] },
            { source_instance_id: SOURCE_DNS[0], target_instance_id: TARGET_DNS[1] },
          ],
        }),
        /data_node_relations\[1\]\.source_instance_id .* more than once/,
      ],
      [
        "an unknown source data node",
        restoreBody({
          data_node_relations: [{ source_instance_id: "x1", target_instance_id: TARGET_DNS[0] }],
        }),
        /data_node_relations\[0\]\.source_instance_id x1 is not a data node of the source/,
      ],
      [
        "a data node of another target",
        restoreBody({
          data_node_relations: [
            { source_instance_id: SOURCE_DNS[0], target_instance_id: TARGET2_DNS[0] },
            { source_instance_id: SOURCE_DNS[1], target_instance_id: TARGET_DNS[1] },
          ],
        }),
        /data_node_relations\[0\]\.target_instance_id .* not a data node of the target/,
      ],
      [
        "an unavailable target data node",
        restoreBody({
          data_node_relations: [
            { source_instance_id: SOURCE_DNS[0], target_instance_id: TARGET_DN_IN_USE },
            { source_instance_id: SOURCE_DNS[1], target_instance_id: TARGET_DNS[1] },
          ],
        }),
        /data_node_relations\[0\]\.target_instance_id .* not available: The instance is already associated/,
      ],
      [
        "a target data node used twice",
        restoreBody({
          data_node_relations: [
            { source_instance_id: SOURCE_DNS[0], target_instance_id: TARGET_DNS[0] },
            { source_instance_id: SOURCE_DNS[1], target_instance_id: TARGET_DNS[0] },
          ],
        }),
        /data_node_relations\[1\]\.target_instance_id .* used more than once/,
      ],
    ];
    for (const [what, body, msg] of invalid) {
      it(`answers 400 DBS.280001 naming the field for ${what}, and creates no job`, async () => {
        expectParameterError(await post(em, body), msg);
        expect(em.jobs()).to.deep.equal([]);
        expect(em.stats().restoresAccepted).to.equal(0);
        expect(em.stats().byRoute.restore).to.equal(1);
      });
    }

    it("answers 404 for an unknown source instance and 405 for GET on the recovery path", async () => {
      const other = "ffffffffffffffffffffffffffffffffin09";
      const r = await post(em, restoreBody(), backups("recovery", "", other));
      expect(r.status).to.equal(404);
      const g = await get(em, backups("recovery"));
      expect(g.status).to.equal(405);
      expect(g.headers.allow).to.equal("POST");
    });

    it("answers 409 DBS.200019 while the target has a running job, and accepts again once it completed", async () => {
      expect((await post(em, restoreBody())).status).to.equal(202);
      const busy = await post(em, restoreBody());
      expect(busy.status).to.equal(409);
      expect(busy.json).to.deep.equal({
        error_code: "DBS.200019",
        error_msg: "Another operation is being performed on the instance. Try again later.",
      });
      const other = restoreBody({
        target: { instance_id: TARGET2 },
        data_node_relations: [
          { source_instance_id: SOURCE_DNS[0], target_instance_id: TARGET2_DNS[0] },
          { source_instance_id: SOURCE_DNS[1], target_instance_id: TARGET2_DNS[1] },
        ],
      });
      expect((await post(em, other)).status, "another target is not busy").to.equal(202);
      clock += 3000;
      expect((await post(em, restoreBody())).status).to.equal(202);
      expect(em.stats().restoresAccepted).to.equal(3);
      expect(em.stats().byRoute.restore).to.equal(4);
    });

    it("progresses a job on the emulator's clock: process while running, then Completed with end_time", async () => {
      await start({ jobDurationMs: 10_000 });
      const id = ((await post(em, restoreBody())).json as { job_id: string }).job_id;
      const poll = async (): Promise<JobBody["job"]> => ((await get(em, jobPath(id))).json as JobBody).job;
      expect(await poll()).to.deep.equal({
        id,
        name: "RestoreInstance",
        status: "Running",
        created_time: "2025-05-21T12:00:00+0000",
        end_time: "",
        process: "0%",
        instance: { id: TARGET, name: "ddm-agent-create-instance1" },
      });
      clock += 6000;
      expect(await poll()).to.include({ status: "Running", process: "60%" });
      clock += 3999;
      expect(await poll()).to.include({ status: "Running", process: "99%" });
      clock += 1;
      expect(await poll()).to.include({
        status: "Completed",
        process: "",
        end_time: "2025-05-21T12:00:10+0000",
      });
      clock += 60_000;
      expect(await poll()).to.include({ status: "Completed", end_time: "2025-05-21T12:00:10+0000" });
      expect(em.jobs()[0]).to.include({ status: "Completed", percent: 100, endedAt: T0 + 10_000, polls: 5 });
      expect(em.stats().byRoute.job).to.equal(5);
    });

    it("progresses a job by polls with jobPolls (the clock never moves)", async () => {
      await start({ jobPolls: 4 });
      const id = ((await post(em, restoreBody())).json as { job_id: string }).job_id;
      const seen: string[] = [];
      for (let i = 0; i < 5; i++) {
        const j = ((await get(em, jobPath(id))).json as JobBody).job;
        seen.push(`${j.status} ${j.process}`);
      }
      expect(seen).to.deep.equal(["Running 25%", "Running 50%", "Running 75%", "Completed ", "Completed "]);
      expect(em.jobs()[0].polls).to.equal(5);
    });

    it("answers 404 DBS.300400 for an unknown job and for a job of another project", async () => {
      const r = await get(em, jobPath("0".repeat(32)));
      expect(r.status).to.equal(404);
      expect(r.json).to.deep.equal({ error_code: "DBS.300400", error_msg: "The task is not found." });
      const id = ((await post(em, restoreBody())).json as { job_id: string }).job_id;
      const other = await get(em, jobPath(id, "0b5e6c2a9d8f4e7a8c1b2d3e4f5a6b7c"));
      expect(other.status).to.equal(404);
      expect((other.json as { error_code: string }).error_code).to.equal("DBS.300400");
    });

    it("serves a job to AK/SK-signed requests", async () => {
      const id = ((await post(em, restoreBody())).json as { job_id: string }).job_id;
      const r = await signed(em, "GET", jobPath(id), clock);
      expect(r.status).to.equal(200);
      expect((r.json as JobBody).job.id).to.equal(id);
    });

    it("completeJob and failJob end a running job at once; unknown ids throw", async () => {
      const a = ((await post(em, restoreBody())).json as { job_id: string }).job_id;
      em.completeJob(a);
      expect(((await get(em, jobPath(a))).json as JobBody).job).to.include({
        status: "Completed",
        process: "",
      });
      clock += 1000;
      const b = ((await post(em, restoreBody())).json as { job_id: string }).job_id;
      em.failJob(b, "Disk full.");
      expect(((await get(em, jobPath(b))).json as JobBody).job).to.include({
        status: "Failed",
        end_time: "2025-05-21T12:00:01+0000",
      });
      expect(em.jobs()[1]).to.include({ status: "Failed", failReason: "Disk full." });
      expect(() => em.completeJob("nope")).to.throw(/nope/);
      expect(() => em.failJob("nope")).to.throw(/nope/);
    });

    it("keeps jobs across setData and resetStats, which zeroes restoresAccepted", async () => {
      await post(em, restoreBody());
      em.setData(defaultFixture());
      em.resetStats();
      expect(em.jobs()).to.have.length(1);
      expect(em.stats().restoresAccepted).to.equal(0);
      expect(em.stats().byRoute.restore).to.equal(0);
      expect((await post(em, restoreBody())).status, "the job still holds the target").to.equal(409);
    });
  });

  describe("restore faults", () => {
    const faulted = (faults: FaultSpec[], opts: EmulatorOptions = {}): Promise<void> =>
      start({ faults, ...opts });

    it("status 409 on route restore answers target busy once, then the restore is accepted", async () => {
      await faulted([{ kind: "status", status: 409, route: "restore", errorCode: "DBS.200019", times: 1 }]);
      const r = await post(em, restoreBody());
      expect(r.status).to.equal(409);
      expect((r.json as { error_code: string }).error_code).to.equal("DBS.200019");
      expect(em.jobs()).to.have.length(0);
      expect((await post(em, restoreBody())).status).to.equal(202);
      expect(em.stats().faults["status:409"]).to.equal(1);
    });

    it("503 on route job answers the poll with 503 and leaves the job alone", async () => {
      const id = ((await post(em, restoreBody())).json as { job_id: string }).job_id;
      em.setFaults([{ kind: "status", status: 503, route: "job", times: 1 }]);
      expect((await get(em, jobPath(id))).status).to.equal(503);
      expect((await get(em, jobPath(id))).status).to.equal(200);
    });

    it("job-fail: the job ends Failed where it would have completed, with the fault's reason", async () => {
      await faulted([{ kind: "job-fail", reason: "Restoring data node failed." }], { jobDurationMs: 1000 });
      const id = ((await post(em, restoreBody())).json as { job_id: string }).job_id;
      expect(((await get(em, jobPath(id))).json as JobBody).job).to.include({
        status: "Running",
        process: "0%",
      });
      clock += 1000;
      expect(((await get(em, jobPath(id))).json as JobBody).job).to.include({
        status: "Failed",
        process: "",
        end_time: "2025-05-21T12:00:01+0000",
      });
      expect(em.jobs()[0]).to.include({ status: "Failed", failReason: "Restoring data node failed." });
      expect(em.stats().faults["job-fail"]).to.equal(1);
    });

    it("job-fail with jobPolls fails on the Nth poll", async () => {
      await faulted([{ kind: "job-fail" }], { jobPolls: 2 });
      const id = ((await post(em, restoreBody())).json as { job_id: string }).job_id;
      expect(((await get(em, jobPath(id))).json as JobBody).job.status).to.equal("Running");
      expect(((await get(em, jobPath(id))).json as JobBody).job.status).to.equal("Failed");
      expect(em.jobs()[0].failReason).to.equal("Emulated restore failure.");
    });

    it("job-hang: the job stays Running at its process however long the clock runs, until completeJob", async () => {
      await faulted([{ kind: "job-hang" }], { jobDurationMs: 1000 });
      const id = ((await post(em, restoreBody())).json as { job_id: string }).job_id;
      clock += 86_400_000;
      for (let i = 0; i < 3; i++)
        expect(((await get(em, jobPath(id))).json as JobBody).job).to.include({
          status: "Running",
          process: "50%",
          end_time: "",
        });
      expect((await post(em, restoreBody())).status).to.equal(409);
      em.completeJob(id);
      expect(((await get(em, jobPath(id))).json as JobBody).job.status).to.equal("Completed");
    });

    it("job-hang applies only to the jobs created in its window", async () => {
      await faulted([{ kind: "job-hang", process: 30, times: 1 }], { jobPolls: 1 });
      const a = ((await post(em, restoreBody())).json as { job_id: string }).job_id;
      em.completeJob(a);
      const b = ((await post(em, restoreBody())).json as { job_id: string }).job_id;
      expect(((await get(em, jobPath(b))).json as JobBody).job.status).to.equal("Completed");
    });

    it("lost-answer: the restore is processed and counted, the client sees the connection reset, a retry gets 409", async () => {
      await faulted([{ kind: "lost-answer", times: 1 }]);
      let error: unknown;
      try {
        await post(em, restoreBody());
      } catch (e) {
        error = e;
      }
      expect(String((error as Error)?.message)).to.match(/socket hang up|ECONNRESET/);
      const s = em.stats();
      expect(s.byRoute.restore).to.equal(1);
      expect(s.restoresAccepted).to.equal(1);
      expect(s.faults["lost-answer"]).to.equal(1);
      expect(s.lastRequests[0].status).to.equal(0);
      expect(em.jobs()).to.have.length(1);
      const retry = await post(em, restoreBody());
      expect(retry.status).to.equal(409);
      expect(em.stats().restoresAccepted).to.equal(1);
      expect(em.stats().byRoute.restore).to.equal(2);
    });

    it("job-vanish after=1: the first poll answers the job, the later ones 404 job-not-found", async () => {
      await faulted([{ kind: "job-vanish", after: 1 }]);
      const id = ((await post(em, restoreBody())).json as { job_id: string }).job_id;
      expect((await get(em, jobPath(id))).status).to.equal(200);
      for (let i = 0; i < 2; i++) {
        const r = await get(em, jobPath(id));
        expect(r.status).to.equal(404);
        expect(r.json).to.deep.equal({ error_code: "DBS.300400", error_msg: "The task is not found." });
      }
      expect(em.stats().faults["job-vanish"]).to.equal(2);
    });

    it("malformed and stall:body send a truncated body of the route's own shape", async () => {
      await faulted([{ kind: "malformed", route: "job", times: 1 }]);
      const r = await get(em, jobPath("x"));
      expect(r.status).to.equal(200);
      expect(r.json).to.equal(undefined);
      expect(r.text).to.match(/^\{"job":\{/);
    });
  });
});
