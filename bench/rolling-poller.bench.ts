/**
 * `npm run bench -- rolling-poller`: the synthesized RollingPoller against a naive per-item
 * poller, both on the embedded local runtime in one run (bench/rolling-poller/stack.ts), on one
 * ManualClock the bench advances a minute (one tick of each) at a time.
 *
 * N jobs are watched by both at the same clock time; job i finishes at a seeded tick in
 * [1, BENCH_POLLER_MAX_TICKS_TO_DONE] (its `doneAt`), whoever asks. Status calls go to the same
 * status API (bench/rolling-poller/status-api.ts), which logs each call; the bench counts the
 * calls from the functions' logs.
 *
 * - rolling: the RollingPoller — one status call per window of `BENCH_POLLER_WINDOW` jobs, at
 *   most `maxCallsPerTick` calls a tick, completion events to its queue;
 * - naive: a Lambda on a one-minute rule that scans its watch table and calls the status API
 *   once per job per tick, sends completions in batches of 10 and deletes done jobs one by one.
 *   It keeps no record of a pending job's polls (the RollingPoller writes one per check), which
 *   flatters it in DynamoDB requests.
 *
 * Both watch tables are filled by the bench with BatchWriteItem (the RollingPoller's direct-write
 * path, `grantWatchTable`), counted for each side. Requests follow the one definition
 * (local-runtime/runtime/accounting/billing.ts: Lambda invocations + SQS requests + DynamoDB
 * requests), counted by the gateway per caller: the filling writes by phase, each tick's by the
 * side's function. Completion latency = completedAt − doneAt of each job, in clock seconds,
 * from the completion messages. The run ends when both sides have completed every job; if
 * either has not after max-ticks-to-done + 5 ticks, the bench fails with an error (no cap that
 * silently cuts the run). Everything printed is measured.
 *
 * Sizes: BENCH_POLLER_ITEMS (default 300), BENCH_POLLER_WINDOW (50), BENCH_POLLER_MAX_CALLS (10),
 * BENCH_POLLER_MAX_TICKS_TO_DONE (10).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { newWatchItem } from '../functions/lib/aws/watch-store';
import type { LocalRuntime, RequestCountRow } from '../local-runtime/runtime';
import { ManualClock } from '../local-runtime/scheduling';
import { bootBench, envInt, fixed, requestTally, rowsBetween, seeded } from './runtime-bench';
import { STATUS_CALL_LINE } from './rolling-poller/status-api';
import { PollerBenchOutput as O, rollingPollerBenchStack } from './rolling-poller/stack';

const ITEMS = envInt('BENCH_POLLER_ITEMS', 300);
const WINDOW = envInt('BENCH_POLLER_WINDOW', 50);
const MAX_CALLS = envInt('BENCH_POLLER_MAX_CALLS', 10);
const MAX_TICKS_TO_DONE = envInt('BENCH_POLLER_MAX_TICKS_TO_DONE', 10);
const TICK_MS = 60_000;
const TICK_LIMIT = MAX_TICKS_TO_DONE + 5;

/** Writes `items` with BatchWriteItem, 25 at a time, retrying unprocessed ones. */
async function fill(dynamo: DynamoDBDocumentClient, table: string, items: readonly Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < items.length; i += 25) {
    let requests = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; requests.length > 0; attempt++) {
      if (attempt > 10) throw new Error('bench: BatchWriteItem kept leaving items unprocessed');
      const { UnprocessedItems } = await dynamo.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
      requests = (UnprocessedItems?.[table] ?? []) as typeof requests;
    }
  }
}

interface Completion {
  readonly id: string;
  readonly data: { doneAt: number };
  readonly completedAt: number;
}

async function completions(runtime: LocalRuntime, output: string): Promise<Completion[]> {
  return (await runtime.sqs.inspect(runtime.queue(output).name)).map((m) => JSON.parse(m.body) as Completion);
}

function latency(done: readonly Completion[]): string {
  const seconds = done.map((c) => (c.completedAt - c.data.doneAt) / 1000);
  return `mean=${fixed(seconds.reduce((s, x) => s + x, 0) / Math.max(1, seconds.length), 1)}s max=${fixed(Math.max(0, ...seconds), 1)}s`;
}

