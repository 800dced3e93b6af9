/**
 * The rolling poller's Lambda handlers (the scheduled poller and the watch/unwatch ingress),
 * wired through {@link RollingPollerWiring} so this file stays SDK-free.
 */
import type { MiddyfiedHandler } from '@middy/core';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import { RollingPollerMetric as M } from '../../contract';
import { ConfigError } from '../errors';
import type { QueueSendPort } from '../queue-port';
import { resolveHandlerOptions, scheduledHandler, type ScheduledHandlerOptions, type ScheduledRunContext } from '../scheduled-handler';
import { createWorkQueueHandler, type WorkQueueHandler } from '../work-queue/handler';
import { parseWatchCommand } from './completions';
import { readIngressConfig, readPollerConfig, type CompletionTarget } from './config';
import { pollTick, type TickReport } from './poll-tick';
import type { CompletionSink, StatusResult, WatchItem, WatchStore } from './types';

/** How the handlers reach AWS: supplied by `functions/rolling-poller/`, or by tests. */
export interface RollingPollerWiring {
  /** The watch table named `tableName`. */
  readonly watchStoreFor: (tableName: string) => WatchStore;
  /** Where completion events go. */
  readonly completionSinkFor: (target: CompletionTarget) => CompletionSink;
  /** A send port for the queue at `queueUrl` (the ingress's DLQ). */
  readonly sendPortFor: (queueUrl: string) => QueueSendPort;
}

/** Options of the poller and ingress handler factories. */
export type PollerHandlerOptions = ScheduledHandlerOptions;

/** What the user's status function gets besides the window. */
export type PollerContext = ScheduledRunContext;

/** The user's batch status check: one call per window of up to `windowSize` items, one result per item. */
export type CheckStatusFn = (items: readonly WatchItem[], context: PollerContext) => Promise<readonly StatusResult[]>;

/** Options of the poller factory. */
export interface PollerOptions extends PollerHandlerOptions {
  /** Checks the status of one window of watched items. */
  readonly checkStatus: CheckStatusFn;
}

/** The scheduled poller handler: returns what the tick did. */
export type PollerHandler = MiddyfiedHandler<unknown, TickReport>;

/**
 * Builds the poller: each scheduled run is one tick of up to `maxCallsPerTick` status calls.
 *
 * @throws ConfigError naming every bad option or env var
 */
export function createPollerHandler(options: PollerOptions, wiring: Omit<RollingPollerWiring, 'sendPortFor'>): PollerHandler {
  const { checkStatus: check, ...handlerOptions } = options;
  const { env, logger, metrics, clock } = resolveHandlerOptions('poller', handlerOptions);
  if (typeof check !== 'function') throw new ConfigError([`poller needs a status function (options.checkStatus), got ${typeof check}`]);
  const config = readPollerConfig(env);
  const store = wiring.watchStoreFor(config.tableName);
  const sink = wiring.completionSinkFor(config.completion);
  return scheduledHandler(logger, metrics, async (lambdaContext, hasTimeLeft) => {
    const report = await pollTick(store, (items) => check(items, { logger, lambdaContext }), sink, clock, { ...config, hasTimeLeft });
    recordTickMetrics(metrics, report);
    if (report.completionError !== undefined) logger.error('completion events not sent; their items complete again next pass', { error: report.completionError as Error });
    if (report.leaseLost) logger.warn('tick lease ended before the cursor was saved: raise the lease or lower maxCallsPerTick');
    logger.info('tick finished', { ...report, completionError: undefined });
    return report;
  });
}

function recordTickMetrics(metrics: Metrics, report: TickReport): void {
  if (report.skipped) return;
  metrics.addMetric(M.pollsPerTick, MetricUnit.Count, report.calls);
  metrics.addMetric(M.itemsPolled, MetricUnit.Count, report.polled);
  metrics.addMetric(M.itemsCompleted, MetricUnit.Count, report.completed);
  metrics.addMetric(M.itemsGivenUp, MetricUnit.Count, report.gaveUp);
  metrics.addMetric(M.statusCheckErrors, MetricUnit.Count, report.errors);
  if (report.activeItems !== undefined) metrics.addMetric(M.activeItems, MetricUnit.Count, report.activeItems);
  for (const lag of report.completionLagsMs) metrics.addMetric(M.completionLag, MetricUnit.Seconds, lag / 1000);
}

/**
 * Builds the ingress: an SQS handler applying watch/unwatch commands to the watch table.
 * Malformed commands go to the DLQ with their reason.
 *
 * @throws ConfigError naming every bad option or env var
 */
export function createWatchIngressHandler(options: PollerHandlerOptions, wiring: Omit<RollingPollerWiring, 'completionSinkFor'>): WorkQueueHandler {
  const { env, logger, metrics, clock } = resolveHandlerOptions('watchIngress', options);
  const store = wiring.watchStoreFor(readIngressConfig(env).tableName);
  return createWorkQueueHandler({
    parse: parseWatchCommand,
    processItem: async (command) => (command.action === 'watch' ? store.add(command.id, command.data, clock.now()) : store.remove(command.id)),
    logger,
    metrics,
    env,
  }, wiring);
}
