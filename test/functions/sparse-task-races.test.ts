import { describe, expect, it } from 'vitest';
import { CorrelationMismatchError, UnknownTaskError } from '../../functions/lib/errors';
import { MONITOR_EVENT_ID } from '../../functions/lib/sparse-task';
import { sparseTaskHarness, T0, TIMEOUT_MS } from '../helpers/sparse-task-harness';

const DEADLINE = T0 + TIMEOUT_MS;

async function submitted(options: Parameters<typeof sparseTaskHarness>[0] = {}) {
  const h = sparseTaskHarness(options);
  await h.submitter.submit({ taskId: 't1' });
  return h;
}

describe('Sparse Task races on a controlled clock', () => {
  it('a completion 1 ms before the deadline wins: SUCCEEDED, monitor cancelled, one event with latency', async () => {
    const h = await submitted();
    await h.advanceTo(DEADLINE - 1);
    const outcome = await h.completions.handle({ taskId: 't1', status: 'SUCCEEDED', eventId: 'e1', result: { rows: 3 } });
    expect(outcome.kind).toBe('FINISHED');
    const fired = await h.advanceTo(DEADLINE + 60_000);
    expect(fired).toStrictEqual([]);
    expect(h.scheduler.armed()).toStrictEqual([]);
    expect(h.store.all()[0]).toMatchObject({ status: 'SUCCEEDED', reason: 'COMPLETED', finishedBy: 'e1', result: { rows: 3 }, loserCount: 0 });
    expect(h.sink.events).toStrictEqual([{
      type: 'sparse-task.finished', eventId: 't1:SUCCEEDED', taskId: 't1', correlationId: 'corr-1', status: 'SUCCEEDED',
      reason: 'COMPLETED', submittedAt: T0, finishedAt: DEADLINE - 1, latencyMs: TIMEOUT_MS - 1, result: { rows: 3 },
    }]);
    expect(h.metrics.latencies.SUCCEEDED).toStrictEqual([TIMEOUT_MS - 1]);
  });

  it('a completion exactly at the deadline, before the monitor fires, times the task out and is kept as LATE', async () => {
    const h = await submitted();
    h.clock.set(DEADLINE); // the schedule is due but EventBridge has not fired it yet
    const outcome = await h.completions.handle({ taskId: 't1', status: 'SUCCEEDED', eventId: 'e1' });
    expect(outcome.kind).toBe('TIMED_OUT');
    expect(h.store.all()[0]).toMatchObject({ status: 'TIMED_OUT', reason: 'DEADLINE', finishedBy: 'e1', losers: { e1: { kind: 'LATE', status: 'SUCCEEDED', at: DEADLINE } }, loserCount: 1 });
    expect(h.scheduler.armed()).toStrictEqual([]);
    expect(h.sink.events.map((e) => e.status)).toStrictEqual(['TIMED_OUT']);
    expect(h.metrics.losers.LATE).toBe(1);
  });

  it('a completion at the deadline after the monitor fired loses: TIMED_OUT stays, the completion is LATE', async () => {
    const h = await submitted();
    const fired = await h.advanceTo(DEADLINE);
    expect(fired.map((f) => f.kind)).toStrictEqual(['TIMED_OUT']);
    const outcome = await h.completions.handle({ taskId: 't1', status: 'SUCCEEDED', eventId: 'e1' });
    expect(outcome).toMatchObject({ kind: 'LOST', loser: 'LATE' });
    expect(h.store.all()[0]).toMatchObject({ status: 'TIMED_OUT', finishedBy: MONITOR_EVENT_ID, losers: { e1: { kind: 'LATE' } } });
    expect(h.sink.events.map((e) => e.status)).toStrictEqual(['TIMED_OUT']);
  });

  it('a completion an hour after the deadline is kept as LATE and never overwrites TIMED_OUT', async () => {
    const h = await submitted();
    await h.advanceTo(DEADLINE + 3_600_000);
    await h.completions.handle({ taskId: 't1', status: 'FAILED', eventId: 'e1', error: { code: 'Boom', message: 'late' } });
    const record = h.store.all()[0];
    expect(record).toMatchObject({ status: 'TIMED_OUT', finishedAt: DEADLINE, losers: { e1: { kind: 'LATE', status: 'FAILED', at: DEADLINE + 3_600_000 } } });
    expect(record?.error).toBeUndefined();
    expect(h.metrics.latencies).toStrictEqual({ SUCCEEDED: [], FAILED: [], TIMED_OUT: [TIMEOUT_MS] });
  });

  it('a redelivered completion replays its side effects without recording a loser or counting twice', async () => {
    const h = await submitted();
    await h.completions.handle({ taskId: 't1', status: 'SUCCEEDED', eventId: 'e1' });
    const again = await h.completions.handle({ taskId: 't1', status: 'SUCCEEDED', eventId: 'e1' });
    expect(again.kind).toBe('REPLAYED');
    expect(h.store.all()[0]).toMatchObject({ losers: {}, loserCount: 0 });
    expect(h.sink.events.map((e) => e.eventId)).toStrictEqual(['t1:SUCCEEDED', 't1:SUCCEEDED']);
    expect(h.metrics.latencies.SUCCEEDED).toStrictEqual([0]);
  });

  it('a second, different completion is kept as DUPLICATE and changes nothing else', async () => {
    const h = await submitted();
    await h.completions.handle({ taskId: 't1', status: 'SUCCEEDED', eventId: 'e1', result: 'ok' });
    const second = await h.completions.handle({ taskId: 't1', status: 'FAILED', eventId: 'e2', error: { code: 'X', message: 'y' } });
    expect(second).toMatchObject({ kind: 'LOST', loser: 'DUPLICATE' });
    expect(h.store.all()[0]).toMatchObject({ status: 'SUCCEEDED', result: 'ok', finishedBy: 'e1', losers: { e2: { kind: 'DUPLICATE', status: 'FAILED' } }, loserCount: 1 });
    expect(h.sink.events.map((e) => e.eventId)).toStrictEqual(['t1:SUCCEEDED']);
    expect(h.metrics.losers).toStrictEqual({ LATE: 0, DUPLICATE: 1, STALE_TIMEOUT: 0 });
  });

  it('a monitor firing for a task already done changes nothing and is kept as STALE_TIMEOUT', async () => {
    const h = await submitted();
    await h.completions.handle({ taskId: 't1', status: 'SUCCEEDED', eventId: 'e1' });
    h.clock.set(DEADLINE);
    const outcome = await h.monitor.fire({ taskId: 't1' });
    expect(outcome.kind).toBe('ALREADY_FINISHED');
    expect(h.store.all()[0]).toMatchObject({ status: 'SUCCEEDED', losers: { [MONITOR_EVENT_ID]: { kind: 'STALE_TIMEOUT', status: 'TIMED_OUT', at: DEADLINE } } });
    expect(h.sink.events.map((e) => e.status)).toStrictEqual(['SUCCEEDED']);
    expect(h.metrics.losers.STALE_TIMEOUT).toBe(1);
  });

  it('a retried monitor firing replays the timeout event without a loser', async () => {
    const h = await submitted();
    await h.advanceTo(DEADLINE);
    const again = await h.monitor.fire({ taskId: 't1' });
    expect(again.kind).toBe('REPLAYED');
    expect(h.store.all()[0]?.loserCount).toBe(0);
    expect(h.sink.events.map((e) => e.eventId)).toStrictEqual(['t1:TIMED_OUT', 't1:TIMED_OUT']);
    expect(h.metrics.latencies.TIMED_OUT).toStrictEqual([TIMEOUT_MS]);
  });

  it('a monitor firing for a task with no record does nothing', async () => {
    const h = sparseTaskHarness();
    expect(await h.monitor.fire({ taskId: 'ghost' })).toStrictEqual({ kind: 'NO_TASK' });
    expect(h.sink.events).toStrictEqual([]);
  });

  it('re-emits on redelivery when the sink failed after the winning write', async () => {
    const h = await submitted();
    const emit = h.sink.emit.bind(h.sink);
    let failures = 1;
    h.sink.emit = async (event) => {
      if (failures-- > 0) throw new Error('throttled');
      return emit(event);
    };
    await expect(h.completions.handle({ taskId: 't1', status: 'SUCCEEDED', eventId: 'e1' })).rejects.toThrow('throttled');
    expect(h.sink.events).toStrictEqual([]);
    expect((await h.completions.handle({ taskId: 't1', status: 'SUCCEEDED', eventId: 'e1' })).kind).toBe('REPLAYED');
    expect(h.sink.events.map((e) => e.eventId)).toStrictEqual(['t1:SUCCEEDED']);
  });

  it('a redelivered late completion that timed the task out replays as TIMED_OUT with one LATE entry', async () => {
    const h = await submitted();
    h.clock.set(DEADLINE + 5);
    await h.completions.handle({ taskId: 't1', status: 'SUCCEEDED', eventId: 'e1' });
    const again = await h.completions.handle({ taskId: 't1', status: 'SUCCEEDED', eventId: 'e1' });
    expect(again.kind).toBe('TIMED_OUT');
    expect(h.store.all()[0]).toMatchObject({ status: 'TIMED_OUT', finishedBy: 'e1', loserCount: 1, losers: { e1: { kind: 'LATE', status: 'SUCCEEDED', at: DEADLINE + 5 } } });
    expect(h.sink.events.map((e) => e.eventId)).toStrictEqual(['t1:TIMED_OUT', 't1:TIMED_OUT']);
    expect(h.metrics.losers.LATE).toBe(1);
  });

  it('keeps 20 losers individually and counts the rest', async () => {
    const h = await submitted();
    await h.completions.handle({ taskId: 't1', status: 'SUCCEEDED', eventId: 'e0' });
    for (let i = 1; i <= 25; i++) await h.completions.handle({ taskId: 't1', status: 'SUCCEEDED', eventId: `e${i}` });
    const record = h.store.all()[0];
    expect(Object.keys(record?.losers ?? {})).toHaveLength(20);
    expect(record?.loserCount).toBe(25);
  });

  it('rejects a completion for an unknown task as poison', async () => {
    const h = await submitted();
    await expect(h.completions.handle({ taskId: 'nope', status: 'SUCCEEDED', eventId: 'e1' })).rejects.toThrow(UnknownTaskError);
  });

  it('rejects a completion with a foreign correlation id as poison and leaves the task PENDING', async () => {
    const h = await submitted();
    await expect(h.completions.handle({ taskId: 't1', status: 'SUCCEEDED', eventId: 'e1', correlationId: 'other' })).rejects.toThrow(CorrelationMismatchError);
    expect(h.store.all()[0]?.status).toBe('PENDING');
    expect((await h.completions.handle({ taskId: 't1', status: 'SUCCEEDED', eventId: 'e2', correlationId: 'corr-1' })).kind).toBe('FINISHED');
  });
});
