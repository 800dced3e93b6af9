import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../functions/lib/clock';
import { InMemoryFlagStore } from '../../functions/lib/marker-sweeper/memory-flag-store';
import { sweepOnce } from '../../functions/lib/marker-sweeper/sweep-run';
import { InMemoryWatchStore } from '../../functions/lib/rolling-poller/memory-watch-store';
import { pollTick } from '../../functions/lib/rolling-poller/poll-tick';
import type { CompletionEvent } from '../../functions/lib/rolling-poller/types';
import {
  InMemoryEventSink, InMemoryTaskStore, InMemoryTimeoutScheduler, RecordingMetrics, SparseTaskCompletions, SparseTaskSubmitter, SparseTaskTimeoutMonitor,
  MONITOR_EVENT_ID, type CompletionStatus, type TaskStore,
} from '../../functions/lib/sparse-task';

/**
 * The race protocols run under fast-check's scheduler: every store operation waits for the
 * scheduler to release it and then applies atomically (as one conditional write does), so each
 * run explores a generated interleaving of the actors, and a failure shrinks to the smallest one.
 */
const T0 = 1_700_000_000_000;
const RUNS = 60;

/** Routes a store's own yield through the scheduler, so no uncontrolled timer orders the operations. */
function yieldThrough(store: InMemoryFlagStore | InMemoryWatchStore, s: fc.Scheduler): void {
  (store as unknown as { yieldTurn: (operation: string) => Promise<void> }).yieldTurn = async (operation) => {
    (store.calls as Record<string, number>)[operation] += 1;
    await s.schedule(Promise.resolve(), operation);
  };
}

/** A proxy whose every method first waits for the scheduler (the in-memory task fakes do not yield on their own). */
function scheduledMethods<T extends object>(target: T, s: fc.Scheduler, label: string): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      const value = Reflect.get(object, property, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        await s.schedule(Promise.resolve(), `${label}.${String(property)}`);
        return (value as (...a: unknown[]) => unknown).apply(object, args);
      };
    },
  });
}

describe('MarkerSweeper: lease and re-mark under generated interleavings', () => {
  it('never lets two sweeps hold one flag, and every mark is swept exactly once (none lost to a re-mark)', async () => {
    const marksArb = fc.array(fc.constantFrom('a', 'b', 'c'), { minLength: 1, maxLength: 12 });
    const failArb = fc.array(fc.boolean(), { minLength: 1, maxLength: 8 });
    await fc.assert(fc.asyncProperty(fc.scheduler(), marksArb, failArb, fc.integer({ min: 1, max: 3 }), async (s, marks, failures, sweepers) => {
      const store = new InMemoryFlagStore(2);
      yieldThrough(store, s);
      const clock = { now: () => T0 };
      const held = new Map<string, string>();
      const clearedMarks = new Map<string, number>();
      const originalClear = store.clear.bind(store);
      store.clear = async (key, owner, count) => {
        const cleared = await originalClear(key, owner, count);
        if (cleared) clearedMarks.set(key, (clearedMarks.get(key) ?? 0) + count);
        return cleared;
      };
      let flip = 0;
      let sweepNumber = 0;
      const sweep = (owner: string) => async (flags: readonly { key: string }[]) => {
        for (const flag of flags) {
          expect(held.get(flag.key), `flag ${flag.key} held by two sweeps`).toBeUndefined();
          held.set(flag.key, owner);
        }
        await s.schedule(Promise.resolve(), `sweep by ${owner}`);
        for (const flag of flags) held.delete(flag.key);
        return { failed: flags.filter(() => failures[flip++ % failures.length]).map((flag) => flag.key) };
      };
      const sweepOptions = { batchSize: 2, leaseMs: 3_600_000, retryDelayMs: 0 };
      const marker = (async () => { for (const [index, key] of marks.entries()) await store.mark(key, `m${index}`, T0, 1); })();
      const sweeping = Array.from({ length: sweepers }, async () => {
        for (let run = 0; run < 3; run++) {
          const owner = `sweep-${++sweepNumber}`;
          await sweepOnce(store, sweep(owner), clock, { ...sweepOptions, newOwner: () => owner });
        }
      });
      await s.waitFor(Promise.all([marker, ...sweeping]));
      // Drain what is left with a sweep that never fails.
      for (let drain = 0; drain < 20 && (await s.waitFor(store.countOutstanding())) > 0; drain++) {
        await s.waitFor(sweepOnce(store, async () => undefined, clock, { ...sweepOptions, newOwner: () => `drain-${drain}` }));
      }
      const expected = new Map<string, number>();
      for (const key of marks) expected.set(key, (expected.get(key) ?? 0) + 1);
      expect(new Map([...clearedMarks].sort())).toStrictEqual(new Map([...expected].sort()));
    }), { numRuns: RUNS });
  });
});

