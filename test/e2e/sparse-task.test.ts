/**
 * Sparse Task end to end on the embedded local runtime: the synthesized stack, bundled handlers
 * in worker threads, SQS on fauxqs, DynamoDB on dynalite, EventBridge Scheduler served locally
 * with the one-time timeout schedules on a manual clock the test advances (the handlers' `Date`
 * follows it too).
 *
 * The local scheduler fires exactly at the deadline, so here the deadline is always reached by
 * the monitor's schedule; a completion handled at or after the deadline before a late schedule
 * fires is covered by the runtime and adapter race tests, where the handlers' clock can run ahead.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ListSchedulesCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessageAttribute } from '../../functions/contract';
import { scheduleNameFor, type TaskFinishedEvent, type TaskRecord } from '../../functions/lib/sparse-task';
import type { LocalRuntime } from '../../local-runtime/runtime/local-runtime';
import type { ManualClock } from '../../local-runtime/scheduling/clock';
import { queueBodies, sendJson, startE2ERuntime, type E2ERuntime } from '../helpers/e2e-runtime';
import { E2E_TASK_TIMEOUT, SparseE2EOutput as O, sparseTaskStack } from './sparse-task-fixtures/stack';

const MINUTE = 60_000;
let e2e: E2ERuntime;
let runtime: LocalRuntime;
let clock: ManualClock;
let documents: DynamoDBDocumentClient;
let scheduler: SchedulerClient;

beforeAll(async () => {
  e2e = await startE2ERuntime({ define: sparseTaskStack, clock: { start: Date.now() }, runtime: { maxWorkersPerFunction: 2 } });
  ({ runtime, clock } = e2e);
  documents = DynamoDBDocumentClient.from(new DynamoDBClient(runtime.clientConfig()));
  scheduler = new SchedulerClient(runtime.clientConfig());
}, 300_000);

afterAll(async () => {
  documents?.destroy();
  scheduler?.destroy();
  await e2e?.stop();
});

const send = (output: string, bodies: readonly unknown[]): Promise<void> => sendJson(e2e, output, bodies);

/** Waits (wall time) until no function runs and no consumed queue holds a message. */
const settle = (): Promise<void> => runtime.settle();

/** Moves the clock to `t`, timer by timer, letting each schedule's work finish at its own time. */
async function advanceTo(t: number): Promise<void> {
  await runtime.advanceClock(Math.max(0, t - clock.now()));
}

async function records(tableOutput: string): Promise<Map<string, TaskRecord>> {
  const items = (await documents.send(new ScanCommand({ TableName: runtime.output(tableOutput), ConsistentRead: true }))).Items ?? [];
  return new Map(items.map((item) => [item.taskId as string, item as TaskRecord]));
}

const messages = <T>(output: string): Promise<T[]> => queueBodies<T>(runtime, output);

async function scheduleNames(): Promise<string[]> {
  const page = await scheduler.send(new ListSchedulesCommand({ GroupName: runtime.output(O.scheduleGroup) }));
  return (page.Schedules ?? []).map((s) => s.Name ?? '');
}

/** The dead-lettered messages whose body contains `marker`, as [reason, error type]. */
async function parked(marker: string): Promise<Array<[string | undefined, string | undefined]>> {
  return (await runtime.deadLetterMessages()).filter((m) => m.body.includes(marker))
    .map((m) => [m.messageAttributes[MessageAttribute.errorReason]?.StringValue, m.messageAttributes[MessageAttribute.errorType]?.StringValue]);
}

const outcomes = (events: readonly TaskFinishedEvent[]) => events.map((e) => `${e.taskId}:${e.status}`).sort();

