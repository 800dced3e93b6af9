import { Duration } from 'aws-cdk-lib';
import { IEventBus, Schedule } from 'aws-cdk-lib/aws-events';
import { IQueue } from 'aws-cdk-lib/aws-sqs';
import { EventBridgeLimits } from './limits';
import { validateSchedule } from './marker-sweeper-rules';
import { Env, RollingPollerEnv } from '../../functions/contract';
import { ownVariablesUntouched, validateIngress, validateScheduledFunction, wholeSeconds, type IngressRuleInput } from './scheduled-rules';
import { PropsValidator } from './validation';

/** The subset of `RollingPollerProps` the rules read (structural, so this file does not import the construct). */
export interface RollingPollerRuleInput extends IngressRuleInput {
  readonly statusEntry?: string;
  readonly windowSize?: number;
  readonly maxCallsPerTick?: number;
  readonly pollSchedule?: Schedule;
  readonly pollInterval?: Duration;
  readonly pollerTimeout?: Duration;
  readonly pollerMemorySize?: number;
  readonly pollerEnvironment?: Record<string, string>;
  readonly maxAttempts?: number;
  readonly backoffBase?: Duration;
  readonly backoffMax?: Duration;
  readonly completionQueue?: IQueue;
  readonly completionEventBus?: IEventBus;
}

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
export function validateRollingPollerProps(props: RollingPollerRuleInput): void {
  const v = new PropsValidator('RollingPoller');
  validateIngress(v, props);
  v.require(typeof props.statusEntry === 'string' && props.statusEntry.length > 0, 'statusEntry',
    `must be the path of a handler file written with statusChecker(), received ${JSON.stringify(props.statusEntry)}`);
  v.integerInRange('windowSize', props.windowSize, 1, 1_000);
  v.integerInRange('maxCallsPerTick', props.maxCallsPerTick, 1, 1_000);
  v.exclusive('pollSchedule', props.pollSchedule, 'pollInterval', props.pollInterval);
  validateSchedule(v, 'pollSchedule', props.pollSchedule);
  v.durationInRange('pollInterval', props.pollInterval, 1, EventBridgeLimits.minScheduleIntervalSeconds - 1);
  validateScheduledFunction(v, 'poller', props.pollerTimeout, props.pollerMemorySize);
  v.integerInRange('maxAttempts', props.maxAttempts, 1, 100);
  v.durationInRange('backoffBase', props.backoffBase, 1, MAX_BACKOFF_SECONDS);
  v.durationInRange('backoffMax', props.backoffMax, 1, MAX_BACKOFF_SECONDS);
  const base = props.backoffBase ?? ROLLING_POLLER_DEFAULTS.backoffBase;
  const max = props.backoffMax ?? ROLLING_POLLER_DEFAULTS.backoffMax;
  if (!base.isUnresolved() && !max.isUnresolved()) {
    v.require(max.toMilliseconds() >= base.toMilliseconds(), 'backoffMax',
      `must be at least backoffBase (${base.toHumanString()}), received ${max.toHumanString()}`);
  }
  for (const [prop, duration] of [['backoffBase', props.backoffBase], ['backoffMax', props.backoffMax], ['pollInterval', props.pollInterval]] as const) {
    wholeSeconds(v, prop, duration);
  }
  ownVariablesUntouched(v, 'pollerEnvironment', props.pollerEnvironment, [...Object.values(RollingPollerEnv), Env.serviceName, Env.metricsNamespace]);
  v.exclusive('completionQueue', props.completionQueue, 'completionEventBus', props.completionEventBus);
  v.throwIfInvalid();
}
