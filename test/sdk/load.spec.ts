/**
 * What `import * as hwddm from "pulumi-hwddm"` costs a program: the SDK loads `@pulumi/pulumi`
 * and its own thin modules (sdk/nodejs), nothing of this repository's root package; and
 * `hwddm/dynamic` loads nothing of the HTTP core (axios, zod, the client, the function
 * registry) until a dynamic resource actually runs (its methods require the core in their bodies).
 */
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as path from "path";
import { packageRoot } from "../../provider/plugin/package";

/** The files a fresh Node process has loaded after `require(request)`, relative to the repo. */
function loadedBy(request: string): string[] {
  const script =
    `require(${JSON.stringify(request)});` +
    "process.stdout.write(JSON.stringify(Object.keys(require.cache)));";
  // Run from the repo root: `pulumi-hwddm` is the workspace's sdk/nodejs, `hwddm/...` this package.
  const r = spawnSync(process.execPath, ["-e", script], {
    cwd: packageRoot(),
    encoding: "utf8",
    timeout: 60_000,
  });
  expect(r.status, r.stderr).to.equal(0);
  return (JSON.parse(r.stdout) as string[]).map((f) => path.relative(packageRoot(), f));
}

// `node_modules` may be a link to another checkout's (a git worktree), so a loaded file's path
// relative to the repo can be `../main/node_modules/axios/...`: match the segment anywhere.
const HTTP_CORE = [
  /(?:^|\/)node_modules\/axios\//,
  /(?:^|\/)node_modules\/zod\//,
  /^dist\/provider\/client\.js$/,
  /^dist\/provider\/contract\.js$/,
  /^dist\/provider\/functions\/index\.js$/,
];

describe("sdk: what importing pulumi-hwddm loads", function () {
  this.timeout(60_000);

  it("only the SDK's own files and @pulumi/pulumi's tree", () => {
    const files = loadedBy("pulumi-hwddm");
    expect(files, "the SDK itself is loaded").to.include(path.join("sdk", "nodejs", "bin", "index.js"));
    expect(
      files.filter((f) => !f.startsWith("sdk/nodejs/bin/") && !/(?:^|\/)node_modules\//.test(f)),
    ).to.deep.equal([]);
    expect(files.filter((f) => HTTP_CORE.some((re) => re.test(f)))).to.deep.equal([]);
  });

  it("hwddm/dynamic loads none of the HTTP core until a dynamic resource runs", () => {
    const files = loadedBy("hwddm/dynamic");
    expect(files).to.include("dist/dynamic/index.js");
    expect(files.filter((f) => HTTP_CORE.some((re) => re.test(f)))).to.deep.equal([]);
  });

  it("while the core itself does load them, so the checks above can fail", () => {
    const files = loadedBy("./dist/provider");
    // zod is the exception: the core loads it only to describe a refused body (contract.ts).
    for (const re of HTTP_CORE.filter((re) => !re.test("node_modules/zod/")))
      expect(
        files.some((f) => re.test(f)),
        String(re),
      ).to.equal(true);
  });
});
