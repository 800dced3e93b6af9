import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PartialSendError, PoisonRecordError } from '../../functions/lib/errors';
import { queueDelivery } from '../../functions/lib/marker-sweeper/queue-delivery';
import { keyReader, markAll, type MarkEvent } from '../../functions/lib/marker-sweeper/mark-events';
import { InMemoryFlagStore } from '../../functions/lib/marker-sweeper/memory-flag-store';
import { findDue, sweepOnce, sweepRun, type FlagBatchFn, type SweepOptions } from '../../functions/lib/marker-sweeper/sweep-run';
import type { Flag } from '../../functions/lib/marker-sweeper/types';

const T0 = 1_700_000_000_000;
const options: SweepOptions = { batchSize: 10, leaseMs: 60_000, retryDelayMs: 30_000 };

function testClock(start = T0) {
  const clock = { t: start, now: () => clock.t };
  return clock;
}

/** A sweep function that records every batch it is given (DataLoader-style `[fn, calls]`). */
function recordingSweep(inside?: (flags: readonly Flag[]) => Promise<void>): [FlagBatchFn, Flag[][]] {
  const batches: Flag[][] = [];
  const fn: FlagBatchFn = async (flags) => {
    batches.push([...flags]);
    await inside?.(flags);
  };
  return [fn, batches];
}

function events(keys: readonly string[], prefix = 'm'): MarkEvent[] {
  return keys.map((key, index) => ({ id: `${prefix}${index}`, key }));
}

describe('keyReader', () => {
  it('reads a dot path, with or without a leading $.', () => {
    expect(keyReader('room.id')({ room: { id: 'r1' } })).toBe('r1');
    expect(keyReader('$.room.id')({ room: { id: 7 } })).toBe('7');
  });

  it('rejects a body without a scalar at the path as a poison record', () => {
    expect(() => keyReader('id')({ id: { nested: 1 } })).toThrow(PoisonRecordError);
    expect(() => keyReader('id')({ id: '' })).toThrow(/no non-empty string, number or boolean at "id"/);
  });

  it('rejects a key over the 2,048-byte partition key limit', () => {
    expect(() => keyReader('id')({ id: 'x'.repeat(2049) })).toThrow(/2049 bytes, over the 2048-byte limit/);
  });

  it('refuses a malformed path when built', () => {
    expect(() => keyReader('a..b')).toThrow(/field path/);
  });
});

describe('markAll', () => {
  it('folds N events over K keys into K writes and K flags', async () => {
    const store = new InMemoryFlagStore();
    const report = await markAll(store, events(['a', 'b', 'a', 'c', 'a', 'b']), T0);
    expect({ writes: report.writes, created: report.created, collapsed: report.collapsed }).toStrictEqual({ writes: 3, created: 3, collapsed: 3 });
    expect(store.peek('a')?.marks).toBe(3);
    expect(await store.countOutstanding()).toBe(3);
  });

  it('collapses a mark into an existing flag, keeping the count and the last-marked time', async () => {
    const store = new InMemoryFlagStore();
    await markAll(store, events(['a'], 'first'), T0);
    const report = await markAll(store, events(['a'], 'second'), T0 + 5_000);
    expect(report.collapsed).toBe(1);
    expect(store.peek('a')).toMatchObject({ marks: 2, firstMarkedAt: T0, lastMarkedAt: T0 + 5_000 });
  });

  it('ignores a redelivered batch instead of counting its marks twice', async () => {
    const store = new InMemoryFlagStore();
    await markAll(store, events(['a', 'a']), T0);
    const report = await markAll(store, events(['a', 'a']), T0 + 1);
    expect(report.redelivered).toBe(2);
    expect(store.peek('a')?.marks).toBe(2);
  });

  it('fails only the events of a key whose write failed', async () => {
    const store = new InMemoryFlagStore();
    const original = store.mark.bind(store);
    store.mark = async (key, markId, now, count) => {
      if (key === 'bad') throw new Error('throttled');
      return original(key, markId, now, count);
    };
    const report = await markAll(store, [{ id: '1', key: 'ok' }, { id: '2', key: 'bad' }, { id: '3', key: 'bad' }], T0);
    expect([...report.failed.keys()]).toStrictEqual(['2', '3']);
    expect(store.peek('ok')?.marks).toBe(1);
  });
});

