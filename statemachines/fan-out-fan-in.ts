/**
 * The fan-out / fan-in state machine: Init → (Route) → a Map over the items (inline, or
 * distributed with Express children) whose every item ends in the results table → Join (the
 * user's `combine`, the summary report) → optional Finalize (a step gated on the join).
 *
 *   Init ─► Route ─┬─► FanOutInline ──────┐
 *                  └─► FanOutDistributed ─┴─(threshold exceeded: Catch)─► Join ─► Finalize ─► Done
 *
 * Item results never travel through the state payload: the worker writes each outcome to the
 * results table and returns a few bytes; the join reads the table.
 */
import { ConfigError } from '../functions/lib/errors';
import type { AslDefinition, AslMap, AslRetrier, AslState, AslTask } from './asl';

/** Where the items come from when they are too many for the execution input. */
export type ItemSource = 'json-lines' | 'json' | 'csv' | 'prefix';

/** What the run does, independent of where it is deployed. */
export interface FanOutFanInOptions {
  /** `inline`, `distributed`, or `auto` (inline up to {@link inlineMaxItems}, or when no source is given). */
  readonly mode: 'inline' | 'distributed' | 'auto';
  /** Largest `items` list `auto` runs inline. */
  readonly inlineMaxItems: number;
  /** Items read from S3 by a Distributed Map (`$.source.bucket` + `key` or `prefix`). @default - items come from `$.items` */
  readonly itemSource?: ItemSource;
  /** Items per child with a Distributed Map (1 = no ItemBatcher). */
  readonly batchMaxItems: number;
  /** Largest batch input in bytes. @default - no byte cap */
  readonly batchMaxBytes?: number;
  /** Items (inline) or children (distributed) in flight at once. */
  readonly maxConcurrency: number;
  /** Seconds one worker call (one item, or one batch) may take. */
  readonly itemTimeoutSeconds: number;
  /** Retries of a failed worker call, with exponential backoff and full jitter. */
  readonly retry: { readonly maxAttempts: number; readonly intervalSeconds: number; readonly backoffRate: number; readonly maxDelaySeconds: number };
  /** Failed items a Distributed Map tolerates before failing fast. @default 0 */
  readonly toleratedFailureCount?: number;
  /** Failed items a Distributed Map tolerates, in percent, before failing fast. @default 0 */
  readonly toleratedFailurePercentage?: number;
}

/** The ARNs the machine needs: real ones from the infra, fake ones in tests. */
export interface FanOutFanInArns {
  /** The worker function (one item or one batch per call). */
  readonly workerArn: string;
  /** The join function (reads the results, calls `combine`, writes the report). */
  readonly joinArn: string;
  /** A function run only after a successful join. @default - none */
  readonly finalizerArn?: string;
  /** Partition of the service integration ARNs. @default "aws" */
  readonly partition?: string;
}

/** State names, stable for tests, histories and DescribeMapRun labels. */
export const FanOutStates = {
  init: 'Init',
  route: 'Route',
  count: 'CountItems',
  inline: 'FanOutInline',
  distributed: 'FanOutDistributed',
  /** The inline Map's worker call (one item). */
  work: 'WorkItem',
  recordFailure: 'RecordItemFailure',
  itemDone: 'ItemSettled',
  /** The Distributed Map child's worker call (one item or batch); names are unique across the machine, as AWS requires. */
  workChild: 'WorkChild',
  recordChildFailure: 'RecordChildFailure',
  childFailed: 'ChildFailed',
  join: 'Join',
  finalize: 'Finalize',
  done: 'Done',
} as const;

/** The error a worker throws for an item that must not be retried. */
export const PERMANENT_ITEM_ERROR = 'PermanentItemError';

/** The Lambda invoke integration's own retry rule: transient service errors only. */
const LAMBDA_SERVICE_RETRY: AslRetrier = {
  ErrorEquals: ['Lambda.ClientExecutionTimeoutException', 'Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException'],
  IntervalSeconds: 2,
  MaxAttempts: 6,
  BackoffRate: 2,
};

/**
 * A crashed or timed-out environment (init included) of the join, the finalizer or the failure
 * recorder: each is idempotent, so a crash must not fail a run whose items all settled.
 */
const LAMBDA_CRASH_RETRY: AslRetrier = {
  ErrorEquals: ['Lambda.Unknown', 'Runtime.ExitError'],
  IntervalSeconds: 2,
  MaxAttempts: 3,
  BackoffRate: 2,
};

const S3_READERS: Record<ItemSource, Pick<AslMap, 'ItemReader'>['ItemReader']> = {
  'json-lines': { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'JSONL' }, Parameters: { 'Bucket.$': '$.input.source.bucket', 'Key.$': '$.input.source.key' } },
  json: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'JSON' }, Parameters: { 'Bucket.$': '$.input.source.bucket', 'Key.$': '$.input.source.key' } },
  csv: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' }, Parameters: { 'Bucket.$': '$.input.source.bucket', 'Key.$': '$.input.source.key' } },
  prefix: { Resource: 'arn:aws:states:::s3:listObjectsV2', Parameters: { 'Bucket.$': '$.input.source.bucket', 'Prefix.$': '$.input.source.prefix' } },
};

