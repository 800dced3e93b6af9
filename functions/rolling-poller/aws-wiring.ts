/**
 * The AWS wiring of the rolling poller's handlers: the DynamoDB watch table, completion events
 * on SQS or EventBridge, and SQS sends for the ingress's DLQ.
 */
import { sqsSendPort } from '../lib/aws/sqs-send-port';
import { DynamoWatchStore } from '../lib/aws/watch-store';
import { eventBridgeCompletionSink } from '../lib/aws/watch-store-completions';
import { QueuePublisher } from '../lib/publisher';
import { queueCompletionSink } from '../lib/rolling-poller/completions';
import type { RollingPollerWiring } from '../lib/rolling-poller/handlers';

/** Real DynamoDB, SQS and EventBridge, with clients configured from the standard AWS environment. */
export const awsWiring: RollingPollerWiring = {
  watchStoreFor: (tableName) => new DynamoWatchStore({ tableName }),
  completionSinkFor: (target) =>
    'queueUrl' in target ? queueCompletionSink(new QueuePublisher({ port: sqsSendPort(target.queueUrl) })) : eventBridgeCompletionSink(target.busName),
  sendPortFor: (queueUrl) => sqsSendPort(queueUrl),
};
