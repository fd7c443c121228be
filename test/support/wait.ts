/**
 * Wait for something another process or an event loop turn makes true (a request arriving, a
 * child exiting): polls every `everyMs`, fails naming `what` after `boundMs`. The bound catches a
 * hang; a test's outcome never depends on how long the wait took.
 */
export async function waitFor(
  check: () => boolean,
  boundMs = 5000,
  what = "the condition",
  everyMs = 5,
): Promise<void> {
  const end = Date.now() + boundMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`gave up waiting for ${what} after ${boundMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
