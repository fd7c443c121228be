/**
 * Real `pulumi` runs on a local file backend in a temp dir: the one implementation the demo
 * (`npm start`) and the engine suite (test/engine) share.
 *
 * Every run gets its own `PULUMI_HOME`, backend and passphrase in one temporary directory,
 * update checks, plugin downloads and plugins found on PATH off, and an environment with no
 * Huawei Cloud variable from the machine (so that only what a test sets reaches the provider). Commands are spawned
 * asynchronously (the emulator serving the provider runs in this process), time-boxed, and
 * killed with their whole process group if they outlive the box.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { packageRoot } from "../../provider/plugin/package";

/** Where `npm run pulumi:install` puts the CLI and its language hosts. */
export function installedCliDir(): string {
  return path.join(packageRoot(), ".tools", "pulumi", "bin");
}

/**
 * The Pulumi CLI to run: `HWDDM_PULUMI_CLI` when set (a path, or `none` for no CLI), else the
 * one `npm run pulumi:install` built (`.tools/pulumi/bin`), else the first `pulumi` on PATH,
 * else undefined.
 */
export function findPulumiCli(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const chosen = env.HWDDM_PULUMI_CLI;
  if (chosen === "none") return undefined;
  const exe = process.platform === "win32" ? "pulumi.exe" : "pulumi";
  const dirs = chosen ? [] : [installedCliDir(), ...(env.PATH ?? "").split(path.delimiter).filter(Boolean)];
  for (const candidate of chosen ? [chosen] : dirs.map((dir) => path.join(dir, exe))) {
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  /** Written to the command's stdin (config values go this way, never on a command line). */
  input?: string;
  /** Extra environment for this command. */
  env?: Record<string, string>;
  /** Resolve with a non-zero exit instead of rejecting. */
  allowFailure?: boolean;
  /** Time box, ms (default 120 s: a cold `up` starts Node, the plugin and the engine). */
  timeoutMs?: number;
  /** Called with the command's process id once it is started (to signal it). */
  onSpawn?: (pid: number) => void;
}

const AMBIENT = /^(HW_|HUAWEICLOUD_|HWDDM_|PULUMI_)/;

/** One temporary Pulumi world: home, file backend, passphrase. `close()` removes it all. */
export class EngineWorkspace {
  readonly dir: string;
  readonly home: string;
  readonly backend: string;
  readonly env: Record<string, string>;

  constructor(readonly cli: string) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), "hwddm-engine-"));
    this.home = path.join(this.dir, "home");
    this.backend = path.join(this.dir, "backend");
    fs.mkdirSync(this.home);
    fs.mkdirSync(this.backend);
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !AMBIENT.test(k)) env[k] = v;
    // The CLI's own directory first (its language hosts), then this Node (what the hosts run).
    env.PATH = [path.dirname(cli), path.dirname(process.execPath), env.PATH ?? ""].join(path.delimiter);
    Object.assign(env, {
      PULUMI_HOME: this.home,
      PULUMI_BACKEND_URL: `file://${this.backend}`,
      PULUMI_CONFIG_PASSPHRASE: "hwddm-engine-suite",
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      // No plugin found on PATH can stand in for the one a test means (the CLI's own language
      // hosts, beside it, are still found).
      PULUMI_IGNORE_AMBIENT_PLUGINS: "true",
      PULUMI_SKIP_CONFIRMATIONS: "true",
      NO_COLOR: "1",
    });
    this.env = env;
  }

  /** Run `pulumi <args> --non-interactive`. Rejects (with both streams) on a non-zero exit. */
  pulumi(args: string[], opts: RunOptions = {}): Promise<RunResult> {
    return run(this.cli, [...args, "--non-interactive"], { ...opts, env: { ...this.env, ...opts.env } });
  }

  /**
   * A new stack of the project in `projectDir`, its config in this workspace (never in the
   * project): `stack init` runs in a scratch copy of the project's Pulumi.yaml, writing the
   * stack's encryption salt into the config file every later command gets as `--config-file`.
   */
  async initStack(projectDir: string, stack: string): Promise<EngineStack> {
    const scratch = fs.mkdtempSync(path.join(this.dir, "scratch-"));
    fs.copyFileSync(path.join(projectDir, "Pulumi.yaml"), path.join(scratch, "Pulumi.yaml"));
    await this.pulumi(["stack", "init", stack], { cwd: scratch });
    return new EngineStack(this, projectDir, stack, path.join(scratch, `Pulumi.${stack}.yaml`));
  }

  close(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A stack of one project, driven with `--stack` and `--config-file` from the project directory. */
export class EngineStack {
  constructor(
    readonly ws: EngineWorkspace,
    readonly projectDir: string,
    readonly name: string,
    readonly configFile: string,
  ) {}

  private scoped(args: string[]): string[] {
    return [...args, "--stack", this.name];
  }

  /** `pulumi <args> --stack S --config-file F`, from the project directory. */
  run(args: string[], opts: RunOptions = {}): Promise<RunResult> {
    return this.ws.pulumi([...this.scoped(args), "--config-file", this.configFile], {
      cwd: this.projectDir,
      ...opts,
    });
  }

  /** Commands that take no `--config-file` (stack output, export, destroy's state read). */
  runNoConfig(args: string[], opts: RunOptions = {}): Promise<RunResult> {
    return this.ws.pulumi(this.scoped(args), { cwd: this.projectDir, ...opts });
  }

  /**
   * Set config values: the plain ones in one `config set-all` (a CLI start per key was a
   * minute of the engine suite), each key listed in `secret` with `config set --secret`
   * through stdin, never on a command line.
   */
  async configure(values: Record<string, string>, secret: readonly string[] = []): Promise<void> {
    const plain = Object.entries(values).filter(([key]) => !secret.includes(key));
    if (plain.length > 0)
      await this.run([
        "config",
        "set-all",
        ...plain.flatMap(([key, value]) => ["--plaintext", `${key}=${value}`]),
      ]);
    for (const [key, value] of Object.entries(values)) {
      if (secret.includes(key)) await this.run(["config", "set", key, "--secret"], { input: value });
    }
  }

  async outputs(): Promise<Record<string, unknown>> {
    const r = await this.runNoConfig(["stack", "output", "--json", "--show-secrets"]);
    return JSON.parse(r.stdout) as Record<string, unknown>;
  }

  async exportState(): Promise<string> {
    return (await this.runNoConfig(["stack", "export", "--show-secrets=false"])).stdout;
  }
}

/** Spawn a command in its own process group; time-boxed; output collected. */
export function run(cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: ["pipe", "pipe", "pipe"],
      detached: true,
    });
    if (child.pid !== undefined) opts.onSpawn?.(child.pid);
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const killGroup = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
      } catch {
        // already gone
      }
    };
    const timeoutMs = opts.timeoutMs ?? 120_000;
    const timer = setTimeout(() => {
      killGroup();
      reject(
        new Error(
          `${path.basename(cmd)} ${args.slice(0, 3).join(" ")} outlived ${timeoutMs} ms\n${stdout}\n${stderr}`,
        ),
      );
    }, timeoutMs);
    child.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      // Whatever the command left in its group (a plugin it failed to stop) goes with it.
      killGroup();
      const result = { code: code ?? -1, stdout, stderr };
      if (result.code !== 0 && !opts.allowFailure) {
        reject(
          Object.assign(
            new Error(
              `${path.basename(cmd)} ${args.slice(0, 3).join(" ")} exited ${result.code}\n${stdout}\n${stderr}`,
            ),
            result,
          ),
        );
      } else resolve(result);
    });
    child.stdin.end(opts.input ?? "");
  });
}
