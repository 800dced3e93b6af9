import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetScheduleCommand } from '@aws-sdk/client-scheduler';
import { DynamoTaskStore } from '../../functions/lib/aws/task-store';
import { atExpression, EventBridgeTimeoutScheduler, parseAtExpression } from '../../functions/lib/aws/timeout-scheduler';
import { scheduleNameFor, type TaskRecord } from '../../functions/lib/sparse-task';
import { createTaskTable, startDynalite, type DynaliteServer } from '../helpers/dynalite';
import { startLocalScheduler, type LocalSchedulerServer } from '../helpers/sparse-task-aws';

const T0 = Date.UTC(2025, 0, 1);
let tableCounter = 0;

function pending(taskId: string, overrides: Partial<TaskRecord> = {}): TaskRecord {
  return { taskId, status: 'PENDING', correlationId: `c-${taskId}`, submittedAt: T0, deadline: T0 + 300_000, scheduleName: scheduleNameFor(taskId), losers: {}, loserCount: 0, ...overrides };
}

describe('DynamoTaskStore on dynalite', () => {
  let dynalite: DynaliteServer;
  let raw: DynamoDBClient;
  let client: DynamoDBDocumentClient;

  beforeAll(async () => {
    dynalite = await startDynalite();
    raw = new DynamoDBClient(dynalite.clientConfig);
    client = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  });
  afterAll(async () => {
    raw.destroy();
    await dynalite.close();
  });

  async function freshStore(shards = 4): Promise<{ store: DynamoTaskStore; tableName: string }> {
    const tableName = `tasks-${++tableCounter}`;
    await createTaskTable(raw, tableName);
    return { store: new DynamoTaskStore({ tableName, shards, retentionSeconds: 86_400, client }), tableName };
  }

  it('creates a record once; a second create returns the first record unchanged', async () => {
    const { store } = await freshStore();
    expect(await store.create(pending('t1'))).toStrictEqual({ created: true });
    expect(await store.create(pending('t1', { submittedAt: T0 + 5 }))).toStrictEqual({ created: false, existing: pending('t1') });
  });

  it('lets exactly one of ten concurrent terminal moves win, and hands the losers the winner', async () => {
    const { store } = await freshStore();
    await store.create(pending('t1'));
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) =>
      store.finish('t1', { status: i % 2 ? 'FAILED' : 'SUCCEEDED', reason: 'COMPLETED', at: T0 + 1, by: `e${i}` })));
    const winners = results.filter((r) => r.won);
    expect(winners).toHaveLength(1);
    const winner = winners[0]?.record as TaskRecord;
    expect(results.filter((r) => !r.won).map((r) => r.record)).toStrictEqual(Array.from({ length: 9 }, () => winner));
    expect(await store.get('t1')).toStrictEqual(winner);
  });

  it('on a win, leaves the pending index and sets the TTL to finish time + retention', async () => {
    const { store, tableName } = await freshStore();
    await store.create(pending('t1'));
    await store.finish('t1', { status: 'SUCCEEDED', reason: 'COMPLETED', at: T0 + 1500, by: 'e1', result: { rows: [1, 2] } });
    const item = (await raw.send(new GetItemCommand({ TableName: tableName, Key: { taskId: { S: 't1' } } }))).Item;
    expect(item?.pendingShard).toBeUndefined();
    expect(item?.expiresAt).toStrictEqual({ N: String(Math.floor((T0 + 1500) / 1000) + 86_400) });
    expect(await store.get('t1')).toStrictEqual({ ...pending('t1'), status: 'SUCCEEDED', reason: 'COMPLETED', finishedAt: T0 + 1500, finishedBy: 'e1', result: { rows: [1, 2] } });
  });

  it('refuses a move at or after the deadline, or with a foreign correlation id', async () => {
    const { store } = await freshStore();
    await store.create(pending('t1'));
    const move = { status: 'SUCCEEDED', reason: 'COMPLETED', at: T0, by: 'e1' } as const;
    expect(await store.finish('t1', move, { before: T0 + 300_000 })).toStrictEqual({ won: false, record: pending('t1') });
    expect(await store.finish('t1', move, { before: T0, correlationId: 'other' })).toStrictEqual({ won: false, record: pending('t1') });
    expect((await store.finish('t1', move, { before: T0 + 299_999, correlationId: 'c-t1' })).won).toBe(true);
  });

  it('answers a move on an unknown task with no record', async () => {
    const { store } = await freshStore();
    expect(await store.finish('ghost', { status: 'TIMED_OUT', reason: 'DEADLINE', at: T0, by: 'm' })).toStrictEqual({ won: false, record: undefined });
  });

  it('records a loser once per event id, keeps 20 and counts the rest', async () => {
    const { store } = await freshStore();
    await store.create(pending('t1'));
    const loser = { kind: 'LATE', status: 'SUCCEEDED', at: T0 } as const;
    expect(await store.recordLoser('t1', 'e0', loser)).toBe(true);
    expect(await store.recordLoser('t1', 'e0', loser)).toBe(false);
    for (let i = 1; i < 25; i++) await store.recordLoser('t1', `e${i}`, loser);
    const record = await store.get('t1');
    expect(Object.keys(record?.losers ?? {})).toHaveLength(20);
    expect(record?.losers.e0).toStrictEqual(loser);
    expect(record?.loserCount).toBe(25);
  });

  it('counts PENDING tasks across every shard of the pending index', async () => {
    const { store } = await freshStore(3);
    for (let i = 0; i < 12; i++) await store.create(pending(`t${i}`));
    await store.finish('t3', { status: 'TIMED_OUT', reason: 'DEADLINE', at: T0, by: 'm' });
    await store.finish('t7', { status: 'FAILED', reason: 'COMPLETED', at: T0, by: 'e' });
    expect(await store.countPending()).toBe(10);
  });

  it('keeps the external id of an existing task only', async () => {
    const { store } = await freshStore();
    await store.create(pending('t1'));
    await store.setExternalId('t1', 'job-9');
    await store.setExternalId('ghost', 'job-0');
    expect((await store.get('t1'))?.externalId).toBe('job-9');
    expect(await store.get('ghost')).toBeUndefined();
  });
});

