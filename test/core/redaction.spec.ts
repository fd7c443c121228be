/**
 * Secrets are redacted before anything is cut: a gateway that echoes a real-size IAM token
 * (several KB) leaves no piece of it in the core's error, the CLI's output or the plugin's
 * gRPC error. The registry holds credentials and issued tokens only.
 */
import { expect } from "chai";
import * as http from "node:http";
import { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import { getRestorableInstances } from "../../provider/functions";
import { redactSecrets } from "../../provider/errors";
import { HwddmProvider } from "../../provider/plugin/server";
import { toServiceError } from "../../provider/plugin/grpc-errors";
import { toStruct } from "../../provider/plugin/protocol";
import { wrapSecret } from "../../provider/secret-wire";
import { hwddm } from "../cli/helpers";

const SRC = "1f5c9fd6cd984056ba89c8c87cc03278in09";

/** A 3 KB token shaped like a real IAM token (`MII…`, base64). */
function bigToken(): string {
  return "MII" + randomBytes(2400).toString("base64").replace(/[+/=]/g, "x").slice(0, 3000);
}

/** Every 16-character piece of `secret` that occurs in `text`. */
function pieces(text: string, secret: string): string[] {
  const found: string[] = [];
  for (let i = 0; i + 16 <= secret.length; i++) {
    const piece = secret.slice(i, i + 16);
    if (text.includes(piece)) found.push(piece);
  }
  return found;
}

type Echo = (token: string) => { status: number; type: string; body: string };

/** A loopback server that answers every request with `echo(X-Auth-Token)`. */
async function echoServer(echo: Echo): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    const { status, type, body } = echo(String(req.headers["x-auth-token"] ?? ""));
    res.writeHead(status, { "Content-Type": type, Connection: "close" });
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const ECHOES: [string, Echo][] = [
  [
    "in error_msg (JSON, 401)",
    (t) => ({
      status: 401,
      type: "application/json",
      body: JSON.stringify({ error_code: "APIGW.0301", error_msg: `Incorrect token ${t}` }),
    }),
  ],
  [
    "in error_msg at the start",
    (t) => ({
      status: 403,
      type: "application/json",
      body: JSON.stringify({ error_code: "X", error_msg: t }),
    }),
  ],
  ["in a 200 body that is not JSON", (t) => ({ status: 200, type: "text/plain", body: `${t} ok` })],
];

describe("redaction before truncation", () => {
  for (const [name, echo] of ECHOES) {
    describe(`a gateway that echoes a 3 KB token ${name}`, () => {
      let server: { url: string; close: () => Promise<void> };
      let token: string;
      let env: Record<string, string>;
      beforeEach(async () => {
        token = bigToken();
        server = await echoServer(echo);
        env = { HW_REGION_NAME: "ap-southeast-1", HW_AUTH_TOKEN: token, HW_PROJECT_ID: "p1" };
      });
      afterEach(() => server.close());

      it("leaves no 16-character piece of it in the core's error", async () => {
        const err = await getRestorableInstances(
          { instanceId: SRC, endpoint: server.url },
          { env, overrides: { retry: { maxRetries: 0 } } },
        ).then(
          () => expect.fail("expected a failure"),
          (e: unknown) => e as Error,
        );
        const text = `${String(err)} ${err.stack} ${JSON.stringify(err)}`;
        expect(pieces(text, token)).to.deep.equal([]);
        expect(text).to.include("[REDACTED]");
      });

      it("leaves no 16-character piece of it in the CLI's output, with or without --debug", async () => {
        for (const debug of [[], ["--debug"]]) {
          const r = await hwddm(
            [...debug, "instances", "--instance-id", SRC, "--endpoint", server.url, "--max-retries", "0"],
            env,
          );
          expect(r.code).to.equal(3);
          expect(pieces(r.stdout + r.stderr, token)).to.deep.equal([]);
        }
      });

      it("leaves no 16-character piece of it in the plugin's gRPC error", async () => {
        const provider = new HwddmProvider({ env, overrides: { retry: { maxRetries: 0 } } });
        const req = new provproto.InvokeRequest();
        req.setTok("hwddm:backup:getRestorableInstances");
        req.setArgs(toStruct({ instanceId: SRC, endpoint: server.url }));
        const err = await provider.invoke(req).then(
          () => expect.fail("expected a failure"),
          (e: unknown) => e,
        );
        const se = toServiceError(err);
        expect(pieces(`${se.message} ${se.details}`, token)).to.deep.equal([]);
      });
    });
  }

  it("does not register a secret-marked function argument, so the word stays readable", async () => {
    const provider = new HwddmProvider({ env: {} });
    const req = new provproto.InvokeRequest();
    req.setTok("hwddm:backup:getRestorableInstances");
    req.setArgs(toStruct({ instanceId: SRC, status: wrapSecret("normal") }));
    await provider.invoke(req).catch(() => undefined);
    expect(redactSecrets("instance status normal")).to.equal("instance status normal");
  });
});
