/**
 * The plugin harness (test/support/harness.ts) reaps every plugin it starts, even when a step
 * after the start fails: a plugin whose CheckConfig refuses the provider's inputs, and a process
 * that never prints a port. One left behind would outlive the test run with parent 1.
 */
import { expect } from "chai";
import { forwardingMocks, runningPlugins, spawnPlugin } from "../support/harness";
import { TOKENS } from "../../provider/types";
import { SOURCE } from "../plugin/helpers";

/** Whether a process with this pid exists. */
function exists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("plugin harness: every plugin started is reaped", function () {
  this.timeout(20_000);

  it("forwardingMocks.close() stops a plugin whose provider config CheckConfig refused", async () => {
    const mocks = forwardingMocks({ spawn: () => spawnPlugin({ env: {} }) });
    try {
      await mocks.newResource({
        type: "pulumi:providers:hwddm",
        name: "bad",
        inputs: { region: "Not A Region", maxRetries: 99 },
        custom: true,
      });
      const err = await mocks
        .call({
          token: TOKENS.getRestorableInstances,
          inputs: { instanceId: SOURCE },
          provider: "urn:pulumi:stack::project::pulumi:providers:hwddm::bad::bad-id",
        })
        .then(
          () => undefined,
          (e: Error) => e,
        );
      expect(err?.message).to.match(/provider config is invalid/);
      expect(mocks.plugins).to.have.length(1);
    } finally {
      await mocks.close();
    }
    const pid = mocks.plugins[0].pid;
    expect(runningPlugins()).not.to.include(pid);
    expect(exists(pid), `plugin ${pid} still running`).to.equal(false);
  });

  it("spawnPlugin kills a process that prints something other than a port", async () => {
    const before = new Set(runningPlugins());
    // spawnPlugin registers the child before its first await, so the new pid is visible here.
    const pending = spawnPlugin({
      executable: process.execPath,
      args: ["-e", "console.log('not a port'); setInterval(() => {}, 1000);"],
    });
    const started = runningPlugins().filter((pid) => !before.has(pid));
    expect(started).to.have.length(1);
    const [pid] = started;
    const err = await pending.then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).to.match(/instead of a port/);
    // The kill is sent before the rejection; the exit arrives a moment later. Left alive, the
    // child would run forever (its interval), so the bounded wait ends with it still listed.
    const until = Date.now() + 5_000;
    while (runningPlugins().includes(pid) && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    expect(runningPlugins(), `plugin ${pid} still running`).not.to.include(pid);
    expect(exists(pid), `plugin ${pid} still running`).to.equal(false);
  });
});
