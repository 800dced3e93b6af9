import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mapWithConcurrency } from '../../functions/lib/concurrency';
import { ConfigError } from '../../functions/lib/errors';

/** Resolves after `turns` macrotask-free hops, so calls finish out of start order. */
const hops = async (turns: number): Promise<void> => {
  for (let index = 0; index < turns; index++) await Promise.resolve();
};

describe('mapWithConcurrency', () => {
  it('returns results in input order and never runs more than the limit at once', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 40 }), fc.integer({ min: 1, max: 8 }), async (delays, limit) => {
        let running = 0;
        let peak = 0;
        const results = await mapWithConcurrency(delays, limit, async (delay, index) => {
          running++;
          peak = Math.max(peak, running);
          await hops(delay);
          running--;
          return index * 2;
        });
        expect(results).toStrictEqual(delays.map((_, index) => index * 2));
        expect(peak).toBeLessThanOrEqual(limit);
        if (delays.length > 0) expect(peak).toBe(Math.min(limit, delays.length));
      }),
    );
  });

  it('rejects with the first error and starts no call after it', async () => {
    const started: number[] = [];
    const run = mapWithConcurrency([0, 1, 2, 3, 4, 5], 2, async (item) => {
      started.push(item);
      await hops(item === 1 ? 1 : 5);
      if (item === 1) throw new Error('item 1 failed');
      return item;
    });
    await expect(run).rejects.toThrow('item 1 failed');
    expect(started).toStrictEqual([0, 1]);
  });

  it('fails if the limit is not an integer ≥ 1, quoting it', async () => {
    await expect(mapWithConcurrency([1], 0, async (item) => item)).rejects.toThrow(ConfigError);
    await expect(mapWithConcurrency([1], 2.5, async (item) => item)).rejects.toThrow(/got 2\.5/);
  });
});
