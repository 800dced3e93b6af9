/**
 * AWS-shaped fixtures for Sparse Task adapter and end-to-end tests: the task table (the same
 * key schema and pending index the construct creates) on dynalite, and the local EventBridge
 * Scheduler (localstack/scheduling) on a manual clock, served over HTTP on 127.0.0.1:0 so the
 * real `@aws-sdk/client-scheduler` talks to it.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { TaskTable } from '../../functions/contract';
import { ManualClock } from '../../localstack/scheduling/clock';
import type { DeliverFn } from '../../localstack/scheduling/delivery';
import { LocalScheduler } from '../../localstack/scheduling/scheduler-service';
import { TEST_AWS } from './fauxqs';

/** Creates the task table, as the SparseTask construct defines it, on the DynamoDB at `client`. */
export async function createTaskTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await client.send(new CreateTableCommand({
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: TaskTable.partitionKey, AttributeType: 'S' },
      { AttributeName: TaskTable.shardAttribute, AttributeType: 'N' },
      { AttributeName: TaskTable.deadlineAttribute, AttributeType: 'N' },
    ],
    KeySchema: [{ AttributeName: TaskTable.partitionKey, KeyType: 'HASH' }],
    GlobalSecondaryIndexes: [{
      IndexName: TaskTable.pendingIndex,
      KeySchema: [{ AttributeName: TaskTable.shardAttribute, KeyType: 'HASH' }, { AttributeName: TaskTable.deadlineAttribute, KeyType: 'RANGE' }],
      Projection: { ProjectionType: 'KEYS_ONLY' },
    }],
  }));
}

/** A local EventBridge Scheduler on a manual clock, reachable by the SDK. */
export interface LocalSchedulerServer {
  readonly scheduler: LocalScheduler;
  readonly clock: ManualClock;
  /** An SDK client pointed at it. */
  readonly client: SchedulerClient;
  close(): Promise<void>;
}

/** Starts a local scheduler whose due schedules call `deliver`; creates `groups` first. */
export async function startLocalScheduler(deliver: DeliverFn, groups: readonly string[], start = Date.UTC(2025, 0, 1)): Promise<LocalSchedulerServer> {
  const clock = new ManualClock({ start });
  const scheduler = new LocalScheduler({ clock, deliver });
  for (const group of groups) scheduler.createScheduleGroup(group);
  const server = createServer((req, res) => {
    void readBody(req).then(async (body) => {
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      const response = await scheduler.handle({ method: req.method ?? 'GET', path: req.url ?? '/', headers, body });
      res.writeHead(response.status, response.headers).end(response.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new SchedulerClient({ ...TEST_AWS, endpoint });
  return {
    scheduler, clock, client,
    close: async () => {
      client.destroy();
      scheduler.dispose();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
