/**
 * What every routing construct shares: the props tuning its router (the input queue's
 * mapping and the router function), and the builder of that router — a `WorkQueue` running
 * the built-in routing handler, allowed to send to its outputs and nothing else.
 */
import { Duration } from 'aws-cdk-lib';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { RoutingEnv, type FilterPattern, type RouterConfig } from '../../functions/contract';
import { functionEntry } from '../private/paths';
import type { PropsValidator } from '../private/validation';
import { WorkQueue } from '../work-queue';
import { applyFilterCriteria, validateFilterPatterns } from './filter-criteria';

/** Props shared by the routing constructs that read an input queue. */
export interface RouterProps {
  /**
   * The queue to route from (the ingress), instead of a created one.
   *
   * @default - a new queue with SQS-managed encryption, TLS-only policy and a dead-letter queue
   */
  readonly ingress?: IQueue;
  /**
   * The dead-letter queue of a brought `ingress`. Only with `ingress`.
   *
   * @default - the brought queue's own dead-letter queue if it is a `Queue` of this app, else none
   */
  readonly ingressDeadLetterQueue?: IQueue;
  /**
   * Only messages whose body matches one of these Lambda filter patterns reach the router; the
   * others are deleted by the mapping without an invocation (1–5 patterns, ≤ 4,096 characters each).
   *
   * @default - every message is routed
   */
  readonly inputFilter?: readonly FilterPattern[];
  /**
   * Messages per router invocation (1–10,000). Above 10 needs `maxBatchingWindow` ≥ 1 second.
   *
   * @default 10
   */
  readonly batchSize?: number;
  /**
   * How long the mapping gathers messages before invoking the router (0–300 seconds).
   *
   * @default - no window
   */
  readonly maxBatchingWindow?: Duration;
  /**
   * Router invocations at once (2–1,000).
   *
   * @default - no cap
   */
  readonly maxConcurrency?: number;
  /**
   * Router timeout (1–900 seconds).
   *
   * @default Duration.seconds(30)
   */
  readonly timeout?: Duration;
  /**
   * Router memory in MB (128–10,240): routing is I/O-bound, so little is needed.
   *
   * @default 256
   */
  readonly memorySize?: number;
}

/** The router memory default: enough for JSON parsing and batched sends. */
export const ROUTER_MEMORY_MB = 256;

/** Most outputs of one router: each URL is an environment variable, and Lambda allows 4 KB of them. */
export const MAX_ROUTER_OUTPUTS = 20;

const FIELD_PATH = /^[^.\s]+(\.[^.\s]+)*$/;

/**
 * Records a violation unless `path` is a dot path of body fields, as the router reads it
 * (`functions/lib/routing/field-path.ts`): names without dots or spaces, joined by dots.
 *
 * @param example a valid path to quote in the message, e.g. `order.channel`
 */
export function validateFieldPath(v: PropsValidator, prop: string, path: string, example: string): void {
  v.require(FIELD_PATH.test(path), prop, `must be a dot path of names without spaces (e.g. ${example}), received "${path}"`);
}

/** Validates the {@link RouterProps} a routing construct passes on (the WorkQueue checks the rest again). */
export function validateRouterProps(v: PropsValidator, props: RouterProps): void {
  v.require(props.ingressDeadLetterQueue === undefined || props.ingress !== undefined, 'ingressDeadLetterQueue',
    'is only allowed together with ingress (a created ingress gets its own dead-letter queue), received it without ingress');
  validateFilterPatterns(v, 'inputFilter', props.inputFilter);
}

/**
 * Builds the router: a WorkQueue (`Router` in `scope`) on the input queue running the built-in
 * routing handler with `config`, allowed to send to each output.
 *
 * @param extraEnvironment more variables for the router (e.g. a sharder's unhealthy shards)
 */
export function buildRouter(
  scope: Construct,
  props: RouterProps,
  config: RouterConfig,
  outputs: readonly IQueue[],
  extraEnvironment: Record<string, string> = {},
): WorkQueue {
  const environment: Record<string, string> = { ...extraEnvironment, [RoutingEnv.routerConfig]: JSON.stringify(config) };
  outputs.forEach((queue, i) => (environment[`${RoutingEnv.outputUrlPrefix}${i}`] = queue.queueUrl));
  const router = new WorkQueue(scope, 'Router', {
    ingress: props.ingress,
    ingressDeadLetterQueue: props.ingressDeadLetterQueue,
    entry: functionEntry('routing', 'router-handler.ts'),
    environment,
    batchSize: props.batchSize,
    maxBatchingWindow: props.maxBatchingWindow,
    maxConcurrency: props.maxConcurrency,
    timeout: props.timeout,
    memorySize: props.memorySize ?? ROUTER_MEMORY_MB,
  });
  for (const queue of outputs) queue.grantSendMessages(router.workerFunction);
  if (props.inputFilter) applyFilterCriteria(router.workerFunction, router.ingress, props.inputFilter);
  return router;
}
