/**
 * The Reduce's aggregations in DynamoDB. One partition per aggregation: `shard#<n>` items
 * (the shard's merged value and the ids merged into it, one JSON body, versioned for
 * conditional writes), `expected`, and the `final` aggregate split into 300 KB parts, so the
 * final value is not capped by an item, nor by Step Functions' 256 KiB.
 */
import { BatchGetCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ReduceTable } from '../../contract';
import { chunkByCount } from '../chunk';
import { ReduceShardFullError } from '../errors';
import type { FinalAggregate, ReduceStore, ShardState } from '../reduce/types';
import { backoffDelay, realSleep } from '../retry';
import { unlessConditionFails } from './conditional-write';
import { sharedDocumentClient } from './dynamodb-write-port';

const K = ReduceTable;
/** Room left in a 400 KB item for keys and attribute names. */
export const MAX_SHARD_BODY_BYTES = 380_000;
const PART_CHARS = 100_000;

/** Options of {@link dynamoReduceStore}. */
export interface DynamoReduceStoreOptions {
  readonly tableName: string;
  /** Seconds an aggregation's items live (TTL). */
  readonly ttlSeconds: number;
  /** @default - the shared document client */
  readonly client?: DynamoDBDocumentClient;
  /** Epoch ms. @default Date.now */
  readonly now?: () => number;
}

