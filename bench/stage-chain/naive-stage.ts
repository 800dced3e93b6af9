/**
 * The naive chain's stage handler in the stage-chain benchmark: what a per-item design does —
 * one message per invocation, one SendMessage per result, one PutItem per item at the sink.
 */
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { Env, RoutingEnv } from '../../functions/contract';

const stageName = process.env.BENCH_STAGE_NAME ?? 'stage';
const nextQueueUrl = process.env[Env.nextQueueUrl];
const tableName = process.env[RoutingEnv.sinkTableName];
const sqs = new SQSClient({});
const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({}));

/** The Lambda handler: each record on its own, one request per result. */
export const handler = async (event: SQSEvent): Promise<void> => {
  for (const record of event.Records) {
    const item = { ...(JSON.parse(record.body) as Record<string, unknown>), [stageName]: true };
    if (nextQueueUrl) await sqs.send(new SendMessageCommand({ QueueUrl: nextQueueUrl, MessageBody: JSON.stringify(item) }));
    else if (tableName) await dynamo.send(new PutCommand({ TableName: tableName, Item: item }));
  }
};
