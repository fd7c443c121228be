import { expect } from "chai";
import * as http from "node:http";
import {
  Emulator,
  FaultSpec,
  checkFaultSpec,
  formatFaultSpec,
  parseFaultSpec,
  startEmulator,
} from "../../emulator";
import { ValidationError } from "../../provider/errors";
import { Reply, ddmPath, getWithToken, issueToken, request, waitFor } from "./helpers";

describe("emulator: fault spec text form", () => {
  const cases: [string, FaultSpec][] = [
    ["latency:20", { kind: "latency", ms: 20, jitterMs: 0, route: "any", after: 0 }],
    ["latency:20:5", { kind: "latency", ms: 20, jitterMs: 5, route: "any", after: 0 }],
    ["latency:ms=20:jitter=5", { kind: "latency", ms: 20, jitterMs: 5, route: "any", after: 0 }],
    [
      "status:503:times=2",
      {
        kind: "status",
        status: 503,
        errorCode: "APIGW.0202",
        errorMsg: "Backend unavailable.",
        route: "any",
        after: 0,
        times: 2,
      },
    ],
    [
      "500:times=1:route=instances",
      {
        kind: "status",
        status: 500,
        errorCode: "DBS.280005",
        errorMsg: "Server error.",
        route: "restorable-instances",
        after: 0,
        times: 1,
      },
    ],
    [
      "429:retry-after=3",
      {
        kind: "status",
        status: 429,
        errorCode: "APIGW.0308",
        errorMsg: "The throttling threshold has been reached.",
        retryAfterSeconds: 3,
        route: "any",
        after: 0,
      },
    ],
    [
      "throttle",
      {
        kind: "status",
        status: 429,
        errorCode: "APIGW.0308",
        errorMsg: "The throttling threshold has been reached.",
        retryAfterSeconds: 1,
        route: "any",
        after: 0,
      },
    ],
    [
      "409:route=intervals",
      {
        kind: "status",
        status: 409,
        errorCode: "DBS.200019",
        errorMsg: "Another operation is being performed on the instance. Try again later.",
        route: "restorable-time-interval",
        after: 0,
      },
    ],
    [
      "conflict:code=DBS.212033:msg=Busy",
      { kind: "status", status: 409, errorCode: "DBS.212033", errorMsg: "Busy", route: "any", after: 0 },
    ],
    ["reset:times=1", { kind: "reset", route: "any", after: 0, times: 1 }],
    ["stall", { kind: "stall", phase: "headers", route: "any", after: 0 }],
    ["stall:body:route=token", { kind: "stall", phase: "body", route: "iam-token", after: 0 }],
    ["malformed:after=1:times=1", { kind: "malformed", route: "any", after: 1, times: 1 }],
    ["html", { kind: "html", status: 502, route: "any", after: 0 }],
    ["html:504", { kind: "html", status: 504, route: "any", after: 0 }],
    ["shrink", { kind: "shrink", by: 1, route: "any", after: 1 }],
    ["shrink:by=3:after=2", { kind: "shrink", by: 3, route: "any", after: 2 }],
    ["grow:2", { kind: "grow", by: 2, route: "any", after: 1 }],
    ["LATENCY:7:route=PROJECTS", { kind: "latency", ms: 7, jitterMs: 0, route: "iam-projects", after: 0 }],
    [
      "status:409:route=restore:code=DBS.200019:times=1",
      {
        kind: "status",
        status: 409,
        errorCode: "DBS.200019",
        errorMsg: "Another operation is being performed on the instance. Try again later.",
        route: "restore",
        after: 0,
        times: 1,
      },
    ],
    [
      "503:route=jobs:times=2",
      {
        kind: "status",
        status: 503,
        errorCode: "APIGW.0202",
        errorMsg: "Backend unavailable.",
        route: "job",
        after: 0,
        times: 2,
      },
    ],
    ["latency:5:route=related-dn", { kind: "latency", ms: 5, jitterMs: 0, route: "related-dn", after: 0 }],
    ["reset:route=data-node", { kind: "reset", route: "restorable-data-node", after: 0 }],
    [
      "status:409:route=restore:errorCode=DBS.200019:times=1",
      {
        kind: "status",
        status: 409,
        errorCode: "DBS.200019",
        errorMsg: "Another operation is being performed on the instance. Try again later.",
        route: "restore",
        after: 0,
        times: 1,
      },
    ],
    ["job-fail", { kind: "job-fail", reason: "Emulated restore failure.", route: "restore", after: 0 }],
    [
      "job-fail:reason=Disk full.:times=1",
      { kind: "job-fail", reason: "Disk full.", route: "restore", after: 0, times: 1 },
    ],
    ["job-hang", { kind: "job-hang", process: 50, route: "restore", after: 0 }],
    ["job-hang:30:route=recovery", { kind: "job-hang", process: 30, route: "restore", after: 0 }],
    ["lost-answer:times=1", { kind: "lost-answer", route: "restore", after: 0, times: 1 }],
    ["job-vanish:after=2", { kind: "job-vanish", route: "job", after: 2 }],
  ];
  for (const [text, spec] of cases) {
    it(`parses ${JSON.stringify(text)} and formats it back to an equivalent text`, () => {
      const parsed = parseFaultSpec(text);
      expect(parsed).to.deep.equal(spec);
      expect(parseFaultSpec(formatFaultSpec(parsed))).to.deep.equal(spec);
    });
  }

  const bad: [string, RegExp][] = [
    ["", /expected a fault/],
    ["bogus", /unknown fault "bogus"/],
    ["latency", /latency needs milliseconds/],
    ["latency:abc", /ms must be a non-negative integer/],
    ["latency:1:2:3", /unexpected value "3"/],
    ["status", /status needs a code/],
    ["status:200", /status: expected an HTTP status from 400 to 599/],
    ["503:504", /unexpected value "504"/],
    ["503:times=0", /times: expected an integer >= 1/],
    ["503:times=-1", /times must be a non-negative integer/],
    ["reset:route=nowhere", /unknown route "nowhere"/],
    ["shrink:route=token", /shrink applies only to/],
    ["stall:sideways", /phase: expected "headers" or "body"/],
    ["reset:foo=1", /unknown option "foo"/],
    ["job-fail:route=job", /job-fail applies only to route restore/],
    ["lost-answer:route=any", /lost-answer applies only to route restore/],
    ["job-vanish:route=restore", /job-vanish applies only to route job/],
    ["job-hang:100", /process: expected an integer from 0 to 99/],
    ["job-fail:reason=", /reason: expected a non-empty string/],
    ["shrink:route=related-dn", /shrink applies only to/],
  ];
  for (const [text, message] of bad) {
    it(`refuses ${JSON.stringify(text)} with a ValidationError saying what is wrong`, () => {
      let error: unknown;
      try {
        parseFaultSpec(text);
      } catch (e) {
        error = e;
      }
      expect(ValidationError.isInstance(error)).to.equal(true);
      expect((error as ValidationError).message).to.match(message);
    });
  }

  it("checks programmatic specs too", () => {
    expect(() => checkFaultSpec({ kind: "latency", ms: -1 })).to.throw(/ms/);
    expect(() => checkFaultSpec({ kind: "nope" } as unknown as FaultSpec)).to.throw(/unknown fault kind/);
  });
});

