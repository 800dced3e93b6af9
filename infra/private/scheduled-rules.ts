import { Duration } from 'aws-cdk-lib';
import { Schedule } from 'aws-cdk-lib/aws-events';
import { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Env } from '../../functions/contract';
import type { QueueIngressProps } from '../queue-ingress';
import { EventBridgeLimits, LambdaLimits, SqsLimits } from './limits';
import { PropsValidator } from './validation';

/** Checks the ingress props against the SQS and event source mapping limits. */
export function validateIngress(v: PropsValidator, props: QueueIngressProps): void {
  v.exclusive('ingress', props.ingress, 'ingressMaxReceiveCount', props.ingressMaxReceiveCount);
  v.require(props.ingressDeadLetterQueue === undefined || props.ingress !== undefined, 'ingressDeadLetterQueue',
    'is only for a brought ingress (a created one gets its own), received it without ingress');
  v.integerInRange('ingressMaxReceiveCount', props.ingressMaxReceiveCount, SqsLimits.minMaxReceiveCount, SqsLimits.maxMaxReceiveCount);
  const fifo = props.ingress?.fifo === true;
  v.integerInRange('ingressBatchSize', props.ingressBatchSize, 1, fifo ? LambdaLimits.maxSqsBatchSizeFifo : LambdaLimits.maxSqsBatchSizeStandard);
  v.durationInRange('ingressMaxBatchingWindow', props.ingressMaxBatchingWindow, 0, LambdaLimits.maxSqsBatchingWindowSeconds);
  v.integerInRange('ingressMaxConcurrency', props.ingressMaxConcurrency, LambdaLimits.minSqsMaximumConcurrency, LambdaLimits.maxSqsMaximumConcurrency);
  const batch = props.ingressBatchSize;
  const window = props.ingressMaxBatchingWindow;
  if (batch !== undefined && batch > LambdaLimits.sqsBatchSizeWithoutWindow && !(window?.isUnresolved() ?? false)) {
    v.require((window?.toMilliseconds() ?? 0) >= LambdaLimits.minSqsBatchingWindowForLargeBatchSeconds * 1000, 'ingressMaxBatchingWindow',
      `must be at least 1 second when ingressBatchSize is above 10, received ${window?.toHumanString() ?? 'none'} with ingressBatchSize ${batch}`);
  }
}

/** Checks the timeout and memory of a scheduled function (`sweeperTimeout`, `pollerMemorySize`, …). */
export function validateScheduledFunction(v: PropsValidator, prefix: string, timeout: Duration | undefined, memorySize: number | undefined): void {
  v.durationInRange(`${prefix}Timeout`, timeout, LambdaLimits.minTimeoutSeconds, LambdaLimits.maxTimeoutSeconds);
  v.integerInRange(`${prefix}MemorySize`, memorySize, LambdaLimits.minMemoryMb, LambdaLimits.maxMemoryMb);
}

/** A duration the runtime reads as whole seconds (an env var) must be one; unresolved tokens pass. */
export function wholeSeconds(v: PropsValidator, prop: string, duration: Duration | undefined): void {
  if (duration === undefined || duration.isUnresolved()) return;
  v.require(duration.toMilliseconds() % 1000 === 0, prop, `must be a whole number of seconds, received ${duration.toMilliseconds()} milliseconds`);
}

/** A schedule must not ask for seconds: EventBridge's finest granularity is one minute. */
function validateSchedule(v: PropsValidator, prop: string, schedule: Schedule | undefined): void {
  if (schedule === undefined) return;
  v.require(!/^rate\(\s*\d+\s+seconds?\s*\)$/.test(schedule.expressionString), prop,
    `must be at least 1 minute apart (EventBridge's granularity), received ${schedule.expressionString}`);
}

/**
 * Checks how a scheduled function runs (`scheduleFunction`): an EventBridge schedule of a
 * minute or more, or a sub-minute interval of whole seconds (1–59) for the Wait loop, not both.
 *
 * @param names the construct's prop names, e.g. `{ schedule: 'sweepSchedule', interval: 'sweepInterval' }`
 */
export function validateRunSchedule(
  v: PropsValidator,
  names: { readonly schedule: string; readonly interval: string },
  schedule: Schedule | undefined,
  interval: Duration | undefined,
): void {
  v.exclusive(names.schedule, schedule, names.interval, interval);
  validateSchedule(v, names.schedule, schedule);
  v.durationInRange(names.interval, interval, 1, EventBridgeLimits.minScheduleIntervalSeconds - 1);
  wholeSeconds(v, names.interval, interval);
}

/**
 * Extra environment variables must not set the variables the construct sets itself (they
 * would be silently replaced), nor the Powertools ones the `metric*` methods rely on.
 *
 * @param own the contract's env var names of the pattern, e.g. `MarkerSweeperEnv`
 */
export function ownVariablesUntouched(v: PropsValidator, prop: string, environment: Record<string, string> | undefined, own: Readonly<Record<string, string>>): void {
  const reserved: readonly string[] = [...Object.values(own), Env.serviceName, Env.metricsNamespace];
  const clashes = Object.keys(environment ?? {}).filter((name) => reserved.includes(name));
  v.require(clashes.length === 0, prop, `must not set the construct's own variables, received ${clashes.join(', ')}`);
}

/**
 * A queue the built-in runtime sends to without a message group id must be a standard queue:
 * on a FIFO queue every send would be refused, and what it carries would be retried forever.
 */
export function standardQueue(v: PropsValidator, prop: string, queue: IQueue | undefined): void {
  v.require(queue?.fifo !== true, prop, 'must be a standard queue (the runtime sends to it without a message group id), received a FIFO queue');
}
