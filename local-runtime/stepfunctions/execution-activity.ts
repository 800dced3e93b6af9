/**
 * What one execution is doing right now, as far as a driver of the clock cares: running Task
 * states (a Lambda or service call in flight) and Wait states sleeping on the clock. An
 * execution whose only activity is waiting on the clock is parked: nothing happens until the
 * clock moves. Its waits can be cancelled when the execution is stopped.
 */
import type { Clock, TimerHandle } from '../scheduling/clock';
import { TerminalTaskFailure } from './errors';

/** The activity of one execution. */
export class ExecutionActivity {
  private tasks = 0;
  private stopped = false;
  private readonly waits = new Map<number, { readonly handle: TimerHandle; readonly wake: () => void }>();

  /** @param clock the clock Wait states sleep on */
  constructor(private readonly clock: Clock) {}

  /** True when the execution is only waiting on the clock: no Task in flight, at least one Wait asleep. */
  public get parked(): boolean {
    return this.tasks === 0 && this.waits.size > 0;
  }

  /**
   * Runs a Task's work, counting it as in flight until it settles.
   * @throws TerminalTaskFailure without running it once the execution was stopped
   */
  public async task<T>(work: () => Promise<T>): Promise<T> {
    // A state already under way when the execution was stopped may still reach its handler.
    if (this.stopped) throw new TerminalTaskFailure('States.Runtime', 'the execution was stopped');
    this.tasks++;
    try {
      return await work();
    } finally {
      this.tasks--;
    }
  }

  /** Sleeps `ms` of the clock's time (a Wait state); {@link cancel} ends the sleep early. */
  public sleep(ms: number): Promise<void> {
    if (ms <= 0 || this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const handle = this.clock.setTimer(this.clock.now() + ms, () => {
        this.waits.delete(handle.id);
        resolve();
      });
      this.waits.set(handle.id, { handle, wake: resolve });
    });
  }

  /** Cancels every pending Wait timer and ends its sleep, and refuses later ones (the execution was stopped). */
  public cancel(): void {
    this.stopped = true;
    for (const { handle, wake } of this.waits.values()) {
      this.clock.cancel(handle);
      wake();
    }
    this.waits.clear();
  }
}
