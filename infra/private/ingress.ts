import { Duration } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { WorkQueue } from '../work-queue';
import type { QueueIngressProps } from '../queue-ingress';

/** What {@link ingressWorkQueue} needs besides the user's `ingress*` props. */
export interface IngressFunctionOptions {
  /** Absolute path of the built-in handler that drains the ingress. */
  readonly entry: string;
  /** The Powertools service name, shared with the construct's other functions. */
  readonly serviceName: string;
  /** The handler's settings (table name, key path, …). */
  readonly environment: Record<string, string>;
  /** The handler's timeout. @default - WorkQueue's default */
  readonly timeout?: Duration;
  /** The handler's memory in MB. @default - WorkQueue's default */
  readonly memorySize?: number;
}

/**
 * The SQS ingress of a scheduled pattern (MarkerSweeper's marker, RollingPoller's commands):
 * a `WorkQueue` built from the construct's `ingress*` props, one to one, so both constructs
 * give their ingress the same queue, DLQ and mapping defaults. Validate the props with
 * `validateIngress` first, so errors name the `ingress*` props rather than WorkQueue's.
 *
 * @param scope the construct that owns the ingress
 * @param id the WorkQueue's construct ID
 * @param props the construct's `ingress*` props
 * @param options the built-in handler, service name and environment
 */
export function ingressWorkQueue(scope: Construct, id: string, props: QueueIngressProps, options: IngressFunctionOptions): WorkQueue {
  return new WorkQueue(scope, id, {
    entry: options.entry,
    ingress: props.ingress,
    ingressDeadLetterQueue: props.ingressDeadLetterQueue,
    maxReceiveCount: props.ingressMaxReceiveCount,
    batchSize: props.ingressBatchSize,
    maxBatchingWindow: props.ingressMaxBatchingWindow,
    maxConcurrency: props.ingressMaxConcurrency,
    serviceName: options.serviceName,
    environment: options.environment,
    timeout: options.timeout,
    memorySize: options.memorySize,
  });
}
