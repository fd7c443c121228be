/**
 * The README is the first thing a user runs. Every command in it is exercised here, and a
 * command this spec does not know how to exercise fails it, so a new README command cannot go
 * untested. `pulumi` commands run with the real CLI (`npm run pulumi:install`, or one on PATH),
 * with Pulumi's home and file backend in a temp dir; without a CLI they are counted as skipped
 * and the spec says so.
 */
import { expect } from "chai";
import { ChildProcess, spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { typeCheckSnippets } from "./snippets";
import { findPulumiCli } from "../support/pulumi-cli";
import { ENV_NAMES } from "../../provider/config";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const README = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
const PKG = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
  scripts: Record<string, string>;
};
const PULUMI = findPulumiCli();
const BENCH_SCRIPT = "npm run build && node dist/bench/index.js";
const BENCH_SPEC = path.join(ROOT, "dist", "test", "bench", "bench.spec.js");
const KNOWN_ENV = new Set<string>([
  ...Object.values(ENV_NAMES).flat(),
  "PULUMI_BACKEND_URL",
  "PULUMI_CONFIG_PASSPHRASE",
  "PATH",
]);

/** The bodies of the fenced blocks of one language, in order. */
function fenced(lang: string): string[] {
  const out: string[] = [];
  const re = new RegExp("```" + lang + "\\n([\\s\\S]*?)```", "g");
  for (let m = re.exec(README); m; m = re.exec(README)) out.push(m[1]);
  return out;
}

/** The command lines of a shell block: continuations joined, blank and comment lines dropped. */
function commandLines(block: string): string[] {
  const joined = block.replace(/\\\n\s*/g, " ");
  return joined
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"));
}

/** A clean environment: nothing of the developer's credentials leaks in. */
function baseEnv(): Record<string, string> {
  return { PATH: process.env.PATH ?? "", HOME: os.tmpdir(), NO_COLOR: "1" };
}

interface Emu {
  child: ChildProcess;
  hostPort: string;
}

/** `node bin/hwddm emulator ...` with --port 8080 replaced by a free port; resolves once it listens. */
function startEmulatorCommand(args: string[]): Promise<Emu> {
  const fixed = args.map((a) => (a === "8080" ? "0" : a));
  const child = spawn(process.execPath, [path.join(ROOT, "bin", "hwddm"), ...fixed], {
    env: baseEnv(),
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`emulator did not start: ${out}`)), 10_000);
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /listening on http:\/\/(127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, hostPort: m[1] });
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`emulator exited with ${code}: ${out}`));
    });
  });
}

function stop(emu: Emu): Promise<number | null> {
  return new Promise((resolve) => {
    if (emu.child.exitCode !== null) return resolve(emu.child.exitCode);
    emu.child.once("exit", (code) => resolve(code));
    emu.child.kill("SIGTERM");
  });
}

