/**
 * Sparse Task against a worker that holds on and polls: 10,000 tasks (5% never complete,
 * completion times uniform up to 1.5 × the 5-minute timeout, 5% redelivered completions, 2%
 * second reports, 1% failed emits) run through the real Sparse Task runtime on the in-memory
 * store and scheduler, and through a naive worker per task polling every 10 s, on one virtual clock.
 *
 * Requests are counted the same way for both: every store, scheduler, downstream and external
 * call is counted as it is made (measured). SQS ingress is `modeled`, not run: one send per
 * message plus (receive + delete) / 10 per delivery, i.e. ingress = sends + 0.2 × deliveries.
 * The naive baseline keeps no task record at all, which flatters it.
 *
 * Worker-seconds held is `modeled` on the virtual clock: virtual time between a worker's (or
 * handler's) start and end. Sparse Task's handlers never wait on that clock, so its figure is
 * 0 by construction (held = Σ (end − start) of handler runs, each 0 in virtual time); the
 * naive figure is Σ (completion or timeout − start) over its workers.
 *
 * Prints `bench sparse-task: modeled worker-seconds-held=0 requests/task=X naive=Y`, then the details.
 */
import { simulateNaivePolling, simulateSparseTasks, type SimOptions, type SimReport } from './sparse-task-sim';

const OPTIONS: SimOptions = { tasks: 10_000, neverCompleteRate: 0.05, timeoutMs: 300_000, pollIntervalMs: 10_000, seed: 42 };

/** Runs the benchmark and returns its lines. */
export async function run(): Promise<string[]> {
  const sparse = await simulateSparseTasks(OPTIONS);
  const naive = await simulateNaivePolling(OPTIONS);
  const byStatus = Object.entries(count(sparse.records.map((record) => record.status))).map(([status, n]) => `${status}=${n}`).join(' ');
  return [
    `bench sparse-task: modeled worker-seconds-held=${round(sparse.workerSecondsHeld)} requests/task=${round(sparse.requestsPerTask)} naive=${round(naive.requestsPerTask)} (ingress modeled: sends + 0.2 × deliveries; the rest counted)`,
    `  tasks=${sparse.tasks} ${byStatus} schedules-left=${sparse.schedulesLeft} modeled naive-worker-seconds-held=${round(naive.workerSecondsHeld)} (poll every ${OPTIONS.pollIntervalMs! / 1000} s)`,
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
