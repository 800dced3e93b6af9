/**
 * The naive baseline of the rolling-poller bench: a scheduled Lambda that, every tick, reads
 * every watched job and calls the status API once per job; each done job gets a completion
 * message (sent in batches of 10) and is deleted from its watch table.
 */
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { checkJobs } from './status-api';

const sqs = new SQSClient({});
const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const table = process.env.BENCH_NAIVE_WATCH_TABLE;
const completionsUrl = process.env.BENCH_NAIVE_COMPLETIONS_URL;

/** The Lambda handler: one tick. */
export const handler = async (): Promise<{ checked: number; completed: number }> => {
  const done: { id: string; data: unknown }[] = [];
  let checked = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await dynamo.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start, ConsistentRead: true }));
    for (const item of page.Items ?? []) {
      checked++;
      if (checkJobs([{ id: String(item.id), data: item.data }])[0]?.done) done.push({ id: String(item.id), data: item.data });
    }
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  const completedAt = Date.now();
  for (let i = 0; i < done.length; i += 10) {
    const Entries = done.slice(i, i + 10).map((job, j) => ({ Id: String(j), MessageBody: JSON.stringify({ ...job, completedAt }) }));
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: completionsUrl, Entries }));
  }
  for (const job of done) await dynamo.send(new DeleteCommand({ TableName: table, Key: { id: job.id } }));
  return { checked, completed: done.length };
};