describe('sweepOnce', () => {
  it('delivers exactly K flags for N mark events over K distinct keys', async () => {
    const store = new InMemoryFlagStore(4);
    const clock = testClock();
    const keys = Array.from({ length: 500 }, (_, i) => `room-${i % 37}`);
    for (let batch = 0; batch < 50; batch++) await markAll(store, events(keys.slice(batch * 10, batch * 10 + 10), `b${batch}-`), clock.now());
    const [sweep, batches] = recordingSweep();
    while ((await sweepOnce(store, sweep, clock, options)).claimed > 0) clock.t += 1_000;
    const delivered = batches.flat().map((flag) => flag.key);
    expect(delivered).toHaveLength(37);
    expect(new Set(delivered).size).toBe(37);
    expect(batches.flat().reduce((sum, flag) => sum + flag.marks, 0)).toBe(500);
  });

  it('claims at most batchSize flags, oldest first across shards', async () => {
    const store = new InMemoryFlagStore(3);
    for (let i = 0; i < 15; i++) await store.mark(`k${i}`, `m${i}`, T0 + i, 1);
    const [sweep, batches] = recordingSweep();
    const report = await sweepOnce(store, sweep, testClock(T0 + 100), { ...options, batchSize: 4 });
    expect(report.claimed).toBe(4);
    expect(batches[0]?.map((flag) => flag.key)).toStrictEqual(['k0', 'k1', 'k2', 'k3']);
  });

  it('keeps a flag re-marked during the sweep and delivers it again next sweep', async () => {
    const store = new InMemoryFlagStore();
    const clock = testClock();
    await store.mark('a', 'm1', T0, 1);
    await store.mark('b', 'm2', T0, 1);
    const [sweep, batches] = recordingSweep(async () => {
      await store.mark('a', 'm3', clock.now(), 1);
    });
    const first = await sweepOnce(store, sweep, clock, options);
    expect({ cleared: first.cleared, remarked: first.remarked }).toStrictEqual({ cleared: 1, remarked: 1 });
    const second = await sweepOnce(store, async () => {}, clock, options);
    expect(second.cleared).toBe(1);
    expect(batches[0]?.map((flag) => flag.key).sort()).toStrictEqual(['a', 'b']);
    expect(await store.countOutstanding()).toBe(0);
  });

  it('never lets two concurrent sweepers deliver the same flag', async () => {
    const store = new InMemoryFlagStore(4);
    for (let i = 0; i < 200; i++) await store.mark(`k${i}`, `m${i}`, T0, 1);
    const inFlight = new Set<string>();
    const delivered: string[] = [];
    const sweep: FlagBatchFn = async (flags) => {
      for (const flag of flags) {
        expect(inFlight.has(flag.key)).toBe(false);
        inFlight.add(flag.key);
        delivered.push(flag.key);
      }
      await new Promise((resolve) => setImmediate(resolve));
      for (const flag of flags) inFlight.delete(flag.key);
    };
    const clock = testClock(T0 + 1);
    const sweeper = async () => {
      while ((await sweepOnce(store, sweep, clock, { ...options, batchSize: 7 })).due > 0);
    };
    await Promise.all([sweeper(), sweeper(), sweeper(), sweeper()]);
    expect(delivered).toHaveLength(200);
    expect(new Set(delivered).size).toBe(200);
  });

  it('sweeps again the flags of a crashed sweep once its lease has expired', async () => {
    const store = new InMemoryFlagStore();
    const clock = testClock();
    await store.mark('a', 'm1', T0, 1);
    await store.claim('a', { owner: 'crashed', now: T0, until: T0 + options.leaseMs });
    const [sweep, batches] = recordingSweep();
    expect((await sweepOnce(store, sweep, clock, options)).claimed).toBe(0);
    clock.t = T0 + options.leaseMs;
    expect((await sweepOnce(store, sweep, clock, options)).cleared).toBe(1);
    expect(batches[0]).toMatchObject([{ key: 'a', attempts: 2 }]);
  });

  it('releases keys the sweep function reports failed until retryDelayMs has passed', async () => {
    const store = new InMemoryFlagStore();
    const clock = testClock();
    await store.mark('a', 'm1', T0, 1);
    await store.mark('b', 'm2', T0, 1);
    const first = await sweepOnce(store, async () => ({ failed: ['b'] }), clock, options);
    expect({ cleared: first.cleared, failed: first.failed }).toStrictEqual({ cleared: 1, failed: 1 });
    clock.t += options.retryDelayMs - 1;
    expect((await sweepOnce(store, async () => {}, clock, options)).claimed).toBe(0);
    clock.t += 1;
    expect((await sweepOnce(store, async () => {}, clock, options)).cleared).toBe(1);
  });

  it('releases the whole batch and rethrows when the sweep function throws', async () => {
    const store = new InMemoryFlagStore();
    const clock = testClock();
    await store.mark('a', 'm1', T0, 1);
    await expect(sweepOnce(store, async () => { throw new Error('backend down'); }, clock, options)).rejects.toThrow('backend down');
    expect(store.peek('a')).toMatchObject({ leaseOwner: undefined, dueAt: T0 + options.retryDelayMs });
  });

  it('reports the age of the oldest due flag as the sweep lag', async () => {
    const store = new InMemoryFlagStore();
    await store.mark('old', 'm1', T0, 1);
    await store.mark('new', 'm2', T0 + 40_000, 1);
    const report = await sweepOnce(store, async () => {}, testClock(T0 + 90_000), options);
    expect(report.oldestAgeMs).toBe(90_000);
  });

  it('counts a flag whose lease was taken over as lost, without clearing it', async () => {
    const store = new InMemoryFlagStore();
    const clock = testClock();
    await store.mark('a', 'm1', T0, 1);
    const report = await sweepOnce(store, async () => {
      clock.t += options.leaseMs;
      await store.claim('a', { owner: 'other', now: clock.now(), until: clock.now() + options.leaseMs });
    }, clock, options);
    expect(report.leaseLost).toBe(1);
    expect(store.peek('a')?.leaseOwner).toBe('other');
  });
});

