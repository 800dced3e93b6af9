import { beforeAll, describe, expect, it } from 'vitest';
import { MONITOR_EVENT_ID, type TaskRecord } from '../../functions/lib/sparse-task';
import { simulateSparseTasks, type SparseSimReport } from '../../bench/sparse-task-sim';

const TIMEOUT_MS = 300_000;

describe('10,000 tasks with random completion times, 5% never completing, duplicates and emit faults', () => {
  let report: SparseSimReport;
  let records: Map<string, TaskRecord>;

  beforeAll(async () => {
    report = await simulateSparseTasks({ tasks: 10_000, neverCompleteRate: 0.05, timeoutMs: TIMEOUT_MS, seed: 7 });
    records = new Map(report.records.map((record) => [record.taskId, record]));
  });

  it('leaves every task in exactly one terminal state', () => {
    expect(report.records).toHaveLength(10_000);
    expect(report.records.filter((record) => record.status === 'PENDING')).toStrictEqual([]);
  });

  it('leaves no timeout schedule behind', () => {
    expect(report.schedulesLeft).toBe(0);
  });

  it('gives each task the outcome its earliest completion decides against the deadline', () => {
    const wrong = report.workload.filter((task) => {
      const record = records.get(task.taskId);
      const first = task.deliveries[0];
      const deadline = task.submitAt + TIMEOUT_MS;
      const expected = first !== undefined && first.at < deadline ? first.status : 'TIMED_OUT';
      return record?.status !== expected || record.deadline !== deadline;
    });
    expect(wrong).toStrictEqual([]);
  });

  it('times out the tasks that never complete by the monitor, at their deadline', () => {
    const silent = report.workload.filter((task) => task.deliveries.length === 0);
    expect(silent.length).toBeGreaterThan(400);
    const notByMonitor = silent.filter((task) => {
      const record = records.get(task.taskId);
      return record?.finishedBy !== MONITOR_EVENT_ID || record.finishedAt !== task.submitAt + TIMEOUT_MS;
    });
    expect(notByMonitor).toStrictEqual([]);
  });

  it('keeps every completion that lost to the deadline as LATE', () => {
    const late = report.workload.filter((task) => task.deliveries[0] !== undefined && (task.deliveries[0]?.at ?? 0) >= task.submitAt + TIMEOUT_MS);
    expect(late.length).toBeGreaterThan(1000);
    const missing = late.filter((task) => records.get(task.taskId)?.losers[task.deliveries[0]?.eventId ?? '']?.kind !== 'LATE');
    expect(missing).toStrictEqual([]);
  });

  it('tells downstream exactly one outcome per task, the recorded one, despite injected emit failures', () => {
    expect(report.sinkFailures).toBeGreaterThan(0);
    const seen = new Map<string, Set<string>>();
    for (const event of report.events) seen.set(event.taskId, (seen.get(event.taskId) ?? new Set()).add(`${event.eventId}|${event.status}`));
    const mismatched = report.records.filter((record) => {
      const outcomes = [...(seen.get(record.taskId) ?? [])];
      return outcomes.length !== 1 || outcomes[0] !== `${record.taskId}:${record.status}|${record.status}`;
    });
    expect(mismatched).toStrictEqual([]);
  });

  it('measures one latency per task, under the status the task ended in', () => {
    const byStatus = { SUCCEEDED: 0, FAILED: 0, TIMED_OUT: 0 };
    for (const record of report.records) byStatus[record.status as keyof typeof byStatus]++;
    const measured = report.metrics.latencies;
    expect({ SUCCEEDED: measured.SUCCEEDED.length, FAILED: measured.FAILED.length, TIMED_OUT: measured.TIMED_OUT.length }).toStrictEqual(byStatus);
  });

  it('holds no worker while tasks wait', () => {
    expect(report.workerSecondsHeld).toBe(0);
  });
});
