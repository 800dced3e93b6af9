/**
 * FanOutFanIn workers as Reduce producers, on the pure cores: the worker sends each valid
 * item's partial as it settles (before recording it), the join declares the run's count, and
 * the real reducer handler turns them into one final aggregate — duplicates, retried batches
 * and a crash between sending and recording included.
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../functions/lib/clock';
import { PermanentItemError } from '../../../functions/lib/fan-out-fan-in/errors';
import { InMemoryReportSink, InMemoryResultStore } from '../../../functions/lib/fan-out-fan-in/in-memory';
import { runJoin } from '../../../functions/lib/fan-out-fan-in/join';
import { runWorkerEvent, type FanOutWorkerOptions, type PartialSink } from '../../../functions/lib/fan-out-fan-in/worker';
import { createReducerHandler } from '../../../functions/lib/reduce/handler';
import { InMemoryReduceStore } from '../../../functions/lib/reduce/memory-store';
import { sum } from '../../../functions/lib/reduce/merges';
import { lambdaContext, recordingSendPort, sqsEvent } from '../../../functions/testing';
import { quietMetrics, silentLogger } from '../../helpers/quiet-telemetry';

const ENV = { PP_REDUCE_TABLE_NAME: 't', PP_REDUCE_SHARDS: '3', PP_REDUCE_TTL_SECONDS: '3600', PP_DLQ_URL: 'https://sqs.local/0/dlq' };

/** A reducer on memory, fed the bodies the producers sent (each body delivered `copies` times). */
function reduceSide() {
  const store = new InMemoryReduceStore();
  const dlq = recordingSendPort();
  const h = createReducerHandler({ merge: sum, env: ENV, now: () => 42, logger: silentLogger(), metrics: quietMetrics().metrics }, { storeFor: () => store, sendPortFor: () => dlq.port });
  const bodies: string[] = [];
  const deliver = async (copies = 1) => {
    const records = bodies.flatMap((body, i) => Array.from({ length: copies }, (_, c) => ({ messageId: `m${i}-${c}`, body })));
    expect(await h(sqsEvent(...records), lambdaContext())).toStrictEqual({ batchItemFailures: [] });
    expect(dlq.calls).toStrictEqual([]);
  };
  return { store, bodies, deliver };
}

const items = (n: number) => Array.from({ length: n }, (_, index) => ({ index, item: { n: index } }));

describe('FanOutFanIn worker → Reduce', () => {
  it('merges each valid item once into the aggregation of its run, final once the join declares the count', async () => {
    const reduce = reduceSide();
    const sink: PartialSink = { send: async (runId, partials) => void reduce.bodies.push(...partials.map((p) => JSON.stringify({ reduceId: runId, partialId: p.partialId, value: p.value }))) };
    const options: FanOutWorkerOptions<{ n: number }, number> = {
      processItem: async ({ n }) => { if (n % 5 === 4) throw new PermanentItemError('bad'); return n * 10; },
      validate: (out) => (out !== 30 ? true : { invalid: 'thirty' }),
      toPartial: (out, item) => out + item.n,
    };
    const results = new InMemoryResultStore();
    const deps = { store: results, clock: new ManualClock(0), partials: sink };
    await expect(runWorkerEvent(options, deps, { work: { Items: items(10), BatchInput: { runId: 'r1' } } })).rejects.toThrow(PermanentItemError);
    // The same batch again (a retry, a duplicate call): settled items are skipped, nothing resent.
    await expect(runWorkerEvent(options, deps, { work: { Items: items(10), BatchInput: { runId: 'r1' } } })).rejects.toThrow(PermanentItemError);
    await reduce.deliver(2);
    expect(await reduce.store.readFinal('r1')).toBeUndefined();
    const summary = await runJoin({}, { store: results, sink: new InMemoryReportSink(), clock: new ManualClock(0), policy: { toleratedFailurePercentage: 50 }, declareExpected: async (runId, expected) => void reduce.bodies.push(JSON.stringify({ reduceId: runId, expected })) }, { runId: 'r1', startedAt: new Date(0).toISOString(), mapError: null });
    await reduce.deliver();
    const valid = [0, 1, 2, 5, 6, 7, 8];
    expect(summary).toMatchObject({ succeeded: valid.length, failed: 2, invalid: 1 });
    expect(await reduce.store.readFinal('r1')).toStrictEqual({ reduceId: 'r1', value: valid.reduce((a, n) => a + 11 * n, 0), count: valid.length, finalAt: 42 });
  });

  it('resends the partial of an item whose outcome was never recorded (a crash after sending), merged once', async () => {
    const reduce = reduceSide();
    let crash = true;
    const sink: PartialSink = { send: async (runId, partials) => void reduce.bodies.push(...partials.map((p) => JSON.stringify({ reduceId: runId, partialId: p.partialId, value: p.value }))) };
    const results = new InMemoryResultStore();
    const store = { ...results, settled: results.settled.bind(results), list: results.list.bind(results), recordAttempts: results.recordAttempts.bind(results), addProgress: results.addProgress.bind(results), progress: results.progress.bind(results),
      record: async (runId: string, records: Parameters<typeof results.record>[1]) => { if (crash) { crash = false; throw new Error('crashed'); } return results.record(runId, records); } };
    const deps = { store, clock: new ManualClock(0), partials: sink };
    const event = { work: { runId: 'r2', entry: { index: 0, item: 7 } } };
    await expect(runWorkerEvent({ processItem: async (n: number) => n }, deps, event)).rejects.toThrow('crashed');
    await runWorkerEvent({ processItem: async (n: number) => n }, deps, event);
    reduce.bodies.push(JSON.stringify({ reduceId: 'r2', expected: 1 }));
    await reduce.deliver();
    expect(reduce.bodies.filter((b) => b.includes('item#0'))).toHaveLength(2);
    expect(await reduce.store.readFinal('r2')).toMatchObject({ value: 7, count: 1 });
  });

  it('declares no count for a run past its failure policy, so its aggregation never becomes final', async () => {
    const declared: number[] = [];
    const results = new InMemoryResultStore();
    await results.record('r3', [{ index: 0, status: 'succeeded', output: 1, durationMs: 1 }, { index: 1, status: 'failed', error: 'E', cause: '' }]);
    await expect(runJoin({}, { store: results, sink: new InMemoryReportSink(), clock: new ManualClock(0), policy: {}, declareExpected: async (_, n) => void declared.push(n) }, { runId: 'r3', startedAt: new Date(0).toISOString(), mapError: null })).rejects.toThrow();
    expect(declared).toStrictEqual([]);
  });
});