function lambda(partition: string, functionArn: string, payload: Record<string, unknown>): Pick<AslTask, 'Type' | 'Resource' | 'Parameters'> {
  return { Type: 'Task', Resource: `arn:${partition}:states:::lambda:invoke`, Parameters: { FunctionName: functionArn, Payload: payload } };
}

/**
 * The item processor: Work (Retry with jitter; Catch → RecordFailure). A failure is written
 * to the results table by the worker itself, then ends the child as failed (distributed, so
 * the Map Run counts it) or as settled (inline, where siblings must keep running).
 */
function itemProcessor(options: FanOutFanInOptions, arns: FanOutFanInArns, distributed: boolean): AslMap['ItemProcessor'] {
  const S = FanOutStates;
  const names = distributed ? { work: S.workChild, record: S.recordChildFailure, end: S.childFailed } : { work: S.work, record: S.recordFailure, end: S.itemDone };
  const partition = arns.partition ?? 'aws';
  const { retry } = options;
  const work: AslTask = {
    ...lambda(partition, arns.workerArn, { 'work.$': '$' }),
    TimeoutSeconds: options.itemTimeoutSeconds,
    // The worker answers a few bytes (`{ recorded }`): results are in the table, not the payload.
    OutputPath: '$.Payload',
    Retry: [
      { ErrorEquals: [PERMANENT_ITEM_ERROR], MaxAttempts: 0 },
      { ErrorEquals: ['States.ALL'], MaxAttempts: retry.maxAttempts, IntervalSeconds: retry.intervalSeconds, BackoffRate: retry.backoffRate, MaxDelaySeconds: retry.maxDelaySeconds, JitterStrategy: 'FULL' },
    ],
    Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: names.record }],
    End: true,
  };
  const recordFailure: AslTask = {
    ...lambda(partition, arns.workerArn, { 'failed.$': '$' }),
    Retry: [LAMBDA_SERVICE_RETRY, LAMBDA_CRASH_RETRY],
    ResultPath: null,
    Next: names.end,
  };
  const end: AslState = distributed ? { Type: 'Fail', ErrorPath: '$.failure.Error', CausePath: '$.failure.Cause' } : { Type: 'Succeed' };
  return {
    ProcessorConfig: distributed ? { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' } : { Mode: 'INLINE' },
    StartAt: names.work,
    States: { [names.work]: work, [names.record]: recordFailure, [names.end]: end },
  };
}

const ENTRY = { 'index.$': '$$.Map.Item.Index', 'item.$': '$$.Map.Item.Value' };

function inlineMap(options: FanOutFanInOptions, arns: FanOutFanInArns): AslMap {
  return {
    Type: 'Map',
    ItemsPath: '$.input.items',
    ItemSelector: { 'runId.$': '$.runId', entry: ENTRY },
    MaxConcurrency: options.maxConcurrency,
    ItemProcessor: itemProcessor(options, arns, false),
    ResultPath: null,
    Next: FanOutStates.join,
  };
}

function distributedMap(options: FanOutFanInOptions, arns: FanOutFanInArns): AslMap {
  const batched = options.batchMaxItems > 1 || options.batchMaxBytes !== undefined;
  return {
    Type: 'Map',
    ...(options.itemSource ? { ItemReader: S3_READERS[options.itemSource] } : { ItemsPath: '$.input.items' }),
    ItemSelector: batched ? ENTRY : { 'runId.$': '$.runId', entry: ENTRY },
    ...(batched
      ? { ItemBatcher: { MaxItemsPerBatch: options.batchMaxItems, ...(options.batchMaxBytes ? { MaxInputBytesPerBatch: options.batchMaxBytes } : {}), BatchInput: { 'runId.$': '$.runId' } } }
      : {}),
    MaxConcurrency: options.maxConcurrency,
    // Only the thresholds given: AWS fails the run when any one given is exceeded (none given: no failure tolerated).
    ...(options.toleratedFailureCount !== undefined ? { ToleratedFailureCount: options.toleratedFailureCount } : {}),
    ...(options.toleratedFailurePercentage !== undefined ? { ToleratedFailurePercentage: options.toleratedFailurePercentage } : {}),
    ItemProcessor: itemProcessor(options, arns, true),
    // Children answer `{ recorded }` only; the results are in the table.
    ResultPath: null,
    // Past the threshold the Map fails fast; the join still reports what was done and why it stopped.
    Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.mapError', Next: FanOutStates.join }],
    Next: FanOutStates.join,
  };
}

