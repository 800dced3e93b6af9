/**
 * The range a task timeout must lie in.
 *
 * The lower bound is EventBridge Scheduler's one-minute granularity: a shorter timeout could
 * fire its monitor later than twice its own length. The upper bound keeps a forgotten task's
 * schedule and record from living for years.
 */

/** Shortest task timeout, in ms (one minute). */
export const MIN_TASK_TIMEOUT_MS = 60_000;

/** Longest task timeout, in ms (365 days). */
export const MAX_TASK_TIMEOUT_MS = 365 * 24 * 3_600_000;

/** A violation line when `value` is not a whole number of ms in range, else undefined. */
export function timeoutViolation(name: string, value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isInteger(value) && value >= MIN_TASK_TIMEOUT_MS && value <= MAX_TASK_TIMEOUT_MS) return undefined;
  return `${name} must be an integer number of ms from ${MIN_TASK_TIMEOUT_MS} (1 minute) to ${MAX_TASK_TIMEOUT_MS} (365 days), got ${JSON.stringify(value) ?? String(value)}`;
}
