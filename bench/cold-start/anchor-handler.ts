/**
 * The cold-start bench's reference: an SQS worker written by hand the way AWS's own guidance
 * writes one — middy with the partial batch response middleware, Powertools Logger (Lambda
 * context injected) and Metrics (flushed per invocation), and SDK v3 clients built once at
 * module scope: an SQS client and a DynamoDB document client. Each record is stored with a
 * conditional put (idempotent under SQS's at-least-once delivery) and its result is forwarded
 * with one SendMessageBatch per invocation.
 *
 * Built by the bench with esbuild, minified, ESM, the SDK external or bundled.
 */
import middy from '@middy/core';
import sqsPartialBatchFailure from '@middy/sqs-partial-batch-failure';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent, SQSRecord } from 'aws-lambda';

const logger = new Logger();
const metrics = new Metrics();
const sqs = new SQSClient({});
const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } });
const tableName = process.env.TABLE_NAME!;
const outputUrl = process.env.OUTPUT_QUEUE_URL!;

interface Order {
  readonly id: string;
  readonly amount: number;
}

async function processRecord(record: SQSRecord): Promise<Order & { readonly total: number }> {
  const order = JSON.parse(record.body) as Order;
  const priced = { ...order, total: Math.round(order.amount * 1.2 * 100) / 100 };
  try {
    await documents.send(
      new PutCommand({ TableName: tableName, Item: { pk: order.id, ...priced }, ConditionExpression: 'attribute_not_exists(pk)' }),
    );
  } catch (error) {
    // A redelivered record was already stored: the put is the idempotency check.
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
  return priced;
}

async function lambdaHandler(event: SQSEvent): Promise<PromiseSettledResult<unknown>[]> {
  const settled = await Promise.allSettled(event.Records.map(processRecord));
  const done = settled.flatMap((s, i) => (s.status === 'fulfilled' ? [{ Id: String(i), MessageBody: JSON.stringify(s.value) }] : []));
  if (done.length > 0) {
    const sent = await sqs.send(new SendMessageBatchCommand({ QueueUrl: outputUrl, Entries: done }));
    const failedIds = new Set((sent.Failed ?? []).map((f) => f.Id));
    for (const id of failedIds) settled[Number(id)] = { status: 'rejected', reason: new Error('forward failed') };
  }
  metrics.addMetric('ItemsProcessed', MetricUnit.Count, done.length);
  logger.info('batch done', { records: event.Records.length, forwarded: done.length });
  return settled;
}

/** The Lambda entry point. */
export const handler = middy(lambdaHandler)
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics))
  .use(sqsPartialBatchFailure({ logger: (reason: unknown) => logger.error('record failed', { reason: String(reason) }) }));
