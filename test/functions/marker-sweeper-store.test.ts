import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FlagTable } from '../../functions/contract';
import { DynamoFlagStore } from '../../functions/lib/aws/flag-store';
import { shardOf } from '../../functions/lib/marker-sweeper/shard';
import { sweepOnce, type FlagBatchFn } from '../../functions/lib/marker-sweeper/sweep-run';
import { createFlagTable, startDynalite, type DynaliteServer } from '../helpers/dynalite';

const T0 = 1_700_000_000_000;
const SHARDS = 3;
const options = { batchSize: 10, leaseMs: 60_000, retryDelayMs: 30_000 };

let dynalite: DynaliteServer;
let client: DynamoDBDocumentClient;
let store: DynamoFlagStore;
let tableCount = 0;

function testClock(start = T0) {
  const clock = { t: start, now: () => clock.t };
  return clock;
}

beforeAll(async () => {
  dynalite = await startDynalite();
  client = DynamoDBDocumentClient.from(new DynamoDBClient(dynalite.clientConfig));
});

afterAll(async () => {
  client.destroy();
  await dynalite.close();
});

beforeEach(async () => {
  const tableName = `flags-${++tableCount}`;
  await createFlagTable(client, tableName);
  store = new DynamoFlagStore({ tableName, shards: SHARDS, ttlSeconds: 3600, client });
});

describe('DynamoFlagStore on dynalite', () => {
  it('creates a flag, collapses a duplicate, and ignores a redelivery', async () => {
    expect(await store.mark('room-1', 'm1', T0, 1)).toBe('created');
    expect(await store.mark('room-1', 'm2', T0 + 5, 2)).toBe('collapsed');
    expect(await store.mark('room-1', 'm2', T0 + 6, 2)).toBe('redelivered');
    const due = await store.dueIn(shardOf('room-1', SHARDS), T0 + 10, 10);
    expect(due).toStrictEqual([{ key: 'room-1', dueAt: T0, firstMarkedAt: T0 }]);
  });

  it('writes the shard, due time and TTL the pending index and TTL rely on', async () => {
    await store.mark('room-1', 'm1', T0, 1);
    const { Item } = await client.send(new GetCommand({ TableName: `flags-${tableCount}`, Key: { [FlagTable.partitionKey]: 'room-1' } }));
    expect(Item).toMatchObject({ shard: shardOf('room-1', SHARDS), dueAt: T0, expiresAt: T0 / 1000 + 3600, marks: 1 });
  });

  it('lists due flags of one shard oldest first and leaves out flags not yet due', async () => {
    const keys = Array.from({ length: 12 }, (_, i) => `k${i}`);
    for (const [i, key] of keys.entries()) await store.mark(key, `m${i}`, T0 + 100 - i, 1);
    const shard = shardOf('k0', SHARDS);
    const expected = keys.filter((key) => shardOf(key, SHARDS) === shard && key !== 'k0').reverse();
    expect((await store.dueIn(shard, T0 + 99, 100)).map((flag) => flag.key)).toStrictEqual(expected);
  });

  it('lets only one of two claims on a flag succeed until the lease ends', async () => {
    await store.mark('a', 'm1', T0, 1);
    const [first, second] = await Promise.all([
      store.claim('a', { owner: 'one', now: T0, until: T0 + 1000 }),
      store.claim('a', { owner: 'two', now: T0, until: T0 + 1000 }),
    ]);
    expect([first, second].filter((flag) => flag !== undefined)).toHaveLength(1);
    expect(await store.claim('a', { owner: 'three', now: T0 + 1000, until: T0 + 2000 })).toMatchObject({ key: 'a', attempts: 2 });
  });

  it('clears a flag only for its lease owner and only at the claimed version', async () => {
    await store.mark('a', 'm1', T0, 1);
    await store.claim('a', { owner: 'me', now: T0, until: T0 + 1000 });
    await store.mark('a', 'm2', T0 + 1, 1);
    expect(await store.clear('a', 'other', 2)).toBe(false);
    expect(await store.clear('a', 'me', 1)).toBe(false);
    expect(await store.release('a', 'me', T0 + 2)).toBe(true);
    expect(await store.dueIn(shardOf('a', SHARDS), T0 + 2, 10)).toMatchObject([{ key: 'a', dueAt: T0 + 2 }]);
  });

  it('keeps the attempts count on a failed release and restarts it on a release after a successful sweep', async () => {
    await store.mark('a', 'm1', T0, 1);
    await store.claim('a', { owner: 'me', now: T0, until: T0 + 1000 });
    expect(await store.release('a', 'me', T0)).toBe(true);
    expect(await store.claim('a', { owner: 'me', now: T0, until: T0 + 1000 })).toMatchObject({ attempts: 2 });
    expect(await store.release('a', 'me', T0, { resetAttempts: true })).toBe(true);
    expect(await store.claim('a', { owner: 'me', now: T0, until: T0 + 1000 })).toMatchObject({ attempts: 1 });
  });

  it('counts every flag, pending or leased, across shards', async () => {
    for (let i = 0; i < 9; i++) await store.mark(`k${i}`, `m${i}`, T0, 1);
    await store.claim('k0', { owner: 'me', now: T0, until: T0 + 1000 });
    expect(await store.countOutstanding()).toBe(9);
  });

  it('sweeps a re-marked flag again and clears the rest', async () => {
    const clock = testClock();
    for (const key of ['a', 'b', 'c']) await store.mark(key, `m-${key}`, T0, 1);
    const delivered: string[] = [];
    const sweep: FlagBatchFn = async (flags) => {
      delivered.push(...flags.map((flag) => flag.key));
      if (delivered.length <= 3) await store.mark('b', 'again', clock.now(), 1);
    };
    const first = await sweepOnce(store, sweep, clock, options);
    const second = await sweepOnce(store, sweep, clock, options);
    expect({ cleared: first.cleared, remarked: first.remarked }).toStrictEqual({ cleared: 2, remarked: 1 });
    expect(second.cleared).toBe(1);
    expect(delivered.sort()).toStrictEqual(['a', 'b', 'b', 'c']);
    expect(await store.countOutstanding()).toBe(0);
  });

  it('never delivers a flag to two concurrent sweepers', async () => {
    for (let i = 0; i < 60; i++) await store.mark(`k${i}`, `m${i}`, T0, 1);
    const delivered: string[] = [];
    const sweep: FlagBatchFn = async (flags) => void delivered.push(...flags.map((flag) => flag.key));
    const clock = testClock(T0 + 1);
    const sweeper = async () => {
      while ((await sweepOnce(store, sweep, clock, { ...options, batchSize: 7 })).due > 0);
    };
    await Promise.all([sweeper(), sweeper(), sweeper()]);
    expect(delivered).toHaveLength(60);
    expect(new Set(delivered).size).toBe(60);
  });
});
