import { Metric, MetricOptions } from 'aws-cdk-lib/aws-cloudwatch';
import { Grant, IGrantable } from 'aws-cdk-lib/aws-iam';
import { IFunction } from 'aws-cdk-lib/aws-lambda';
import { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct, type IConstruct } from 'constructs';
import { RoutingMetricName, type RouterConfig } from '../../functions/contract';
import { secureQueue } from '../private/secure-queue';
import { serviceMetric } from '../private/service-metric';
import { PropsValidator } from '../private/validation';
import { WorkQueue } from '../work-queue';
import { buildRouter, MAX_ROUTER_OUTPUTS, validateFieldPath, validateRouterProps, type RouterProps } from './router-queue';

/** Props of {@link Splitter}. */
export interface SplitterProps extends RouterProps {
  /**
   * Dot path of the body field to route by, e.g. `channel` or `order.channel`. Strings match
   * as they are, numbers and booleans by their JSON spelling (`2`, `true`).
   */
  readonly field: string;
  /** Field value → the queue its items go to (1–20 distinct queues with the default). Several values may share a queue. */
  readonly routes: Readonly<Record<string, IQueue>>;
  /**
   * Where items go whose field is missing, not JSON, or matches no route: a splitter drops nothing.
   *
   * @default - a new queue (`Unmatched`) with its own dead-letter queue
   */
  readonly defaultOutput?: IQueue;
}

/**
 * Splitter: routes each message by one body field to a named output queue, and
 * drops nothing — unmatched items go to the default output.
 *
 * A router Lambda reads the input queue in batches and sends each output's share in full
 * 10-entry batches. Bodies and String message attributes are forwarded unchanged.
 *
 * @example
 * const splitter = new Splitter(this, 'ByChannel', {
 *   field: 'channel',
 *   routes: { email: emailQueue, sms: smsQueue, push: smsQueue },
 * });
 * splitter.grantSend(api);
 */
export class Splitter extends Construct {
  /** The queue to send items to. */
  public readonly ingress: IQueue;
  /** The ingress's dead-letter queue, when known. */
  public readonly ingressDeadLetterQueue?: IQueue;
  /** The router function. */
  public readonly routerFunction: IFunction;
  /** The queue of unmatched items. */
  public readonly defaultOutput: IQueue;
  /** The router's WorkQueue (input queue, mapping, function). */
  public readonly router: WorkQueue;
  private readonly routes: Readonly<Record<string, IQueue>>;

  constructor(scope: Construct, id: string, props: SplitterProps) {
    super(scope, id);
    validateSplitterProps(this, props);
    this.routes = { ...props.routes };
    this.defaultOutput = props.defaultOutput ?? secureQueue(this, 'Unmatched').queue;
    const outputs = [...new Set([...Object.values(props.routes), this.defaultOutput])];
    const config: RouterConfig = {
      kind: 'split',
      outputs: outputs.length,
      field: props.field,
      routes: Object.fromEntries(Object.entries(props.routes).map(([value, queue]) => [value, outputs.indexOf(queue)])),
      defaultOutput: outputs.indexOf(this.defaultOutput),
    };
    this.router = buildRouter(this, props, config, outputs);
    this.ingress = this.router.ingress;
    this.ingressDeadLetterQueue = this.router.ingressDeadLetterQueue;
    this.routerFunction = this.router.workerFunction;
  }

  /** The queue items with field value `value` go to (the default output for an unknown value). */
  public outputFor(value: string): IQueue {
    return Object.prototype.hasOwnProperty.call(this.routes, value) ? (this.routes[value] as IQueue) : this.defaultOutput;
  }

  /** Lets `grantee` send items to the ingress: `sqs:SendMessage`, `sqs:GetQueueAttributes`, `sqs:GetQueueUrl` (plus KMS for a CMK queue). */
  public grantSend(grantee: IGrantable): Grant {
    return this.ingress.grantSendMessages(grantee);
  }

  /** Messages waiting in the ingress (`ApproximateNumberOfMessagesVisible`, Maximum). */
  public metricBacklog(props?: MetricOptions): Metric {
    return this.router.metricBacklog(props);
  }

  /** Messages in the ingress's dead-letter queue (`ApproximateNumberOfMessagesVisible`, Maximum). */
  public metricDlqDepth(props?: MetricOptions): Metric {
    return this.router.metricDlqDepth(props);
  }

  /** Items routed to an output (runtime EMF metric `ItemsRouted`, Sum). */
  public metricItemsRouted(props?: MetricOptions): Metric {
    return serviceMetric(this.router.serviceName, RoutingMetricName.itemsRouted, 'Sum', props);
  }
}

function validateSplitterProps(scope: IConstruct, props: SplitterProps): void {
  const v = new PropsValidator('Splitter', scope);
  validateRouterProps(v, props);
  validateFieldPath(v, 'field', props.field, 'order.channel');
  const values = Object.keys(props.routes);
  v.require(values.length >= 1, 'routes', 'must map at least one field value to a queue, received none');
  const outputs = new Set([...Object.values(props.routes), ...(props.defaultOutput ? [props.defaultOutput] : [])]).size + (props.defaultOutput ? 0 : 1);
  v.require(outputs <= MAX_ROUTER_OUTPUTS, 'routes',
    `must lead to between 1 and ${MAX_ROUTER_OUTPUTS} distinct queues with the default output (one environment variable each), received ${outputs}`);
  v.throwIfInvalid();
}
