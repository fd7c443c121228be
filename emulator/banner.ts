/**
 * What `hwddm emulator` (and its alias `hwddm-emulator`) prints at start. The command line
 * itself is the CLI's `emulator` command (cli/commands/emulator.ts, commander): there is one
 * parser for both names.
 */
import { ENV_NAMES } from "../provider/config";
import { emulatorEnv } from "./env";
import { FaultSpec } from "./faults";
import { formatFaultSpec } from "./fault-text";
import type { Emulator } from "./types";

/** `export A=1 B=2` for the variables of `mode` that the token mode does not set. */
function switchTo(token: Record<string, string>, other: Record<string, string>): string {
  return Object.entries(other)
    .filter(([k]) => !(k in token))
    .map(([k, v]) => `${k}=${v}`)
    .join(" ");
}

/**
 * The lines printed at start: the URL, `export` lines for the token mode (and, commented, for
 * AK/SK and password), the faults in force and the example instance ids. The credentials are
 * the emulator's own fake fixture values; printing them is intended. Variable names come from
 * the core's `ENV_NAMES` (through `emulatorEnv`).
 */
export function emulatorBanner(
  emulator: Pick<Emulator, "url" | "iamUrl" | "credentials" | "data">,
  faults: readonly FaultSpec[] = [],
): string[] {
  const token = emulatorEnv(emulator, "token");
  const aksk = emulatorEnv(emulator, "aksk");
  const pw = emulatorEnv(emulator, "password");
  const unsetToken = `unset ${ENV_NAMES.authToken[0]}`;
  const data = emulator.data();
  const project = data.projects.find((p) => p.id === emulator.credentials.projectId);
  const lines = [
    `hwddm emulator (DDM + IAM) listening on ${emulator.url}`,
    `# Point the client at it (fake credentials from the emulator's fixture):`,
    ...Object.entries(token).map(([k, v]) => `export ${k}=${v}`),
    `# AK/SK instead of the token: ${unsetToken}; export ${switchTo(token, aksk)}`,
    `# IAM password instead: ${unsetToken}; export ${switchTo(token, pw)}`,
  ];
  if (project && project.instances.length > 0)
    lines.push(`# DDM instances in project ${project.id}: ${project.instances.map((i) => i.id).join(", ")}`);
  if (faults.length > 0) lines.push(`# faults: ${faults.map((f) => formatFaultSpec(f)).join(" ")}`);
  lines.push("# Ctrl-C stops it.");
  return lines;
}
