/**
 * The time source a RequestAggregator reads and sets its timers on (batch windows, rate-limit
 * waits), injected so tests move time by hand instead of sleeping (DataLoader's
 * `batchScheduleFn`, generalised to windows longer than one tick).
 */
import type { Clock } from '../clock';

/** A clock that can also run a callback later. */
export interface AggregatorScheduler extends Clock {
  /**
   * Runs `fn` once, `ms` milliseconds from now; `ms = 0` means "after the current tick's
   * promise jobs", so every load of one synchronous burst lands in one batch.
   * Returns a function that cancels the timer (a no-op once it has fired).
   */
  setTimer(ms: number, fn: () => void): () => void;
}

const resolved = Promise.resolve();

/**
 * Real time. A zero wait runs after the pending promise jobs and then on `process.nextTick`,
 * as DataLoader does, so it costs no timer; longer waits use `setTimeout`, which keeps the
 * process alive: an open window always has a caller waiting for it.
 */
export const systemScheduler: AggregatorScheduler = {
  now: () => Date.now(),
  setTimer(ms, fn) {
    let cancelled = false;
    if (ms <= 0) {
      void resolved.then(() => process.nextTick(() => cancelled || fn()));
      return () => void (cancelled = true);
    }
    const timer = setTimeout(fn, ms);
    return () => clearTimeout(timer);
  },
};

interface PendingTimer {
  readonly at: number;
  readonly seq: number;
  readonly fn: () => void;
}

/**
 * A scheduler whose time moves only when told: timers fire, in time order, inside
 * {@link ManualScheduler.advance}. For tests and simulations.
 */
export class ManualScheduler implements AggregatorScheduler {
  private readonly timers = new Map<number, PendingTimer>();
  private seq = 0;

  /** @param current the start time, epoch ms */
  constructor(private current = 0) {}

  /** The current virtual time, epoch ms. */
  now(): number {
    return this.current;
  }

  /** Registers `fn` to fire once time reaches now + `ms`. */
  setTimer(ms: number, fn: () => void): () => void {
    const seq = this.seq++;
    this.timers.set(seq, { at: this.current + Math.max(0, ms), seq, fn });
    return () => void this.timers.delete(seq);
  }

  /** Timers not yet fired. */
  get pending(): number {
    return this.timers.size;
  }

  /** Moves time forward by `ms` (0 fires what is due now), firing due timers in time order. */
  advance(ms: number): void {
    const target = this.current + Math.max(0, ms);
    for (let next = this.nextDue(target); next !== undefined; next = this.nextDue(target)) {
      this.timers.delete(next.seq);
      this.current = Math.max(this.current, next.at);
      next.fn();
    }
    this.current = target;
  }

  private nextDue(target: number): PendingTimer | undefined {
    let best: PendingTimer | undefined;
    for (const timer of this.timers.values()) {
      if (timer.at <= target && (best === undefined || timer.at < best.at || (timer.at === best.at && timer.seq < best.seq))) best = timer;
    }
    return best;
  }
}
