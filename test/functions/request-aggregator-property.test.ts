import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BatchFunctionError, BatchResultCountError } from '../../functions/lib/errors';
import { RequestAggregator } from '../../functions/lib/request-aggregator/aggregator';
import { ManualScheduler } from '../../functions/lib/request-aggregator/scheduler';

type Command = { kind: 'load'; key: string } | { kind: 'flush' } | { kind: 'advance'; ms: number };

const KEYS = ['a', 'b', 'c', 'd', 'e', 'bad', 'boom', 'short'];
const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...KEYS).map((key) => ({ kind: 'load' as const, key })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'flush' as const }) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 40 }).map((ms) => ({ kind: 'advance' as const, ms })) },
);
const options = fc.record({
  maxBatchSize: fc.integer({ min: 1, max: 4 }),
  maxWaitMs: fc.integer({ min: 0, max: 30 }),
  maxConcurrentBatches: fc.integer({ min: 1, max: 3 }),
  maxBatchesPerSecond: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
  cache: fc.option(fc.record({ ttlMs: fc.integer({ min: 1, max: 50 }), maxEntries: fc.integer({ min: 1, max: 3 }) }), { nil: undefined }),
});

interface Batch {
  readonly keys: readonly string[];
  readonly fate: 'ok' | 'throws' | 'short';
}

/**
 * The backend: `v:<key>` per key, its own Error for `bad`; a batch holding `boom` throws, one
 * holding `short` returns one result too few. Its answers are released by fast-check's
 * scheduler, so batches complete in any order relative to loads, flushes and clock moves.
 */
function backend(s: fc.Scheduler, batches: Batch[], concurrency: { active: number; peak: number }) {
  return async (keys: readonly string[]): Promise<Array<string | Error>> => {
    const fate = keys.includes('boom') ? 'throws' : keys.includes('short') ? 'short' : 'ok';
    batches.push({ keys: [...keys], fate });
    concurrency.peak = Math.max(concurrency.peak, ++concurrency.active);
    try {
      await s.schedule(Promise.resolve(), `batch ${keys.join(',')}`);
    } finally {
      concurrency.active--;
    }
    if (fate === 'throws') throw new Error('boom');
    const results = keys.map((key) => (key === 'bad' ? new Error(`bad:${key}`) : `v:${key}`));
    return fate === 'short' ? results.slice(1) : results;
  };
}

describe('RequestAggregator properties', () => {
  it('settles every load exactly once with its own value, its own error, or its batch error, under any interleaving', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), options, fc.array(command, { maxLength: 40 }), async (s, opts, commands) => {
        const scheduler = new ManualScheduler();
        const batches: Batch[] = [];
        const concurrency = { active: 0, peak: 0 };
        const aggregator = new RequestAggregator({ ...opts, loadBatch: backend(s, batches, concurrency), scheduler });
        const loads: { key: string; settled: number; outcome?: unknown }[] = [];
        for (const [index, next] of commands.entries()) {
          void s.schedule(Promise.resolve(), `command ${index}`).then(() => {
            if (next.kind === 'advance') return scheduler.advance(next.ms);
            if (next.kind === 'flush') return void aggregator.flush();
            const load = { key: next.key, settled: 0 } as (typeof loads)[number];
            loads.push(load);
            aggregator.load(next.key).then(
              (value) => Object.assign(load, { settled: load.settled + 1, outcome: value }),
              (error: unknown) => Object.assign(load, { settled: load.settled + 1, outcome: error }),
            );
          });
        }
        await s.waitAll();
        // Drain: close the last window and let rate-limited batches start, until nothing is left.
        for (let round = 0; round < 50 && loads.some((load) => load.settled === 0); round++) {
          void aggregator.flush();
          scheduler.advance(1_000);
          await s.waitAll();
        }
        for (const load of loads) {
          expect(load.settled).toBe(1);
          const { key, outcome } = load;
          if (outcome instanceof BatchFunctionError) {
            expect(batches.some((batch) => batch.fate === 'throws' && batch.keys.includes(key))).toBe(true);
          } else if (outcome instanceof BatchResultCountError) {
            expect(batches.some((batch) => batch.fate === 'short' && batch.keys.includes(key))).toBe(true);
          } else if (key === 'bad') {
            expect(outcome).toStrictEqual(new Error('bad:bad'));
          } else {
            expect(outcome).toBe(`v:${key}`);
          }
        }
        for (const batch of batches) {
          expect(batch.keys.length).toBeLessThanOrEqual(opts.maxBatchSize);
          expect(new Set(batch.keys).size).toBe(batch.keys.length);
        }
        expect(concurrency.peak).toBeLessThanOrEqual(opts.maxConcurrentBatches);
        expect(aggregator.stats().loads).toBe(loads.length);
      }),
      { numRuns: 200 },
    );
  });

  it('makes exactly ⌈distinct keys / maxBatchSize⌉ calls for one synchronous burst', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 300 }), { maxLength: 500 }), fc.integer({ min: 1, max: 100 }), async (keys, maxBatchSize) => {
        const calls: number[][] = [];
        const aggregator = new RequestAggregator<number, number>({ loadBatch: async (batch) => (calls.push([...batch]), batch.map((key) => key * 2)), maxBatchSize });
        expect(await Promise.all(keys.map((key) => aggregator.load(key)))).toStrictEqual(keys.map((key) => key * 2));
        const distinct = new Set(keys).size;
        expect(calls.length).toBe(Math.ceil(distinct / maxBatchSize));
        expect(calls.flat().sort((x, y) => x - y)).toStrictEqual([...new Set(keys)].sort((x, y) => x - y));
      }),
    );
  });
});