describe('SparseTask end to end (local runtime, locally served EventBridge Scheduler, manual clock)', () => {
  const ids = ['t1', 't2', 't3', 't4', 't5'];
  let jobs: Map<string, { taskId: string; correlationId: string; size: number }>;

  it('submits each task once: a re-submission and a poison submission start nothing', async () => {
    await send(O.submissionsUrl, [...ids.map((taskId, i) => ({ taskId, input: { size: i } })), { taskId: 't6', input: 'no size' }]);
    // Submitted together, so that every deadline is ahead of the manual clock (see the polled describe).
    await send(O.polledSubmissionsUrl, [
      { taskId: 'p1', input: { doneAfter: 2 } },
      { taskId: 'p2', input: { doneAfter: 1, fail: true } },
      { taskId: 'p3', input: { doneAfter: 1_000 } },
    ]);
    await settle();
    await send(O.submissionsUrl, [{ taskId: 't1', input: { size: 99 } }]);
    await settle();
    const started = await messages<{ taskId: string; correlationId: string; size: number }>(O.jobsUrl);
    jobs = new Map(started.map((job) => [job.taskId, job]));
    expect(started.map((job) => job.taskId).sort()).toStrictEqual(ids);
    expect(jobs.get('t1')?.size).toBe(0);
    const all = await records(O.tableName);
    expect([...all.values()].map((r) => [r.taskId, r.status, r.externalId]).sort()).toStrictEqual(ids.map((id) => [id, 'PENDING', `job-${id}`]));
    expect((await scheduleNames()).sort()).toStrictEqual(ids.map(scheduleNameFor).sort());
    const t1 = all.get('t1') as TaskRecord;
    // The deadline is the submission time plus the timeout, rounded up to the schedule's whole second.
    expect(t1.deadline).toBe(Math.ceil((t1.submittedAt + E2E_TASK_TIMEOUT.toMilliseconds()) / 1000) * 1000);
    expect(await parked('no size')).toStrictEqual([['invalid submission input: input.size must be a number, got undefined', 'PoisonRecordError']]);
  });

  it('applies completions correlated by task id; a second report is kept as DUPLICATE; their schedules are deleted', async () => {
    await send(O.completionsUrl, [
      { taskId: 't1', status: 'SUCCEEDED', correlationId: jobs.get('t1')?.correlationId, result: { url: 's3://out/t1' }, eventId: 'cb-1' },
      { taskId: 't2', status: 'FAILED', error: { code: 'Transcode', message: 'bad codec' }, eventId: 'cb-2' },
      { taskId: 'ghost', status: 'SUCCEEDED', eventId: 'cb-ghost' },
    ]);
    await settle();
    await send(O.completionsUrl, [{ taskId: 't1', status: 'FAILED', error: { code: 'X', message: 'second report' }, eventId: 'cb-3' }]);
    await settle();
    const all = await records(O.tableName);
    expect(all.get('t1')).toMatchObject({ status: 'SUCCEEDED', result: { url: 's3://out/t1' }, finishedBy: 'cb-1', losers: { 'cb-3': { kind: 'DUPLICATE', status: 'FAILED' } } });
    expect(all.get('t2')).toMatchObject({ status: 'FAILED', error: { code: 'Transcode', message: 'bad codec' } });
    expect(outcomes(await messages<TaskFinishedEvent>(O.finishedUrl))).toStrictEqual(['t1:SUCCEEDED', 't2:FAILED']);
    expect((await scheduleNames()).sort()).toStrictEqual(['t3', 't4', 't5'].map(scheduleNameFor).sort());
    expect(await parked('cb-ghost')).toStrictEqual([['No task record for taskId "ghost": never submitted, or its record expired', 'UnknownTaskError']]);
  });

  it('a completion just before the deadline wins; at the deadline the monitors time out the rest', async () => {
    const deadline = (await records(O.tableName)).get('t3')?.deadline as number;
    await advanceTo(deadline - 1_000);
    expect((await records(O.tableName)).get('t3')?.status).toBe('PENDING');
    await send(O.completionsUrl, [{ taskId: 't3', status: 'SUCCEEDED', eventId: 'cb-4' }]);
    await settle();
    const latest = Math.max(...[...(await records(O.polledTableName)).values(), ...(await records(O.tableName)).values()].map((r) => r.deadline));
    await advanceTo(latest + MINUTE);
    const all = await records(O.tableName);
    expect(ids.map((id) => all.get(id)?.status)).toStrictEqual(['SUCCEEDED', 'FAILED', 'SUCCEEDED', 'TIMED_OUT', 'TIMED_OUT']);
    // The handlers read the manual clock: the monitor ran exactly at the deadline, the completion a second before it.
    expect(all.get('t4')).toMatchObject({ finishedBy: 'timeout-monitor', reason: 'DEADLINE', finishedAt: all.get('t4')?.deadline });
    expect(all.get('t3')).toMatchObject({ finishedBy: 'cb-4', reason: 'COMPLETED', finishedAt: deadline - 1_000 });
    expect(await scheduleNames()).toStrictEqual([]);
  });

  it('a completion after the timeout is kept as LATE and never overwrites TIMED_OUT', async () => {
    await send(O.completionsUrl, [{ taskId: 't4', status: 'SUCCEEDED', eventId: 'cb-5' }]);
    await settle();
    expect((await records(O.tableName)).get('t4')).toMatchObject({ status: 'TIMED_OUT', losers: { 'cb-5': { kind: 'LATE', status: 'SUCCEEDED' } } });
    expect(outcomes(await messages<TaskFinishedEvent>(O.finishedUrl))).toStrictEqual(['t1:SUCCEEDED', 't2:FAILED', 't3:SUCCEEDED', 't4:TIMED_OUT', 't5:TIMED_OUT']);
  });

  it('a monitor firing for a task already done changes nothing and is kept as STALE_TIMEOUT', async () => {
    expect(await runtime.lambdas.invoke(runtime.output(O.monitorName), { taskId: 't1' })).toStrictEqual({ kind: 'ALREADY_FINISHED' });
    expect((await records(O.tableName)).get('t1')).toMatchObject({ status: 'SUCCEEDED', losers: { 'timeout-monitor': { kind: 'STALE_TIMEOUT' } } });
    expect((await messages<TaskFinishedEvent>(O.finishedUrl)).filter((e) => e.taskId === 't1')).toHaveLength(1);
  });

  it('every request of the construct\'s functions was allowed by its own grants, and the submitter made the counted calls', () => {
    const rows = runtime.counter.rowsSnapshot().filter((row) => row.principal.startsWith('SparseTaskE2E-'));
    expect(rows.filter((row) => row.denied > 0)).toStrictEqual([]);
    const submitter = rows.filter((row) => row.principal.includes('CallbacksSubmissions'));
    // Its invocations are billed and counted too, but how many depends on how the poller batched the six messages.
    expect(submitter.filter((r) => r.service === 'lambda').map((r) => r.operation)).toStrictEqual(['Invocation']);
    const calls = Object.fromEntries(submitter.filter((r) => r.service !== 'sqs' && r.service !== 'lambda').map((r) => [`${r.service}:${r.operation}`, r.requests]));
    // 5 tasks + 1 re-submission: one CreateSchedule and one PutItem each; the re-submission reads
    // back the schedule and the record; each started task stores its external id.
    expect(calls).toStrictEqual({ 'scheduler:CreateSchedule': 6, 'scheduler:GetSchedule': 1, 'dynamodb:PutItem': 6, 'dynamodb:GetItem': 1, 'dynamodb:UpdateItem': 5 });
  });
});

describe('SparseTask notified by a RollingPoller (no callbacks)', () => {
  it('finished the polled tasks from the poller completions before their deadline, and timed out the one that never completed', async () => {
    // Submitted in the first test; the clock has since passed every deadline minute by minute.
    const all = await records(O.polledTableName);
    expect(['p1', 'p2', 'p3'].map((id) => all.get(id)?.status)).toStrictEqual(['SUCCEEDED', 'FAILED', 'TIMED_OUT']);
    expect(all.get('p1')).toMatchObject({ finishedBy: 'rolling-poller:p1', result: { polls: 2 }, externalId: 'watch-p1' });
    expect(all.get('p2')).toMatchObject({ finishedBy: 'rolling-poller:p2', error: { code: 'FAILED' } });
    expect(all.get('p3')).toMatchObject({ finishedBy: 'timeout-monitor' });
    expect(outcomes(await messages<TaskFinishedEvent>(O.polledFinishedUrl))).toStrictEqual(['p1:SUCCEEDED', 'p2:FAILED', 'p3:TIMED_OUT']);
  });
});
