import { describe, expect, it } from 'vitest';
import { BatchWriter } from '../../../functions/lib/batch-writer';
import { FullBatchFailureError, PoisonRecordError } from '../../../functions/lib/errors';
import { QueuePublisher } from '../../../functions/lib/publisher';
import { createStageHandler, type StageOptions } from '../../../functions/lib/stage-chain/stage-handler';
import { queueSink, tableSink, type ResultSink } from '../../../functions/lib/stage-chain/stage-sink';
import { MessageAttribute } from '../../../functions/contract';
import { recordingSendPort, recordingWritePort } from '../../../functions/lib/testing/recording-ports';
import { lambdaContext, sqsEvent, type RecordSpec } from '../../../functions/lib/testing/sqs-event';
import { quietMetrics, silentLogger } from '../../helpers/quiet-telemetry';

const noSleep = async (): Promise<void> => undefined;
const specs = (n: number): RecordSpec[] => Array.from({ length: n }, (_, i) => ({ messageId: `m${i}`, body: JSON.stringify({ id: `i${i}`, n: i }) }));
interface Item {
  readonly id: string;
  readonly n: number;
}

/** A stage wired to call-recording ports: the next queue, the DLQ, and (optionally) a table. */
function harness(options: Partial<StageOptions<Item, unknown>>, sinkKind: 'queue' | 'fifo-queue' | 'table' = 'queue') {
  const next = recordingSendPort();
  const dlq = recordingSendPort();
  const table = recordingWritePort();
  const sink: ResultSink =
    sinkKind === 'table'
      ? tableSink(new BatchWriter({ port: table.port, keyAttributes: ['id'], sleep: noSleep }), ['id'])
      : queueSink(new QueuePublisher({ port: next.port, sleep: noSleep }), { fifo: sinkKind === 'fifo-queue' });
  const handler = createStageHandler<Item, unknown>(
    {
      processItem: async (item) => ({ ...item, seen: true }),
      logger: silentLogger(),
      metrics: quietMetrics().metrics,
      deadLetterPublisher: new QueuePublisher({ port: dlq.port, sleep: noSleep }),
      env: {},
      sink,
      ...options,
    } as StageOptions<Item, unknown>,
    { sendPortFor: () => next.port, writePortFor: () => table.port },
  );
  const invoke = (...records: RecordSpec[]) => handler(sqsEvent(...records), lambdaContext());
  return { invoke, next, dlq, table };
}

