/**
 * The stand-in language hosts (tools/pulumi/cmd/pulumi-language-{nodejs,python,go}) keep their
 * own Go tests: Cancel stops the running program, exit 32 is "already reported", and required
 * packages are found where Pulumi's hosts find them. Run here so that `npm test` runs them.
 */
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as path from "path";
import { run } from "../support/pulumi-cli";
import { packageRoot } from "../../provider/plugin/package";

describe("engine: the stand-in language hosts' Go tests (go test in tools/pulumi)", function () {
  this.timeout(600_000);

  it("pass", async function () {
    if (spawnSync("go", ["version"]).status !== 0) {
      if (process.env.HWDDM_REQUIRE_ENGINE === "1")
        throw new Error("HWDDM_REQUIRE_ENGINE=1 but no `go` on PATH");
      console.log("  language host tests skipped: no `go` on PATH");
      return this.skip();
    }
    const r = await run("go", ["test", "./..."], {
      cwd: path.join(packageRoot(), "tools", "pulumi"),
      env: { ...(process.env as Record<string, string>), GOTOOLCHAIN: "local", GOFLAGS: "-mod=readonly" },
      timeoutMs: 540_000,
    });
    expect(r.stdout).to.match(/^ok\s+pulumi-hwddm\/tools\/pulumi\/internal\/langhost/m);
  });
});
