/**
 * Bounded work, as a user sees it on every face: a server claiming `total: 1e9` costs one
 * request (core, CLI, plugin); an invoke ends by its deadline; a gRPC call's deadline stops
 * the work behind it; an aborted call leaves no timer behind; clients release their
 * keep-alive connections when evicted or closed.
 */
import { expect } from "chai";
import { createHook } from "node:async_hooks";
import { spawn } from "node:child_process";
import * as http from "node:http";
import { AddressInfo } from "node:net";
import * as grpc from "@grpc/grpc-js";
import nock from "nock";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import { getRestorableInstances } from "../../provider/functions";
import { DdmClient } from "../../provider/client";
import { NetworkError, RecordCapError } from "../../provider/errors";
import { HwddmProvider, startProviderServer } from "../../provider/plugin/server";
import { toServiceError } from "../../provider/plugin/grpc-errors";
import { fromStruct, toStruct } from "../../provider/plugin/protocol";
import { ResolvedConfig } from "../../provider/types";
import { asInvokeResponse } from "../plugin/helpers";
import { hwddm, waitFor } from "../cli/helpers";
import { FakeClock } from "../support/fake-clock";

const SRC = "1f5c9fd6cd984056ba89c8c87cc03278in09";
const TOKEN_ENV = {
  HW_REGION_NAME: "ap-southeast-1",
  HW_AUTH_TOKEN: "tok-bounded-spec-value",
  HW_PROJECT_ID: "p1",
};

interface Scripted {
  url: string;
  /** Requests received. */
  requests: number;
  /** Requests whose connection closed before an answer was sent. */
  abandoned: number;
  /** Open TCP connections. */
  connections(): Promise<number>;
  close(): Promise<void>;
}

/**
 * A loopback DDM: `answer(offset, limit)` returns the body to send (keep-alive), or
 * undefined to never answer.
 */
