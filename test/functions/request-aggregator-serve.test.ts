import { describe, expect, it } from 'vitest';
import { RequestAggregatorEnv, type AggregatorResultItem } from '../../functions/contract';
import { BatchFunctionError, FullBatchFailureError, RequestFailedError, RequestTimeoutError } from '../../functions/lib/errors';
import { AggregatorClient } from '../../functions/lib/request-aggregator/client';
import { createAggregatorHandler, type AggregatorOptions } from '../../functions/lib/request-aggregator/handler';
import type { ReplySink, ResultStore } from '../../functions/lib/request-aggregator/serve';
import { recordingSendPort } from '../../functions/lib/testing/recording-ports';
import { quietMetrics, silentLogger } from '../helpers/quiet-telemetry';
import { lambdaContext, sqsEvent } from '../../functions/lib/testing/sqs-event';

/** A results table in memory, recording what was put and replied. */
function memoryStore() {
  const items = new Map<string, AggregatorResultItem>();
  const puts: string[][] = [];
  const replies: string[][] = [];
  const store: ResultStore<unknown> = {
    answered: async (ids) => new Set(ids.filter((id) => items.has(id))),
    put: async (batch) => {
      puts.push(batch.map((item) => item.requestId));
      for (const item of batch) items.set(item.requestId, item);
    },
  };
  const sink: ReplySink<unknown> = { send: async (batch) => void replies.push(batch.map((item) => item.requestId)) };
  return { items, puts, replies, store, sink };
}

const ENV = { [RequestAggregatorEnv.resultTableName]: 'results', [RequestAggregatorEnv.resultTtlSeconds]: '3600', [RequestAggregatorEnv.replyQueueUrl]: 'https://sqs.local/replies' };

function build(processBatch: AggregatorOptions<number, number>['processBatch'], extra: Partial<AggregatorOptions<number, number>> = {}) {
  const memory = memoryStore();
  const calls: number[][] = [];
  const handler = createAggregatorHandler<number, number>(
    { processBatch: async (requests, context) => (calls.push([...requests]), processBatch(requests, context)), logger: silentLogger(), metrics: quietMetrics().metrics, env: ENV, ...extra },
    { sendPortFor: () => recordingSendPort().port, resultStore: () => memory.store, replySink: () => memory.sink, now: () => 1_000_000 },
  );
  const invoke = (...messages: Array<{ id: string; body: unknown }>) =>
    handler(sqsEvent(...messages.map(({ id, body }) => ({ messageId: id, body: JSON.stringify(body) }))), lambdaContext());
  return { ...memory, calls, invoke };
}

const message = (id: string, requestId: string, request: unknown) => ({ id, body: { requestId, request } });

