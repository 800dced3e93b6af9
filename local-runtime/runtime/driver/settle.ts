/**
 * Waiting for a local stack to settle, and driving a manual clock through it timer by timer:
 * what an end-to-end test needs between "send" and "assert" when schedules, Wait states,
 * leases and deadlines run on the runtime's clock while functions run in wall time.
 */
import type { ManualClock } from '../../scheduling/clock';
import { ClockError } from '../../scheduling/errors';
import { SettleTimeoutError } from '../errors';

/** Options of `LocalRuntime.settle()` and `LocalRuntime.advanceClock()`. */
export interface SettleOptions {
  /**
   * Which queues must be empty (no message visible, in flight or delayed): `consumed`, the
   * queues an event source mapping reads (a sink queue the test inspects never drains), or
   * `all` queues but dead-letter queues (as `isIdle()` checks).
   * @default 'consumed'
   */
  readonly queues?: 'consumed' | 'all';
  /**
   * Give up after this many wall milliseconds (per settle) with a SettleTimeoutError.
   * @default 60000
   */
  readonly timeoutMs?: number;
}

/** What is still busy, or undefined when nothing is. */
export type BusyCheck = () => Promise<string | undefined>;

/** Wall-time pause between checks, in ms: short, as each check is a few in-process calls. */
const POLL_MS = 20;

/**
 * Resolves once `busy` reports nothing twice in a row (a message between a delete and the next
 * send, or an execution between two states, can look idle for one check).
 *
 * @throws SettleTimeoutError naming what was still busy after `timeoutMs`
 */
export async function settleWith(busy: BusyCheck, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let quietChecks = 0; ;) {
    const reason = await busy();
    quietChecks = reason === undefined ? quietChecks + 1 : 0;
    if (quietChecks === 2) return;
    if (Date.now() > deadline) throw new SettleTimeoutError(timeoutMs, reason ?? 'idle for one check only');
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/**
 * Moves `clock` forward by `ms`, one due timer at a time, settling before each timer fires and
 * after the last, so work a timer starts (a schedule's invocation, a Wait loop's next Task)
 * finishes, and the timers it registers are fired in turn.
 *
 * @param clock the clock to move
 * @param ms how far
 * @param settle waits until the stack has nothing left to do at the current time
 * @param nextElsewhere the next time after now at which something that keeps its own deadlines
 *   on this clock changes by itself (an SQS visibility timeout or delay ending): the clock
 *   stops there too, and the stack settles
 * @returns how many timers fired
 * @throws ClockError for a negative `ms`; SettleTimeoutError from `settle`
 */
export async function advanceSettled(
  clock: ManualClock, ms: number, settle: () => Promise<void>, nextElsewhere: () => Promise<number | undefined> = async () => undefined,
): Promise<number> {
  if (!(ms >= 0)) throw new ClockError(`advanceClock(ms) needs ms >= 0, got ${ms}`);
  const target = clock.now() + ms;
  const nextStop = async (): Promise<number | undefined> => {
    const [timer, other] = [clock.nextTimerAt(), await nextElsewhere()];
    return timer === undefined ? other : other === undefined ? timer : Math.min(timer, other);
  };
  let fired = 0;
  await settle();
  for (let next = await nextStop(); next !== undefined && next <= target; next = await nextStop()) {
    fired += await clock.advanceTo(Math.max(next, clock.now()));
    await settle();
  }
  await clock.advanceTo(target);
  return fired;
}