/** Runs the benchmark and returns its lines. */
export async function run(): Promise<string[]> {
  const clock = new ManualClock();
  const calls = new Map<string, { calls: number; items: number }>();
  const onLog = (fn: string, line: string) => {
    const match = STATUS_CALL_LINE.exec(line.trim());
    if (!match) return;
    const c = calls.get(fn) ?? { calls: 0, items: 0 };
    c.calls++;
    c.items += Number(match[1]);
    calls.set(fn, c);
  };
  const bench = await bootBench((app) => rollingPollerBenchStack(app, WINDOW, MAX_CALLS), { clock, onLog, maxWorkersPerFunction: 2 });
  const { runtime } = bench;
  const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient(runtime.clientConfig()));
  try {
    const ours = runtime.output(O.pollerFunction);
    const naive = runtime.output(O.naiveFunction);
    const next = seeded(7);
    const t0 = clock.now();
    const jobs = Array.from({ length: ITEMS }, (_, i) => ({ id: `job-${i}`, data: { doneAt: t0 + (1 + Math.floor(next() * MAX_TICKS_TO_DONE)) * TICK_MS - 1000 } }));
    const s0 = runtime.counter.rowsSnapshot();
    await fill(dynamo, runtime.output(O.watchTable), jobs.map((j) => newWatchItem(j.id, j.data, t0)));
    const s1 = runtime.counter.rowsSnapshot();
    await fill(dynamo, runtime.output(O.naiveWatchTable), jobs.map((j) => ({ ...j, addedAt: t0 })));
    const s2 = runtime.counter.rowsSnapshot();
    let ticks = 0;
    let rollingDoneAt: number | undefined;
    let naiveDoneAt: number | undefined;
    while (rollingDoneAt === undefined || naiveDoneAt === undefined) {
      if (ticks >= TICK_LIMIT) {
        throw new Error(`bench rolling-poller: not done after ${ticks} ticks: rolling ${(await completions(runtime, O.completionsUrl)).length}/${ITEMS}, naive ${(await completions(runtime, O.naiveCompletionsUrl)).length}/${ITEMS}`);
      }
      await runtime.advanceClock(TICK_MS);
      ticks++;
      if (rollingDoneAt === undefined && (await runtime.sqs.depth(runtime.queue(O.completionsUrl).name)).visible >= ITEMS) rollingDoneAt = ticks;
      if (naiveDoneAt === undefined && (await runtime.sqs.depth(runtime.queue(O.naiveCompletionsUrl).name)).visible >= ITEMS) naiveDoneAt = ticks;
    }
    const tickRows = rowsBetween(s2, runtime.counter.rowsSnapshot());
    const side = (fill: RequestCountRow[], fn: string) => requestTally([...fill, ...tickRows.filter((r) => r.principal === fn)]);
    const rolling = side(rowsBetween(s0, s1), ours);
    const baseline = side(rowsBetween(s1, s2), naive);
    const other = tickRows.filter((r) => r.principal !== ours && r.principal !== naive);
    const rc = calls.get(ours) ?? { calls: 0, items: 0 };
    const nc = calls.get(naive) ?? { calls: 0, items: 0 };
    const split = (t: ReturnType<typeof requestTally>) => Object.entries(t.byService).map(([s, n]) => `${s}=${fixed(n / ITEMS, 3)}`).join(' ');
    return [
      `bench rolling-poller: items=${ITEMS} status-calls=${rc.calls} naive=${nc.calls} status-calls/item=${fixed(rc.calls / ITEMS, 3)} naive=${fixed(nc.calls / ITEMS, 3)} requests/item=${fixed(rolling.total / ITEMS, 3)} naive=${fixed(baseline.total / ITEMS, 3)} (invocations + SQS + DynamoDB, billing.ts)`,
      `  ticks=${ticks} (one a minute, both sides; the run ends when both completed all ${ITEMS} jobs: rolling at tick ${rollingDoneAt}, naive at tick ${naiveDoneAt}; more than ${TICK_LIMIT} ticks fails the bench) jobs done at a seeded tick in 1–${MAX_TICKS_TO_DONE}`,
      `  rolling: window=${WINDOW} max-calls/tick=${MAX_CALLS} items-checked=${rc.items} completion-latency ${latency(await completions(runtime, O.completionsUrl))} per item: ${split(rolling)}`,
      `  naive:   items-checked=${nc.items} completion-latency ${latency(await completions(runtime, O.naiveCompletionsUrl))} per item: ${split(baseline)}`,
      ...(other.length > 0 ? [`  requests of neither side during the ticks: ${other.map((r) => `${r.principal}:${r.service}:${r.operation}=${r.requests}`).join(' ')}`] : []),
    ];
  } finally {
    dynamo.destroy();
    await bench.stop();
  }
}
