import { Metric, MetricOptions } from 'aws-cdk-lib/aws-cloudwatch';
import { Grant, IGrantable } from 'aws-cdk-lib/aws-iam';
import { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { WorkQueue } from '../work-queue';

/**
 * A construct fed through an SQS ingress drained by a built-in function (MarkerSweeper's
 * marker, RollingPoller's watch commands): the ingress, its grant and its metrics, named as
 * every construct names them.
 */
export abstract class IngressBackedConstruct extends Construct {
  /** The ingress, its mapping and the function draining it, as one work queue. */
  protected abstract readonly ingressWorker: WorkQueue;

  /** The queue producers send to. */
  public get ingress(): IQueue {
    return this.ingressWorker.ingress;
  }

  /** The ingress's dead-letter queue, when known. */
  public get ingressDeadLetterQueue(): IQueue | undefined {
    return this.ingressWorker.ingressDeadLetterQueue;
  }

  /**
   * Lets `grantee` send to the ingress: `sqs:SendMessage`, `sqs:GetQueueAttributes`,
   * `sqs:GetQueueUrl` (plus KMS actions for a brought KMS-encrypted queue).
   */
  public grantSend(grantee: IGrantable): Grant {
    return this.ingressWorker.grantSend(grantee);
  }

  /** Messages waiting in the ingress (`ApproximateNumberOfMessagesVisible`, Maximum). */
  public metricBacklog(props?: MetricOptions): Metric {
    return this.ingressWorker.metricBacklog(props);
  }

  /** Age of the oldest message waiting in the ingress, in seconds (Maximum). */
  public metricOldestMessageAge(props?: MetricOptions): Metric {
    return this.ingressWorker.metricOldestMessageAge(props);
  }

  /** Messages in the ingress's dead-letter queue (Maximum); throws when a brought ingress has none. */
  public metricDlqDepth(props?: MetricOptions): Metric {
    return this.ingressWorker.metricDlqDepth(props);
  }
}