describe('aggregator handler', () => {
  it('answers a batch of single requests with one backend call, stores and replies each answer', async () => {
    const { calls, items, puts, replies, invoke } = build(async (requests) => requests.map((n) => n * 2));
    expect(await invoke(message('m1', 'a', 1), message('m2', 'b', 2), message('m3', 'c', 3))).toStrictEqual({ batchItemFailures: [] });
    expect(calls).toStrictEqual([[1, 2, 3]]);
    expect(puts).toStrictEqual([['a', 'b', 'c']]);
    expect(replies).toStrictEqual([['a', 'b', 'c']]);
    expect(items.get('b')).toStrictEqual({ requestId: 'b', status: 'ok', result: 4, answeredAt: 1_000_000, expiresAt: 1_000 + 3_600 });
  });

  it('serves a request id once: repeats in the batch and ids already answered never reach the backend', async () => {
    const { calls, invoke } = build(async (requests) => requests.map((n) => n * 2));
    await invoke(message('m1', 'a', 1), message('m2', 'a', 1), message('m3', 'b', 2));
    expect(await invoke(message('m4', 'a', 1), message('m5', 'c', 3))).toStrictEqual({ batchItemFailures: [] });
    expect(calls).toStrictEqual([[1, 2], [3]]);
  });

  it('splits a batch beyond maxBatchSize into several backend calls', async () => {
    const { calls, invoke } = build(async (requests) => requests.map((n) => n), { maxBatchSize: 2 });
    await invoke(...[1, 2, 3, 4, 5].map((n) => message(`m${n}`, `r${n}`, n)));
    expect(calls).toStrictEqual([[1, 2], [3, 4], [5]]);
  });

  it('stores a per-request error as that request answer, and fails (for retry) every record of a batch that threw', async () => {
    const answering = build(async (requests) => requests.map((n) => (n === 2 ? new RangeError('no price for 2') : n)));
    expect(await answering.invoke(message('m1', 'a', 1), message('m2', 'b', 2))).toStrictEqual({ batchItemFailures: [] });
    expect(answering.items.get('b')).toMatchObject({ status: 'error', error: 'no price for 2', errorType: 'RangeError' });
    const throwing = build(async () => {
      throw new Error('backend down');
    });
    // Every record failed: the handler throws so Lambda retries the batch as a whole.
    const error = await throwing.invoke(message('m1', 'a', 1), message('m2', 'b', 2), message('m3', 'a', 1)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(FullBatchFailureError);
    expect([...(error as FullBatchFailureError).errors.keys()]).toStrictEqual(['m1', 'm2', 'm3']);
    expect((error as FullBatchFailureError).cause).toBeInstanceOf(BatchFunctionError);
    expect(throwing.puts).toStrictEqual([]);
  });

  it('sends malformed request messages to the DLQ with the reason, and serves the rest', async () => {
    const dlq = recordingSendPort();
    const memory = memoryStore();
    const handler = createAggregatorHandler<number, number>(
      { processBatch: async (requests) => requests, logger: silentLogger(), metrics: quietMetrics().metrics, env: { ...ENV, PP_DLQ_URL: 'https://sqs.local/dlq' } },
      { sendPortFor: () => dlq.port, resultStore: () => memory.store, replySink: () => memory.sink },
    );
    const event = sqsEvent({ messageId: 'm1', body: JSON.stringify({ request: 1 }) }, { messageId: 'm2', body: JSON.stringify({ requestId: 'ok', request: 2 }) });
    expect(await handler(event, lambdaContext())).toStrictEqual({ batchItemFailures: [] });
    expect(dlq.calls).toHaveLength(1);
    expect(dlq.calls[0]?.[0]?.attributes?.PpErrorReason).toMatch(/requestId must be a string of 1–255 characters, got undefined/);
    expect([...memory.items.keys()]).toStrictEqual(['ok']);
  });

  it('fails at cold start naming every missing setting', () => {
    expect(() => createAggregatorHandler({ processBatch: 'x' as never, env: {} }, { sendPortFor: () => recordingSendPort().port, resultStore: () => memoryStore().store, replySink: () => memoryStore().sink }))
      .toThrow(/processBatch must be a function, got "x"/);
    expect(() => createAggregatorHandler({ processBatch: async () => [], env: {} }, { sendPortFor: () => recordingSendPort().port, resultStore: () => memoryStore().store, replySink: () => memoryStore().sink }))
      .toThrow(/PP_RESULT_TABLE_NAME \(env\) must be set.*PP_RESULT_TTL_SECONDS \(env\) must be an integer/);
  });
});

describe('AggregatorClient', () => {
  function client(answers: Map<string, AggregatorResultItem>, now = { t: 0 }) {
    const sends: string[][] = [];
    const polls: string[][] = [];
    const aggregatorClient = new AggregatorClient<number, number>({
      sendBatch: async (messages) => (sends.push(messages.map((m) => (JSON.parse(m.body) as { requestId: string }).requestId)), messages.map(() => undefined)),
      getBatch: async (keys) => (polls.push(keys.map((key) => key.requestId as string)), keys.map((key) => answers.get(key.requestId as string) as never)),
      pollWindowMs: 0,
      pollIntervalMs: 100,
      timeoutMs: 1_000,
      sleep: async (ms) => void (now.t += ms),
      now: () => now.t,
    });
    return { aggregatorClient, sends, polls };
  }
  const ok = (requestId: string, result: number): AggregatorResultItem => ({ requestId, status: 'ok', result, answeredAt: 0, expiresAt: 0 });

  it('sends concurrent submits in one SendMessageBatch and serves concurrent waiters from shared polls', async () => {
    const answers = new Map([['a', ok('a', 10)], ['b', ok('b', 20)]]);
    const { aggregatorClient, sends, polls } = client(answers);
    const results = await Promise.all([aggregatorClient.submitAndWait(1, { requestId: 'a' }), aggregatorClient.submitAndWait(2, { requestId: 'b' })]);
    expect(results).toStrictEqual([10, 20]);
    expect(sends).toStrictEqual([['a', 'b']]);
    expect(polls).toStrictEqual([['a', 'b']]);
  });

  it('raises RequestFailedError for an error answer and RequestTimeoutError when none comes', async () => {
    const answers = new Map<string, AggregatorResultItem>([['bad', { requestId: 'bad', status: 'error', error: 'no price', errorType: 'RangeError', answeredAt: 0, expiresAt: 0 }]]);
    const { aggregatorClient, polls } = client(answers);
    await expect(aggregatorClient.submitAndWait(1, { requestId: 'bad' })).rejects.toThrow(RequestFailedError);
    await expect(aggregatorClient.submitAndWait(1, { requestId: 'bad' })).rejects.toThrow(/RangeError: no price/);
    const timeout = await aggregatorClient.submitAndWait(2, { requestId: 'never' }).catch((error: unknown) => error);
    expect(timeout).toBeInstanceOf(RequestTimeoutError);
    expect(timeout).toMatchObject({ requestId: 'never', waitedMs: 1_000 });
    expect(polls.filter((poll) => poll.includes('never'))).toHaveLength(11);
  });

  it('surfaces a failed send as the batch error', async () => {
    const aggregatorClient = new AggregatorClient<number, number>({ sendBatch: async () => Promise.reject(new Error('denied')), getBatch: async (keys) => keys.map(() => undefined) });
    await expect(aggregatorClient.submit(1)).rejects.toThrow(BatchFunctionError);
  });
});
