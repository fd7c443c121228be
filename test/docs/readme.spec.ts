/**
 * The README is the first thing a user runs. Every command in it is exercised here, or is
 * marked `# needs the Pulumi CLI` (which these machines lack), and a command this spec does
 * not know how to exercise fails it, so a new README command cannot go untested.
 */
import { expect } from "chai";
import { ChildProcess, spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as ts from "typescript";
import { ENV_NAMES } from "../../provider/config";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const README = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
const PKG = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
  scripts: Record<string, string>;
};
const NEEDS_CLI = "# needs the Pulumi CLI";
const BENCH_SCRIPT = "npm run build && node dist/bench/index.js";
const BENCH_SPEC = path.join(ROOT, "dist", "test", "bench", "bench.spec.js");
const KNOWN_ENV = new Set<string>([
  ...Object.values(ENV_NAMES).flat(),
  "PULUMI_BACKEND_URL",
  "PULUMI_CONFIG_PASSPHRASE",
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

  it("runs every shell command it shows (or marks it as needing the Pulumi CLI)", async () => {
    let ran = 0;
    let skipped = 0;
    for (const block of fenced("sh")) {
      let env = baseEnv();
      let emu: Emu | undefined;
      for (const raw of commandLines(block)) {
        const needsCli = raw.includes(NEEDS_CLI);
        const cmd = raw.replace(/\s+#.*$/, "").trim();
        if (needsCli) {
          expect(cmd, "only pulumi commands may be marked as needing the CLI").to.match(/^pulumi /);
          skipped++;
          continue;
        }
        for (const part of cmd.split(/\s*&&\s*/)) {
          const w = words(part);
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
          } else if (w[0] === "export") {
            for (const assignment of w.slice(1)) {
              const [name, ...rest] = assignment.split("=");
              expect(KNOWN_ENV.has(name), `README exports ${name}, which nothing reads`).to.equal(true);
              const value = rest.join("=").replace("$PWD", ROOT);
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
      if (emu) expect(await stop(emu)).to.equal(0);
    }
    expect(ran).to.be.greaterThan(8);
    expect(skipped).to.be.greaterThan(0);
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

  it("shows only Pulumi YAML that the YAML example really contains", () => {
    const example = fs.readFileSync(path.join(ROOT, "examples", "yaml", "Pulumi.yaml"), "utf8");
    const lines = new Set(example.split("\n").map((l) => l.trim()));
    const block = fenced("yaml").find((b) => b.includes("fn::invoke"));
    expect(block).to.be.a("string");
    for (const line of block!.split("\n").map((l) => l.trim())) {
      if (line) expect(lines.has(line), `examples/yaml/Pulumi.yaml lacks: ${line}`).to.equal(true);
    }
  });

  it("shows TypeScript that compiles against the real SDK and emulator APIs", () => {
    const dir = path.join(ROOT, "dist", "readme-snippets");
    fs.mkdirSync(dir, { recursive: true });
    const files = fenced("typescript").map((code, i) => {
      const file = path.join(dir, `snippet-${i}.ts`);
      fs.writeFileSync(file, `${code}\nexport {};\n`);
      return file;
    });
    expect(files.length).to.be.greaterThan(1);
    const program = ts.createProgram(files, {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ES2022,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      skipLibCheck: true,
      types: ["node"],
      baseUrl: ROOT,
      paths: {
        "pulumi-hwddm": ["sdk/index.ts"],
        "pulumi-hwddm/emulator": ["emulator/index.ts"],
      },
      typeRoots: [path.join(ROOT, "node_modules", "@types")],
    });
    const diagnostics = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file === undefined || files.includes(path.resolve(d.file.fileName)));
    const text = diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n")).join("\n");
    expect(text, text).to.equal("");
  });
});
