/**
 * The RequestAggregator construct's results table and reply queue, behind the serve core's
 * small interfaces: reads by BatchGetItem (keys only), writes by BatchWriteItem, replies by
 * SendMessageBatch — each retried on partial failure by the runtime's batch helpers.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { ResultTable, type AggregatorResultItem } from '../../contract';
import { BatchWriter } from '../batch-writer';
import { UnprocessedKeysError } from '../errors';
import { QueuePublisher } from '../publisher';
import type { ReplySink, ResultStore } from '../request-aggregator/serve';
import { dynamoDbGetBatch } from './request-aggregator-backends';
import { dynamoDbWritePort, sharedDocumentClient } from './dynamodb-write-port';
import { sharedSqsClient, sqsSendPort } from './sqs-send-port';

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
export function sqsReplySink<Res>(queueUrl: string, client: SQSClient = sharedSqsClient()): ReplySink<Res> {
  const publisher = new QueuePublisher({ port: sqsSendPort(queueUrl, client) });
  return {
    async send(items: readonly AggregatorResultItem<Res>[]) {
      await publisher.publish(items.map((item) => ({ body: JSON.stringify(item), attributes: { requestId: item.requestId } })));
    },
  };
}
