/**
 * Sweeping into a queue: instead of a sweep function, each claimed flag becomes one message on
 * a queue (e.g. a WorkQueue's), sent in full batches. A flag is cleared once its message is
 * accepted; a flag whose message could not be sent stays for the next sweep.
 */
import { publishEachAsJson } from '../publish-each';
import type { QueuePublisher } from '../publisher';
import type { FlagBatchFn } from './sweep-run';
import type { Flag } from './types';

/** The body of a delivered flag message: the {@link Flag} as JSON. */
export type FlagMessage = Flag;

/** A {@link FlagBatchFn} that publishes one message per flag (body: {@link FlagMessage}). */
export function queueDelivery(publisher: Pick<QueuePublisher, 'publish'>): FlagBatchFn {
  return async (flags) => {
    const unsent = await publishEachAsJson(publisher, flags satisfies readonly FlagMessage[]);
    return unsent.length === 0 ? {} : { failed: unsent.map((index) => (flags[index] as Flag).key) };
  };
}