/** A {@link ReduceStore} on DynamoDB. */
export function dynamoReduceStore(options: DynamoReduceStoreOptions): ReduceStore {
  const client = options.client ?? sharedDocumentClient();
  const TableName = options.tableName;
  const key = (reduceId: string, item: string) => ({ [K.partitionKey]: reduceId, [K.sortKey]: item });
  const ttl = () => ({ [K.ttlAttribute]: Math.floor((options.now ?? Date.now)() / 1000) + options.ttlSeconds });
  const get = async (reduceId: string, item: string) => (await client.send(new GetCommand({ TableName, Key: key(reduceId, item), ConsistentRead: true }))).Item;
  const toShard = (item: Record<string, unknown> | undefined): ShardState => (item ? { ...(JSON.parse(String(item[K.bodyAttribute])) as Omit<ShardState, 'version'>), version: Number(item[K.versionAttribute]) } : { applied: [], version: 0 });

  async function batchGet(reduceId: string, items: string[], projection?: string[]): Promise<Map<string, Record<string, unknown>>> {
    const found = new Map<string, Record<string, unknown>>();
    for (const chunk of chunkByCount(items, 100)) {
      let keys: Record<string, unknown>[] | undefined = chunk.map((i) => key(reduceId, i));
      for (let attempt = 0; keys && keys.length > 0; attempt++) {
        if (attempt > 0) await realSleep(backoffDelay(attempt, { baseDelayMs: 50, maxDelayMs: 2_000, random: Math.random }));
        const shape = projection ? { ProjectionExpression: projection.map((_, i) => `#p${i}`).join(', '), ExpressionAttributeNames: Object.fromEntries(projection.map((a, i) => [`#p${i}`, a])) } : {};
        const out: { Responses?: Record<string, Record<string, unknown>[]>; UnprocessedKeys?: Record<string, { Keys?: Record<string, unknown>[] }> } = await client.send(new BatchGetCommand({ RequestItems: { [TableName]: { Keys: keys, ConsistentRead: true, ...shape } } }));
        for (const item of out.Responses?.[TableName] ?? []) found.set(String(item[K.sortKey]), item);
        keys = out.UnprocessedKeys?.[TableName]?.Keys;
      }
    }
    return found;
  }

  return {
    readShard: async (reduceId, shard) => toShard(await get(reduceId, `shard#${shard}`)),
    async writeShard(reduceId, shard, next, previousVersion) {
      const body = JSON.stringify({ value: next.value, applied: next.applied });
      const bytes = Buffer.byteLength(body, 'utf8');
      if (bytes > MAX_SHARD_BODY_BYTES) throw new ReduceShardFullError(reduceId, shard, bytes, MAX_SHARD_BODY_BYTES);
      // The merge and the applied ids are one item: one conditional write applies both or neither.
      const written = await unlessConditionFails(() => client.send(new PutCommand({
        TableName,
        Item: { ...key(reduceId, `shard#${shard}`), [K.bodyAttribute]: body, [K.versionAttribute]: next.version, [K.countAttribute]: next.applied.length, ...ttl() },
        ConditionExpression: previousVersion === 0 ? 'attribute_not_exists(#pk)' : '#v = :v',
        ExpressionAttributeNames: previousVersion === 0 ? { '#pk': K.partitionKey } : { '#v': K.versionAttribute },
        ...(previousVersion === 0 ? {} : { ExpressionAttributeValues: { ':v': previousVersion } }),
      })));
      return written !== undefined;
    },
    async shardCounts(reduceId, shards) {
      const found = await batchGet(reduceId, Array.from({ length: shards }, (_, i) => `shard#${i}`), [K.sortKey, K.countAttribute]);
      return Array.from({ length: shards }, (_, i) => Number(found.get(`shard#${i}`)?.[K.countAttribute] ?? 0));
    },
    async readShards(reduceId, shards) {
      const found = await batchGet(reduceId, Array.from({ length: shards }, (_, i) => `shard#${i}`));
      return Array.from({ length: shards }, (_, i) => toShard(found.get(`shard#${i}`)));
    },
    async setExpected(reduceId, expected) {
      await unlessConditionFails(() => client.send(new PutCommand({ TableName, Item: { ...key(reduceId, 'expected'), [K.bodyAttribute]: String(expected), ...ttl() }, ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': K.partitionKey } })));
      return Number((await get(reduceId, 'expected'))?.[K.bodyAttribute]);
    },
    async readExpected(reduceId) {
      const item = await get(reduceId, 'expected');
      return item ? Number(item[K.bodyAttribute]) : undefined;
    },
    async putFinal(final) {
      const text = JSON.stringify(final.value ?? null);
      const parts = Array.from({ length: Math.max(1, Math.ceil(text.length / PART_CHARS)) }, (_, i) => text.slice(i * PART_CHARS, (i + 1) * PART_CHARS));
      // Tail parts first; the head's conditional write publishes them (racing finalizers write the same parts).
      for (let i = parts.length - 1; i >= 1; i--) await client.send(new PutCommand({ TableName, Item: { ...key(final.reduceId, `final#${i}`), [K.bodyAttribute]: parts[i], ...ttl() } }));
      const head = { count: final.count, finalAt: final.finalAt };
      const written = await unlessConditionFails(() => client.send(new PutCommand({
        TableName,
        Item: { ...key(final.reduceId, 'final'), [K.bodyAttribute]: parts[0], [K.partsAttribute]: parts.length, meta: JSON.stringify(head), ...ttl() },
        ConditionExpression: 'attribute_not_exists(#pk)',
        ExpressionAttributeNames: { '#pk': K.partitionKey },
      })));
      return written !== undefined;
    },
    async readFinal(reduceId) {
      const head = await get(reduceId, 'final');
      if (!head) return undefined;
      const n = Number(head[K.partsAttribute]);
      const tail = n > 1 ? await batchGet(reduceId, Array.from({ length: n - 1 }, (_, i) => `final#${i + 1}`)) : new Map();
      const text = String(head[K.bodyAttribute]) + Array.from({ length: n - 1 }, (_, i) => String(tail.get(`final#${i + 1}`)?.[K.bodyAttribute] ?? '')).join('');
      const meta = JSON.parse(String(head.meta)) as { count: number; finalAt: number };
      return { reduceId, value: JSON.parse(text), count: meta.count, finalAt: meta.finalAt } satisfies FinalAggregate;
    },
  };
}