describe('SparseTask: one terminal state under generated interleavings', () => {
  it('lets exactly one of the completions and the monitor finish the task, and tells downstream only that outcome', async () => {
    const completionArb = fc.array(fc.record({ eventId: fc.constantFrom('e1', 'e2', 'e3'), status: fc.constantFrom<CompletionStatus>('SUCCEEDED', 'FAILED') }), { minLength: 1, maxLength: 5 });
    await fc.assert(fc.asyncProperty(fc.scheduler(), completionArb, fc.boolean(), fc.boolean(), async (s, completions, monitorFires, resubmits) => {
      const TIMEOUT = 300_000;
      const rawStore = new InMemoryTaskStore();
      const store: TaskStore = scheduledMethods(rawStore, s, 'store');
      const rawScheduler = new InMemoryTimeoutScheduler();
      const scheduler = scheduledMethods(rawScheduler, s, 'scheduler');
      const sink = new InMemoryEventSink();
      const metrics = new RecordingMetrics();
      const before = new ManualClock(T0);
      const submitter = new SparseTaskSubmitter({ store, scheduler, sink, metrics, clock: before, start: async () => undefined, defaultTimeoutMs: TIMEOUT, newCorrelationId: () => 'c' });
      await s.waitFor(submitter.submit({ taskId: 't1' }));
      const deadline = rawStore.all()[0]?.deadline as number;
      before.set(deadline - 1);
      const handler = new SparseTaskCompletions({ store, scheduler, sink, metrics, clock: before });
      const monitor = new SparseTaskTimeoutMonitor({ store, scheduler, sink, metrics, clock: new ManualClock(deadline) });
      const actors: Promise<unknown>[] = completions.map((event) => handler.handle({ taskId: 't1', ...event }));
      if (monitorFires) {
        actors.push((async () => {
          // EventBridge fires the one-time schedule, which deletes itself after the invocation.
          await s.schedule(Promise.resolve(), 'schedule fires');
          rawScheduler.takeDue(deadline);
          return monitor.fire({ taskId: 't1' });
        })());
      }
      if (resubmits) actors.push(submitter.submit({ taskId: 't1' }));
      await s.waitFor(Promise.all(actors));
      const record = rawStore.all()[0];
      expect(record?.status).not.toBe('PENDING');
      const winner = record?.finishedBy;
      const outcomes = new Set(sink.events.map((event) => event.eventId));
      expect([...outcomes]).toStrictEqual([`t1:${record?.status}`]);
      // Every other writer is a recorded loser or a replay of the winner's own event id.
      const others = new Set([...completions.map((event) => event.eventId), ...(monitorFires ? [MONITOR_EVENT_ID] : [])].filter((id) => id !== winner));
      expect(Object.keys(record?.losers ?? {}).sort()).toStrictEqual([...others].sort());
      // A re-submission that finds the old schedule gone (it fired, or was lost) arms a fresh one
      // while the task may still be PENDING; it may outlive the task. It fires once, finds the
      // task finished, changes neither its outcome nor what downstream heard, and deletes itself.
      if (!resubmits) expect(rawScheduler.armed()).toStrictEqual([]);
      const late = new SparseTaskTimeoutMonitor({ store: rawStore, scheduler: rawScheduler, sink, metrics, clock: new ManualClock(Number.MAX_SAFE_INTEGER) });
      for (const left of rawScheduler.takeDue(Number.MAX_SAFE_INTEGER)) await late.fire(left.payload);
      expect([rawStore.all()[0]?.status, rawStore.all()[0]?.finishedBy]).toStrictEqual([record?.status, winner]);
      expect([...new Set(sink.events.map((event) => event.eventId))]).toStrictEqual([`t1:${record?.status}`]);
      expect(rawScheduler.armed()).toStrictEqual([]);
    }), { numRuns: RUNS });
  });
});

describe('RollingPoller: the cursor lease and fenced item writes under generated interleavings', () => {
  it('never completes one version of an item twice, never moves polls backwards, and loses no finished item, however overlapping ticks interleave', async () => {
    const doneArb = fc.array(fc.boolean(), { minLength: 4, maxLength: 4 });
    await fc.assert(fc.asyncProperty(fc.scheduler(), doneArb, fc.integer({ min: 2, max: 4 }), async (s, finishes, ticks) => {
      const store = new InMemoryWatchStore();
      const ids = ['j0', 'j1', 'j2', 'j3'];
      for (const id of ids) await store.add(id, undefined, T0);
      yieldThrough(store, s);
      const pollsSeen = new Map<string, number>();
      const originalRecord = store.record.bind(store);
      store.record = async (id, update, expected) => {
        const written = await originalRecord(id, update, expected);
        if (written) {
          expect(update.polls, `polls of ${id} moved backwards`).toBeGreaterThanOrEqual(pollsSeen.get(id) ?? 0);
          pollsSeen.set(id, update.polls);
        }
        return written;
      };
      const events: CompletionEvent[] = [];
      const sink = { publish: async (batch: readonly CompletionEvent[]) => { await s.schedule(Promise.resolve(), 'publish'); events.push(...batch); } };
      const clock = { t: T0, now: () => clock.t };
      // Each tick starts after the previous one's lease has ended, but may still overlap its slow tail.
      const options = { windowSize: 2, maxCallsPerTick: 2, leaseMs: 1_000, maxAttempts: 3, backoffBaseMs: 1, backoffMaxMs: 1 };
      const status = async (items: readonly { id: string }[]) => {
        await s.schedule(Promise.resolve(), 'status');
        return items.map((item) => (finishes[ids.indexOf(item.id)] ? { id: item.id, state: 'done' as const } : { id: item.id, state: 'pending' as const }));
      };
      const running = Array.from({ length: ticks }, async (_, tick) => {
        await s.schedule(Promise.resolve(), `tick ${tick} starts`);
        clock.t = T0 + tick * 2_000;
        return pollTick(store, status, sink, clock, options);
      });
      await s.waitFor(Promise.all(running));
      // At most one completion per claimed version: two ticks that read the same state never both
      // complete it. (A tick stalled past its lease between claim and delete is re-completed by a
      // later one at a higher version: at-least-once, as after a crash.)
      const versions = events.map((event) => `${event.id}@${event.polls}`);
      expect(versions.length).toBe(new Set(versions).size);
      for (const event of events) expect(finishes[ids.indexOf(event.id)]).toBe(true);
      for (const [index, id] of ids.entries()) if (finishes[index] && store.peek(id) === undefined) expect(events.some((event) => event.id === id)).toBe(true);
    }), { numRuns: RUNS });
  });
});
