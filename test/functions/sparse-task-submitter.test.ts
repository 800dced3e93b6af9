import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../functions/lib/errors';
import { InMemoryTaskStore, scheduleNameFor, type TaskRecord } from '../../functions/lib/sparse-task';
import { awsError } from '../../functions/lib/testing/recording-ports';
import { sparseTaskHarness, T0, TIMEOUT_MS } from '../helpers/sparse-task-harness';

describe('SparseTaskSubmitter', () => {
  it('writes a PENDING record with deadline and correlation id, arms the monitor at the deadline, then starts', async () => {
    const h = sparseTaskHarness();
    h.clock.set(T0 + 250);
    const outcome = await h.submitter.submit({ taskId: 'job-1', input: { n: 1 } });
    const deadline = T0 + TIMEOUT_MS + 1000; // rounded up to the schedule's whole second
    const expected: TaskRecord = {
      taskId: 'job-1', status: 'PENDING', correlationId: 'corr-1', submittedAt: T0 + 250, deadline,
      scheduleName: scheduleNameFor('job-1'), losers: {}, loserCount: 0,
    };
    expect(outcome).toStrictEqual({ kind: 'STARTED', record: expected });
    expect(h.store.all()).toStrictEqual([expected]);
    expect(h.scheduler.armed()).toStrictEqual([{ name: scheduleNameFor('job-1'), at: deadline, payload: { taskId: 'job-1' } }]);
    expect(h.starts).toStrictEqual([{ taskId: 'job-1', correlationId: 'corr-1', deadline, input: { n: 1 } }]);
    expect(h.metrics.submittedCount).toBe(1);
  });

  it('does not start a re-submitted task id twice', async () => {
    const h = sparseTaskHarness();
    await h.submitter.submit({ taskId: 'job-1', input: 'first' });
    h.clock.advance(10_000);
    const again = await h.submitter.submit({ taskId: 'job-1', input: 'second' });
    expect(again.kind).toBe('DUPLICATE');
    expect(again.record.submittedAt).toBe(T0);
    expect(h.starts.map((s) => s.input)).toStrictEqual(['first']);
    expect(h.scheduler.armed()).toHaveLength(1);
    expect(h.scheduler.armed()[0]?.at).toBe(T0 + TIMEOUT_MS);
  });

  it('leaves no schedule behind when a finished task is re-submitted', async () => {
    const h = sparseTaskHarness();
    await h.submitter.submit({ taskId: 'job-1' });
    await h.completions.handle({ taskId: 'job-1', status: 'SUCCEEDED', eventId: 'e1' });
    const again = await h.submitter.submit({ taskId: 'job-1' });
    expect(again.kind).toBe('DUPLICATE');
    expect(h.scheduler.armed()).toStrictEqual([]);
    expect(h.starts).toHaveLength(1);
  });

  it('re-arms the monitor of a PENDING task whose schedule was lost, without starting it again', async () => {
    const h = sparseTaskHarness();
    await h.submitter.submit({ taskId: 'job-1' });
    await h.scheduler.cancel(scheduleNameFor('job-1'));
    await h.submitter.submit({ taskId: 'job-1' });
    expect(h.scheduler.armed().map((s) => s.name)).toStrictEqual([scheduleNameFor('job-1')]);
    expect(h.starts).toHaveLength(1);
  });

  it('adopts the armed schedule time as the deadline when a crashed submission is retried', async () => {
    const h = sparseTaskHarness();
    const create = InMemoryTaskStore.prototype.create;
    let crashes = 1;
    h.store.create = async (record: TaskRecord) => {
      if (crashes-- > 0) throw new Error('Lambda timed out');
      return create.call(h.store, record);
    };
    await expect(h.submitter.submit({ taskId: 'job-1' })).rejects.toThrow(/timed out/);
    h.clock.advance(30_000);
    const retried = await h.submitter.submit({ taskId: 'job-1' });
    expect(retried.kind).toBe('STARTED');
    expect(retried.record.deadline).toBe(T0 + TIMEOUT_MS);
    expect(h.starts).toHaveLength(1);
    expect(h.starts[0]?.deadline).toBe(T0 + TIMEOUT_MS);
  });

  it('refuses to start when an earlier attempt\'s schedule is firing, and starts on the retry after it fired', async () => {
    const h = sparseTaskHarness();
    await h.scheduler.arm({ name: scheduleNameFor('job-1'), at: T0, payload: { taskId: 'job-1' } });
    await expect(h.submitter.submit({ taskId: 'job-1' })).rejects.toThrow(/is firing; retry the submission/);
    expect(h.starts).toStrictEqual([]);
    h.scheduler.takeDue(T0);
    expect((await h.submitter.submit({ taskId: 'job-1' })).kind).toBe('STARTED');
  });

  it('fails the task, cancels its monitor and tells downstream when start throws', async () => {
    const h = sparseTaskHarness({ start: async () => { throw new RangeError('quota exceeded'); } });
    const outcome = await h.submitter.submit({ taskId: 'job-1' });
    expect(outcome.kind).toBe('START_FAILED');
    expect(h.store.all()[0]).toMatchObject({ status: 'FAILED', reason: 'START_FAILED', error: { code: 'RangeError', message: 'quota exceeded' } });
    expect(h.scheduler.armed()).toStrictEqual([]);
    expect(h.sink.events.map((e) => [e.taskId, e.status, e.reason])).toStrictEqual([['job-1', 'FAILED', 'START_FAILED']]);
    expect(h.metrics.submittedCount).toBe(0);
  });

  it('retries a start that was throttled, with backoff, and starts the task', async () => {
    let calls = 0;
    const h = sparseTaskHarness({ start: async () => { if (++calls === 1) throw awsError('ThrottlingException'); } });
    const outcome = await h.submitter.submit({ taskId: 'job-1' });
    expect([outcome.kind, outcome.record.status, h.starts.length, h.metrics.submittedCount]).toStrictEqual(['STARTED', 'PENDING', 2, 1]);
    expect(h.sleeps).toHaveLength(1);
  });

  it('keeps a task whose start stayed ambiguous PENDING with its monitor armed, so its real completion wins', async () => {
    const h = sparseTaskHarness({ start: async () => { throw awsError('InternalServerError', 'server'); } });
    const outcome = await h.submitter.submit({ taskId: 'job-1' });
    expect([outcome.kind, outcome.record.status, h.starts.length]).toStrictEqual(['START_UNCERTAIN', 'PENDING', 3]);
    expect(h.scheduler.armed().map((schedule) => schedule.name)).toStrictEqual([scheduleNameFor('job-1')]);
    expect(h.sink.events).toStrictEqual([]);
    await h.completions.handle({ taskId: 'job-1', status: 'SUCCEEDED', eventId: 'e1' });
    expect(h.store.all()[0]).toMatchObject({ status: 'SUCCEEDED', loserCount: 0 });
    expect(h.sink.events.map((event) => event.status)).toStrictEqual(['SUCCEEDED']);
  });

  it('times out a task whose start stayed ambiguous and that never completed, at its deadline', async () => {
    const h = sparseTaskHarness({ start: async () => { throw awsError('TimeoutError', 'server', 504); } });
    await h.submitter.submit({ taskId: 'job-1' });
    await h.advanceTo(T0 + TIMEOUT_MS);
    expect(h.store.all()[0]).toMatchObject({ status: 'TIMED_OUT' });
  });

  it('fails a task at once, without retrying, when start is refused for good', async () => {
    const h = sparseTaskHarness({ start: async () => { throw awsError('ValidationException'); } });
    const outcome = await h.submitter.submit({ taskId: 'job-1' });
    expect([outcome.kind, outcome.record.status, h.starts.length]).toStrictEqual(['START_FAILED', 'FAILED', 1]);
  });

  it('tells downstream on the retry when the FAILED event of a failed start could not be sent', async () => {
    const h = sparseTaskHarness({ start: async () => { throw new RangeError('quota exceeded'); } });
    const emit = h.sink.emit.bind(h.sink);
    let failures = 1;
    h.sink.emit = async (event) => {
      if (failures-- > 0) throw new Error('sink down');
      return emit(event);
    };
    await expect(h.submitter.submit({ taskId: 'job-1' })).rejects.toThrow('sink down');
    expect(h.sink.events).toStrictEqual([]);
    const retried = await h.submitter.submit({ taskId: 'job-1' });
    expect(retried.kind).toBe('DUPLICATE');
    expect(h.sink.events.map((e) => [e.eventId, e.reason])).toStrictEqual([['job-1:FAILED', 'START_FAILED']]);
    expect(h.scheduler.armed()).toStrictEqual([]);
    expect(h.starts).toHaveLength(1);
    expect(h.metrics.latencies).toStrictEqual({ SUCCEEDED: [], FAILED: [0], TIMED_OUT: [] });
  });

  it('keeps the external id that start returns', async () => {
    const h = sparseTaskHarness({ start: async (task) => ({ externalId: `ext-${task.taskId}` }) });
    const outcome = await h.submitter.submit({ taskId: 'job-1' });
    expect(outcome.record.externalId).toBe('ext-job-1');
    expect(h.store.all()[0]?.externalId).toBe('ext-job-1');
  });

  it('uses the correlation id the caller gives', async () => {
    const h = sparseTaskHarness();
    const outcome = await h.submitter.submit({ taskId: 'job-1', correlationId: 'order-42' });
    expect(outcome.record.correlationId).toBe('order-42');
    expect(h.starts[0]?.correlationId).toBe('order-42');
  });

  it('fails if a submission timeout is under one minute, naming the value', async () => {
    const h = sparseTaskHarness();
    await expect(h.submitter.submit({ taskId: 'job-1', timeoutMs: 59_999 })).rejects.toThrow(ConfigError);
    await expect(h.submitter.submit({ taskId: 'job-1', timeoutMs: 59_999 })).rejects.toThrow(/timeoutMs .* got 59999/);
    expect(h.store.all()).toStrictEqual([]);
    expect(h.scheduler.armed()).toStrictEqual([]);
  });

  it('fails if the default timeout is over 365 days', () => {
    expect(() => sparseTaskHarness({ defaultTimeoutMs: 366 * 86_400_000 })).toThrow(/defaultTimeoutMs .*365 days.*got 31622400000/);
  });
});
