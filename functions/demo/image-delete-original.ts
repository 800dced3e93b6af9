/**
 * Deletes the original of an image that was blurred (it reaches this queue only through the
 * blur run's join). Deleting twice is harmless: S3 answers a missing key with success.
 */
import { DeleteObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { workQueue } from '../work-queue/factory';
import type { BlurredRef } from './images';

const s3 = new S3Client({ forcePathStyle: true });
const Bucket = process.env.PP_DEMO_IMAGE_BUCKET ?? '';

/** The Lambda handler. */
export const handler = workQueue<BlurredRef, void>({
  processItem: async ({ key }) => void (await s3.send(new DeleteObjectCommand({ Bucket, Key: key }))),
});
