import { describe, expect, it } from 'vitest';
import { InMemoryWatchStore } from '../../functions/lib/rolling-poller/memory-watch-store';
import { pollTick, type TickOptions } from '../../functions/lib/rolling-poller/poll-tick';
import type { CompletionEvent, CompletionSink, CheckWindowFn, StatusResult, WatchItem } from '../../functions/lib/rolling-poller/types';

const T0 = 1_700_000_000_000;
const MINUTE = 60_000;
const options: TickOptions = { windowSize: 100, maxCallsPerTick: 10, leaseMs: MINUTE, maxAttempts: 3, backoffBaseMs: MINUTE, backoffMaxMs: 10 * MINUTE };

function recordingSink(): CompletionSink & { events: CompletionEvent[] } {
  const events: CompletionEvent[] = [];
  return { events, publish: async (batch) => void events.push(...batch) };
}

/** A status function that holds its first call until `release()`: a tick that outlives its lease. */
function stalledStatus(answer: (item: WatchItem) => StatusResult): { status: CheckWindowFn; started: Promise<void>; release: () => void } {
  let release = (): void => undefined;
  let started = (): void => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const startedPromise = new Promise<void>((resolve) => (started = resolve));
  let first = true;
  const status: CheckWindowFn = async (items) => {
    if (first) {
      first = false;
      started();
      await gate;
    }
    return items.map(answer);
  };
  return { status, started: startedPromise, release };
}

describe('pollTick fencing (a tick that outlives its lease)', () => {
  it('does not complete an item a later tick already completed', async () => {
    const store = new InMemoryWatchStore();
    await store.add('job-1', undefined, T0);
    const clock = { t: T0, now: () => clock.t };
    const sink = recordingSink();
    const stale = stalledStatus((item) => ({ id: item.id, state: 'done', status: 'OK' }));
    const slow = pollTick(store, stale.status, sink, clock, options);
    await stale.started;
    clock.t += 2 * MINUTE;
    await pollTick(store, async (items) => items.map((item) => ({ id: item.id, state: 'done', status: 'OK' })), sink, clock, options);
    stale.release();
    const report = await slow;
    expect(sink.events.map((event) => event.id)).toStrictEqual(['job-1']);
    expect(report.completed).toBe(0);
  });

  it('never moves polls backwards when a stale tick records after newer ones', async () => {
    const store = new InMemoryWatchStore();
    await store.add('job-1', undefined, T0);
    const clock = { t: T0, now: () => clock.t };
    const pending = (item: WatchItem): StatusResult => ({ id: item.id, state: 'pending', status: 'RUNNING' });
    const stale = stalledStatus(pending);
    const slow = pollTick(store, stale.status, recordingSink(), clock, options);
    await stale.started;
    for (let tick = 0; tick < 3; tick++) {
      clock.t += 2 * MINUTE;
      await pollTick(store, async (items) => items.map(pending), recordingSink(), clock, options);
    }
    stale.release();
    await slow;
    expect(store.peek('job-1')?.polls).toBe(3);
  });
});
