import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WatchTable } from '../../functions/contract';
import { DynamoWatchStore } from '../../functions/lib/aws/watch-store';
import { pollTick, type TickOptions } from '../../functions/lib/rolling-poller/poll-tick';
import type { CompletionEvent, CheckWindowFn } from '../../functions/lib/rolling-poller/types';
import { startDynalite, type DynaliteServer } from '../helpers/dynalite';

const T0 = 1_700_000_000_000;
const options: TickOptions = { windowSize: 25, maxCallsPerTick: 100, leaseMs: 60_000, maxAttempts: 3, backoffBaseMs: 1_000, backoffMaxMs: 10_000 };

let dynalite: DynaliteServer;
let client: DynamoDBDocumentClient;
let store: DynamoWatchStore;
let tableCount = 0;

beforeAll(async () => {
  dynalite = await startDynalite();
  client = DynamoDBDocumentClient.from(new DynamoDBClient(dynalite.clientConfig), { marshallOptions: { removeUndefinedValues: true } });
});

afterAll(async () => {
  client.destroy();
  await dynalite.close();
});

beforeEach(async () => {
  const tableName = `watch-${++tableCount}`;
  await client.send(new CreateTableCommand({
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: WatchTable.partitionKey, AttributeType: 'S' }],
    KeySchema: [{ AttributeName: WatchTable.partitionKey, KeyType: 'HASH' }],
  }));
  store = new DynamoWatchStore({ tableName, client });
});

async function addItems(count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, i) => `job-${i}`);
  for (const id of ids) await store.add(id, { region: 'eu' }, T0);
  return ids;
}

describe('DynamoWatchStore on dynalite', () => {
  it('adds an item once, keeping its progress when watched again', async () => {
    expect(await store.add('job-1', { n: 1 }, T0)).toBe(true);
    await store.record('job-1', { status: 'RUNNING', lastPolledAt: T0 + 1, polls: 1, attempts: 0 });
    expect(await store.add('job-1', { n: 2 }, T0 + 2)).toBe(false);
    expect((await store.page(undefined, 10)).items).toStrictEqual([
      { id: 'job-1', data: { n: 1 }, status: 'RUNNING', addedAt: T0, lastPolledAt: T0 + 1, polls: 1, attempts: 0, nextPollAt: undefined, lastError: undefined },
    ]);
  });

  it('pages through every item once, even after the cursor item was removed', async () => {
    const ids = await addItems(30);
    const first = await store.page(undefined, 10);
    await store.remove(first.next as string);
    const seen = first.items.map((item) => item.id);
    let next = first.next;
    while (next !== undefined) {
      const page = await store.page(next, 10);
      seen.push(...page.items.map((item) => item.id));
      next = page.next;
    }
    expect(seen.sort()).toStrictEqual(ids.sort());
  });

  it('never records a poll on an item removed meanwhile', async () => {
    await store.add('job-1', undefined, T0);
    await store.remove('job-1');
    expect(await store.record('job-1', { lastPolledAt: T0, polls: 1, attempts: 0 })).toBe(false);
    expect((await store.page(undefined, 10)).items).toStrictEqual([]);
  });

  it('fences a record and a remove on the polls the writer read', async () => {
    await store.add('job-1', undefined, T0);
    expect(await store.record('job-1', { lastPolledAt: T0, polls: 1, attempts: 0 }, 0)).toBe(true);
    expect(await store.record('job-1', { lastPolledAt: T0, polls: 1, attempts: 0 }, 0)).toBe(false);
    expect(await store.remove('job-1', 0)).toBe(false);
    expect(await store.remove('job-1', 1)).toBe(true);
  });

  it('removes the back-off fields once a check succeeds again', async () => {
    await store.add('job-1', undefined, T0);
    await store.record('job-1', { polls: 1, attempts: 1, nextPollAt: T0 + 5, lastError: 'throttled' });
    await store.record('job-1', { status: 'OK', lastPolledAt: T0 + 6, polls: 2, attempts: 0 });
    expect((await store.page(undefined, 10)).items[0]).toMatchObject({ attempts: 0, nextPollAt: undefined, lastError: undefined, status: 'OK' });
  });

  it('grants the tick lease to one poller, keeps the cursor out of the pages, and saves it', async () => {
    await store.add('job-1', undefined, T0);
    expect(await store.claimTick('one', T0, T0 + 1000)).toStrictEqual({ position: undefined, passSeen: 0, passes: 0 });
    expect(await store.claimTick('two', T0 + 999, T0 + 2000)).toBeUndefined();
    expect(await store.saveCursor('two', { position: 'job-1', passSeen: 1, passes: 0 })).toBe(false);
    expect(await store.saveCursor('one', { position: 'job-1', passSeen: 1, passes: 0 })).toBe(true);
    expect(await store.claimTick('two', T0 + 999, T0 + 2000)).toStrictEqual({ position: 'job-1', passSeen: 1, passes: 0 });
    expect((await store.page(undefined, 10)).items.map((item) => item.id)).toStrictEqual(['job-1']);
  });

  it('polls 200 items in windows of 25 with 8 status calls per pass, never polling a completed item', async () => {
    await addItems(200);
    const completed = new Set<string>();
    const calls: string[][] = [];
    const status: CheckWindowFn = async (items) => {
      calls.push(items.map((item) => item.id));
      return items.map((item) => (Number(item.id.slice(4)) % 4 === 0 ? { id: item.id, state: 'done' } : { id: item.id, state: 'pending' }));
    };
    const events: CompletionEvent[] = [];
    const sink = { publish: async (batch: readonly CompletionEvent[]) => void events.push(...batch) };
    const clock = { now: () => T0 };
    await pollTick(store, status, sink, clock, options);
    expect(calls.map((ids) => ids.length)).toStrictEqual(Array(8).fill(25));
    for (const event of events) completed.add(event.id);
    const before = calls.length;
    const second = await pollTick(store, status, sink, clock, options);
    expect(calls.slice(before).flat().filter((id) => completed.has(id))).toStrictEqual([]);
    expect({ calls: second.calls, polled: second.polled, completed: completed.size }).toStrictEqual({ calls: 6, polled: 150, completed: 50 });
  });
});
