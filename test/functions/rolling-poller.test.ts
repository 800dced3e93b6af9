import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InMemoryWatchStore } from '../../functions/lib/rolling-poller/memory-watch-store';
import { backoffMs, pollTick, type TickOptions } from '../../functions/lib/rolling-poller/poll-tick';
import type { CompletionEvent, CompletionSink, CheckWindowFn, StatusResult, WatchItem } from '../../functions/lib/rolling-poller/types';

const T0 = 1_700_000_000_000;
const MINUTE = 60_000;
const options: TickOptions = { windowSize: 100, maxCallsPerTick: 10, leaseMs: 5 * MINUTE, maxAttempts: 3, backoffBaseMs: MINUTE, backoffMaxMs: 10 * MINUTE };

function testClock(start = T0) {
  const clock = { t: start, now: () => clock.t };
  return clock;
}

function recordingSink(): CompletionSink & { events: CompletionEvent[] } {
  const events: CompletionEvent[] = [];
  return { events, publish: async (batch) => void events.push(...batch) };
}

/** A status function recording each call's ids; `answer` decides each item's result. */
function recordingStatus(answer: (item: WatchItem) => StatusResult = (item) => ({ id: item.id, state: 'pending' })): [CheckWindowFn, string[][]] {
  const calls: string[][] = [];
  const fn: CheckWindowFn = async (items) => {
    calls.push(items.map((item) => item.id));
    return items.map(answer);
  };
  return [fn, calls];
}

async function watched(count: number, now = T0): Promise<InMemoryWatchStore> {
  const store = new InMemoryWatchStore();
  for (let i = 0; i < count; i++) await store.add(`job-${String(i).padStart(4, '0')}`, { n: i }, now);
  return store;
}

