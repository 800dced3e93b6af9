/**
 * The blur shard's worker, a multi-worker (detect → blur) run by FanOutFanIn: reads the
 * original, blurs its plates, writes the blurred copy (same key every attempt: idempotent) and
 * hands on the crops. A corrupt image fails for good; anything else is retried with jitter.
 * Each blurred image's plate count goes to the per-run Reduce (`toPartial`).
 */
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { fanOutWorker } from '../fan-out-fan-in/worker-factory';
import { PoisonRecordError } from '../lib/errors';
import { PermanentItemError } from '../lib/fan-out-fan-in/errors';
import { compose } from '../lib/routing/compose';
import { blurPlates, type BlurredRef, detectPlates, type Image, ImageKeys } from './images';

const s3 = new S3Client({ forcePathStyle: true });
const Bucket = process.env.PP_DEMO_IMAGE_BUCKET ?? '';
const detectAndBlur = compose(detectPlates, blurPlates);

/** The Lambda handler. */
export const handler = fanOutWorker<{ key: string }, BlurredRef>({
  itemRef: (item) => item.key,
  processItem: async ({ key }, { index }) => {
    const image = JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket, Key: key }))).Body!.transformToString()) as Image;
    try {
      const { blurred, crops } = await detectAndBlur(image, { itemId: `${index}` });
      await s3.send(new PutObjectCommand({ Bucket, Key: ImageKeys.blurredOf(key), Body: JSON.stringify(blurred) }));
      return { key, ...ImageKeys.parse(key), crops };
    } catch (error) {
      if (error instanceof PoisonRecordError) throw new PermanentItemError(error.reason);
      throw error;
    }
  },
  toPartial: (ref) => ref.crops.length,
});
