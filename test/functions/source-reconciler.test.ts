import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InMemoryLedger } from '../../functions/lib/source-reconciler/memory-ledger';
import { reconcile } from '../../functions/lib/source-reconciler/reconcile';
import type { ListFn, SourceItem } from '../../functions/lib/source-reconciler/types';

const yieldSome = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

/** A paginated source over `items`, yielding between pages so runs interleave. */
function pagedSource(items: readonly SourceItem[], pageSize: number, jitter: () => number): ListFn {
  return async (cursor) => {
    await yieldSome(jitter());
    const start = Number(cursor ?? 0);
    const next = start + pageSize;
    return { items: items.slice(start, next), next: next < items.length ? String(next) : undefined };
  };
}

describe('reconcile', () => {
  it('enqueues only what is new, in pages, and nothing on a second run', async () => {
    const ledger = new InMemoryLedger();
    const sent: string[][] = [];
    const items = Array.from({ length: 25 }, (_, i) => ({ id: `k${i}`, body: { key: `k${i}` } }));
    const run = (source: SourceItem[]) => reconcile({ list: pagedSource(source, 10, () => 0), ledger, enqueue: async (b) => void sent.push(b.map((i) => i.id)), now: () => 1_000, leaseMs: 60_000, maxItems: 1_000 });
    expect(await run(items)).toStrictEqual({ pages: 3, listed: 25, enqueued: 25, settled: 0, complete: true });
    expect(sent.map((b) => b.length)).toStrictEqual([10, 10, 5]);
    expect(await run([...items, { id: 'k25', body: {} }, { id: 'k3', version: 'v2', body: {} }])).toStrictEqual({ pages: 3, listed: 27, enqueued: 2, settled: 25, complete: true });
    expect(sent.at(-1)).toStrictEqual(['k25', 'k3']);
  });

  it('stops at maxItems and says the run was not complete', async () => {
    const items = Array.from({ length: 30 }, (_, i) => ({ id: `k${i}`, body: {} }));
    const report = await reconcile({ list: pagedSource(items, 10, () => 0), ledger: new InMemoryLedger(), enqueue: async () => undefined, now: () => 0, leaseMs: 1, maxItems: 15 });
    expect(report).toStrictEqual({ pages: 2, listed: 20, enqueued: 20, settled: 0, complete: false });
  });

  it('overlapping runs enqueue every item exactly once; a run that died after claiming is taken over once its lease ends', async () => {
    await fc.assert(fc.asyncProperty(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 15 }), fc.integer(), fc.nat(60), async (n, runs, pageSize, seed, crashAt) => {
      let s = seed;
      const jitter = () => ((s = (s * 69_069 + 1) % 2 ** 31), Math.abs(s) % 5);
      const items = Array.from({ length: n }, (_, i) => ({ id: `k${i}`, body: i }));
      const ledger = new InMemoryLedger();
      const sent: string[] = [];
      let time = 0;
      let crashed = false;
      const enqueue = async (batch: readonly SourceItem[]) => {
        await yieldSome(jitter());
        // One run dies once, after claiming, before sending.
        if (!crashed && batch.some((i) => i.id === `k${crashAt}`)) {
          crashed = true;
          throw new Error('crash');
        }
        sent.push(...batch.map((i) => i.id));
      };
      const one = () => reconcile({ list: pagedSource(items, pageSize, jitter), ledger, enqueue, now: () => time, leaseMs: 1_000, maxItems: 1_000 }).catch(() => undefined);
      await Promise.all(Array.from({ length: runs }, one));
      time += 2_000; // the dead run's lease ends
      await one();
      expect([...sent].sort()).toStrictEqual(items.map((i) => i.id).sort());
    }), { numRuns: 150 });
  });
});