/** Split a simple shell command into words (double quotes honoured; no expansions needed). */
function words(cmd: string): string[] {
  return (cmd.match(/"[^"]*"|\S+/g) ?? []).map((w) => w.replace(/^"|"$/g, ""));
}

describe("README", function () {
  this.timeout(60_000);
  const emulators: Emu[] = [];
  const tempDirs: string[] = [];
  after(async () => {
    for (const e of emulators) await stop(e);
    for (const d of tempDirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it("has the two quick-start commands first: run the demo against the emulator, run the tests", () => {
    const quick = commandLines(fenced("sh")[0]).map((l) => l.replace(/\s+#.*$/, ""));
    expect(quick).to.deep.equal(["npm ci && npm start", "npm test"]);
    expect(PKG.scripts.start).to.match(/node dist\/examples\/demo\.js$/);
    expect(PKG.scripts.test).to.include("mocha");
  });

  it("runs every shell command it shows, `pulumi` ones with the real CLI", async function () {
    this.timeout(240_000);
    let ran = 0;
    let skipped = 0;
    const pulumiHome = fs.mkdtempSync(path.join(os.tmpdir(), "hwddm-readme-pulumi-"));
    tempDirs.push(pulumiHome);
    for (const block of fenced("sh")) {
      let env = baseEnv();
      let emu: Emu | undefined;
      // A block that sets config without creating a stack runs in a scratch stack of the demo project.
      let cwd = ROOT;
      const stackFile = path.join(ROOT, "Pulumi.demo.yaml");
      const initsDemo = /^pulumi stack (init|select --create) demo/m.test(block);
      if (initsDemo) expect(fs.existsSync(stackFile), `${stackFile} is in the way`).to.equal(false);
      // The by-hand block gets a backend folder nobody made, so it must make it itself.
      const backendDir = path.join(pulumiHome, initsDemo ? "by-hand-backend" : "backend");
      const pulumiEnv = () => ({
        PULUMI_CONFIG_PASSPHRASE: "readme",
        PULUMI_BACKEND_URL: `file://${backendDir}`,
        ...env,
        PULUMI_HOME: pulumiHome,
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      });
      if (!initsDemo) fs.mkdirSync(backendDir, { recursive: true });
      if (PULUMI && /^pulumi config /m.test(block) && !initsDemo) {
        cwd = fs.mkdtempSync(path.join(pulumiHome, "scratch-"));
        fs.copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(cwd, "Pulumi.yaml"));
        const r = spawnSync(PULUMI, ["stack", "init", "readme"], { cwd, env: pulumiEnv(), encoding: "utf8" });
        expect(r.status, r.stderr).to.equal(0);
      }
      try {
        for (const raw of commandLines(block)) {
          const cmd = raw.replace(/\s+#.*$/, "").trim();
          for (const part of cmd.split(/\s*&&\s*/)) {
            const w = words(part).map((x) =>
              x.replace(/\$([A-Z_]+)/g, (_m, name: string) => env[name] ?? ""),
            );
            if (w[0] === "pulumi") {
              if (!PULUMI) {
                skipped++;
                continue;
              }
              const archive = w.find((x) => /^dist\/(plugin|release)\//.test(x));
              if (archive && !fs.existsSync(path.join(ROOT, archive))) {
                const release = archive.startsWith("dist/release/") ? ["--release"] : [];
                const pack = spawnSync(
                  process.execPath,
                  [path.join(ROOT, "scripts", "plugin-pack.js"), ...release],
                  {
                    cwd: ROOT,
                    encoding: "utf8",
                  },
                );
                expect(pack.status, pack.stderr).to.equal(0);
              }
              const r = spawnSync(PULUMI, w.slice(1), {
                cwd,
                env: pulumiEnv(),
                encoding: "utf8",
                timeout: 120_000,
              });
              expect(r.status, `${part}\n${r.stdout}\n${r.stderr}`).to.equal(0);
              if (w[1] === "stack" && w[2] === "select") {
                // Run twice, as a user following the README a second time would.
                const again = spawnSync(PULUMI, w.slice(1), { cwd, env: pulumiEnv(), encoding: "utf8" });
                expect(again.status, `${part}, a second time\n${again.stderr}`).to.equal(0);
              }
              if (w[1] === "preview") expect(r.stdout, part).to.match(/targetInstanceId\s*: "\w+"/);
              ran++;
              continue;
            }
            if (w[0] === "npm") {
              // npm ci / npm test / npm start / npm run X: the script exists; the demo, build and
              // tests themselves are exercised by the examples spec and by running this suite.
              const script = w[1] === "run" ? w[2] : w[1];
              if (script !== "ci")
                expect(PKG.scripts, `package.json script ${script}`).to.have.property(script);
              if (script === "bench") {
                // The bench itself (minutes long) is exercised in quick mode by test/bench/bench.spec.ts.
                expect(PKG.scripts.bench).to.equal(BENCH_SCRIPT);
                expect(fs.existsSync(BENCH_SPEC), `${BENCH_SPEC} exercises npm run bench`).to.equal(true);
              }
              ran++;
            } else if (w[0] === "mkdir" && w[1] === "-p" && w.length === 3) {
              // The folder the exported file backend names: this spec's backend is in its temp dir.
              expect(env.PULUMI_BACKEND_URL ?? "", part).to.equal(`file://${backendDir}`);
              expect(w[2], part).to.equal(".pulumi-local");
              fs.mkdirSync(backendDir, { recursive: true });
              ran++;
            } else if (w[0] === "export") {
              for (const assignment of words(part).slice(1)) {
                const [name, ...rest] = assignment.split("=");
                expect(KNOWN_ENV.has(name), `README exports ${name}, which nothing reads`).to.equal(true);
                // The backend goes to this spec's temp dir, not into the repository.
                const value =
                  name === "PULUMI_BACKEND_URL"
                    ? `file://${backendDir}`
                    : rest
                        .join("=")
                        .replace("$PWD", ROOT)
                        .replace("$PATH", env.PATH ?? "");
                env = { ...env, [name]: emu ? value.replace("127.0.0.1:8080", emu.hostPort) : value };
              }
            } else if (w[0] === "node" && w[1] === "bin/hwddm" && w[2] === "emulator") {
              const background = w[w.length - 1] === "&";
              const started = await startEmulatorCommand(w.slice(2).filter((x) => x !== "&"));
              emulators.push(started);
              if (background) emu = started;
              else expect(await stop(started), part).to.equal(0);
              ran++;
            } else if (w[0] === "node" && (w[1] === "bin/hwddm" || w[1] === "bin/hwddm-emulator")) {
              const r = spawnSync(process.execPath, [path.join(ROOT, w[1]), ...w.slice(2)], {
                env,
                encoding: "utf8",
                timeout: 30_000,
              });
              expect(r.status, `${part}\n${r.stderr}`).to.equal(0);
              expect(r.stdout.trim(), part).to.not.equal("");
              ran++;
            } else {
              expect.fail(`README command not exercised by this spec: ${part}`);
            }
          }
        }
      } finally {
        if (initsDemo) fs.rmSync(stackFile, { force: true });
      }
      if (emu) expect(await stop(emu)).to.equal(0);
    }
    expect(ran).to.be.greaterThan(8);
    if (PULUMI) expect(skipped).to.equal(0);
    else
      console.log(
        `  README: ${skipped} \`pulumi\` command(s) skipped: no Pulumi CLI (\`npm run pulumi:install\`)`,
      );
  });

  it("runs the CI gate's steps against the emulator, as a pipeline would", async () => {
    const ci = fenced("yaml").find((b) => b.includes("check-time"));
    expect(ci, "a CI snippet with check-time").to.be.a("string");
    const steps = [...ci!.matchAll(/run: (.+)/g)].map((m) => m[1].replace(/^npx hwddm /, "node bin/hwddm "));
    expect(steps).to.have.length.greaterThan(1);
    const emu = await startEmulatorCommand(["emulator", "--port", "0"]);
    emulators.push(emu);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "hwddm-readme-"));
    tempDirs.push(tmp);
    const githubEnv = path.join(tmp, "github_env");
    const env = {
      ...baseEnv(),
      HWDDM_ENDPOINT: `http://${emu.hostPort}`,
      HW_AUTH_URL: `http://${emu.hostPort}/v3`,
      HW_REGION_NAME: "ap-southeast-1",
      HW_AUTH_TOKEN: "hwddm-emulator-static-token-NOT-A-REAL-TOKEN",
      SOURCE_INSTANCE_ID: "1f5c9fd6cd984056ba89c8c87cc03278in09",
      RESTORE_TIME: "latest",
      GITHUB_ENV: githubEnv,
    };
    for (const step of steps) {
      const r = spawnSync("bash", ["-c", step], { cwd: ROOT, env, encoding: "utf8", timeout: 30_000 });
      expect(r.status, `${step}\n${r.stderr}`).to.equal(0);
    }
    expect(fs.readFileSync(githubEnv, "utf8")).to.match(/^HWDDM_TARGET_INSTANCE_ID=\S+$/m);
    expect(await stop(emu)).to.equal(0);
  });

  it("shows the Python and Go programs the engine suite runs, verbatim, each once", () => {
    for (const [lang, files] of [
      [
        "python",
        ["test/engine/programs/python/__main__.py", "test/engine/programs/restore-python/__main__.py"],
      ],
      ["go", ["test/engine/programs/go/main.go", "test/engine/programs/restore-go/main.go"]],
    ] as const) {
      const programs = files.map((f) => fs.readFileSync(path.join(ROOT, f), "utf8"));
      expect(fenced(lang), `README's ${lang} blocks are ${files.join(" and ")}, in order`).to.deep.equal(
        programs,
      );
    }
  });

  it("shows only Pulumi YAML that the YAML examples really contain (the restore one for a Restore)", () => {
    const blocks = fenced("yaml").filter((b) => b.includes("fn::invoke"));
    expect(blocks.map((b) => b.includes("hwddm:backup:Restore"))).to.deep.equal([false, true]);
    for (const block of blocks) {
      const dir = block.includes("hwddm:backup:Restore") ? "restore" : "yaml";
      const example = fs.readFileSync(path.join(ROOT, "examples", dir, "Pulumi.yaml"), "utf8");
      const lines = new Set(example.split("\n").map((l) => l.trimEnd()));
      for (const line of block.split("\n").map((l) => l.trimEnd())) {
        if (line) expect(lines.has(line), `examples/${dir}/Pulumi.yaml lacks: ${line}`).to.equal(true);
      }
    }
  });

  it("shows TypeScript that compiles against the real SDK and emulator APIs", () => {
    const snippets = fenced("typescript");
    expect(snippets.length).to.be.greaterThan(1);
    const text = typeCheckSnippets(snippets, path.join(ROOT, "dist", "readme-snippets"));
    expect(text, text).to.equal("");
  });
});
