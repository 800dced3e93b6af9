/**
 * `reducer()`: the Reduce's handler factory wired to DynamoDB and SQS.
 */
import { dynamoReduceStore } from '../lib/aws/reduce-store';
import { sqsSendPort } from '../lib/aws/sqs-send-port';
import { createReducerHandler, type ReducerOptions } from '../lib/reduce/handler';
import type { WorkQueueHandler } from '../lib/work-queue/handler';

/**
 * Builds the reducer of a `Reduce` construct around your merge, which must be associative and
 * commutative (partials merge in arrival order). Each partial is merged once, however often
 * SQS delivers it. Call it at module scope and export the result:
 *
 * ```ts
 * import { reducer, histogram } from 'pp-patterns/runtime';
 * export const handler = reducer({ merge: histogram });
 * ```
 */
export function reducer<V>(options: ReducerOptions<V>): WorkQueueHandler {
  return createReducerHandler(options, { sendPortFor: (url) => sqsSendPort(url), storeFor: (s) => dynamoReduceStore(s) });
}
