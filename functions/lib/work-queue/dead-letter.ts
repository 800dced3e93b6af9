/**
 * Sending poison records straight to the dead-letter queue, with the reason attached.
 *
 * Each DLQ message keeps the original body and message attributes (String, Number, Binary),
 * and carries three more (names from the contract): the reason, the error type, and the ARN of
 * the queue it came from, so an operator can read why without digging through logs, and
 * redrive it once fixed with what the producer sent. SQS allows 10 attributes: the reason
 * ones come first, and the original ones that do not fit are named in the reason.
 */
import type { SQSRecord } from 'aws-lambda';
import { MessageAttribute } from '../../contract';
import { OversizeEntryError, PartialSendError } from '../errors';
import { SqsLimits } from '../limits';
import type { PublishMessage, QueuePublisher } from '../publisher';
import { sqsMessageSize, type AttributeValue } from '../queue-port';
import { forwardableAttributes, messageOf } from './sqs-records';

/** A record to dead-letter and the error that condemned it. */
export interface DeadLetterCandidate {
  /** The SQS message id. */
  readonly messageId: string;
  /** The raw record. */
  readonly record: SQSRecord;
  /** Why it can never succeed. */
  readonly error: unknown;
}

/** Which candidates reached the DLQ. */
export interface DeadLetterReport {
  /** Message ids now in the DLQ (safe to delete from the source queue). */
  readonly sent: ReadonlySet<string>;
  /** Message ids that could not be sent, with the error (leave them to the queue's redrive). */
  readonly failed: ReadonlyMap<string, unknown>;
}

/** Longest reason written to the attribute: enough to diagnose, small next to the 1 MiB limit. */
export const MAX_REASON_CHARS = 1_000;

/**
 * Sends every candidate to the DLQ behind `publisher` in batched calls. Never throws: what
 * could not be sent is reported in `failed`.
 *
 * @param fifoDeadLetterQueue the DLQ is FIFO: keep the message group, dedupe by message id
 */
export async function sendToDeadLetter(
  candidates: readonly DeadLetterCandidate[],
  publisher: QueuePublisher,
  fifoDeadLetterQueue: boolean,
): Promise<DeadLetterReport> {
  const failed = new Map<string, unknown>();
  const messages: PublishMessage[] = [];
  const idOf = new Map<string, string>();
  candidates.forEach((candidate, index) => {
    const message = toDeadLetterMessage(candidate, String(index), fifoDeadLetterQueue);
    const size = sqsMessageSize(message);
    // Checked here so one oversize record does not keep its batch-mates out of the DLQ.
    if (size > SqsLimits.maxMessageBytes) failed.set(candidate.messageId, new OversizeEntryError(candidate.messageId, size, SqsLimits.maxMessageBytes));
    else messages.push(message);
    idOf.set(String(index), candidate.messageId);
  });
  try {
    await publisher.publish(messages);
  } catch (error) {
    const unsent = error instanceof PartialSendError ? error.failed.map((entry) => entry.id) : messages.map((message) => message.id as string);
    for (const id of unsent) failed.set(idOf.get(id) as string, error);
  }
  const sent = new Set(candidates.map((candidate) => candidate.messageId).filter((messageId) => !failed.has(messageId)));
  return { sent, failed };
}

/** The DLQ message for one record: its body as received, plus the reason attributes. */
export function toDeadLetterMessage(candidate: DeadLetterCandidate, id: string, fifoDeadLetterQueue: boolean): PublishMessage {
  const { record, error } = candidate;
  const reasons: Record<string, string> = { [MessageAttribute.errorType]: error instanceof Error ? error.name : 'UnknownError' };
  if (record.eventSourceARN) reasons[MessageAttribute.sourceQueueArn] = record.eventSourceARN;
  if (candidate.messageId) reasons[MessageAttribute.sourceMessageId] = candidate.messageId;
  const original = Object.entries(forwardableAttributes(record) ?? {}).filter(([name]) => !(name in reasons) && name !== MessageAttribute.errorReason);
  const room = SqsLimits.maxMessageAttributes - Object.keys(reasons).length - 1;
  const dropped = original.slice(room).map(([name]) => name);
  const reason = (reasonOf(error) || 'unknown') + (dropped.length === 0 ? '' : ` (attributes not kept, over the SQS limit of ${SqsLimits.maxMessageAttributes}: ${dropped.join(', ')})`);
  const attributes: Record<string, AttributeValue> = { ...Object.fromEntries(original.slice(0, room)), ...reasons, [MessageAttribute.errorReason]: reason.slice(0, MAX_REASON_CHARS) };
  const fifo = fifoDeadLetterQueue
    ? { messageGroupId: record.attributes?.MessageGroupId ?? 'dead-letter', messageDeduplicationId: candidate.messageId }
    : {};
  return { id, body: typeof record.body === 'string' ? record.body : JSON.stringify(record.body) ?? '', attributes, ...fifo };
}

function reasonOf(error: unknown): string {
  return typeof error === 'object' && error !== null && 'reason' in error && typeof error.reason === 'string' ? error.reason : messageOf(error);
}
