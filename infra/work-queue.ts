import { Annotations, Duration } from 'aws-cdk-lib';
import { Metric, MetricOptions } from 'aws-cdk-lib/aws-cloudwatch';
import { Grant, IGrantable } from 'aws-cdk-lib/aws-iam';
import { Function as LambdaFunction, IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { Env, MetricName } from '../functions/contract';
import { handlerFunction } from './private/handler-function';
import { secureQueue } from './private/secure-queue';
import { serviceMetric } from './private/service-metric';
import {
  batchTimeoutWarning, derivedVisibilityTimeout, stabilityWarning, validateWorkQueueProps,
  WORK_QUEUE_DEFAULTS, workerTimeout,
} from './private/work-queue-rules';

/** Props of {@link WorkQueue}. Give exactly one of `entry` or `handler`. */
export interface WorkQueueProps {
  /**
   * A queue you bring as the ingress instead of the created one. Excludes `maxReceiveCount`, `fifo`,
   * `contentBasedDeduplication`, `visibilityTimeout` and `retentionPeriod`, which shape a created queue.
   *
   * @default - a new queue with SQS-managed encryption, TLS-only policy and a dead-letter queue
   */
  readonly ingress?: IQueue;
  /**
   * The dead-letter queue of a brought `ingress`, where the worker sends poison records. Only with `ingress`.
   *
   * @default - the brought queue's own dead-letter queue if it is a `Queue` of this app, else none
   */
  readonly ingressDeadLetterQueue?: IQueue;
  /**
   * Receives of a message before SQS moves it to the dead-letter queue (1–1,000).
   *
   * @default 3
   */
  readonly maxReceiveCount?: number;
  /**
   * Create FIFO queues: batches of at most 10 and no batching window.
   *
   * @default false
   */
  readonly fifo?: boolean;
  /**
   * FIFO only: deduplicate messages by a hash of their body.
   *
   * @default false
   */
  readonly contentBasedDeduplication?: boolean;
  /**
   * Visibility timeout of the created queue (6 × timeout up to 12 hours).
   *
   * @default - 6 × the function timeout + maxBatchingWindow, as AWS advises for Lambda consumers
   */
  readonly visibilityTimeout?: Duration;
  /**
   * How long the created queue keeps a message (60 seconds–14 days). The DLQ keeps 14 days.
   *
   * @default Duration.days(4)
   */
  readonly retentionPeriod?: Duration;
  /**
   * Path of the worker's handler file, written with the runtime's `workQueue` factory and
   * bundled with esbuild (Node.js 24, ARM64, ESM, `@aws-sdk/*` external).
   *
   * @default - none; give `entry` or `handler`
   */
  readonly entry?: string;
  /**
   * An existing worker function. When it is a `Function` of this app it gets the DLQ URL and
   * item concurrency variables; an imported one must read them itself (see `Env` in the contract).
   *
   * @default - none; give `entry` or `handler`
   */
  readonly handler?: IFunction;
  /**
   * Worker timeout (1–900 seconds). With `handler`, declares that function's timeout for the
   * visibility timeout derivation.
   *
   * @default - Duration.seconds(30), or the brought `Function`'s own timeout
   */
  readonly timeout?: Duration;
  /**
   * Worker memory in MB (128–10,240). Only with `entry`.
   *
   * @default 512
   */
  readonly memorySize?: number;
  /**
   * Extra environment variables of the worker. Only with `entry`.
   *
   * @default - only the variables the construct sets
   */
  readonly environment?: Record<string, string>;
  /**
   * Powertools service name of the worker; the `service` dimension `metricItemsFailed` reads.
   *
   * @default - this construct's path, e.g. `Demo/Orders`
   */
  readonly serviceName?: string;
  /**
   * Items of one batch the worker processes at once (1–1,000; on FIFO, message groups at once),
   * passed as `PP_ITEM_CONCURRENCY`.
   *
   * @default 10
   */
  readonly itemConcurrency?: number;
  /**
   * Records per invocation (1–10,000; 1–10 on FIFO). Above 10 needs `maxBatchingWindow` ≥ 1 second.
   *
   * @default 10
   */
  readonly batchSize?: number;
  /**
   * How long the poller gathers records before invoking (0–300 seconds). Not on FIFO.
   *
   * @default - no window: invoke as soon as records are available
   */
  readonly maxBatchingWindow?: Duration;
  /**
   * Concurrent invocations this queue may drive (2–1,000).
   *
   * @default - no cap: up to the account's unreserved concurrency
   */
  readonly maxConcurrency?: number;
  /**
   * Return partial batch responses, so only failed records are retried.
   *
   * @default true
   */
  readonly reportBatchItemFailures?: boolean;
  /**
   * Expected items per second (> 0), for the synth-time stability warning. With `itemProcessingTime`.
   *
   * @default - no stability check
   */
  readonly expectedArrivalRate?: number;
  /**
   * Time one item takes (> 0), for the stability and batch-timeout warnings. With `expectedArrivalRate`.
   *
   * @default - no stability check
   */
  readonly itemProcessingTime?: Duration;
}

/**
 * A work queue: an SQS queue with a dead-letter queue, drained by a Lambda worker
 * through an event source mapping with partial batch responses.
 *
 * - Secure by default: SQS-managed encryption, TLS-only queue policies, no physical names.
 * - Visibility timeout derived as 6 × function timeout + batching window (AWS's advice).
 * - Poison records: the worker gets the DLQ URL (`PP_DLQ_URL`) and `sqs:SendMessage` on it,
 *   so a record that can never succeed goes straight to the DLQ with its reason.
 * - Stability: given `expectedArrivalRate` and `itemProcessingTime`, synth warns when
 *   `itemProcessingTime ÷ (maxConcurrency × itemConcurrency) ≥ 1 ÷ expectedArrivalRate`.
 *
 * @example
 * const orders = new WorkQueue(this, 'Orders', {
 *   entry: 'functions/orders/worker.ts',
 *   batchSize: 100,
 *   maxBatchingWindow: Duration.seconds(2),
 *   maxConcurrency: 20,
 * });
 * orders.grantSend(apiFunction);
 */
export class WorkQueue extends Construct {
  /** The queue items are sent to. */
  public readonly ingress: IQueue;
  /** Where failed and poison records end up; undefined only for a brought ingress without a known DLQ. */
  public readonly ingressDeadLetterQueue?: IQueue;
  /** The worker that processes the items. */
  public readonly workerFunction: IFunction;
  /** The SQS event source binding `ingress` to `workerFunction` (its mapping id via `eventSourceMappingId`). */
  public readonly eventSource: SqsEventSource;
  /** The Powertools service name, the `service` dimension of the worker's metrics. */
  public readonly serviceName: string;

  constructor(scope: Construct, id: string, props: WorkQueueProps) {
    super(scope, id);
    validateWorkQueueProps(this, props);
    this.serviceName = props.serviceName ?? this.node.path;
    const queues = this.buildQueues(props);
    this.ingress = queues.queue;
    this.ingressDeadLetterQueue = queues.deadLetterQueue;
    this.workerFunction = this.buildWorker(props);
    this.eventSource = this.buildMapping(props);
    this.wireDeadLetterQueue();
    this.addAdvice(props);
  }

  /**
   * Lets `grantee` send items: `sqs:SendMessage`, `sqs:GetQueueAttributes`, `sqs:GetQueueUrl`,
   * plus `kms:Encrypt`, `kms:Decrypt`, `kms:ReEncrypt*`, `kms:GenerateDataKey*` when a brought
   * queue uses a KMS key.
   */
  public grantSend(grantee: IGrantable): Grant {
    return this.ingress.grantSendMessages(grantee);
  }

  /**
   * Lets `grantee` consume items: `sqs:ReceiveMessage`, `sqs:ChangeMessageVisibility`,
   * `sqs:GetQueueUrl`, `sqs:DeleteMessage`, `sqs:GetQueueAttributes`, plus `kms:Decrypt` when a
   * brought queue uses a KMS key.
   */
  public grantConsume(grantee: IGrantable): Grant {
    return this.ingress.grantConsumeMessages(grantee);
  }

  /** Messages waiting to be processed (`ApproximateNumberOfMessagesVisible`, Maximum over 5 minutes). */
  public metricBacklog(props?: MetricOptions): Metric {
    return this.ingress.metricApproximateNumberOfMessagesVisible(props);
  }

  /** Age of the oldest waiting message in seconds (`ApproximateAgeOfOldestMessage`, Maximum). */
  public metricOldestMessageAge(props?: MetricOptions): Metric {
    return this.ingress.metricApproximateAgeOfOldestMessage(props);
  }

  /**
   * Messages in the dead-letter queue (`ApproximateNumberOfMessagesVisible`, Maximum).
   *
   * @throws Error when no dead-letter queue is known (a brought queue without one)
   */
  public metricDlqDepth(props?: MetricOptions): Metric {
    if (!this.ingressDeadLetterQueue) {
      throw new Error(`WorkQueue ${this.node.path}: metricDlqDepth needs a dead-letter queue; pass ingressDeadLetterQueue with ingress`);
    }
    return this.ingressDeadLetterQueue.metricApproximateNumberOfMessagesVisible(props);
  }

  /** Items the worker failed (runtime EMF metric `ItemsFailed`, Sum over 5 minutes). */
  public metricItemsFailed(props?: MetricOptions): Metric {
    return serviceMetric(this.serviceName, MetricName.itemsFailed, 'Sum', props);
  }

  /** Items the worker processed successfully (runtime EMF metric `ItemsProcessed`, Sum over 5 minutes). */
  public metricItemsProcessed(props?: MetricOptions): Metric {
    return serviceMetric(this.serviceName, MetricName.itemsProcessed, 'Sum', props);
  }

  private buildQueues(props: WorkQueueProps): { queue: IQueue; deadLetterQueue?: IQueue } {
    return secureQueue(this, 'Queue', {
      queue: props.ingress,
      deadLetterQueue: props.ingressDeadLetterQueue,
      maxReceiveCount: props.maxReceiveCount,
      fifo: props.fifo,
      contentBasedDeduplication: props.contentBasedDeduplication,
      visibilityTimeout: props.visibilityTimeout ?? derivedVisibilityTimeout(props),
      retentionPeriod: props.retentionPeriod,
    });
  }

  private buildWorker(props: WorkQueueProps): IFunction {
    const runtimeEnv = this.runtimeEnvironment(props);
    if (props.handler) {
      // An imported function's configuration is not ours to change; a Function of this app is.
      if (props.handler instanceof LambdaFunction) {
        for (const [key, value] of Object.entries(runtimeEnv)) props.handler.addEnvironment(key, value);
      }
      return props.handler;
    }
    return handlerFunction(this, 'Worker', {
      entry: props.entry as string,
      serviceName: this.serviceName,
      timeout: workerTimeout(props),
      memorySize: props.memorySize,
      environment: { ...props.environment, ...runtimeEnv },
      description: `pp-patterns WorkQueue worker of ${this.node.path}`,
    });
  }

  private runtimeEnvironment(props: WorkQueueProps): Record<string, string> {
    const itemConcurrency = props.itemConcurrency ?? WORK_QUEUE_DEFAULTS.itemConcurrency;
    return {
      [Env.itemConcurrency]: String(itemConcurrency),
      ...(this.ingressDeadLetterQueue ? { [Env.deadLetterQueueUrl]: this.ingressDeadLetterQueue.queueUrl } : {}),
    };
  }

  private buildMapping(props: WorkQueueProps): SqsEventSource {
    const eventSource = new SqsEventSource(this.ingress, {
      batchSize: props.batchSize ?? WORK_QUEUE_DEFAULTS.batchSize,
      maxBatchingWindow: props.maxBatchingWindow,
      maxConcurrency: props.maxConcurrency,
      reportBatchItemFailures: props.reportBatchItemFailures ?? true,
    });
    this.workerFunction.addEventSource(eventSource);
    return eventSource;
  }

  /** Poison records skip the retries: the worker sends them to the DLQ itself. */
  private wireDeadLetterQueue(): void {
    if (!this.ingressDeadLetterQueue) return;
    if (this.workerFunction.role) {
      this.ingressDeadLetterQueue.grantSendMessages(this.workerFunction);
      return;
    }
    Annotations.of(this).addWarningV2('pp-patterns:WorkQueue.handlerWithoutRole',
      `The handler was imported without a role, so it was not granted sqs:SendMessage on the dead-letter queue; ` +
        'grant it yourself, or poison records will fail to be dead-lettered and be retried instead.');
  }

  private addAdvice(props: WorkQueueProps): void {
    const annotations = Annotations.of(this);
    const unstable = stabilityWarning(props);
    if (unstable) annotations.addWarningV2('pp-patterns:WorkQueue.unstable', unstable);
    const slowBatch = batchTimeoutWarning(props);
    if (slowBatch) annotations.addWarningV2('pp-patterns:WorkQueue.batchTimeout', slowBatch);
    if (!this.ingressDeadLetterQueue) {
      annotations.addWarningV2('pp-patterns:WorkQueue.noDeadLetterQueue',
        'The brought ingress has no known dead-letter queue: poison records will be retried until they expire. ' +
          'Pass ingressDeadLetterQueue with ingress.');
    }
  }
}
