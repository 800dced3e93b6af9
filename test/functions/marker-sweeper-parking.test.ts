import { describe, expect, it } from 'vitest';
import { InMemoryFlagStore } from '../../functions/lib/marker-sweeper/memory-flag-store';
import { sweepOnce, type ParkedFlag, type SweepOptions } from '../../functions/lib/marker-sweeper/sweep-run';

const T0 = 1_700_000_000_000;

function parking(maxAttempts: number, failPark = false) {
  const parked: ParkedFlag[] = [];
  const options: SweepOptions = {
    batchSize: 10, leaseMs: 60_000, retryDelayMs: 0,
    parking: { maxAttempts, deadLetter: { park: async (flags) => { if (failPark) throw new Error('dlq down'); parked.push(...flags); } } },
  };
  return { parked, options };
}

describe('sweepOnce parking', () => {
  it('parks a flag whose sweep reported it failed maxAttempts times, with its last error, and clears it', async () => {
    const store = new InMemoryFlagStore(2);
    await store.mark('a', 'm1', T0, 1);
    await store.mark('b', 'm2', T0, 1);
    const { parked, options } = parking(3);
    const clock = { now: () => T0 };
    const reports = [];
    for (let run = 0; run < 4; run++) {
      reports.push(await sweepOnce(store, async () => ({ failed: ['a'], errors: { a: `bad room (run ${run})` } }), clock, options));
    }
    expect(parked.map(({ flag, error }) => [flag.key, flag.attempts, error])).toStrictEqual([['a', 3, 'bad room (run 2)']]);
    expect(reports.map((report) => [report.failed, report.parked])).toStrictEqual([[1, 0], [1, 0], [0, 1], [0, 0]]);
    expect([store.peek('a'), store.peek('b')]).toStrictEqual([undefined, undefined]);
  });

  it('counts consecutive failures only: a hot key re-marked during successful sweeps is not parked by one later failure', async () => {
    const store = new InMemoryFlagStore(1);
    await store.mark('hot', 'm0', T0, 1);
    const { parked, options } = parking(3);
    const clock = { now: () => T0 };
    // Five sweeps succeed, and each time a new mark lands while the sweep runs: the flag is kept, not cleared.
    for (let run = 1; run <= 5; run++) {
      const report = await sweepOnce(store, async () => { await store.mark('hot', `m${run}`, T0, 1); }, clock, options);
      expect(report.remarked).toBe(1);
    }
    const failing = async () => ({ failed: ['hot'], errors: { hot: 'transient' } });
    const first = await sweepOnce(store, failing, clock, options);
    expect([first.failed, first.parked, parked.length]).toStrictEqual([1, 0, 0]);
    await sweepOnce(store, failing, clock, options);
    const third = await sweepOnce(store, failing, clock, options);
    expect([third.parked, parked.map(({ flag }) => [flag.key, flag.attempts])]).toStrictEqual([1, [['hot', 3]]]);
  });

  it('parks every flag of a batch whose sweep keeps throwing, then rethrows', async () => {
    const store = new InMemoryFlagStore(1);
    await store.mark('a', 'm1', T0, 1);
    const { parked, options } = parking(2);
    const clock = { now: () => T0 };
    const sweep = async (): Promise<void> => { throw new Error('backend down'); };
    await expect(sweepOnce(store, sweep, clock, options)).rejects.toThrow('backend down');
    await expect(sweepOnce(store, sweep, clock, options)).rejects.toThrow('backend down');
    expect(parked.map(({ flag, error }) => [flag.key, error])).toStrictEqual([['a', 'Error: backend down']]);
    expect(store.peek('a')).toBeUndefined();
  });

  it('keeps a flag (released for a retry) when its dead-letter send fails: nothing is dropped', async () => {
    const store = new InMemoryFlagStore(1);
    await store.mark('a', 'm1', T0, 1);
    const { options } = parking(1, true);
    const report = await sweepOnce(store, async () => ({ failed: ['a'] }), { now: () => T0 }, options);
    expect([report.failed, report.parked, store.peek('a')?.leaseOwner]).toStrictEqual([1, 0, undefined]);
  });
});
