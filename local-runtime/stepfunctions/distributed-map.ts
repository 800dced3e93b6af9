/**
 * Distributed Map, emulated to AWS's documented semantics (aws-local-stepfunctions would run
 * it inline). The Map state is rewritten into a Task served here: items come from `ItemsPath`
 * or an S3 `ItemReader`, go through `ItemSelector`, are grouped by `ItemBatcher`
 * (`{ Items, BatchInput }`), and each item or batch runs as a child execution of its own (the
 * item processor registered as a child state machine, with the parent's role), at most
 * `MaxConcurrency` at once. A failed, timed-out or aborted child counts every item it held as
 * failed; past `ToleratedFailureCount` or `ToleratedFailurePercentage` the Map Run aborts the
 * children still running and the state fails with `States.ExceedToleratedFailureThreshold`.
 * The output is the children's outputs in item order, or with a `ResultWriter` the manifest
 * location, as on AWS. The Map Run is visible to DescribeMapRun while it runs.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../scheduling/clock';
import { TaskFailure, TerminalTaskFailure } from './errors';
import type { ExecutionRecord } from './executions';
import { type ItemReaderSpec, readItems, type S3Access } from './item-reader';
import { type MapRunRecord, type MapRuns, pendingCounts } from './map-runs';
import { evaluateTemplate } from './payload-template';
import type { TaskCaller } from './task-handlers';
import { readPath } from '../scheduling/json-path';

/** What the Task that replaces a Distributed Map must do. */
export interface DistributedMapSpec {
  readonly stateName: string;
  /** The item processor as a definition of its own (the child state machine). */
  readonly processor: Record<string, unknown>;
  readonly itemsPath?: string;
  readonly itemReader?: ItemReaderSpec;
  readonly itemSelector?: Record<string, unknown>;
  readonly itemBatcher?: { readonly MaxItemsPerBatch?: number; readonly MaxInputBytesPerBatch?: number; readonly BatchInput?: Record<string, unknown> };
  readonly maxConcurrency: number;
  readonly toleratedFailureCount?: number;
  readonly toleratedFailurePercentage?: number;
  readonly resultWriter?: { readonly Resource: string; readonly Parameters?: Record<string, unknown> };
}

/** The Resource of the Task a Distributed Map becomes (never called: its local handler serves it). */
export const LOCAL_DISTRIBUTED_MAP_RESOURCE = 'arn:aws:states:::pp-local:distributed-map';

/** Fields of a Distributed Map the local runtime does not evaluate; a template using one gets a boot warning. */
export const UNSUPPORTED_MAP_FIELDS = ['MaxConcurrencyPath', 'ToleratedFailureCountPath', 'ToleratedFailurePercentagePath', 'Label', 'ItemBatcher.MaxItemsPerBatchPath', 'ItemBatcher.MaxInputBytesPerBatchPath'];

/** True for a Map state in DISTRIBUTED mode. */
export function isDistributedMap(state: Record<string, unknown>): boolean {
  const processor = state.ItemProcessor as { ProcessorConfig?: { Mode?: string } } | undefined;
  return state.Type === 'Map' && processor?.ProcessorConfig?.Mode === 'DISTRIBUTED';
}

/** Rewrites a Distributed Map into the local Task, keeping its paths, selector, Retry, Catch and transition. */
export function prepareDistributedMap(name: string, state: Record<string, unknown>): { task: Record<string, unknown>; spec: DistributedMapSpec } {
  const { ItemProcessor, ItemsPath, ItemReader, ItemSelector, Parameters, ItemBatcher, MaxConcurrency, ToleratedFailureCount, ToleratedFailurePercentage, ResultWriter, Type: _t, ...rest } = state;
  const { ProcessorConfig: _p, ...processor } = ItemProcessor as Record<string, unknown>;
  const spec: DistributedMapSpec = {
    stateName: name,
    processor,
    itemsPath: ItemsPath as string | undefined,
    itemReader: ItemReader as ItemReaderSpec | undefined,
    itemSelector: (ItemSelector ?? Parameters) as Record<string, unknown> | undefined,
    itemBatcher: ItemBatcher as DistributedMapSpec['itemBatcher'],
    maxConcurrency: typeof MaxConcurrency === 'number' && MaxConcurrency > 0 ? MaxConcurrency : 10_000,
    toleratedFailureCount: ToleratedFailureCount as number | undefined,
    toleratedFailurePercentage: ToleratedFailurePercentage as number | undefined,
    resultWriter: ResultWriter as DistributedMapSpec['resultWriter'],
  };
  return { task: { ...rest, Type: 'Task', Resource: LOCAL_DISTRIBUTED_MAP_RESOURCE }, spec };
}

