/**
 * How long the saga's commands take to be answered now: for each reply, the time since its
 * command was last sent, over a sliding window. Under load that time is mostly spent waiting in
 * queues (the command topics, the participants' consumers, the reply topics), so it is what the
 * saga timer allows for before re-sending a command or giving up on a saga.
 *
 * Kept in memory by each order instance: every instance consumes its share of the replies, a
 * fair sample of the same queues. After a restart it is empty (the fixed clock applies) until
 * the first replies arrive.
 */
export class StepLatency {
  private readonly samples: { at: number; ms: number }[] = [];

  constructor(
    private readonly windowMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  record(ms: number): void {
    this.samples.push({ at: this.now(), ms: Math.max(0, ms) });
    this.forgetOld();
  }

  /** The 90th percentile of the replies in the window; 0 when none came (nothing flows). */
  p90(): number {
    this.forgetOld();
    if (this.samples.length === 0) return 0;
    const sorted = this.samples.map(({ ms }) => ms).sort((a, b) => a - b);
    return sorted[Math.ceil(sorted.length * 0.9) - 1]!;
  }

  private forgetOld(): void {
    const since = this.now() - this.windowMs;
    let old = 0;
    while (old < this.samples.length && this.samples[old]!.at < since) old += 1;
    if (old > 0) this.samples.splice(0, old);
  }
}
