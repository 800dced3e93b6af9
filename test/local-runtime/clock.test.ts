import { afterEach, describe, expect, it, vi } from 'vitest';
import { SkippingClock } from '../../local-runtime/scheduling/skipping-clock';
import { isObservableClock, ManualClock, RealClock } from '../../local-runtime/scheduling/clock';
import { ClockError, TimerCallbackError } from '../../local-runtime/scheduling/errors';

describe('ManualClock', () => {
  it('starts at 2025-01-01T00:00:00Z by default and at the given start otherwise', () => {
    expect(new ManualClock().now()).toBe(Date.UTC(2025, 0, 1));
    expect(new ManualClock({ start: 42 }).now()).toBe(42);
  });

  it('fires due timers in time order, ties in registration order, with now() at each timer time', async () => {
    const clock = new ManualClock({ start: 0 });
    const seen: string[] = [];
    clock.setTimer(30, () => void seen.push(`c@${clock.now()}`));
    clock.setTimer(10, () => void seen.push(`a@${clock.now()}`));
    clock.setTimer(10, () => void seen.push(`b@${clock.now()}`));
    clock.setTimer(31, () => void seen.push('late'));
    const fired = await clock.advance(30);
    expect(seen).toStrictEqual(['a@10', 'b@10', 'c@30']);
    expect(fired).toBe(3);
    expect(clock.now()).toBe(30);
    expect(clock.pendingTimers()).toBe(1);
  });

  it('awaits an async callback before firing the next timer', async () => {
    const clock = new ManualClock({ start: 0 });
    const seen: string[] = [];
    clock.setTimer(1, async () => {
      await new Promise((resolve) => setImmediate(resolve));
      seen.push('slow');
    });
    clock.setTimer(2, () => void seen.push('next'));
    await clock.advance(5);
    expect(seen).toStrictEqual(['slow', 'next']);
  });

  it('fires a timer registered by a callback within the same advance window', async () => {
    const clock = new ManualClock({ start: 0 });
    const seen: number[] = [];
    clock.setTimer(10, () => {
      clock.setTimer(clock.now() + 5, () => void seen.push(clock.now()));
    });
    await clock.advanceTo(20);
    expect(seen).toStrictEqual([15]);
  });

  it('does not fire a cancelled timer and reports whether cancel removed something', async () => {
    const clock = new ManualClock({ start: 0 });
    const fn = vi.fn();
    const handle = clock.setTimer(5, fn);
    expect(clock.cancel(handle)).toBe(true);
    expect(clock.cancel(handle)).toBe(false);
    await clock.advance(10);
    expect(fn).not.toHaveBeenCalled();
  });

  it('fires a timer set in the past at the next advance without moving time back', async () => {
    const clock = new ManualClock({ start: 100 });
    const at: number[] = [];
    clock.setTimer(50, () => void at.push(clock.now()));
    await clock.advance(0);
    expect(at).toStrictEqual([100]);
  });

  it('sleep resolves when the clock reaches the wake-up time, not before', async () => {
    const clock = new ManualClock({ start: 0 });
    let woke = false;
    const sleeping = clock.sleep(1000).then(() => (woke = true));
    await clock.advance(999);
    expect(woke).toBe(false);
    await clock.advance(1);
    await sleeping;
    expect(woke).toBe(true);
  });

  it('keeps firing after a callback throws, then rejects with every error', async () => {
    const clock = new ManualClock({ start: 0 });
    const after = vi.fn();
    clock.setTimer(1, () => {
      throw new Error('boom');
    });
    clock.setTimer(2, after);
    const err = await clock.advance(3).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimerCallbackError);
    expect((err as TimerCallbackError).errors.map((e) => (e as Error).message)).toStrictEqual(['boom']);
    expect(after).toHaveBeenCalledOnce();
    expect(clock.now()).toBe(3);
  });

  it('fails if asked to go back in time or to advance re-entrantly', async () => {
    const clock = new ManualClock({ start: 10 });
    await expect(clock.advanceTo(5)).rejects.toThrow(/cannot go back: now is 10, got 5/);
    await expect(clock.advance(-1)).rejects.toThrow(ClockError);
    clock.setTimer(11, async () => {
      await clock.advance(1);
    });
    const err = await clock.advance(2).catch((e: unknown) => e);
    expect(((err as TimerCallbackError).errors[0] as Error).message).toMatch(/already advancing/);
  });

  it('reports when the next timer is due', () => {
    const clock = new ManualClock({ start: 0 });
    expect(clock.nextTimerAt()).toBeUndefined();
    clock.setTimer(7, () => undefined);
    clock.setTimer(3, () => undefined);
    expect(clock.nextTimerAt()).toBe(3);
  });

  it('tells its listeners each time it moves: at every timer of an advance, then at the target', async () => {
    const clock = new ManualClock({ start: 0 });
    const seen: number[] = [];
    clock.setTimer(30, () => undefined);
    clock.setTimer(10, () => undefined);
    const stop = clock.onChange((now) => seen.push(now));
    await clock.advance(50);
    stop();
    await clock.advance(10);
    expect(seen).toStrictEqual([10, 30, 50]);
  });

  it('is observable, the wall clock is not', () => {
    expect(isObservableClock(new ManualClock())).toBe(true);
    expect(isObservableClock(new RealClock())).toBe(false);
  });
});

