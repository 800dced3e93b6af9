import { Duration } from 'aws-cdk-lib';
import type { FanOutFanInProps } from '../fan-out-fan-in';
import { LambdaLimits, StepFunctionsLimits } from './limits';
import { PropsValidator } from './validation';

/** Defaults of {@link FanOutFanInProps}. */
export const FAN_OUT_DEFAULTS = {
  mode: 'auto',
  inlineMaxItems: 40,
  batchMaxItems: 1,
  maxConcurrency: 10,
  itemTimeout: Duration.minutes(1),
  retryMaxAttempts: 3,
  retryInterval: Duration.seconds(1),
  retryBackoffRate: 2,
  retryMaxDelay: Duration.seconds(30),
  joinTimeout: Duration.minutes(5),
} as const;

/** Express child executions end after 5 minutes: a child's worker call must fit in them. */
const EXPRESS_MAX_SECONDS = 300;

/**
 * Validates the props against the Step Functions and Lambda limits; collects
 * every violation and throws once, naming the construct path, each prop, its range and value.
 */
export function validateFanOutFanInProps(path: string, props: FanOutFanInProps): void {
  const v = new PropsValidator(`FanOutFanIn at ${path}`);
  const mode = props.mode ?? FAN_OUT_DEFAULTS.mode;
  v.exactlyOne('workerEntry', props.workerEntry, 'workerHandler', props.workerHandler);
  v.exclusive('joinEntry', props.joinEntry, 'joinHandler', props.joinHandler);
  v.exclusive('finalizerEntry', props.finalizerEntry, 'finalizerHandler', props.finalizerHandler);
  const maxConcurrency = mode === 'distributed' ? StepFunctionsLimits.maxDistributedMapConcurrency : StepFunctionsLimits.maxInlineMapConcurrency;
  v.integerInRange(`maxConcurrency (mode ${mode})`, props.maxConcurrency, 1, maxConcurrency);
  v.integerInRange('inlineMaxItems', props.inlineMaxItems, 1, 10_000);
  v.integerInRange('batchMaxItems', props.batchMaxItems, 1, 100_000_000);
  v.integerInRange('batchMaxBytes', props.batchMaxBytes, 1, StepFunctionsLimits.maxPayloadBytes);
  v.require(mode !== 'inline' || ((props.batchMaxItems ?? 1) === 1 && props.batchMaxBytes === undefined), 'batchMaxItems', `and batchMaxBytes need a Distributed Map (ItemBatcher), received mode inline with batchMaxItems ${props.batchMaxItems}`);
  v.require(mode !== 'inline' || props.itemSource === undefined, 'itemSource', `needs a Distributed Map (ItemReader), received mode inline with itemSource ${props.itemSource}`);
  v.require((props.itemSource === undefined) === (props.sourceBucket === undefined), 'sourceBucket', `and itemSource go together (the state machine reads the items from that bucket), received ${props.itemSource ? 'itemSource only' : 'sourceBucket only'}`);
  v.durationInRange(`itemTimeout (mode ${mode})`, props.itemTimeout, 1, mode === 'inline' ? LambdaLimits.maxTimeoutSeconds : EXPRESS_MAX_SECONDS);
  v.integerInRange('retryMaxAttempts', props.retryMaxAttempts, 0, 10);
  v.durationInRange('retryInterval', props.retryInterval, 1, 3600);
  v.durationInRange('retryMaxDelay', props.retryMaxDelay, 1, 3600);
  v.require(props.retryBackoffRate === undefined || (props.retryBackoffRate >= 1 && props.retryBackoffRate <= 10), 'retryBackoffRate', `must be between 1 and 10, received ${props.retryBackoffRate}`);
  v.integerInRange('toleratedFailureCount', props.toleratedFailureCount, 0, 100_000_000);
  v.require(props.toleratedFailurePercentage === undefined || (props.toleratedFailurePercentage >= 0 && props.toleratedFailurePercentage <= 100), 'toleratedFailurePercentage', `must be between 0 and 100, received ${props.toleratedFailurePercentage}`);
  v.durationInRange('joinTimeout', props.joinTimeout, 1, LambdaLimits.maxTimeoutSeconds);
  // The worker and the join learn the Reduce's ingress from an environment variable the construct sets.
  v.require(props.reduce === undefined || (props.workerHandler === undefined && props.joinHandler === undefined), 'reduce', `needs the construct's own worker and join functions (workerEntry, joinEntry or the built-in join), received ${[props.workerHandler && 'workerHandler', props.joinHandler && 'joinHandler'].filter(Boolean).join(' and ')}`);
  v.require(props.reduce === undefined || props.reduce.ingress.fifo !== true, 'reduce', 'must have a standard ingress (partials are sent without a message group), received a FIFO ingress');
  v.integerInRange('workerMemorySize', props.workerMemorySize, LambdaLimits.minMemoryMb, LambdaLimits.maxMemoryMb);
  v.throwIfInvalid();
}
