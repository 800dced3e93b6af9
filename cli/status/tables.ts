/**
 * The table part of `pp status`: a table named by an output is recognised by its key schema
 * (the contract's key shapes) and summarised — outstanding flags and sweep lag of a
 * MarkerSweeper flag set, active items of a RollingPoller watch table, pending tasks of a
 * SparseTask table. Counts scan the sparse pending indexes (or the watch table), reading only
 * the keys and the one attribute needed.
 */
import { DescribeTableCommand, ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { FlagTable, TaskTable, WatchTable } from '../../functions/contract';

/** A table recognised as one of our patterns' state. */
export interface TableStatus {
  readonly name: string;
  readonly output: string;
  readonly kind: 'flag-set' | 'watch' | 'task';
  /** Outstanding flags / active polls / pending tasks. */
  readonly count: number;
  /** Flag set: seconds since the oldest due flag became due (the sweep lag); task table: tasks past their deadline. */
  readonly lagSeconds?: number;
  readonly overdue?: number;
}

/** Which pattern's table `partitionKey` (and no sort key) identifies. */
export function tableKind(partitionKey: string, hasSortKey: boolean): TableStatus['kind'] | undefined {
  if (hasSortKey) return undefined;
  if (partitionKey === FlagTable.partitionKey) return 'flag-set';
  if (partitionKey === TaskTable.partitionKey) return 'task';
  if (partitionKey === WatchTable.partitionKey) return 'watch';
  return undefined;
}

/** Statuses of the outputs' values that are tables of ours; other values are skipped. */
export async function tableStatuses(dynamodb: DynamoDBClient, candidates: readonly { readonly output: string; readonly name: string }[], now: number): Promise<TableStatus[]> {
  const found = await Promise.all(candidates.map(async (c) => {
    const kind = await kindOf(dynamodb, c.name);
    return kind === undefined ? undefined : summarize(dynamodb, c, kind, now);
  }));
  return found.filter((s): s is TableStatus => s !== undefined);
}

async function kindOf(dynamodb: DynamoDBClient, name: string): Promise<TableStatus['kind'] | undefined> {
  try {
    const keys = (await dynamodb.send(new DescribeTableCommand({ TableName: name }))).Table?.KeySchema ?? [];
    const hash = keys.find((k) => k.KeyType === 'HASH')?.AttributeName ?? '';
    return tableKind(hash, keys.some((k) => k.KeyType === 'RANGE'));
  } catch (error) {
    if (error instanceof Error && (error.name === 'ResourceNotFoundException' || error.name === 'ValidationException')) return undefined;
    throw error;
  }
}

async function summarize(dynamodb: DynamoDBClient, table: { output: string; name: string }, kind: TableStatus['kind'], now: number): Promise<TableStatus> {
  const base = { name: table.name, output: table.output, kind };
  if (kind === 'watch') {
    const items = await scanAll(dynamodb, table.name, undefined, WatchTable.partitionKey);
    return { ...base, count: items.filter((i) => i !== WatchTable.cursorId).length };
  }
  if (kind === 'flag-set') {
    const due = (await scanAll(dynamodb, table.name, FlagTable.pendingIndex, FlagTable.dueAtAttribute)).map(Number);
    const oldestDue = Math.min(...due.filter((d) => d <= now));
    return { ...base, count: due.length, lagSeconds: Number.isFinite(oldestDue) ? (now - oldestDue) / 1000 : 0 };
  }
  const deadlines = (await scanAll(dynamodb, table.name, TaskTable.pendingIndex, TaskTable.deadlineAttribute)).map(Number);
  return { ...base, count: deadlines.length, overdue: deadlines.filter((d) => d < now).length };
}

/** One attribute of every item of a table or index, as text, following pagination. */
async function scanAll(dynamodb: DynamoDBClient, table: string, index: string | undefined, attribute: string): Promise<string[]> {
  const values: string[] = [];
  let start: Record<string, never> | undefined;
  do {
    const page = await dynamodb.send(new ScanCommand({
      TableName: table, IndexName: index, ExclusiveStartKey: start,
      ProjectionExpression: '#a', ExpressionAttributeNames: { '#a': attribute },
    }));
    for (const item of page.Items ?? []) {
      const v = item[attribute];
      if (v?.S !== undefined) values.push(v.S);
      else if (v?.N !== undefined) values.push(v.N);
    }
    start = page.LastEvaluatedKey as Record<string, never> | undefined;
  } while (start);
  return values;
}
