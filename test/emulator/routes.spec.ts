import { expect } from "chai";
import * as net from "node:net";
import { CONTRACT_EXAMPLE, Emulator, generateFixture, startEmulator } from "../../emulator";
import { tryParseApiTime } from "../../provider/time";
import { PROJECT, SOURCE, ddmPath, getWithToken, request } from "./helpers";

const PARAMETER_ERROR = { error_code: "DBS.280001", error_msg: "Parameter error." };

describe("emulator: DDM routes", () => {
  let em: Emulator;

  before(async () => {
    em = await startEmulator();
  });
  after(async () => {
    await em.close();
  });

  it("answers restorable-instances with the contract's example target first, offset 0, limit 10 and the full total", async () => {
    const r = await getWithToken(em, ddmPath("restorable-instances"));
    expect(r.status).to.equal(200);
    expect(r.headers["content-type"]).to.match(/^application\/json/);
    const body = r.json as {
      instances: Record<string, unknown>[];
      offset: number;
      limit: number;
      total: number;
    };
    expect(body.offset).to.equal(0);
    expect(body.limit).to.equal(10);
    expect(body.total).to.equal(5);
    expect(body.instances).to.have.length(5);
    expect(body.instances[0]).to.deep.equal({
      instance_id: CONTRACT_EXAMPLE.targetInstanceId,
      instance_name: CONTRACT_EXAMPLE.targetInstanceName,
      status: "normal",
      available: true,
      unavailable_reason: "",
      vpc_name: CONTRACT_EXAMPLE.vpcName,
    });
    expect(Object.keys(body.instances[0])).to.deep.equal([
      "instance_id",
      "instance_name",
      "status",
      "available",
      "unavailable_reason",
      "vpc_name",
    ]);
    const unavailable = body.instances.filter((i) => i.available === false);
    expect(unavailable).to.have.length(2);
    for (const u of unavailable) expect(u.unavailable_reason).to.be.a("string").and.not.equal("");
    expect(new Set(body.instances.map((i) => i.vpc_name)).size).to.equal(2);
  });

  it("answers restorable-time-interval in the API's +0000 form with the contract's example window", async () => {
    const r = await getWithToken(em, ddmPath("restorable-time-interval"));
    expect(r.status).to.equal(200);
    const body = r.json as {
      restorable_time_intervals: { start_time: string; end_time: string }[];
      offset: number;
      limit: number;
      total: number;
    };
    expect(body).to.include({ offset: 0, limit: 10, total: 3 });
    expect(body.restorable_time_intervals).to.deep.include({
      start_time: CONTRACT_EXAMPLE.windowStart,
      end_time: CONTRACT_EXAMPLE.windowEnd,
    });
    for (const w of body.restorable_time_intervals) {
      expect(w.start_time).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$/);
      expect(tryParseApiTime(w.end_time)).to.be.a("number");
    }
  });

  it("pages by offset and limit, echoing both and keeping total the full count", async () => {
    const all = em.data().projects[0].instances[0].restorableInstances;
    const r = await getWithToken(em, ddmPath("restorable-instances", "offset=1&limit=2"));
    expect(r.status).to.equal(200);
    expect(r.json).to.deep.equal({ instances: all.slice(1, 3), offset: 1, limit: 2, total: all.length });
    const w = await getWithToken(em, ddmPath("restorable-time-interval", "offset=2&limit=1"));
    const windows = em.data().projects[0].instances[0].restoreWindows;
    expect(w.json).to.deep.equal({
      restorable_time_intervals: windows.slice(2, 3),
      offset: 2,
      limit: 1,
      total: 3,
    });
  });

  it("answers an offset past the end with an empty page and the full total", async () => {
    const r = await getWithToken(em, ddmPath("restorable-instances", "offset=500&limit=128"));
    expect(r.status).to.equal(200);
    expect(r.json).to.deep.equal({ instances: [], offset: 500, limit: 128, total: 5 });
  });

  it("answers an instance with nothing restorable with empty lists and total 0", async () => {
    const empty = "5e7a9c1b3d5f4e6a8b0c2d4e6f8a0b1cin09";
    const a = await getWithToken(em, ddmPath("restorable-instances", "", PROJECT, empty));
    const b = await getWithToken(em, ddmPath("restorable-time-interval", "", PROJECT, empty));
    expect(a.json).to.deep.equal({ instances: [], offset: 0, limit: 10, total: 0 });
    expect(b.json).to.deep.equal({ restorable_time_intervals: [], offset: 0, limit: 10, total: 0 });
  });

  it("serves every project of the fixture, not only the credentials' one", async () => {
    const r = await getWithToken(
      em,
      ddmPath(
        "restorable-instances",
        "",
        "0b5e6c2a9d8f4e7a8c1b2d3e4f5a6b7c",
        "9a8b7c6d5e4f40312a1b2c3d4e5f6a7bin09",
      ),
    );
    expect(r.status).to.equal(200);
    expect((r.json as { total: number }).total).to.equal(1);
  });

  const badQueries = [
    "offset=-1",
    "offset=abc",
    "offset=1.5",
    "offset=",
    "offset=1e3",
    "offset=%201",
    "limit=0",
    "limit=129",
    "limit=abc",
    "limit=-5",
    "limit=",
    "limit=10.0",
    "offset=1&offset=2",
    "limit=5&limit=6",
  ];
  for (const what of ["restorable-instances", "restorable-time-interval"] as const) {
    for (const q of badQueries) {
      it(`answers 400 DBS.280001 "Parameter error." to ${what}?${q}`, async () => {
        const r = await getWithToken(em, ddmPath(what, q));
        expect(r.status).to.equal(400);
        expect(r.json).to.deep.equal(PARAMETER_ERROR);
      });
    }
  }

  it("accepts the bounds limit=1, limit=128 and offset=0", async () => {
    for (const q of ["limit=1", "limit=128", "offset=0&limit=128"]) {
      const r = await getWithToken(em, ddmPath("restorable-instances", q));
      expect(r.status, q).to.equal(200);
    }
  });

  it("answers 404 DBS.280213 for an unknown project and 404 DBS.280214 for an unknown instance, on both routes", async () => {
    for (const what of ["restorable-instances", "restorable-time-interval"] as const) {
      const p = await getWithToken(em, ddmPath(what, "", "00000000000000000000000000000000", SOURCE));
      expect(p.status).to.equal(404);
      expect(p.json).to.deep.equal({ error_code: "DBS.280213", error_msg: "Project not found." });
      const i = await getWithToken(em, ddmPath(what, "", PROJECT, "ffffffffffffffffffffffffffffffffin09"));
      expect(i.status).to.equal(404);
      expect(i.json).to.deep.equal({ error_code: "DBS.280214", error_msg: "Instance not found." });
    }
  });

  it("answers 404 APIGW.0101 for unknown paths, with the request id in the body", async () => {
    for (const path of [
      "/",
      "/v3",
      "/v2/x",
      `/v3/${PROJECT}/instances/${SOURCE}/backups`,
      `/v3/${PROJECT}/instances/${SOURCE}/backups/restorable-instances/`,
      `/v3/${PROJECT}/instances/${SOURCE}/backups/other`,
      `/v3//instances/${SOURCE}/backups/restorable-instances`,
      "/v3/%E0%A4%A/instances/x/backups/restorable-instances",
    ]) {
      const r = await getWithToken(em, path);
      expect(r.status, path).to.equal(404);
      const body = r.json as Record<string, string>;
      expect(body.error_code).to.equal("APIGW.0101");
      expect(body.request_id).to.equal(r.headers["x-request-id"]);
    }
  });

  it("answers 405 with Allow for a known path and the wrong method", async () => {
    for (const [method, path, allow] of [
      ["POST", ddmPath("restorable-instances"), "GET"],
      ["DELETE", ddmPath("restorable-time-interval"), "GET"],
      ["GET", "/v3/auth/tokens", "POST"],
      ["PUT", "/v3/projects", "GET"],
    ] as const) {
      const r = await request(em.url + path, { method, headers: { "X-Auth-Token": em.credentials.token } });
      expect(r.status, `${method} ${path}`).to.equal(405);
      expect(r.headers.allow).to.equal(allow);
      expect((r.json as Record<string, string>).error_code).to.equal("APIGW.0101");
    }
  });

  it("puts a unique 32-hex X-Request-Id on every response, errors included", async () => {
    const replies = await Promise.all([
      getWithToken(em, ddmPath("restorable-instances")),
      getWithToken(em, ddmPath("restorable-instances", "limit=0")),
      getWithToken(em, ddmPath("restorable-instances"), "wrong-token"),
      getWithToken(em, "/nowhere"),
      request(`${em.url}/v3/auth/tokens`),
      request(`${em.url}/v3/auth/tokens`, { method: "POST", body: "{}" }),
      ...Array.from({ length: 10 }, () => getWithToken(em, ddmPath("restorable-time-interval"))),
    ]);
    const ids = replies.map((r) => r.headers["x-request-id"]);
    for (const id of ids) expect(id).to.match(/^[0-9a-f]{32}$/);
    expect(new Set(ids).size).to.equal(ids.length);
    expect(replies.map((r) => r.status).slice(0, 6)).to.deep.equal([200, 400, 401, 404, 405, 400]);
  });

  it("answers a request node:http cannot parse with a bare 400 that still carries an X-Request-Id", async () => {
    const raw = (bytes: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = net.connect(em.port, "127.0.0.1", () => socket.end(bytes));
        let text = "";
        socket.setEncoding("latin1");
        socket.on("data", (c: string) => (text += c));
        socket.on("error", reject);
        socket.on("close", () => resolve(text));
      });
    const answers = await Promise.all([
      raw("garbage\r\n\r\n"),
      raw("GET / HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n"),
    ]);
    const ids: string[] = [];
    for (const text of answers) {
      const [head, body] = text.split("\r\n\r\n");
      const lines = head.split("\r\n");
      expect(lines[0]).to.equal("HTTP/1.1 400 Bad Request");
      const id = lines.find((l) => /^x-request-id:/i.test(l));
      expect(id, head).to.match(/^X-Request-Id: [0-9a-f]{32}$/);
      ids.push(id as string);
      expect(body).to.equal("");
    }
    expect(ids[0]).to.not.equal(ids[1]);
  });
});