describe('findDue', () => {
  it('merges the shards oldest first and skips flags not yet due', async () => {
    const store = new InMemoryFlagStore(4);
    for (let i = 0; i < 8; i++) await store.mark(`k${i}`, `m${i}`, T0 + 10 * (8 - i), 1);
    const due = await findDue(store, T0 + 50, 100);
    expect(due.map((flag) => flag.key)).toStrictEqual(['k7', 'k6', 'k5', 'k4', 'k3']);
  });
});

describe('sweepRun', () => {
  it('sweeps full batches until a batch comes back short, within maxBatches', async () => {
    const store = new InMemoryFlagStore();
    for (let i = 0; i < 25; i++) await store.mark(`k${i}`, `m${i}`, T0, 1);
    const [sweep, batches] = recordingSweep();
    const report = await sweepRun(store, sweep, testClock(T0 + 1), { ...options, maxBatches: 2 });
    expect(batches.map((batch) => batch.length)).toStrictEqual([10, 10]);
    expect(report.cleared).toBe(20);
  });
});

describe('queueDelivery', () => {
  it('publishes one message per flag and reports the unsent ones as failed', async () => {
    const published: string[] = [];
    const fn = queueDelivery({
      publish: async (messages) => {
        published.push(...messages.map((message) => message.body));
        throw new PartialSendError([{ id: '1', code: 'InternalError', message: 'x', senderFault: false }]);
      },
    });
    const flag = (key: string): Flag => ({ key, marks: 1, firstMarkedAt: T0, lastMarkedAt: T0, attempts: 1 });
    expect(await fn([flag('a'), flag('b')])).toStrictEqual({ failed: ['b'] });
    expect(JSON.parse(published[0] as string)).toStrictEqual(flag('a'));
  });
});

describe('marker and sweeper (property)', () => {
  it('delivers every mark by a sweep that started after it, whatever the interleaving', async () => {
    const op = fc.oneof(fc.record({ mark: fc.constantFrom('a', 'b', 'c', 'd') }), fc.record({ sweep: fc.boolean() }));
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 40 }), async (ops) => {
        const store = new InMemoryFlagStore(2);
        const clock = testClock();
        let seq = 0;
        const lastMark = new Map<string, number>();
        const deliveredAt = new Map<string, number>();
        const sweep = (remark: boolean): FlagBatchFn => async (flags) => {
          const started = ++seq;
          for (const flag of flags) deliveredAt.set(flag.key, started);
          if (remark && flags[0]) {
            lastMark.set(flags[0].key, ++seq);
            await store.mark(flags[0].key, `r${seq}`, clock.now(), 1);
          }
        };
        for (const step of ops) {
          clock.t += 1;
          if ('mark' in step) {
            lastMark.set(step.mark, ++seq);
            await store.mark(step.mark, `m${seq}`, clock.now(), 1);
          } else {
            await sweepOnce(store, sweep(step.sweep), clock, { ...options, batchSize: 2 });
          }
        }
        while ((await sweepOnce(store, sweep(false), clock, options)).claimed > 0) clock.t += 1;
        for (const [key, markedAt] of lastMark) expect(deliveredAt.get(key) ?? 0).toBeGreaterThan(markedAt);
      }),
      { numRuns: 60 },
    );
  });
});
