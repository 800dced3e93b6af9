/**
 * A sliding one-second window of batch starts: at most `perSecond` starts in any 1,000 ms,
 * so a backend with a calls-per-second quota is never pushed past it (bursts included, which
 * a token bucket refilled continuously would allow at the window's edges).
 */
export class RateGate {
  private readonly starts: number[] = [];

  /** @param perSecond most starts in any 1,000 ms */
  constructor(private readonly perSecond: number) {}

  /** Milliseconds until a start is allowed at `now` (0: allowed now). */
  waitMs(now: number): number {
    while (this.starts.length > 0 && (this.starts[0] as number) <= now - 1_000) this.starts.shift();
    if (this.starts.length < this.perSecond) return 0;
    return (this.starts[0] as number) + 1_000 - now;
  }

  /** Records a start at `now`. */
  record(now: number): void {
    this.starts.push(now);
  }
}
