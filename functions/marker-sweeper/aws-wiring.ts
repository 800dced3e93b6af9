/**
 * The AWS wiring of the marker and sweeper handlers: the DynamoDB flag set and SQS sends.
 */
import { DynamoFlagStore } from '../lib/aws/flag-store';
import { sqsSendPort } from '../lib/aws/sqs-send-port';
import type { MarkerSweeperWiring } from '../lib/marker-sweeper/handlers';

/** Real DynamoDB and SQS, with clients configured from the standard AWS environment. */
export const awsWiring: MarkerSweeperWiring = {
  flagStoreFor: (config) => new DynamoFlagStore(config),
  sendPortFor: (queueUrl) => sqsSendPort(queueUrl),
};
