/**
 * The examples harness reaps every plugin it starts, even when a step after the start fails:
 * a plugin whose CheckConfig refuses the provider's inputs, and a process that never prints a
 * port. (Each one left behind used to outlive the test run with parent 1.)
 */
import { expect } from "chai";
import { forwardingMocks, runningPlugins, spawnPlugin } from "../../examples/harness";
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

describe("examples harness: every plugin started is reaped", function () {
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
    const err = await spawnPlugin({
      executable: process.execPath,
      args: ["-e", "console.log('not a port'); setInterval(() => {}, 1000);"],
    }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).to.match(/instead of a port/);
    // The kill is sent before the rejection; the exit arrives a moment later.
    while (runningPlugins().length > 0) await new Promise((r) => setTimeout(r, 10));
    expect(runningPlugins()).to.deep.equal([]);
  });
});
