/**
 * The one place where infra/ and functions/ meet.
 *
 * Every string a stack writes and a handler reads (environment variable names, message
 * attribute names, metric names, table key shapes) is defined here once, so a construct and
 * the handler it deploys can never drift apart. Pure data: no AWS SDK, no aws-cdk-lib.
 */

/** Environment variables the constructs set on the functions they build. */
export const Env = {
  /** URL of the queue's dead-letter queue: poison records are sent there directly. */
  deadLetterQueueUrl: 'PP_DLQ_URL',
  /** URL of the queue a stage sends its results to (absent on the last stage). */
  nextQueueUrl: 'PP_NEXT_QUEUE_URL',
  /** How many items of one batch the handler works on at once. */
  itemConcurrency: 'PP_ITEM_CONCURRENCY',
  /** Powertools: service name used by Logger and Metrics. */
  serviceName: 'POWERTOOLS_SERVICE_NAME',
  /** Powertools: CloudWatch namespace of the EMF metrics. */
  metricsNamespace: 'POWERTOOLS_METRICS_NAMESPACE',
} as const;

/** SQS message attributes written by the runtime (names must not start with `AWS.`/`Amazon.`). */
export const MessageAttribute = {
  /** Why a record was sent to the DLQ without being retried. */
  errorReason: 'PpErrorReason',
  /** The error class name of that reason (e.g. `PoisonRecordError`). */
  errorType: 'PpErrorType',
  /** The ARN of the queue the poison record was received from. */
  sourceQueueArn: 'PpSourceQueueArn',
} as const;

/** The CloudWatch namespace every pp-patterns metric is published under. */
export const METRICS_NAMESPACE = 'PpPatterns';

/** Metric names emitted by the runtime (EMF) and read by the constructs' `metric*` methods. */
export const MetricName = {
  itemsProcessed: 'ItemsProcessed',
  itemsFailed: 'ItemsFailed',
  itemDuration: 'ItemDuration',
  poisonRecords: 'PoisonRecords',
} as const;

/** The metric dimension that tells one construct's metrics from another's. */
export const METRIC_SERVICE_DIMENSION = 'service';
