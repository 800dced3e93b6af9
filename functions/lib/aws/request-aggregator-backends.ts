/**
 * BatchGetItem adapter for the request aggregator's {@link BatchGetPort}, in document form,
 * and the ready-made DynamoDB and SQS batch functions wired to the runtime's AWS adapters.
 */
import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { BatchWriter, type DocumentItem, type WriteRequest } from '../batch-writer';
import { QueuePublisher } from '../publisher';
import { batchGetLoader, type BatchGetLoaderOptions, type BatchGetPort, type BatchGetResult } from '../request-aggregator/batch-get';
import { batchWriteLoader, sendMessageLoader, type SendMessageRequest } from '../request-aggregator/batch-write';
import type { LoadBatchFn } from '../request-aggregator/options';
import type { BackoffOptions } from '../retry';
import { dynamoDbWritePort, sharedDocumentClient } from './dynamodb-write-port';
import { sharedSqsClient, sqsSendPort } from './sqs-send-port';

/**
 * A {@link BatchGetPort} reading from `tableName` with BatchGetItem: strongly consistent when
 * asked, and only the `projection` attributes when given (they must include the key attributes).
 */
export function dynamoDbBatchGetPort(tableName: string, client: DynamoDBDocumentClient = sharedDocumentClient(), consistentRead = false, projection?: readonly string[]): BatchGetPort {
  const names = projection === undefined ? {} : {
    ProjectionExpression: projection.map((_, i) => `#p${i}`).join(', '),
    ExpressionAttributeNames: Object.fromEntries(projection.map((name, i) => [`#p${i}`, name])),
  };
  return {
    async get(keys: readonly DocumentItem[]): Promise<BatchGetResult> {
      const output = await client.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: keys.map((key) => ({ ...key })), ConsistentRead: consistentRead, ...names } } }));
      return { items: output.Responses?.[tableName] ?? [], unprocessed: output.UnprocessedKeys?.[tableName]?.Keys ?? [] };
    },
  };
}

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
  return sendMessageLoader(new QueuePublisher({ ...backoff, port: sqsSendPort(queueUrl, client ?? sharedSqsClient()) }));
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
