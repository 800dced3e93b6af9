import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { plan } from '../../cli/plan/model';

const fixedLoad = fc.record({
  arrivalRate: fc.double({ min: 0.001, max: 100, noNaN: true }),
  itemSeconds: fc.double({ min: 0.01, max: 600, noNaN: true }),
  parallelism: fc.integer({ min: 1, max: 500 }),
  burst: fc.integer({ min: 1, max: 100_000 }),
});

describe('pp plan model properties', () => {
  it('a stable fixed pool drains a burst in burst / (capacity − arrivals)', () => {
    fc.assert(fc.property(fixedLoad, ({ arrivalRate, itemSeconds, parallelism, burst }) => {
      const capacity = parallelism / itemSeconds;
      fc.pre(capacity > arrivalRate * 1.01 && burst / (capacity - arrivalRate) < 86_400);
      const result = plan({ arrivalRate, itemSeconds, burst, scaling: { mode: 'fixed', parallelism }, searchSeconds: 86_400 });
      expect(result.verdict).toBe('drains');
      expect(result.drainSeconds).toBeCloseTo(burst / (capacity - arrivalRate), 3);
    }), { numRuns: 200 });
  });

  it('never shows a negative backlog, and an unstable pool never drains', () => {
    fc.assert(fc.property(fixedLoad, ({ arrivalRate, itemSeconds, parallelism, burst }) => {
      const result = plan({ arrivalRate, itemSeconds, burst, scaling: { mode: 'fixed', parallelism }, searchSeconds: 3600, horizonSeconds: 3600 });
      expect(result.points.every((p) => p.backlog >= 0)).toBe(true);
      if (result.verdict === 'grows') expect(result.drainSeconds).toBeUndefined();
    }), { numRuns: 200 });
  });

  it('more Lambda concurrency never drains later', () => {
    fc.assert(fc.property(fc.integer({ min: 2, max: 999 }), fc.integer({ min: 1, max: 50_000 }), (cap, burst) => {
      const drain = (maxConcurrency: number) => plan({ arrivalRate: 1, itemSeconds: 1, burst, scaling: { mode: 'standard', maxConcurrency }, searchSeconds: 86_400 }).drainSeconds ?? Infinity;
      expect(drain(cap + 1)).toBeLessThanOrEqual(drain(cap) + 1e-9);
    }), { numRuns: 100 });
  });
});
