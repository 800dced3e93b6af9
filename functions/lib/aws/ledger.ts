/**
 * The SourceReconciler's ledger in DynamoDB: one item per enqueued item version. Lookups are
 * BatchGetItem (100 keys a call, UnprocessedKeys retried); a claim is one conditional
 * PutItem that only succeeds on an unknown key or an expired claim.
 */
import { BatchGetCommand, type DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { LedgerTable } from '../../contract';
import { chunkByCount } from '../chunk';
import type { Ledger } from '../source-reconciler/types';
import { backoffDelay, realSleep } from '../retry';
import { unlessConditionFails } from './conditional-write';
import { sharedDocumentClient } from './dynamodb-write-port';

const K = LedgerTable;

/** Options of {@link dynamoLedger}. */
export interface DynamoLedgerOptions {
  readonly tableName: string;
  /** Seconds a record lives (TTL). */
  readonly ttlSeconds: number;
  /** @default - the shared document client */
  readonly client?: DynamoDBDocumentClient;
}

/** A {@link Ledger} on DynamoDB. */
export function dynamoLedger(options: DynamoLedgerOptions): Ledger {
  const client = options.client ?? sharedDocumentClient();
  const TableName = options.tableName;
  const expiresAt = (now: number) => Math.floor(now / 1000) + options.ttlSeconds;
  return {
    async settled(keys, now) {
      const settled = new Set<string>();
      for (const chunk of chunkByCount([...keys], 100)) {
        let pending: Record<string, unknown>[] | undefined = chunk.map((k) => ({ [K.partitionKey]: k }));
        for (let attempt = 0; pending && pending.length > 0; attempt++) {
          if (attempt > 0) await realSleep(backoffDelay(attempt, { baseDelayMs: 50, maxDelayMs: 2_000, random: Math.random }));
          const out: { Responses?: Record<string, Record<string, unknown>[]>; UnprocessedKeys?: Record<string, { Keys?: Record<string, unknown>[] }> } = await client.send(new BatchGetCommand({ RequestItems: { [TableName]: { Keys: pending, ConsistentRead: true } } }));
          for (const item of out.Responses?.[TableName] ?? []) {
            if (item[K.stateAttribute] === 'enqueued' || Number(item[K.leaseAttribute]) > now) settled.add(String(item[K.partitionKey]));
          }
          pending = out.UnprocessedKeys?.[TableName]?.Keys;
        }
      }
      return settled;
    },
    async claim(key, now, leaseUntil) {
      const won = await unlessConditionFails(() => client.send(new PutCommand({
        TableName,
        Item: { [K.partitionKey]: key, [K.stateAttribute]: 'claimed', [K.leaseAttribute]: leaseUntil, [K.ttlAttribute]: expiresAt(now) },
        ConditionExpression: 'attribute_not_exists(#k) OR (#s = :claimed AND #l <= :now)',
        ExpressionAttributeNames: { '#k': K.partitionKey, '#s': K.stateAttribute, '#l': K.leaseAttribute },
        ExpressionAttributeValues: { ':claimed': 'claimed', ':now': now },
      })));
      return won !== undefined;
    },
    async confirm(keys, now) {
      await Promise.all(keys.map((k) => client.send(new UpdateCommand({
        TableName,
        Key: { [K.partitionKey]: k },
        UpdateExpression: 'SET #s = :enqueued, #t = :t',
        ExpressionAttributeNames: { '#s': K.stateAttribute, '#t': K.ttlAttribute },
        ExpressionAttributeValues: { ':enqueued': 'enqueued', ':t': expiresAt(now) },
      }))));
    },
  };
}
