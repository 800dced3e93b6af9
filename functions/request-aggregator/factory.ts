/**
 * `aggregator()`: the RequestAggregator construct's handler factory, wired to DynamoDB and SQS.
 */
import { createAggregatorHandler, type AggregatorOptions } from '../lib/request-aggregator/handler';
import type { WorkQueueHandler } from '../lib/work-queue/handler';
import { awsWiring } from './aws-wiring';

/** The handler `aggregator()` returns (an SQS batch handler with partial batch responses). */
export type AggregatorHandler = WorkQueueHandler;

/**
 * Builds the aggregator function's handler around your batch function. Call it at module
 * scope and export the result:
 *
 * ```ts
 * export const handler = aggregator<{ sku: string }, Price>({
 *   processBatch: async (requests) => prices.getMany(requests.map((r) => r.sku)),
 *   maxBatchSize: 100,
 * });
 * ```
 *
 * @throws ConfigError naming every bad option or env var
 */
export function aggregator<Req, Res>(options: AggregatorOptions<Req, Res>): AggregatorHandler {
  return createAggregatorHandler(options, awsWiring);
}
