/**
 * The three Sparse Task pieces on their real adapters — DynamoTaskStore on dynalite,
 * EventBridgeTimeoutScheduler on the local EventBridge Scheduler (whose due schedules invoke the
 * monitor) — sharing one manual clock, so the deadline races are played exactly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ListSchedulesCommand } from '@aws-sdk/client-scheduler';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoTaskStore } from '../../functions/lib/aws/task-store';
import { EventBridgeTimeoutScheduler } from '../../functions/lib/aws/timeout-scheduler';
import {
  InMemoryEventSink, MONITOR_EVENT_ID, RecordingMetrics, SparseTaskCompletions, SparseTaskSubmitter, SparseTaskTimeoutMonitor, parseTimeoutPayload,
} from '../../functions/lib/sparse-task';
import { createTaskTable, startDynalite, type DynaliteServer } from '../helpers/dynalite';
import { startLocalScheduler, type LocalSchedulerServer } from '../helpers/sparse-task-aws';

const MONITOR_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:monitor';
const TIMEOUT_MS = 300_000;

describe('Sparse Task on dynalite and the local EventBridge Scheduler, one manual clock', () => {
  let dynalite: DynaliteServer;
  let raw: DynamoDBClient;
  let local: LocalSchedulerServer;
  let monitor: SparseTaskTimeoutMonitor;
  let submitter: SparseTaskSubmitter;
  let completions: SparseTaskCompletions;
  let store: DynamoTaskStore;
  const sink = new InMemoryEventSink();
  /** How far the handlers' clock runs ahead of the scheduler's: a scheduler firing late. */
  let lag = 0;
  const starts: string[] = [];

  beforeAll(async () => {
    dynalite = await startDynalite();
    raw = new DynamoDBClient(dynalite.clientConfig);
    await createTaskTable(raw, 'tasks');
    local = await startLocalScheduler(async (target, input) => {
      if (target === MONITOR_ARN) await monitor.fire(parseTimeoutPayload(input));
    }, ['tasks']);
    const clock = { now: () => local.clock.now() + lag };
    store = new DynamoTaskStore({ tableName: 'tasks', shards: 2, retentionSeconds: 3600, client: DynamoDBDocumentClient.from(raw) });
    const scheduler = new EventBridgeTimeoutScheduler({ groupName: 'tasks', targetArn: MONITOR_ARN, roleArn: 'arn:aws:iam::000000000000:role/s', client: local.client });
    const deps = { store, scheduler, sink, clock, metrics: new RecordingMetrics() };
    monitor = new SparseTaskTimeoutMonitor(deps);
    completions = new SparseTaskCompletions(deps);
    submitter = new SparseTaskSubmitter({ ...deps, defaultTimeoutMs: TIMEOUT_MS, start: async ({ taskId }) => void starts.push(taskId) });
  });
  afterAll(async () => {
    raw.destroy();
    await local.close();
    await dynalite.close();
  });

  const status = async (taskId: string) => (await store.get(taskId))?.status;

  let deadline: number;

  it('submits each task once: a re-submission starts nothing', async () => {
    for (const id of ['before', 'at', 'after', 'silent']) await submitter.submit({ taskId: id });
    expect((await submitter.submit({ taskId: 'before' })).kind).toBe('DUPLICATE');
    expect(starts).toStrictEqual(['before', 'at', 'after', 'silent']);
    deadline = (await store.get('before'))?.deadline as number;
  });

  it('a completion 1 ms before the deadline wins; its redelivery replays', async () => {
    await local.clock.advanceTo(deadline - 1);
    expect((await completions.handle({ taskId: 'before', status: 'SUCCEEDED', eventId: 'b1' })).kind).toBe('FINISHED');
    expect((await completions.handle({ taskId: 'before', status: 'SUCCEEDED', eventId: 'b1' })).kind).toBe('REPLAYED');
    expect(await status('before')).toBe('SUCCEEDED');
  });

  it('a completion exactly at the deadline, with the scheduler late, times the task out and is kept as LATE', async () => {
    lag = 1; // the handlers see the deadline; the scheduler has not fired yet
    expect((await completions.handle({ taskId: 'at', status: 'SUCCEEDED', eventId: 'a1' })).kind).toBe('TIMED_OUT');
    lag = 0;
    expect((await store.get('at'))?.losers).toStrictEqual({ a1: { kind: 'LATE', status: 'SUCCEEDED', at: deadline } });
  });

  it('at the deadline the scheduler fires the monitors; a completion after that is kept as LATE', async () => {
    await local.clock.advanceTo(deadline + 1_000);
    expect([await status('after'), await status('silent')]).toStrictEqual(['TIMED_OUT', 'TIMED_OUT']);
    expect((await store.get('after'))?.finishedBy).toBe(MONITOR_EVENT_ID);
    expect(await completions.handle({ taskId: 'after', status: 'FAILED', eventId: 'x1' })).toMatchObject({ kind: 'LOST', loser: 'LATE' });
  });

  it('a monitor firing for a task already done changes nothing and is kept as STALE_TIMEOUT', async () => {
    expect((await monitor.fire({ taskId: 'before' })).kind).toBe('ALREADY_FINISHED');
    expect(await store.get('before')).toMatchObject({ status: 'SUCCEEDED', losers: { [MONITOR_EVENT_ID]: { kind: 'STALE_TIMEOUT' } } });
  });

  it('ends with no schedule, nothing pending, and one outcome per task downstream (the replay re-emits the same id)', async () => {
    expect((await local.client.send(new ListSchedulesCommand({ GroupName: 'tasks' }))).Schedules).toStrictEqual([]);
    expect(await store.countPending()).toBe(0);
    expect(sink.events.map((e) => `${e.eventId}`).sort()).toStrictEqual(['after:TIMED_OUT', 'at:TIMED_OUT', 'before:SUCCEEDED', 'before:SUCCEEDED', 'silent:TIMED_OUT']);
  });
});
