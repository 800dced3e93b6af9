import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { SendMessageBatchCommand, type SendMessageBatchCommandInput } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { acceptingSqs } from '../helpers/accepting-sqs';
import { Env, MessageAttribute, MetricName } from '../../functions/contract';
import { workQueue } from '../../functions/work-queue/factory';
import { FullBatchFailureError, PoisonRecordError } from '../../functions/lib/errors';
import type { WorkQueueOptions } from '../../functions/lib/work-queue/options';
import { lambdaContext, sqsEvent, TEST_FIFO_QUEUE_ARN, TEST_QUEUE_ARN, type RecordSpec } from '../../functions/lib/testing/sqs-event';

const DLQ_URL = 'https://sqs.us-east-1.amazonaws.com/000000000000/work-dlq';
const sqs = acceptingSqs();

/** A handler with a silent logger, a spied Metrics, and the DLQ from env. */
function build<T, R>(options: WorkQueueOptions<T, R>, env: Record<string, string> = { [Env.deadLetterQueueUrl]: DLQ_URL }) {
  const metrics = new Metrics({ namespace: 'Test', serviceName: 'test' });
  const addMetric = vi.spyOn(metrics, 'addMetric');
  const handler = workQueue<T, R>({ logger: new Logger({ logLevel: 'SILENT' }), metrics, env, ...options });
  return { handler, addMetric };
}

const invoke = (handler: ReturnType<typeof workQueue>, ...records: RecordSpec[]): Promise<SQSBatchResponse> =>
  handler(sqsEvent(...records), lambdaContext());
const failures = (...ids: string[]) => ({ batchItemFailures: ids.map((itemIdentifier) => ({ itemIdentifier })) });
const dlqInputs = (): SendMessageBatchCommandInput[] => sqs.commandCalls(SendMessageBatchCommand).map((call) => call.args[0].input);
const record = (messageId: string, value: unknown, extra: Partial<RecordSpec> = {}): RecordSpec => ({ messageId, body: JSON.stringify(value), ...extra });

