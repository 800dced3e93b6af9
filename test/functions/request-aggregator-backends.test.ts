import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { dynamoDbGetBatch, sqsSendBatch } from '../../functions/request-aggregator/backends';
import { BatchWriter, type DocumentItem, type WriteRequest } from '../../functions/lib/batch-writer';
import { BatchFunctionError, PartialSendError, UnprocessedItemsError, UnprocessedKeysError } from '../../functions/lib/errors';
import { QueuePublisher } from '../../functions/lib/publisher';
import { RequestAggregator } from '../../functions/lib/request-aggregator/aggregator';
import { batchGetLoader, type BatchGetPort, type BatchGetResult } from '../../functions/lib/request-aggregator/batch-get';
import { batchWriteLoader, sendMessageLoader } from '../../functions/lib/request-aggregator/batch-write';
import { TEST_AWS } from '../helpers/fauxqs';
import { awsError, recordingSendPort, recordingWritePort } from '../../functions/lib/testing/recording-ports';

const noSleep = { sleep: async () => undefined, random: () => 0 };
const key = (pk: string): DocumentItem => ({ pk });

function recordingGetPort(answer: (keys: readonly DocumentItem[], call: number) => BatchGetResult | Error): { port: BatchGetPort; calls: string[][] } {
  const calls: string[][] = [];
  return {
    calls,
    port: {
      async get(keys) {
        calls.push(keys.map((item) => item.pk as string));
        const result = answer(keys, calls.length);
        if (result instanceof Error) throw result;
        return result;
      },
    },
  };
}

describe('batchGetLoader', () => {
  it('reads 250 keys in BatchGetItem calls of 100, 100 and 50, answering missing keys with undefined', async () => {
    const { port, calls } = recordingGetPort((keys) => ({ items: keys.filter((item) => item.pk !== 'k7').map((item) => ({ ...item, v: 1 })), unprocessed: [] }));
    const keys = Array.from({ length: 250 }, (_, i) => key(`k${i}`));
    const results = await batchGetLoader({ port, keyAttributes: ['pk'], concurrency: 1 })(keys);
    expect(calls.map((call) => call.length)).toStrictEqual([100, 100, 50]);
    expect(results[0]).toStrictEqual({ pk: 'k0', v: 1 });
    expect(results[7]).toBeUndefined();
  });

  it('asks again only for UnprocessedKeys, with backoff, until they are read', async () => {
    const sleeps: number[] = [];
    const { port, calls } = recordingGetPort((keys, call) => ({
      items: keys.filter((item) => call > 1 || item.pk !== 'b').map((item) => ({ ...item, v: call })),
      unprocessed: call === 1 ? [key('b')] : [],
    }));
    const results = await batchGetLoader({ port, keyAttributes: ['pk'], sleep: async (ms) => void sleeps.push(ms), random: () => 0.5, baseDelayMs: 100 })([key('a'), key('b')]);
    expect(calls).toStrictEqual([['a', 'b'], ['b']]);
    expect(sleeps).toStrictEqual([50]);
    expect(results).toStrictEqual([{ pk: 'a', v: 1 }, { pk: 'b', v: 2 }]);
  });

  it('fails only the keys still unprocessed after maxAttempts, with UnprocessedKeysError', async () => {
    const { port, calls } = recordingGetPort((keys) => ({ items: keys.filter((item) => item.pk === 'a'), unprocessed: keys.filter((item) => item.pk === 'b') }));
    const results = await batchGetLoader({ port, keyAttributes: ['pk'], maxAttempts: 3, ...noSleep })([key('a'), key('b'), key('b')]);
    expect(calls).toStrictEqual([['a', 'b'], ['b'], ['b']]);
    expect(results[0]).toStrictEqual({ pk: 'a' });
    expect(results[1]).toBeInstanceOf(UnprocessedKeysError);
    expect((results[1] as UnprocessedKeysError).unprocessed).toStrictEqual([key('b')]);
    expect(results[2]).toBe(results[1]);
  });

  it('retries a throttled call and gives up at once on a client error', async () => {
    const throttled = recordingGetPort((keys, call) => (call === 1 ? awsError('ProvisionedThroughputExceededException') : { items: [...keys], unprocessed: [] }));
    expect(await batchGetLoader({ port: throttled.port, keyAttributes: ['pk'], ...noSleep })([key('a')])).toStrictEqual([key('a')]);
    expect(throttled.calls).toStrictEqual([['a'], ['a']]);
    const denied = recordingGetPort(() => awsError('AccessDeniedException'));
    await expect(batchGetLoader({ port: denied.port, keyAttributes: ['pk'], ...noSleep })([key('a')])).rejects.toThrow(/AccessDeniedException/);
    expect(denied.calls).toStrictEqual([['a']]);
  });
});

