/**
 * Handler entry of the routing constructs (Splitter, Sharder, Copier with a queue input,
 * Filter, Merger). What it does comes from `PP_ROUTER_CONFIG`, set by the construct; the
 * routing core is `functions/lib/routing/create-router-handler.ts`.
 */
import { sqsSendPort } from '../lib/aws/sqs-send-port';
import { createRouterHandler } from '../lib/routing/create-router-handler';

/** The Lambda handler: routes each SQS batch to the configured output queues. */
export const handler = createRouterHandler({}, { sendPortFor: (queueUrl) => sqsSendPort(queueUrl) });
