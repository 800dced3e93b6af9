import { describe, expect, it } from 'vitest';
import { monthlyCost } from '../../cli/plan/cost';

describe('pp plan: modeled monthly cost', () => {
  it('prices one 1 KiB item a second, 10-record batches, 1 GB and 100 ms per item', () => {
    const cost = monthlyCost({ arrivalRate: 1, itemSeconds: 0.1, batchSize: 10, memoryMb: 1024, itemBytes: 1024 });
    // 2,628,000 items: 262,800 sends, receives and deletes; 5 idle pollers × 131,400 long polls.
    expect(cost.items).toBe(2_628_000);
    expect(cost.lines.map((l) => [l.item, l.units])).toStrictEqual([
      ['SQS SendMessageBatch (per 64 KiB chunk)', 262_800],
      ['SQS receives by the mapping', 262_800],
      ['SQS DeleteMessageBatch', 262_800],
      ['SQS idle long polls', 657_000],
      ['Lambda invocations', 262_800],
      ['Lambda GB-seconds', 262_800],
    ]);
    // SQS (788,400 + 657,000) × $0.40/M + 262,800 × $0.20/M + 262,800 GB-s × $0.0000166667.
    expect(cost.totalUsd).toBeCloseTo(0.57816 + 0.05256 + 4.38000876, 6);
  });

  it('bills a batch of large messages per 64 KiB chunk, at most 1 MiB a batch', () => {
    const cost = monthlyCost({ arrivalRate: 1, itemSeconds: 0.1, itemBytes: 200 * 1024 });
    // 5 messages of 200 KiB per batch (1 MiB), 16 chunks each: 525,600 batches × 16.
    expect(cost.lines[0]?.units).toBe(525_600 * 16);
  });

  it('leaves provisioned pollers unpriced without a price, and prices them with one', () => {
    expect(monthlyCost({ arrivalRate: 1, itemSeconds: 1, minimumPollers: 2 }).lines.at(-1)).toStrictEqual({ item: 'Provisioned poller hours (minimum)', units: 1460, usd: undefined });
    expect(monthlyCost({ arrivalRate: 1, itemSeconds: 1, minimumPollers: 2, pollerHourPrice: 0.01 }).lines.at(-1)?.usd).toBeCloseTo(14.6, 9);
  });
});
