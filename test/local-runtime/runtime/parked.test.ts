import { describe, expect, it } from 'vitest';
import { splitParked } from '../../../local-runtime/runtime/accounting/parked';
import { buildReport } from '../../../local-runtime/runtime/accounting/report';

const noFaults = { invocationsFailed: 0, duplicatesDelivered: 0, requestsThrottled: 0 };

describe('parked items whose effect is done', () => {
  // order-2 was written by one copy while its twin failed its way to the DLQ; order-3 is poison.
  const parked = ['order-2', 'order-3', 'order-3', undefined];
  const isDone = async (keys: readonly string[]) => new Set(keys.filter((k) => ['order-1', 'order-2'].includes(k)));

  it('are duplicates, counted apart, and each parked item counts once', async () => {
    expect(await splitParked(parked, isDone)).toStrictEqual({ notDone: 1, doneDuplicates: 1 });
  });

  it('leave nothing lost: in = done + parked-not-done', async () => {
    const { notDone } = await splitParked(parked, isDone);
    const report = buildReport({ itemsIn: 3, done: 2, deadLettered: notDone, rows: [], faults: noFaults, elapsedMs: 1 });
    expect(report.lost).toBe(0);
  });
});
