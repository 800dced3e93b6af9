/**
 * Turning per-record outcomes into the partial batch response Lambda expects.
 *
 * Lambda deletes every record not listed in `batchItemFailures` and makes the listed ones
 * visible again. On FIFO queues a failed record must hold back the rest of its message group,
 * or SQS would deliver them out of order: after the first failure in a group every later
 * record of that group is reported failed too (as Powertools' FIFO processor does).
 */
import type { SQSBatchResponse, SQSRecord } from 'aws-lambda';
import { isFifoRecord } from './sqs-records';

/**
 * The ids of the records to report failed: `failed` plus, on FIFO queues, every record after
 * the first failure of its message group. Returned in event order.
 */
export function failedWithFifoStops(records: readonly SQSRecord[], failed: ReadonlySet<string>): string[] {
  const stoppedGroups = new Set<string>();
  const result: string[] = [];
  for (const record of records) {
    const group = isFifoRecord(record) ? (record.attributes?.MessageGroupId ?? '') : undefined;
    const stopped = group !== undefined && stoppedGroups.has(group);
    if (failed.has(record.messageId) || stopped) {
      result.push(record.messageId);
      if (group !== undefined) stoppedGroups.add(group);
    }
  }
  return result;
}

/** The partial batch response for `records` where the records in `failed` failed. */
export function toBatchResponse(records: readonly SQSRecord[], failed: ReadonlySet<string>): SQSBatchResponse {
  return { batchItemFailures: failedWithFifoStops(records, failed).map((itemIdentifier) => ({ itemIdentifier })) };
}
