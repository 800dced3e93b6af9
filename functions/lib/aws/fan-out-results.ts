/**
 * The FanOutFanIn results table on DynamoDB (`runId` + `key`: `item#<index>`, `attempt#…`,
 * `progress`) and the report sink on S3. Outcomes are conditional puts, so a duplicate
 * worker call never records an item twice nor counts it twice.
 */
import { randomUUID } from 'node:crypto';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { BatchGetCommand, type DynamoDBDocumentClient, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { chunkByCount } from '../chunk';
import { mapWithConcurrency } from '../concurrency';
import type { AttemptRecord, ItemRecord, Progress, ReportSink, ResultStore } from '../fan-out-fan-in/types';
import { withRetry } from '../retry';
import { sharedDocumentClient } from './dynamodb-write-port';

const itemKey = (index: number) => `item#${String(index).padStart(10, '0')}`;
const PROGRESS_KEY = 'progress';

/** The results table on DynamoDB. */
export class DynamoResultStore implements ResultStore {
  /** @param tableName the results table @param client a document client */
  constructor(private readonly tableName: string, private readonly client: DynamoDBDocumentClient = sharedDocumentClient()) {}

  /** @inheritdoc */
  public async settled(runId: string, indexes: readonly number[]): Promise<ReadonlyMap<number, ItemRecord['status']>> {
    const found = new Map<number, ItemRecord['status']>();
    for (const chunk of chunkByCount([...indexes], 100)) {
      let keys: Record<string, unknown>[] = chunk.map((i) => ({ runId, key: itemKey(i) }));
      // Unprocessed keys (throttling) are asked again with backoff, never dropped.
      await withRetry(async () => {
        const out = await this.client.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys, ProjectionExpression: '#i, #s', ExpressionAttributeNames: { '#i': 'index', '#s': 'status' } } } }));
        for (const row of out.Responses?.[this.tableName] ?? []) found.set(Number(row.index), row.status as ItemRecord['status']);
        keys = (out.UnprocessedKeys?.[this.tableName]?.Keys ?? []) as Record<string, unknown>[];
        if (keys.length > 0) throw Object.assign(new Error('unprocessed keys'), { $retryable: {} });
      }, { maxAttempts: 8 });
    }
    return found;
  }

  /** @inheritdoc */
  public async record(runId: string, records: readonly ItemRecord[]): Promise<readonly ItemRecord[]> {
    const written = await mapWithConcurrency(records, 8, async (r) => {
      try {
        await this.client.send(new PutCommand({ TableName: this.tableName, Item: { runId, key: itemKey(r.index), ...r }, ConditionExpression: 'attribute_not_exists(#k)', ExpressionAttributeNames: { '#k': 'key' } }));
        return r;
      } catch (err) {
        if ((err as Error).name === 'ConditionalCheckFailedException') return undefined;
        throw err;
      }
    });
    return written.filter((r): r is ItemRecord => r !== undefined);
  }

  /** @inheritdoc */
  public async recordAttempts(runId: string, attempts: readonly AttemptRecord[]): Promise<void> {
    await mapWithConcurrency(attempts, 8, (a) => this.client.send(new PutCommand({ TableName: this.tableName, Item: { runId, key: `attempt#${itemKey(a.index)}#${randomUUID()}`, ...a } })));
  }

  /** @inheritdoc */
  public async addProgress(runId: string, delta: Partial<Progress>): Promise<void> {
    const fields = Object.entries(delta).filter(([, n]) => n);
    if (fields.length === 0) return;
    await this.client.send(new UpdateCommand({
      TableName: this.tableName,
      Key: { runId, key: PROGRESS_KEY },
      UpdateExpression: `ADD ${fields.map(([f]) => `#${f} :${f}`).join(', ')}`,
      ExpressionAttributeNames: Object.fromEntries(fields.map(([f]) => [`#${f}`, f])),
      ExpressionAttributeValues: Object.fromEntries(fields.map(([f, n]) => [`:${f}`, n])),
    }));
  }

  /** @inheritdoc */
  public async progress(runId: string): Promise<Progress> {
    const { items } = await this.query(runId, PROGRESS_KEY);
    const row = (items[0] ?? {}) as Partial<Progress>;
    return { succeeded: row.succeeded ?? 0, failed: row.failed ?? 0, invalid: row.invalid ?? 0, failedAttempts: row.failedAttempts ?? 0 };
  }

  /** @inheritdoc */
  public async list(runId: string): Promise<{ items: readonly ItemRecord[]; attempts: readonly AttemptRecord[] }> {
    const { items: rows } = await this.query(runId);
    const items: ItemRecord[] = [];
    const attempts: AttemptRecord[] = [];
    for (const { runId: _r, key, ...rest } of rows) {
      if (String(key).startsWith('item#')) items.push(rest as unknown as ItemRecord);
      else if (String(key).startsWith('attempt#')) attempts.push(rest as unknown as AttemptRecord);
    }
    return { items, attempts };
  }

  private async query(runId: string, exactKey?: string): Promise<{ items: Record<string, unknown>[] }> {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.client.send(new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: exactKey ? '#r = :r AND #k = :k' : '#r = :r',
        ExpressionAttributeNames: exactKey ? { '#r': 'runId', '#k': 'key' } : { '#r': 'runId' },
        ExpressionAttributeValues: exactKey ? { ':r': runId, ':k': exactKey } : { ':r': runId },
        ExclusiveStartKey: start,
      }));
      items.push(...((out.Items ?? []) as Record<string, unknown>[]));
      start = out.LastEvaluatedKey as Record<string, unknown> | undefined;
    } while (start);
    return { items };
  }
}

let sharedS3: S3Client | undefined;

/** The report sink on S3: JSON objects, SSE-S3 encrypted. */
export function s3ReportSink(bucket: string, client: S3Client = (sharedS3 ??= new S3Client({ forcePathStyle: true }))): ReportSink {
  return {
    async put(key, body) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: JSON.stringify(body), ContentType: 'application/json', ServerSideEncryption: 'AES256' }));
      return `s3://${bucket}/${key}`;
    },
  };
}