/** What a Map Run needs from the Step Functions service. */
export interface MapRunDeps {
  readonly clock: Clock;
  readonly caller: TaskCaller;
  /** The parent execution's context object (`$$`). */
  readonly context: Record<string, unknown>;
  /** `arn:aws:states:<region>:<account>:mapRun:<machine>/<state>` without the run id. */
  readonly mapRunArnPrefix: string;
  readonly mapRuns: MapRuns;
  readonly s3?: S3Access;
  /** Starts a child execution of the item processor. */
  startChild(name: string, input: unknown): { readonly executionArn: string; readonly done: Promise<ExecutionRecord> };
  /** Stops a running child (ABORTED). */
  stopChild(executionArn: string): void;
}

type Batch = { readonly input: unknown; readonly size: number };

function batches(spec: DistributedMapSpec, selected: unknown[], input: unknown, context: unknown): Batch[] {
  const batcher = spec.itemBatcher;
  if (!batcher) return selected.map((item) => ({ input: item, size: 1 }));
  const batchInput = batcher.BatchInput ? evaluateTemplate(batcher.BatchInput, input, context) : undefined;
  const maxItems = batcher.MaxItemsPerBatch ?? Number.MAX_SAFE_INTEGER;
  const maxBytes = batcher.MaxInputBytesPerBatch ?? 262_144;
  const out: Batch[] = [];
  let items: unknown[] = [];
  let bytes = 0;
  const flush = () => {
    if (items.length > 0) out.push({ input: batchInput === undefined ? { Items: items } : { Items: items, BatchInput: batchInput }, size: items.length });
    items = [];
    bytes = 0;
  };
  for (const item of selected) {
    const size = Buffer.byteLength(JSON.stringify(item)) + 1;
    if (items.length >= maxItems || (items.length > 0 && bytes + size > maxBytes)) flush();
    items.push(item);
    bytes += size;
  }
  flush();
  return out;
}

function breach(spec: DistributedMapSpec, failed: number, total: number): boolean {
  const { toleratedFailureCount: count, toleratedFailurePercentage: pct } = spec;
  if (count === undefined && pct === undefined) return failed > 0;
  if (count !== undefined && failed > count) return true;
  return pct !== undefined && total > 0 && (failed / total) * 100 > pct;
}

/** Runs one Distributed Map state on `input` (after InputPath); resolves with the Map's raw result. */
export async function runDistributedMap(spec: DistributedMapSpec, input: unknown, deps: MapRunDeps): Promise<unknown> {
  const { context } = deps;
  const items = spec.itemReader ? await readItems(spec.itemReader, input, context, deps.s3, deps.caller) : readPath(input, spec.itemsPath ?? '$');
  if (!Array.isArray(items)) throw new TaskFailure('States.Runtime', `Map ${spec.stateName}: the items at ${spec.itemsPath ?? '$'} are not an array`);
  const selected = spec.itemSelector ? items.map((value, index) => evaluateTemplate(spec.itemSelector, input, { ...context, Map: { Item: { Index: index, Value: value } } })) : items;
  const work = batches(spec, selected, input, context);
  const runId = randomUUID();
  const run: MapRunRecord = {
    mapRunArn: `${deps.mapRunArnPrefix}:${runId}`, executionArn: deps.caller.executionArn, stateMachineArn: deps.caller.stateMachineArn, status: 'RUNNING', startDate: deps.clock.now(),
    maxConcurrency: spec.maxConcurrency, toleratedFailureCount: spec.toleratedFailureCount ?? 0, toleratedFailurePercentage: spec.toleratedFailurePercentage ?? 0,
    itemCounts: pendingCounts(items.length), executionCounts: pendingCounts(work.length),
  };
  deps.mapRuns.add(run);
  const outcomes = await runChildren(spec, work, run, deps, runId);
  run.stopDate = deps.clock.now();
  if (breach(spec, run.itemCounts.failed + run.itemCounts.timedOut + run.itemCounts.aborted, items.length)) {
    run.status = 'FAILED';
    throw new TaskFailure('States.ExceedToleratedFailureThreshold', `The specified tolerated failure threshold was exceeded (Map Run ${run.mapRunArn}: ${run.itemCounts.failed + run.itemCounts.timedOut} of ${items.length} items failed)`);
  }
  run.status = 'SUCCEEDED';
  if (spec.resultWriter) return writeResults(spec, run, outcomes, input, deps);
  return outcomes.map((o) => (o?.status === 'SUCCEEDED' ? JSON.parse(o.output ?? 'null') : { Error: o?.error, Cause: o?.cause }));
}

