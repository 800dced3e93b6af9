/**
 * `poller()`: the RollingPoller's poller factory wired to DynamoDB, SQS and EventBridge.
 *
 * The pure factory lives in `functions/lib/rolling-poller/handlers.ts`; this file only supplies
 * the AWS wiring, so the core stays SDK-free.
 */
import { createPollerHandler, type PollerHandler, type PollerOptions } from '../lib/rolling-poller/handlers';
import { awsWiring } from './aws-wiring';

/**
 * Builds the scheduled poller handler around your batch status check. Each run walks the watch
 * table from its cursor in windows of `windowSize` items, calls `checkStatus` once per window (at
 * most `maxCallsPerTick` times), records `pending` results, completes and removes `done` items,
 * and backs off items whose check returned `error`. Call it at module scope and export it:
 *
 * ```ts
 * export const handler = poller({
 *   checkStatus: async (items) => {
 *     const jobs = await batchClient.describeJobs({ jobs: items.map((item) => item.id) });
 *     return jobs.map((job) => ({ id: job.id, state: job.finished ? 'done' : 'pending', status: job.status }));
 *   },
 * });
 * ```
 *
 * @throws ConfigError naming every bad option or env var
 */
export function poller(options: PollerOptions): PollerHandler {
  return createPollerHandler(options, awsWiring);
}
