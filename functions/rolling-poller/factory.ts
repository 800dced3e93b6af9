/**
 * `statusChecker()`: the RollingPoller's poller factory wired to DynamoDB, SQS and EventBridge.
 *
 * The pure factory lives in `functions/lib/rolling-poller/handlers.ts`; this file only supplies
 * the AWS wiring, so the core stays SDK-free.
 */
import { createPollerHandler, type PollerHandler, type RollingPollerHandlerOptions, type StatusCheckFn } from '../lib/rolling-poller/handlers';
import { awsWiring } from './aws-wiring';

/**
 * Builds the scheduled poller handler around your batch status check. Each run walks the watch
 * table from its cursor in windows of `windowSize` items, calls `check` once per window (at
 * most `maxCallsPerTick` times), records `pending` results, completes and removes `done` items,
 * and backs off items whose check returned `error`. Call it at module scope and export it:
 *
 * ```ts
 * export const handler = statusChecker(async (items) => {
 *   const jobs = await batchClient.describeJobs({ jobs: items.map((item) => item.id) });
 *   return jobs.map((job) => (job.finished ? { id: job.id, state: 'done', status: job.status } : { id: job.id, state: 'pending', status: job.status }));
 * });
 * ```
 *
 * @throws ConfigError naming every bad option or env var
 */
export function statusChecker(check: StatusCheckFn, options: RollingPollerHandlerOptions = {}): PollerHandler {
  return createPollerHandler(check, options, awsWiring);
}
