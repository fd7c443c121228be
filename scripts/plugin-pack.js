#!/usr/bin/env node
/**
 * `npm run plugin:pack`: the plugin as Pulumi plugin archives,
 * `dist/plugin/pulumi-resource-hwddm-v{version}-{os}-{arch}.tar.gz`, for
 * `pulumi plugin install resource hwddm {version} --file <archive>`.
 *
 * Self-contained: the plugin and everything it loads (gRPC, protobuf, axios, zod, the core) are
 * bundled with esbuild into one file, so an archive needs no node_modules, only `node` (20.19 or
 * newer) on PATH. Each archive holds:
 *   pulumi-resource-hwddm      a POSIX sh shim: exec node on launch.js beside it
 *   launch.js                  starts the bundle with V8's code cache (provider/plugin/launch.ts)
 *   pulumi-resource-hwddm.js   the bundle
 *   package.json               name and version (the plugin reports this version)
 *   provider/schema.json       the schema GetSchema answers with
 * The bundle is plain JavaScript, so the linux and darwin archives are the same bytes under
 * different names; there is no Windows archive (a Windows engine cannot run the sh shim).
 * Run `npm run build` first (the bundle is made from dist/).
 *
 * `node scripts/plugin-pack.js --bundle`, the last step of `npm run build`, writes only the
 * bundle and its launcher, to dist/plugin-bundle/, where the npm package's bin/pulumi-resource-hwddm runs it.
 *
 * `npm run release:assets` (`--release [dir]`): the same archives into dist/release/ (or `dir`),
 * with `pulumi-hwddm_{version}_checksums.txt` (`sha256sum -c` format): the files of the GitHub
 * release `v{version}` the engine downloads from (the schema's pluginDownloadURL), under the
 * names it asks for.
 */
"use strict";
const { execFileSync } = require("child_process");
const crypto = require("crypto");
const fs = require("fs");
const os = require("os");
const path = require("path");
const esbuild = require("esbuild");

const root = path.resolve(__dirname, "..");
const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
const PLATFORMS = ["linux-amd64", "linux-arm64", "darwin-amd64", "darwin-arm64"];

/** Resolve google-protobuf from the Pulumi stubs' directory: the bundle gets their copy. */
const stubsProtobuf = {
  name: "pulumi-stubs-google-protobuf",
  setup(build) {
    const stubDir = path.dirname(require.resolve("@pulumi/pulumi/proto/provider_pb", { paths: [root] }));
    build.onResolve({ filter: /^google-protobuf(\/|$)/ }, (args) => ({
      path: require.resolve(args.path, { paths: [stubDir] }),
    }));
  },
};

/**
 * grpc-js formats every address it binds with `net.isIPv6`, whose first call compiles Node's
 * large IPv6 regular expression: about 5 ms of every start, before the port. To put brackets
 * around a host, a colon says the same (hosts and IPv4 addresses have none). Should a grpc-js
 * release change that line, the bundle keeps the original and the build says so.
 */
const cheapIpv6Check = {
  name: "grpc-js-address-format",
  setup(build) {
    build.onLoad({ filter: /@grpc[\\/]grpc-js[\\/]build[\\/]src[\\/]subchannel-address\.js$/ }, (args) => {
      const source = fs.readFileSync(args.path, "utf8");
      const from = "if ((0, net_1.isIPv6)(address.host)) {";
      if (!source.includes(from)) {
        return {
          contents: source,
          loader: "js",
          warnings: [{ text: "grpc-js address formatting changed; left as is" }],
        };
      }
      return { contents: source.replace(from, 'if (address.host.includes(":")) {'), loader: "js" };
    });
  },
};

/** The files of an archive. */
const FILES = [
  "pulumi-resource-hwddm",
  "launch.js",
  "pulumi-resource-hwddm.js",
  "package.json",
  "provider/schema.json",
];

/** Starts the bundle with V8's code cache (provider/plugin/launch.ts); copied beside every bundle. */
const LAUNCHER = path.join(root, "dist", "provider", "plugin", "launch.js");

/** Where `npm run build` writes the bundle that `bin/pulumi-resource-hwddm` runs. */
const BUILD_BUNDLE = path.join(root, "dist", "plugin-bundle", "pulumi-resource-hwddm.js");

/**
 * Bundle the plugin (dist/provider/plugin/main.js and everything it loads) into `outfile`:
 * one file of plain JavaScript that needs no node_modules. Both the npm package's
 * `bin/pulumi-resource-hwddm` (through BUILD_BUNDLE) and the archives run this bundle: the
 * engine starts the plugin once per `pulumi preview`/`up`, and one file loads faster than the
 * hundred-odd modules of dist/ and node_modules. Whitespace and syntax are minified,
 * identifiers kept, so a stack trace still names functions.
 */
