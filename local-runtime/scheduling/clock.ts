/**
 * Clocks for the embedded local runtime.
 *
 * Everything time-dependent in the runtime (schedules, batching windows, pollers, state
 * machine waits) takes a {@link Clock} instead of calling `Date.now()`/`setTimeout`, so the
 * end-to-end tests drive time with a {@link ManualClock} and `npm start` uses a
 * {@link RealClock}. Times are epoch milliseconds.
 */
import { ClockError, TimerCallbackError } from './errors';

/** A timer callback; a returned promise is awaited before the next timer fires (manual clock). */
export type TimerCallback = () => void | Promise<void>;

/** The handle of a registered timer, used to cancel it. */
export interface TimerHandle {
  /** Unique per clock; increases in registration order. */
  readonly id: number;
  /** When the timer is due, epoch milliseconds. */
  readonly at: number;
}

/** The time source and timer service every local-runtime component is given. */
export interface Clock {
  /** The current time, epoch milliseconds. */
  now(): number;
  /** Calls `fn` once when the clock reaches `at` (a time in the past fires at the next opportunity). */
  setTimer(at: number, fn: TimerCallback): TimerHandle;
  /** Cancels a pending timer; returns false when it already fired or was cancelled. */
  cancel(handle: TimerHandle): boolean;
  /** Resolves after `ms` milliseconds of this clock's time (at once when `ms` ≤ 0). */
  sleep(ms: number): Promise<void>;
}

/**
 * A clock that says when its time changes, so the runtime can mirror it into the Lambda
 * worker threads (whose `Date` then follows it). {@link ManualClock} is one.
 */
export interface ObservableClock extends Clock {
  /**
   * Calls `listener` with the new time whenever `now()` changes.
   * @returns a function that removes the listener
   */
  onChange(listener: (now: number) => void): () => void;
}

/** Whether `clock` reports its time changes ({@link ObservableClock}). */
export function isObservableClock(clock: Clock): clock is ObservableClock {
  return typeof (clock as Partial<ObservableClock>).onChange === 'function';
}

interface PendingTimer extends TimerHandle {
  readonly fn: TimerCallback;
}

function assertFinite(value: number, what: string): void {
  if (!Number.isFinite(value)) {
    throw new ClockError(`${what} must be a finite number of epoch milliseconds, got ${value}`);
  }
}

/** Options of {@link ManualClock}. */
export interface ManualClockOptions {
  /**
   * The initial time, epoch milliseconds.
   * @default Date.UTC(2025, 0, 1) - 2025-01-01T00:00:00Z, so cron and date logic see a real date
   */
  readonly start?: number;
}

/**
 * A clock that only moves when told to.
 *
 * `advance`/`advanceTo` fire every timer due up to the target in time order (ties in
 * registration order), set `now()` to each timer's time while it runs, and await each
 * callback before firing the next — so a callback that registers a new timer inside the
 * window sees it fire in the same advance. Callback errors do not stop the advance: they
 * are collected and the advance then rejects with a {@link TimerCallbackError}.
 *
 * A callback must not await another timer of the same clock (e.g. `clock.sleep`): that timer
 * cannot fire until the callback returns, so the advance would never finish. Start such work
 * without awaiting it.
 */
export class ManualClock implements ObservableClock {
  private current: number;
  private nextId = 1;
  private advancing = false;
  private readonly timers = new Map<number, PendingTimer>();
  private readonly listeners = new Set<(now: number) => void>();

  /** @param options the start time */
  constructor(options: ManualClockOptions = {}) {
    const start = options.start ?? Date.UTC(2025, 0, 1);
    assertFinite(start, 'start');
    this.current = start;
  }

  /** @inheritdoc */
  public now(): number {
    return this.current;
  }

  /**
   * Calls `listener` with the new time whenever `now()` changes: before each timer of an
   * advance fires, and when the advance reaches its target.
   * @returns a function that removes the listener
   */
  public onChange(listener: (now: number) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /** @inheritdoc */
  public setTimer(at: number, fn: TimerCallback): TimerHandle {
    assertFinite(at, 'timer time');
    const timer: PendingTimer = { id: this.nextId++, at, fn };
    this.timers.set(timer.id, timer);
    return { id: timer.id, at };
  }

  /** @inheritdoc */
  public cancel(handle: TimerHandle): boolean {
    return this.timers.delete(handle.id);
  }

  /** @inheritdoc */
  public sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => this.setTimer(this.current + ms, resolve));
  }

  /** How many timers are pending. */
  public pendingTimers(): number {
    return this.timers.size;
  }

  /** When the earliest pending timer is due, or undefined when none is. */
  public nextTimerAt(): number | undefined {
    return this.earliest()?.at;
  }

  /**
   * Moves time forward by `ms`, firing due timers.
   * @returns how many timers fired
   */
  public advance(ms: number): Promise<number> {
    if (!(ms >= 0)) return Promise.reject(new ClockError(`advance(ms) needs ms >= 0, got ${ms}`));
    return this.advanceTo(this.current + ms);
  }

  /**
   * Moves time forward to `t`, firing due timers.
   * @returns how many timers fired
   */
  public async advanceTo(t: number): Promise<number> {
    assertFinite(t, 'advanceTo(t)');
    if (t < this.current) throw new ClockError(`advanceTo(t) cannot go back: now is ${this.current}, got ${t}`);
    if (this.advancing) throw new ClockError('advance called while the clock is already advancing (from a timer callback?)');
    this.advancing = true;
    const errors: unknown[] = [];
    let fired = 0;
    try {
      for (let timer = this.due(t); timer; timer = this.due(t)) {
        this.timers.delete(timer.id);
        this.moveTo(Math.max(this.current, timer.at));
        fired++;
        try {
          await timer.fn();
        } catch (err) {
          errors.push(err);
        }
      }
      this.moveTo(t);
    } finally {
      this.advancing = false;
    }
    if (errors.length > 0) throw new TimerCallbackError(errors);
    return fired;
  }

  private moveTo(t: number): void {
    if (t === this.current) return;
    this.current = t;
    for (const listener of this.listeners) listener(t);
  }

  private due(t: number): PendingTimer | undefined {
    const first = this.earliest();
    return first && first.at <= t ? first : undefined;
  }

  private earliest(): PendingTimer | undefined {
    let best: PendingTimer | undefined;
    for (const timer of this.timers.values()) {
      // Map iteration is insertion order, so strict < keeps registration order for ties.
      if (!best || timer.at < best.at) best = timer;
    }
    return best;
  }
}

