/**
 * The runtime clock's time, shared with every Lambda worker thread through a
 * SharedArrayBuffer: the worker's `Date` reads it (see `clock-preamble.mjs`), so handler code
 * sees the same time as the schedules, leases and deadlines the runtime drives.
 *
 * Only a clock that reports its changes (a {@link ManualClock}) is mirrored: it moves in jumps
 * the workers must see at once, mid-invocation too. A wall clock needs no mirror.
 */
import { type Clock, isObservableClock, type ObservableClock } from '../../scheduling/clock';

/** Follows a clock into a shared buffer of one 64-bit integer (epoch milliseconds). */
export class ClockMirror {
  /** The buffer handed to each worker (shared, not copied). */
  public readonly buffer = new SharedArrayBuffer(BigInt64Array.BYTES_PER_ELEMENT);
  private readonly view = new BigInt64Array(this.buffer);
  private readonly unsubscribe: () => void;

  private constructor(clock: ObservableClock) {
    this.write(clock.now());
    this.unsubscribe = clock.onChange((now) => this.write(now));
  }

  /**
   * A mirror of `clock`, or undefined when the clock does not report its changes (a wall
   * clock: workers keep their own `Date`).
   */
  public static follow(clock: Clock): ClockMirror | undefined {
    return isObservableClock(clock) ? new ClockMirror(clock) : undefined;
  }

  /** The mirrored time, epoch milliseconds (whole: `Date.now()` never has a fraction). */
  public now(): number {
    return Number(Atomics.load(this.view, 0));
  }

  /** Stops following the clock. */
  public dispose(): void {
    this.unsubscribe();
  }

  private write(now: number): void {
    // Atomics so a worker never reads a half-written value.
    Atomics.store(this.view, 0, BigInt(Math.floor(now)));
  }
}