async function runChildren(spec: DistributedMapSpec, work: Batch[], run: MapRunRecord, deps: MapRunDeps, runId: string): Promise<(ExecutionRecord | undefined)[]> {
  const outcomes: (ExecutionRecord | undefined)[] = new Array(work.length);
  const running = new Set<string>();
  let next = 0;
  let stopped = false;
  const total = run.itemCounts.total;
  const settle = (batch: Batch, record: ExecutionRecord) => {
    const key = record.status === 'SUCCEEDED' ? 'succeeded' : record.status === 'TIMED_OUT' ? 'timedOut' : record.status === 'ABORTED' ? 'aborted' : 'failed';
    run.itemCounts.running -= batch.size;
    run.executionCounts.running -= 1;
    run.itemCounts[key] += batch.size;
    run.executionCounts[key] += 1;
    if (key !== 'succeeded' && breach(spec, run.itemCounts.failed + run.itemCounts.timedOut + run.itemCounts.aborted, total)) stopped = true;
  };
  const lane = async (): Promise<void> => {
    while (!stopped && next < work.length) {
      const index = next++;
      const batch = work[index]!;
      run.itemCounts.pending -= batch.size;
      run.itemCounts.running += batch.size;
      run.executionCounts.pending -= 1;
      run.executionCounts.running += 1;
      const child = deps.startChild(`${runId.slice(0, 8)}-${index}`, batch.input);
      running.add(child.executionArn);
      const record = await child.done;
      running.delete(child.executionArn);
      outcomes[index] = record;
      settle(batch, record);
      // Fail fast: once over the threshold, the children still running are aborted.
      if (stopped) for (const arn of running) deps.stopChild(arn);
    }
  };
  await Promise.all(Array.from({ length: Math.min(spec.maxConcurrency, work.length) }, lane));
  return outcomes;
}

async function writeResults(spec: DistributedMapSpec, run: MapRunRecord, outcomes: (ExecutionRecord | undefined)[], input: unknown, deps: MapRunDeps): Promise<unknown> {
  if (!deps.s3) throw new TerminalTaskFailure('States.Runtime', 'ResultWriter needs S3, which this local Step Functions service was not given');
  const params = evaluateTemplate(spec.resultWriter?.Parameters ?? {}, input, deps.context) as { Bucket?: string; Prefix?: string };
  const bucket = String(params.Bucket ?? '');
  const base = `${params.Prefix ? `${params.Prefix.replace(/\/$/, '')}/` : ''}${run.mapRunArn.split(':').pop()}`;
  const entry = (r: ExecutionRecord) => ({ ExecutionArn: r.executionArn, Input: r.input, InputDetails: { Included: true }, Name: r.name, Output: r.output, OutputDetails: { Included: r.output !== undefined }, StartDate: new Date(r.startDate).toISOString(), StopDate: r.stopDate === undefined ? undefined : new Date(r.stopDate).toISOString(), Status: r.status, Error: r.error, Cause: r.cause });
  const done = outcomes.filter((o): o is ExecutionRecord => o !== undefined);
  const files = [
    { key: `${base}/SUCCEEDED_0.json`, status: 'SUCCEEDED', rows: done.filter((r) => r.status === 'SUCCEEDED') },
    { key: `${base}/FAILED_0.json`, status: 'FAILED', rows: done.filter((r) => r.status !== 'SUCCEEDED') },
  ].filter((f) => f.rows.length > 0);
  for (const f of files) await deps.s3.putObject(bucket, f.key, JSON.stringify(f.rows.map(entry)), deps.caller);
  const manifest = { DestinationBucket: bucket, MapRunArn: run.mapRunArn, ResultFiles: Object.fromEntries(files.map((f) => [f.status, [{ Key: f.key, Size: f.rows.length }]])) };
  await deps.s3.putObject(bucket, `${base}/manifest.json`, JSON.stringify(manifest), deps.caller);
  run.itemCounts.resultsWritten = run.itemCounts.total;
  return { MapRunArn: run.mapRunArn, ResultWriterDetails: { Bucket: bucket, Key: `${base}/manifest.json` } };
}
