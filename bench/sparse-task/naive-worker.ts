/**
 * The naive baseline of the sparse-task bench: a worker that starts the external job, then
 * holds its invocation — sleeping and polling the job's status every `BENCH_NAIVE_POLL_MS` —
 * until the job is done, and records the result. One task per invocation (batch size 1).
 */
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { SparseBenchEnv, type ExternalJob } from './env';

const sqs = new SQSClient({});
const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const jobsUrl = process.env[SparseBenchEnv.externalJobsUrl];
const statusTable = process.env[SparseBenchEnv.externalStatusTable];
const resultsTable = process.env[SparseBenchEnv.naiveResultsTable];
const pollMs = Number(process.env[SparseBenchEnv.naivePollMs] ?? 500);

async function runTask(task: { taskId: string; latencyMs: number }): Promise<void> {
  const job: ExternalJob = { taskId: task.taskId, latencyMs: task.latencyMs, mode: 'status' };
  await sqs.send(new SendMessageCommand({ QueueUrl: jobsUrl, MessageBody: JSON.stringify(job) }));
  for (let polls = 1; ; polls++) {
    await new Promise((resolve) => setTimeout(resolve, pollMs));
    const status = (await dynamo.send(new GetCommand({ TableName: statusTable, Key: { jobId: task.taskId }, ConsistentRead: true }))).Item;
    if (status) {
      await dynamo.send(new PutCommand({ TableName: resultsTable, Item: { taskId: task.taskId, status: status.status, polls } }));
      return;
    }
  }
}

/** The Lambda handler. */
export const handler = async (event: SQSEvent): Promise<void> => {
  for (const record of event.Records) await runTask(JSON.parse(record.body) as { taskId: string; latencyMs: number });
};
