import { describe, expect, it } from 'vitest';
import { SparseTaskMetric } from '../../functions/contract';
import { ConfigError, PoisonRecordError } from '../../functions/lib/errors';
import {
  sparseTaskCompletionHandler, sparseTaskPendingGauge, sparseTaskSubmitter, sparseTaskTimeoutMonitor,
} from '../../functions/sparse-task/factory';
import {
  InMemoryEventSink, InMemoryTaskStore, InMemoryTimeoutScheduler, type StartContext,
} from '../../functions/lib/sparse-task';
import { ManualClock } from '../../functions/lib/clock';
import { quietMetrics, silentLogger } from '../helpers/quiet-telemetry';
import { lambdaContext, sqsEvent } from '../../functions/lib/testing/sqs-event';

const T0 = Date.UTC(2025, 0, 1);

function fakes() {
  const shared = { store: new InMemoryTaskStore(), scheduler: new InMemoryTimeoutScheduler(), sink: new InMemoryEventSink(), clock: new ManualClock(T0) };
  const telemetry = quietMetrics();
  return { ...shared, added: telemetry.added, options: { ...shared, logger: silentLogger(), metrics: telemetry.metrics, env: {} } };
}

/** The Sparse Task metrics among those recorded (the work-queue handler adds its own per item). */
const taskMetrics = (added: ReadonlyArray<{ name: string; value: number }>) => added.filter((m) => (Object.values(SparseTaskMetric) as string[]).includes(m.name));

const submission = (id: string, taskId: string) => ({ messageId: id, body: JSON.stringify({ taskId, input: { n: id } }) });

describe('sparseTaskSubmitter handler', () => {
  it('starts each new task once, skips a duplicate in the same batch, and fails only the poison record', async () => {
    const f = fakes();
    const starts: StartContext[] = [];
    const handler = sparseTaskSubmitter({ ...f.options, defaultTimeoutMs: 600_000, start: async (task) => void starts.push(task) });
    const response = await handler(sqsEvent(submission('m1', 't1'), submission('m2', 't2'), { messageId: 'm3', body: '{"taskId":42}' }, submission('m4', 't1')), lambdaContext());
    expect(response).toStrictEqual({ batchItemFailures: [{ itemIdentifier: 'm3' }] });
    expect(starts.map((s) => s.taskId).sort()).toStrictEqual(['t1', 't2']);
    expect(f.store.all().map((r) => [r.taskId, r.status, r.deadline])).toStrictEqual([['t1', 'PENDING', T0 + 600_000], ['t2', 'PENDING', T0 + 600_000]]);
    expect(taskMetrics(f.added)).toStrictEqual([{ name: 'TasksSubmitted', value: 1 }, { name: 'TasksSubmitted', value: 1 }]);
  });

  it('makes a submission poison when parseInput rejects its input', async () => {
    const f = fakes();
    const handler = sparseTaskSubmitter<number>({
      ...f.options, defaultTimeoutMs: 600_000, start: async () => undefined,
      parseInput: (input) => { if (typeof input !== 'number') throw new TypeError('input must be a number'); return input; },
    });
    const good = { messageId: 'm2', body: JSON.stringify({ taskId: 't2', input: 7 }) };
    const response = await handler(sqsEvent(submission('m1', 't1'), good), lambdaContext());
    expect(response).toStrictEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }] });
    expect(f.store.all().map((r) => r.taskId)).toStrictEqual(['t2']);
  });

  it('fails if the environment lacks the table, the schedule settings and the event target, naming every variable', () => {
    const build = () => sparseTaskSubmitter({ start: async () => undefined, env: {}, logger: silentLogger(), metrics: quietMetrics().metrics });
    expect(build).toThrow(ConfigError);
    expect(() => { try { build(); } catch (error) { throw new Error((error as ConfigError).violations.join('\n')); } }).toThrow([
      'PP_TASK_TABLE_NAME (env) must be set, got undefined',
      'PP_TASK_PENDING_SHARDS (env) must be an integer from 1 to 100, got undefined',
      'PP_TASK_RETENTION_SECONDS (env) must be an integer from 60 to 315360000, got undefined',
      'PP_TASK_SCHEDULE_GROUP (env) must be set, got undefined',
      'PP_TASK_MONITOR_ARN (env) must be set, got undefined',
      'PP_TASK_SCHEDULER_ROLE_ARN (env) must be set, got undefined',
      'exactly one of PP_TASK_FINISHED_QUEUE_URL and PP_TASK_FINISHED_BUS_NAME must be set, got undefined and undefined',
      'PP_TASK_TIMEOUT_SECONDS (env) must be an integer from 60 to 31536000, got undefined',
    ].join('\n'));
  });

  it('fails if the scheduler retry count is not an integer from 0 to 185, quoting it', () => {
    const env = {
      PP_TASK_TABLE_NAME: 'tasks', PP_TASK_PENDING_SHARDS: '4', PP_TASK_RETENTION_SECONDS: '3600', PP_TASK_SCHEDULE_GROUP: 'g', PP_TASK_MONITOR_ARN: 'arn:m',
      PP_TASK_SCHEDULER_ROLE_ARN: 'arn:r', PP_TASK_FINISHED_QUEUE_URL: 'https://q', PP_TASK_TIMEOUT_SECONDS: '300', PP_TASK_SCHEDULER_RETRY_ATTEMPTS: 'many',
    };
    expect(() => sparseTaskSubmitter({ start: async () => undefined, env, logger: silentLogger(), metrics: quietMetrics().metrics }))
      .toThrow('Invalid configuration: PP_TASK_SCHEDULER_RETRY_ATTEMPTS (env) must be an integer from 0 to 185, got "many"');
  });

  it('fails if start is not a function, together with the other problems', () => {
    const build = () => sparseTaskSubmitter({ start: 'go' as never, env: {}, logger: silentLogger(), metrics: quietMetrics().metrics });
    expect(build).toThrow(/PP_TASK_TABLE_NAME \(env\) must be set.*start must be a function, got "go"/);
  });

  it('fails if an option is unknown', () => {
    const f = fakes();
    expect(() => sparseTaskSubmitter({ ...f.options, defaultTimeoutMs: 600_000, start: async () => undefined, timeout: 5 } as never)).toThrow(/unknown option "timeout"/);
  });
});

