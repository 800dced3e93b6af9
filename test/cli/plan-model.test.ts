import { describe, expect, it } from 'vitest';
import { plan } from '../../cli/plan/model';
import { scalingEnvelope } from '../../cli/plan/scaling';

const perMinute = 1 / 60;

describe('pp plan: the stability rule, worked examples (one arrival a minute)', () => {
  it('a 30-second item on one worker keeps up 2:1 and drains a 10-item burst in 10 minutes', () => {
    const result = plan({ arrivalRate: perMinute, itemSeconds: 30, burst: 10, scaling: { mode: 'fixed', parallelism: 1 } });
    expect(result.verdict).toBe('drains');
    // Net drain 1/30 − 1/60 = 1/60 items/s: 10 items take 600 s.
    expect(result.drainSeconds).toBeCloseTo(600, 6);
    expect(result.stability.effectiveSecondsPerItem).toBe(30);
    expect(result.stability.interarrivalSeconds).toBeCloseTo(60, 9);
    // Halfway, half the burst is left.
    expect(result.points.find((p) => Math.abs(p.t - 300) < 1e-9)?.backlog).toBeCloseTo(5, 6);
  });

  it('a 1-minute item on one worker is balanced: the burst never shrinks', () => {
    const result = plan({ arrivalRate: perMinute, itemSeconds: 60, burst: 10, scaling: { mode: 'fixed', parallelism: 1 }, searchSeconds: 86_400 });
    expect(result.verdict).toBe('balanced');
    expect(result.drainSeconds).toBeUndefined();
    expect(result.horizonSeconds).toBe(3600);
    expect(result.points.at(-1)?.backlog).toBeCloseTo(10, 6);
    expect(result.stability.requiredMaxConcurrency).toBe(2);
  });

  it('a 2-minute item on one worker loses 30 items an hour', () => {
    const result = plan({ arrivalRate: perMinute, itemSeconds: 120, scaling: { mode: 'fixed', parallelism: 1 }, searchSeconds: 86_400 });
    expect(result.verdict).toBe('grows');
    expect(result.drainSeconds).toBeUndefined();
    // Net growth 1/60 − 1/120 = 1/120 items/s over 3600 s.
    const grown = plan({ arrivalRate: perMinute, itemSeconds: 120, burst: 1, horizonSeconds: 3600, scaling: { mode: 'fixed', parallelism: 1 }, searchSeconds: 86_400 });
    expect(grown.drainSeconds).toBeUndefined();
    expect(grown.points.at(-1)?.backlog).toBeCloseTo(31, 6);
  });

  it('four-way parallelism turns a 1-minute item into an effective 15 s and drains 10 items in 200 s', () => {
    const result = plan({ arrivalRate: perMinute, itemSeconds: 60, burst: 10, scaling: { mode: 'fixed', parallelism: 4 } });
    expect(result.stability.effectiveSecondsPerItem).toBe(15);
    expect(result.verdict).toBe('drains');
    // 4/60 − 1/60 = 1/20 items/s.
    expect(result.drainSeconds).toBeCloseTo(200, 6);
  });
});

describe('pp plan: the Lambda SQS scaling model', () => {
  it('standard mode starts at 5 concurrent batches and adds 300 a minute', () => {
    expect(scalingEnvelope({ mode: 'standard' })).toStrictEqual({ initial: 5, ceiling: 1000, rampPerSecond: 5 });
    expect(scalingEnvelope({ mode: 'standard', functionConcurrency: 5000 }).ceiling).toBe(1250);
  });

  it('provisioned mode starts at 10 per minimum poller and adds 1,000 a minute', () => {
    expect(scalingEnvelope({ mode: 'provisioned', minimumPollers: 2, maximumPollers: 200 })).toStrictEqual({ initial: 20, ceiling: 1000, rampPerSecond: 1000 / 60 });
  });

  it('standard mode ramps from 5 to its MaximumConcurrency while a burst drains', () => {
    // 1-second items, no arrivals: 5 items in the first second, then 10 a second: 100 items in 1 + 95/10 s.
    const result = plan({ arrivalRate: 0, itemSeconds: 1, burst: 100, scaling: { mode: 'standard', maxConcurrency: 10 } });
    expect(result.drainSeconds).toBeCloseTo(10.5, 6);
    expect(result.points[0]).toStrictEqual({ t: 0, backlog: 100, concurrency: 5 });
  });

  it('provisioned pollers start at their minimum capacity', () => {
    const result = plan({ arrivalRate: 0, itemSeconds: 1, burst: 100, scaling: { mode: 'provisioned', minimumPollers: 2, maximumPollers: 2 } });
    expect(result.drainSeconds).toBeCloseTo(5, 6);
  });

  it('items worked on at once in one invocation multiply the parallelism', () => {
    const result = plan({ arrivalRate: perMinute, itemSeconds: 60, itemConcurrency: 4, burst: 10, scaling: { mode: 'fixed', parallelism: 1 } });
    expect(result.stability.parallelism).toBe(4);
    expect(result.drainSeconds).toBeCloseTo(200, 6);
  });

  it('fails naming every bad input with its range and value', () => {
    expect(() => plan({ arrivalRate: -1, itemSeconds: 0, scaling: { mode: 'standard', maxConcurrency: 1 } })).toThrow(
      /maxConcurrency must be an integer from 2 to 1000, got 1; arrivalRate must be ≥ 0 items\/s, got -1; itemSeconds must be > 0, got 0/,
    );
    expect(() => plan({ arrivalRate: 1, itemSeconds: 1, scaling: { mode: 'provisioned', minimumPollers: 1, maximumPollers: 3000 } })).toThrow(
      /minimumPollers must be an integer from 2 to 200, got 1; maximumPollers must be an integer from 2 to 2000, got 3000/,
    );
  });
});
