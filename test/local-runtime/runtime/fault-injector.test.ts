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
