/**
 * Batch functions for effects: each caller hands over one write or one message and learns
 * whether it, alone, went through. They stand on the runtime's BatchWriter and QueuePublisher,
 * which already pack, retry partial failures with backoff and keep order.
 */
import type { BatchWriter, WriteRequest } from '../batch-writer';
import { PartialSendError, UnprocessedItemsError, type FailedSendEntry } from '../errors';
import type { PublishMessage, QueuePublisher } from '../publisher';
import type { LoadBatchFn } from './options';

/**
 * A batch function writing each request with `writer` (BatchWriteItem, 25 per call): a
 * request still unprocessed after every attempt fails alone, with the writer's
 * {@link UnprocessedItemsError}. Use the default `cacheKeyFn` (object identity): two writes
 * must never share a slot.
 */
export function batchWriteLoader(writer: BatchWriter): LoadBatchFn<WriteRequest, void> {
  return async (requests) => {
    try {
      await writer.write(requests);
      return requests.map(() => undefined);
    } catch (error) {
      if (!(error instanceof UnprocessedItemsError)) throw error;
      const failed = new Set<unknown>(error.unprocessed);
      return requests.map((request) => (failed.has(request) ? error : undefined));
    }
  };
}

/** A message to send through {@link sendMessageLoader}; the batch entry id is assigned. */
export type SendMessageRequest = Omit<PublishMessage, 'id'>;

/**
 * A batch function sending each message with `publisher` (SendMessageBatch, 10 entries /
 * 1 MiB per call): a message SQS still refused after every attempt fails alone, with a
 * {@link PartialSendError} naming only it.
 */
export function sendMessageLoader(publisher: QueuePublisher): LoadBatchFn<SendMessageRequest, void> {
  return async (messages) => {
    try {
      await publisher.publish(messages.map((message, index) => ({ ...message, id: String(index) })));
      return messages.map(() => undefined);
    } catch (error) {
      if (!(error instanceof PartialSendError)) throw error;
      const failed = new Map<string, FailedSendEntry>(error.failed.map((entry) => [entry.id, entry]));
      return messages.map((_, index) => {
        const entry = failed.get(String(index));
        return entry === undefined ? undefined : new PartialSendError([entry], { cause: error });
      });
    }
  };
}