describe('stage', () => {
  it('sends each result to the next queue as JSON, with its input message id as entry id', async () => {
    const h = harness({});
    await h.invoke({ messageId: 'a', body: '{"id":"x","n":1}' });
    expect(h.next.calls).toStrictEqual([[{ id: 'a', body: '{"id":"x","n":1,"seen":true}' }]]);
  });

  it('sends a batch of 25 results in full 10-entry batches', async () => {
    const h = harness({});
    await h.invoke(...specs(25));
    expect(h.next.calls.map((call) => call.length)).toStrictEqual([10, 10, 5]);
  });

  it('reports an item whose work threw, and only that item', async () => {
    const h = harness({
      processItem: async (item: Item) => {
        if (item.n === 1) throw new Error('transient');
        return item;
      },
    });
    expect(await h.invoke(...specs(3))).toStrictEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }] });
  });

  it('still forwards the results of a failed item\'s batch-mates', async () => {
    const h = harness({
      processItem: async (item: Item) => {
        if (item.n === 1) throw new Error('transient');
        return item;
      },
    });
    await h.invoke(...specs(3));
    expect(h.next.calls.flat().map((entry) => entry.id)).toStrictEqual(['m0', 'm2']);
  });

  it('reports an item whose result the next queue refused', async () => {
    const refusing = recordingSendPort((entries) => ({
      failed: entries.filter((e) => e.id === 'm2').map((e) => ({ id: e.id, code: 'InvalidMessageContents', message: 'no', senderFault: true })),
    }));
    const handler = createStageHandler<Item, unknown>(
      { processItem: async (item) => item, logger: silentLogger(), metrics: quietMetrics().metrics, env: {}, sink: queueSink(new QueuePublisher({ port: refusing.port, sleep: noSleep })) },
      { sendPortFor: () => refusing.port, writePortFor: () => recordingWritePort().port },
    );
    expect(await handler(sqsEvent(...specs(4)), lambdaContext())).toStrictEqual({ batchItemFailures: [{ itemIdentifier: 'm2' }] });
  });

  it('forwards nothing for an item whose result is undefined, and counts it done', async () => {
    const h = harness({ processItem: async (item: Item) => (item.n === 0 ? undefined : item) });
    const response = await h.invoke(...specs(2));
    expect([response, h.next.calls.flat().map((e) => e.id)]).toStrictEqual([{ batchItemFailures: [] }, ['m1']]);
  });

  it('sends a malformed record to the DLQ with its reason instead of retrying it', async () => {
    const h = harness({});
    const response = await h.invoke({ messageId: 'bad', body: '{not json' }, ...specs(1));
    expect([response, h.dlq.calls.flat()[0]?.attributes?.[MessageAttribute.errorType]]).toStrictEqual([{ batchItemFailures: [] }, 'PoisonRecordError']);
  });

  it('dead-letters a result too large for one message, without holding back its batch-mates', async () => {
    const h = harness({ processItem: async (item: Item) => (item.n === 0 ? { big: 'x'.repeat(1_048_577) } : item) });
    await h.invoke(...specs(2));
    expect([h.dlq.calls.flat().map((e) => e.body), h.next.calls.flat().map((e) => e.id)]).toStrictEqual([[JSON.stringify({ id: 'i0', n: 0 })], ['m1']]);
  });

  it('runs processBatch once per batch and keeps its per-item errors with their items', async () => {
    let calls = 0;
    const h = harness({
      processItem: undefined,
      processBatch: async (envelopes) => {
        calls++;
        return envelopes.map(({ messageId, item }) => (item.n % 2 ? { messageId, error: new Error('odd') } : { messageId, result: item }));
      },
    });
    const response = await h.invoke(...specs(4));
    expect([calls, response, h.next.calls.flat().map((e) => e.id)]).toStrictEqual([
      1,
      { batchItemFailures: [{ itemIdentifier: 'm1' }, { itemIdentifier: 'm3' }] },
      ['m0', 'm2'],
    ]);
  });

  it('throws when every item failed, so Lambda retries the batch whole', async () => {
    const h = harness({ processItem: async () => Promise.reject(new Error('down')) });
    await expect(h.invoke(...specs(2))).rejects.toBeInstanceOf(FullBatchFailureError);
  });

  it('keeps the FIFO message group on a FIFO output and deduplicates by input message id', async () => {
    const h = harness({}, 'fifo-queue');
    await h.invoke({ messageId: 'f1', body: '{"id":"a","n":1}', groupId: 'g1' });
    expect(h.next.calls).toStrictEqual([[{ id: 'f1', body: '{"id":"a","n":1,"seen":true}', messageGroupId: 'g1', messageDeduplicationId: 'f1' }]]);
  });

  it('forwards none of a FIFO group past a batch of it that could not be forwarded, and fails the group for an in-order retry', async () => {
    const next = recordingSendPort((entries) => ({ failed: entries.filter((entry) => entry.id === 'f0').map((entry) => ({ id: entry.id, code: 'InternalError', message: 'down', senderFault: false })) }));
    const handler = createStageHandler<Item, unknown>({
      processItem: async (item) => item, logger: silentLogger(), metrics: quietMetrics().metrics, env: {},
      deadLetterPublisher: new QueuePublisher({ port: recordingSendPort().port, sleep: noSleep }),
      sink: queueSink(new QueuePublisher({ port: next.port, sleep: noSleep, maxAttempts: 2, concurrency: 4 }), { fifo: true }),
    } as StageOptions<Item, unknown>, { sendPortFor: () => next.port, writePortFor: () => recordingWritePort().port });
    const records = Array.from({ length: 15 }, (_, i): RecordSpec => ({ messageId: `f${i}`, body: `{"id":"i${i}","n":${i}}`, groupId: 'g' }));
    const error = await handler(sqsEvent(...records), lambdaContext()).then(() => undefined, (caught: unknown) => caught);
    expect(next.calls.flat().filter((entry) => Number(entry.id.slice(1)) >= 10)).toStrictEqual([]);
    // Every record of the one group failed, so the whole batch goes back to SQS in order.
    expect(error).toBeInstanceOf(FullBatchFailureError);
  });

  it('makes each result of a standard input its own group on a FIFO output', async () => {
    const h = harness({}, 'fifo-queue');
    await h.invoke(...specs(2));
    expect(h.next.calls.flat().map((e) => [e.messageGroupId, e.messageDeduplicationId])).toStrictEqual([['m0', 'm0'], ['m1', 'm1']]);
  });

  it('sends no group or deduplication id to a standard output, even from a FIFO input', async () => {
    const h = harness({});
    await h.invoke({ messageId: 'f1', body: '{"id":"a","n":1}', groupId: 'g1' });
    expect(h.next.calls).toStrictEqual([[{ id: 'f1', body: '{"id":"a","n":1,"seen":true}' }]]);
  });
});