describe("emulator: faults", () => {
  let em: Emulator;
  const instances = (): Promise<Reply> => getWithToken(em, ddmPath("restorable-instances"));

  beforeEach(async () => {
    em = await startEmulator();
  });
  afterEach(async () => {
    await em.close();
  });

  it("status 503 twice then success, each counted", async () => {
    em.setFaults([{ kind: "status", status: 503, times: 2 }]);
    const replies = [await instances(), await instances(), await instances()];
    expect(replies.map((r) => r.status)).to.deep.equal([503, 503, 200]);
    expect(replies[0].json).to.deep.include({ error_code: "APIGW.0202", error_msg: "Backend unavailable." });
    const s = em.stats();
    expect(s.requests).to.equal(3);
    expect(s.byRoute["restorable-instances"]).to.equal(3);
    expect(s.faults).to.deep.equal({ "status:503": 2 });
    expect(s.byStatus).to.deep.equal({ "503": 2, "200": 1 });
  });

  it("status 500 answers DBS.280005 Server error.", async () => {
    em.setFaults([{ kind: "status", status: 500, times: 1 }]);
    const r = await instances();
    expect(r.status).to.equal(500);
    expect(r.json).to.deep.equal({ error_code: "DBS.280005", error_msg: "Server error." });
  });

  it("429 carries Retry-After (1 by default, or as given) and APIGW.0308", async () => {
    em.setFaults([parseFaultSpec("429:times=1"), parseFaultSpec("429:retry-after=3:after=1:times=1")]);
    const a = await instances();
    const b = await instances();
    const c = await instances();
    expect([a.status, b.status, c.status]).to.deep.equal([429, 429, 200]);
    expect(a.headers["retry-after"]).to.equal("1");
    expect(b.headers["retry-after"]).to.equal("3");
    expect((a.json as { error_code: string }).error_code).to.equal("APIGW.0308");
    expect(em.stats().faults).to.deep.equal({ "status:429": 2 });
  });

  it("409 answers DBS.200019", async () => {
    em.setFaults([parseFaultSpec("409:times=1")]);
    const r = await instances();
    expect(r.status).to.equal(409);
    expect((r.json as { error_code: string }).error_code).to.equal("DBS.200019");
    expect((await instances()).status).to.equal(200);
  });

  it("targets a route: a fault on restorable-time-interval leaves restorable-instances alone", async () => {
    em.setFaults([{ kind: "status", status: 503, route: "restorable-time-interval" }]);
    expect((await instances()).status).to.equal(200);
    expect((await getWithToken(em, ddmPath("restorable-time-interval"))).status).to.equal(503);
  });

  it("applies only inside its window: after 1, times 1 hits exactly the second request", async () => {
    em.setFaults([{ kind: "status", status: 500, after: 1, times: 1 }]);
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await instances()).status);
    expect(statuses).to.deep.equal([200, 500, 200, 200]);
  });

  it("setFaults replaces the faults and restarts their counts; faults() shows them checked", async () => {
    em.setFaults([{ kind: "status", status: 503, times: 1 }]);
    expect((await instances()).status).to.equal(503);
    expect((await instances()).status).to.equal(200);
    em.setFaults([{ kind: "status", status: 503, times: 1 }]);
    expect((await instances()).status).to.equal(503);
    expect(em.faults()).to.deep.equal([parseFaultSpec("503:times=1")]);
    em.setFaults([]);
    expect((await instances()).status).to.equal(200);
    expect(() => em.setFaults([{ kind: "status", status: 200 }])).to.throw(/status/);
  });

  it("resets the connection without an answer, counted with status 0", async () => {
    em.setFaults([{ kind: "reset", times: 1 }]);
    let error: NodeJS.ErrnoException | undefined;
    try {
      await instances();
    } catch (e) {
      error = e as NodeJS.ErrnoException;
    }
    expect(error?.code ?? error?.message).to.match(/ECONNRESET|socket hang up/);
    await waitFor(() => em.stats().lastRequests[0]?.ms > 0);
    expect(em.stats().faults).to.deep.equal({ reset: 1 });
    expect(em.stats().byStatus).to.deep.equal({ "0": 1 });
    expect((await instances()).status).to.equal(200);
  });

  it("stalls before the headers: the client times out and the next request succeeds", async () => {
    em.setFaults([{ kind: "stall", times: 1 }]);
    let error: Error | undefined;
    try {
      await request(em.url + ddmPath("restorable-instances"), {
        headers: { "X-Auth-Token": em.credentials.token },
        timeoutMs: 20,
      });
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message).to.equal("timeout");
    await waitFor(() => em.stats().byStatus["0"] === 1);
    expect((await instances()).status).to.equal(200);
    expect(em.stats().faults).to.deep.equal({ stall: 1 });
  });

  it("stalls in the body: 200 and headers arrive, the body never ends", async () => {
    em.setFaults([{ kind: "stall", phase: "body", times: 1 }]);
    const got = await new Promise<{ status: number; chunk: string; timedOut: boolean }>((resolve) => {
      const req = http.get(
        em.url + ddmPath("restorable-instances"),
        { headers: { "X-Auth-Token": em.credentials.token }, agent: false },
        (res) => {
          let chunk = "";
          res.on("error", () => undefined);
          // After the first chunk, give the rest 20 ms to arrive (it never does).
          res.once("data", () =>
            setTimeout(() => {
              req.destroy();
              resolve({ status: res.statusCode ?? 0, chunk, timedOut: !res.complete });
            }, 20),
          );
          res.on("data", (c: Buffer) => (chunk += c.toString()));
        },
      );
      req.on("error", () => undefined);
    });
    expect(got.status).to.equal(200);
    expect(got.chunk).to.equal('{"instances":[');
    expect(got.timedOut).to.equal(true);
  });

  it("a stalled response does not keep close() waiting", async () => {
    em.setFaults([{ kind: "stall" }]);
    const pending = request(em.url + ddmPath("restorable-instances"), {
      headers: { "X-Auth-Token": em.credentials.token },
    }).then(
      () => "answered",
      () => "failed",
    );
    await waitFor(() => em.stats().requests === 1);
    // The answer never comes (or comes after a minute): close() settling within the test's
    // timeout is the proof, with no wall clock in the pass condition.
    await em.close();
    expect(await pending).to.equal("failed");
  });

  it("delays by latency (plus jitter) and stacks with a terminal fault", async () => {
    // Real latency is what is measured here: kept small, with generous bounds.
    em.setFaults([
      { kind: "latency", ms: 20, jitterMs: 5 },
      { kind: "status", status: 503, times: 1 },
    ]);
    const t0 = Date.now();
    const r = await instances();
    expect(Date.now() - t0).to.be.at.least(18);
    expect(r.status).to.equal(503);
    const record = em.stats().lastRequests[0];
    expect(record.faults).to.deep.equal(["latency", "status:503"]);
    expect(record.ms).to.be.at.least(19).and.below(2000);
    expect(em.stats().faults).to.deep.equal({ latency: 1, "status:503": 1 });
  });

  it("a delayed response does not keep close() waiting", async () => {
    em.setFaults([{ kind: "latency", ms: 60_000 }]);
    const pending = instances().then(
      () => "answered",
      () => "failed",
    );
    await waitFor(() => em.stats().requests === 1);
    // The answer never comes (or comes after a minute): close() settling within the test's
    // timeout is the proof, with no wall clock in the pass condition.
    await em.close();
    expect(await pending).to.equal("failed");
  });

  it("serves malformed JSON with a JSON content type", async () => {
    em.setFaults([{ kind: "malformed", times: 1 }]);
    const r = await instances();
    expect(r.status).to.equal(200);
    expect(r.headers["content-type"]).to.match(/^application\/json/);
    expect(r.text).to.match(/^\{"instances":\[/);
    expect(r.json).to.equal(undefined);
  });

  it("serves an HTML gateway error page: 502 by default, or the status given", async () => {
    em.setFaults([parseFaultSpec("html:times=1"), parseFaultSpec("html:504:after=1:times=1")]);
    const a = await instances();
    expect(a.status).to.equal(502);
    expect(a.headers["content-type"]).to.equal("text/html");
    expect(a.text).to.contain("<title>502 Bad Gateway</title>");
    expect(a.headers["x-request-id"]).to.match(/^[0-9a-f]{32}$/);
    const b = await instances();
    expect(b.status).to.equal(504);
    expect(b.text).to.contain("504");
    expect(em.stats().faults).to.deep.equal({ html: 2 });
  });

  it("shrinks the list after the first page: total drops and records shift to lower offsets", async () => {
    em.setFaults([{ kind: "shrink" }]);
    const all = em.data().projects[0].instances[0].restorableInstances;
    const first = await getWithToken(em, ddmPath("restorable-instances", "offset=0&limit=2"));
    const second = await getWithToken(em, ddmPath("restorable-instances", "offset=2&limit=2"));
    expect(first.json).to.deep.equal({ instances: all.slice(0, 2), offset: 0, limit: 2, total: 5 });
    expect(second.json).to.deep.equal({ instances: all.slice(3, 5), offset: 2, limit: 2, total: 4 });
    expect(em.stats().faults).to.deep.equal({ shrink: 1 });
  });

  it("grows the windows list after the first page: total rises and a later window appears at the end", async () => {
    em.setFaults([{ kind: "grow", by: 2, route: "restorable-time-interval" }]);
    const first = await getWithToken(em, ddmPath("restorable-time-interval"));
    const second = await getWithToken(em, ddmPath("restorable-time-interval"));
    const a = first.json as { total: number; restorable_time_intervals: { start_time: string }[] };
    const b = second.json as { total: number; restorable_time_intervals: { start_time: string }[] };
    expect(a.total).to.equal(3);
    expect(b.total).to.equal(5);
    expect(b.restorable_time_intervals.slice(0, 3)).to.deep.equal(a.restorable_time_intervals);
    expect(b.restorable_time_intervals[3].start_time > a.restorable_time_intervals[2].start_time).to.equal(
      true,
    );
    // Restorable instances are untouched.
    expect((await instances()).json).to.deep.include({ total: 5 });
  });

  it("applies faults to the IAM routes too", async () => {
    em.setFaults([{ kind: "status", status: 503, route: "iam-token", times: 1 }]);
    expect((await issueToken(em)).status).to.equal(503);
    expect((await issueToken(em)).status).to.equal(201);
    expect(em.stats().byRoute["iam-token"]).to.equal(2);
  });

  it("counts every request per route and status, keeps recent ones by request id, and resetStats zeroes it", async () => {
    const a = await instances();
    await getWithToken(em, ddmPath("restorable-time-interval"));
    await getWithToken(em, "/nowhere");
    await request(em.url + ddmPath("restorable-instances"));
    const s = em.stats();
    expect(s.requests).to.equal(4);
    expect(s.byRoute).to.deep.equal({
      "restorable-instances": 2,
      "restorable-time-interval": 1,
      "iam-token": 0,
      "iam-projects": 0,
      restore: 0,
      "related-dn": 0,
      "restorable-data-node": 0,
      job: 0,
      other: 1,
    });
    expect(s.byStatus).to.deep.equal({ "200": 2, "404": 1, "401": 1 });
    expect(s.authFailures).to.equal(1);
    expect(s.lastRequests.map((r) => r.status)).to.deep.equal([200, 200, 404, 401]);
    expect(s.lastRequests[0]).to.deep.include({
      id: a.headers["x-request-id"],
      method: "GET",
      path: ddmPath("restorable-instances"),
      route: "restorable-instances",
      auth: "token",
    });
    em.resetStats();
    const z = em.stats();
    expect(z.requests).to.equal(0);
    expect(z.lastRequests).to.deep.equal([]);
    expect(z.byRoute["restorable-instances"]).to.equal(0);
  });

  it("takes faults from the start options", async () => {
    await em.close();
    em = await startEmulator({ faults: [parseFaultSpec("503:times=1")] });
    expect((await instances()).status).to.equal(503);
    expect((await instances()).status).to.equal(200);
  });
});
