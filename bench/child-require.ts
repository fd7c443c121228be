/**
 * Run in a fresh process by the benchmark: `node dist/bench/child-require.js <module>` prints
 * `{"module": ..., "ms": ...}`, the time `require(<module>)` takes in a program that has
 * loaded nothing else. `pulumi-hwddm` resolves to the SDK workspace; the core is given by its file path.
 */
const target = process.argv[2];
if (!target) {
  process.stderr.write("usage: child-require <module>\n");
  process.exit(2);
}
const started = process.hrtime.bigint();
require(target);
const ms = Number(process.hrtime.bigint() - started) / 1e6;
process.stdout.write(`${JSON.stringify({ module: target, ms })}\n`);
process.exit(0);
