import { Duration } from 'aws-cdk-lib';
import type { RequestAggregatorProps } from '../request-aggregator';
import type { IConstruct } from 'constructs';
import { LambdaLimits, SqsLimits } from './limits';
import { PropsValidator } from './validation';

/** The props the rules read: type-only, partial because JavaScript callers may omit anything. */
type Input = Partial<RequestAggregatorProps>;

/** Defaults of the RequestAggregator props. */
export const REQUEST_AGGREGATOR_DEFAULTS = {
  /** Requests per aggregator invocation: one backend call of 100 (BatchGetItem's limit) per batch. */
  ingressBatchSize: 100,
  /** How long the poller gathers requests: long enough to fill batches under load, short for callers. */
  ingressMaxBatchingWindow: Duration.seconds(1),
  resultTtl: Duration.days(1),
} as const;

/** Shortest and longest answer TTL, in seconds. */
const MIN_TTL_SECONDS = 60;
const MAX_TTL_SECONDS = 366 * 86_400;

/**
 * Checks every RequestAggregator prop and throws one error listing all violations.
 *
 * @throws Error naming each offending prop, its allowed range and the value received
 */
export function validateRequestAggregatorProps(scope: IConstruct, props: Input): void {
  const v = new PropsValidator('RequestAggregator', scope);
  v.exactlyOne('entry', props.entry, 'handler', props.handler);
  // A brought function's settings are its own; only its environment variables are added.
  for (const [prop, value] of [['timeout', props.timeout], ['memorySize', props.memorySize], ['environment', props.environment]] as const) {
    v.exclusive('handler', props.handler, prop, value);
  }
  v.exclusive('ingress', props.ingress, 'ingressMaxReceiveCount', props.ingressMaxReceiveCount);
  v.require(props.ingressDeadLetterQueue === undefined || props.ingress !== undefined, 'ingressDeadLetterQueue',
    'is only for a brought ingress (a created one gets its own), received it without ingress');
  v.require(props.ingress?.fifo !== true, 'ingress', 'must be a standard queue: a FIFO ingress allows batches of 10 and no batching window, received a FIFO queue');
  v.integerInRange('ingressMaxReceiveCount', props.ingressMaxReceiveCount, SqsLimits.minMaxReceiveCount, SqsLimits.maxMaxReceiveCount);
  v.integerInRange('ingressBatchSize', props.ingressBatchSize, 1, LambdaLimits.maxSqsBatchSizeStandard);
  v.durationInRange('ingressMaxBatchingWindow', props.ingressMaxBatchingWindow, 0, LambdaLimits.maxSqsBatchingWindowSeconds);
  v.integerInRange('ingressMaxConcurrency', props.ingressMaxConcurrency, LambdaLimits.minSqsMaximumConcurrency, LambdaLimits.maxSqsMaximumConcurrency);
  largeBatchNeedsWindow(v, props);
  v.durationInRange('timeout', props.timeout, LambdaLimits.minTimeoutSeconds, LambdaLimits.maxTimeoutSeconds);
  v.integerInRange('memorySize', props.memorySize, LambdaLimits.minMemoryMb, LambdaLimits.maxMemoryMb);
  v.durationInRange('resultTtl', props.resultTtl, MIN_TTL_SECONDS, MAX_TTL_SECONDS);
  v.require(props.output?.fifo !== true, 'output', 'must be a standard queue (replies carry no message group), received a FIFO queue');
  v.throwIfInvalid();
}

/** Lambda refuses a batch size above 10 without a batching window of at least 1 second. */
function largeBatchNeedsWindow(v: PropsValidator, props: Input): void {
  const batch = props.ingressBatchSize ?? REQUEST_AGGREGATOR_DEFAULTS.ingressBatchSize;
  const window = props.ingressMaxBatchingWindow ?? REQUEST_AGGREGATOR_DEFAULTS.ingressMaxBatchingWindow;
  if (batch <= LambdaLimits.sqsBatchSizeWithoutWindow || window.isUnresolved()) return;
  v.require(window.toMilliseconds() >= LambdaLimits.minSqsBatchingWindowForLargeBatchSeconds * 1000, 'ingressMaxBatchingWindow',
    `must be at least 1 second when ingressBatchSize is above 10, received ${window.toHumanString()} with ingressBatchSize ${batch}`);
}
