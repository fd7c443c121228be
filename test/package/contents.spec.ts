/**
 * The package stands on its own, in the repository and on npm: the packed tarball holds what
 * its documents link to, a LICENSE that matches `license`, and the repository/homepage/bugs
 * fields; no document in the repository points outside it.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { Packed, ROOT, packOnce, removeScratchAtEnd, run } from "./helpers";

removeScratchAtEnd();

interface Link {
  /** The Markdown file, relative to its root. */
  from: string;
  target: string;
}

/** Markdown without fenced code blocks and inline code (their brackets are not links). */
function prose(markdown: string): string {
  return markdown.replace(/^(```|~~~)[\s\S]*?^\1/gm, "").replace(/`[^`\n]*`/g, "");
}

/** The relative links (and bare `#anchors`) of a Markdown text. */
function relativeLinks(from: string, markdown: string): Link[] {
  const out: Link[] = [];
  const re = /!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)|^\s*\[[^\]]+\]:\s*(\S+)/gm;
  for (let m = re.exec(prose(markdown)); m; m = re.exec(prose(markdown))) {
    const target = m[1] ?? m[2];
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:, ...
    out.push({ from, target });
  }
  return out;
}

/** GitHub's heading anchors of a Markdown text (`## Node.js and \`x\`` → `nodejs-and-x`). */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  const text = markdown.replace(/^(```|~~~)[\s\S]*?^\1/gm, "");
  for (const m of text.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = m[1]
      .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .replace(/\s/g, "-");
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

/**
 * The links of `docs` (Markdown files relative to `root`) that do not resolve to a file (or
 * folder) among `exists`, inside `root`, or to a heading of the Markdown file they name.
 */
function brokenLinks(root: string, docs: string[], exists: (rel: string) => boolean): string[] {
  const problems: string[] = [];
  for (const doc of docs) {
    const text = fs.readFileSync(path.join(root, doc), "utf8");
    for (const link of relativeLinks(doc, text)) {
      const [file, anchor] = link.target.split("#", 2) as [string, string | undefined];
      const rel = file === "" ? doc : path.posix.normalize(path.posix.join(path.posix.dirname(doc), file));
      const where = `${doc}: (${link.target})`;
      if (rel.startsWith("../") || path.posix.isAbsolute(rel)) {
        problems.push(`${where} points outside the package`);
        continue;
      }
      const target = rel.replace(/\/$/, "");
      if (!exists(target)) {
        problems.push(`${where}: ${target} is not there`);
        continue;
      }
      if (anchor !== undefined && target.endsWith(".md")) {
        const known = anchors(fs.readFileSync(path.join(root, target), "utf8"));
        if (!known.has(anchor)) problems.push(`${where}: ${target} has no heading #${anchor}`);
      }
    }
  }
  return problems;
}

/** A path of `files` or a folder holding some of them. */
function inFiles(files: string[]): (rel: string) => boolean {
  const set = new Set(files);
  return (rel) => set.has(rel) || files.some((f) => f.startsWith(`${rel}/`));
}

