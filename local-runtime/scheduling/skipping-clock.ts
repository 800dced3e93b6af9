/**
 * The clock of `pp-local run`: it follows wall time, optionally sped up (ticking a
 * {@link ManualClock} forward every `tickMs`, so SQS timers, schedules, Wait states and the
 * functions' `Date` move while work is running), and it can skip ahead when the stack is idle,
 * so a run that waits for a sweeper's next run or a Wait state does not sit out that time on the
 * wall clock.
 */
import { ManualClock } from './clock';
import { ClockError } from './errors';

/** Options of {@link SkippingClock}. */
export interface SkippingClockOptions {
  /** How often the clock catches up with wall time, in ms. @default 50 */
  readonly tickMs?: number;
  /** Receives errors thrown by timer callbacks fired by a tick. @default - a process warning */
  readonly onError?: (error: unknown) => void;
  /**
   * Wall milliseconds per clock millisecond while following wall time (0.05: 20× faster).
   * @default 1
   */
  readonly timeScale?: number;
}

/** A ManualClock that follows wall time and can be skipped ahead. */
export class SkippingClock extends ManualClock {
  private anchor: { readonly wall: number; readonly clock: number };
  private readonly timeScale: number;
  private paused = false;
  private tick: Promise<unknown> = Promise.resolve();
  private readonly interval: NodeJS.Timeout;

  /** @param options tick period, time scale and where timer errors go */
  constructor(options: SkippingClockOptions = {}) {
    const wall = Date.now();
    super({ start: wall });
    this.timeScale = options.timeScale ?? 1;
    if (!(this.timeScale > 0 && this.timeScale <= 1)) throw new ClockError(`timeScale must be in (0, 1], got ${this.timeScale}`);
    this.anchor = { wall, clock: wall };
    const onError = options.onError ?? ((error: unknown) => process.emitWarning(`timer callback failed: ${String(error)}`));
    let ticking = false;
    this.interval = setInterval(() => {
      if (this.paused || ticking) return;
      ticking = true;
      this.tick = this.advanceTo(Math.max(this.now(), this.following(Date.now()))).catch(onError).finally(() => (ticking = false));
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
      this.anchor = { wall: Date.now(), clock: this.now() };
      this.paused = false;
    }
  }

  /** The time wall time `wall` maps to while following it. */
  private following(wall: number): number {
    return this.anchor.clock + Math.floor((wall - this.anchor.wall) / this.timeScale);
  }

  /** Stops following wall time. */
  public dispose(): void {
    clearInterval(this.interval);
  }
}
