/**
 * Exit codes, error lines, `--debug`, secrets, colour and Ctrl-C, in-process against the
 * emulator.
 */
import { expect } from "chai";
import { CommanderError } from "commander";
import { exitCodeFor } from "../../cli/main";
import { Emulator, emulatorEnv, startEmulator } from "../../emulator";
import {
  ApiError,
  ConfigurationError,
  NetworkError,
  ResponseError,
  SelectionError,
  ValidationError,
} from "../../provider/errors";
import { EMPTY_SRC, SRC, hwddm, waitFor } from "./helpers";

describe("cli: exit codes and errors", () => {
  let em: Emulator;
  let env: Record<string, string>;

  before(async () => {
    em = await startEmulator({ port: 0 });
    env = emulatorEnv(em, "token");
  });
  after(async () => {
    await em.close();
  });
  afterEach(() => {
    em.setFaults([]);
    em.resetStats();
  });

  describe("the mapping", () => {
    it("maps each error kind to its documented code (1 no, 2 usage/config, 3 API/network, 4 bug)", () => {
      const request = { method: "GET", path: "/x", attempts: 1 };
      expect(exitCodeFor(new SelectionError("no"))).to.equal(1);
      expect(exitCodeFor(ValidationError.field("offset", -1, "expected >= 0"))).to.equal(2);
      expect(exitCodeFor(new ConfigurationError("region is not set", ["region"]))).to.equal(2);
      expect(exitCodeFor(new CommanderError(1, "commander.unknownOption", "x"))).to.equal(2);
      expect(exitCodeFor(new CommanderError(0, "commander.helpDisplayed", "x"))).to.equal(0);
      expect(exitCodeFor(new ApiError({ status: 500, request }))).to.equal(3);
      expect(exitCodeFor(new NetworkError({ code: "ECONNRESET", detail: "reset", request }))).to.equal(3);
      expect(
        exitCodeFor(new ResponseError({ field: "total", detail: "missing", status: 200, request })),
      ).to.equal(3);
      expect(exitCodeFor(new TypeError("a bug"))).to.equal(4);
    });
  });

  describe("exit 2: usage and configuration", () => {
    const cases: [string, string[], RegExp][] = [
      ["no command", [], /Usage: hwddm/],
      ["an unknown command", ["frobnicate"], /^hwddm: unknown command 'frobnicate'/],
      [
        "a missing --instance-id",
        ["instances"],
        /^hwddm: required option '--instance-id <id>' not specified/,
      ],
      [
        "an unknown flag",
        ["instances", "--instance-id", SRC, "--password", "x"],
        /unknown option '--password'/,
      ],
      [
        "a mistyped --instance-id (the typo is named, not the flag it stands for)",
        ["instances", "--instance", SRC],
        /^hwddm: unknown option '--instance' \(Did you mean --instance-id\?\)/,
      ],
      [
        "--instanceId, the argument's name in Pulumi programs",
        ["restore", "--instanceId", SRC, "--target-instance-id", SRC],
        /^hwddm: unknown option '--instanceId' \(Did you mean --instance-id\?\)/,
      ],
      [
        "a bad --format",
        ["select", "--instance-id", SRC, "--format", "xml"],
        /Allowed choices are text, json, env/,
      ],
      [
        "bad --offset and --limit (both named, from the core's checks)",
        ["instances", "--instance-id", SRC, "--offset", "-1", "--limit", "ten"],
        /^hwddm: invalid input: --offset: got -1; expected an integer >= 0; --limit: got "ten"/,
      ],
      [
        "an id with a slash",
        ["time-intervals", "--instance-id", "a/b"],
        /^hwddm: invalid --instance-id: got "a\/b"/,
      ],
      [
        "a bad --name-regex",
        ["instances", "--instance-id", SRC, "--name-regex", "("],
        /invalid --name-regex/,
      ],
      [
        "bad select criteria (named as their flags)",
        ["select", "--instance-id", SRC, "--name-regex", "[", "--target-instance-id", ""],
        /^hwddm: invalid input: --target-instance-id: got ""; .*--name-regex: got "\["/,
      ],
      [
        "a bad --time",
        ["check-time", "--instance-id", SRC, "--time", "yesterday"],
        /^hwddm: invalid --time: got "yesterday"/,
      ],
      [
        "a bad --margin",
        ["check-time", "--instance-id", SRC, "--time", "latest", "--margin", "soon"],
        /^hwddm: invalid --margin: got "soon"/,
      ],
      [
        "bad --max-retries and --request-timeout",
        ["instances", "--instance-id", SRC, "--max-retries", "99", "--request-timeout", "0"],
        /--max-retries: got "99".*--request-timeout: got "0"/,
      ],
      [
        "a plain-http endpoint that is not loopback",
        ["instances", "--instance-id", SRC, "--endpoint", "http://ddm.example.com"],
        /^hwddm: invalid --endpoint: got "http:\/\/ddm\.example\.com"; plain http:\/\/ is allowed only/,
      ],
    ];
    for (const [what, argv, message] of cases) {
      it(`exits 2 for ${what}, before any request`, async () => {
        const r = await hwddm(argv, env);
        expect(r.code).to.equal(2);
        expect(r.stdout).to.equal("");
        expect(r.stderr).to.match(message);
        expect(r.stderr).to.not.match(/\n\s+at /);
        expect(em.stats().requests).to.equal(0);
      });
    }

    it("names a bad value's source as the flag or the variable it came from (provenance, not rewritten prose)", async () => {
      const flag = await hwddm(
        ["instances", "--instance-id", SRC, "--endpoint", "http://ddm.example.com"],
        env,
      );
      // The flag is named in the message itself ("invalid --endpoint"), so no "(from ...)" follows.
      expect(flag.stderr).to.match(/^hwddm: invalid --endpoint: got "http:\/\/ddm\.example\.com"; [^\n]*\n$/);
      const fromEnv = await hwddm(["instances", "--instance-id", SRC], {
        ...env,
        HWDDM_ENDPOINT: "http://ddm.example.com",
      });
      expect(fromEnv.code).to.equal(2);
      expect(fromEnv.stderr).to.match(/^hwddm: invalid endpoint: .*\(from HWDDM_ENDPOINT\)\n$/);
      expect(em.stats().requests).to.equal(0);
    });

    it("exits 2 when the region is missing, saying where to set it (flag or HW_REGION_NAME)", async () => {
      const r = await hwddm(["instances", "--instance-id", SRC], { ...env, HW_REGION_NAME: "" });
      expect(r.code).to.equal(2);
      expect(r.stderr.trimEnd().split("\n")).to.have.length(1);
      expect(r.stderr).to.equal(
        "hwddm: no region: pass --region or set HW_REGION_NAME (every variable: hwddm --help)\n",
      );
    });

    it("exits 2 when no credentials are in the environment, pointing at the environment", async () => {
      const r = await hwddm(["instances", "--instance-id", SRC], { ...env, HW_AUTH_TOKEN: undefined });
      expect(r.code).to.equal(2);
      // The command line's own names, first and only: no stack config, no provider inputs.
      expect(r.stderr).to.equal(
        "hwddm: no credentials: set HW_AUTH_TOKEN, or HW_ACCESS_KEY and HW_SECRET_KEY, or " +
          "HW_DOMAIN_NAME, HW_USER_NAME and HW_PASSWORD (every variable: hwddm --help)\n",
      );
      expect(r.stderr).to.not.match(/hwddm:region|stack config|provider's/);
      expect(em.stats().requests).to.equal(0);
    });

    it("exits 2 for an incomplete credential set, naming the variable to add and the layer (the core's message)", async () => {
      const r = await hwddm(["instances", "--instance-id", SRC], {
        ...env,
        HW_AUTH_TOKEN: undefined,
        HW_ACCESS_KEY: "AKIDEXAMPLE",
      });
      expect(r.code).to.equal(2);
      expect(r.stderr.trimEnd().split("\n")).to.have.length(1);
      expect(r.stderr).to.match(
        /^hwddm: accessKey is set \(from HW_ACCESS_KEY\) but secretKey is not: .*\$HW_SECRET_KEY/,
      );
    });

    it("--debug adds the core's full configuration message as a detail", async () => {
      const r = await hwddm(["instances", "--instance-id", SRC, "--debug"], { ...env, HW_REGION_NAME: "" });
      expect(r.code).to.equal(2);
      expect(r.stderr.split("\n")[0]).to.equal(
        "hwddm: no region: pass --region or set HW_REGION_NAME (every variable: hwddm --help)",
      );
      expect(r.stderr).to.match(/^ {2}message: region is not set/m);
    });

    it("exits 2 for emulator flags the emulator refuses, named as flags", async () => {
      const port = await hwddm(["emulator", "--port", "http"], {});
      expect(port.code).to.equal(2);
      expect(port.stderr).to.match(/^hwddm: invalid --port: expected an integer from 0 to 65535/);
      const fault = await hwddm(["emulator", "--port", "0", "--fault", "explode"], {});
      expect(fault.code).to.equal(2);
      expect(fault.stderr).to.match(/^hwddm: invalid --fault: "explode": unknown fault/);
      const data = await hwddm(["emulator", "--port", "0", "--data", "/nonexistent/fixture.json"], {});
      expect(data.code).to.equal(2);
      expect(data.stderr).to.match(
        /^hwddm: cannot read emulator fixture \/nonexistent\/fixture\.json: ENOENT/,
      );
      const body = await hwddm(["emulator", "--port", "0", "--max-body-bytes", "lots"], {});
      expect(body.code).to.equal(2);
      expect(body.stderr).to.match(/^hwddm: invalid --max-body-bytes: expected an integer from 1 to /);
      const life = await hwddm(["emulator", "--port", "0", "--token-lifetime", "0"], {});
      expect(life.code).to.equal(2);
      expect(life.stderr).to.match(/^hwddm: invalid --token-lifetime: /);
    });

    it("exits 2 when the emulator's port is taken", async () => {
      const r = await hwddm(["emulator", "--port", String(em.port)], {});
      expect(r.code).to.equal(2);
      expect(r.stderr).to.match(
        /^hwddm: cannot listen on 127\.0\.0\.1:\d+ \(EADDRINUSE\); choose another --port/,
      );
    });
  });

  describe("exit 3: API and network failures", () => {
    it("exits 3 with one line naming status, error_code and request id for an unknown instance (404)", async () => {
      const r = await hwddm(["instances", "--instance-id", "no-such-instance"], env);
      expect(r.code).to.equal(3);
      expect(r.stdout).to.equal("");
      const lines = r.stderr.trimEnd().split("\n");
      expect(lines).to.have.length(1);
      expect(lines[0]).to.match(
        /^hwddm: DDM API GET .*no-such-instance.* failed with HTTP 404, error_code DBS\.280214/,
      );
      expect(lines[0]).to.match(/request id [0-9a-f]+/);
    });

    it("exits 3 for a 500 when retries are exhausted (--max-retries 0: one attempt)", async () => {
      em.setFaults([{ kind: "status", status: 500 }]);
      const r = await hwddm(
        ["check-time", "--instance-id", SRC, "--time", "latest", "--max-retries", "0"],
        env,
      );
      expect(r.code).to.equal(3);
      expect(r.stderr).to.include("HTTP 500");
      expect(em.stats().requests).to.equal(1);
    });

    it("says how many attempts were made when retries run out", async () => {
      em.setFaults([{ kind: "status", status: 503 }]);
      const r = await hwddm(["select", "--instance-id", SRC, "--max-retries", "2"], env);
      expect(r.code).to.equal(3);
      expect(r.stderr).to.include("after 3 attempts");
    });

    it("exits 3 when nothing listens at the endpoint (network error)", async () => {
      const r = await hwddm(
        ["time-intervals", "--instance-id", SRC, "--endpoint", "http://127.0.0.1:1", "--max-retries", "0"],
        env,
      );
      expect(r.code).to.equal(3);
      expect(r.stderr).to.match(/^hwddm: .*network error ECONNREFUSED/);
    });

    it("exits 3 for a malformed response body", async () => {
      em.setFaults([{ kind: "malformed" }]);
      const r = await hwddm(["time-intervals", "--instance-id", SRC, "--max-retries", "0"], env);
      expect(r.code).to.equal(3);
      expect(r.stderr.trimEnd().split("\n")).to.have.length(1);
    });

    it("exits 3 for refused credentials (401)", async () => {
      const r = await hwddm(["instances", "--instance-id", SRC], {
        ...env,
        HW_AUTH_TOKEN: "not-the-emulator-token",
      });
      expect(r.code).to.equal(3);
      expect(r.stderr).to.include("HTTP 401");
    });
  });

  describe("--debug", () => {
    it("adds the error kind, status, error_code, request id, attempts and stack; without it, one line", async () => {
      const plain = await hwddm(["instances", "--instance-id", "no-such-instance"], env);
      expect(plain.stderr.trimEnd().split("\n")).to.have.length(1);
      expect(plain.stderr).to.not.include("stack:");
      const r = await hwddm(["instances", "--instance-id", "no-such-instance", "--debug"], env);
      expect(r.code).to.equal(3);
      expect(r.stderr).to.include("kind: api (ApiError)");
      expect(r.stderr).to.include("status: 404");
      expect(r.stderr).to.include("error_code: DBS.280214");
      expect(r.stderr).to.match(/requestId: [0-9a-f]+/);
      expect(r.stderr).to.include("attempts: 1");
      expect(r.stderr).to.include("stack: at ");
    });

    it("is accepted before the command too, and lists every validation failure", async () => {
      const r = await hwddm(["--debug", "instances", "--instance-id", SRC, "--offset", "-1"], env);
      expect(r.code).to.equal(2);
      expect(r.stderr).to.include("kind: validation (ValidationError)");
      expect(r.stderr).to.include('failures: [{"property":"offset"');
    });
  });

  describe("secrets", () => {
    const secrets = {
      token: "cli-secret-token-7Hq2vX9pL",
      sk: "cli-secret-key-Zr8wQ1mN4b",
      st: "cli-secret-security-token-Yk5",
      password: "cli-secret-password-Pd3sJ7",
    };
    const modes: [string, Record<string, string | undefined>][] = [
      ["token", { HW_AUTH_TOKEN: secrets.token }],
      [
        "AK/SK",
        { HW_ACCESS_KEY: "CLITESTACCESSKEY0001", HW_SECRET_KEY: secrets.sk, HW_SECURITY_TOKEN: secrets.st },
      ],
      ["password", { HW_DOMAIN_NAME: "cli-domain", HW_USER_NAME: "cli-user", HW_PASSWORD: secrets.password }],
    ];
    for (const [mode, creds] of modes) {
      it(`never prints the ${mode} secret on stdout or stderr, in any failing case, with or without --debug`, async () => {
        const base = {
          HWDDM_ENDPOINT: em.url,
          HW_AUTH_URL: em.iamUrl,
          HW_REGION_NAME: em.credentials.region,
          HW_PROJECT_ID: em.credentials.projectId,
          ...creds,
        };
        const runs: [string[], Record<string, string | undefined>][] = [
          [["instances", "--instance-id", SRC], base], // refused by auth (401)
          [["instances", "--instance-id", "no-such-instance"], base],
          [["select", "--instance-id", SRC, "--max-retries", "0"], base],
          [["check-time", "--instance-id", SRC, "--time", "latest"], { ...base, HW_REGION_NAME: "" }],
          [
            [
              "time-intervals",
              "--instance-id",
              SRC,
              "--endpoint",
              "http://127.0.0.1:1",
              "--max-retries",
              "0",
            ],
            base,
          ],
          [["instances", "--instance-id", SRC, "--region", "Not A Region"], base],
        ];
        let output = "";
        for (const [argv, e] of runs) {
          for (const debug of [[], ["--debug"]]) {
            const r = await hwddm([...argv, ...debug], e);
            expect(r.code, `${argv.join(" ")}: ${r.stderr}`).to.be.oneOf([2, 3]);
            output += r.stdout + r.stderr;
          }
        }
        em.setFaults([{ kind: "status", status: 500 }]);
        for (const debug of [[], ["--debug"]]) {
          const r = await hwddm(
            ["time-intervals", "--instance-id", SRC, "--max-retries", "0", ...debug],
            base,
          );
          output += r.stdout + r.stderr;
        }
        // A wrong secret with a stray newline is refused (locally or by the server) without being shown.
        const bad = Object.fromEntries(
          Object.entries(creds).map(([k, v]) => [
            k,
            k.includes("ACCESS_KEY") || k.includes("NAME") ? v : `${v}\n`,
          ]),
        );
        const r = await hwddm(["instances", "--instance-id", SRC, "--debug"], { ...base, ...bad });
        expect(r.code).to.be.oneOf([2, 3]);
        output += r.stdout + r.stderr;
        for (const s of Object.values(secrets)) expect(output).to.not.include(s);
        expect(output.length).to.be.greaterThan(500);
      });
    }
  });

  describe("colour", () => {
    it("uses no escape codes when the streams are not terminals", async () => {
      const ok = await hwddm(["instances", "--instance-id", SRC], env);
      const bad = await hwddm(["instances", "--instance-id", "no-such-instance"], env);
      expect(ok.stdout + bad.stderr).to.not.include("\u001b[");
    });

    it("colours the table header and the error prefix on a terminal", async () => {
      const ok = await hwddm(["instances", "--instance-id", SRC], env, { tty: true });
      expect(ok.stdout.startsWith("\u001b[1mINSTANCE ID")).to.equal(true);
      const bad = await hwddm(["instances", "--instance-id", "no-such-instance"], env, { tty: true });
      expect(bad.stderr.startsWith("\u001b[31mhwddm:\u001b[39m ")).to.equal(true);
    });

    it("uses no colour on a terminal when NO_COLOR is set", async () => {
      const ok = await hwddm(["instances", "--instance-id", SRC], { ...env, NO_COLOR: "1" }, { tty: true });
      const bad = await hwddm(
        ["instances", "--instance-id", "x y"],
        { ...env, NO_COLOR: "1" },
        { tty: true },
      );
      expect(ok.stdout + bad.stderr).to.not.include("\u001b[");
    });
  });

  describe("interrupts", () => {
    it("aborts the in-flight request and exits 130 when the signal is aborted (Ctrl-C)", async () => {
      em.setFaults([{ kind: "stall" }]);
      const controller = new AbortController();
      // The stall lasts past the test's timeout and the request's is 60 s: only the abort ends it.
      const pending = hwddm(["instances", "--instance-id", SRC, "--request-timeout", "60"], env, {
        signal: controller.signal,
      });
      await waitFor(() => em.stats().requests >= 1);
      controller.abort("SIGINT");
      const r = await pending;
      expect(r.code).to.equal(130);
      expect(r.stderr).to.equal("hwddm: interrupted; in-flight requests aborted\n");
    });

    it("select: Ctrl-C aborts both of its queries (the shared controller follows the CLI's signal)", async () => {
      em.setFaults([{ kind: "stall" }]);
      const controller = new AbortController();
      const pending = hwddm(["select", "--instance-id", SRC, "--request-timeout", "60"], env, {
        signal: controller.signal,
      });
      await waitFor(() => em.stats().requests >= 2);
      controller.abort("SIGINT");
      const r = await pending;
      expect(r.code).to.equal(130);
      await waitFor(() => em.stats().byStatus["0"] === 2, 2000);
    });

    it("exits 143 when terminated (SIGTERM)", async () => {
      em.setFaults([{ kind: "stall" }]);
      const controller = new AbortController();
      const pending = hwddm(["check-time", "--instance-id", EMPTY_SRC, "--time", "latest"], env, {
        signal: controller.signal,
      });
      await waitFor(() => em.stats().requests >= 1);
      controller.abort("SIGTERM");
      expect((await pending).code).to.equal(143);
    });
  });
});
