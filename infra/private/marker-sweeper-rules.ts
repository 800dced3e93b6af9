import { Duration } from 'aws-cdk-lib';
import { MarkerSweeperEnv } from '../../functions/contract';
import type { MarkerSweeperProps } from '../marker-sweeper';
import { LambdaLimits } from './limits';
import { ownVariablesUntouched, standardQueue, validateIngress, validateRunSchedule, validateScheduledFunction, wholeSeconds } from './scheduled-rules';
import { PropsValidator } from './validation';
import type { IConstruct } from 'constructs';

/**
 * The props the rules read: a type-only import (so this file and the construct do not import
 * each other at run time), partial because JavaScript callers may omit anything.
 */
type MarkerSweeperRuleInput = Partial<MarkerSweeperProps>;

/** Defaults of the MarkerSweeper props. */
export const MARKER_SWEEPER_DEFAULTS = {
  keyPath: 'key',
  flagShards: 4,
  flagTtl: Duration.days(7),
  sweepBatchSize: 100,
  sweepMaxBatches: 10,
  sweepMaxAttempts: 5,
  outstandingCountInterval: Duration.minutes(5),
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
export function validateMarkerSweeperProps(scope: IConstruct, props: MarkerSweeperRuleInput): void {
  const v = new PropsValidator('MarkerSweeper', scope);
  validateIngress(v, props);
  v.require(props.keyPath === undefined || KEY_PATH.test(props.keyPath), 'keyPath',
    `must be a dot path such as "roomId" or "$.detail.room.id", received "${props.keyPath}"`);
  v.integerInRange('flagShards', props.flagShards, 1, 100);
  v.exactlyOne('sweeperEntry', props.sweeperEntry, 'deliveryQueue', props.deliveryQueue);
  standardQueue(v, 'deliveryQueue', props.deliveryQueue);
  v.integerInRange('sweepBatchSize', props.sweepBatchSize, 1, 1_000);
  v.integerInRange('sweepMaxBatches', props.sweepMaxBatches, 1, 100);
  v.integerInRange('sweepMaxAttempts', props.sweepMaxAttempts, 1, 100);
  validateScheduledFunction(v, 'sweeper', props.sweeperTimeout, props.sweeperMemorySize);
  validateRunSchedule(v, { schedule: 'sweepSchedule', interval: 'sweepInterval' }, props.sweepSchedule, props.sweepInterval);
  ownVariablesUntouched(v, 'sweeperEnvironment', props.sweeperEnvironment, MarkerSweeperEnv);
  validateLeaseAndTtl(v, props);
  v.throwIfInvalid();
}

function validateLeaseAndTtl(v: PropsValidator, props: MarkerSweeperRuleInput): void {
  v.durationInRange('leaseDuration', props.leaseDuration, 1, MAX_LEASE_SECONDS);
  v.durationInRange('retryDelay', props.retryDelay, 0, MAX_LEASE_SECONDS);
  v.durationInRange('outstandingCountInterval', props.outstandingCountInterval, 0, 3600);
  v.durationInRange('flagTtl', props.flagTtl, 3600, MAX_TTL_SECONDS);
  for (const [prop, duration] of [['leaseDuration', props.leaseDuration], ['retryDelay', props.retryDelay], ['flagTtl', props.flagTtl], ['outstandingCountInterval', props.outstandingCountInterval]] as const) {
    wholeSeconds(v, prop, duration);
  }
  const timeout = sweeperTimeout(props);
  const lease = leaseDuration(props);
  const ttl = props.flagTtl ?? MARKER_SWEEPER_DEFAULTS.flagTtl;
  // A timeout over the Lambda maximum is already reported; comparing the lease to it would only add noise.
  if (!timeout.isUnresolved() && !lease.isUnresolved() && timeout.toMilliseconds() <= LambdaLimits.maxTimeoutSeconds * 1000) {
    v.require(lease.toMilliseconds() > timeout.toMilliseconds(), 'leaseDuration',
      `must be longer than sweeperTimeout (${timeout.toHumanString()}) so a running sweep keeps its flags, received ${lease.toHumanString()}`);
  }
  if (!lease.isUnresolved() && !ttl.isUnresolved()) {
    v.require(ttl.toMilliseconds() > lease.toMilliseconds(), 'flagTtl',
      `must be longer than leaseDuration (${lease.toHumanString()}), received ${ttl.toHumanString()}`);
  }
}
