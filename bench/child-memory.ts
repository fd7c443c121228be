/**
 * Run in a fresh process by the benchmark: fetch every restorable instance of the source
 * instance through the function registry (configured by the environment the benchmark
 * passes: the emulator's endpoint and token) and print the resident set size before loading
 * the core, after loading it, and at its peak during the fetch, in bytes.
 */
const SOURCE = process.argv[2] ?? "1f5c9fd6cd984056ba89c8c87cc03278in09";
const rssStart = process.memoryUsage().rss;

// Loaded here, after the first reading, on purpose.
const core = require("../provider") as typeof import("../provider");

async function main(): Promise<void> {
  const rssLoaded = process.memoryUsage().rss;
  let peakSampled = rssLoaded;
  const sampler = setInterval(() => {
    peakSampled = Math.max(peakSampled, process.memoryUsage().rss);
  }, 2);
  const started = process.hrtime.bigint();
  const result = await core.getRestorableInstances({ instanceId: SOURCE });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  clearInterval(sampler);
  const rssAfter = process.memoryUsage().rss;
  // maxRSS is the kernel's own high-water mark of the process, in KiB.
  const peak = Math.max(peakSampled, rssAfter, process.resourceUsage().maxRSS * 1024);
  process.stdout.write(
    `${JSON.stringify({
      records: result.instances.length,
      total: result.total,
      ms,
      rssStart,
      rssLoaded,
      rssPeak: peak,
      rssAfter,
      heapUsedAfter: process.memoryUsage().heapUsed,
    })}\n`,
  );
  process.exit(0);
}

main().catch((e: unknown) => {
  process.stderr.write(`child-memory: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
