/**
 * The routing handler shared by the Splitter, Sharder, Copier (queue input), Filter and
 * Merger constructs: receive a batch, route every record to its outputs, publish each output's
 * share in full batches, and report exactly the records that were not delivered everywhere.
 *
 * Built on the work-queue handler (`processBatch` over raw text bodies), so it shares its
 * partial batch responses, DLQ handling, logs and metrics.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { RoutingMetricName } from '../../contract';
import { observability } from '../observability';
import { QueuePublisher } from '../publisher';
import { forwardableAttributes, type Envelope } from '../work-queue/sqs-records';
import { createWorkQueueHandler, type WorkQueueHandler } from '../work-queue/handler';
import type { WorkQueueOptions, WorkQueueWiring } from '../work-queue/options';
import { routeRecords, type OutputPublisher, type RoutedRecord } from './route-records';
import { buildRoute, readRouterSettings, type RouteCounters } from './router-config';

/** Options of {@link createRouterHandler}; everything defaults from the environment. */
export interface RouterHandlerOptions extends Pick<WorkQueueOptions<string, undefined>, 'logger' | 'metrics' | 'now' | 'deadLetterPublisher'> {
  /** Environment to read the configuration from. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Output index → publisher (tests). @default - a QueuePublisher per output URL */
  readonly publishers?: ReadonlyMap<string, OutputPublisher>;
}

/**
 * Builds the routing handler from `PP_ROUTER_CONFIG` and the output URLs. Call it at module scope.
 *
 * @throws ConfigError naming every missing or malformed setting
 */
export function createRouterHandler(options: RouterHandlerOptions, wiring: WorkQueueWiring): WorkQueueHandler {
  const env = options.env ?? process.env;
  const settings = readRouterSettings(env);
  const counters: RouteCounters = { spilled: 0 };
  const route = buildRoute(settings, counters);
  const fifoOutputs = new Set(settings.outputUrls.flatMap((url, i) => (isFifoUrl(url) ? [String(i)] : [])));
  const publishers = options.publishers ?? outputPublishers(settings.outputUrls, wiring);
  // Built here rather than by the work-queue handler: the routing counts go to the same Metrics.
  const { logger, metrics } = observability(options, env);
  const processBatch = async (envelopes: readonly Envelope<string>[]) => {
    counters.spilled = 0;
    const outcome = await routeRecords(envelopes.map(toRoutedRecord), route, publishers, fifoOutputs);
    const routed = [...outcome.sent.values()].reduce((sum, n) => sum + n, 0);
    metrics.addMetric(RoutingMetricName.itemsRouted, MetricUnit.Count, routed);
    metrics.addMetric(RoutingMetricName.itemsDropped, MetricUnit.Count, outcome.dropped);
    if (settings.config.kind === 'shard') metrics.addMetric(RoutingMetricName.itemsSpilled, MetricUnit.Count, counters.spilled);
    return envelopes.map(({ messageId }) => {
      const error = outcome.failed.get(messageId);
      return error === undefined ? { messageId, result: undefined } : { messageId, error };
    });
  };
  return createWorkQueueHandler<string, undefined>(
    { ...withoutUndefined({ now: options.now, deadLetterPublisher: options.deadLetterPublisher }), logger, metrics, env, bodyFormat: 'text', processBatch },
    wiring,
  );
}

/** A publisher per output, named by its index. */
function outputPublishers(urls: readonly string[], wiring: WorkQueueWiring): Map<string, OutputPublisher> {
  // One batch at a time to a FIFO output: parallel batches could overtake each other within a group.
  return new Map(urls.map((url, i) => [String(i), new QueuePublisher({ port: wiring.sendPortFor(url), ...(isFifoUrl(url) ? { concurrency: 1 } : {}) })]));
}

function isFifoUrl(url: string): boolean {
  return url.endsWith('.fifo');
}

/** The parts of an SQS record a router forwards: body, attributes of every type, FIFO group. */
export function toRoutedRecord(envelope: Envelope<string>): RoutedRecord {
  const attributes = forwardableAttributes(envelope.record);
  return {
    messageId: envelope.messageId,
    body: envelope.item,
    ...(attributes === undefined ? {} : { attributes }),
    ...(envelope.groupId === undefined ? {} : { groupId: envelope.groupId }),
  };
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