function routeStates(options: FanOutFanInOptions): { start: string; states: Record<string, AslState> } {
  const S = FanOutStates;
  if (options.mode === 'inline') return { start: S.inline, states: {} };
  if (options.mode === 'distributed') return { start: S.distributed, states: {} };
  if (options.itemSource) {
    return { start: S.route, states: { [S.route]: { Type: 'Choice', Choices: [{ Variable: '$.input.source', IsPresent: true, Next: S.distributed }], Default: S.inline } } };
  }
  return {
    start: S.count,
    states: {
      [S.count]: { Type: 'Pass', Parameters: { 'runId.$': '$.runId', 'startedAt.$': '$.startedAt', 'input.$': '$.input', mapError: null, 'itemCount.$': 'States.ArrayLength($.input.items)' }, Next: S.route },
      [S.route]: { Type: 'Choice', Choices: [{ Variable: '$.itemCount', NumericLessThanEquals: options.inlineMaxItems, Next: S.inline }], Default: S.distributed },
    },
  };
}

/**
 * Builds the machine. The execution input is `{ runId?, items? , source? }`: `items` a list,
 * or `source: { bucket, key | prefix }` with an `itemSource`. The output is the join's
 * summary (counts, percentiles, where the report and the combined result are).
 *
 * @throws ConfigError naming every bad option at once
 */
export function fanOutFanInDefinition(options: FanOutFanInOptions, arns: FanOutFanInArns): AslDefinition {
  validate(options);
  const S = FanOutStates;
  const partition = arns.partition ?? 'aws';
  const route = routeStates(options);
  const maps: Record<string, AslState> = {};
  if (options.mode !== 'distributed') maps[S.inline] = inlineMap(options, arns);
  if (options.mode !== 'inline') maps[S.distributed] = distributedMap(options, arns);
  const join: AslTask = {
    ...lambda(partition, arns.joinArn, { 'runId.$': '$.runId', 'startedAt.$': '$.startedAt', 'mapError.$': '$.mapError' }),
    Retry: [LAMBDA_SERVICE_RETRY, LAMBDA_CRASH_RETRY],
    ResultSelector: { 'summary.$': '$.Payload' },
    ResultPath: '$.join',
    OutputPath: '$.join.summary',
    Next: arns.finalizerArn ? S.finalize : S.done,
  };
  const finalize: Record<string, AslState> = arns.finalizerArn
    ? { [S.finalize]: { ...lambda(partition, arns.finalizerArn, { 'summary.$': '$' }), Retry: [LAMBDA_SERVICE_RETRY, LAMBDA_CRASH_RETRY], ResultPath: null, Next: S.done } }
    : {};
  return {
    StartAt: S.init,
    States: {
      [S.init]: { Type: 'Pass', Parameters: { 'runId.$': '$$.Execution.Name', 'startedAt.$': '$$.Execution.StartTime', 'input.$': '$', mapError: null }, Next: route.start },
      ...route.states,
      ...maps,
      [S.join]: join,
      ...finalize,
      [S.done]: { Type: 'Succeed' },
    },
  };
}

function validate(o: FanOutFanInOptions): void {
  const v: string[] = [];
  const int = (name: string, value: number | undefined, min: number, max: number) => {
    if (value !== undefined && (!Number.isInteger(value) || value < min || value > max)) v.push(`${name} must be an integer between ${min} and ${max}, received ${value}`);
  };
  int('maxConcurrency', o.maxConcurrency, 0, o.mode === 'inline' ? 40 : 10_000);
  int('inlineMaxItems', o.inlineMaxItems, 1, 10_000);
  int('batchMaxItems', o.batchMaxItems, 1, 100_000_000);
  int('batchMaxBytes', o.batchMaxBytes, 1, 262_144);
  int('itemTimeoutSeconds', o.itemTimeoutSeconds, 1, 300);
  int('retry.maxAttempts', o.retry.maxAttempts, 0, 99_999_999);
  int('retry.intervalSeconds', o.retry.intervalSeconds, 1, 99_999_999);
  int('retry.maxDelaySeconds', o.retry.maxDelaySeconds, 1, 31_622_400);
  int('toleratedFailureCount', o.toleratedFailureCount, 0, 100_000_000);
  if (o.toleratedFailurePercentage !== undefined && !(o.toleratedFailurePercentage >= 0 && o.toleratedFailurePercentage <= 100)) {
    v.push(`toleratedFailurePercentage must be between 0 and 100, received ${o.toleratedFailurePercentage}`);
  }
  if (!(o.retry.backoffRate >= 1)) v.push(`retry.backoffRate must be at least 1, received ${o.retry.backoffRate}`);
  if (o.mode === 'inline' && o.itemSource) v.push(`itemSource needs a Distributed Map, received mode inline with itemSource ${o.itemSource}`);
  if (v.length > 0) throw new ConfigError(v);
}
