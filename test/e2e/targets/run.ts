/**
 * Driving a demo target: send orders, wait until each one is done or dead-lettered (the
 * pipeline went idle), and count where they ended, the same way on either target.
 */
import { splitParked } from '../../../local-runtime/runtime/accounting/parked';
import { orderIdOf } from './demo-orders';
import type { DemoTarget, Polling } from './types';

/** Wall time by default; tests of the wait itself pass their own. */
export interface WaitClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const wallClock: WaitClock = { now: () => Date.now(), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) };

/** Options of {@link waitUntilDoneOrDeadLettered}. */
export interface WaitOptions extends Partial<Polling> {
  /**
   * Keep waiting until at least this many orders of the run are done, even when idle (a
   * deployed queue's approximate depth can read 0 just after a send).
   * @default 0
   */
  readonly minDone?: number;
  /** @default - wall time */
  readonly clock?: WaitClock;
}

/** Orders done when the wait ended, and whether it gave up. */
export interface WaitResult {
  readonly done: number;
  readonly timedOut: boolean;
}

/**
 * Polls the target until the pipeline is idle for `quietPolls` looks in a row with at least
 * `minDone` orders done: every order sent is then in the table or the dead-letter queue.
 */
export async function waitUntilDoneOrDeadLettered(target: DemoTarget, orderIdPrefix: string, options: WaitOptions = {}): Promise<WaitResult> {
  const { intervalMs, quietPolls, timeoutMs } = { ...target.polling, ...options };
  const clock = options.clock ?? wallClock;
  const deadline = clock.now() + timeoutMs;
  for (let quiet = 0; ;) {
    const { done, idle } = await target.progress(orderIdPrefix);
    quiet = idle && done >= (options.minDone ?? 0) ? quiet + 1 : 0;
    if (quiet >= quietPolls) return { done, timedOut: false };
    if (clock.now() >= deadline) return { done, timedOut: true };
    await clock.sleep(intervalMs);
  }
}

/** Where the orders of a run ended. */
export interface DemoRun {
  readonly itemsIn: number;
  /** Orders of the run in the table. */
  readonly done: number;
  /** Distinct orders of the run in the dead-letter queue and not in the table. */
  readonly deadLettered: number;
  /**
   * Distinct orders in the dead-letter queue that are in the table too: a copy parked while its
   * twin's write was done (two copies in flight at once). A duplicate, not a loss.
   */
  readonly parkedDuplicates: number;
  /** `itemsIn − done − deadLettered`: orders neither done nor parked (negative means double counting). */
  readonly lost: number;
  readonly timedOut: boolean;
  /** When sending started (epoch ms, the wait clock). */
  readonly startedAt: number;
}

/** Sends `bodies` (orders whose ids start with `orderIdPrefix`), waits, and counts. */
export async function runOrders(target: DemoTarget, bodies: readonly string[], orderIdPrefix: string, options: WaitOptions = {}): Promise<DemoRun> {
  const startedAt = (options.clock ?? wallClock).now();
  await target.send(bodies);
  const { done, timedOut } = await waitUntilDoneOrDeadLettered(target, orderIdPrefix, options);
  const written = await target.doneItems(orderIdPrefix);
  const parked = await deadLetteredOrders(target, orderIdPrefix);
  const { notDone, doneDuplicates } = await splitParked(parked, async () => new Set(written.keys()));
  return { itemsIn: bodies.length, done, deadLettered: notDone, parkedDuplicates: doneDuplicates, lost: bodies.length - done - notDone, timedOut, startedAt };
}

/** Ids of the run's orders in the dead-letter queue (a record parked twice counts once). */
export async function deadLetteredOrders(target: DemoTarget, orderIdPrefix: string): Promise<Set<string>> {
  const ids = (await target.deadLetters()).map((m) => orderIdOf(m.body));
  return new Set(ids.filter((id): id is string => id !== undefined && id.startsWith(orderIdPrefix)));
}
