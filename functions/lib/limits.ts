/**
 * AWS limits the runtime packs its batched calls against, in one place.
 *
 * Sizes are in bytes. These are the runtime's copy of the AWS service limits; the
 * constructs validate props against the same numbers in `infra/private/limits.ts` (infra/
 * and functions/ share only the contract module, so neither imports the other).
 */

/** Amazon SQS message and batch limits. */
export const SqsLimits = {
  /** Entries per SendMessageBatch / DeleteMessageBatch call. */
  maxBatchEntries: 10,
  /** Largest message: body plus attribute names, types and values, UTF-8 (1 MiB). */
  maxMessageBytes: 1_048_576,
  /** Largest SendMessageBatch request: the sum of its messages (1 MiB). */
  maxBatchBytes: 1_048_576,
  /** Message attributes one message may carry. */
  maxMessageAttributes: 10,
  /** Longest delivery delay, in seconds. */
  maxDelaySeconds: 900,
} as const;

/** Amazon DynamoDB batch and item limits. */
export const DynamoDbLimits = {
  /** Put/delete requests per BatchWriteItem call. */
  maxBatchWriteItems: 25,
  /** Keys per BatchGetItem call. */
  maxBatchGetItems: 100,
  /** Largest item, in bytes (400 KB). */
  maxItemBytes: 409_600,
  /** Largest partition key value, in UTF-8 bytes. */
  maxPartitionKeyBytes: 2_048,
} as const;
