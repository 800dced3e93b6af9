import { Metric, MetricOptions } from 'aws-cdk-lib/aws-cloudwatch';
import { Grant, IGrantable } from 'aws-cdk-lib/aws-iam';
import { Alias } from 'aws-cdk-lib/aws-kms';
import { IFunction } from 'aws-cdk-lib/aws-lambda';
import { ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import { SqsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct, type IConstruct } from 'constructs';
import { RoutingMetricName } from '../../functions/contract';
import { secureQueue } from '../private/secure-queue';
import { serviceMetric } from '../private/service-metric';
import { PropsValidator } from '../private/validation';
import { WorkQueue } from '../work-queue';
import { buildRouter, MAX_ROUTER_OUTPUTS, validateRouterProps, type RouterProps } from './router-queue';

/** How a {@link Copier} duplicates items. */
export enum CopierTransport {
  /** An SNS topic with raw-delivery SQS subscriptions: no function, one publish per item (or 10 with PublishBatch). */
  TOPIC = 'topic',
  /** An input queue read by a router function that sends each batch to every output in 10-entry batches. */
  QUEUE = 'queue',
}

/** Props of {@link Copier}. Give `outputs` or `outputCount`, not both. The router props apply to `CopierTransport.QUEUE` only. */
export interface CopierProps extends RouterProps {
  /**
   * Existing queues to copy every item to (1–20).
   *
   * @default - `outputCount` created queues
   */
  readonly outputs?: readonly IQueue[];
  /**
   * Number of output queues to create (1–20), each with its own dead-letter queue.
   *
   * @default 2 - unless `outputs` is given
   */
  readonly outputCount?: number;
  /**
   * How items are duplicated.
   *
   * @default CopierTransport.TOPIC
   */
  readonly transport?: CopierTransport;
}

const ROUTER_PROP_NAMES = ['ingress', 'ingressDeadLetterQueue', 'inputFilter', 'batchSize', 'maxBatchingWindow', 'maxConcurrency', 'timeout', 'memorySize'] as const;

/**
 * Copier: duplicates every item into every output queue — one stream into several
 * identical ones (e.g. a video to the 4K, 1080p and thumbnail transcoders).
 *
 * By default an SNS topic (TLS-only, encrypted with the AWS-managed key) with raw message
 * delivery to each output, so outputs receive the original body and SNS-to-SQS deliveries
 * cost nothing. With `CopierTransport.QUEUE`, items enter an SQS queue and a router function
 * sends each batch to every output instead (no SNS; input filtering and batching apply).
 *
 * @example
 * const copier = new Copier(this, 'Renditions', { outputs: [uhdQueue, hdQueue, thumbQueue] });
 * copier.grantSend(uploadHandler);
 */
export class Copier extends Construct {
  /** The output queues, every one receiving every item. */
  public readonly outputs: readonly IQueue[];
  /** The topic to publish items to (`CopierTransport.TOPIC`). */
  public readonly topic?: ITopic;
  /** The queue to send items to (`CopierTransport.QUEUE`). */
  public readonly ingress?: IQueue;
  /** The router function (`CopierTransport.QUEUE`). */
  public readonly routerFunction?: IFunction;
  /** The router's WorkQueue (`CopierTransport.QUEUE`). */
  public readonly router?: WorkQueue;

  constructor(scope: Construct, id: string, props: CopierProps = {}) {
    super(scope, id);
    const transport = props.transport ?? CopierTransport.TOPIC;
    validateCopierProps(this, props, transport);
    this.outputs = props.outputs ? [...props.outputs] : Array.from({ length: props.outputCount ?? 2 }, (_, i) => secureQueue(this, `Output${i}`).queue);
    if (transport === CopierTransport.TOPIC) {
      this.topic = this.buildTopic();
    } else {
      this.router = buildRouter(this, props, { kind: 'copy', outputs: this.outputs.length }, this.outputs);
      this.ingress = this.router.ingress;
      this.routerFunction = this.router.workerFunction;
    }
  }

  /**
   * Lets `grantee` put items in: `sns:Publish` on the topic (TOPIC), or `sqs:SendMessage`,
   * `sqs:GetQueueAttributes`, `sqs:GetQueueUrl` on the input queue (QUEUE).
   */
  public grantSend(grantee: IGrantable): Grant {
    return this.topic ? this.topic.grantPublish(grantee) : (this.ingress as IQueue).grantSendMessages(grantee);
  }

  /** Items copied (TOPIC: `NumberOfMessagesPublished` of the topic; QUEUE: runtime `ItemsRouted`, i.e. copies sent), Sum. */
  public metricItemsCopied(props?: MetricOptions): Metric {
    if (this.topic) return this.topic.metricNumberOfMessagesPublished(props);
    return serviceMetric((this.router as WorkQueue).serviceName, RoutingMetricName.itemsRouted, 'Sum', props);
  }

  private buildTopic(): ITopic {
    const topic = new Topic(this, 'Topic', {
      enforceSSL: true,
      // The AWS-managed key: encrypted at rest with no key to manage, and SQS subscribers need no key grant.
      masterKey: Alias.fromAliasName(this, 'SnsKey', 'alias/aws/sns'),
    });
    for (const queue of this.outputs) topic.addSubscription(new SqsSubscription(queue, { rawMessageDelivery: true }));
    return topic;
  }
}

function validateCopierProps(scope: IConstruct, props: CopierProps, transport: CopierTransport): void {
  const v = new PropsValidator('Copier', scope);
  v.exclusive('outputs', props.outputs, 'outputCount', props.outputCount);
  v.integerInRange('outputCount', props.outputCount, 1, MAX_ROUTER_OUTPUTS);
  if (props.outputs) v.integerInRange('outputs (count)', props.outputs.length, 1, MAX_ROUTER_OUTPUTS);
  if (transport === CopierTransport.TOPIC) {
    for (const name of ROUTER_PROP_NAMES) {
      v.require(props[name] === undefined, name, 'is only used with transport CopierTransport.QUEUE (a topic has no input queue), received a value');
    }
  } else {
    validateRouterProps(v, props);
  }
  v.throwIfInvalid();
}
