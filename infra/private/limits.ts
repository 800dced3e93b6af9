/**
 * The AWS service limits the constructs validate their props against.
 *
 * One named constant per limit, grouped by service, so a validation rule reads as the
 * documented limit (`SqsLimits.maxBatchEntries`) instead of a bare number, and a limit AWS
 * raises is changed in one place. Durations are in seconds, sizes in bytes.
 */

/** Amazon SQS quotas. */
export const SqsLimits = {
  /** Entries per SendMessageBatch / DeleteMessageBatch / ChangeMessageVisibilityBatch call. */
  maxBatchEntries: 10,
  /** Largest message, and largest batch request in total, in bytes (1 MiB). */
  maxMessageBytes: 1_048_576,
  /** Requests are billed per 64 KiB chunk of payload. */
  billingChunkBytes: 65_536,
  /** Messages one ReceiveMessage call returns at most. */
  maxReceiveMessages: 10,
  /** Longest long-poll wait of a ReceiveMessage call, in seconds. */
  maxWaitTimeSeconds: 20,
  /** FIFO queues: API calls per second per action, without high throughput mode. */
  fifoTransactionsPerSecond: 300,
  /** FIFO queues: messages per second per action when every call is a 10-entry batch. */
  fifoBatchedMessagesPerSecond: 3_000,
  /** Longest visibility timeout, in seconds (12 hours). */
  maxVisibilityTimeoutSeconds: 43_200,
  /** Smallest and largest maxReceiveCount of a redrive policy. */
  minMaxReceiveCount: 1,
  maxMaxReceiveCount: 1_000,
  /** Longest message retention, in seconds (14 days); used for dead-letter queues. */
  maxRetentionSeconds: 1_209_600,
} as const;

/** Lambda: limits of functions and of the SQS event source mapping. */
export const LambdaLimits = {
  /** Shortest and longest function timeout, in seconds. */
  minTimeoutSeconds: 1,
  maxTimeoutSeconds: 900,
  /** Smallest and largest function memory, in MB. */
  minMemoryMb: 128,
  maxMemoryMb: 10_240,
  /** Largest batch of an SQS mapping on a standard queue. */
  maxSqsBatchSizeStandard: 10_000,
  /** Largest batch of an SQS mapping on a FIFO queue. */
  maxSqsBatchSizeFifo: 10,
  /** Above this batch size, a standard-queue mapping needs a batching window of at least 1 s. */
  sqsBatchSizeWithoutWindow: 10,
  /** Shortest batching window required when the batch size exceeds 10, in seconds. */
  minSqsBatchingWindowForLargeBatchSeconds: 1,
  /** Longest batching window, in seconds (FIFO mappings take none). */
  maxSqsBatchingWindowSeconds: 300,
  /** Range of a mapping's ScalingConfig.MaximumConcurrency (not with provisioned pollers). */
  minSqsMaximumConcurrency: 2,
  maxSqsMaximumConcurrency: 1_000,
  /** The default regional concurrent-executions quota of an account. */
  defaultAccountConcurrency: 1_000,
  /** AWS advises a queue visibility timeout of at least this many times the function timeout. */
  visibilityTimeoutToFunctionTimeoutRatio: 6,
} as const;

/** Amazon DynamoDB quotas. */
export const DynamoDbLimits = {
  /** Put/delete requests per BatchWriteItem call. */
  maxBatchWriteItems: 25,
  /** Keys per BatchGetItem call. */
  maxBatchGetItems: 100,
  /** Actions per TransactWriteItems call. */
  maxTransactWriteItems: 100,
  /** Largest item, in bytes (400 KB). */
  maxItemBytes: 409_600,
} as const;

/** AWS Step Functions quotas. */
export const StepFunctionsLimits = {
  /** Effective upper bound of an inline Map state's MaxConcurrency. */
  maxInlineMapConcurrency: 40,
  /** Largest execution history, in events. */
  maxHistoryEvents: 25_000,
  /** Largest state input/output payload, in bytes (256 KiB). */
  maxPayloadBytes: 262_144,
  /** Most concurrent child executions of a distributed Map. */
  maxDistributedMapConcurrency: 10_000,
} as const;

/** Amazon EventBridge (rules and Scheduler) limits. */
export const EventBridgeLimits = {
  /** Finest schedule granularity, in seconds: shorter intervals need a loop (e.g. a Step Functions Wait). */
  minScheduleIntervalSeconds: 60,
} as const;
