/**
 * `npm run bench -- sparse-task`: the synthesized SparseTask against a worker that holds on,
 * both on the embedded local runtime in one run (bench/sparse-task/stack.ts), for the same N
 * tasks and the same external job latencies (seeded, uniform in [min, max] ms of wall time):
 *
 * - sparse: the SparseTask — its submitter starts the job on the external system and returns;
 *   the external system calls back on the completion queue when the job is done; the
 *   completion handler finishes the task (and deletes its timeout schedule).
 * - naive: a plain queue and a worker Lambda (batch size 1) that starts the same job, then
 *   sleeps and polls the job's status every `BENCH_SPARSE_POLL_MS` until it is done, holding
 *   its invocation all along, and records the result.
 *
 * The external system is the bench process (bench/sparse-task/external-system.ts), signing as
 * its own principal: its own traffic is not counted for either side; its callbacks, which land
 * on the SparseTask's completion queue, are.
 *
 * The two sides run one after the other on the same runtime (sparse first): each side's
 * requests are the gateway's counts between the phase's start and its end, the driver's sends
 * included, under the one requests definition (local-runtime/runtime/accounting/billing.ts:
 * Lambda invocations + SQS requests, mapping receives and deletes included + DynamoDB
 * requests + any other service's, e.g. EventBridge Scheduler's Create/DeleteSchedule; empty
 * receives apart). The naive side's status polls are DynamoDB reads of the external system's
 * status table, so they count as requests too (shown apart as `status-polls`).
 *
 * Worker-seconds held are measured: the sum of the runtime's billed durations of each side's
 * functions (each invocation's handler wall time, rounded up to the ms as Lambda bills; see
 * InvocationStats.billedMs), not a formula. Nothing here is modeled.
 *
 * Sizes: BENCH_SPARSE_TASKS (default 40), BENCH_SPARSE_LATENCY_MIN_MS / _MAX_MS (1000 / 4000),
 * BENCH_SPARSE_POLL_MS (500), BENCH_SPARSE_WORKERS (8 environments per function).
 */
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { LocalRuntime, RequestCountRow } from '../local-runtime/runtime';
import { bootBench, envInt, fixed, functionCost, requestTally, rowsBetween, seeded, waitFor } from './runtime-bench';
import { startExternalSystem } from './sparse-task/external-system';
import { SparseBenchOutput as O, sparseTaskBenchStack } from './sparse-task/stack';

const TASKS = envInt('BENCH_SPARSE_TASKS', 40);
const LATENCY_MIN_MS = envInt('BENCH_SPARSE_LATENCY_MIN_MS', 1000);
const LATENCY_MAX_MS = envInt('BENCH_SPARSE_LATENCY_MAX_MS', 4000);
const POLL_MS = envInt('BENCH_SPARSE_POLL_MS', 500);
const WORKERS = envInt('BENCH_SPARSE_WORKERS', 8);
const PHASE_TIMEOUT_MS = 120_000 + (TASKS * LATENCY_MAX_MS) / WORKERS;

interface Side {
  readonly rows: RequestCountRow[];
  readonly billedMs: number;
  readonly invocations: number;
  readonly wallS: number;
}

/** Sends `bodies` as JSON in batches of 10 (the driver's requests are part of the phase). */
async function sendAll(sqs: SQSClient, queueUrl: string, bodies: readonly unknown[]): Promise<void> {
  for (let i = 0; i < bodies.length; i += 10) {
    const Entries = bodies.slice(i, i + 10).map((body, j) => ({ Id: String(j), MessageBody: JSON.stringify(body) }));
    const { Failed = [] } = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries }));
    if (Failed.length > 0) throw new Error(`bench: ${Failed.length} sends failed: ${Failed[0]?.Message}`);
  }
}

/** Runs one side: sends, waits for `done`, settles; its rows exclude the external system's own traffic. */
async function phase(runtime: LocalRuntime, functions: readonly string[], send: () => Promise<void>, done: () => Promise<boolean>): Promise<Side> {
  const before = runtime.counter.rowsSnapshot();
  const costBefore = functionCost(runtime, functions);
  const started = performance.now();
  await send();
  await waitFor('every task finished', done, PHASE_TIMEOUT_MS);
  const wallS = (performance.now() - started) / 1000;
  await runtime.settle({ timeoutMs: PHASE_TIMEOUT_MS });
  const rows = rowsBetween(before, runtime.counter.rowsSnapshot()).filter((r) => r.principal !== 'external' || r.operation.startsWith('SendMessage'));
  const cost = functionCost(runtime, functions);
  return { rows, billedMs: cost.billedMs - costBefore.billedMs, invocations: cost.invocations - costBefore.invocations, wallS };
}

