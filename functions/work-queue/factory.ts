/**
 * `workQueue()`: the work-queue handler factory wired to real SQS.
 *
 * The pure factory lives in `functions/lib/work-queue/handler.ts`; this file only supplies
 * the SendMessageBatch port the dead-letter publisher uses, so the core stays SDK-free.
 */
import { createWorkQueueHandler, type WorkQueueHandler } from '../lib/work-queue/handler';
import type { WorkQueueOptions } from '../lib/work-queue/options';
import { sqsSendPort } from '../lib/aws/sqs-send-port';

/**
 * Builds an SQS-triggered Lambda handler that runs `processItem` (or `processBatch`) over each
 * batch and returns a partial batch response. Call it at module scope and export the result:
 *
 * ```ts
 * export const handler = workQueue<Order, void>({
 *   parse: (body) => OrderSchema.parse(body),
 *   processItem: async (order, { logger }) => { await ship(order); logger.info('shipped'); },
 * });
 * ```
 *
 * @throws ConfigError naming every bad option or env var
 */
export function workQueue<T, R = unknown>(options: WorkQueueOptions<T, R>): WorkQueueHandler {
  return createWorkQueueHandler(options, { sendPortFor: (queueUrl) => sqsSendPort(queueUrl) });
}
