/**
 * Completion events onto a queue, and the shape checks of the ingress's watch commands.
 */
import { WatchTable, type WatchCommand } from '../../contract';
import { PoisonRecordError } from '../errors';
import { DynamoDbLimits } from '../limits';
import { publishEachAsJson } from '../publish-each';
import type { QueuePublisher } from '../publisher';
import { utf8Bytes } from '../queue-port';
import { quote, wellFormedViolation } from '../validate';
import type { CompletionEvent, CompletionSink } from './types';

/**
 * A {@link CompletionSink} that publishes one message per event (body: the event as JSON), in
 * full batches; events SQS did not accept, or too large for one message, are reported unsent.
 */
export function queueCompletionSink(publisher: Pick<QueuePublisher, 'publish'>): CompletionSink {
  return {
    async publish(events: readonly CompletionEvent[]): Promise<readonly string[]> {
      const unsent = await publishEachAsJson(publisher, events);
      return unsent.map((index) => (events[index] as CompletionEvent).id);
    },
  };
}

/**
 * Checks a parsed ingress message: `{"action":"watch","id":"…","data":…}` or
 * `{"action":"unwatch","id":"…"}`.
 *
 * @throws PoisonRecordError naming what is wrong (the message goes to the DLQ)
 */
export function parseWatchCommand(body: unknown): WatchCommand {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new PoisonRecordError(`a watch command must be a JSON object, got ${quote(body)}`);
  const { action, id, data } = body as Record<string, unknown>;
  if (action !== 'watch' && action !== 'unwatch') throw new PoisonRecordError(`action must be "watch" or "unwatch", got ${quote(action)}`);
  if (typeof id !== 'string' || id.length === 0) throw new PoisonRecordError(`id must be a non-empty string, got ${quote(id)}`);
  const malformed = wellFormedViolation('id', id);
  if (malformed !== undefined) throw new PoisonRecordError(malformed);
  if (utf8Bytes(id) > DynamoDbLimits.maxPartitionKeyBytes) throw new PoisonRecordError(`id is ${utf8Bytes(id)} bytes, over the ${DynamoDbLimits.maxPartitionKeyBytes}-byte limit`);
  if (id === WatchTable.cursorId) throw new PoisonRecordError(`id ${quote(id)} is reserved for the poller's cursor`);
  return action === 'watch' ? { action, id, ...(data === undefined ? {} : { data }) } : { action, id };
}
