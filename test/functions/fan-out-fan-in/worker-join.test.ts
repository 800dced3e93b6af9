import { describe, expect, it } from 'vitest';
import { ItemsFailedError, PermanentItemError, ToleratedFailureExceededError } from '../../../functions/lib/fan-out-fan-in/errors';
import { InMemoryReportSink, InMemoryResultStore } from '../../../functions/lib/fan-out-fan-in/in-memory';
import { runJoin } from '../../../functions/lib/fan-out-fan-in/join';
import { percentile, toleranceBreach } from '../../../functions/lib/fan-out-fan-in/report';
import { runWorkerEvent } from '../../../functions/lib/fan-out-fan-in/worker';

const clock = { now: () => 1_000 };
const batch = (runId: string, items: unknown[]) => ({ work: { Items: items.map((item, index) => ({ index, item })), BatchInput: { runId } } });

describe('fan-out worker core', () => {
  it('records each item once: a duplicate call works on nothing and adds no progress', async () => {
    const store = new InMemoryResultStore();
    const seen: unknown[] = [];
    const options = { processItem: async (x: number) => (seen.push(x), x + 1) };
    expect(await runWorkerEvent(options, { store, clock }, batch('r', [1, 2]))).toStrictEqual({ recorded: 2 });
    expect(await runWorkerEvent(options, { store, clock }, batch('r', [1, 2]))).toStrictEqual({ recorded: 0 });
    expect({ seen, progress: await store.progress('r') }).toStrictEqual({ seen: [1, 2], progress: { succeeded: 2, failed: 0, invalid: 0, failedAttempts: 0 } });
  });

  it('throws ItemsFailedError for transient failures in a batch, keeping what succeeded; the retry runs only those', async () => {
    const store = new InMemoryResultStore();
    let failing = true;
    const seen: number[] = [];
    const options = { processItem: async (x: number) => { seen.push(x); if (x === 2 && failing) throw new Error('flaky'); return x; } };
    await expect(runWorkerEvent(options, { store, clock }, batch('r', [1, 2, 3]))).rejects.toBeInstanceOf(ItemsFailedError);
    failing = false;
    await runWorkerEvent(options, { store, clock }, batch('r', [1, 2, 3]));
    expect(seen).toStrictEqual([1, 2, 3, 2]);
    expect((await store.list('r')).attempts).toStrictEqual([{ index: 1, error: 'Error' }]);
  });

  it('records a permanent failure at once and keeps failing its batch (so the Map Run counts it)', async () => {
    const store = new InMemoryResultStore();
    const options = { processItem: async (x: number) => { if (x === 2) throw new PermanentItemError('bad'); return x; } };
    await expect(runWorkerEvent(options, { store, clock }, batch('r', [1, 2]))).rejects.toMatchObject({ name: 'PermanentItemError' });
    await expect(runWorkerEvent(options, { store, clock }, batch('r', [1, 2]))).rejects.toMatchObject({ name: 'PermanentItemError', message: 'items failed permanently: #1' });
    expect((await store.list('r')).items.find((i) => i.index === 1)).toStrictEqual({ index: 1, status: 'failed', ref: undefined, error: 'PermanentItemError', cause: '{"errorType":"PermanentItemError","errorMessage":"bad"}' });
  });

  it('records a spent failure only for items not settled yet', async () => {
    const store = new InMemoryResultStore();
    await runWorkerEvent({ processItem: async (x: number) => x }, { store, clock }, batch('r', [1]));
    const failed = { failed: { ...batch('r', [1, 2]).work, failure: { Error: 'States.Timeout', Cause: 'slow' } } };
    expect(await runWorkerEvent({ processItem: async (x: number) => x }, { store, clock }, failed)).toStrictEqual({ recorded: 1 });
    expect((await store.list('r')).items.map((i) => i.status)).toStrictEqual(['succeeded', 'failed']);
  });
});

describe('fan-out join core', () => {
  it('tolerance: none given tolerates none; exceeding either threshold fails', () => {
    expect([toleranceBreach(0, 10, {}), toleranceBreach(1, 10, {}), toleranceBreach(2, 10, { toleratedFailureCount: 2 }), toleranceBreach(3, 10, { toleratedFailureCount: 5, toleratedFailurePercentage: 20 })]).toStrictEqual([
      undefined, '1 of 10 items failed and no failure is tolerated', undefined, '3 of 10 items failed (30.00 %), over the tolerated 20 %',
    ]);
    expect([percentile([1, 2, 3, 4], 50), percentile([1, 2, 3, 4], 95), percentile([], 95)]).toStrictEqual([2, 4, 0]);
  });

  it('past the policy, writes the report, skips combine and throws naming the report', async () => {
    const store = new InMemoryResultStore();
    const sink = new InMemoryReportSink('b');
    await store.record('r', [{ index: 0, status: 'failed', error: 'E', cause: 'c' }, { index: 1, status: 'succeeded', output: 1, durationMs: 5 }]);
    let combined = false;
    const join = runJoin({ combine: async () => (combined = true) }, { store, sink, clock, policy: {} }, { runId: 'r', startedAt: new Date(0).toISOString(), mapError: null });
    await expect(join).rejects.toStrictEqual(new ToleratedFailureExceededError('1 of 2 items failed and no failure is tolerated', 's3://b/runs/r/report.json'));
    expect({ combined, keys: [...sink.objects.keys()] }).toStrictEqual({ combined: false, keys: ['runs/r/report.json'] });
  });
});
