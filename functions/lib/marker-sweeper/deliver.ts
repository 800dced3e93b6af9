/**
 * Sweeping into a queue: instead of a sweep function, each claimed flag becomes one message on
 * a queue (e.g. a WorkQueue's), sent in full batches. A flag is cleared once its message is
 * accepted; a flag whose message could not be sent stays for the next sweep.
 */
import { PartialSendError } from '../errors';
import type { QueuePublisher } from '../publisher';
import type { SweepFn } from './sweeper';
import type { Flag } from './types';

/** The body of a delivered flag message: the {@link Flag} as JSON. */
export type FlagMessage = Flag;

/** A {@link SweepFn} that publishes one message per flag (body: {@link FlagMessage}). */
export function queueDelivery(publisher: Pick<QueuePublisher, 'publish'>): SweepFn {
  return async (flags) => {
    const messages = flags.map((flag, index) => ({ id: String(index), body: JSON.stringify(flag satisfies FlagMessage) }));
    try {
      await publisher.publish(messages);
      return {};
    } catch (error) {
      if (!(error instanceof PartialSendError)) throw error;
      return { failed: error.failed.map((entry) => (flags[Number(entry.id)] as Flag).key) };
    }
  };
}
