/**
 * Handler entry of the MarkerSweeper's delivering sweeper (built in, used when the construct
 * is given a `deliveryQueue`): each claimed flag becomes one message on that queue, sent in
 * batches of ten; a flag is cleared once its message is accepted.
 */
import { MarkerSweeperEnv } from '../contract';
import { sqsSendPort } from '../lib/aws/sqs-send-port';
import { EnvReader } from '../lib/env-reader';
import { queueDelivery } from '../lib/marker-sweeper/queue-delivery';
import { QueuePublisher } from '../lib/publisher';
import { quote } from '../lib/validate';
import { sweeper } from './factory';

const reader = new EnvReader(process.env);
const queueUrl = reader.text(MarkerSweeperEnv.deliveryQueueUrl);
reader.require(!queueUrl.endsWith('.fifo'), `${MarkerSweeperEnv.deliveryQueueUrl} (env) must name a standard queue (flags are sent without a message group id), got ${quote(queueUrl)}`);
reader.check();

/** The Lambda handler: sweeps flags into the delivery queue. */
export const handler = sweeper({ sweep: queueDelivery(new QueuePublisher({ port: sqsSendPort(queueUrl) })) });
