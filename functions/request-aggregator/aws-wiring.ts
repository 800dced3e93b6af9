/**
 * The AWS wiring of the aggregator handler: the results table and reply queue behind the serve
 * core's small interfaces — reads by BatchGetItem (keys only), writes by BatchWriteItem,
 * replies by SendMessageBatch, each retried on partial failure by the runtime's batch helpers.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { ResultTable, type AggregatorResultItem } from '../contract';
import { dynamoDbWritePort, sharedDocumentClient } from '../lib/aws/dynamodb-write-port';
import { sqsSendPort } from '../lib/aws/sqs-send-port';
import { BatchWriter } from '../lib/batch-writer';
import { UnprocessedKeysError } from '../lib/errors';
import { QueuePublisher } from '../lib/publisher';
import type { AggregatorWiring } from '../lib/request-aggregator/handler';
import type { ReplySink, ResultStore } from '../lib/request-aggregator/serve';
import { dynamoDbGetBatch } from './backends';

const KEY = [ResultTable.partitionKey];

/** A {@link ResultStore} on the results table `tableName`. */
export function dynamoResultStore<Res>(tableName: string, client: DynamoDBDocumentClient = sharedDocumentClient()): ResultStore<Res> {
  const read = dynamoDbGetBatch({ tableName, keyAttributes: KEY, client, consistentRead: true, projection: KEY });
  const writer = new BatchWriter({ port: dynamoDbWritePort(tableName, client), keyAttributes: KEY });
  return {
    async answered(ids) {
      const found = await read(ids.map((id) => ({ [ResultTable.partitionKey]: id })));
      const unread = found.find((item) => item instanceof UnprocessedKeysError);
      if (unread !== undefined) throw unread;
      return new Set(ids.filter((_, index) => found[index] !== undefined));
    },
    async put(items) {
      await writer.put(items.map((item) => ({ ...item })));
    },
  };
}

/** A {@link ReplySink} sending each answer as one JSON message to `queueUrl`. */
export function sqsReplySink<Res>(queueUrl: string, client?: SQSClient): ReplySink<Res> {
  const publisher = new QueuePublisher({ port: sqsSendPort(queueUrl, client) });
  return {
    async send(items: readonly AggregatorResultItem<Res>[]) {
      await publisher.publish(items.map((item) => ({ body: JSON.stringify(item), attributes: { requestId: item.requestId } })));
    },
  };
}

/** Real DynamoDB and SQS, with clients configured from the standard AWS environment. */
export const awsWiring: AggregatorWiring = {
  sendPortFor: (queueUrl) => sqsSendPort(queueUrl),
  resultStore: (tableName) => dynamoResultStore(tableName),
  replySink: (queueUrl) => sqsReplySink(queueUrl),
};
