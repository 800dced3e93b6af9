/**
 * The clock of `pp-local run`: it follows wall time (ticking a {@link ManualClock} forward
 * every `tickMs`, so schedules, Wait states and the functions' `Date` move while work is
 * running), and it can skip ahead when the stack is idle, so a run that waits for a sweeper's
 * next run or a Wait state does not sit out that time on the wall clock.
 */
import { ManualClock } from './clock';

/** Options of {@link SkippingClock}. */
export interface SkippingClockOptions {
  /** How often the clock catches up with wall time, in ms. @default 50 */
  readonly tickMs?: number;
  /** Receives errors thrown by timer callbacks fired by a tick. @default - a process warning */
  readonly onError?: (error: unknown) => void;
}

/** A ManualClock that follows wall time and can be skipped ahead. */
export class SkippingClock extends ManualClock {
  private offset = 0;
  private paused = false;
  private tick: Promise<unknown> = Promise.resolve();
  private readonly interval: NodeJS.Timeout;

  /** @param options tick period and where timer errors go */
  constructor(options: SkippingClockOptions = {}) {
    super({ start: Date.now() });
    const onError = options.onError ?? ((error: unknown) => process.emitWarning(`timer callback failed: ${String(error)}`));
    let ticking = false;
    this.interval = setInterval(() => {
      if (this.paused || ticking) return;
      ticking = true;
      this.tick = this.advanceTo(Math.max(this.now(), Date.now() + this.offset)).catch(onError).finally(() => (ticking = false));
    }, options.tickMs ?? 50);
    // A run ends by itself; a pending tick must not keep the process alive.
    this.interval.unref();
  }

  /**
   * Runs `skip` (which moves the clock with `advanceTo`, e.g. `LocalRuntime.advanceClock`) with
   * the wall-time ticks paused, then keeps following wall time from the new time.
   */
  public async skipWith<T>(skip: () => Promise<T>): Promise<T> {
    this.paused = true;
    try {
      await this.tick;
      return await skip();
    } finally {
      this.offset = this.now() - Date.now();
      this.paused = false;
    }
  }

  /** Stops following wall time. */
  public dispose(): void {
    clearInterval(this.interval);
  }
}
