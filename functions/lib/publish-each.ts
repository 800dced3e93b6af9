/**
 * One SQS message per item, with the items not sent reported back by index: the built-in
 * sweeper's flag delivery and the rolling poller's completion events both keep what was not
 * sent for their next run, so neither may treat a partial send as all or nothing.
 */
import { PartialSendError } from './errors';
import { SqsLimits } from './limits';
import type { PublishMessage, QueuePublisher } from './publisher';
import { sqsMessageSize } from './queue-port';

/**
 * Publishes each item as one message (body: the item as JSON) and resolves to the indexes of
 * the items not sent, in order: those too large for one message (set aside first, so one
 * oversize item cannot keep its batch-mates from being sent) and those SQS still refused
 * after the publisher's retries.
 *
 * @throws whatever the publisher throws besides PartialSendError (then nothing was sent)
 */
export async function publishEachAsJson(publisher: Pick<QueuePublisher, 'publish'>, items: readonly unknown[]): Promise<number[]> {
  const oversize: number[] = [];
  const messages: PublishMessage[] = [];
  items.forEach((item, index) => {
    const message = { id: String(index), body: JSON.stringify(item) };
    if (sqsMessageSize(message) > SqsLimits.maxMessageBytes) oversize.push(index);
    else messages.push(message);
  });
  let refused: number[] = [];
  try {
    await publisher.publish(messages);
  } catch (error) {
    if (!(error instanceof PartialSendError)) throw error;
    refused = error.failed.map((entry) => Number(entry.id));
  }
  return [...oversize, ...refused].sort((a, b) => a - b);
}
