/**
 * `npm run bench -- fan-out`: the FanOutFanIn state machine on the local Step Functions
 * service, 10,000 items, measured side by side in one run:
 *
 * - batched: a Distributed Map reading the items from an S3 JSON-lines object, 100 items per
 *   child execution (ItemBatcher), 50 children at once, 1 % of items failing once (retried);
 * - naive: one inline-Map iteration per item (no batching), the same worker core.
 *
 * `transitions/item` counts every state entered and every retry, in the parent and in every
 * child execution (as Step Functions bills Standard workflows). `floor` is computed from the
 * configuration: the parent's 4 states (Init, Map, Join, Done) plus one worker state per child,
 * over the items: (4 + ⌈N / batch⌉) / N. `lost` = items with no outcome in the results table.
 * `p95-item-ms` is the worker's per-item duration (from the report); `wall-s` the batched run's.
 *
 * Modeled `$ per million items` (Step Functions charges only; Lambda, S3 and DynamoDB apart),
 * us-east-1 public prices:
 *   Standard children: transitions/item × 10⁶ × $0.025 / 1,000
 *   Express children:  parent transitions/item × 10⁶ × $0.025 / 1,000
 *                      + children/item × 10⁶ × ($1.00 / 10⁶ + ⌈child ms / 100⌉ × 0.1 s × 0.0625 GB × $0.00001667)
 *   naive inline:      naive transitions/item × 10⁶ × $0.025 / 1,000
 * where child ms is the measured mean child execution time, billed in 100 ms steps at the 64 MB minimum.
 */
import { RealClock } from '../local-runtime/scheduling/clock';
import type { S3Access } from '../local-runtime/stepfunctions/item-reader';
import { LocalStateMachines } from '../local-runtime/stepfunctions/local-state-machines';
import { InMemoryReportSink, InMemoryResultStore } from '../functions/lib/fan-out-fan-in/in-memory';
import type { RunReport } from '../functions/lib/fan-out-fan-in/report';
import { runJoin } from '../functions/lib/fan-out-fan-in/join';
import { runWorkerEvent } from '../functions/lib/fan-out-fan-in/worker';
import { type FanOutFanInOptions, fanOutFanInDefinition } from '../statemachines/fan-out-fan-in';

const ITEMS = 10_000;
const BATCH = 100;
const PRICE = { standardPerTransition: 0.025 / 1000, expressPerRequest: 1 / 1e6, expressPerGbSecond: 0.00001667, expressMinGb: 0.0625 } as const;
const PARENT_STATES = 4;

interface Measured {
  readonly transitionsPerItem: number;
  readonly parentPerItem: number;
  readonly childrenPerItem: number;
  readonly meanChildMs: number;
  readonly lost: number;
  readonly report: RunReport;
  readonly wallS: number;
}

async function measure(options: FanOutFanInOptions, input: unknown, s3: S3Access): Promise<Measured> {
  const store = new InMemoryResultStore();
  const sink = new InMemoryReportSink();
  const clock = { now: () => Date.now() };
  const failedOnce = new Set<number>();
  const worker = {
    processItem: async (item: { i: number }) => {
      // A little real asynchronous work, and 1 % of the items fail their first attempt.
      await new Promise((r) => setTimeout(r, 1));
      if (item.i % 100 === 42 && !failedOnce.has(item.i)) {
        failedOnce.add(item.i);
        throw Object.assign(new Error('transient'), { name: 'UpstreamTimeout' });
      }
      return item.i * 2;
    },
    itemConcurrency: 10,
  };
  // Wall time: child executions are dated with it, for the Express duration model.
  const wall = new RealClock();
  const machines = new LocalStateMachines({
    clock: wall,
    s3,
    invokeLambda: async (arn, payload: any) => (arn.endsWith(':Join') ? runJoin({}, { store, sink, clock, policy: {} }, payload) : runWorkerEvent(worker, { store, clock }, payload)),
  });
  const arn = machines.register({ name: 'Bench', definition: fanOutFanInDefinition(options, { workerArn: 'arn:aws:lambda:us-east-1:123456789012:function:Worker', joinArn: 'arn:aws:lambda:us-east-1:123456789012:function:Join' }) });
  const started = Date.now();
  const { executionArn } = machines.startExecution({ stateMachineArn: arn, name: 'bench', input: JSON.stringify(input) });
  const done = await machines.waitForExecution(executionArn);
  const wallS = (Date.now() - started) / 1000;
  wall.dispose();
  if (done.status !== 'SUCCEEDED') throw new Error(`bench run ${done.status}: ${done.error} ${done.cause}`);
  const children = options.mode === 'distributed' ? machines.listExecutions({ stateMachineArn: `${arn}/FanOutDistributed`, maxResults: 1000 }).executions : [];
  const report = sink.objects.get('runs/bench/report.json') as RunReport;
  const parent = machines.transitions.of(executionArn);
  return {
    transitionsPerItem: machines.transitions.total() / ITEMS,
    parentPerItem: parent / ITEMS,
    childrenPerItem: children.length / ITEMS,
    meanChildMs: children.length === 0 ? 0 : children.reduce((s, c) => s + ((c.stopDate ?? c.startDate) - c.startDate), 0) / children.length,
    lost: ITEMS - (report.succeeded + report.failed + report.invalid),
    report,
    wallS,
  };
}