describe('pollTick', () => {
  it('checks 1,000 items with a window of 100 in 10 status calls, each item once', async () => {
    const store = await watched(1000);
    const [status, calls] = recordingStatus();
    const report = await pollTick(store, status, recordingSink(), testClock(), options);
    expect(calls.map((ids) => ids.length)).toStrictEqual(Array(10).fill(100));
    expect(new Set(calls.flat()).size).toBe(1000);
    expect(report.activeItems).toBe(1000);
  });

  it('makes at most maxCallsPerTick calls and resumes at the cursor on the next tick', async () => {
    const store = await watched(1000);
    const [status, calls] = recordingStatus();
    const clock = testClock();
    const reports = [];
    for (let tick = 0; tick < 4; tick++) {
      reports.push(await pollTick(store, status, recordingSink(), clock, { ...options, maxCallsPerTick: 3 }));
      clock.t += MINUTE;
    }
    expect(reports.map((report) => report.calls)).toStrictEqual([3, 3, 3, 3]);
    expect(new Set(calls.slice(0, 10).flat()).size).toBe(1000);
    expect(calls[10]?.[0]).toBe('job-0000');
  });

  it('stops after one full circle when the table is smaller than the tick budget', async () => {
    const store = await watched(250);
    const [status, calls] = recordingStatus();
    await pollTick(store, status, recordingSink(), testClock(), options);
    expect(calls.map((ids) => ids.length)).toStrictEqual([100, 100, 50]);
  });

  it('emits one completion per finished item, removes it, and never checks it again', async () => {
    const store = await watched(1000);
    const sink = recordingSink();
    const done = new Set<string>();
    const [status, calls] = recordingStatus((item) => (Number(item.id.slice(4)) % 7 === 0 ? { id: item.id, state: 'done', result: 'ok' } : { id: item.id, state: 'pending' }));
    const clock = testClock();
    for (let tick = 0; tick < 3; tick++) {
      const before = calls.length;
      await pollTick(store, status, sink, clock, options);
      for (const ids of calls.slice(before)) for (const id of ids) expect(done.has(id)).toBe(false);
      for (const event of sink.events) done.add(event.id);
      clock.t += MINUTE;
    }
    expect(sink.events).toHaveLength(143);
    expect(store.size).toBe(857);
    expect(sink.events[0]).toMatchObject({ id: 'job-0000', outcome: 'done', result: 'ok', data: { n: 0 }, addedAt: T0, completedAt: T0, polls: 1 });
  });

  it('takes items added while it runs into the rotation, and drops unwatched ones', async () => {
    const store = await watched(5);
    const [status, calls] = recordingStatus();
    const clock = testClock();
    await pollTick(store, status, recordingSink(), clock, options);
    await store.add('job-0100', undefined, clock.now());
    await store.remove('job-0002');
    await pollTick(store, status, recordingSink(), clock, options);
    expect(calls[1]).toStrictEqual(['job-0000', 'job-0001', 'job-0003', 'job-0004', 'job-0100']);
  });

  it('records status, polls and last-polled time of pending items', async () => {
    const store = await watched(1);
    await pollTick(store, async (items) => items.map((item) => ({ id: item.id, state: 'pending', status: 'RUNNING' })), recordingSink(), testClock(T0 + 5), options);
    expect(store.peek('job-0000')).toMatchObject({ status: 'RUNNING', polls: 1, attempts: 0, lastPolledAt: T0 + 5 });
  });

  it('backs off an item whose checks keep failing, doubling the delay', async () => {
    const store = await watched(1);
    const [status, calls] = recordingStatus((item) => ({ id: item.id, state: 'error', error: 'throttled' }));
    const clock = testClock();
    await pollTick(store, status, recordingSink(), clock, { ...options, maxAttempts: 10 });
    expect(store.peek('job-0000')).toMatchObject({ attempts: 1, nextPollAt: T0 + MINUTE, lastError: 'throttled' });
    clock.t += MINUTE - 1;
    const skipped = await pollTick(store, status, recordingSink(), clock, { ...options, maxAttempts: 10 });
    expect({ calls: skipped.calls, backingOff: skipped.backingOff }).toStrictEqual({ calls: 0, backingOff: 1 });
    clock.t += 1;
    await pollTick(store, status, recordingSink(), clock, { ...options, maxAttempts: 10 });
    expect(calls).toHaveLength(2);
    expect(store.peek('job-0000')?.nextPollAt).toBe(clock.t + 2 * MINUTE);
  });

  it('gives an item up after maxAttempts failed checks with a gave-up completion', async () => {
    const store = await watched(1);
    const sink = recordingSink();
    const clock = testClock();
    for (let attempt = 0; attempt < 3; attempt++) {
      await pollTick(store, async () => { throw new Error('status API down'); }, sink, clock, options);
      clock.t += 10 * MINUTE;
    }
    expect(sink.events).toMatchObject([{ id: 'job-0000', outcome: 'gave-up', error: 'Error: status API down', polls: 3 }]);
    expect(store.size).toBe(0);
  });

  it('treats an item missing from the answer as a failed check', async () => {
    const store = await watched(2);
    const report = await pollTick(store, async (items) => [{ id: items[0]!.id, state: 'pending' }], recordingSink(), testClock(), options);
    expect(report.errors).toBe(1);
    expect(store.peek('job-0001')?.lastError).toMatch(/no result/);
  });

  it('keeps an item whose completion could not be sent, and completes it next pass', async () => {
    const store = await watched(1);
    const done: CheckWindowFn = async (items) => items.map((item) => ({ id: item.id, state: 'done' }));
    const failing: CompletionSink = { publish: async () => { throw new Error('queue unavailable'); } };
    const first = await pollTick(store, done, failing, testClock(), options);
    expect({ unsent: first.completionsUnsent, size: store.size }).toStrictEqual({ unsent: 1, size: 1 });
    const sink = recordingSink();
    await pollTick(store, done, sink, testClock(T0 + MINUTE), options);
    expect(sink.events.map((event) => event.id)).toStrictEqual(['job-0000']);
  });

  it('removes the items whose completions were sent and keeps the unsent ones', async () => {
    const store = await watched(2);
    const done: CheckWindowFn = async (items) => items.map((item) => ({ id: item.id, state: 'done' }));
    const report = await pollTick(store, done, { publish: async () => ['job-0001'] }, testClock(), options);
    expect({ completed: report.completed, unsent: report.completionsUnsent }).toStrictEqual({ completed: 1, unsent: 1 });
    expect([store.peek('job-0000'), store.peek('job-0001')?.id]).toStrictEqual([undefined, 'job-0001']);
  });

  it('skips a tick while another tick holds the lease, and runs once it has expired', async () => {
    const store = await watched(1);
    await store.claimTick('stuck', T0, T0 + options.leaseMs);
    const [status, calls] = recordingStatus();
    expect((await pollTick(store, status, recordingSink(), testClock(), options)).skipped).toBe(true);
    expect((await pollTick(store, status, recordingSink(), testClock(T0 + options.leaseMs), options)).calls).toBe(1);
    expect(calls).toHaveLength(1);
  });

  it('reports completion lag from added to completed', async () => {
    const store = await watched(1, T0 - 3 * MINUTE);
    const report = await pollTick(store, async (items) => items.map((item) => ({ id: item.id, state: 'done' })), recordingSink(), testClock(), options);
    expect(report.completionLagsMs).toStrictEqual([3 * MINUTE]);
  });
});

describe('backoffMs', () => {
  it('doubles from the base and stops at the cap', () => {
    expect([1, 2, 3, 4, 5, 6].map((attempts) => backoffMs(attempts, 1_000, 10_000))).toStrictEqual([1_000, 2_000, 4_000, 8_000, 10_000, 10_000]);
  });
});

describe('pollTick (property)', () => {
  it('never exceeds the call budget, never checks an item twice per tick, and stays fair', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 120 }), fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 6 }), async (count, windowSize, maxCallsPerTick) => {
        const store = await watched(count);
        const polls = new Map<string, number>();
        const clock = testClock();
        for (let tick = 0; tick < 8; tick++) {
          const [status, calls] = recordingStatus();
          await pollTick(store, status, recordingSink(), clock, { ...options, windowSize, maxCallsPerTick });
          const ids = calls.flat();
          expect(calls.length).toBeLessThanOrEqual(maxCallsPerTick);
          expect(calls.every((call) => call.length <= windowSize)).toBe(true);
          expect(new Set(ids).size).toBe(ids.length);
          for (const id of ids) polls.set(id, (polls.get(id) ?? 0) + 1);
          clock.t += MINUTE;
        }
        const counts = [...polls.values()];
        if (count > 0) expect(Math.max(...counts) - Math.min(...counts, Infinity)).toBeLessThanOrEqual(1);
        if (count > 0) expect(polls.size).toBe(Math.min(count, 8 * windowSize * maxCallsPerTick));
      }),
      { numRuns: 40 },
    );
  });
});