describe('sparseTaskCompletionHandler', () => {
  it('finishes the task, cancels its schedule, emits the event, and fails the record of an unknown task', async () => {
    const f = fakes();
    await sparseTaskSubmitter({ ...f.options, defaultTimeoutMs: 600_000, start: async () => undefined })(sqsEvent(submission('s1', 't1')), lambdaContext());
    const handler = sparseTaskCompletionHandler(f.options);
    const response = await handler(sqsEvent(
      { messageId: 'c1', body: '{"taskId":"t1","status":"SUCCEEDED","result":"ok"}' },
      { messageId: 'c2', body: '{"taskId":"ghost","status":"SUCCEEDED"}' },
    ), lambdaContext());
    expect(response).toStrictEqual({ batchItemFailures: [{ itemIdentifier: 'c2' }] });
    expect(f.store.all()[0]).toMatchObject({ status: 'SUCCEEDED', finishedBy: 'c1', result: 'ok' });
    expect(f.scheduler.armed()).toStrictEqual([]);
    expect(f.sink.events.map((e) => e.eventId)).toStrictEqual(['t1:SUCCEEDED']);
    expect(taskMetrics(f.added)).toStrictEqual([{ name: 'TasksSubmitted', value: 1 }, { name: 'TasksSucceeded', value: 1 }, { name: 'CompletionLatency', value: 0 }]);
  });
});

describe('sparseTaskTimeoutMonitor', () => {
  it('times out a PENDING task at its deadline and measures its latency', async () => {
    const f = fakes();
    await sparseTaskSubmitter({ ...f.options, defaultTimeoutMs: 600_000, start: async () => undefined })(sqsEvent(submission('s1', 't1')), lambdaContext());
    f.clock.set(T0 + 600_000);
    const handler = sparseTaskTimeoutMonitor(f.options);
    expect(await handler({ taskId: 't1' }, lambdaContext())).toStrictEqual({ kind: 'TIMED_OUT' });
    expect(f.sink.events.map((e) => [e.status, e.latencyMs])).toStrictEqual([['TIMED_OUT', 600_000]]);
    expect(taskMetrics(f.added)).toStrictEqual([{ name: 'TasksSubmitted', value: 1 }, { name: 'TasksTimedOut', value: 1 }, { name: 'CompletionLatency', value: 600_000 }]);
  });

  it('throws a malformed payload as poison naming the problem (its on-failure destination keeps the reason), changing nothing', async () => {
    const f = fakes();
    const handler = sparseTaskTimeoutMonitor(f.options);
    const fired = handler({ nope: 1 }, lambdaContext());
    await expect(fired).rejects.toThrow(PoisonRecordError);
    await expect(handler({ nope: 1 }, lambdaContext())).rejects.toThrow(/invalid timeout payload: unknown key "nope" \(known: taskId\); taskId must be a non-empty string, got undefined/);
    expect(f.sink.events).toStrictEqual([]);
    expect(f.store.all()).toStrictEqual([]);
  });
});

describe('sparseTaskPendingGauge', () => {
  it('publishes the number of PENDING tasks', async () => {
    const f = fakes();
    const submit = sparseTaskSubmitter({ ...f.options, defaultTimeoutMs: 600_000, start: async () => undefined });
    await submit(sqsEvent(submission('s1', 't1'), submission('s2', 't2'), submission('s3', 't3')), lambdaContext());
    await sparseTaskCompletionHandler(f.options)(sqsEvent({ messageId: 'c1', body: '{"taskId":"t2","status":"FAILED"}' }), lambdaContext());
    const result = await sparseTaskPendingGauge(f.options)({}, lambdaContext());
    expect(result).toStrictEqual({ pending: 2 });
    expect(f.added.filter((m) => m.name === 'PendingTasks')).toStrictEqual([{ name: 'PendingTasks', value: 2 }]);
  });
});
