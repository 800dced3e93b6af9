/**
 * The marker and sweeper Lambda handlers, wired through {@link MarkerSweeperWiring} so this
 * file stays SDK-free (`functions/marker-sweeper/` supplies the DynamoDB and SQS wiring).
 */
import type { MiddyfiedHandler } from '@middy/core';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { MarkerSweeperMetric as M } from '../../contract';
import { ConfigError } from '../errors';
import type { QueueSendPort } from '../queue-port';
import { resolveHandlerOptions, scheduledHandler, type ScheduledHandlerOptions, type ScheduledRunContext } from '../scheduled-handler';
import { createWorkQueueHandler, type WorkQueueHandler } from '../work-queue/handler';
import { readMarkerConfig, readSweeperConfig, type FlagTableConfig } from './config';
import { QueuePublisher } from '../publisher';
import { queueFlagDeadLetter } from './flag-dead-letter';
import { keyReader, markAll } from './mark-events';
import { sweepRun, type SweepOutcome, type SweepReport } from './sweep-run';
import type { Clock, Flag, FlagStore } from './types';

/** How the handlers reach AWS: supplied by `functions/marker-sweeper/`, or by tests. */
export interface MarkerSweeperWiring {
  /** The flag set described by `config`. */
  readonly flagStoreFor: (config: FlagTableConfig) => FlagStore;
  /** A send port for the queue at `queueUrl` (the marker's DLQ, the sweeper's DLQ). */
  readonly sendPortFor: (queueUrl: string) => QueueSendPort;
}

/** Options of the marker and sweeper handler factories. */
export type MarkerSweeperHandlerOptions = ScheduledHandlerOptions;

/** What the user's sweep function gets besides the flags. */
export type SweepContext = ScheduledRunContext;

/**
 * The user's batch processing: up to `sweepBatchSize` flags at once. Return `{ failed: [keys] }`
 * (and `errors: { key: reason }`) to retry just those keys; throwing retries the whole batch.
 * A flag that fails on its `sweepMaxAttempts`-th claim is parked in the sweeper's DLQ.
 */
export type SweepFn = (flags: readonly Flag[], context: SweepContext) => Promise<SweepOutcome | void>;

/** Options of the sweeper factory. */
export interface SweeperOptions extends MarkerSweeperHandlerOptions {
  /** Processes one claimed batch of flags. */
  readonly sweep: SweepFn;
}

/** The scheduled sweeper handler: returns what the sweep did. */
export type SweeperHandler = MiddyfiedHandler<unknown, SweepReport>;

/**
 * Builds the marker: an SQS handler that reads each event's key and marks it in one
 * conditional write per distinct key; bad events go to the DLQ with their reason.
 *
 * @throws ConfigError naming every bad option or env var
 */
export function createMarkerHandler(options: MarkerSweeperHandlerOptions, wiring: MarkerSweeperWiring): WorkQueueHandler {
  const { env, logger, metrics, clock } = resolveHandlerOptions('marker', options);
  const config = readMarkerConfig(env);
  const readKey = keyReader(config.keyPath);
  const store = wiring.flagStoreFor(config);
  return createWorkQueueHandler<string, void>({
    parse: (body) => readKey(body),
    processBatch: async (envelopes) => {
      const report = await markAll(store, envelopes.map((envelope) => ({ id: envelope.messageId, key: envelope.item })), clock.now());
      metrics.addMetric(M.flagsCreated, MetricUnit.Count, report.created);
      metrics.addMetric(M.marksCollapsed, MetricUnit.Count, report.collapsed);
      return envelopes.map(({ messageId }) => (report.failed.has(messageId) ? { messageId, error: report.failed.get(messageId) } : { messageId, result: undefined }));
    },
    logger,
    metrics,
    env,
  }, wiring);
}

/**
 * Builds the sweeper: a scheduled handler that sweeps batch after batch (up to the configured
 * number) with `sweep`, then publishes the outstanding-flags and sweep-lag metrics.
 *
 * @throws ConfigError naming every bad option or env var
 */
export function createSweeperHandler(options: SweeperOptions, wiring: MarkerSweeperWiring): SweeperHandler {
  const { sweep, ...handlerOptions } = options;
  const { env, logger, metrics, clock } = resolveHandlerOptions('sweeper', handlerOptions);
  if (typeof sweep !== 'function') throw new ConfigError([`sweeper needs a sweep function (options.sweep), got ${typeof sweep}`]);
  const config = readSweeperConfig(env);
  const store = wiring.flagStoreFor(config);
  // Counted as the park succeeds, so a batch that throws after parking still shows in the metric.
  const deadLetter = queueFlagDeadLetter(new QueuePublisher({ port: wiring.sendPortFor(config.deadLetterQueueUrl) }), (count) => {
    metrics.addMetric(M.flagsParked, MetricUnit.Count, count);
    logger.error('flags failed their last attempt and were parked in the dead-letter queue', { parked: count });
  });
  const parking = { maxAttempts: config.maxAttempts, deadLetter };
  const countOutstanding = throttledCount(store, clock, config.countIntervalMs);
  return scheduledHandler(logger, metrics, async (lambdaContext, hasTimeLeft) => {
    const report = await sweepRun(store, (flags) => sweep(flags, { logger, lambdaContext }), clock, { ...config, hasTimeLeft, parking });
    metrics.addMetric(M.oldestFlagAge, MetricUnit.Seconds, report.oldestAgeMs / 1000);
    metrics.addMetric(M.flagsSwept, MetricUnit.Count, report.cleared);
    metrics.addMetric(M.flagsRemarked, MetricUnit.Count, report.remarked);
    metrics.addMetric(M.sweepFailures, MetricUnit.Count, report.failed);
    metrics.addMetric(M.leasesLost, MetricUnit.Count, report.leaseLost);
    const outstanding = await countOutstanding();
    if (outstanding !== undefined) metrics.addMetric(M.outstandingFlags, MetricUnit.Count, outstanding);
    if (report.leaseLost > 0) logger.warn('flags were swept after their lease ended: raise the lease or lower the batch size', { ...report });
    logger.info('sweep finished', { ...report });
    return report;
  });
}

/**
 * The outstanding-flags count, read at most once per `intervalMs` (per warm container): a
 * count reads the whole pending index, so counting on every sweep would cost more reads than
 * the sweeps themselves once the set is large. Resolves to `undefined` when not due.
 */
function throttledCount(store: FlagStore, clock: Clock, intervalMs: number): () => Promise<number | undefined> {
  let lastCountAt: number | undefined;
  return async () => {
    const now = clock.now();
    if (lastCountAt !== undefined && now - lastCountAt < intervalMs) return undefined;
    lastCountAt = now;
    return store.countOutstanding();
  };
}
