/**
 * The DynamoDB watch table: {@link WatchStore} with single conditional writes.
 *
 * Item: `id` (partition key), `data`, `status`, `addedAt`, `lastPolledAt`, `polls`,
 * `attempts`, `nextPollAt`, `lastError`. Windows are read with Scan pages in table order,
 * the cursor being the last id read (`ExclusiveStartKey`), which needs no index and spreads
 * over every partition. The poller's cursor and tick lease live in one reserved item
 * (`WatchTable.cursorId`), skipped when paging.
 */
import { DeleteCommand, PutCommand, ScanCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { WatchTable } from '../../contract';
import type { CursorState, PollRecord, WatchItem, WatchPage, WatchStore } from '../rolling-poller/types';
import { unlessConditionFails } from './conditional-write';
import { sharedDocumentClient } from './dynamodb-write-port';

/** Options of {@link DynamoWatchStore}. */
export interface DynamoWatchStoreOptions {
  /** The watch table. */
  readonly tableName: string;
  /** The document client. @default - the process-wide one */
  readonly client?: DynamoDBDocumentClient;
}

const PK = WatchTable.partitionKey;
const RECORD_FIELDS = ['status', 'lastPolledAt', 'polls', 'attempts', 'nextPollAt', 'lastError'] as const satisfies ReadonlyArray<keyof PollRecord>;

/**
 * The item a direct writer puts to start watching `id` (with `attribute_not_exists(id)` as the
 * condition, so watching twice keeps the progress).
 */
export function newWatchItem(id: string, data: unknown, now: number): Record<string, unknown> {
  return { [PK]: id, ...(data === undefined ? {} : { data }), addedAt: now, polls: 0, attempts: 0 };
}

/** {@link WatchStore} on a DynamoDB table. */
export class DynamoWatchStore implements WatchStore {
  private readonly tableName: string;
  private readonly client: DynamoDBDocumentClient;

  constructor(options: DynamoWatchStoreOptions) {
    this.tableName = options.tableName;
    this.client = options.client ?? sharedDocumentClient();
  }

  /** {@inheritDoc WatchStore.add} */
  async add(id: string, data: unknown, now: number): Promise<boolean> {
    const output = await unlessConditionFails(() => this.client.send(new PutCommand({
      TableName: this.tableName,
      Item: newWatchItem(id, data, now),
      ConditionExpression: 'attribute_not_exists(#pk)',
      ExpressionAttributeNames: { '#pk': PK },
    })));
    return output !== undefined;
  }

  /** {@inheritDoc WatchStore.remove} */
  async remove(id: string, expectedPolls?: number): Promise<boolean> {
    if (expectedPolls === undefined) {
      const output = await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: { [PK]: id }, ReturnValues: 'ALL_OLD' }));
      return output.Attributes !== undefined;
    }
    const output = await unlessConditionFails(() => this.client.send(new DeleteCommand({
      TableName: this.tableName,
      Key: { [PK]: id },
      ConditionExpression: '#polls = :expected',
      ExpressionAttributeNames: { '#polls': 'polls' },
      ExpressionAttributeValues: { ':expected': expectedPolls },
    })));
    return output !== undefined;
  }

  /** {@inheritDoc WatchStore.page} */
  async page(after: string | undefined, limit: number): Promise<WatchPage> {
    const output = await this.client.send(new ScanCommand({
      TableName: this.tableName,
      Limit: limit,
      ...(after === undefined ? {} : { ExclusiveStartKey: { [PK]: after } }),
    }));
    const items = (output.Items ?? []).filter((item) => item[PK] !== WatchTable.cursorId).map(toWatchItem);
    const next = output.LastEvaluatedKey?.[PK];
    return { items, next: next === undefined ? undefined : String(next) };
  }

  /** {@inheritDoc WatchStore.record} */
  async record(id: string, update: PollRecord, expectedPolls?: number): Promise<boolean> {
    const set = RECORD_FIELDS.filter((field) => update[field] !== undefined);
    const remove = RECORD_FIELDS.filter((field) => update[field] === undefined);
    const expression = [`SET ${set.map((field) => `#${field} = :${field}`).join(', ')}`, remove.length > 0 ? `REMOVE ${remove.map((field) => `#${field}`).join(', ')}` : ''];
    const output = await unlessConditionFails(() => this.client.send(new UpdateCommand({
      TableName: this.tableName,
      Key: { [PK]: id },
      UpdateExpression: expression.join(' ').trim(),
      ConditionExpression: expectedPolls === undefined ? 'attribute_exists(#pk)' : 'attribute_exists(#pk) AND #polls = :expectedPolls',
      ExpressionAttributeNames: { '#pk': PK, ...Object.fromEntries(RECORD_FIELDS.map((field) => [`#${field}`, field])) },
      ExpressionAttributeValues: { ...Object.fromEntries(set.map((field) => [`:${field}`, update[field]])), ...(expectedPolls === undefined ? {} : { ':expectedPolls': expectedPolls }) },
    })));
    return output !== undefined;
  }

  /** {@inheritDoc WatchStore.claimTick} */
  async claimTick(owner: string, now: number, until: number): Promise<CursorState | undefined> {
    const output = await unlessConditionFails(() => this.client.send(new UpdateCommand({
      TableName: this.tableName,
      Key: { [PK]: WatchTable.cursorId },
      UpdateExpression: 'SET #owner = :owner, #until = :until',
      ConditionExpression: 'attribute_not_exists(#until) OR #until <= :now',
      ExpressionAttributeNames: { '#owner': 'leaseOwner', '#until': 'leaseUntil' },
      ExpressionAttributeValues: { ':owner': owner, ':until': until, ':now': now },
      ReturnValues: 'ALL_NEW',
    })));
    const item = output?.Attributes;
    if (item === undefined) return undefined;
    return { position: typeof item.position === 'string' ? item.position : undefined, passSeen: Number(item.passSeen ?? 0), passes: Number(item.passes ?? 0) };
  }

  /** {@inheritDoc WatchStore.saveCursor} */
  async saveCursor(owner: string, state: CursorState): Promise<boolean> {
    const hasPosition = state.position !== undefined;
    const set = `#seen = :seen, #passes = :passes${hasPosition ? ', #position = :position' : ''}`;
    // Back at the start of the table: the position is removed, not set to a sentinel.
    const remove = `#owner, #until${hasPosition ? '' : ', #position'}`;
    const output = await unlessConditionFails(() => this.client.send(new UpdateCommand({
      TableName: this.tableName,
      Key: { [PK]: WatchTable.cursorId },
      UpdateExpression: `SET ${set} REMOVE ${remove}`,
      ConditionExpression: '#owner = :owner',
      ExpressionAttributeNames: { '#owner': 'leaseOwner', '#until': 'leaseUntil', '#position': 'position', '#seen': 'passSeen', '#passes': 'passes' },
      ExpressionAttributeValues: { ':owner': owner, ':seen': state.passSeen, ':passes': state.passes, ...(hasPosition ? { ':position': state.position } : {}) },
    })));
    return output !== undefined;
  }
}

function toWatchItem(item: Record<string, unknown>): WatchItem {
  const optionalNumber = (value: unknown) => (value === undefined ? undefined : Number(value));
  return {
    id: String(item[PK]),
    data: item.data,
    status: typeof item.status === 'string' ? item.status : undefined,
    addedAt: Number(item.addedAt ?? 0),
    lastPolledAt: optionalNumber(item.lastPolledAt),
    polls: Number(item.polls ?? 0),
    attempts: Number(item.attempts ?? 0),
    nextPollAt: optionalNumber(item.nextPollAt),
    lastError: typeof item.lastError === 'string' ? item.lastError : undefined,
  };
}
