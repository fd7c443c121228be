/**
 * Run by lifecycle.spec.ts in a child process (not a spec): starts an emulator, leaves an idle
 * keep-alive connection, a stalled response and a long-delayed response open, then closes it.
 * The test asserts that this process then exits by itself, i.e. close() left no handle open.
 */
import * as http from "node:http";
import { startEmulator } from "../../emulator";

async function run(): Promise<void> {
  const em = await startEmulator({
    faults: [
      { kind: "stall", route: "restorable-instances" },
      { kind: "latency", ms: 600_000, route: "restorable-time-interval" },
    ],
  });
  const headers = { "X-Auth-Token": em.credentials.token };
  const agent = new http.Agent({ keepAlive: true });
  await new Promise<void>((resolve, reject) => {
    http
      .get(`${em.url}/v3/projects`, { agent, headers }, (res) => {
        res.resume();
        res.on("end", () => resolve());
      })
      .on("error", reject);
  });
  const base = `${em.url}/v3/${em.credentials.projectId}/instances/1f5c9fd6cd984056ba89c8c87cc03278in09/backups`;
  http.get(`${base}/restorable-instances`, { headers }).on("error", () => undefined);
  http.get(`${base}/restorable-time-interval`, { headers }).on("error", () => undefined);
  while (em.stats().requests < 3) await new Promise((r) => setTimeout(r, 5));
  await em.close();
  process.stdout.write(`closed after ${em.stats().requests} requests\n`);
}

run().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
