import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoReduceStore } from '../../functions/lib/aws/reduce-store';
import { ReduceShardFullError } from '../../functions/lib/errors';
import { histogram, sum } from '../../functions/lib/reduce/merges';
import { reduceBatch } from '../../functions/lib/reduce/reducer';
import { createReduceTable, type DynaliteServer, startDynalite } from '../helpers/dynalite';

describe('DynamoDB reduce store (dynalite)', () => {
  let dynalite: DynaliteServer;
  let client: DynamoDBDocumentClient;
  const store = () => dynamoReduceStore({ tableName: 'agg', ttlSeconds: 3600, client });

  beforeAll(async () => {
    dynalite = await startDynalite();
    client = DynamoDBDocumentClient.from(new DynamoDBClient(dynalite.clientConfig));
    await createReduceTable(client, 'agg');
  });
  afterAll(() => dynalite.close());

  it('merges concurrent batches with duplicates into one final sum, written once', async () => {
    const s = store();
    const partials = Array.from({ length: 60 }, (_, i) => ({ reduceId: 'sum-1', partialId: `p${i}`, value: i, ...(i === 7 ? { expected: 60 } : {}) }));
    const copies = [...partials, ...partials.filter((_, i) => i % 3 === 0)];
    const batches = Array.from({ length: 8 }, (_, b) => copies.filter((_, i) => i % 8 === b));
    const reports = await Promise.all(batches.map((batch) => reduceBatch(s, batch, { merge: sum, shards: 4, now: () => 1234, maxConflicts: 200 })));
    expect(reports.reduce((n, r) => n + r.merged, 0)).toBe(60);
    expect(reports.flatMap((r) => r.finalized)).toStrictEqual([{ reduceId: 'sum-1', value: (59 * 60) / 2, count: 60, finalAt: 1234 }]);
    expect(await s.readFinal('sum-1')).toStrictEqual({ reduceId: 'sum-1', value: (59 * 60) / 2, count: 60, finalAt: 1234 });
    expect(await s.writeShard('sum-1', 0, { value: 0, applied: [], version: 99 }, 41)).toBe(false);
  });

  it('keeps a final aggregate larger than an item and than 256 KiB (a histogram over sharded partials)', async () => {
    const s = store();
    const partials = Array.from({ length: 16 }, (_, p) => ({
      reduceId: 'hist-1', partialId: `town-${p}`, expected: 16,
      value: Object.fromEntries(Array.from({ length: 2_000 }, (_, b) => [`bucket-${p}-${b}-${'x'.repeat(20)}`, b])),
    }));
    const report = await reduceBatch(s, partials, { merge: histogram, shards: 16, now: () => 1, maxConflicts: 50 });
    const final = await s.readFinal('hist-1');
    expect(Buffer.byteLength(JSON.stringify(final?.value))).toBeGreaterThan(400_000);
    expect(Object.keys(final?.value as object)).toHaveLength(32_000);
    expect(report.finalized).toHaveLength(1);
  });

  it('fails with a clear error when one shard would outgrow an item', async () => {
    const s = store();
    const big = { reduceId: 'big', partialId: 'p', value: 'y'.repeat(390_000) };
    await expect(reduceBatch(s, [big], { merge: (a: string, b: string) => a + b, shards: 1, now: () => 1 })).rejects.toThrow(ReduceShardFullError);
  });
});
