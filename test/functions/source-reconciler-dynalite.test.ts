import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoLedger } from '../../functions/lib/aws/ledger';
import { dynamoQuerySource } from '../../functions/lib/aws/reconciler-sources';
import { reconcile } from '../../functions/lib/source-reconciler/reconcile';
import type { SourceItem } from '../../functions/lib/source-reconciler/types';
import { createLedgerTable, type DynaliteServer, startDynalite } from '../helpers/dynalite';

describe('SourceReconciler on DynamoDB (dynalite): query source, ledger, overlapping runs', () => {
  let dynalite: DynaliteServer;
  let client: DynamoDBDocumentClient;

  beforeAll(async () => {
    dynalite = await startDynalite();
    client = DynamoDBDocumentClient.from(new DynamoDBClient(dynalite.clientConfig));
    await createLedgerTable(client, 'ledger');
    await client.send(new CreateTableCommand({ TableName: 'jobs', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'queue', AttributeType: 'S' }, { AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'queue', KeyType: 'HASH' }, { AttributeName: 'id', KeyType: 'RANGE' }] }));
    // Large enough items that a query page (1 MB) holds only some of them.
    const items = Array.from({ length: 120 }, (_, i) => ({ queue: 'pending', id: `job-${String(i).padStart(3, '0')}`, rev: 1, pad: 'x'.repeat(20_000) }));
    for (let i = 0; i < items.length; i += 25) await client.send(new BatchWriteCommand({ RequestItems: { jobs: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
  });
  afterAll(() => dynalite.close());

  it('sends each listed item once across two overlapping runs and a third, later one; a new version is new work', async () => {
    const ledger = dynamoLedger({ tableName: 'ledger', ttlSeconds: 3600, client });
    const list = dynamoQuerySource({ kind: 'dynamodb', table: 'jobs', partitionKey: 'queue', partitionValue: 'pending', idAttribute: 'id', versionAttribute: 'rev' }, client);
    const sent: string[] = [];
    const run = () => reconcile({ list, ledger, enqueue: async (items: readonly SourceItem[]) => void sent.push(...items.map((i) => i.id)), now: Date.now, leaseMs: 60_000, maxItems: 10_000 });
    const [a, b] = await Promise.all([run(), run()]);
    expect(a.pages).toBeGreaterThan(1);
    expect(a.enqueued + b.enqueued).toBe(120);
    expect((await run()).enqueued).toBe(0);
    expect([...sent].sort()).toStrictEqual(Array.from({ length: 120 }, (_, i) => `job-${String(i).padStart(3, '0')}`));
    await client.send(new BatchWriteCommand({ RequestItems: { jobs: [{ PutRequest: { Item: { queue: 'pending', id: 'job-007', rev: 2 } } }] } }));
    expect((await run()).enqueued).toBe(1);
    expect(sent.at(-1)).toBe('job-007');
  });
});