async function scripted(answer: (offset: number, limit: number) => unknown): Promise<Scripted> {
  const state = { requests: 0, abandoned: 0 };
  const server = http.createServer((req, res) => {
    state.requests++;
    const q = new URL(req.url ?? "/", "http://x").searchParams;
    const body = answer(Number(q.get("offset") ?? 0), Number(q.get("limit") ?? 10));
    if (body === undefined) {
      res.on("close", () => state.abandoned++);
      return;
    }
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get requests() {
      return state.requests;
    },
    get abandoned() {
      return state.abandoned;
    },
    connections: () => new Promise((r, j) => server.getConnections((e, n) => (e ? j(e) : r(n)))),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** A page of `limit` distinct instances at `offset`, under a claimed `total`. */
function page(total: number) {
  return (offset: number, limit: number) => ({
    offset,
    limit,
    total,
    instances: Array.from({ length: Math.min(limit, Math.max(0, total - offset)) }, (_, i) => ({
      instance_id: `i${offset + i}`,
      instance_name: `n${offset + i}`,
      status: "normal",
      available: true,
      unavailable_reason: "",
      vpc_name: "vpc",
    })),
  });
}

function invokeRequest(args: Record<string, unknown>): provproto.InvokeRequest {
  const req = new provproto.InvokeRequest();
  req.setTok("hwddm:backup:getRestorableInstances");
  req.setArgs(toStruct(args));
  return req;
}

describe("bounded work", () => {
  describe("a server claiming total 1e9", () => {
    let server: Scripted;
    beforeEach(async () => (server = await scripted(page(1e9))));
    afterEach(() => server.close());

    it("costs the core one request and a RecordCapError naming offset/limit", async () => {
      const e = await getRestorableInstances(
        { instanceId: SRC, endpoint: server.url },
        { env: TOKEN_ENV },
      ).catch((x: unknown) => x);
      expect(RecordCapError.isInstance(e), String(e)).to.equal(true);
      expect(String(e)).to.match(/offset and limit/);
      expect(server.requests).to.equal(1);
    });

    it("makes the CLI exit 2 after one request with one short line naming --offset/--limit's remedy", async () => {
      const r = await hwddm(["instances", "--instance-id", SRC, "--endpoint", server.url], TOKEN_ENV);
      expect(r.code).to.equal(2);
      expect(r.stdout).to.equal("");
      expect(r.stderr.length).to.be.below(1000);
      expect(r.stderr).to.match(/offset and limit/);
      expect(server.requests).to.equal(1);
    });

    it("honours --max-records and reads a range by hand with --offset/--limit", async () => {
      const r = await hwddm(
        [
          "instances",
          "--instance-id",
          SRC,
          "--endpoint",
          server.url,
          "--offset",
          "1000",
          "--limit",
          "300",
          "--json",
        ],
        TOKEN_ENV,
      );
      expect(r.code, r.stderr).to.equal(0);
      expect(JSON.parse(r.stdout).instances).to.have.length(300);
      const capped = await hwddm(
        [
          "instances",
          "--instance-id",
          SRC,
          "--endpoint",
          server.url,
          "--limit",
          "300",
          "--max-records",
          "299",
        ],
        TOKEN_ENV,
      );
      expect(capped.code).to.equal(2);
      expect(capped.stderr).to.match(/299/);
    });

    it("fails that one plugin invoke and serves the next", async () => {
      const provider = new HwddmProvider({ env: TOKEN_ENV });
      const err = await provider
        .invoke(invokeRequest({ instanceId: SRC, endpoint: server.url }))
        .catch((x: unknown) => x);
      expect(toServiceError(err).details).to.match(/maxRecords/);
      const ok = await provider.invoke(invokeRequest({ instanceId: SRC, endpoint: server.url, limit: 200 }));
      const result = fromStruct(asInvokeResponse(ok).getReturn()) as { instances: unknown[] };
      expect(result.instances).to.have.length(200);
    });
  });

  describe("deadlines", () => {
    let server: Scripted;
    beforeEach(async () => (server = await scripted(() => undefined)));
    afterEach(() => server.close());

    it("ends an invoke by its deadline (invokeTimeout), whatever the per-request timeout, and says so", async () => {
      // On a fake clock: once the request is in flight, the 50 ms deadline is made to pass.
      const clock = new FakeClock(Date.now());
      const pending = getRestorableInstances(
        { instanceId: SRC, endpoint: server.url },
        {
          env: TOKEN_ENV,
          overrides: { invokeTimeoutMs: 50, now: clock.now, sleep: clock.sleep, timer: clock.timer },
        },
      ).catch((x: unknown) => x);
      await waitFor(() => server.requests === 1);
      // The invoke's deadline comes first; the request's own timeout (30 s) is far behind it.
      expect(clock.timers).to.deep.equal([50, 30_000]);
      clock.advance(50);
      const e = await pending;
      expect(NetworkError.isInstance(e), String(e)).to.equal(true);
      expect((e as NetworkError).errorCode).to.equal("ETIMEDOUT");
      expect(String(e)).to.match(/invokeTimeout/);
      await waitFor(() => server.abandoned === 1);
    });

    it("stops the HTTP request behind a gRPC invoke when the call's deadline passes", async () => {
      const srv = await startProviderServer({ env: TOKEN_ENV });
      const client = new provrpc.ResourceProviderClient(
        `127.0.0.1:${srv.port}`,
        grpc.credentials.createInsecure(),
      ) as unknown as {
        invoke(
          req: provproto.InvokeRequest,
          md: grpc.Metadata,
          opts: grpc.CallOptions,
          cb: (e: grpc.ServiceError | null) => void,
        ): grpc.ClientUnaryCall;
        close(): void;
      };
      try {
        const code = await new Promise<number>((resolve) =>
          client.invoke(
            invokeRequest({ instanceId: SRC, endpoint: server.url }),
            new grpc.Metadata(),
            { deadline: Date.now() + 300 },
            (e) => resolve(e?.code ?? 0),
          ),
        );
        expect(code).to.equal(grpc.status.DEADLINE_EXCEEDED);
        // The request timeout (30 s) is far away: only the call's deadline can have ended it.
        await waitFor(() => server.abandoned === 1);
      } finally {
        client.close();
        await srv.shutdown(100);
      }
    });

    it("stops the HTTP request behind a gRPC invoke the engine cancels", async () => {
      const srv = await startProviderServer({ env: TOKEN_ENV });
      const client = new provrpc.ResourceProviderClient(
        `127.0.0.1:${srv.port}`,
        grpc.credentials.createInsecure(),
      ) as unknown as {
        invoke(req: provproto.InvokeRequest, cb: (e: grpc.ServiceError | null) => void): grpc.ClientUnaryCall;
        close(): void;
      };
      try {
        const done = new Promise<number>((resolve) => {
          const call = client.invoke(invokeRequest({ instanceId: SRC, endpoint: server.url }), (e) =>
            resolve(e?.code ?? 0),
          );
          void waitFor(() => server.requests === 1).then(() => call.cancel());
        });
        expect(await done).to.equal(grpc.status.CANCELLED);
        await waitFor(() => server.abandoned === 1);
      } finally {
        client.close();
        await srv.shutdown(100);
      }
    });
  });

  describe("cancellable retry sleeps", () => {
    afterEach(() => {
      nock.cleanAll();
    });

    /**
     * Timers of `delayMs` created while the watch is on and not yet cleared or fired
     * (async_hooks sees every one; the delay tells the retry sleep from mocha's own timers).
     */
    function timerWatch(delayMs: number) {
      const live = new Set<number>();
      const hook = createHook({
        init(id, type, _trigger, resource) {
          if (type === "Timeout" && (resource as { _idleTimeout?: number })._idleTimeout === delayMs)
            live.add(id);
        },
        destroy(id) {
          live.delete(id);
        },
      }).enable();
      return { live, stop: () => hook.disable() };
    }

    it("an aborted call waiting on Retry-After: 30 leaves no timer behind", async () => {
      const api = "https://ddm.ap-southeast-1.myhuaweicloud.com";
      nock(api)
        .get(/restorable-instances/)
        .reply(429, { error_code: "APIGW.0308" }, { "Retry-After": "30" });
      const config: ResolvedConfig = {
        region: "ap-southeast-1",
        projectId: "p1",
        endpoint: api,
        authUrl: "https://iam.ap-southeast-1.myhuaweicloud.com/v3",
        auth: { mode: "token", token: "tok-sleep-spec-value" },
        maxRetries: 2,
        requestTimeoutMs: 5000,
        insecure: false,
      };
      const lines: string[] = [];
      const client = new DdmClient(config, { log: (l) => lines.push(l) });
      const controller = new AbortController();
      const watch = timerWatch(30_000);
      try {
        const call = client.getJson("/v3/p1/instances/i/backups/restorable-instances", {}, controller.signal);
        call.catch(() => undefined);
        while (!lines.some((l) => /retry 1 of 2 in 30000 ms/.test(l)))
          await new Promise((r) => setImmediate(r));
        expect(watch.live.size, "the 30 s sleep is a live timer").to.equal(1);
        const callTimers = [...watch.live];
        controller.abort();
        const e = await call.catch((x: unknown) => x);
        expect((e as NetworkError).errorCode).to.equal("ABORTED");
        // async_hooks reports a cleared timer's destroy a few turns of the loop later; a timer
        // that is still pending (the old 30 s sleep) never gets there and waitFor gives up.
        await waitFor(() => callTimers.every((id) => !watch.live.has(id)), 2000);
      } finally {
        watch.stop();
        client.close();
      }
    });
  });

  describe("client lifetime", () => {
    // nock (loaded by every spec) reroutes even loopback requests past the agents' connection
    // pools, so the connection counts are taken in a child process that does not load it.
    const CHILD = `
      const http = require("node:http");
      const { DdmClient, clientFor, closeClients } = require(${JSON.stringify(require.resolve("../../provider/client"))});
      const body = JSON.stringify({ offset: 0, limit: 10, total: 0, instances: [] });
      const server = http.createServer((req, res) => { res.writeHead(200, { "Content-Type": "application/json" }); res.end(body); });
      const open = () => new Promise((r) => server.getConnections((e, n) => r(n)));
      const settle = async (want) => { for (let i = 0; i < 400 && (await open()) !== want; i++) await new Promise((r) => setTimeout(r, 5)); return open(); };
      const config = (n) => ({ region: "ap-southeast-1", projectId: "p" + n, endpoint: url, authUrl: "https://iam.invalid/v3",
        auth: { mode: "token", token: "tok-lifetime-spec-value" }, maxRetries: 0, requestTimeoutMs: 5000, insecure: false });
      const get = (c, n) => c.getJson("/v3/p" + n + "/instances/i/backups/restorable-instances", {});
      let url;
      server.listen(0, "127.0.0.1", async () => {
        url = "http://127.0.0.1:" + server.address().port;
        const out = {};
        const a = new DdmClient(config(0));
        await get(a, 0);
        out.afterRequest = await settle(1);
        a.close();
        out.afterClose = await settle(0);
        const overrides = {};
        await get(clientFor(config(0), overrides), 0);
        out.cached = await settle(1);
        for (let n = 1; n <= 64; n++) clientFor(config(n), overrides);
        out.afterEviction = await settle(0);
        await get(clientFor(config(64), overrides), 64);
        out.lastCached = await settle(1);
        closeClients(overrides);
        out.afterCloseClients = await settle(0);
        process.stdout.write(JSON.stringify(out));
        server.close();
      });
    `;

    it("close(), eviction from the client cache and closeClients release the keep-alive connections", async () => {
      const child = spawn(process.execPath, ["-e", CHILD], { stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      let err = "";
      child.stdout.on("data", (d: Buffer) => (out += d.toString()));
      child.stderr.on("data", (d: Buffer) => (err += d.toString()));
      const code = await new Promise<number | null>((r) => child.on("exit", r));
      expect(code, err).to.equal(0);
      expect(JSON.parse(out)).to.deep.equal({
        afterRequest: 1,
        afterClose: 0,
        cached: 1,
        afterEviction: 0,
        lastCached: 1,
        afterCloseClients: 0,
      });
    });
  });
});
