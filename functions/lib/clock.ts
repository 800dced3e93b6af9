/**
 * The injected time source every pattern's core reads (marks, polls, leases, task deadlines),
 * so tests drive time instead of sleeping.
 */

/** Source of the current time, in epoch milliseconds. */
export interface Clock {
  /** The current time in epoch milliseconds. */
  now(): number;
}

/** The system clock. */
export const systemClock: Clock = { now: () => Date.now() };

/** A clock that moves only when told to. */
export class ManualClock implements Clock {
  /** @param current the start time, epoch ms */
  constructor(private current = Date.UTC(2025, 0, 1)) {}

  /** The current time, epoch ms. */
  now(): number {
    return this.current;
  }

  /** Moves to `t` (never backwards). */
  set(t: number): void {
    this.current = Math.max(this.current, t);
  }

  /** Moves forward by `ms`. */
  advance(ms: number): void {
    this.current += Math.max(0, ms);
  }
}