describe('batchWriteLoader and sendMessageLoader', () => {
  it('fails only the write requests the BatchWriter left unprocessed', async () => {
    const { port, calls } = recordingWritePort((requests) => ({ unprocessed: requests.filter((request) => 'put' in request && request.put.pk === 'b') }));
    const aggregator = new RequestAggregator<WriteRequest, void>({ loadBatch: batchWriteLoader(new BatchWriter({ port, keyAttributes: ['pk'], maxAttempts: 2, ...noSleep })) });
    const outcomes = await aggregator.loadMany([{ put: { pk: 'a' } }, { put: { pk: 'b' } }]);
    expect(calls.length).toBe(2);
    expect(outcomes[0]).toBeUndefined();
    expect(outcomes[1]).toBeInstanceOf(UnprocessedItemsError);
  });

  it('sends 12 single messages in SendMessageBatch calls of 10 and 2, failing only the refused one', async () => {
    const { port, calls } = recordingSendPort((entries) => ({
      failed: entries.filter((entry) => entry.body === 'bad').map((entry) => ({ id: entry.id, code: 'InvalidMessageContents', message: 'no', senderFault: true })),
    }));
    const aggregator = new RequestAggregator({ loadBatch: sendMessageLoader(new QueuePublisher({ port, concurrency: 1, ...noSleep })), maxBatchSize: 100 });
    const bodies = Array.from({ length: 12 }, (_, i) => (i === 3 ? 'bad' : `m${i}`));
    const outcomes = await aggregator.loadMany(bodies.map((body) => ({ body })));
    expect(calls.map((call) => call.map((entry) => entry.body))).toStrictEqual([bodies.slice(0, 10), bodies.slice(10)]);
    expect(outcomes.filter((outcome) => outcome !== undefined)).toHaveLength(1);
    expect(outcomes[3]).toBeInstanceOf(PartialSendError);
    expect((outcomes[3] as PartialSendError).failed).toStrictEqual([{ id: '3', code: 'InvalidMessageContents', message: 'no', senderFault: true }]);
  });
});

describe('AWS backends (aws-sdk-client-mock)', () => {
  const dynamo = mockClient(DynamoDBDocumentClient);
  const sqs = mockClient(SQSClient);
  afterEach(() => {
    dynamo.reset();
    sqs.reset();
  });

  it('sends BatchGetItem for the table, and re-asks for UnprocessedKeys', async () => {
    dynamo
      .on(BatchGetCommand)
      .resolvesOnce({ Responses: { items: [{ pk: 'a', v: 1 }] }, UnprocessedKeys: { items: { Keys: [{ pk: 'b' }] } } })
      .resolvesOnce({ Responses: { items: [{ pk: 'b', v: 2 }] } });
    const client = DynamoDBDocumentClient.from(new DynamoDBClient(TEST_AWS));
    const aggregator = new RequestAggregator({ loadBatch: dynamoDbGetBatch({ tableName: 'items', keyAttributes: ['pk'], client, consistentRead: true, ...noSleep }), cacheKeyFn: (item) => item.pk });
    expect(await Promise.all([aggregator.load({ pk: 'a' }), aggregator.load({ pk: 'b' })])).toStrictEqual([{ pk: 'a', v: 1 }, { pk: 'b', v: 2 }]);
    const inputs = dynamo.commandCalls(BatchGetCommand).map((call) => call.args[0].input);
    expect(inputs).toStrictEqual([
      { RequestItems: { items: { Keys: [{ pk: 'a' }, { pk: 'b' }], ConsistentRead: true } } },
      { RequestItems: { items: { Keys: [{ pk: 'b' }], ConsistentRead: true } } },
    ]);
  });

  it('sends SendMessageBatch to the queue and fails every caller when SQS denies access', async () => {
    sqs.on(SendMessageBatchCommand).rejects(awsError('AccessDenied'));
    const aggregator = new RequestAggregator({ loadBatch: sqsSendBatch({ queueUrl: 'https://sqs.us-east-1.amazonaws.com/1/q', client: new SQSClient(TEST_AWS), ...noSleep }) });
    const outcomes = await aggregator.loadMany([{ body: 'a' }, { body: 'b' }]);
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(1);
    expect(outcomes.map((outcome) => (outcome as PartialSendError).failed.map((entry) => entry.code))).toStrictEqual([['AccessDenied'], ['AccessDenied']]);
    expect(outcomes[0]).not.toBeInstanceOf(BatchFunctionError);
  });
});