describe('EventBridgeTimeoutScheduler on the local EventBridge Scheduler', () => {
  let local: LocalSchedulerServer;
  const deliveries: Array<{ target: string; input: string; role: string | undefined }> = [];
  const options = { groupName: 'tasks', targetArn: 'arn:aws:lambda:us-east-1:000000000000:function:monitor', roleArn: 'arn:aws:iam::000000000000:role/scheduler' };

  beforeAll(async () => {
    local = await startLocalScheduler(async (target, input, role) => void deliveries.push({ target, input, role }), ['tasks']);
  });
  afterAll(async () => {
    await local.close();
  });

  it('renders at() in UTC, rounded up to the second, and reads it back', () => {
    expect(atExpression(Date.UTC(2025, 0, 1, 0, 5, 0, 1))).toBe('at(2025-01-01T00:05:01)');
    expect(parseAtExpression('at(2025-01-01T00:05:01)')).toBe(Date.UTC(2025, 0, 1, 0, 5, 1));
    expect(parseAtExpression('rate(5 minutes)')).toBeUndefined();
  });

  it('arms a one-time schedule that deletes itself after completion, targeting the monitor with the task id', async () => {
    const scheduler = new EventBridgeTimeoutScheduler({ ...options, deadLetterArn: 'arn:aws:sqs:us-east-1:000000000000:dlq', client: local.client });
    const at = local.clock.now() + 120_000;
    expect(await scheduler.arm({ name: 'arm-1', at, payload: { taskId: 't1' } })).toStrictEqual({ created: true, at });
    const schedule = await local.client.send(new GetScheduleCommand({ Name: 'arm-1', GroupName: 'tasks' }));
    expect(schedule).toMatchObject({
      ScheduleExpression: atExpression(at), ScheduleExpressionTimezone: 'UTC', ActionAfterCompletion: 'DELETE', FlexibleTimeWindow: { Mode: 'OFF' },
      Target: { Arn: options.targetArn, RoleArn: options.roleArn, Input: '{"taskId":"t1"}', DeadLetterConfig: { Arn: 'arn:aws:sqs:us-east-1:000000000000:dlq' } },
    });
  });

  it('re-arming a name adopts the existing schedule time instead of replacing it', async () => {
    const scheduler = new EventBridgeTimeoutScheduler({ ...options, client: local.client });
    const first = local.clock.now() + 60_000;
    await scheduler.arm({ name: 'arm-2', at: first, payload: { taskId: 't2' } });
    expect(await scheduler.arm({ name: 'arm-2', at: first + 30_000, payload: { taskId: 't2' } })).toStrictEqual({ created: false, at: first });
  });

  it('cancels idempotently: a schedule already gone is fine', async () => {
    const scheduler = new EventBridgeTimeoutScheduler({ ...options, client: local.client });
    await scheduler.arm({ name: 'arm-3', at: local.clock.now() + 60_000, payload: { taskId: 't3' } });
    await scheduler.cancel('arm-3');
    await scheduler.cancel('arm-3');
    expect(local.scheduler.listSchedules({ GroupName: 'tasks', NamePrefix: 'arm-3' }).Schedules).toStrictEqual([]);
  });

  it('fires once at its time, delivering the payload to the monitor, then is gone', async () => {
    const scheduler = new EventBridgeTimeoutScheduler({ ...options, client: local.client });
    const at = local.clock.now() + 90_000;
    await scheduler.arm({ name: 'arm-4', at, payload: { taskId: 't4' } });
    deliveries.length = 0;
    await local.clock.advanceTo(at - 1);
    expect(deliveries.filter((d) => d.input.includes('t4'))).toStrictEqual([]);
    await local.clock.advanceTo(at);
    expect(deliveries.filter((d) => d.input.includes('t4'))).toStrictEqual([{ target: options.targetArn, input: '{"taskId":"t4"}', role: options.roleArn }]);
    expect(local.scheduler.listSchedules({ GroupName: 'tasks', NamePrefix: 'arm-4' }).Schedules).toStrictEqual([]);
  });
});
