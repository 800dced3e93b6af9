/**
 * `stage()`: the Batch Stage Chain's stage factory wired to real SQS and DynamoDB.
 *
 * The pure factory lives in `functions/lib/stage-chain/stage-handler.ts`; this file only supplies the
 * SendMessageBatch and BatchWriteItem ports, so the core stays SDK-free.
 */
import { dynamoDbWritePort } from '../lib/aws/dynamodb-write-port';
import { sqsSendPort } from '../lib/aws/sqs-send-port';
import { createStageHandler, type StageOptions } from '../lib/stage-chain/stage-handler';
import type { WorkQueueHandler } from '../lib/work-queue/handler';

/**
 * Builds one stage of a `BatchStageChain`: an SQS-triggered handler that runs `processItem`
 * (or `processBatch`) over each batch and sends every result on — to the next stage, or to the
 * chain's sink queue or table — in full batched calls. Failed items are retried alone.
 * Call it at module scope and export the result:
 *
 * ```ts
 * export const handler = stage<Order, PricedOrder>({
 *   processItem: async (order) => ({ ...order, total: price(order) }),
 * });
 * ```
 *
 * @throws ConfigError naming every bad option or env var
 */
export function stage<In, Out = unknown>(options: StageOptions<In, Out>): WorkQueueHandler {
  return createStageHandler(options, {
    sendPortFor: (queueUrl) => sqsSendPort(queueUrl),
    writePortFor: (tableName) => dynamoDbWritePort(tableName),
  });
}
