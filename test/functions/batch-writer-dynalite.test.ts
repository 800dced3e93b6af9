import { CreateTableCommand, DynamoDBClient, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoDbWritePort } from '../../functions/lib/aws/dynamodb-write-port';
import { BatchWriter, type WriteRequest } from '../../functions/lib/batch-writer';
import { startDynalite, type DynaliteServer } from '../helpers/dynalite';

let server: DynaliteServer;
let client: DynamoDBClient;
let documents: DynamoDBDocumentClient;

beforeAll(async () => {
  server = await startDynalite();
  client = new DynamoDBClient(server.clientConfig);
  documents = DynamoDBDocumentClient.from(client);
  await client.send(
    new CreateTableCommand({
      TableName: 'items',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  await waitUntilTableExists({ client, maxWaitTime: 10, minDelay: 1, maxDelay: 1 }, { TableName: 'items' });
});

afterAll(async () => {
  client?.destroy();
  await server?.close();
});

describe('BatchWriter with the BatchWriteItem adapter against dynalite', () => {
  it('writes 60 requests, repeated keys in order, leaving the last write of each key', async () => {
    const requests: WriteRequest[] = [
      ...Array.from({ length: 55 }, (_, index): WriteRequest => ({ put: { pk: `k${index}`, version: 1 } })),
      { put: { pk: 'k3', version: 2 } },
      { delete: { pk: 'k4' } },
      { put: { pk: 'k3', version: 3 } },
      { delete: { pk: 'k5' } },
      { put: { pk: 'k5', version: 2 } },
    ];
    const writer = new BatchWriter({ port: dynamoDbWritePort('items', documents), keyAttributes: ['pk'] });
    const result = await writer.write(requests);
    const { Items = [] } = await documents.send(new ScanCommand({ TableName: 'items' }));
    const versions = Object.fromEntries(Items.map((item) => [item.pk as string, item.version as number]));
    expect(result.written).toBe(60);
    // Generation 0 (55 keys) takes 3 calls; the repeated keys k3, k4, k5 take one call per generation.
    expect(result.requests).toBe(5);
    expect(Items).toHaveLength(54);
    expect([versions.k3, versions.k4, versions.k5, versions.k0]).toStrictEqual([3, undefined, 2, 1]);
  });
});