describe('stage with a table sink', () => {
  it('writes 30 results in BatchWriteItem calls of 25 and 5', async () => {
    const h = harness({}, 'table');
    await h.invoke(...specs(30));
    expect(h.table.calls.map((call) => call.length)).toStrictEqual([25, 5]);
  });

  it('re-writes only the UnprocessedItems, and then reports no failure', async () => {
    const unprocessedOnce = recordingWritePort((requests, call) => ({ unprocessed: call === 1 ? requests.slice(0, 3) : [] }));
    const handler = createStageHandler<Item, unknown>(
      {
        processItem: async (item) => item,
        logger: silentLogger(),
        metrics: quietMetrics().metrics,
        env: {},
        sink: tableSink(new BatchWriter({ port: unprocessedOnce.port, keyAttributes: ['id'], sleep: noSleep }), ['id']),
      },
      { sendPortFor: () => recordingSendPort().port, writePortFor: () => unprocessedOnce.port },
    );
    const response = await handler(sqsEvent(...specs(10)), lambdaContext());
    expect([response, unprocessedOnce.calls.map((c) => c.length)]).toStrictEqual([{ batchItemFailures: [] }, [10, 3]]);
  });

  it('reports the items still unprocessed after every attempt', async () => {
    const stuck = recordingWritePort((requests) => ({ unprocessed: requests.filter((r) => 'put' in r && r.put.id === 'i1') }));
    const handler = createStageHandler<Item, unknown>(
      {
        processItem: async (item) => item,
        logger: silentLogger(),
        metrics: quietMetrics().metrics,
        env: {},
        sink: tableSink(new BatchWriter({ port: stuck.port, keyAttributes: ['id'], maxAttempts: 2, sleep: noSleep }), ['id']),
      },
      { sendPortFor: () => recordingSendPort().port, writePortFor: () => stuck.port },
    );
    expect(await handler(sqsEvent(...specs(3)), lambdaContext())).toStrictEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }] });
  });

  it('dead-letters a result without the table\'s key attribute', async () => {
    const h = harness({ processItem: async (item: Item) => (item.n === 0 ? { other: 1 } : item) }, 'table');
    await h.invoke(...specs(2));
    expect(h.dlq.calls.flat()[0]?.attributes?.[MessageAttribute.errorReason]).toMatch(/lacks key attribute\(s\) id/);
  });
});

describe('PoisonRecordError from the work', () => {
  it('goes to the DLQ, not back to the queue', async () => {
    const h = harness({ processItem: async () => Promise.reject(new PoisonRecordError('bad sku')) });
    await h.invoke(...specs(1), { messageId: 'ok', body: '{"id":"z","n":9}' });
    expect(h.dlq.calls.flat().map((e) => e.attributes?.[MessageAttribute.errorReason])).toStrictEqual(['bad sku', 'bad sku']);
  });
});
