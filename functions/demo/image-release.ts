/**
 * The blur run's finalizer, run only after its join (every item of the run settled): hands each
 * blurred image to the copier (→ delete the original, → recognition) and parks each image that
 * could not be blurred in the blur dead-letter queue with the reason — its original stays —
 * counting it in the final Reduce as failed. Every send is idempotent downstream (keyed by image).
 */
import { FanOutEnv, MessageAttribute } from '../contract';
import { DynamoResultStore } from '../lib/aws/fan-out-results';
import { sqsSendPort } from '../lib/aws/sqs-send-port';
import type { RunSummary } from '../lib/fan-out-fan-in/types';
import { QueuePublisher } from '../lib/publisher';
import { type BlurredRef, ImageKeys } from './images';

const env = (name: string) => process.env[name] ?? '';
const results = new DynamoResultStore(env(FanOutEnv.resultsTableName));
const copier = new QueuePublisher({ port: sqsSendPort(env('PP_DEMO_COPIER_URL')) });
const deadLetters = new QueuePublisher({ port: sqsSendPort(env('PP_DEMO_BLUR_DLQ_URL')) });
const counts = new QueuePublisher({ port: sqsSendPort(env('PP_DEMO_COUNTS_URL')) });

/** The Lambda handler. */
export const handler = async ({ summary }: { summary: RunSummary }): Promise<{ released: number; failed: number }> => {
  const { items } = await results.list(summary.runId);
  const blurred = items.flatMap((r) => (r.status === 'succeeded' ? [r.output as BlurredRef] : []));
  const failed = items.flatMap((r) => (r.status === 'failed' && r.ref ? [{ key: r.ref, ...ImageKeys.parse(r.ref), reason: `${r.error}: ${r.cause}` }] : []));
  await copier.publish(blurred.map((ref) => ({ body: JSON.stringify(ref) })));
  await deadLetters.publish(failed.map((f) => ({ body: JSON.stringify({ key: f.key }), attributes: { [MessageAttribute.errorReason]: f.reason.slice(0, 1000), [MessageAttribute.errorType]: 'BlurFailed' } })));
  await counts.publish(failed.map((f) => ({ body: JSON.stringify({ reduceId: f.batch, partialId: f.id, value: { images: 1, blurFailed: 1 } }) })));
  return { released: blurred.length, failed: failed.length };
};
