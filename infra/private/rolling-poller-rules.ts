import { Duration } from 'aws-cdk-lib';
import { RollingPollerEnv } from '../../functions/contract';
import type { RollingPollerProps } from '../rolling-poller';
import { ownVariablesUntouched, standardQueue, validateIngress, validateRunSchedule, validateScheduledFunction, wholeSeconds } from './scheduled-rules';
import { PropsValidator } from './validation';
import type { IConstruct } from 'constructs';

/**
 * The props the rules read: a type-only import (so this file and the construct do not import
 * each other at run time), partial because JavaScript callers may omit `pollerEntry`.
 */
type RollingPollerRuleInput = Partial<RollingPollerProps>;

/** Defaults of the RollingPoller props. */
export const ROLLING_POLLER_DEFAULTS = {
  windowSize: 100,
  maxCallsPerTick: 10,
  pollerTimeout: Duration.minutes(1),
  maxAttempts: 10,
  backoffBase: Duration.minutes(1),
  backoffMax: Duration.hours(1),
} as const;

/** Longest back-off: one day. */
const MAX_BACKOFF_SECONDS = 86_400;
/** Margin of the tick lease over the poller timeout, in seconds. */
const LEASE_MARGIN_SECONDS = 30;

/**
 * The tick lease: the poller timeout plus a margin, so a running tick never loses it and a
 * crashed tick blocks the rotation for at most that long.
 */
export function tickLease(props: RollingPollerRuleInput): Duration {
  const timeout = props.pollerTimeout ?? ROLLING_POLLER_DEFAULTS.pollerTimeout;
  return timeout.isUnresolved() ? Duration.minutes(16) : Duration.seconds(timeout.toSeconds() + LEASE_MARGIN_SECONDS);
}

/**
 * Checks every RollingPoller prop and throws one error listing all violations.
 *
 * @throws Error naming each offending prop, its allowed range and the value received
 */
export function validateRollingPollerProps(scope: IConstruct, props: RollingPollerRuleInput): void {
  const v = new PropsValidator('RollingPoller', scope);
  validateIngress(v, props);
  v.require(typeof props.pollerEntry === 'string' && props.pollerEntry.length > 0, 'pollerEntry',
    `must be the path of a handler file written with poller(), received ${JSON.stringify(props.pollerEntry)}`);
  v.integerInRange('windowSize', props.windowSize, 1, 1_000);
  v.integerInRange('maxCallsPerTick', props.maxCallsPerTick, 1, 1_000);
  validateRunSchedule(v, { schedule: 'pollSchedule', interval: 'pollInterval' }, props.pollSchedule, props.pollInterval);
  validateScheduledFunction(v, 'poller', props.pollerTimeout, props.pollerMemorySize);
  v.integerInRange('maxAttempts', props.maxAttempts, 1, 100);
  validateBackoff(v, props);
  ownVariablesUntouched(v, 'pollerEnvironment', props.pollerEnvironment, RollingPollerEnv);
  v.exclusive('completionQueue', props.completionQueue, 'completionEventBus', props.completionEventBus);
  standardQueue(v, 'completionQueue', props.completionQueue);
  v.throwIfInvalid();
}

function validateBackoff(v: PropsValidator, props: RollingPollerRuleInput): void {
  v.durationInRange('backoffBase', props.backoffBase, 1, MAX_BACKOFF_SECONDS);
  v.durationInRange('backoffMax', props.backoffMax, 1, MAX_BACKOFF_SECONDS);
  wholeSeconds(v, 'backoffBase', props.backoffBase);
  wholeSeconds(v, 'backoffMax', props.backoffMax);
  const base = props.backoffBase ?? ROLLING_POLLER_DEFAULTS.backoffBase;
  const max = props.backoffMax ?? ROLLING_POLLER_DEFAULTS.backoffMax;
  if (!base.isUnresolved() && !max.isUnresolved()) {
    v.require(max.toMilliseconds() >= base.toMilliseconds(), 'backoffMax',
      `must be at least backoffBase (${base.toHumanString()}), received ${max.toHumanString()}`);
  }
}
