/**
 * Where a stage's results go: the next stage's queue (or a sink queue), a DynamoDB sink table,
 * or nowhere. Each sink delivers a whole batch of results in full batched calls — 10-entry,
 * size-packed SendMessageBatch, or 25-item BatchWriteItem with UnprocessedItems retried — and
 * reports exactly which items were not delivered, so only those are retried.
 */
import { DynamoDbLimits, SqsLimits } from '../limits';
import { InvalidEntryError, OversizeEntryError, PartialSendError, PoisonRecordError, UnprocessedItemsError } from '../errors';
import type { BatchWriter, DocumentItem, WriteRequest } from '../batch-writer';
import type { PublishMessage, QueuePublisher } from '../publisher';
import { sqsMessageSize, utf8Bytes } from '../queue-port';

/** One successful item's result, with what delivery needs to know about its record. */
export interface StageResult<Out> {
  /** The SQS message id of the input record (the entry id of its output). */
  readonly messageId: string;
  /** The result to deliver. */
  readonly result: Out;
  /** FIFO message group of the input record, kept on the output. @default - none */
  readonly groupId?: string;
}

/** Delivers results; returns the message ids not delivered, with their error. Never throws. */
export interface ResultSink {
  /** What the sink is, for logs: `queue`, `table` or `none`. */
  readonly kind: 'queue' | 'table' | 'none';
  /** Delivers every result it can. */
  deliver(results: readonly StageResult<unknown>[]): Promise<Map<string, unknown>>;
}

/** A sink that drops results: the stage's work is its side effect. */
export const NO_SINK: ResultSink = { kind: 'none', deliver: async () => new Map() };

/** Options of {@link queueSink}. */
export interface QueueSinkOptions {
  /**
   * The target is a FIFO queue: each result keeps its input's message group (an input without
   * one becomes its own group) and is deduplicated by its input's message id, so a retried
   * batch does not repeat a result SQS already accepted. A standard queue refuses both ids.
   *
   * @default false
   */
  readonly fifo?: boolean;
}

/**
 * Sends each result as one JSON message to a queue. A result too large for one message fails
 * as poison (it would fail the same way on every retry) without holding back its batch-mates.
 */
export function queueSink(publisher: Pick<QueuePublisher, 'publish'>, options: QueueSinkOptions = {}): ResultSink {
  return {
    kind: 'queue',
    async deliver(results) {
      const failed = new Map<string, unknown>();
      const messages: PublishMessage[] = [];
      for (const { messageId, result, groupId } of results) {
        const body = JSON.stringify(result) ?? 'null';
        const size = sqsMessageSize({ body });
        if (size > SqsLimits.maxMessageBytes) {
          failed.set(messageId, poison(new OversizeEntryError(messageId, size, SqsLimits.maxMessageBytes)));
          continue;
        }
        const fifo = options.fifo ? { messageGroupId: groupId ?? messageId, messageDeduplicationId: messageId } : {};
        messages.push({ id: messageId, body, ...fifo });
      }
      try {
        await publisher.publish(messages);
      } catch (error) {
        const unsent = error instanceof PartialSendError ? error.failed.map((entry) => entry.id) : messages.map((m) => m.id as string);
        for (const id of unsent) failed.set(id, error);
      }
      return failed;
    },
  };
}

/**
 * Puts each result as one item into a table. A result that is not an object, lacks a key
 * attribute, or is over 400 KB fails as poison; the rest are written.
 */
export function tableSink(writer: Pick<BatchWriter, 'write'>, keyAttributes: readonly string[]): ResultSink {
  return {
    kind: 'table',
    async deliver(results) {
      const failed = new Map<string, unknown>();
      const requests: WriteRequest[] = [];
      const idOf = new Map<WriteRequest, string>();
      for (const { messageId, result } of results) {
        const problem = itemProblem(result, keyAttributes);
        if (problem !== undefined) {
          failed.set(messageId, poison(new InvalidEntryError(messageId, problem)));
          continue;
        }
        const request: WriteRequest = { put: result as DocumentItem };
        requests.push(request);
        idOf.set(request, messageId);
      }
      try {
        await writer.write(requests);
      } catch (error) {
        const unwritten = error instanceof UnprocessedItemsError ? (error.unprocessed as WriteRequest[]) : requests;
        for (const request of unwritten) failed.set(idOf.get(request) as string, error);
      }
      return failed;
    },
  };
}

function itemProblem(result: unknown, keyAttributes: readonly string[]): string | undefined {
  if (typeof result !== 'object' || result === null || Array.isArray(result)) return 'a table sink needs an object result';
  const missing = keyAttributes.filter((name) => {
    const value = (result as Record<string, unknown>)[name];
    return value === undefined || value === null;
  });
  if (missing.length > 0) return `result lacks key attribute(s) ${missing.join(', ')}`;
  // JSON length is a close, cheap stand-in for DynamoDB's item size.
  const size = utf8Bytes(JSON.stringify(result));
  return size > DynamoDbLimits.maxItemBytes ? `result is about ${size} bytes, over the ${DynamoDbLimits.maxItemBytes}-byte item limit` : undefined;
}

function poison(cause: Error): PoisonRecordError {
  return new PoisonRecordError(`result cannot be delivered: ${cause.message}`, { cause });
}
