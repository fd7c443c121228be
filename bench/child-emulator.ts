/**
 * Run by the benchmark with `fork`: the emulator in a process of its own, so that its work
 * (routing, JSON, latency timers) never shares an event loop with the code being measured.
 * Started with one JSON argument `{instances, windows, faults}`; answers IPC requests
 * `{id, op: "stats" | "reset" | "faults" | "close", faults?}` with `{id, result}`.
 */
import { FaultSpec, generateFixture, startEmulator } from "../emulator";

interface Spec {
  instances: number;
  windows: number;
  faults: FaultSpec[];
}

interface Request {
  id: number;
  op: "stats" | "reset" | "faults" | "close";
  faults?: FaultSpec[];
}

async function main(): Promise<void> {
  const send = process.send?.bind(process);
  if (!send) throw new Error("child-emulator must be started with an IPC channel (fork)");
  const spec = JSON.parse(process.argv[2] ?? "{}") as Spec;
  const em = await startEmulator({
    data: generateFixture({ instances: spec.instances, windows: spec.windows }),
    faults: spec.faults ?? [],
  });
  const stop = () => void em.close().then(() => process.exit(0));
  // The benchmark went away: do not outlive it.
  process.on("disconnect", stop);
  process.on("message", (m: Request) => {
    const reply = (result: unknown) => send({ id: m.id, result });
    switch (m.op) {
      case "stats":
        reply(em.stats());
        break;
      case "reset":
        em.resetStats();
        reply(null);
        break;
      case "faults":
        em.setFaults(m.faults ?? []);
        reply(null);
        break;
      case "close":
        void em.close().then(() => {
          reply(null);
          process.disconnect();
          process.exit(0);
        });
        break;
    }
  });
  send({ type: "ready", url: em.url, iamUrl: em.iamUrl, credentials: em.credentials });
}

main().catch((e: unknown) => {
  process.stderr.write(`child-emulator: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