/** Runs the bench; returns its lines. */
export async function run(): Promise<string[]> {
  const items = Array.from({ length: ITEMS }, (_, i) => ({ i }));
  const objects = new Map([['bench/items.jsonl', items.map((x) => JSON.stringify(x)).join('\n')]]);
  const s3: S3Access = {
    getObject: async (bucket, key) => objects.get(`${bucket}/${key}`) ?? Promise.reject(Object.assign(new Error('no such key'), { name: 'NoSuchKey' })),
    listObjects: async () => [],
    putObject: async () => undefined,
  };
  const base = { inlineMaxItems: 40, batchMaxItems: 1, itemTimeoutSeconds: 60, retry: { maxAttempts: 2, intervalSeconds: 1, backoffRate: 2, maxDelaySeconds: 10 } };
  const batched = await measure({ ...base, mode: 'distributed', itemSource: 'json-lines', batchMaxItems: BATCH, maxConcurrency: 50 }, { source: { bucket: 'bench', key: 'items.jsonl' } }, s3);
  const naive = await measure({ ...base, mode: 'inline', maxConcurrency: 40 }, { items }, s3);
  const floor = (PARENT_STATES + Math.ceil(ITEMS / BATCH)) / ITEMS;
  const perMillion = (perItem: number) => perItem * 1e6;
  const standard = perMillion(batched.transitionsPerItem) * PRICE.standardPerTransition;
  const childSeconds = Math.ceil(Math.max(batched.meanChildMs, 1) / 100) * 0.1;
  const express = perMillion(batched.parentPerItem) * PRICE.standardPerTransition + perMillion(batched.childrenPerItem) * (PRICE.expressPerRequest + childSeconds * PRICE.expressMinGb * PRICE.expressPerGbSecond);
  const naiveCost = perMillion(naive.transitionsPerItem) * PRICE.standardPerTransition;
  const lost = batched.lost + naive.lost;
  return [
    `bench fan-out: items=${ITEMS} transitions/item=${batched.transitionsPerItem.toFixed(4)} floor=${floor.toFixed(4)} naive=${naive.transitionsPerItem.toFixed(4)} lost=${lost} p95-item-ms=${batched.report.durationMs.p95} wall-s=${batched.wallS.toFixed(1)}`,
    `bench fan-out: batched ${Math.round(batched.childrenPerItem * ITEMS)} children of ${BATCH}, ${batched.report.retried} items retried; naive inline wall-s=${naive.wallS.toFixed(1)} p95-item-ms=${naive.report.durationMs.p95}`,
    `bench fan-out (modeled, Step Functions charges only, us-east-1): $ per million items: standard-children=${standard.toFixed(2)} express-children=${express.toFixed(2)} (mean child ${batched.meanChildMs.toFixed(0)} ms) naive-inline=${naiveCost.toFixed(2)} — formulas in bench/fan-out.bench.ts`,
  ];
}