function describe(side: Side): string {
  const tally = requestTally(side.rows);
  return Object.entries(tally.byService).map(([service, n]) => `${service}=${fixed(n / TASKS)}`).join(' ') + ` empty-receives=${tally.emptyReceives}`;
}

/** Runs the benchmark and returns its lines. */
export async function run(): Promise<string[]> {
  const next = seeded(42);
  const latencies = Array.from({ length: TASKS }, () => Math.round(LATENCY_MIN_MS + next() * (LATENCY_MAX_MS - LATENCY_MIN_MS)));
  const bench = await bootBench((app) => sparseTaskBenchStack(app, POLL_MS), { maxWorkersPerFunction: WORKERS });
  const { runtime } = bench;
  const sqs = new SQSClient(runtime.clientConfig());
  const external = startExternalSystem(runtime, { jobsUrl: runtime.output(O.externalJobsUrl), completionsUrl: runtime.output(O.completionsUrl), statusTable: runtime.output(O.externalStatusTable) });
  try {
    const finished = runtime.queue(O.finishedUrl).name;
    const naiveResults = runtime.output(O.naiveResultsTable);
    const sparseFns = [O.submitterFunction, O.completionFunction, O.monitorFunction].map((o) => runtime.output(o));
    const naiveFn = runtime.output(O.naiveFunction);
    const sparse = await phase(runtime, sparseFns,
      () => sendAll(sqs, runtime.output(O.submissionsUrl), latencies.map((latencyMs, i) => ({ taskId: `task-${i}`, input: { latencyMs } }))),
      async () => (await runtime.sqs.depth(finished)).visible >= TASKS);
    const naive = await phase(runtime, [naiveFn],
      () => sendAll(sqs, runtime.output(O.naiveTasksUrl), latencies.map((latencyMs, i) => ({ taskId: `task-${i}`, latencyMs }))),
      async () => (await runtime.dynamodb.count(naiveResults)) >= TASKS);
    const outcomes = (await runtime.sqs.inspect(finished)).map((m) => (JSON.parse(m.body) as { status: string }).status);
    const succeeded = outcomes.filter((s) => s === 'SUCCEEDED').length;
    const statusPolls = naive.rows.filter((r) => r.principal === naiveFn && r.operation === 'GetItem').reduce((s, r) => s + r.requests, 0);
    const jobLatencyS = latencies.reduce((s, l) => s + l, 0) / 1000;
    const perTask = (side: Side) => fixed(requestTally(side.rows).total / TASKS);
    return [
      `bench sparse-task: tasks=${TASKS} worker-seconds-held=${fixed(sparse.billedMs / 1000)} naive=${fixed(naive.billedMs / 1000)} requests/task=${perTask(sparse)} naive=${perTask(naive)} (requests = invocations + SQS + DynamoDB + Scheduler, billing.ts)`,
      `  external job latency uniform ${LATENCY_MIN_MS}–${LATENCY_MAX_MS} ms (seeded), Σ=${fixed(jobLatencyS, 1)} s; naive polls every ${POLL_MS} ms; ${WORKERS} environments per function; sides run one after the other on one runtime`,
      `  sparse: finished=${outcomes.length} succeeded=${succeeded} invocations=${sparse.invocations} wall-s=${fixed(sparse.wallS, 1)} per task: ${describe(sparse)}`,
      `  naive:  finished=${await runtime.dynamodb.count(naiveResults)} invocations=${naive.invocations} wall-s=${fixed(naive.wallS, 1)} status-polls/task=${fixed(statusPolls / TASKS)} per task: ${describe(naive)}`,
      `  worker-seconds held = Σ billed duration of each side's functions (measured by the runtime): ${[...sparseFns, naiveFn].map((fn) => `${fn.replace(/^SparseTaskBench-/, '')}=${fixed(functionCost(runtime, [fn]).billedMs / 1000)}s`).join(' ')}; jobs taken by the external system=${external.jobsTaken()}`,
    ];
  } finally {
    await external.stop();
    sqs.destroy();
    await bench.stop();
  }
}