/** Options of {@link RealClock}. */
export interface RealClockOptions {
  /**
   * Receives errors thrown (or rejected) by timer callbacks.
   * @default - emits a process warning naming the error
   */
  readonly onError?: (error: unknown) => void;
  /**
   * Wall milliseconds per clock millisecond: the clock starts at the wall time and runs
   * `1 / timeScale` times as fast (0.05: twenty clock seconds per wall second).
   * @default 1
   */
  readonly timeScale?: number;
}

/**
 * A clock that runs at a fixed rate from an anchor: `now = clockAnchor + ⌊(wall − wallAnchor) × rate⌋`.
 * Another thread computes the same time from these three numbers (see `ClockMirror`).
 */
export interface LinearTime {
  /** Wall time of the anchor, epoch milliseconds. */
  readonly wallAnchor: number;
  /** Clock time at the anchor, epoch milliseconds. */
  readonly clockAnchor: number;
  /** Clock milliseconds per wall millisecond, in millionths (whole, so every thread computes the same). */
  readonly ratePpm: number;
}

/** The time of a {@link LinearTime} at wall time `wall`. */
export function linearNow(time: LinearTime, wall: number): number {
  return time.clockAnchor + Math.floor((wall - time.wallAnchor) * (time.ratePpm / 1e6));
}

/** Node's setTimeout overflows (and fires at once) above 2^31-1 ms, about 24.8 days. */
const MAX_TIMEOUT_MS = 2_147_483_647;

/**
 * A wall-clock {@link Clock} for `npm start` and `pp-local up`: `Date.now()` and `setTimeout`,
 * optionally running faster than wall time (`timeScale`).
 */
export class RealClock implements Clock {
  /** Wall milliseconds per clock millisecond (1: the wall clock itself). */
  public readonly timeScale: number;
  /** How this clock's time follows wall time. */
  public readonly linear: LinearTime;
  private nextId = 1;
  private readonly handles = new Map<number, NodeJS.Timeout>();
  private readonly onError: (error: unknown) => void;

  /** @param options where callback errors go, and the time scale */
  constructor(options: RealClockOptions = {}) {
    this.onError = options.onError ?? ((error) => process.emitWarning(`timer callback failed: ${String(error)}`));
    const timeScale = options.timeScale ?? 1;
    if (!(timeScale > 0 && timeScale <= 1)) throw new ClockError(`timeScale must be in (0, 1], got ${timeScale}`);
    this.timeScale = timeScale;
    const wall = Date.now();
    this.linear = { wallAnchor: wall, clockAnchor: wall, ratePpm: Math.round(1e6 / timeScale) };
  }

  /** @inheritdoc */
  public now(): number {
    return this.timeScale === 1 ? Date.now() : linearNow(this.linear, Date.now());
  }

  /** Wall milliseconds until this clock reaches `at` (0 when it has). */
  public wallDelayUntil(at: number): number {
    return Math.max(0, Math.ceil((at - this.now()) / (this.linear.ratePpm / 1e6)));
  }

  /** @inheritdoc */
  public setTimer(at: number, fn: TimerCallback): TimerHandle {
    assertFinite(at, 'timer time');
    const id = this.nextId++;
    this.arm(id, at, fn);
    return { id, at };
  }

  /** @inheritdoc */
  public cancel(handle: TimerHandle): boolean {
    const timeout = this.handles.get(handle.id);
    if (!timeout) return false;
    clearTimeout(timeout);
    this.handles.delete(handle.id);
    return true;
  }

  /** @inheritdoc */
  public sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => this.setTimer(this.now() + ms, resolve));
  }

  /** Cancels every pending timer (shutdown). */
  public dispose(): void {
    for (const timeout of this.handles.values()) clearTimeout(timeout);
    this.handles.clear();
  }

  private arm(id: number, at: number, fn: TimerCallback): void {
    const delay = this.wallDelayUntil(at);
    const timeout = setTimeout(() => {
      // Long delays are chained in chunks, re-checking the remaining time each hop (a scaled
      // clock's rounding can also leave it a millisecond short).
      if (delay > MAX_TIMEOUT_MS || this.now() < at) return this.arm(id, at, fn);
      this.handles.delete(id);
      this.fire(fn);
    }, Math.min(delay, MAX_TIMEOUT_MS));
    this.handles.set(id, timeout);
  }

  private fire(fn: TimerCallback): void {
    try {
      Promise.resolve(fn()).catch(this.onError);
    } catch (err) {
      this.onError(err);
    }
  }
}
