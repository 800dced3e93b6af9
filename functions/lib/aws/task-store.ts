/**
 * The DynamoDB task table: {@link TaskStore} with single conditional writes (no transactions,
 * so it runs on dynalite too).
 *
 * Item: the {@link TaskRecord} fields, plus `pendingShard` while the task is PENDING (the sparse
 * `pending` index: PENDING tasks by shard, earliest deadline first; the gauge counts it and a
 * batch poller can walk it) and `expiresAt` (TTL) once it has finished. Every terminal move is
 * one UpdateItem conditioned on `status = PENDING`, so two writers can never both win.
 */
import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TaskTable } from '../../contract';
import { TaskStoreInconsistencyError } from '../errors';
import { hash53 } from '../routing/hash';
import { MAX_RECORDED_LOSERS, type CreateResult, type Finish, type FinishGuard, type FinishResult, type LoserRecord, type TaskRecord, type TaskStore } from '../sparse-task/types';
import { unlessConditionFails } from './conditional-write';
import { sharedDocumentClient } from './dynamodb-write-port';

/** Options of {@link DynamoTaskStore}. */
export interface DynamoTaskStoreOptions {
  /** The task table. */
  readonly tableName: string;
  /** Write shards of the pending index (1–100); must stay the same for the table's lifetime. */
  readonly shards: number;
  /** Seconds a finished record is kept before TTL deletes it (> 0). */
  readonly retentionSeconds: number;
  /** The document client. @default - the process-wide one */
  readonly client?: DynamoDBDocumentClient;
}

const PK = TaskTable.partitionKey;
const SHARD = TaskTable.shardAttribute;
const TTL = TaskTable.ttlAttribute;
/** Seed of the shard hash: fixed forever, so a task keeps its shard across deploys. */
const SHARD_SEED = 0x7a5c;

/** {@link TaskStore} on a DynamoDB table. */
export class DynamoTaskStore implements TaskStore {
  private readonly client: DynamoDBDocumentClient;

  /** @param options the table, its shard count and retention, and optionally the client */
  constructor(private readonly options: DynamoTaskStoreOptions) {
    this.client = options.client ?? sharedDocumentClient();
  }

  /** {@inheritDoc TaskStore.create} */
  async create(record: TaskRecord): Promise<CreateResult> {
    const item = { ...record, [SHARD]: hash53(record.taskId, SHARD_SEED) % this.options.shards };
    const put = await unlessConditionFails(() => this.client.send(new PutCommand({
      TableName: this.options.tableName, Item: item, ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': PK },
    })));
    if (put !== undefined) return { created: true };
    const existing = await this.get(record.taskId);
    if (existing === undefined) throw new TaskStoreInconsistencyError(`Task ${JSON.stringify(record.taskId)} exists for the condition but not for the read`);
    return { created: false, existing };
  }

  /** {@inheritDoc TaskStore.get} */
  async get(taskId: string): Promise<TaskRecord | undefined> {
    const output = await this.client.send(new GetCommand({ TableName: this.options.tableName, Key: { [PK]: taskId }, ConsistentRead: true }));
    return output.Item === undefined ? undefined : toRecord(output.Item);
  }

  /** {@inheritDoc TaskStore.finish} */
  async finish(taskId: string, finish: Finish, guard: FinishGuard = {}): Promise<FinishResult> {
    const update = finishUpdate(finish, guard, this.options.retentionSeconds);
    const output = await unlessConditionFails(() => this.client.send(new UpdateCommand({
      TableName: this.options.tableName, Key: { [PK]: taskId }, ...update, ReturnValues: 'ALL_NEW',
    })));
    if (output?.Attributes !== undefined) return { won: true, record: toRecord(output.Attributes) };
    return { won: false, record: await this.get(taskId) };
  }