describe("emulator: generated data", () => {
  let em: Emulator;

  before(async () => {
    em = await startEmulator({ data: generateFixture({ instances: 300, windows: 130, seed: 7 }) });
  });
  after(async () => {
    await em.close();
  });

  it("walks 300 instances in pages of 128: three pages, every record once, in order", async () => {
    const expected = em.data().projects[0].instances[0].restorableInstances;
    const seen: unknown[] = [];
    const totals: number[] = [];
    for (let offset = 0; offset < 300; offset += 128) {
      const r = await getWithToken(em, ddmPath("restorable-instances", `offset=${offset}&limit=128`));
      const body = r.json as { instances: unknown[]; total: number };
      totals.push(body.total);
      seen.push(...body.instances);
    }
    expect(totals).to.deep.equal([300, 300, 300]);
    expect(seen).to.deep.equal(expected);
    expect(em.stats().byRoute["restorable-instances"]).to.equal(3);
  });

  it("serves 130 windows whose pages join into ascending, non-overlapping windows", async () => {
    const a = await getWithToken(em, ddmPath("restorable-time-interval", "offset=0&limit=128"));
    const b = await getWithToken(em, ddmPath("restorable-time-interval", "offset=128&limit=128"));
    const windows = [
      ...(a.json as { restorable_time_intervals: { start_time: string; end_time: string }[] })
        .restorable_time_intervals,
      ...(b.json as { restorable_time_intervals: { start_time: string; end_time: string }[] })
        .restorable_time_intervals,
    ];
    expect(windows).to.have.length(130);
    let previousEnd = -Infinity;
    for (const w of windows) {
      const start = tryParseApiTime(w.start_time) as number;
      const end = tryParseApiTime(w.end_time) as number;
      expect(start).to.be.greaterThan(previousEnd);
      expect(end).to.be.greaterThan(start);
      previousEnd = end;
    }
  });

  it("setData replaces what is served", async () => {
    em.setData(generateFixture({ instances: 3, windows: 1 }));
    const r = await getWithToken(em, ddmPath("restorable-instances"));
    expect((r.json as { total: number }).total).to.equal(3);
  });
});
