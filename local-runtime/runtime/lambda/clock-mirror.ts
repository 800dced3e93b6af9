/**
 * The runtime clock's time, shared with the Lambda worker threads and the SQS emulator's
 * thread through a SharedArrayBuffer: their `Date` reads it (see `clock-preamble.mjs`), so
 * handler code and SQS timers see the same time as the schedules, leases and deadlines the
 * runtime drives.
 *
 * Two kinds of clock are mirrored. A clock that reports its changes (a {@link ManualClock}) moves
 * in jumps the other threads must see at once, mid-invocation too: its time is written on every
 * change. A scaled {@link RealClock} runs at a fixed rate from an anchor: the anchor and the rate
 * are written once and each thread computes the time itself. A plain wall clock needs no mirror.
 *
 * Layout (three BigInt64 slots): the clock time (manual) or clock anchor (scaled), the wall
 * anchor, and the rate in millionths (0 for a manual clock).
 */
import { type Clock, isObservableClock, type LinearTime, linearNow, type ObservableClock, RealClock } from '../../scheduling/clock';

/**
 * Where `clock-preamble.mjs` is (beside this module in the sources, beside the bundle in the
 * package), for threads that install the mirrored clock themselves.
 */
export const CLOCK_PREAMBLE_URL = new URL('./clock-preamble.mjs', import.meta.url).href;

const TIME = 0;
const WALL_ANCHOR = 1;
const RATE_PPM = 2;

/** Follows a clock into a shared buffer (epoch milliseconds). */
export class ClockMirror {
  /** The buffer handed to each worker (shared, not copied). */
  public readonly buffer = new SharedArrayBuffer(3 * BigInt64Array.BYTES_PER_ELEMENT);
  private readonly view = new BigInt64Array(this.buffer);
  private readonly unsubscribe: () => void;

  private constructor(source: ObservableClock | LinearTime) {
    if ('onChange' in source) {
      this.write(source.now());
      this.unsubscribe = source.onChange((now) => this.write(now));
    } else {
      this.view[WALL_ANCHOR] = BigInt(source.wallAnchor);
      this.view[RATE_PPM] = BigInt(source.ratePpm);
      this.write(source.clockAnchor);
      this.unsubscribe = () => undefined;
    }
  }

  /**
   * A mirror of `clock`, or undefined when other threads can keep their own wall clock (a
   * {@link RealClock} at time scale 1, or a clock that neither reports its changes nor runs
   * at a known rate).
   */
  public static follow(clock: Clock): ClockMirror | undefined {
    if (isObservableClock(clock)) return new ClockMirror(clock);
    if (clock instanceof RealClock && clock.timeScale !== 1) return new ClockMirror(clock.linear);
    return undefined;
  }

  /** The mirrored time, epoch milliseconds (whole: `Date.now()` never has a fraction). */
  public now(): number {
    const time = Number(Atomics.load(this.view, TIME));
    const ratePpm = Number(this.view[RATE_PPM]);
    return ratePpm === 0 ? time : linearNow({ clockAnchor: time, wallAnchor: Number(this.view[WALL_ANCHOR]), ratePpm }, Date.now());
  }

  /** Stops following the clock. */
  public dispose(): void {
    this.unsubscribe();
  }

  private write(now: number): void {
    // Atomics so a worker never reads a half-written value.
    Atomics.store(this.view, TIME, BigInt(Math.floor(now)));
  }
}