  /** {@inheritDoc TaskStore.recordLoser} */
  async recordLoser(taskId: string, eventId: string, loser: LoserRecord): Promise<boolean> {
    const kept = await unlessConditionFails(() => this.client.send(new UpdateCommand({
      TableName: this.options.tableName, Key: { [PK]: taskId }, UpdateExpression: 'SET #losers.#id = :loser ADD #count :one',
      ConditionExpression: 'attribute_exists(#pk) AND attribute_not_exists(#losers.#id) AND size(#losers) < :max',
      ExpressionAttributeNames: { '#pk': PK, '#losers': 'losers', '#id': eventId, '#count': 'loserCount' },
      ExpressionAttributeValues: { ':loser': loser, ':one': 1, ':max': MAX_RECORDED_LOSERS },
    })));
    if (kept !== undefined) return true;
    const current = await this.get(taskId);
    if (current === undefined || eventId in current.losers) return false;
    // The map is full: count the loser without keeping it.
    await unlessConditionFails(() => this.client.send(new UpdateCommand({
      TableName: this.options.tableName, Key: { [PK]: taskId }, UpdateExpression: 'ADD #count :one', ConditionExpression: 'attribute_exists(#pk)',
      ExpressionAttributeNames: { '#pk': PK, '#count': 'loserCount' }, ExpressionAttributeValues: { ':one': 1 },
    })));
    return true;
  }

  /** {@inheritDoc TaskStore.setExternalId} */
  async setExternalId(taskId: string, externalId: string): Promise<void> {
    await unlessConditionFails(() => this.client.send(new UpdateCommand({
      TableName: this.options.tableName, Key: { [PK]: taskId }, UpdateExpression: 'SET #ext = :ext', ConditionExpression: 'attribute_exists(#pk)',
      ExpressionAttributeNames: { '#pk': PK, '#ext': 'externalId' }, ExpressionAttributeValues: { ':ext': externalId },
    })));
  }

  /** {@inheritDoc TaskStore.countPending} — counts the pending index shard by shard, page by page. */
  async countPending(): Promise<number> {
    let total = 0;
    for (let shard = 0; shard < this.options.shards; shard++) {
      let start: Record<string, unknown> | undefined;
      do {
        const page = await this.client.send(new QueryCommand({
          TableName: this.options.tableName, IndexName: TaskTable.pendingIndex, KeyConditionExpression: '#shard = :shard',
          ExpressionAttributeNames: { '#shard': SHARD }, ExpressionAttributeValues: { ':shard': shard }, Select: 'COUNT', ExclusiveStartKey: start,
        }));
        total += page.Count ?? 0;
        start = page.LastEvaluatedKey;
      } while (start !== undefined);
    }
    return total;
  }
}

/** The expressions of a terminal move: one SET, the shard removed (leaving the index), guarded on PENDING. */
function finishUpdate(finish: Finish, guard: FinishGuard, retentionSeconds: number) {
  const names: Record<string, string> = { '#status': 'status', '#reason': 'reason', '#at': 'finishedAt', '#by': 'finishedBy', '#ttl': TTL, '#shard': SHARD };
  const values: Record<string, unknown> = {
    ':to': finish.status, ':reason': finish.reason, ':at': finish.at, ':by': finish.by, ':pending': 'PENDING',
    ':ttl': Math.floor(finish.at / 1000) + retentionSeconds,
  };
  const sets = ['#status = :to', '#reason = :reason', '#at = :at', '#by = :by', '#ttl = :ttl'];
  const conditions = ['#status = :pending'];
  const optional = (name: string, attribute: string, value: unknown, expression: string, target: string[]) => {
    if (value === undefined) return;
    names[name] = attribute;
    values[name.replace('#', ':')] = value;
    target.push(expression);
  };
  optional('#result', 'result', finish.result, '#result = :result', sets);
  optional('#error', 'error', finish.error, '#error = :error', sets);
  optional('#deadline', TaskTable.deadlineAttribute, guard.before, '#deadline > :deadline', conditions);
  optional('#cid', 'correlationId', guard.correlationId, '#cid = :cid', conditions);
  return {
    UpdateExpression: `SET ${sets.join(', ')} REMOVE #shard`,
    ConditionExpression: conditions.join(' AND '),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

/** A task record from an item: the table-only attributes (shard, TTL) are dropped. */
function toRecord(item: Record<string, unknown>): TaskRecord {
  const { [SHARD]: _shard, [TTL]: _ttl, ...record } = item;
  return record as unknown as TaskRecord;
}
