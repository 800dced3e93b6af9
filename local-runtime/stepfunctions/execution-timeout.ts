/**
 * A state machine's top-level `TimeoutSeconds`, on the runtime's clock: the definition's
 * field is taken out before the library sees it (the library would time it in wall time, and
 * Node's timers overflow above ~24.8 days, so a 90-day timeout ended at once), and the
 * execution is timed out when the clock reaches its start plus the timeout.
 */
import type { Clock } from '../scheduling/clock';

/**
 * Splits the top-level `TimeoutSeconds` off a definition.
 * @returns the definition without it, and the timeout in milliseconds (undefined: none)
 */
export function takeExecutionTimeout(definition: Record<string, unknown>): { definition: Record<string, unknown>; timeoutMs?: number } {
  const { TimeoutSeconds, ...rest } = definition;
  return typeof TimeoutSeconds === 'number' ? { definition: rest, timeoutMs: TimeoutSeconds * 1000 } : { definition };
}

/**
 * Calls `onTimeout` when the clock reaches `startedAt + timeoutMs`.
 * @returns disarms the timer (call when the execution ends first)
 */
export function armExecutionTimeout(clock: Clock, startedAt: number, timeoutMs: number | undefined, onTimeout: () => void): () => void {
  if (timeoutMs === undefined) return () => undefined;
  const handle = clock.setTimer(startedAt + timeoutMs, onTimeout);
  return () => void clock.cancel(handle);
}
