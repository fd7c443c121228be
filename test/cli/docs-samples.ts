/**
 * docs/cli.md's sample output, generated from a run. A sample is a fenced block whose first
 * line is `$ hwddm <args>`; the rest of the block is what that command prints on stdout
 * against the emulator the README starts (the built-in fixture, token auth). docs.spec.ts
 * fails when a sample differs from a fresh run; to regenerate them after a change:
 *
 *   npm run build && node dist/test/cli/docs-samples.js
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { run } from "../../cli/main";
import { emulatorEnv, startEmulator } from "../../emulator";
import { MemoryStream } from "./helpers";

export const DOC_PATH = path.resolve(__dirname, "..", "..", "..", "docs", "cli.md");

/** A fenced block starting with a `$ hwddm` line: the whole match, the command line and its output. */
const SAMPLE = /^```(\w*)\n\$ hwddm ([^\n]*)\n([\s\S]*?)^```$/gm;

export interface Sample {
  args: string[];
  shown: string;
}

/** The samples of a document, in order. */
export function samples(doc: string): Sample[] {
  return [...doc.matchAll(SAMPLE)].map((m) => ({ args: splitArgs(m[2]), shown: m[3] }));
}

/** Arguments separated by spaces; quotes are not supported (a sample that needs them is refused). */
function splitArgs(line: string): string[] {
  if (/["'\\$`]/.test(line)) throw new Error(`a docs sample must be plain words: ${line}`);
  return line.trim().split(/\s+/);
}

/** Run every sample's command against a fresh default emulator; the document with their real output. */
export async function renderSamples(doc: string): Promise<string> {
  const em = await startEmulator({ port: 0 });
  try {
    const env = emulatorEnv(em, "token");
    const outputs: string[] = [];
    for (const s of samples(doc)) {
      const stdout = new MemoryStream();
      const stderr = new MemoryStream();
      const code = await run(s.args, { stdout, stderr, env });
      if (code !== 0 && code !== 1) {
        throw new Error(`hwddm ${s.args.join(" ")} exited ${code}: ${stderr.text}`);
      }
      outputs.push(stdout.text);
    }
    let i = 0;
    return doc.replace(
      SAMPLE,
      (_all, lang: string, line: string) => `\`\`\`${lang}\n$ hwddm ${line}\n${outputs[i++]}\`\`\``,
    );
  } finally {
    await em.close();
  }
}

if (require.main === module) {
  void (async () => {
    const doc = readFileSync(DOC_PATH, "utf8");
    const fresh = await renderSamples(doc);
    writeFileSync(DOC_PATH, fresh);
    console.log(
      `${DOC_PATH}: ${samples(doc).length} samples ${fresh === doc ? "already current" : "regenerated"}`,
    );
  })();
}
