/**
 * Starts an in-process dynalite (DynamoDB emulator, in memory) on 127.0.0.1 with an ephemeral
 * port, for tests, and creates the patterns' tables on it. dynalite ships no types, so it is
 * loaded through `createRequire`.
 */
import { createRequire } from 'node:module';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, type Projection } from '@aws-sdk/client-dynamodb';
import { FlagTable, LedgerTable, ReduceTable, StepRecordTable, TaskTable } from '../../functions/contract';
import { TEST_AWS } from './fauxqs';

interface DynaliteOptions {
  readonly createTableMs?: number;
  readonly deleteTableMs?: number;
  readonly updateTableMs?: number;
  readonly maxItemSizeKb?: number;
}

const dynalite = createRequire(import.meta.url)('dynalite') as (options?: DynaliteOptions) => Server;

/** A running dynalite server. */
export interface DynaliteServer {
  /** Base URL to give SDK clients as `endpoint`, e.g. `http://127.0.0.1:40123`. */
  readonly endpoint: string;
  /** Client config (endpoint, region, fake credentials) for `new DynamoDBClient(...)`. */
  readonly clientConfig: { readonly endpoint: string } & typeof TEST_AWS;
  /** Stops the server and closes its in-memory store. */
  close(): Promise<void>;
}

/** Options of {@link startDynalite}. */
export interface StartDynaliteOptions {
  /** How long a new table stays CREATING, in ms (dynalite's default is 500). @default 0 */
  readonly createTableMs?: number;
  /** How long a deleted table stays DELETING, in ms. @default 0 */
  readonly deleteTableMs?: number;
}

/** Starts dynalite on 127.0.0.1:0; call `close()` in `afterAll`. */
export async function startDynalite(options: StartDynaliteOptions = {}): Promise<DynaliteServer> {
  const server = dynalite({ createTableMs: options.createTableMs ?? 0, deleteTableMs: options.deleteTableMs ?? 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    clientConfig: { ...TEST_AWS, endpoint },
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

/** Anything that sends a `CreateTableCommand`: a `DynamoDBClient` or a `DynamoDBDocumentClient`. */
export interface TableCreator {
  send(command: CreateTableCommand): Promise<unknown>;
}

/** The key schema shared by the patterns' sharded tables: a string key and a pending index on (shard, time). */
interface ShardedTableShape {
  readonly partitionKey: string;
  readonly shardAttribute: string;
  readonly timeAttribute: string;
  readonly pendingIndex: string;
  readonly projection: Projection;
}

async function createShardedTable(client: TableCreator, tableName: string, shape: ShardedTableShape): Promise<void> {
  await client.send(new CreateTableCommand({
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: shape.partitionKey, AttributeType: 'S' },
      { AttributeName: shape.shardAttribute, AttributeType: 'N' },
      { AttributeName: shape.timeAttribute, AttributeType: 'N' },
    ],
    KeySchema: [{ AttributeName: shape.partitionKey, KeyType: 'HASH' }],
    GlobalSecondaryIndexes: [{
      IndexName: shape.pendingIndex,
      KeySchema: [{ AttributeName: shape.shardAttribute, KeyType: 'HASH' }, { AttributeName: shape.timeAttribute, KeyType: 'RANGE' }],
      Projection: shape.projection,
    }],
  }));
}

/** Creates a flag table shaped like the one MarkerSweeper deploys. */
export function createFlagTable(client: TableCreator, tableName: string): Promise<void> {
  return createShardedTable(client, tableName, {
    partitionKey: FlagTable.partitionKey,
    shardAttribute: FlagTable.shardAttribute,
    timeAttribute: FlagTable.dueAtAttribute,
    pendingIndex: FlagTable.pendingIndex,
    projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['firstMarkedAt'] },
  });
}

/** Creates the task table, as the SparseTask construct defines it. */
export function createTaskTable(client: TableCreator, tableName: string): Promise<void> {
  return createShardedTable(client, tableName, {
    partitionKey: TaskTable.partitionKey,
    shardAttribute: TaskTable.shardAttribute,
    timeAttribute: TaskTable.deadlineAttribute,
    pendingIndex: TaskTable.pendingIndex,
    projection: { ProjectionType: 'KEYS_ONLY' },
  });
}

/** Creates the ParallelWorkflow's step-record table, as the construct defines it. */
export async function createStepRecordTable(client: TableCreator, tableName: string): Promise<void> {
  await client.send(new CreateTableCommand({
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: StepRecordTable.partitionKey, AttributeType: 'S' }, { AttributeName: StepRecordTable.sortKey, AttributeType: 'S' }],
    KeySchema: [{ AttributeName: StepRecordTable.partitionKey, KeyType: 'HASH' }, { AttributeName: StepRecordTable.sortKey, KeyType: 'RANGE' }],
  }));
}

/** Creates the Reduce's aggregate table, as the construct defines it. */
export async function createReduceTable(client: TableCreator, tableName: string): Promise<void> {
  await client.send(new CreateTableCommand({
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: ReduceTable.partitionKey, AttributeType: 'S' }, { AttributeName: ReduceTable.sortKey, AttributeType: 'S' }],
    KeySchema: [{ AttributeName: ReduceTable.partitionKey, KeyType: 'HASH' }, { AttributeName: ReduceTable.sortKey, KeyType: 'RANGE' }],
  }));
}

/** Creates the SourceReconciler's ledger table, as the construct defines it. */
export async function createLedgerTable(client: TableCreator, tableName: string): Promise<void> {
  await client.send(new CreateTableCommand({
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: LedgerTable.partitionKey, AttributeType: 'S' }],
    KeySchema: [{ AttributeName: LedgerTable.partitionKey, KeyType: 'HASH' }],
  }));
}
