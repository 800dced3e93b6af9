import { CreateTableCommand, DynamoDBClient, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoDbGetBatch, dynamoDbWriteBatch } from '../../functions/request-aggregator/backends';
import type { DocumentItem, WriteRequest } from '../../functions/lib/batch-writer';
import { RequestAggregator } from '../../functions/lib/request-aggregator/aggregator';
import { startDynalite, type DynaliteServer } from '../helpers/dynalite';

let server: DynaliteServer;
let client: DynamoDBClient;
let documents: DynamoDBDocumentClient;
const commands: string[] = [];

beforeAll(async () => {
  server = await startDynalite();
  client = new DynamoDBClient(server.clientConfig);
  documents = DynamoDBDocumentClient.from(client);
  // Counts the requests that reach dynalite, by command name.
  client.middlewareStack.add((next, context) => (args) => (commands.push(context.commandName as string), next(args)), { step: 'initialize' });
  await client.send(new CreateTableCommand({
    TableName: 'items',
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    BillingMode: 'PAY_PER_REQUEST',
  }));
  await waitUntilTableExists({ client, maxWaitTime: 10, minDelay: 1, maxDelay: 1 }, { TableName: 'items' });
});

afterAll(async () => {
  client?.destroy();
  await server?.close();
});

describe('DynamoDB backends against dynalite', () => {
  it('writes 60 single puts in BatchWriteItem calls, then reads 150 single loads (with repeats) in 2 BatchGetItem calls', async () => {
    const writes = new RequestAggregator<WriteRequest, void>({ loadBatch: dynamoDbWriteBatch({ tableName: 'items', keyAttributes: ['pk'], client: documents }), maxBatchSize: 100 });
    await Promise.all(Array.from({ length: 60 }, (_, i) => writes.load({ put: { pk: `k${i}`, n: i } })));
    expect(writes.stats().batches).toBe(1);
    const reads = new RequestAggregator<DocumentItem, DocumentItem | undefined>({
      loadBatch: dynamoDbGetBatch({ tableName: 'items', keyAttributes: ['pk'], client: documents, consistentRead: true }),
      maxBatchSize: 100,
      cacheKeyFn: (key) => key.pk,
    });
    const keys = Array.from({ length: 150 }, (_, i) => `k${i % 120}`);
    const items = await Promise.all(keys.map((pk) => reads.load({ pk })));
    expect(items.map((item) => item?.n)).toStrictEqual(keys.map((pk) => (Number(pk.slice(1)) < 60 ? Number(pk.slice(1)) : undefined)));
    expect(reads.stats()).toStrictEqual({ loads: 150, batches: 2, keys: 120 });
    expect(commands.filter((name) => name === 'BatchGetItemCommand')).toHaveLength(2);
    expect(commands.filter((name) => name === 'BatchWriteItemCommand')).toHaveLength(3);
  });
});
