import { Metric, MetricOptions } from 'aws-cdk-lib/aws-cloudwatch';
import { Grant, IGrantable } from 'aws-cdk-lib/aws-iam';
import { IFunction } from 'aws-cdk-lib/aws-lambda';
import { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { RoutingMetricName, type FilterPattern } from '../../functions/contract';
import { secureQueue } from '../private/secure-queue';
import { serviceMetric } from '../private/service-metric';
import { PropsValidator } from '../private/validation';
import { WorkQueue } from '../work-queue';
import { applyFilterCriteria, validateFilterPatterns } from './filter-criteria';
import { buildRouter, validateRouterProps, type RouterProps } from './router-queue';

/** Props of {@link Filter}. */
export interface FilterProps extends Omit<RouterProps, 'inputFilter'> {
  /**
   * Lambda filter patterns over the message body (1–5, ORed; ≤ 4,096 characters each). A
   * message matching none is deleted by the event source mapping without an invocation.
   */
  readonly patterns: readonly FilterPattern[];
  /**
   * The queue matching items go to.
   *
   * @default - a new queue (`Output`) with its own dead-letter queue
   */
  readonly output?: IQueue;
}

/**
 * Filter: drops every message whose body matches none of the declared patterns,
 * and forwards the rest, unchanged, to the output queue.
 *
 * The patterns go into the event source mapping's filter criteria, so on AWS a dropped
 * message costs no invocation (Lambda deletes it from the queue). Where a Lambda already reads
 * the queue — a WorkQueue, a stage, another router — filter there instead and save the hop:
 * `Filter.applyTo(workQueue, patterns)`, or the routing constructs' `inputFilter` prop.
 *
 * @example
 * const optedIn = new Filter(this, 'OptedIn', {
 *   patterns: [{ marketing: { optIn: [true] }, country: [{ 'anything-but': ['XX'] }] }],
 * });
 */
export class Filter extends Construct {
  /**
   * Filters the mapping of an existing WorkQueue: only matching messages invoke its worker.
   *
   * @throws Error naming the patterns' problems (count, size, unknown rules)
   */
  public static applyTo(workQueue: WorkQueue, patterns: readonly FilterPattern[]): void {
    const v = new PropsValidator('Filter.applyTo', workQueue);
    validateFilterPatterns(v, 'patterns', patterns);
    v.throwIfInvalid();
    applyFilterCriteria(workQueue.workerFunction, workQueue.ingress, patterns);
  }

  /** The queue to send items to. */
  public readonly ingress: IQueue;
  /** The ingress's dead-letter queue, when known. */
  public readonly ingressDeadLetterQueue?: IQueue;
  /** The queue matching items go to. */
  public readonly output: IQueue;
  /** The forwarding function. */
  public readonly routerFunction: IFunction;
  /** The forwarder's WorkQueue (input queue, filtered mapping, function). */
  public readonly router: WorkQueue;

  constructor(scope: Construct, id: string, props: FilterProps) {
    super(scope, id);
    const v = new PropsValidator('Filter', this);
    validateRouterProps(v, props);
    validateFilterPatterns(v, 'patterns', props.patterns);
    v.throwIfInvalid();
    this.output = props.output ?? secureQueue(this, 'Output').queue;
    this.router = buildRouter(this, props, { kind: 'forward', outputs: 1 }, [this.output]);
    applyFilterCriteria(this.router.workerFunction, this.router.ingress, props.patterns);
    this.ingress = this.router.ingress;
    this.ingressDeadLetterQueue = this.router.ingressDeadLetterQueue;
    this.routerFunction = this.router.workerFunction;
  }

  /** Lets `grantee` send items to the ingress: `sqs:SendMessage`, `sqs:GetQueueAttributes`, `sqs:GetQueueUrl` (plus KMS for a CMK queue). */
  public grantSend(grantee: IGrantable): Grant {
    return this.ingress.grantSendMessages(grantee);
  }

  /** Messages waiting in the ingress (`ApproximateNumberOfMessagesVisible`, Maximum). */
  public metricBacklog(props?: MetricOptions): Metric {
    return this.router.metricBacklog(props);
  }

  /** Matching items forwarded to the output (runtime EMF metric `ItemsRouted`, Sum). */
  public metricItemsForwarded(props?: MetricOptions): Metric {
    return serviceMetric(this.router.serviceName, RoutingMetricName.itemsRouted, 'Sum', props);
  }
}
