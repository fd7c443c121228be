/**
 * Spec files do not share the process-wide secret registry: test/setup.ts clears it after each
 * file. In a serial run this file comes after errors.spec.ts, which fills the registry to its
 * cap; under --parallel, after whatever its worker ran before.
 */
import { expect } from "chai";
import { redactSecrets, registerSecret } from "../../provider/errors";

const registry = (globalThis as Record<symbol, unknown>)[Symbol.for("pulumi-hwddm.secrets")] as Set<string>;

describe("secret registry: each spec file starts from an empty one", () => {
  it("holds nothing another spec file registered", () => {
    expect([...registry].slice(0, 5), `${registry.size} secret(s) left by earlier spec files`).to.deep.equal(
      [],
    );
  });

  it("redacts what this file registers", () => {
    registerSecret("registry-reset-spec-Vb61");
    expect(redactSecrets("a registry-reset-spec-Vb61 b")).to.equal("a [REDACTED] b");
  });
});
