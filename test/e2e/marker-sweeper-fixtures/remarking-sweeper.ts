/**
 * Sweeper of the end-to-end stack: records every flag it is handed on the record queue
 * (`E2E_RECORD_QUEUE_URL`), and re-marks each `remark-*` key the first time it sees it — with
 * the marker's own conditional write, while the flag is still leased — so the test can check
 * that a flag re-marked during a sweep is delivered again.
 */
import { DynamoFlagStore } from '../../../functions/lib/aws/flag-store';
import { sqsSendPort } from '../../../functions/lib/aws/sqs-send-port';
import { EnvReader } from '../../../functions/lib/env-reader';
import { readFlagTable } from '../../../functions/lib/marker-sweeper/config';
import { QueuePublisher } from '../../../functions/lib/publisher';
import { sweeper } from '../../../functions/marker-sweeper/factory';

const reader = new EnvReader(process.env);
const flags = new DynamoFlagStore(readFlagTable(reader));
const recordQueueUrl = reader.text('E2E_RECORD_QUEUE_URL');
reader.check();
const recorder = new QueuePublisher({ port: sqsSendPort(recordQueueUrl) });

/** The Lambda handler. */
export const handler = sweeper({ sweep: async (batch) => {
  await recorder.publish(batch.map((flag, index) => ({ id: String(index), body: JSON.stringify({ key: flag.key, marks: flag.marks }) })));
  for (const flag of batch) {
    if (flag.key.startsWith('remark-') && flag.marks === 1) await flags.mark(flag.key, `remark-${flag.key}`, Date.now(), 1);
  }
} });