describe('workQueue handler', () => {
  it('reports exactly the records whose processItem threw', async () => {
    const { handler } = build<{ n: number }, void>({
      processItem: async ({ n }) => {
        if (n % 2 === 1) throw new Error(`odd ${n}`);
      },
    });
    const response = await invoke(handler, record('m0', { n: 0 }), record('m1', { n: 1 }), record('m2', { n: 2 }), record('m3', { n: 3 }));
    expect(response).toStrictEqual(failures('m1', 'm3'));
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
  });

  it('hands processItem the parsed item and the record context', async () => {
    const seen: unknown[] = [];
    const { handler } = build<{ id: string }, void>({
      parse: (body) => body as { id: string },
      processItem: async (item, context) => void seen.push([item, context.messageId, context.receiveCount, context.attributes.SentTimestamp, typeof context.logger.info]),
    });
    await invoke(handler, record('m0', { id: 'a' }, { receiveCount: 3 }));
    expect(seen).toStrictEqual([[{ id: 'a' }, 'm0', 3, '1700000000000', 'function']]);
  });

  it('sends a malformed-JSON record to the DLQ with its reason and does not report it failed', async () => {
    const processed: string[] = [];
    const { handler } = build<unknown, void>({ processItem: async (_, { messageId }) => void processed.push(messageId) });
    const response = await invoke(handler, record('m0', 1), { messageId: 'bad', body: '{"oops"' }, record('m2', 2));
    expect(response).toStrictEqual(failures());
    expect(processed).toStrictEqual(['m0', 'm2']);
    const [input] = dlqInputs();
    expect(input?.QueueUrl).toBe(DLQ_URL);
    expect(input?.Entries).toHaveLength(1);
    expect(input?.Entries?.[0]?.MessageBody).toBe('{"oops"');
    expect(input?.Entries?.[0]?.MessageAttributes).toStrictEqual({
      [MessageAttribute.errorReason]: { DataType: 'String', StringValue: expect.stringMatching(/^malformed JSON: /) },
      [MessageAttribute.errorType]: { DataType: 'String', StringValue: 'PoisonRecordError' },
      [MessageAttribute.sourceQueueArn]: { DataType: 'String', StringValue: TEST_QUEUE_ARN },
      [MessageAttribute.sourceMessageId]: { DataType: 'String', StringValue: expect.any(String) },
    });
  });

  it('treats a record its parse rejects as poison, quoting the parse error', async () => {
    const { handler } = build<number, void>({
      parse: (body) => {
        if (typeof body !== 'number') throw new TypeError('expected a number');
        return body;
      },
      processItem: async () => undefined,
    });
    expect(await invoke(handler, record('m0', 'text'), record('m1', 7))).toStrictEqual(failures());
    expect(dlqInputs()[0]?.Entries?.[0]?.MessageAttributes?.[MessageAttribute.errorReason]?.StringValue).toBe('rejected by parse: expected a number');
  });

  it('treats a record over maxRecordBytes as poison', async () => {
    const { handler } = build<string, void>({ maxRecordBytes: 10, processItem: async () => undefined });
    await invoke(handler, record('big', 'x'.repeat(20)));
    expect(dlqInputs()[0]?.Entries?.[0]?.MessageAttributes?.[MessageAttribute.errorReason]?.StringValue).toBe('oversize: the record is 22 bytes, over the 10-byte limit');
  });

  it('keeps the original String, Number and Binary attributes on a dead-lettered record, beside the reason', async () => {
    const { handler } = build<unknown, void>({ processItem: async () => undefined });
    const messageAttributes = {
      tenant: { dataType: 'String', stringValue: 't1' },
      priority: { dataType: 'Number.int', stringValue: '7' },
      trace: { dataType: 'Binary', binaryValue: Buffer.from([1, 2, 255]).toString('base64') },
    };
    await invoke(handler, { messageId: 'bad', body: '{"oops"', messageAttributes });
    const attributes = dlqInputs()[0]?.Entries?.[0]?.MessageAttributes;
    expect({ ...attributes, [MessageAttribute.errorReason]: undefined, [MessageAttribute.errorType]: undefined, [MessageAttribute.sourceQueueArn]: undefined }).toStrictEqual({
      tenant: { DataType: 'String', StringValue: 't1' },
      priority: { DataType: 'Number.int', StringValue: '7' },
      trace: { DataType: 'Binary', BinaryValue: new Uint8Array([1, 2, 255]) },
      [MessageAttribute.sourceMessageId]: { DataType: 'String', StringValue: 'bad' },
      [MessageAttribute.errorReason]: undefined, [MessageAttribute.errorType]: undefined, [MessageAttribute.sourceQueueArn]: undefined,
    });
    expect(attributes?.[MessageAttribute.errorType]).toStrictEqual({ DataType: 'String', StringValue: 'PoisonRecordError' });
  });

  it('dead-letters a record whose processItem throws PoisonRecordError, with that reason', async () => {
    const { handler } = build<number, void>({
      processItem: async (n) => {
        if (n < 0) throw new PoisonRecordError('negative quantity');
      },
    });
    expect(await invoke(handler, record('m0', -1), record('m1', 1))).toStrictEqual(failures());
    expect(dlqInputs()[0]?.Entries?.[0]?.MessageAttributes?.[MessageAttribute.errorReason]?.StringValue).toBe('negative quantity');
  });

  it('sends all poison records of a batch in one SendMessageBatch call', async () => {
    const { handler } = build<unknown, void>({ processItem: async () => undefined });
    await invoke(handler, { messageId: 'a', body: '{' }, record('ok', 1), { messageId: 'b', body: '[' }, { messageId: 'c', body: 'nope' });
    expect(dlqInputs().map((input) => input.Entries?.map((entry) => entry.MessageBody))).toStrictEqual([['{', '[', 'nope']]);
  });

  it('reports a poison record failed, sending nothing, when no DLQ is configured', async () => {
    const { handler } = build<unknown, void>({ processItem: async () => undefined }, {});
    expect(await invoke(handler, record('m0', 1), { messageId: 'bad', body: '{' })).toStrictEqual(failures('bad'));
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
  });

  it('reports a poison record failed when the DLQ send fails', async () => {
    sqs.on(SendMessageBatchCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDenied', $fault: 'client' }));
    const { handler } = build<unknown, void>({ processItem: async () => undefined });
    expect(await invoke(handler, record('m0', 1), { messageId: 'bad', body: '{' })).toStrictEqual(failures('bad'));
  });

  it('throws FullBatchFailureError when every record failed', async () => {
    const { handler } = build<unknown, void>({ processItem: async () => Promise.reject(new Error('down')) });
    const run = invoke(handler, record('m0', 1), record('m1', 2));
    await expect(run).rejects.toThrow(FullBatchFailureError);
    await expect(run).rejects.toThrow('All 2 records of the batch failed');
  });

  it('does not throw when every record was poison but reached the DLQ', async () => {
    const { handler } = build<unknown, void>({ processItem: async () => undefined });
    expect(await invoke(handler, { messageId: 'a', body: '{' }, { messageId: 'b', body: '{' })).toStrictEqual(failures());
  });

  it('returns no failures for an empty batch', async () => {
    const { handler } = build<unknown, void>({ processItem: async () => undefined });
    expect(await invoke(handler)).toStrictEqual(failures());
  });

  it('on FIFO stops a message group at its first failure and fails the rest of that group only', async () => {
    const processed: string[] = [];
    const { handler } = build<string, void>({
      processItem: async (value, { messageId }) => {
        processed.push(messageId);
        if (value === 'fail') throw new Error('failed');
      },
    });
    const response = await invoke(
      handler,
      record('a1', 'ok', { groupId: 'a' }),
      record('b1', 'ok', { groupId: 'b' }),
      record('a2', 'fail', { groupId: 'a' }),
      record('a3', 'ok', { groupId: 'a' }),
      record('b2', 'ok', { groupId: 'b' }),
    );
    expect(response).toStrictEqual(failures('a2', 'a3'));
    expect(processed).not.toContain('a3');
    expect(processed).toContain('b2');
  });

  it('on FIFO without a DLQ holds back the rest of a group behind a poison record', async () => {
    const processed: string[] = [];
    const { handler } = build<string, void>({ processItem: async (_, { messageId }) => void processed.push(messageId) }, {});
    const response = await invoke(handler, { messageId: 'a1', body: '{', groupId: 'a' }, record('a2', 'ok', { groupId: 'a' }), record('b1', 'ok', { groupId: 'b' }));
    expect(response).toStrictEqual(failures('a1', 'a2'));
    expect(processed).toStrictEqual(['b1']);
  });

  it('on FIFO sends poison to a FIFO DLQ keeping its group and deduplicating by message id', async () => {
    const { handler } = build<string, void>({ processItem: async () => undefined }, { [Env.deadLetterQueueUrl]: `${DLQ_URL}.fifo` });
    await invoke(handler, { messageId: 'a1', body: '{', groupId: 'a' }, record('a2', 'ok', { groupId: 'a' }));
    const entry = dlqInputs()[0]?.Entries?.[0];
    expect([entry?.MessageGroupId, entry?.MessageDeduplicationId]).toStrictEqual(['a', 'a1']);
    expect(entry?.MessageAttributes?.[MessageAttribute.sourceQueueArn]?.StringValue).toBe(TEST_FIFO_QUEUE_ARN);
  });

  it('matches processBatch outcomes by message id and fails records it left out', async () => {
    const { handler } = build<number, number>({
      processBatch: async (items) => items.filter((item) => item.item !== 3).map((item) => (item.item === 2 ? { messageId: item.messageId, error: new Error('two') } : { messageId: item.messageId, result: item.item * 10 })),
    });
    expect(await invoke(handler, record('m1', 1), record('m2', 2), record('m3', 3), record('m4', 4))).toStrictEqual(failures('m2', 'm3'));
  });

  it('applies the FIFO group stop to processBatch outcomes', async () => {
    const { handler } = build<string, void>({
      processBatch: async (items) => items.map((item) => (item.item === 'fail' ? { messageId: item.messageId, error: new Error('x') } : { messageId: item.messageId, result: undefined })),
    });
    const response = await invoke(handler, record('a1', 'fail', { groupId: 'a' }), record('a2', 'ok', { groupId: 'a' }), record('b1', 'ok', { groupId: 'b' }));
    expect(response).toStrictEqual(failures('a1', 'a2'));
  });

  it('fails the whole batch when processBatch throws', async () => {
    const { handler } = build<number, void>({ processBatch: async () => Promise.reject(new Error('backend down')) });
    await expect(invoke(handler, record('m1', 1), record('m2', 2))).rejects.toThrow(FullBatchFailureError);
  });

  it('never runs more items at once than PP_ITEM_CONCURRENCY', async () => {
    let running = 0;
    let peak = 0;
    const { handler } = build<number, void>(
      {
        processItem: async () => {
          running++;
          peak = Math.max(peak, running);
          await new Promise((resolve) => setImmediate(resolve));
          running--;
        },
      },
      { [Env.itemConcurrency]: '3' },
    );
    await invoke(handler, ...Array.from({ length: 20 }, (_, index) => record(`m${index}`, index)));
    expect(peak).toBe(3);
  });

  it('adds ItemsProcessed, ItemsFailed, PoisonRecords and per-item ItemDuration metrics', async () => {
    let clock = 0;
    const { handler, addMetric } = build<number, void>({
      itemConcurrency: 1,
      now: () => clock,
      // Item n takes n × 100 ms on the fake clock.
      processItem: async (n) => {
        clock += n * 100;
        if (n === 2) throw new Error('two');
      },
    });
    await invoke(handler, record('m1', 1), record('m2', 2), { messageId: 'bad', body: '{' }, record('m3', 3));
    const added = addMetric.mock.calls.map(([name, unit, value]) => [name, unit, value]);
    expect(added.filter(([name]) => name === MetricName.itemDuration)).toStrictEqual([
      [MetricName.itemDuration, 'Milliseconds', 100],
      [MetricName.itemDuration, 'Milliseconds', 200],
      [MetricName.itemDuration, 'Milliseconds', 300],
    ]);
    expect(added.filter(([name]) => name !== MetricName.itemDuration)).toStrictEqual([
      [MetricName.itemsProcessed, 'Count', 2],
      [MetricName.itemsFailed, 'Count', 1],
      [MetricName.poisonRecords, 'Count', 1],
    ]);
  });

  it('emits every ItemDuration of a batch past EMF\'s 100 values per metric, in documents of at most 100', async () => {
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
    const metrics = new Metrics({ namespace: 'Test', serviceName: 'test' });
    const lines: string[] = [];
    // Powertools prints each EMF document through its own console; capture the documents instead.
    (metrics as unknown as { console: { log(line: string): void } }).console = { log: (line) => lines.push(line) };
    let clock = 0;
    const handler = workQueue<number, void>({ logger: new Logger({ logLevel: 'SILENT' }), metrics, env: {}, itemConcurrency: 1, now: () => clock, processItem: async (n) => void (clock += n) });
    await invoke(handler, ...Array.from({ length: 250 }, (_, i) => record(`m${i}`, i + 1)));
    const documents = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const durations = documents.map((document) => document[MetricName.itemDuration]);
    expect(durations.map((values) => (Array.isArray(values) ? values.length : values))).toStrictEqual([100, 100, 50]);
    expect(durations.flat()).toStrictEqual(Array.from({ length: 250 }, (_, i) => i + 1));
    expect(documents.map((document) => document[MetricName.itemsProcessed])).toStrictEqual([undefined, undefined, 250]);
  });
});
