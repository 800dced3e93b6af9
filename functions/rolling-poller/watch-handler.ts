/**
 * Handler entry of the RollingPoller's ingress (built in): applies `watch` / `unwatch`
 * commands from SQS to the watch table. Malformed commands go to the DLQ with the reason.
 */
import { createWatchIngressHandler } from '../lib/rolling-poller/handlers';
import { awsWiring } from './aws-wiring';

/** The Lambda handler: adds and removes watched items. */
export const handler = createWatchIngressHandler({}, awsWiring);
