import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { histogram, sum, topK } from '../../functions/lib/reduce/merges';
import { InMemoryReduceStore } from '../../functions/lib/reduce/memory-store';
import { applyToShard, reduceBatch } from '../../functions/lib/reduce/reducer';
import type { FinalAggregate, Partial, ReduceStore } from '../../functions/lib/reduce/types';

/** An in-memory store whose every call yields first, so concurrent reducers interleave. */
class InterleavingStore extends InMemoryReduceStore {
  constructor(private readonly delays: () => number) {
    super();
    for (const name of ['readShard', 'writeShard', 'readShards', 'setExpected', 'readExpected', 'putFinal', 'readFinal'] as const) {
      const original = (this as any)[name].bind(this);
      (this as any)[name] = async (...args: unknown[]) => {
        for (let i = this.delays(); i > 0; i--) await new Promise((r) => setImmediate(r));
        return original(...args);
      };
    }
  }
}

/** Distinct partials (values 0–1000) plus duplicate deliveries, shuffled, cut into batches. */
const deliveriesArb = fc.integer({ min: 1, max: 40 }).chain((n) =>
  fc.record({
    values: fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: n, maxLength: n }),
    dupes: fc.array(fc.nat(n - 1), { maxLength: 2 * n }),
    seed: fc.integer(),
    batch: fc.integer({ min: 1, max: 10 }),
    shards: fc.integer({ min: 1, max: 6 }),
    expectedOn: fc.nat(n - 1),
  }));

function deliveries({ values, dupes, seed, batch, expectedOn }: { values: number[]; dupes: number[]; seed: number; batch: number; expectedOn: number }) {
  const partials: Partial<number>[] = values.map((value, i) => ({ reduceId: 'r', partialId: `p${i}`, value, ...(i === expectedOn ? { expected: values.length } : {}) }));
  const all = [...partials, ...dupes.map((i) => partials[i])];
  let s = seed;
  const rand = () => ((s = (s * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(Math.abs(rand()) * (i + 1));
    [all[i], all[j]] = [all[j], all[i]];
  }
  const batches: Partial<number>[][] = [];
  for (let i = 0; i < all.length; i += batch) batches.push(all.slice(i, i + batch));
  return batches;
}

describe('Reduce merging (property tests)', () => {
  it('merges each partial once into a shard, however often and in whatever batches it is delivered', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 60 }), fc.integer({ min: 1, max: 7 }), (ids, size) => {
      let state = { applied: [] as string[], version: 0 } as { value?: number; applied: readonly string[]; version: number };
      for (let i = 0; i < ids.length; i += size) {
        const batch = ids.slice(i, i + size).map((id) => ({ reduceId: 'r', partialId: `p${id}`, value: id + 1 }));
        state = applyToShard(state, batch, sum) ?? state;
      }
      const distinct = [...new Set(ids)];
      expect(state.value).toBe(distinct.reduce((a, id) => a + id + 1, 0));
      expect([...state.applied].sort()).toStrictEqual(distinct.map((id) => `p${id}`).sort());
    }));
  });

  it('gives the sum of the distinct partials, finalized exactly once, under duplicates and concurrent reducers', async () => {
    await fc.assert(fc.asyncProperty(deliveriesArb, fc.integer({ min: 1, max: 4 }), fc.integer(), async (d, concurrency, jitterSeed) => {
      let j = jitterSeed;
      const store: ReduceStore = new InterleavingStore(() => ((j = (j * 69_069 + 1) % 2 ** 31), Math.abs(j) % 4));
      const batches = deliveries(d);
      const finals: FinalAggregate[] = [];
      let merged = 0;
      const options = { merge: sum, shards: d.shards, now: () => 42, maxConflicts: 1_000 };
      // `concurrency` reducers take batches off one shared list at once, as Lambda pollers do.
      await Promise.all(Array.from({ length: concurrency }, async () => {
        for (let b = batches.shift(); b; b = batches.shift()) {
          const report = await reduceBatch(store, b, options);
          merged += report.merged;
          finals.push(...report.finalized);
        }
      }));
      const total = d.values.reduce((a, b) => a + b, 0);
      expect(merged).toBe(d.values.length);
      expect(finals).toStrictEqual([{ reduceId: 'r', value: total, count: d.values.length, finalAt: 42 }]);
      expect(await store.readFinal('r')).toStrictEqual(finals[0]);
    }), { numRuns: 200 });
  });

  it('ready-made merges are associative and commutative', () => {
    const hist = fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd'), fc.integer({ min: 0, max: 50 }));
    const ranked = fc.array(fc.record({ key: fc.constantFrom('k1', 'k2', 'k3', 'k4', 'k5', 'k6'), score: fc.integer({ min: 0, max: 9 }) }), { maxLength: 6 }).map((xs) => topK(3)([], xs));
    for (const [arb, merge] of [[fc.integer({ min: -1e6, max: 1e6 }), sum], [hist, histogram], [ranked, topK(3)]] as const) {
      fc.assert(fc.property(arb as fc.Arbitrary<any>, arb as fc.Arbitrary<any>, arb as fc.Arbitrary<any>, (a, b, c) => {
        const m = merge as (x: any, y: any) => any;
        const norm = (v: unknown) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort()) : v);
        expect(norm(m(m(a, b), c))).toStrictEqual(norm(m(a, m(b, c))));
        expect(norm(m(a, b))).toStrictEqual(norm(m(b, a)));
      }));
    }
  });
});

describe('ready-made merges', () => {
  it('topK keeps the K best, a key at its best score, ties by key', () => {
    expect(topK(2)([{ key: 'b', score: 5 }, { key: 'a', score: 1 }], [{ key: 'a', score: 5 }, { key: 'c', score: 4 }])).toStrictEqual([{ key: 'a', score: 5 }, { key: 'b', score: 5 }]);
  });

  it('histogram adds bucket by bucket', () => {
    expect(histogram({ x: 1, y: 2 }, { y: 3, z: 4 })).toStrictEqual({ x: 1, y: 5, z: 4 });
  });
});
