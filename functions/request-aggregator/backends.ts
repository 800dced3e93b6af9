/**
 * The ready-made batch functions of the RequestAggregator, wired to DynamoDB and SQS through
 * the runtime's adapters and retrying batch helpers.
 */
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoDbBatchGetPort } from '../lib/aws/dynamodb-batch-get-port';
import { dynamoDbWritePort } from '../lib/aws/dynamodb-write-port';
import { sqsSendPort } from '../lib/aws/sqs-send-port';
import { BatchWriter, type DocumentItem, type WriteRequest } from '../lib/batch-writer';
import { QueuePublisher } from '../lib/publisher';
import { batchGetLoader, type BatchGetLoaderOptions } from '../lib/request-aggregator/batch-get';
import { batchWriteLoader, sendMessageLoader, type SendMessageRequest } from '../lib/request-aggregator/batch-write';
import type { LoadBatchFn } from '../lib/request-aggregator/options';
import type { BackoffOptions } from '../lib/retry';

/** Where and how {@link dynamoDbGetBatch} reads. */
export interface DynamoDbGetBatchOptions extends Omit<BatchGetLoaderOptions, 'port'> {
  /** The table to read. */
  readonly tableName: string;
  /** Strongly consistent reads. @default false */
  readonly consistentRead?: boolean;
  /** Attributes to read, key attributes included. @default - whole items */
  readonly projection?: readonly string[];
  /** The document client. @default - the process-wide client */
  readonly client?: DynamoDBDocumentClient;
}

/** A batch function reading items by key with BatchGetItem (≤ 100 keys a call, UnprocessedKeys retried). */
export function dynamoDbGetBatch(options: DynamoDbGetBatchOptions): LoadBatchFn<DocumentItem, DocumentItem | undefined> {
  const { tableName, consistentRead, client, projection, ...rest } = options;
  return batchGetLoader({ ...rest, port: dynamoDbBatchGetPort(tableName, client, consistentRead, projection) });
}

/** A batch function writing put/delete requests with BatchWriteItem (25 a call, UnprocessedItems retried). */
export function dynamoDbWriteBatch(options: { readonly tableName: string; readonly keyAttributes: readonly string[]; readonly client?: DynamoDBDocumentClient } & BackoffOptions): LoadBatchFn<WriteRequest, void> {
  const { tableName, client, keyAttributes, ...backoff } = options;
  return batchWriteLoader(new BatchWriter({ ...backoff, keyAttributes, port: dynamoDbWritePort(tableName, client) }));
}

/** A batch function sending messages with SendMessageBatch (10 entries / 1 MiB a call, failed entries retried). */
export function sqsSendBatch(options: { readonly queueUrl: string; readonly client?: SQSClient } & BackoffOptions): LoadBatchFn<SendMessageRequest, void> {
  const { queueUrl, client, ...backoff } = options;
  return sendMessageLoader(new QueuePublisher({ ...backoff, port: sqsSendPort(queueUrl, client) }));
}

/**
 * The ready-made batch functions, grouped under one name for the runtime entry:
 * `new RequestAggregator({ loadBatch: aggregatorBackends.dynamoDbGet({ tableName, keyAttributes: ['id'] }) })`.
 */
export const aggregatorBackends = {
  /** BatchGetItem by key; see {@link dynamoDbGetBatch}. */
  dynamoDbGet: dynamoDbGetBatch,
  /** BatchWriteItem puts and deletes; see {@link dynamoDbWriteBatch}. */
  dynamoDbWrite: dynamoDbWriteBatch,
  /** SendMessageBatch; see {@link sqsSendBatch}. */
  sqsSend: sqsSendBatch,
} as const;
