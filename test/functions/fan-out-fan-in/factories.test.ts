import { describe, expect, it } from 'vitest';
import { fanOutJoin, fanOutWorker } from '../../../functions/runtime';
import { ToleratedFailureExceededError } from '../../../functions/lib/fan-out-fan-in/errors';
import { InMemoryReportSink, InMemoryResultStore } from '../../../functions/testing';

describe('fanOutWorker / fanOutJoin factories', () => {
  it('run against the in-memory store and sink given in their options', async () => {
    const store = new InMemoryResultStore();
    const sink = new InMemoryReportSink('reports');
    const worker = fanOutWorker({ store, processItem: async (n: number) => n * 2, validate: (out) => (out > 2 ? true : { invalid: 'too small' }) });
    await worker({ work: { Items: [{ index: 0, item: 1 }, { index: 1, item: 2 }], BatchInput: { runId: 'r' } } });
    const join = fanOutJoin({ store, sink, policy: {}, combine: async (results) => results.map((r) => r.output) });
    const summary = await join({ runId: 'r', startedAt: new Date().toISOString(), mapError: null });
    expect(summary).toStrictEqual({ runId: 'r', status: 'SUCCEEDED', total: 2, succeeded: 1, failed: 0, invalid: 1, retried: 0, reportLocation: 's3://reports/runs/r/report.json', resultLocation: 's3://reports/runs/r/combined.json' });
    expect(sink.objects.get('runs/r/combined.json')).toStrictEqual([4]);
  });

  it('the join fails the run past the policy', async () => {
    const store = new InMemoryResultStore();
    await fanOutWorker({ store, processItem: async () => 1 })({ failed: { runId: 'r', entry: { index: 0, item: 'x' }, failure: { Error: 'States.Timeout', Cause: 'slow' } } });
    const join = fanOutJoin({ store, sink: new InMemoryReportSink(), policy: { toleratedFailurePercentage: 50 } });
    await expect(join({ runId: 'r', startedAt: new Date().toISOString(), mapError: null })).rejects.toBeInstanceOf(ToleratedFailureExceededError);
  });
});
