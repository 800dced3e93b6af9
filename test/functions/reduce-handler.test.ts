import { describe, expect, it } from 'vitest';
import { FullBatchFailureError } from '../../functions/lib/errors';
import { InMemoryReduceStore } from '../../functions/lib/reduce/memory-store';
import { sum } from '../../functions/lib/reduce/merges';
import { createReducerHandler } from '../../functions/lib/reduce/handler';
import type { ReduceStore } from '../../functions/lib/reduce/types';
import { lambdaContext, recordingSendPort, sqsEvent } from '../../functions/testing';
import { quietMetrics, silentLogger } from '../helpers/quiet-telemetry';

const ENV = { PP_REDUCE_TABLE_NAME: 't', PP_REDUCE_SHARDS: '3', PP_REDUCE_TTL_SECONDS: '3600', PP_REDUCE_OUTPUT_QUEUE_URL: 'https://sqs.local/0/finals', PP_DLQ_URL: 'https://sqs.local/0/dlq' };

function handler(store: ReduceStore) {
  const sends: Record<string, ReturnType<typeof recordingSendPort>> = {};
  const h = createReducerHandler({ merge: sum, env: ENV, now: () => 7, logger: silentLogger(), metrics: quietMetrics().metrics }, {
    storeFor: () => store,
    sendPortFor: (url) => (sends[url] ??= recordingSendPort()).port,
  });
  return { h, sends };
}

const body = (p: object) => JSON.stringify(p);

describe('reducer handler', () => {
  it('merges a batch, skips a duplicate, reports the final on the output queue, and parks a malformed partial in the DLQ', async () => {
    const store = new InMemoryReduceStore();
    const { h, sends } = handler(store);
    const out = await h(sqsEvent(
      { messageId: 'm1', body: body({ reduceId: 'r', partialId: 'a', value: 2, expected: 2 }) },
      { messageId: 'm2', body: body({ reduceId: 'r', partialId: 'a', value: 2 }) },
      { messageId: 'm3', body: body({ reduceId: 'r', partialId: 'b', value: 5 }) },
      { messageId: 'm4', body: body({ reduceId: 'r', value: 1 }) },
    ), lambdaContext());
    expect(out).toStrictEqual({ batchItemFailures: [] });
    expect(await store.readFinal('r')).toStrictEqual({ reduceId: 'r', value: 7, count: 2, finalAt: 7 });
    expect(sends['https://sqs.local/0/finals'].calls.flat().map((e) => JSON.parse(e.body))).toStrictEqual([{ reduceId: 'r', value: 7, count: 2, finalAt: 7 }]);
    expect(sends['https://sqs.local/0/dlq'].calls.flat().map((e) => JSON.parse(e.body))).toStrictEqual([{ reduceId: 'r', value: 1 }]);
  });

  it('hands the whole batch back when the store fails, and merges it once on redelivery', async () => {
    const store = new InMemoryReduceStore();
    let fail = true;
    const flaky: ReduceStore = Object.assign(Object.create(store), { writeShard: (...a: Parameters<ReduceStore['writeShard']>) => (fail ? Promise.reject(new Error('throttled')) : store.writeShard(...a)) });
    const { h } = handler(flaky);
    const event = sqsEvent({ messageId: 'm1', body: body({ reduceId: 'r', partialId: 'a', value: 3, expected: 1 }) });
    // The whole batch failed: the handler throws (Lambda's way to hand every record back).
    await expect(h(event, lambdaContext())).rejects.toThrow(FullBatchFailureError);
    fail = false;
    expect(await h(event, lambdaContext())).toStrictEqual({ batchItemFailures: [] });
    expect(await h(event, lambdaContext())).toStrictEqual({ batchItemFailures: [] });
    expect(await store.readFinal('r')).toStrictEqual({ reduceId: 'r', value: 3, count: 1, finalAt: 7 });
  });
});
