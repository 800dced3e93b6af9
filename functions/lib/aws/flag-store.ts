/**
 * The DynamoDB flag set: {@link FlagStore} with single conditional writes (no transactions, so
 * it runs on dynalite too).
 *
 * Item: `flagKey` (partition key), `marks` (also the version), `firstMarkedAt`,
 * `lastMarkedAt`, `lastMarkId`, `attempts`, `shard` and `dueAt` (the sparse `pending` index:
 * every flag is in it, ordered by when it can next be claimed), `leaseOwner`/`leaseUntil`
 * while claimed, and `expiresAt` (TTL). A claim moves `dueAt` to the lease end, so an expired
 * lease makes the flag due again without anyone having to notice the crash.
 */
import { DeleteCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { FlagTable } from '../../contract';
import { shardOf } from '../marker-sweeper/shard';
import type { DueFlag, Flag, FlagStore, Lease, MarkOutcome, ReleaseOptions } from '../marker-sweeper/types';
import { unlessConditionFails } from './conditional-write';
import { sharedDocumentClient } from './dynamodb-write-port';

/** Options of {@link DynamoFlagStore}. */
export interface DynamoFlagStoreOptions {
  /** The flag-set table. */
  readonly tableName: string;
  /** Write shards of the pending index (1–100); must stay the same for the table's lifetime. */
  readonly shards: number;
  /** Seconds after its last mark at which TTL deletes a flag nobody swept (> 0). */
  readonly ttlSeconds: number;
  /** The document client. @default - the process-wide one */
  readonly client?: DynamoDBDocumentClient;
}

const PK = FlagTable.partitionKey;

/** Expression attribute names shared by every request (unused ones are rejected, so each request picks its own). */
const N = {
  '#pk': PK, '#marks': 'marks', '#first': FlagTable.firstMarkedAtAttribute, '#last': 'lastMarkedAt', '#markId': 'lastMarkId',
  '#attempts': 'attempts', '#shard': FlagTable.shardAttribute, '#due': FlagTable.dueAtAttribute,
  '#owner': 'leaseOwner', '#until': 'leaseUntil', '#ttl': FlagTable.ttlAttribute,
} as const;
type Name = keyof typeof N;

function names(...keys: Name[]): Record<string, string> {
  return Object.fromEntries(keys.map((key) => [key, N[key]]));
}

/** {@link FlagStore} on a DynamoDB table. */
export class DynamoFlagStore implements FlagStore {
  /** {@inheritDoc FlagStore.shards} */
  readonly shards: number;
  private readonly tableName: string;
  private readonly ttlSeconds: number;
  private readonly client: DynamoDBDocumentClient;

  constructor(options: DynamoFlagStoreOptions) {
    this.tableName = options.tableName;
    this.shards = options.shards;
    this.ttlSeconds = options.ttlSeconds;
    this.client = options.client ?? sharedDocumentClient();
  }

  /** {@inheritDoc FlagStore.mark} */
  async mark(key: string, markId: string, now: number, count: number): Promise<MarkOutcome> {
    const output = await unlessConditionFails(() => this.client.send(new UpdateCommand({
      TableName: this.tableName,
      Key: { [PK]: key },
      UpdateExpression:
        'SET #first = if_not_exists(#first, :now), #last = :now, #markId = :markId, #attempts = if_not_exists(#attempts, :zero), ' +
        '#shard = if_not_exists(#shard, :shard), #due = if_not_exists(#due, :now), #ttl = :ttl ADD #marks :count',
      ConditionExpression: 'attribute_not_exists(#markId) OR #markId <> :markId',
      ExpressionAttributeNames: names('#first', '#last', '#markId', '#attempts', '#shard', '#due', '#ttl', '#marks'),
      ExpressionAttributeValues: {
        ':now': now, ':markId': markId, ':zero': 0, ':shard': shardOf(key, this.shards),
        ':ttl': Math.floor(now / 1000) + this.ttlSeconds, ':count': count,
      },
      ReturnValues: 'UPDATED_OLD',
    })));
    if (output === undefined) return 'redelivered';
    return output.Attributes?.marks === undefined ? 'created' : 'collapsed';
  }

  /** {@inheritDoc FlagStore.dueIn} */
  async dueIn(shard: number, now: number, limit: number): Promise<DueFlag[]> {
    const output = await this.client.send(new QueryCommand({
      TableName: this.tableName,
      IndexName: FlagTable.pendingIndex,
      KeyConditionExpression: '#shard = :shard AND #due <= :now',
      ExpressionAttributeNames: names('#shard', '#due'),
      ExpressionAttributeValues: { ':shard': shard, ':now': now },
      Limit: limit,
    }));
    return (output.Items ?? []).map((item) => ({ key: String(item[PK]), dueAt: Number(item[N['#due']]), firstMarkedAt: Number(item[N['#first']]) }));
  }

  /** {@inheritDoc FlagStore.claim} */
  async claim(key: string, lease: Lease): Promise<Flag | undefined> {
    const output = await unlessConditionFails(() => this.client.send(new UpdateCommand({
      TableName: this.tableName,
      Key: { [PK]: key },
      UpdateExpression: 'SET #owner = :owner, #until = :until, #due = :until ADD #attempts :one',
      ConditionExpression: 'attribute_exists(#pk) AND (attribute_not_exists(#until) OR #until <= :now)',
      ExpressionAttributeNames: names('#owner', '#until', '#due', '#attempts', '#pk'),
      ExpressionAttributeValues: { ':owner': lease.owner, ':until': lease.until, ':now': lease.now, ':one': 1 },
      ReturnValues: 'ALL_NEW',
    })));
    const item = output?.Attributes;
    if (item === undefined) return undefined;
    return {
      key: String(item[PK]), marks: Number(item.marks), firstMarkedAt: Number(item[N['#first']]),
      lastMarkedAt: Number(item[N['#last']]), attempts: Number(item.attempts),
    };
  }

  /** {@inheritDoc FlagStore.clear} */
  async clear(key: string, owner: string, marks: number): Promise<boolean> {
    const output = await unlessConditionFails(() => this.client.send(new DeleteCommand({
      TableName: this.tableName,
      Key: { [PK]: key },
      ConditionExpression: '#owner = :owner AND #marks = :marks',
      ExpressionAttributeNames: names('#owner', '#marks'),
      ExpressionAttributeValues: { ':owner': owner, ':marks': marks },
    })));
    return output !== undefined;
  }

  /** {@inheritDoc FlagStore.release} */
  async release(key: string, owner: string, dueAt: number, options: ReleaseOptions = {}): Promise<boolean> {
    const reset = options.resetAttempts === true;
    const output = await unlessConditionFails(() => this.client.send(new UpdateCommand({
      TableName: this.tableName,
      Key: { [PK]: key },
      UpdateExpression: `SET #due = :due${reset ? ', #attempts = :zero' : ''} REMOVE #owner, #until`,
      ConditionExpression: '#owner = :owner',
      ExpressionAttributeNames: names('#due', '#owner', '#until', ...(reset ? ['#attempts' as const] : [])),
      ExpressionAttributeValues: { ':due': dueAt, ':owner': owner, ...(reset ? { ':zero': 0 } : {}) },
    })));
    return output !== undefined;
  }

  /** {@inheritDoc FlagStore.countOutstanding} — counts the index shard by shard, page by page. */
  async countOutstanding(): Promise<number> {
    let total = 0;
    for (let shard = 0; shard < this.shards; shard++) {
      let start: Record<string, unknown> | undefined;
      do {
        const output = await this.client.send(new QueryCommand({
          TableName: this.tableName,
          IndexName: FlagTable.pendingIndex,
          KeyConditionExpression: '#shard = :shard',
          ExpressionAttributeNames: names('#shard'),
          ExpressionAttributeValues: { ':shard': shard },
          Select: 'COUNT',
          ExclusiveStartKey: start,
        }));
        total += output.Count ?? 0;
        start = output.LastEvaluatedKey;
      } while (start !== undefined);
    }
    return total;
  }
}
