/**
 * The map of the reduce benchmark: each item works for its `workMs` (stragglers far longer),
 * builds a partial histogram, and hands it to both fan-ins at once — the Reduce's ingress
 * (merged as it arrives) and the join table (combined once every partial is there).
 */
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent } from 'aws-lambda';

/** One map item. */
export interface MapItem {
  readonly reduceId: string;
  readonly index: number;
  readonly items: number;
  readonly workMs: number;
  readonly buckets: number;
}

const sqs = new SQSClient({});
const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const reduceUrl = process.env.BENCH_REDUCE_URL as string;
const joinTable = process.env.BENCH_JOIN_TABLE as string;

/** The partial of item `index`: `buckets` word counts, deterministic so the final can be checked. */
export function partialOf(index: number, buckets: number): Record<string, number> {
  return Object.fromEntries(Array.from({ length: buckets }, (_, b) => [`word-${(index * 7 + b) % (buckets * 4)}`, 1 + ((index + b) % 3)]));
}

async function mapOne(item: MapItem): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, item.workMs));
  const value = partialOf(item.index, item.buckets);
  await Promise.all([
    sqs.send(new SendMessageCommand({ QueueUrl: reduceUrl, MessageBody: JSON.stringify({ reduceId: item.reduceId, partialId: `p${item.index}`, value, expected: item.items }) })),
    dynamo.send(new PutCommand({ TableName: joinTable, Item: { reduceId: item.reduceId, index: item.index, value: JSON.stringify(value) } })),
  ]);
}

/** The Lambda handler: the batch's items in parallel. */
export const handler = async (event: SQSEvent): Promise<void> => {
  await Promise.all(event.Records.map((r) => mapOne(JSON.parse(r.body) as MapItem)));
};
