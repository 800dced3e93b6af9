import { Duration } from 'aws-cdk-lib';
import { Schedule } from 'aws-cdk-lib/aws-events';
import { IQueue } from 'aws-cdk-lib/aws-sqs';
import { EventBridgeLimits, LambdaLimits } from './limits';
import { PropsValidator } from './validation';
import { Env, MarkerSweeperEnv } from '../../functions/contract';
import { ownVariablesUntouched, validateIngress, validateScheduledFunction, wholeSeconds, type IngressRuleInput } from './scheduled-rules';

/** The subset of `MarkerSweeperProps` the rules read (structural, so this file does not import the construct). */
export interface MarkerSweeperRuleInput extends IngressRuleInput {
  readonly keyPath?: string;
  readonly flagShards?: number;
  readonly flagTtl?: Duration;
  readonly sweeperEntry?: string;
  readonly deliveryQueue?: IQueue;
  readonly sweepBatchSize?: number;
  readonly sweepMaxBatches?: number;
  readonly sweepSchedule?: Schedule;
  readonly sweepInterval?: Duration;
  readonly sweeperTimeout?: Duration;
  readonly sweeperMemorySize?: number;
  readonly sweeperEnvironment?: Record<string, string>;
  readonly leaseDuration?: Duration;
  readonly retryDelay?: Duration;
}

/** Defaults of the MarkerSweeper props. */
export const MARKER_SWEEPER_DEFAULTS = {
  keyPath: 'key',
  flagShards: 4,
  flagTtl: Duration.days(7),
  sweepBatchSize: 100,
  sweepMaxBatches: 10,
  sweepSchedule: Schedule.rate(Duration.minutes(1)),
  sweeperTimeout: Duration.minutes(1),
  retryDelay: Duration.minutes(1),
} as const;

/** Longest lease, retry delay: 12 hours. */
const MAX_LEASE_SECONDS = 12 * 3600;
/** Longest flag TTL: one year. */
const MAX_TTL_SECONDS = 365 * 86_400;
/** A dot path, optionally with a leading `$.`: the runtime's key path syntax. */
const KEY_PATH = /^(\$\.)?[^.\s$][^.\s]*(\.[^.\s]+)*$/;

/** The sweeper's timeout: the prop, else one minute. */
export function sweeperTimeout(props: MarkerSweeperRuleInput): Duration {
  return props.sweeperTimeout ?? MARKER_SWEEPER_DEFAULTS.sweeperTimeout;
}

/**
 * The lease of a claimed flag: the prop, else twice the sweeper timeout, so a live sweep never
 * loses its flags and a crashed one's come back within two timeouts.
 */
export function leaseDuration(props: MarkerSweeperRuleInput): Duration {
  const timeout = sweeperTimeout(props);
  return props.leaseDuration ?? (timeout.isUnresolved() ? Duration.minutes(30) : Duration.seconds(2 * timeout.toSeconds()));
}

/**
 * Checks every MarkerSweeper prop and throws one error listing all violations.
 *
 * @throws Error naming each offending prop, its allowed range and the value received
 */
export function validateMarkerSweeperProps(props: MarkerSweeperRuleInput): void {
  const v = new PropsValidator('MarkerSweeper');
  validateIngress(v, props);
  v.require(props.keyPath === undefined || KEY_PATH.test(props.keyPath), 'keyPath',
    `must be a dot path such as "roomId" or "$.detail.room.id", received "${props.keyPath}"`);
  v.integerInRange('flagShards', props.flagShards, 1, 100);
  v.exactlyOne('sweeperEntry', props.sweeperEntry, 'deliveryQueue', props.deliveryQueue);
  v.integerInRange('sweepBatchSize', props.sweepBatchSize, 1, 1_000);
  v.integerInRange('sweepMaxBatches', props.sweepMaxBatches, 1, 100);
  validateScheduledFunction(v, 'sweeper', props.sweeperTimeout, props.sweeperMemorySize);
  v.exclusive('sweepSchedule', props.sweepSchedule, 'sweepInterval', props.sweepInterval);
  validateSchedule(v, 'sweepSchedule', props.sweepSchedule);
  v.durationInRange('sweepInterval', props.sweepInterval, 1, EventBridgeLimits.minScheduleIntervalSeconds - 1);
  ownVariablesUntouched(v, 'sweeperEnvironment', props.sweeperEnvironment, [...Object.values(MarkerSweeperEnv), Env.serviceName, Env.metricsNamespace]);
  validateLeaseAndTtl(v, props);
  v.throwIfInvalid();
}

/** A schedule must not ask for seconds: EventBridge's finest granularity is one minute. */
export function validateSchedule(v: PropsValidator, prop: string, schedule: Schedule | undefined): void {
  if (schedule === undefined) return;
  v.require(!/^rate\(\s*\d+\s+seconds?\s*\)$/.test(schedule.expressionString), prop,
    `must be at least 1 minute apart (EventBridge's granularity), received ${schedule.expressionString}`);
}

function validateLeaseAndTtl(v: PropsValidator, props: MarkerSweeperRuleInput): void {
  v.durationInRange('leaseDuration', props.leaseDuration, 1, MAX_LEASE_SECONDS);
  v.durationInRange('retryDelay', props.retryDelay, 0, MAX_LEASE_SECONDS);
  v.durationInRange('flagTtl', props.flagTtl, 3600, MAX_TTL_SECONDS);
  for (const [prop, duration] of [['leaseDuration', props.leaseDuration], ['retryDelay', props.retryDelay], ['flagTtl', props.flagTtl], ['sweepInterval', props.sweepInterval]] as const) {
    wholeSeconds(v, prop, duration);
  }
  const timeout = sweeperTimeout(props);
  const lease = leaseDuration(props);
  const ttl = props.flagTtl ?? MARKER_SWEEPER_DEFAULTS.flagTtl;
  if (!timeout.isUnresolved() && !lease.isUnresolved() && timeout.toMilliseconds() <= LambdaLimits.maxTimeoutSeconds * 1000) {
    v.require(lease.toMilliseconds() > timeout.toMilliseconds(), 'leaseDuration',
      `must be longer than sweeperTimeout (${timeout.toHumanString()}) so a running sweep keeps its flags, received ${lease.toHumanString()}`);
  }
  if (!lease.isUnresolved() && !ttl.isUnresolved()) {
    v.require(ttl.toMilliseconds() > lease.toMilliseconds(), 'flagTtl',
      `must be longer than leaseDuration (${lease.toHumanString()}), received ${ttl.toHumanString()}`);
  }
}
