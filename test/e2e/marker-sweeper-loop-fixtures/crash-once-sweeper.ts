/**
 * Sweeper of the lease-expiry end-to-end test. The first sweep of a flag dies mid-batch: the
 * function's process exits while it holds the flags' lease, as a crashed sweep would, so
 * nothing but the end of the lease gives them back. Later sweeps record each flag, with the
 * time the function saw, on `E2E_RECORD_QUEUE_URL`.
 */
import { sqsSendPort } from '../../../functions/lib/aws/sqs-send-port';
import { EnvReader } from '../../../functions/lib/env-reader';
import { QueuePublisher } from '../../../functions/lib/publisher';
import { sweeper } from '../../../functions/marker-sweeper/factory';

const reader = new EnvReader(process.env);
const recordQueueUrl = reader.text('E2E_RECORD_QUEUE_URL');
reader.check();
const recorder = new QueuePublisher({ port: sqsSendPort(recordQueueUrl) });

/** The Lambda handler. */
export const handler = sweeper({ sweep: async (batch) => {
  // `attempts` counts claims: 1 is the first sweep of the flag, the one that crashes.
  if (batch.some((flag) => flag.attempts === 1)) process.exit(1);
  const at = Date.now();
  await recorder.publish(batch.map((flag, index) => ({ id: String(index), body: JSON.stringify({ key: flag.key, marks: flag.marks, attempts: flag.attempts, at }) })));
} });
