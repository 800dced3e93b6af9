/**
 * A recognition shard, a multi-worker (read plates → tag regions): sends the image's partial to
 * the final Reduce (partial id = the image, so a redelivery is merged once). An unreadable
 * plate is poison: the image is counted as unreadable, then parked in the shard's DLQ with the reason.
 */
import { sqsSendPort } from '../lib/aws/sqs-send-port';
import { PoisonRecordError } from '../lib/errors';
import { QueuePublisher } from '../lib/publisher';
import { compose } from '../lib/routing/compose';
import { workQueue } from '../work-queue/factory';
import { type BlurredRef, readPlates, tagRegions } from './images';

const counts = new QueuePublisher({ port: sqsSendPort(process.env.PP_DEMO_COUNTS_URL ?? '') });
const recognise = compose(readPlates, tagRegions);
const partial = (ref: BlurredRef, value: Record<string, number>) => counts.publish([{ body: JSON.stringify({ reduceId: ref.batch, partialId: ref.id, value }) }]);

/** The Lambda handler. */
export const handler = workQueue<BlurredRef, void>({
  processItem: async (ref, { messageId }) => {
    try {
      await partial(ref, await recognise(ref.crops, { itemId: messageId }));
    } catch (error) {
      if (error instanceof PoisonRecordError) await partial(ref, { images: 1, unreadable: 1 });
      throw error;
    }
  },
});
