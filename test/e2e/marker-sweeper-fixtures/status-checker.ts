/**
 * Status function of the end-to-end RollingPoller: an item is done once it has been checked
 * `data.doneAfter` times. Every call is recorded on `E2E_CALLS_QUEUE_URL` (one message with
 * the window's ids), so the test can count calls and check no completed item is polled again.
 */
import { sqsSendPort } from '../../../functions/lib/aws/sqs-send-port';
import { QueuePublisher } from '../../../functions/lib/publisher';
import { poller } from '../../../functions/rolling-poller/factory';

const calls = new QueuePublisher({ port: sqsSendPort(process.env.E2E_CALLS_QUEUE_URL ?? '') });

/** The Lambda handler. */
export const handler = poller({ checkStatus: async (items) => {
  await calls.publish([{ body: JSON.stringify(items.map((item) => item.id)) }]);
  return items.map((item) => {
    const doneAfter = (item.data as { doneAfter?: number } | undefined)?.doneAfter ?? 1;
    return item.polls + 1 >= doneAfter ? { id: item.id, state: 'done', status: 'SUCCEEDED' } : { id: item.id, state: 'pending', status: 'RUNNING' };
  });
} });