async function bundlePlugin(outfile) {
  const entry = path.join(root, "dist", "provider", "plugin", "main.js");
  if (!fs.existsSync(entry)) throw new Error("dist/ is missing: run `npm run build` first");
  await esbuild.build({
    stdin: {
      contents: `require(${JSON.stringify(entry)}).run();\n`,
      resolveDir: root,
      sourcefile: "pulumi-resource-hwddm-entry.js",
    },
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    outfile,
    define: { __HWDDM_BUNDLE__: "true" },
    plugins: [stubsProtobuf, cheapIpv6Check],
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: "eof",
    logLevel: "warning",
    // The dist/ branch of provider/plugin/protocol.ts (dead code here) calls require.resolve.
    logOverride: { "require-resolve-not-external": "silent" },
  });
}

/**
 * Write the archive's files into `stage` (an empty directory): what `pulumi plugin install`
 * unpacks. The benchmark starts the plugin from such a directory too.
 */
async function stagePlugin(stage) {
  await bundlePlugin(path.join(stage, "pulumi-resource-hwddm.js"));
  fs.copyFileSync(LAUNCHER, path.join(stage, "launch.js"));
  fs.writeFileSync(
    path.join(stage, "pulumi-resource-hwddm"),
    // The directory from $0 by parameter expansion, not `dirname`: no extra process per start.
    '#!/bin/sh\ncase $0 in */*) dir=${0%/*} ;; *) dir=. ;; esac\nexec node "$dir/launch.js" "$@"\n',
    { mode: 0o755 },
  );
  fs.writeFileSync(
    path.join(stage, "package.json"),
    JSON.stringify({ name: pkg.name, version: pkg.version, license: pkg.license, private: true }, null, 2) +
      "\n",
  );
  fs.mkdirSync(path.join(stage, "provider"));
  fs.copyFileSync(path.join(root, "provider", "schema.json"), path.join(stage, "provider", "schema.json"));
}

/** The release asset name the engine asks for: `pulumi-resource-{name}-v{version}-{os}-{arch}.tar.gz`. */
function archiveName(platform) {
  return `pulumi-resource-hwddm-v${pkg.version}-${platform}.tar.gz`;
}

/** Write one archive per platform into `out`; returns their paths. */
async function writeArchives(out) {
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), "hwddm-plugin-"));
  try {
    await stagePlugin(stage);
    fs.mkdirSync(out, { recursive: true });
    return PLATFORMS.map((platform) => {
      const archive = path.join(out, archiveName(platform));
      // Fixed owner and mtime: the same sources give the same archive.
      execFileSync("tar", ["-czf", archive, "--owner=0", "--group=0", "--mtime=@0", "-C", stage, ...FILES]);
      return archive;
    });
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
}

/** The archives and their checksums file, in `out`: what a GitHub release `v{version}` holds. */
async function writeReleaseAssets(out) {
  const archives = await writeArchives(out);
  const sums = path.join(out, `pulumi-hwddm_${pkg.version}_checksums.txt`);
  const lines = archives.map((a) => {
    const digest = crypto.createHash("sha256").update(fs.readFileSync(a)).digest("hex");
    return `${digest}  ${path.basename(a)}\n`;
  });
  fs.writeFileSync(sums, lines.join(""));
  return [...archives, sums];
}

async function main(argv) {
  const at = argv.indexOf("--release");
  const written =
    at >= 0
      ? await writeReleaseAssets(path.resolve(argv[at + 1] ?? path.join(root, "dist", "release")))
      : await writeArchives(path.join(root, "dist", "plugin"));
  for (const file of written) console.log(path.relative(process.cwd(), file));
}

module.exports = { stagePlugin, bundlePlugin, BUILD_BUNDLE };

if (require.main === module) {
  // `--bundle` (part of `npm run build`): only the bundle bin/pulumi-resource-hwddm runs, and its launcher.
  const job = process.argv.includes("--bundle")
    ? bundlePlugin(BUILD_BUNDLE).then(() =>
        fs.copyFileSync(LAUNCHER, path.join(path.dirname(BUILD_BUNDLE), "launch.js")),
      )
    : main(process.argv.slice(2));
  job.catch((err) => {
    console.error(`plugin:pack: ${err.message}`);
    process.exit(1);
  });
}
