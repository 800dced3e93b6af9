import { Duration } from 'aws-cdk-lib';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { WorkQueueProps } from '../work-queue';
import { HANDLER_DEFAULTS } from './handler-function';
import { LambdaLimits, SqsLimits } from './limits';
import { assessStability } from './stability';
import { PropsValidator } from './validation';
import type { IConstruct } from 'constructs';

/**
 * The props the rules read: a type-only import, so this file and the construct do not import
 * each other at run time.
 */
type WorkQueueRuleInput = WorkQueueProps;

/** Defaults of the WorkQueue props that the rules and the construct both need. */
export const WORK_QUEUE_DEFAULTS = {
  batchSize: 10,
  /** The runtime's own default (`DEFAULT_ITEM_CONCURRENCY`), so both layers agree. */
  itemConcurrency: 10,
  /** The largest itemConcurrency the runtime accepts. */
  maxItemConcurrency: 1_000,
} as const;

/** Whether the work queue is FIFO: the `fifo` prop, else the brought ingress's kind. */
function isFifo(props: WorkQueueRuleInput): boolean {
  return props.fifo ?? props.ingress?.fifo ?? false;
}

/**
 * The worker's timeout: the `timeout` prop, else a brought `Function`'s own timeout, else the
 * Lambda default we build with. An imported function's timeout is unknown at synth time.
 */
export function workerTimeout(props: WorkQueueRuleInput): Duration {
  const own = props.handler instanceof LambdaFunction ? props.handler.timeout : undefined;
  return props.timeout ?? own ?? HANDLER_DEFAULTS.timeout;
}

/**
 * The visibility timeout AWS advises for a Lambda-consumed queue: six times the function
 * timeout, plus the batching window (a message is already invisible while its batch fills).
 * Returns `undefined` when a duration is a token, leaving the SQS default.
 */
export function derivedVisibilityTimeout(props: WorkQueueRuleInput): Duration | undefined {
  const timeout = workerTimeout(props);
  const window = props.maxBatchingWindow ?? Duration.seconds(0);
  if (timeout.isUnresolved() || window.isUnresolved()) return undefined;
  const ratio = LambdaLimits.visibilityTimeoutToFunctionTimeoutRatio;
  return Duration.seconds(ratio * timeout.toSeconds() + window.toSeconds());
}

/**
 * Checks every WorkQueue prop against the AWS service limits and throws one error
 * listing all violations.
 *
 * @throws Error naming each offending prop, its allowed range and the value received
 */
export function validateWorkQueueProps(scope: IConstruct, props: WorkQueueRuleInput): void {
  const v = new PropsValidator('WorkQueue', scope);
  validateSources(v, props);
  validateWorker(v, props);
  validateMapping(v, props);
  validateStabilityInputs(v, props);
  v.throwIfInvalid();
}

function validateSources(v: PropsValidator, p: WorkQueueRuleInput): void {
  v.exclusive('ingress', p.ingress, 'maxReceiveCount', p.maxReceiveCount);
  v.exclusive('ingress', p.ingress, 'fifo', p.fifo);
  v.exclusive('ingress', p.ingress, 'contentBasedDeduplication', p.contentBasedDeduplication);
  v.exclusive('ingress', p.ingress, 'visibilityTimeout', p.visibilityTimeout);
  v.exclusive('ingress', p.ingress, 'retentionPeriod', p.retentionPeriod);
  v.require(p.ingressDeadLetterQueue === undefined || p.ingress !== undefined, 'ingressDeadLetterQueue',
    'is only allowed together with ingress (a created queue gets its own dead-letter queue), received it without ingress');
  v.require(!p.contentBasedDeduplication || isFifo(p), 'contentBasedDeduplication',
    'requires fifo: true (standard queues do not deduplicate), received true for a standard queue');
  v.integerInRange('maxReceiveCount', p.maxReceiveCount, SqsLimits.minMaxReceiveCount, SqsLimits.maxMaxReceiveCount);
  v.durationInRange('retentionPeriod', p.retentionPeriod, 60, SqsLimits.maxRetentionSeconds);
  v.durationInRange('visibilityTimeout', p.visibilityTimeout, 0, SqsLimits.maxVisibilityTimeoutSeconds);
  const timeout = workerTimeout(p);
  if (p.visibilityTimeout && !p.visibilityTimeout.isUnresolved() && !timeout.isUnresolved()) {
    const min = LambdaLimits.visibilityTimeoutToFunctionTimeoutRatio * timeout.toSeconds();
    v.require(p.visibilityTimeout.toSeconds() >= min, 'visibilityTimeout',
      `must be at least 6 × the function timeout (${min} seconds, up to 12 hours), ` +
        `received ${p.visibilityTimeout.toHumanString()}`);
  }
}

function validateWorker(v: PropsValidator, p: WorkQueueRuleInput): void {
  v.exactlyOne('entry', p.entry, 'handler', p.handler);
  v.exclusive('handler', p.handler, 'memorySize', p.memorySize);
  v.exclusive('handler', p.handler, 'environment', p.environment);
  v.durationInRange('timeout', p.timeout, LambdaLimits.minTimeoutSeconds, LambdaLimits.maxTimeoutSeconds);
  v.integerInRange('memorySize', p.memorySize, LambdaLimits.minMemoryMb, LambdaLimits.maxMemoryMb);
  v.integerInRange('itemConcurrency', p.itemConcurrency, 1, WORK_QUEUE_DEFAULTS.maxItemConcurrency);
}

