/**
 * The ParallelWorkflow's step records in DynamoDB: partition key the run (execution ARN),
 * sort key the step id. A record's JSON is split into parts of at most 300 KB (items are
 * capped at 400 KB), so results of any size are kept: part 0 in the step's own item,
 * further parts under `<step>#<n>`. TTL removes a run's records after the configured time.
 */
import { BatchGetCommand, type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { StepRecordTable } from '../../contract';
import { chunkByCount } from '../chunk';
import { backoffDelay, realSleep } from '../retry';
import type { StepRecord, StepRecordStore } from '../parallel-workflow/types';
import { sharedDocumentClient } from './dynamodb-write-port';

/** Bytes of record JSON per item (DynamoDB's item limit is 400 KB, keys and names included). */
export const PART_BYTES = 300_000;

const K = StepRecordTable;
type Item = Record<string, unknown>;

/** Splits a string into parts of at most `size` UTF-16 units, sized so UTF-8 stays under `PART_BYTES`. */
function split(text: string, size: number): string[] {
  const parts: string[] = [];
  for (let i = 0; i < text.length; i += size) parts.push(text.slice(i, i + size));
  return parts.length > 0 ? parts : [''];
}

/** Options of {@link dynamoStepRecordStore}. */
export interface DynamoStepRecordStoreOptions {
  readonly tableName: string;
  /** Seconds a record lives (TTL). */
  readonly ttlSeconds: number;
  /** @default - the shared document client */
  readonly client?: DynamoDBDocumentClient;
  /** @default Date.now */
  readonly now?: () => number;
}

/** A {@link StepRecordStore} on DynamoDB. */
export function dynamoStepRecordStore(options: DynamoStepRecordStoreOptions): StepRecordStore {
  const client = options.client ?? sharedDocumentClient();
  const now = options.now ?? Date.now;

  async function batchGet(run: string, sortKeys: readonly string[]): Promise<Item[]> {
    const found: Item[] = [];
    for (const chunk of chunkByCount([...sortKeys], 100)) {
      let keys: Item[] | undefined = chunk.map((s) => ({ [K.partitionKey]: run, [K.sortKey]: s }));
      // UnprocessedKeys are normal under throttling: retry just them, with backoff.
      for (let attempt = 0; keys && keys.length > 0; attempt++) {
        if (attempt > 0) await realSleep(backoffDelay(attempt, { baseDelayMs: 50, maxDelayMs: 2_000, random: Math.random }));
        const out = await client.send(new BatchGetCommand({ RequestItems: { [options.tableName]: { Keys: keys, ConsistentRead: true } } }));
        found.push(...(out.Responses?.[options.tableName] ?? []));
        keys = out.UnprocessedKeys?.[options.tableName]?.Keys as Item[] | undefined;
      }
    }
    return found;
  }

  function assemble(head: Item, parts: ReadonlyMap<string, Item>): StepRecord {
    const count = Number(head[K.partsAttribute] ?? 1);
    let text = String(head[K.bodyAttribute]);
    for (let i = 1; i < count; i++) text += String(parts.get(`${head[K.sortKey]}#${i}`)?.[K.bodyAttribute] ?? '');
    return JSON.parse(text) as StepRecord;
  }

  return {
    async get(run, steps) {
      const heads = await batchGet(run, steps);
      const partKeys = heads.flatMap((h) => Array.from({ length: Number(h[K.partsAttribute] ?? 1) - 1 }, (_, i) => `${h[K.sortKey]}#${i + 1}`));
      const parts = new Map((partKeys.length > 0 ? await batchGet(run, partKeys) : []).map((p) => [String(p[K.sortKey]), p]));
      return new Map(heads.map((h) => [String(h[K.sortKey]), assemble(h, parts)]));
    },
    async put(run, record) {
      // A UTF-8 character is at most 3 bytes per UTF-16 unit.
      const parts = split(JSON.stringify(record), Math.floor(PART_BYTES / 3));
      const expiresAt = Math.floor(now() / 1000) + options.ttlSeconds;
      // Tail parts first: a reader that sees the head sees every part it names.
      for (let i = parts.length - 1; i >= 0; i--) {
        const sortKey = i === 0 ? record.step : `${record.step}#${i}`;
        await client.send(new PutCommand({ TableName: options.tableName, Item: { [K.partitionKey]: run, [K.sortKey]: sortKey, [K.bodyAttribute]: parts[i], [K.partsAttribute]: parts.length, [K.ttlAttribute]: expiresAt } }));
      }
    },
    async list(run) {
      const items: Item[] = [];
      let start: Item | undefined;
      do {
        const out = await client.send(new QueryCommand({ TableName: options.tableName, KeyConditionExpression: '#pk = :run', ExpressionAttributeNames: { '#pk': K.partitionKey }, ExpressionAttributeValues: { ':run': run }, ConsistentRead: true, ExclusiveStartKey: start }));
        items.push(...(out.Items ?? []));
        start = out.LastEvaluatedKey;
      } while (start);
      const parts = new Map(items.map((i) => [String(i[K.sortKey]), i]));
      return items.filter((i) => !String(i[K.sortKey]).includes('#')).map((h) => assemble(h, parts));
    },
  };
}
