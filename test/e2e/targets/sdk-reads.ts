/**
 * Reads of the demo's table and queues through the AWS SDK, as a test can make them against
 * any SQS/DynamoDB endpoint: order ids filtered by prefix, the dead-letter queue read without
 * consuming it, the ingress queue's depth.
 */
import {
  ChangeMessageVisibilityBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, type Message, type SQSClient,
} from '@aws-sdk/client-sqs';
import { paginateScan, type DynamoDBDocumentClient, type ScanCommandInput } from '@aws-sdk/lib-dynamodb';
import { DemoOrdersTable } from '../../../functions/contract';
import type { DeadLetter } from './types';

/** Seconds a read keeps dead letters hidden before handing them back (if the reader died). */
const READ_HOLD_SECONDS = 30;

function prefixScan(table: string, prefix: string): ScanCommandInput {
  return {
    TableName: table,
    FilterExpression: 'begins_with(#id, :prefix)',
    ExpressionAttributeNames: { '#id': DemoOrdersTable.partitionKey },
    ExpressionAttributeValues: { ':prefix': prefix },
  };
}

/** Counts the orders whose id starts with `prefix`. */
export async function countOrders(client: DynamoDBDocumentClient, table: string, prefix: string): Promise<number> {
  let total = 0;
  for await (const page of paginateScan({ client }, { ...prefixScan(table, prefix), Select: 'COUNT' })) total += page.Count ?? 0;
  return total;
}

/** The orders whose id starts with `prefix`, by order id. */
export async function scanOrders(client: DynamoDBDocumentClient, table: string, prefix: string): Promise<Map<string, Record<string, unknown>>> {
  const items = new Map<string, Record<string, unknown>>();
  for await (const page of paginateScan({ client }, prefixScan(table, prefix))) {
    for (const item of page.Items ?? []) items.set(String(item[DemoOrdersTable.partitionKey]), item);
  }
  return items;
}

/**
 * Reads every message of a queue and hands them back at once (visibility 0), so reading a
 * deployed stack's dead-letter queue leaves it as it was. Stops after two long polls that bring
 * nothing new: one receive may sample only part of SQS's servers, and a message whose hold ran
 * out (a slow read, or a runtime that scales visibility timeouts) comes round again.
 */
export async function readAndRelease(sqs: SQSClient, queueUrl: string): Promise<DeadLetter[]> {
  const held = new Map<string, Message>();
  for (let stale = 0; stale < 2;) {
    const out = await sqs.send(new ReceiveMessageCommand({
      QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: READ_HOLD_SECONDS, WaitTimeSeconds: 1, MessageAttributeNames: ['All'],
    }));
    const messages = out.Messages ?? [];
    stale = messages.some((m) => !held.has(m.MessageId!)) ? 0 : stale + 1;
    // The newest receipt handle is the one SQS accepts for the release.
    for (const message of messages) held.set(message.MessageId!, message);
  }
  const all = [...held.values()];
  for (let i = 0; i < all.length; i += 10) {
    const Entries = all.slice(i, i + 10).map((m, j) => ({ Id: String(j), ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: 0 }));
    await sqs.send(new ChangeMessageVisibilityBatchCommand({ QueueUrl: queueUrl, Entries }));
  }
  return all.map((m) => ({ queueUrl, messageId: m.MessageId!, body: m.Body ?? '', messageAttributes: m.MessageAttributes ?? {} }));
}

/** A queue's approximate depth: visible, in flight and delayed messages. */
export async function queueDepth(sqs: SQSClient, queueUrl: string): Promise<{ visible: number; inFlight: number; delayed: number }> {
  const { Attributes: a = {} } = await sqs.send(new GetQueueAttributesCommand({
    QueueUrl: queueUrl,
    AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
  }));
  return {
    visible: Number(a.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(a.ApproximateNumberOfMessagesNotVisible ?? 0),
    delayed: Number(a.ApproximateNumberOfMessagesDelayed ?? 0),
  };
}
