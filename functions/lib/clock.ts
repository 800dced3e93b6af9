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