describe("package: what the npm tarball holds", function () {
  this.timeout(60_000);
  let pkg: Packed;
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as Record<
    string,
    unknown
  >;

  before(() => {
    pkg = packOnce();
  });

  it("ships the documents the README links to, the LICENSE, and every subpath's code and types", () => {
    expect(pkg.files).to.include.members([
      "LICENSE",
      "README.md",
      "docs/api/ddm-restore-v3.md",
      "docs/cli.md",
      "emulator/README.md",
      "provider/schema.json",
      "dist/plugin-bundle/pulumi-resource-hwddm.js",
      "dist/plugin-bundle/launch.js",
      "dist/dynamic/index.js",
      "dist/dynamic/index.d.ts",
      "dist/emulator/index.d.ts",
      "dist/testing/index.js",
      "dist/testing/index.d.ts",
    ]);
    // Test tooling stays out, and so does the SDK (its own package).
    expect(pkg.files.filter((f) => /^dist\/(test|examples|bench|sdk)\/|^sdk\//.test(f))).to.deep.equal([]);
  });

  it("has a LICENSE with the Apache License 2.0 text, matching `license`", () => {
    expect(manifest.license).to.equal("Apache-2.0");
    const text = fs.readFileSync(path.join(pkg.dir, "LICENSE"), "utf8");
    expect(text).to.match(
      /^\s*Apache License\s+Version 2\.0, January 2004\s+http:\/\/www\.apache\.org\/licenses\//,
    );
    expect(text).to.contain("TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION");
    expect(text).to.contain("END OF TERMS AND CONDITIONS");
  });

  it("names its repository, homepage and issue tracker", () => {
    const shipped = JSON.parse(fs.readFileSync(path.join(pkg.dir, "package.json"), "utf8")) as Record<
      string,
      unknown
    >;
    expect(shipped.repository).to.deep.equal({
      type: "git",
      url: "git+https://github.com/pulumi-hwddm/pulumi-hwddm.git",
    });
    expect(shipped.homepage).to.equal("https://github.com/pulumi-hwddm/pulumi-hwddm#readme");
    expect(shipped.bugs).to.deep.equal({ url: "https://github.com/pulumi-hwddm/pulumi-hwddm/issues" });
  });

  it("every relative link in the shipped Markdown resolves inside the tarball (files and headings)", () => {
    const docs = pkg.files.filter((f) => f.endsWith(".md"));
    expect(docs).to.include.members(["README.md", "docs/api/ddm-restore-v3.md", "emulator/README.md"]);
    const count = docs.reduce(
      (n, d) => n + relativeLinks(d, fs.readFileSync(path.join(pkg.dir, d), "utf8")).length,
      0,
    );
    expect(count, "links checked").to.be.greaterThan(5);
    expect(brokenLinks(pkg.dir, docs, inFiles(pkg.files))).to.deep.equal([]);
  });

  it("the link check itself reports a missing file, a missing heading and a link out of the package", () => {
    const dir = fs.mkdtempSync(path.join(ROOT, "dist", "link-check-"));
    try {
      fs.writeFileSync(
        path.join(dir, "A.md"),
        "# A\n## Node.js and `x`\n[ok](#nodejs-and-x) [gone](B.md) [bad](#nope) [out](../../x.md) `[code](C.md)`\n",
      );
      expect(brokenLinks(dir, ["A.md"], inFiles(["A.md"]))).to.deep.equal([
        "A.md: (B.md): B.md is not there",
        "A.md: (#nope): A.md has no heading #nope",
        "A.md: (../../x.md) points outside the package",
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("package: the SDK pulumi-hwddm (sdk/nodejs) as npm packs it", () => {
  let sdk: Packed;
  let manifest: Record<string, unknown>;

  before(() => {
    sdk = packOnce("pulumi-hwddm");
    manifest = JSON.parse(fs.readFileSync(path.join(sdk.dir, "package.json"), "utf8")) as Record<
      string,
      unknown
    >;
  });

  it("ships the compiled SDK, its types and its README; no TypeScript source, no root package file", () => {
    expect(sdk.files).to.include.members([
      "package.json",
      "README.md",
      "bin/index.js",
      "bin/index.d.ts",
      "bin/package.json",
      "bin/backup/getRestorableInstances.js",
      "bin/core/select.js",
    ]);
    expect(sdk.files.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))).to.deep.equal([]);
    expect(sdk.files.filter((f) => /^(dist|cli|emulator|provider|testing)\//.test(f))).to.deep.equal([]);
  });

  it("depends on @pulumi/pulumi alone, with a caret range npm dedupes with the program's copy", () => {
    expect(manifest.name).to.equal("pulumi-hwddm");
    expect(Object.keys(manifest.dependencies as Record<string, string>)).to.deep.equal(["@pulumi/pulumi"]);
    expect((manifest.dependencies as Record<string, string>)["@pulumi/pulumi"]).to.match(/^\^3\.\d+\.\d+$/);
    expect(manifest.peerDependencies).to.equal(undefined);
  });

  it("carries the `pulumi` key the language host reads: resource plugin hwddm, its version and download server", () => {
    const root = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string };
    expect(manifest.version).to.equal(root.version);
    expect(manifest.pulumi).to.deep.equal({
      resource: true,
      name: "hwddm",
      version: root.version,
      server: "github://api.github.com/pulumi-hwddm/pulumi-hwddm",
    });
  });
});

describe("package: no document in the repository points outside it", () => {
  const tracked = run("git", ["ls-files"], ROOT).split("\n").filter(Boolean);

  it("every relative link in the repository's Markdown resolves inside the repository", () => {
    const docs = tracked.filter((f) => f.endsWith(".md"));
    expect(brokenLinks(ROOT, docs, inFiles(tracked))).to.deep.equal([]);
  });

  it("no source, comment or document cites the design notes or API text kept beside the repository", () => {
    // Built from pieces so that this file does not match itself.
    const outside = new RegExp(
      ["\\.\\./", "shared/", "|\\bshared/(api|DESIGN|STYLE)", "|DESIGN\\.md"].join(""),
    );
    const hits = tracked
      .filter((f) => /\.(ts|md|json|ya?ml|mjs)$/.test(f) && f !== "package-lock.json")
      .flatMap((f) =>
        fs
          .readFileSync(path.join(ROOT, f), "utf8")
          .split("\n")
          .map((line, i) => (outside.test(line) ? `${f}:${i + 1}: ${line.trim()}` : ""))
          .filter(Boolean),
      );
    expect(hits).to.deep.equal([]);
  });
});
