import { expect } from "chai";
import { ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_CREDENTIALS, Emulator, defaultFixture, loadFixture, startEmulator } from "../../emulator";
import { ValidationError } from "../../provider/errors";
import { hwddm } from "../cli/helpers";
import {
  PROJECT,
  ddmPath,
  getSigned,
  getWithToken,
  issueToken,
  passwordBody,
  request,
  waitFor,
} from "./helpers";

const ROOT = join(__dirname, "..", "..", "..");
const BIN = join(ROOT, "bin", "hwddm-emulator");
const HWDDM = join(ROOT, "bin", "hwddm");

describe("emulator: safety and shutdown", () => {
  it("listens on 127.0.0.1 by default and on another address only when asked", async () => {
    const a = await startEmulator();
    const b = await startEmulator({ host: "127.0.0.2" });
    try {
      expect(a.host).to.equal("127.0.0.1");
      expect(a.url).to.equal(`http://127.0.0.1:${a.port}`);
      expect(a.iamUrl).to.equal(`${a.url}/v3`);
      expect(b.url).to.equal(`http://127.0.0.2:${b.port}`);
      expect((await getWithToken(b, ddmPath("restorable-instances"))).status).to.equal(200);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it("refuses bad options with one ValidationError naming each", async () => {
    let error: unknown;
    try {
      await startEmulator({ port: -1, tokenLifetimeSeconds: 0, host: " ", maxBodyBytes: 1.5 });
    } catch (e) {
      error = e;
    }
    expect(ValidationError.isInstance(error)).to.equal(true);
    expect((error as ValidationError).failures.map((f) => f.property)).to.deep.equal([
      "port",
      "maxBodyBytes",
      "tokenLifetimeSeconds",
      "host",
    ]);
  });

  it("rejects when the port is taken", async () => {
    const a = await startEmulator();
    try {
      let error: NodeJS.ErrnoException | undefined;
      try {
        const b = await startEmulator({ port: a.port });
        await b.close();
      } catch (e) {
        error = e as NodeJS.ErrnoException;
      }
      expect(error?.code).to.equal("EADDRINUSE");
    } finally {
      await a.close();
    }
  });

  describe("request bodies", () => {
    let em: Emulator;
    before(async () => {
      em = await startEmulator({ maxBodyBytes: 1024 });
    });
    after(async () => {
      await em.close();
    });

    it("accepts a body of exactly maxBodyBytes", async () => {
      const body = passwordBody(em).padEnd(1024, " ");
      const r = await issueToken(em, body);
      expect(r.status).to.equal(201);
    });

    it("answers 413 APIGW.0201 to a declared body over maxBodyBytes", async () => {
      const r = await issueToken(em, passwordBody(em).padEnd(1025, " "));
      expect(r.status).to.equal(413);
      expect(r.json).to.deep.include({ error_code: "APIGW.0201", error_msg: "Request entity too large." });
      expect(r.headers["x-request-id"]).to.match(/^[0-9a-f]{32}$/);
    });

    it("answers 413 to a chunked body that grows over maxBodyBytes", async () => {
      const status = await new Promise<number>((resolve, reject) => {
        const req = http.request(
          `${em.iamUrl}/auth/tokens`,
          { method: "POST", agent: false, headers: { "Transfer-Encoding": "chunked" } },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on("error", reject);
        req.write("x".repeat(700));
        req.end("y".repeat(700));
      });
      expect(status).to.equal(413);
    });
  });

  it("close() refuses new connections afterwards and may be called twice", async () => {
    const em = await startEmulator();
    const url = em.url;
    await em.close();
    await em.close();
    let error: NodeJS.ErrnoException | undefined;
    try {
      await request(url + ddmPath("restorable-instances"));
    } catch (e) {
      error = e as NodeJS.ErrnoException;
    }
    expect(error?.code).to.equal("ECONNREFUSED");
  });

  it("close() ends idle keep-alive sockets, stalled and delayed responses: the process can exit by itself", async () => {
    const child = spawn(process.execPath, [join(__dirname, "exit-child.js")], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (err += c.toString()));
    const code = await new Promise<number | string>((resolve) => {
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        resolve("still running 8 s after close()");
      }, 8000);
      child.on("exit", (c) => {
        clearTimeout(timer);
        resolve(c ?? -1);
      });
    });
    expect(err).to.equal("");
    expect(out).to.equal("closed after 3 requests\n");
    expect(code).to.equal(0);
  });
});

describe("emulator: verbose log", () => {
  it("writes one line per request with method, path, status, time and auth mode, and never a credential", async () => {
    const lines: string[] = [];
    const em = await startEmulator({ log: (l) => lines.push(l) });
    try {
      const c = em.credentials;
      await getWithToken(em, ddmPath("restorable-instances", "limit=2"));
      const signed = await getSigned(em, ddmPath("restorable-time-interval"), {
        headers: { "X-Security-Token": c.securityToken, "X-Project-Id": PROJECT },
      });
      expect(signed.status).to.equal(200);
      const issued = await issueToken(em);
      const token = issued.headers["x-subject-token"] as string;
      await getWithToken(em, ddmPath("restorable-instances"), token);
      await getWithToken(em, ddmPath("restorable-instances"), "wrong-token-value-xyz");
      await issueToken(em, passwordBody(em, { password: "wrong-password-value" }));
      await waitFor(() => lines.length === 6);
      expect(lines).to.have.length(6);
      const shape =
        /^\S+Z (GET|POST) \S+ \d{3} [\d.]+ms auth=(token|aksk|iam-token|none|refused) id=[0-9a-f]{32}$/;
      for (const line of lines) expect(line).to.match(shape);
      expect(lines[0]).to.contain(`GET ${ddmPath("restorable-instances", "limit=2")} 200`);
      expect(lines[0]).to.contain("auth=token");
      expect(lines[1]).to.contain("auth=aksk");
      expect(lines[2]).to.contain("POST /v3/auth/tokens 201");
      expect(lines[3]).to.contain("auth=iam-token");
      expect(lines[4]).to.contain("401").and.contain("auth=refused");
      expect(lines[5]).to.contain("POST /v3/auth/tokens 401");
      const all = lines.join("\n");
      for (const secret of [
        c.token,
        c.secretKey,
        c.securityToken,
        c.password,
        token,
        "wrong-token-value-xyz",
        "wrong-password-value",
        "Signature",
        "SDK-HMAC",
      ]) {
        expect(all).to.not.contain(secret);
      }
    } finally {
      await em.close();
    }
  });

  it("logs nothing unless verbose or a log sink is given", async () => {
    const lines: string[] = [];
    const em = await startEmulator({ log: (l) => lines.push(l), verbose: false });
    try {
      await getWithToken(em, ddmPath("restorable-instances"));
      expect(lines).to.deep.equal([]);
    } finally {
      await em.close();
    }
  });

  it("names applied faults and an unanswered request (---)", async () => {
    const lines: string[] = [];
    const em = await startEmulator({ log: (l) => lines.push(l), faults: [{ kind: "reset", times: 1 }] });
    try {
      await getWithToken(em, ddmPath("restorable-instances")).catch(() => undefined);
      await waitFor(() => lines.length === 1);
      expect(lines[0]).to.match(/ --- [\d.]+ms auth=none id=[0-9a-f]{32} faults=reset$/);
    } finally {
      await em.close();
    }
  });
});

describe("emulator: command line (bin/hwddm-emulator, the CLI's emulator command)", () => {
  const children: ChildProcess[] = [];
  let dir: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), "hwddm-emulator-cli-"));
  });
  after(() => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  interface Run {
    child: ChildProcess;
    out: () => string;
    err: () => string;
    exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  }

  function run(file: string, args: string[]): Run {
    const child = spawn(process.execPath, [file, ...args], {
      env: { PATH: process.env.PATH ?? "", NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(child);
    let out = "";
    let err = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (err += c.toString()));
    const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on("exit", (code, signal) => resolve({ code, signal })),
    );
    return { child, out: () => out, err: () => err, exit };
  }

  async function started(r: Run): Promise<string> {
    await waitFor(() => /Ctrl-C stops it/.test(r.out()) || r.child.exitCode !== null, 10_000);
    const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(r.out());
    if (!m) throw new Error(`emulator did not start: ${r.err()}`);
    return m[1];
  }

  it("prints the URL and export lines, serves with its faults, logs with --verbose on stderr and stops on SIGTERM", async () => {
    const r = run(BIN, ["--port", "0", "--fault", "503:times=1", "--verbose"]);
    const url = await started(r);
    const out = r.out();
    expect(out).to.contain(`export HWDDM_ENDPOINT=${url}\n`);
    expect(out).to.contain(`export HW_AUTH_URL=${url}/v3\n`);
    expect(out).to.contain("export HW_REGION_NAME=ap-southeast-1\n");
    expect(out).to.contain(`export HW_PROJECT_ID=${PROJECT}\n`);
    expect(out).to.contain(`export HW_AUTH_TOKEN=${DEFAULT_CREDENTIALS.token}\n`);
    expect(out).to.contain(
      `# AK/SK instead of the token: unset HW_AUTH_TOKEN; export HW_ACCESS_KEY=${DEFAULT_CREDENTIALS.accessKey} HW_SECRET_KEY=`,
    );
    expect(out).to.contain(`HW_PASSWORD=${DEFAULT_CREDENTIALS.password}`);
    expect(out).to.contain("# faults: status:503:times=1\n");
    const headers = { "X-Auth-Token": DEFAULT_CREDENTIALS.token };
    expect((await request(url + ddmPath("restorable-instances"), { headers })).status).to.equal(503);
    expect((await request(url + ddmPath("restorable-instances"), { headers })).status).to.equal(200);
    await waitFor(() => (r.err().match(/ auth=/g) ?? []).length === 2);
    expect(r.out()).to.not.contain(" auth=");
    r.child.kill("SIGTERM");
    const exit = await r.exit;
    expect(exit).to.deep.equal({ code: 0, signal: null });
    expect(r.err()).to.contain("hwddm emulator stopped (SIGTERM)");
  });

  it("stops cleanly on SIGINT too, and serves a --data file", async () => {
    const data = defaultFixture();
    data.projects[0].id = "aaaabbbbccccddddeeeeffff00009999";
    const path = join(dir, "custom.json");
    writeFileSync(path, JSON.stringify(data));
    const r = run(BIN, [`--data=${path}`, "--token-lifetime", "60"]);
    const url = await started(r);
    expect(r.out()).to.contain("export HW_PROJECT_ID=aaaabbbbccccddddeeeeffff00009999\n");
    const reply = await request(
      url + ddmPath("restorable-instances", "", "aaaabbbbccccddddeeeeffff00009999"),
      { headers: { "X-Auth-Token": DEFAULT_CREDENTIALS.token } },
    );
    expect(reply.status).to.equal(200);
    r.child.kill("SIGINT");
    expect(await r.exit).to.deep.equal({ code: 0, signal: null });
    expect(r.err()).to.contain("hwddm emulator stopped (SIGINT)");
  });

  it("-v logs like --verbose and --max-body-bytes caps request bodies (413 above it)", async () => {
    const r = run(BIN, ["-v", "--max-body-bytes", "64"]);
    const url = await started(r);
    const big = await request(`${url}/v3/auth/tokens`, { method: "POST", body: "x".repeat(65) });
    expect(big.status).to.equal(413);
    const small = await request(`${url}/v3/auth/tokens`, { method: "POST", body: "x".repeat(64) });
    expect(small.status).to.equal(400); // read whole, then refused as not JSON
    await waitFor(() => (r.err().match(/POST \/v3\/auth\/tokens/g) ?? []).length === 2);
    expect(r.err()).to.match(/POST \/v3\/auth\/tokens 413 /);
    r.child.kill("SIGTERM");
    expect((await r.exit).code).to.equal(0);
  });

  const usageErrors: [string[], RegExp][] = [
    [["--fault", "bogus"], /^hwddm: invalid --fault: .*unknown fault "bogus"/],
    [["--fault"], /^hwddm: option '--fault <spec>' argument missing/],
    [["--port", "99999"], /^hwddm: invalid --port: expected an integer from 0 to 65535/],
    [["--max-body-bytes", "0"], /^hwddm: invalid --max-body-bytes: expected an integer from 1 /],
    [["--token-lifetime", "soon"], /^hwddm: invalid --token-lifetime: /],
    [
      ["--data", "/nonexistent/fixture.json"],
      /^hwddm: cannot read emulator fixture \/nonexistent\/fixture\.json/,
    ],
    [["--what"], /^hwddm: unknown option '--what'/],
    [["--verbose=yes"], /^hwddm: unknown option '--verbose=yes'/],
  ];
  // The same code path as the bin (`run(["emulator", ...argv])`), in-process: no spawn per case.
  for (const [args, message] of usageErrors) {
    it(`exits 2 with a message for ${args.join(" ")}`, async () => {
      const r = await hwddm(["emulator", ...args], {});
      expect(r.code).to.equal(2);
      expect(r.stderr).to.match(message);
      expect(r.stdout).to.equal("");
    });
  }

  it("the bin itself exits 2 for a usage error, nothing on stdout", async () => {
    const r = run(BIN, ["--fault", "bogus"]);
    expect((await r.exit).code).to.equal(2);
    expect(r.err()).to.match(/^hwddm: invalid --fault: /);
    expect(r.out()).to.equal("");
  });

  it("exits 2 (a configuration problem, as `hwddm emulator` does) when the port is taken", async () => {
    const em = await startEmulator();
    try {
      const r = run(BIN, ["--port", String(em.port)]);
      expect((await r.exit).code).to.equal(2);
      expect(r.err()).to.contain(`cannot listen on 127.0.0.1:${em.port} (EADDRINUSE)`);
      expect(r.out()).to.equal("");
    } finally {
      await em.close();
    }
  });

  it("--print-fixture prints the default fixture as a file --data accepts, and exits 0", async () => {
    const r = run(BIN, ["--print-fixture"]);
    expect((await r.exit).code).to.equal(0);
    const path = join(dir, "printed.json");
    writeFileSync(path, r.out());
    expect(loadFixture(path)).to.deep.equal(defaultFixture());
  });

  it("bin/hwddm-emulator is `hwddm emulator`: the same help, from the same parser", async () => {
    const alias = run(BIN, ["--help"]);
    const cli = run(HWDDM, ["emulator", "--help"]);
    expect((await alias.exit).code).to.equal(0);
    expect((await cli.exit).code).to.equal(0);
    expect(alias.out()).to.match(/^Usage: hwddm emulator \[options\]/);
    expect(alias.out()).to.equal(cli.out());
    for (const flag of ["--max-body-bytes", "--print-fixture", "-v, --verbose", "--token-lifetime"])
      expect(alias.out()).to.contain(flag);
  });
});
