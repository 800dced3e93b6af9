import { Duration } from 'aws-cdk-lib';
import { Metric, MetricOptions } from 'aws-cdk-lib/aws-cloudwatch';
import { AttributeType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Grant, IGrantable } from 'aws-cdk-lib/aws-iam';
import { Function as LambdaFunction, IFunction } from 'aws-cdk-lib/aws-lambda';
import { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { MetricName, RequestAggregatorEnv, RequestAggregatorMetric, ResultTable } from '../functions/contract';
import { IngressBackedConstruct } from './private/ingress-backed';
import { REQUEST_AGGREGATOR_DEFAULTS as D, validateRequestAggregatorProps } from './private/request-aggregator-rules';
import { secureTable } from './private/secure-table';
import { serviceMetric } from './private/service-metric';
import { WorkQueue } from './work-queue';

/** Props of {@link RequestAggregator}. Give exactly one of `entry` and `handler`. */
export interface RequestAggregatorProps {
  /**
   * Path of your aggregator handler file, written with the runtime's `aggregator({ processBatch })`.
   *
   * @default - none; give `entry` or `handler`
   */
  readonly entry?: string;
  /**
   * An existing function built with `aggregator({ processBatch })`. A `Function` of this app gets
   * the construct's environment variables; an imported one must have them already.
   *
   * @default - none; give `entry` or `handler`
   */
  readonly handler?: IFunction;
  /**
   * A standard queue you bring as the ingress. Excludes `ingressMaxReceiveCount`.
   *
   * @default - a new queue with SQS-managed encryption, TLS-only policy and a dead-letter queue
   */
  readonly ingress?: IQueue;
  /**
   * The dead-letter queue of a brought `ingress`, where malformed requests go with the reason. Only with `ingress`.
   *
   * @default - the brought queue's own dead-letter queue if it is a `Queue` of this app, else none
   */
  readonly ingressDeadLetterQueue?: IQueue;
  /**
   * Receives of a request before the created ingress moves it to its DLQ (1–1,000).
   *
   * @default 3
   */
  readonly ingressMaxReceiveCount?: number;
  /**
   * Requests per aggregator invocation (1–10,000); above 10 needs `ingressMaxBatchingWindow` ≥ 1 second.
   * The runtime splits an invocation into calls of its `maxBatchSize`.
   *
   * @default 100
   */
  readonly ingressBatchSize?: number;
  /**
   * How long the poller gathers requests before invoking (0–300 seconds): the latency callers
   * trade for fuller batches.
   *
   * @default Duration.seconds(1)
   */
  readonly ingressMaxBatchingWindow?: Duration;
  /**
   * Concurrent aggregator invocations (2–1,000): caps the backend's concurrent batch calls.
   *
   * @default - no cap
   */
  readonly ingressMaxConcurrency?: number;
  /**
   * Aggregator timeout (1–900 seconds).
   *
   * @default Duration.seconds(30)
   */
  readonly timeout?: Duration;
  /**
   * Aggregator memory in MB (128–10,240).
   *
   * @default 512
   */
  readonly memorySize?: number;
  /**
   * Extra environment variables of the aggregator function.
   *
   * @default - only the variables the construct sets
   */
  readonly environment?: Record<string, string>;
  /**
   * How long an answer stays in the results table (1 minute–366 days), for late or repeated callers.
   *
   * @default Duration.days(1)
   */
  readonly resultTtl?: Duration;
  /**
   * A standard reply queue every answer is also sent to, as one JSON message (`AggregatorResultItem`).
   *
   * @default - no replies: callers read the results table
   */
  readonly output?: IQueue;
  /**
   * Powertools service name of the aggregator: the `service` dimension of the `metric*` methods.
   *
   * @default - this construct's path
   */
  readonly serviceName?: string;
}

/**
 * Request Aggregator across Lambda invocations: callers send single
 * requests, an SQS ingress with a batching window gathers them, and the aggregator function
 * answers each batch with one call of your batch function (several of `maxBatchSize` when the
 * batch is larger). Each answer is put in a results table under its request id (TTL) and, with
 * `output`, sent to a reply queue. A request id is answered once, however often it is sent;
 * malformed requests go to the ingress DLQ with the reason.
 *
 * Callers use the runtime's `requestAggregatorClient({ queueUrl, tableName })`: `submit(request)`
 * returns the request id, `submitAndWait(request)` the answer; waiting callers of one process
 * share their BatchGetItem polls.
 *
 * @example
 * const prices = new RequestAggregator(this, 'Prices', { entry: 'functions/prices/aggregator.ts' });
 * prices.grantSend(apiFunction);
 * prices.grantReadResults(apiFunction);
 */
export class RequestAggregator extends IngressBackedConstruct {
  /** The aggregator function. */
  public readonly aggregatorFunction: IFunction;
  /** The results table: one answer per request id. */
  public readonly table: TableV2;
  /** The reply queue, when given. */
  public readonly output?: IQueue;
  /** The Powertools service name, the `service` dimension of the metrics. */
  public readonly serviceName: string;
  protected readonly ingressWorker: WorkQueue;

  constructor(scope: Construct, id: string, props: RequestAggregatorProps) {
    super(scope, id);
    validateRequestAggregatorProps(this, props);
    this.serviceName = props.serviceName ?? this.node.path;
    this.output = props.output;
    this.table = secureTable(this, 'Results', {
      partitionKey: { name: ResultTable.partitionKey, type: AttributeType.STRING },
      timeToLiveAttribute: ResultTable.ttlAttribute,
    });
    this.ingressWorker = this.buildAggregator(props);
    this.aggregatorFunction = this.ingressWorker.workerFunction;
    this.grantAggregator();
  }

  /** Lets `grantee` read answers: `dynamodb:BatchGetItem`, `dynamodb:GetItem` on the results table. */
  public grantReadResults(grantee: IGrantable): Grant {
    return this.table.grant(grantee, 'dynamodb:BatchGetItem', 'dynamodb:GetItem');
  }

  /** Request messages handled, duplicates included (runtime metric `ItemsProcessed`, Sum). */
  public metricItemsProcessed(props?: MetricOptions): Metric {
    return serviceMetric(this.serviceName, MetricName.itemsProcessed, 'Sum', props);
  }

  /** Calls of the batch function: the backend calls (Sum). */
  public metricBackendCalls(props?: MetricOptions): Metric {
    return serviceMetric(this.serviceName, RequestAggregatorMetric.backendCalls, 'Sum', props);
  }

  /** Requests answered, with a value or their own error (Sum). */
  public metricRequestsAnswered(props?: MetricOptions): Metric {
    return serviceMetric(this.serviceName, RequestAggregatorMetric.requestsAnswered, 'Sum', props);
  }

  /** Request messages not sent to the backend because their id was answered already (Sum). */
  public metricDuplicateRequests(props?: MetricOptions): Metric {
    return serviceMetric(this.serviceName, RequestAggregatorMetric.duplicateRequests, 'Sum', props);
  }

  private runtimeEnvironment(props: RequestAggregatorProps): Record<string, string> {
    return {
      [RequestAggregatorEnv.resultTableName]: this.table.tableName,
      [RequestAggregatorEnv.resultTtlSeconds]: String((props.resultTtl ?? D.resultTtl).toSeconds()),
      ...(props.output ? { [RequestAggregatorEnv.replyQueueUrl]: props.output.queueUrl } : {}),
    };
  }

  private buildAggregator(props: RequestAggregatorProps): WorkQueue {
    const environment = this.runtimeEnvironment(props);
    // WorkQueue sets env vars only on functions it creates: a brought Function of this app gets ours here.
    if (props.handler instanceof LambdaFunction) for (const [key, value] of Object.entries(environment)) props.handler.addEnvironment(key, value);
    return new WorkQueue(this, 'Aggregator', {
      entry: props.entry,
      handler: props.handler,
      ingress: props.ingress,
      ingressDeadLetterQueue: props.ingressDeadLetterQueue,
      maxReceiveCount: props.ingressMaxReceiveCount,
      batchSize: props.ingressBatchSize ?? D.ingressBatchSize,
      maxBatchingWindow: props.ingressMaxBatchingWindow ?? D.ingressMaxBatchingWindow,
      maxConcurrency: props.ingressMaxConcurrency,
      timeout: props.timeout,
      memorySize: props.memorySize,
      environment: props.handler ? undefined : { ...props.environment, ...environment },
      serviceName: this.serviceName,
    });
  }

  /** Least privilege: the function reads which ids are answered and writes answers, nothing else. */
  private grantAggregator(): void {
    this.table.grant(this.aggregatorFunction, 'dynamodb:BatchGetItem', 'dynamodb:BatchWriteItem');
    this.output?.grantSendMessages(this.aggregatorFunction);
  }
}
