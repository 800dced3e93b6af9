import { describe, expect, it } from 'vitest';
import { RuntimeConfigError } from '../../../local-runtime/runtime/errors';
import { FaultInjector } from '../../../local-runtime/runtime/faults/fault-injector';

describe('FaultInjector', () => {
  it('fails about the configured fraction of invocations', () => {
    const faults = new FaultInjector({ invocationErrorRate: 0.1 });
    const failed = Array.from({ length: 10_000 }, (_, n) => faults.failInvocation('Worker', n)).filter(Boolean).length;
    expect(failed).toBeGreaterThan(900);
    expect(failed).toBeLessThan(1100);
    expect(faults.stats().invocationsFailed).toBe(failed);
  });

  it('makes the same decisions for the same seed', () => {
    const decide = (seed: string) => Array.from({ length: 200 }, (_, n) => new FaultInjector({ seed, duplicateDeliveryRate: 0.5 }).duplicate(`body-${n}`, 1));
    expect(decide('s1')).toStrictEqual(decide('s1'));
    expect(decide('s1')).not.toStrictEqual(decide('s2'));
  });

  it('applies per-function and per-service rates', () => {
    const faults = new FaultInjector({ invocationErrorRate: { Flaky: 1 }, throttleRate: { dynamodb: 1 } });
    expect([faults.failInvocation('Flaky', 1), faults.failInvocation('Solid', 1)]).toStrictEqual([true, false]);
    expect([faults.throttle('dynamodb', 'Fn', 1), faults.throttle('sqs', 'Fn', 1)]).toStrictEqual([true, false]);
  });

  it('injects nothing by default', () => {
    const faults = new FaultInjector();
    expect([faults.failInvocation('F', 1), faults.duplicate('b', 1), faults.throttle('sqs', 'F', 1)]).toStrictEqual([false, false, false]);
  });

  it('fails on rates outside [0, 1], naming every one', () => {
    expect(() => new FaultInjector({ invocationErrorRate: 1.5, throttleRate: { sqs: -0.1 } })).toThrow(RuntimeConfigError);
    expect(() => new FaultInjector({ invocationErrorRate: 1.5, throttleRate: { sqs: -0.1 } })).toThrow(/invocationErrorRate must be in \[0, 1\], got 1\.5; throttleRate\.sqs must be in \[0, 1\], got -0\.1/);
  });
});

describe('FaultInjector bursts and crashes', () => {
  it('throttles the first burstRequests of every everyRequests requests of a caller', () => {
    const faults = new FaultInjector({ throttleBursts: { everyRequests: 5, burstRequests: 2 } });
    expect(Array.from({ length: 10 }, (_, i) => faults.throttle('sqs', 'F', i + 1))).toStrictEqual([true, true, false, false, false, true, true, false, false, false]);
  });

  it('rejects a burst as long as its period', () => {
    expect(() => new FaultInjector({ throttleBursts: { everyRequests: 3, burstRequests: 3 } })).toThrow(/throttleBursts must be integers with 0 <= burstRequests < everyRequests/);
  });

  it('crashes a scheduled invocation once, and counts it', () => {
    const faults = new FaultInjector({});
    faults.scheduleCrash('Store', 7);
    expect([faults.crashInvocation('Store', 6), faults.crashInvocation('Store', 7), faults.crashInvocation('Store', 7)]).toStrictEqual([false, true, false]);
    expect(faults.stats().invocationsCrashed).toBe(1);
  });

  it('splits duplicates into concurrent copies and replays by share', () => {
    const faults = new FaultInjector({ duplicateDeliveryRate: 1, concurrentDuplicateShare: 0.5 });
    const kinds = Array.from({ length: 400 }, (_, n) => faults.duplicateKind(`b-${n}`, 1));
    const concurrent = kinds.filter((k) => k === 'concurrent').length;
    expect(kinds.every((k) => k !== 'none')).toBe(true);
    expect(concurrent).toBeGreaterThan(150);
    expect(concurrent).toBeLessThan(250);
    expect(faults.stats()).toMatchObject({ duplicatesDelivered: 400, concurrentDuplicates: concurrent });
  });
});
