/**
 * Aggregator of the end-to-end stack: prices a batch of SKUs in one "backend call", recorded
 * as one message on the calls queue (`E2E_CALLS_QUEUE_URL`) carrying the batch's SKUs, so the
 * test counts backend calls. SKU `unknown` is answered with its own error.
 */
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { sharedSqsClient } from '../../../functions/lib/aws/sqs-send-port';
import { EnvReader } from '../../../functions/lib/env-reader';
import { aggregator } from '../../../functions/request-aggregator/factory';

const reader = new EnvReader(process.env);
const callsQueueUrl = reader.text('E2E_CALLS_QUEUE_URL');
reader.check();

/** The Lambda handler. */
export const handler = aggregator<{ sku: string }, { sku: string; cents: number }>({
  parse: (request) => {
    const sku = (request as { sku?: unknown } | null)?.sku;
    if (typeof sku !== 'string') throw new TypeError(`sku must be a string, got ${JSON.stringify(sku)}`);
    return { sku };
  },
  processBatch: async (requests) => {
    await (await sharedSqsClient()).send(new SendMessageCommand({ QueueUrl: callsQueueUrl, MessageBody: JSON.stringify(requests.map((r) => r.sku)) }));
    return requests.map(({ sku }) => (sku === 'unknown' ? new RangeError(`no price for ${sku}`) : { sku, cents: sku.length * 100 }));
  },
  maxBatchSize: 100,
});
