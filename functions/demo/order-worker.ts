/**
 * The demo's express worker: the splitter's `express` route. It validates, prices and writes
 * each order in one invocation — one hop instead of the standard chain's three — putting the
 * batch into the orders table in BatchWriteItem calls of 25 (retrying UnprocessedItems with backoff).
 *
 * Idempotent under at-least-once delivery: the item is keyed by order id and computed only
 * from the order, so a re-delivered order overwrites itself with the same item. Invalid
 * orders are poison: the runtime sends them to the DLQ with the reason, without retries.
 */
import { DemoOrdersTable, Env } from '../contract';
import { dynamoDbWritePort } from '../lib/aws/dynamodb-write-port';
import { workQueue } from '../work-queue/factory';
import { BatchWriter, type WriteRequest } from '../lib/batch-writer';
import { ConfigError, UnprocessedItemsError } from '../lib/errors';
import type { BatchItemOutcome } from '../lib/work-queue/item-runner';
import type { Envelope } from '../lib/work-queue/sqs-records';
import { quote } from '../lib/validate';
import { parseOrder, toOrderItem, type Order } from './order';

const tableName = process.env[Env.tableName];
if (!tableName) throw new ConfigError([`${Env.tableName} must name the orders table, got ${quote(tableName)}`]);

const writer = new BatchWriter({ port: dynamoDbWritePort(tableName), keyAttributes: [DemoOrdersTable.partitionKey] });

/** Writes the batch; orders DynamoDB never accepted fail alone, the rest succeed. */
async function writeOrders(envelopes: readonly Envelope<Order>[]): Promise<BatchItemOutcome<void>[]> {
  let unwritten = new Set<unknown>();
  let failure: unknown;
  try {
    await writer.put(envelopes.map((envelope) => toOrderItem(envelope.item)));
  } catch (error) {
    // Anything but unprocessed items (e.g. access denied) fails the whole batch, so Lambda retries it.
    if (!(error instanceof UnprocessedItemsError)) throw error;
    failure = error;
    const unprocessed = (error as UnprocessedItemsError<WriteRequest>).unprocessed;
    unwritten = new Set(unprocessed.flatMap((request) => ('put' in request ? [request.put[DemoOrdersTable.partitionKey]] : [])));
  }
  return envelopes.map(({ messageId, item }) =>
    unwritten.has(item.orderId) ? { messageId, error: failure } : { messageId, result: undefined },
  );
}

/** The Lambda handler (SQS event source, partial batch responses). */
export const handler = workQueue<Order, void>({
  parse: (body) => parseOrder(body),
  processBatch: (envelopes) => writeOrders(envelopes),
});
