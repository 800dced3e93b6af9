/**
 * Sparse Task against a worker that holds on and polls: 10,000 tasks (5% never complete,
 * completion times uniform up to 1.5 × the 5-minute timeout, 5% redelivered completions, 2%
 * second reports, 1% failed emits) run through the real Sparse Task runtime on the in-memory
 * store and scheduler, and through a naive worker per task polling every 10 s, on one virtual clock.
 *
 * Requests are counted the same way for both: every store, scheduler, downstream and external
 * call, plus SQS ingress (one send per message, (receive + delete) / 10 per delivery). The naive
 * baseline keeps no task record at all, which flatters it. Worker-seconds held is virtual time
 * between a worker's (or handler's) start and end.
 *
 * Prints `bench sparse-task: worker-seconds-held=0 requests/task=X naive=Y`, then the details.
 */
import { simulateNaivePolling, simulateSparseTasks, type SimOptions, type SimReport } from './sparse-task-sim';

const OPTIONS: SimOptions = { tasks: 10_000, neverCompleteRate: 0.05, timeoutMs: 300_000, pollIntervalMs: 10_000, seed: 42 };

/** Runs the benchmark and returns its lines. */
export async function run(): Promise<string[]> {
  const sparse = await simulateSparseTasks(OPTIONS);
  const naive = await simulateNaivePolling(OPTIONS);
  const byStatus = Object.entries(count(sparse.records.map((record) => record.status))).map(([status, n]) => `${status}=${n}`).join(' ');
  return [
    `bench sparse-task: worker-seconds-held=${round(sparse.workerSecondsHeld)} requests/task=${round(sparse.requestsPerTask)} naive=${round(naive.requestsPerTask)}`,
    `  tasks=${sparse.tasks} ${byStatus} schedules-left=${sparse.schedulesLeft} naive-worker-seconds-held=${round(naive.workerSecondsHeld)} (poll every ${OPTIONS.pollIntervalMs! / 1000} s)`,
    `  sparse per task: ${perTask(sparse)}`,
    `  naive per task:  ${perTask(naive)}`,
  ];
}

function perTask(report: SimReport): string {
  return Object.entries(report.requests).map(([kind, n]) => `${kind}=${round(n / report.tasks)}`).join(' ');
}

function count(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

function round(value: number): string {
  return String(Math.round(value * 100) / 100);
}