describe('RealClock', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('fires a timer when wall time reaches it, and not a cancelled one', () => {
    vi.useFakeTimers({ now: 1_000 });
    const clock = new RealClock();
    const fired = vi.fn();
    const cancelled = vi.fn();
    clock.setTimer(1_500, fired);
    clock.cancel(clock.setTimer(1_200, cancelled));
    vi.advanceTimersByTime(499);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fired).toHaveBeenCalledOnce();
    expect(cancelled).not.toHaveBeenCalled();
    expect(clock.now()).toBe(1_500);
  });

  it('waits out delays longer than setTimeout can hold instead of firing at once', () => {
    vi.useFakeTimers({ now: 0 });
    const clock = new RealClock();
    const fn = vi.fn();
    const thirtyDays = 30 * 24 * 3600 * 1000;
    clock.setTimer(thirtyDays, fn);
    vi.advanceTimersByTime(thirtyDays - 1);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledOnce();
  });

  it('hands a rejected async callback to onError', async () => {
    vi.useFakeTimers({ now: 0 });
    const errors: unknown[] = [];
    const clock = new RealClock({ onError: (e) => errors.push(e) });
    clock.setTimer(10, async () => {
      throw new Error('late failure');
    });
    await vi.advanceTimersByTimeAsync(10);
    expect((errors[0] as Error).message).toBe('late failure');
  });

  it('runs 1/timeScale times as fast as wall time from its start, timers included', () => {
    vi.useFakeTimers({ now: 1_000 });
    const clock = new RealClock({ timeScale: 0.05 });
    const firedAt: number[] = [];
    clock.setTimer(1_000 + 60_000, () => void firedAt.push(clock.now()));
    vi.advanceTimersByTime(2_999);
    expect([clock.now(), firedAt]).toStrictEqual([1_000 + 59_980, []]);
    vi.advanceTimersByTime(1);
    expect(firedAt).toStrictEqual([1_000 + 60_000]);
    expect(clock.wallDelayUntil(clock.now() + 20_000)).toBe(1_000);
  });

  it('fails if its time scale is outside (0, 1]', () => {
    expect(() => new RealClock({ timeScale: 0 })).toThrow(/timeScale must be in \(0, 1\], got 0/);
    expect(() => new RealClock({ timeScale: 2 })).toThrow(/got 2/);
  });

  it('dispose cancels every pending timer', () => {
    vi.useFakeTimers({ now: 0 });
    const clock = new RealClock();
    const fn = vi.fn();
    clock.setTimer(10, fn);
    clock.dispose();
    vi.advanceTimersByTime(20);
    expect(fn).not.toHaveBeenCalled();
  });
});

describe('SkippingClock', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('follows wall time at its time scale, and from the new time after a skip', async () => {
    vi.useFakeTimers({ now: 0 });
    const clock = new SkippingClock({ timeScale: 0.1, tickMs: 50 });
    try {
      await vi.advanceTimersByTimeAsync(100);
      expect(clock.now()).toBe(1_000);
      await clock.skipWith(() => clock.advanceTo(60_000));
      await vi.advanceTimersByTimeAsync(100);
      expect(clock.now()).toBe(61_000);
    } finally {
      clock.dispose();
    }
  });
});