function validateMapping(v: PropsValidator, p: WorkQueueRuleInput): void {
  const fifo = isFifo(p);
  const maxBatch = fifo ? LambdaLimits.maxSqsBatchSizeFifo : LambdaLimits.maxSqsBatchSizeStandard;
  v.integerInRange(fifo ? 'batchSize (FIFO queue)' : 'batchSize', p.batchSize, 1, maxBatch);
  v.durationInRange('maxBatchingWindow', p.maxBatchingWindow, 0, LambdaLimits.maxSqsBatchingWindowSeconds);
  v.require(!fifo || p.maxBatchingWindow === undefined, 'maxBatchingWindow',
    `is not supported on FIFO queues, received ${p.maxBatchingWindow?.toHumanString()}`);
  const batchSize = p.batchSize ?? WORK_QUEUE_DEFAULTS.batchSize;
  const windowMs = p.maxBatchingWindow?.isUnresolved() ? Infinity : (p.maxBatchingWindow?.toMilliseconds() ?? 0);
  v.require(fifo || batchSize <= LambdaLimits.sqsBatchSizeWithoutWindow || windowMs >= 1000, 'maxBatchingWindow',
    `must be at least 1 second (up to 300 seconds) when batchSize is greater than 10, ` +
      `received ${p.maxBatchingWindow?.toHumanString() ?? 'none'} with batchSize ${batchSize}`);
  v.integerInRange('maxConcurrency', p.maxConcurrency, LambdaLimits.minSqsMaximumConcurrency, LambdaLimits.maxSqsMaximumConcurrency);
}

function validateStabilityInputs(v: PropsValidator, p: WorkQueueRuleInput): void {
  v.require((p.expectedArrivalRate === undefined) === (p.itemProcessingTime === undefined), 'expectedArrivalRate',
    'and itemProcessingTime must be given together (the stability check needs both), ' +
      `received ${p.expectedArrivalRate === undefined ? 'only itemProcessingTime' : 'only expectedArrivalRate'}`);
  const rate = p.expectedArrivalRate;
  v.require(rate === undefined || (Number.isFinite(rate) && rate > 0), 'expectedArrivalRate',
    `must be a number of items per second greater than 0, received ${rate}`);
  const time = p.itemProcessingTime;
  v.require(time === undefined || time.isUnresolved() || time.toMilliseconds() > 0, 'itemProcessingTime',
    `must be greater than 0 seconds, received ${time?.toHumanString()}`);
}

/**
 * The stability warning, or `undefined` when the declared load is sustainable (or
 * not declared). Parallelism is `maxConcurrency` (or the 1,000 default account concurrency)
 * times `itemConcurrency`.
 */
export function stabilityWarning(p: WorkQueueRuleInput): string | undefined {
  if (p.expectedArrivalRate === undefined || p.itemProcessingTime === undefined) return undefined;
  if (p.itemProcessingTime.isUnresolved()) return undefined;
  const itemConcurrency = p.itemConcurrency ?? WORK_QUEUE_DEFAULTS.itemConcurrency;
  const maxConcurrency = p.maxConcurrency ?? LambdaLimits.defaultAccountConcurrency;
  const a = assessStability({
    arrivalRate: p.expectedArrivalRate,
    processingSeconds: p.itemProcessingTime.toMilliseconds() / 1000,
    maxConcurrency,
    itemConcurrency,
  });
  if (a.stable) return undefined;
  const source = p.maxConcurrency === undefined ? 'the default account concurrency' : 'maxConcurrency';
  const fix = a.requiredMaxConcurrency <= LambdaLimits.maxSqsMaximumConcurrency
    ? `set maxConcurrency to at least ${a.requiredMaxConcurrency}`
    : `raise itemConcurrency (at most ${LambdaLimits.maxSqsMaximumConcurrency} concurrent invocations per mapping)`;
  return `WorkQueue cannot keep up: items arrive every ${round(a.interarrivalSeconds)} s ` +
    `(${p.expectedArrivalRate}/s) and take ${round(a.effectiveSecondsPerItem * a.parallelism)} s each, ` +
    `${round(a.effectiveSecondsPerItem)} s per item with parallelism ${a.parallelism} ` +
    `(${source} ${maxConcurrency} × itemConcurrency ${itemConcurrency}); stability needs itemProcessingTime ÷ parallelism ` +
    `< interarrival time, so the backlog grows without bound. To hold the load, ${fix}.`;
}

/**
 * A warning when a full batch cannot finish within the function timeout at the declared
 * per-item time: `ceil(batchSize ÷ itemConcurrency) × itemProcessingTime > timeout`. Such a
 * batch times out, and every item of it is retried, again and again, until the DLQ.
 */
export function batchTimeoutWarning(p: WorkQueueRuleInput): string | undefined {
  const time = p.itemProcessingTime;
  const timeout = workerTimeout(p);
  if (time === undefined || time.isUnresolved() || timeout.isUnresolved()) return undefined;
  const batchSize = p.batchSize ?? WORK_QUEUE_DEFAULTS.batchSize;
  const itemConcurrency = p.itemConcurrency ?? WORK_QUEUE_DEFAULTS.itemConcurrency;
  const rounds = Math.ceil(batchSize / itemConcurrency);
  const batchMs = rounds * time.toMilliseconds();
  if (batchMs <= timeout.toMilliseconds()) return undefined;
  return `WorkQueue worker may time out: a full batch of ${batchSize} at itemConcurrency ${itemConcurrency} ` +
    `takes ${rounds} × ${time.toHumanString()} = ${round(batchMs / 1000)} s, more than the ${timeout.toHumanString()} timeout. ` +
    `Raise timeout or itemConcurrency, or lower batchSize.`;
}

function round(n: number): string {
  return Number(n.toPrecision(3)).toString();
}
