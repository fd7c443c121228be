/**
 * A fake clock for a client's overrides (`now`, `sleep`, `timer`): time moves only when a
 * retry sleeps or the test calls `advance`, so a timeout fires exactly when the test says and
 * no spec waits on real time.
 */
export class FakeClock {
  private readonly pending = new Set<{ at: number; fire: () => void }>();

  constructor(public ms: number) {}

  readonly now = (): Date => new Date(this.ms);

  readonly sleep = async (ms: number): Promise<void> => this.advance(ms);

  readonly timer = (ms: number, fire: () => void): (() => void) => {
    const t = { at: this.ms + ms, fire };
    this.pending.add(t);
    return () => void this.pending.delete(t);
  };

  /** The pending timers, as ms left on this clock (soonest first). */
  get timers(): number[] {
    return [...this.pending].map((t) => t.at - this.ms).sort((a, b) => a - b);
  }

  /** Move time on by `ms`, firing every timer that falls due, soonest first. */
  advance(ms: number): void {
    this.ms += ms;
    for (const t of [...this.pending].sort((a, b) => a.at - b.at)) {
      if (t.at > this.ms) break;
      this.pending.delete(t);
      t.fire();
    }
  }
}

/**
 * A nock reply that never answers, and a promise that resolves once a request has reached it
 * (the point from which advancing a fake clock times that request out).
 */
export function stalledReply(): { reply: () => Promise<never>; arrived: Promise<void> } {
  let arrive!: () => void;
  const arrived = new Promise<void>((resolve) => (arrive = resolve));
  return {
    reply: () => {
      arrive();
      return new Promise<never>(() => undefined);
    },
    arrived,
  };
}
