import { Duration } from 'aws-cdk-lib';
import { SparseTaskEnv } from '../../functions/contract';
import { EventBridgeLimits, LambdaLimits, SqsLimits } from './limits';
import { ownVariablesUntouched, standardQueue, validateScheduledFunction, wholeSeconds } from './scheduled-rules';
import { PropsValidator } from './validation';
import type { SparseTaskProps } from '../sparse-task-props';
import type { IConstruct } from 'constructs';

/** Defaults of {@link SparseTaskProps}, in one place so docs and code agree. */
export const SPARSE_TASK_DEFAULTS = {
  taskTimeout: Duration.minutes(15),
  recordRetention: Duration.days(30),
  pendingIndexShards: 4,
  pendingGaugeInterval: Duration.minutes(1),
  schedulerRetryAttempts: 185,
  batchSize: 10,
} as const;

/** Bounds of the Sparse Task props, each one a documented limit or a choice explained here. */
const SPARSE_TASK_LIMITS = {
  /** EventBridge Scheduler's one-minute granularity: a shorter timeout could fire far past itself. */
  minTaskTimeoutSeconds: EventBridgeLimits.minScheduleIntervalSeconds,
  /** A forgotten task's schedule and record should not outlive a year. */
  maxTaskTimeoutSeconds: 365 * 86_400,
  /** The re-submission dedup window: at least an hour, at most ten years. */
  minRetentionSeconds: 3_600,
  maxRetentionSeconds: 10 * 365 * 86_400,
  /** A pending gauge more often than EventBridge allows, or rarer than hourly, is not a gauge. */
  minGaugeSeconds: EventBridgeLimits.minScheduleIntervalSeconds,
  maxGaugeSeconds: 3_600,
  /** EventBridge Scheduler's retry policy range. */
  maxSchedulerRetryAttempts: 185,
  /** Submissions and completions are single-item work: batches above 10 would need a batching window. */
  maxBatchSize: SqsLimits.maxBatchEntries,
  maxShards: 100,
} as const;

/** Checks every prop of SparseTask and throws once, listing every violation. */
export function validateSparseTaskProps(scope: IConstruct, props: SparseTaskProps): void {
  const v = new PropsValidator('SparseTask', scope);
  const L = SPARSE_TASK_LIMITS;
  v.exactlyOne('submitterEntry', props.submitterEntry, 'submitterHandler', props.submitterHandler);
  v.require(props.submitterEnvironment === undefined || props.submitterEntry !== undefined, 'submitterEnvironment',
    'is only for a submitter built from submitterEntry, received it with an existing submitter function');
  ownVariablesUntouched(v, 'submitterEnvironment', props.submitterEnvironment, SparseTaskEnv);
  validateScheduledFunction(v, 'submitter', props.submitterTimeout, props.submitterMemorySize);
  for (const prefix of ['submitter', 'completion'] as const) {
    v.integerInRange(`${prefix}BatchSize`, props[`${prefix}BatchSize`], 1, L.maxBatchSize);
    v.integerInRange(`${prefix}MaxConcurrency`, props[`${prefix}MaxConcurrency`], LambdaLimits.minSqsMaximumConcurrency, LambdaLimits.maxSqsMaximumConcurrency);
  }
  v.durationInRange('taskTimeout', props.taskTimeout, L.minTaskTimeoutSeconds, L.maxTaskTimeoutSeconds);
  // Schedules have second granularity, and the runtime reads the timeout as whole seconds.
  wholeSeconds(v, 'taskTimeout', props.taskTimeout);
  v.durationInRange('recordRetention', props.recordRetention, L.minRetentionSeconds, L.maxRetentionSeconds);
  v.integerInRange('pendingIndexShards', props.pendingIndexShards, 1, L.maxShards);
  v.integerInRange('schedulerRetryAttempts', props.schedulerRetryAttempts, 0, L.maxSchedulerRetryAttempts);
  validateGauge(v, props);
  v.exclusive('finishedQueue', props.finishedQueue, 'finishedBus', props.finishedBus);
  standardQueue(v, 'finishedQueue', props.finishedQueue);
  v.require(props.completionEventBus === undefined || props.completionEventPattern !== undefined, 'completionEventBus',
    'needs completionEventPattern (which events on the bus are completions), received a bus without a pattern');
  v.exclusive('completionQueue', props.completionQueue, 'completionMaxReceiveCount', props.completionMaxReceiveCount);
  v.require(props.completionDeadLetterQueue === undefined || props.completionQueue !== undefined, 'completionDeadLetterQueue',
    'is only for a brought completionQueue (a created one gets its own), received it without completionQueue');
  v.integerInRange('completionMaxReceiveCount', props.completionMaxReceiveCount, SqsLimits.minMaxReceiveCount, SqsLimits.maxMaxReceiveCount);
  v.throwIfInvalid();
}

function validateGauge(v: PropsValidator, props: SparseTaskProps): void {
  const L = SPARSE_TASK_LIMITS;
  v.require(!(props.pendingGauge === false && props.pendingGaugeInterval !== undefined), 'pendingGaugeInterval',
    'has no effect with pendingGauge: false, received both');
  v.durationInRange('pendingGaugeInterval', props.pendingGaugeInterval, L.minGaugeSeconds, L.maxGaugeSeconds);
  const interval = props.pendingGaugeInterval;
  v.require(interval === undefined || interval.isUnresolved() || interval.toMilliseconds() % 60_000 === 0, 'pendingGaugeInterval',
    `must be a whole number of minutes (EventBridge rate granularity), received ${interval?.toHumanString()}`);
}
