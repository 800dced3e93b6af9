/**
 * The `aggregator()` handler factory's options and wiring, SDK-free: the SQS adapters are
 * supplied by `functions/request-aggregator/aggregator.ts`, test doubles by tests.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import { RequestAggregatorEnv, RequestAggregatorMetric, type AggregatorRequestMessage } from '../../contract';
import { EnvReader, type EnvSource } from '../env-reader';
import { ConfigError } from '../errors';
import { observability } from '../observability';
import { collect, quote, unknownKeyViolations } from '../validate';
import { createWorkQueueHandler, type WorkQueueHandler } from '../work-queue/handler';
import type { WorkQueueWiring } from '../work-queue/options';
import { RequestAggregator } from './aggregator';
import type { BatchResults } from './options';
import { parseRequestMessage, serveRequests, type ReplySink, type ResultStore } from './serve';

/** What the batch function gets besides the requests. */
export interface AggregatorContext {
  /** The handler's logger. */
  readonly logger: Logger;
}

/** Options of the `aggregator()` handler factory. */
export interface AggregatorOptions<Req, Res> {
  /** The backend call: answers every request of the batch, in order, with a value or an `Error` for that request alone. */
  readonly processBatch: (requests: readonly Req[], context: AggregatorContext) => Promise<BatchResults<Res>>;
  /** Checks and converts a request; throwing sends its message to the DLQ with the reason. @default - the request as sent */
  readonly parse?: (request: unknown) => Req;
  /** Most requests per `processBatch` call (the backend's limit); 1–10000. @default 100 */
  readonly maxBatchSize?: number;
  /** `processBatch` calls in flight at once when a batch needs several; 1–100. @default 4 */
  readonly maxConcurrentBatches?: number;
  /** Most `processBatch` calls started per second. @default - unlimited */
  readonly maxBatchesPerSecond?: number;
  /** Powertools logger. @default - a Logger named from env POWERTOOLS_SERVICE_NAME */
  readonly logger?: Logger;
  /** Powertools metrics. @default - namespace from env POWERTOOLS_METRICS_NAMESPACE */
  readonly metrics?: Metrics;
  /** Environment to read settings from. @default process.env */
  readonly env?: EnvSource;
}

/** How the handler reaches AWS (the results table, the reply queue, the DLQ). */
export interface AggregatorWiring extends WorkQueueWiring {
  /** The results table called `tableName`. */
  readonly resultStore: (tableName: string) => ResultStore<unknown>;
  /** The reply queue at `queueUrl`. */
  readonly replySink: (queueUrl: string) => ReplySink<unknown>;
  /** Current time, epoch ms. @default Date.now */
  readonly now?: () => number;
}

const KNOWN = ['processBatch', 'parse', 'maxBatchSize', 'maxConcurrentBatches', 'maxBatchesPerSecond', 'logger', 'metrics', 'env'];

/**
 * Builds the aggregator function's SQS handler: parse each request message, serve the batch
 * (one backend call per `maxBatchSize` fresh requests), report per-record failures.
 *
 * @throws ConfigError naming every bad option and env var
 */
export function createAggregatorHandler<Req, Res>(options: AggregatorOptions<Req, Res>, wiring: AggregatorWiring): WorkQueueHandler {
  const env = options.env ?? process.env;
  const violations = collect(
    unknownKeyViolations('aggregator', options, KNOWN),
    typeof options.processBatch === 'function' ? undefined : `processBatch must be a function, got ${quote(options.processBatch)}`,
  );
  if (violations.length > 0) throw new ConfigError(violations);
  const reader = new EnvReader(env);
  const tableName = reader.text(RequestAggregatorEnv.resultTableName);
  const ttlSeconds = reader.integer(RequestAggregatorEnv.resultTtlSeconds, 60, 366 * 86_400);
  const replyUrl = reader.optionalText(RequestAggregatorEnv.replyQueueUrl);
  reader.check();
  const { logger, metrics } = observability(options, env);
  const aggregator = new RequestAggregator<AggregatorRequestMessage<Req>, Res>({
    loadBatch: (messages) => options.processBatch(messages.map((message) => message.request), { logger }),
    maxBatchSize: options.maxBatchSize ?? 100,
    maxConcurrentBatches: options.maxConcurrentBatches ?? 4,
    maxBatchesPerSecond: options.maxBatchesPerSecond,
    cacheKeyFn: (message) => message.requestId,
  });
  const deps = {
    aggregator,
    store: wiring.resultStore(tableName) as ResultStore<Res>,
    replies: replyUrl === undefined ? undefined : (wiring.replySink(replyUrl) as ReplySink<Res>),
    ttlSeconds,
    now: wiring.now ?? Date.now,
  };
  return createWorkQueueHandler<AggregatorRequestMessage<Req>, void>(
    {
      parse: (body) => parseRequestMessage(body, options.parse),
      processBatch: async (envelopes) => {
        const before = aggregator.stats().batches;
        const report = await serveRequests(envelopes, deps);
        metrics.addMetric(RequestAggregatorMetric.backendCalls, MetricUnit.Count, aggregator.stats().batches - before);
        metrics.addMetric(RequestAggregatorMetric.requestsAnswered, MetricUnit.Count, report.answered);
        metrics.addMetric(RequestAggregatorMetric.duplicateRequests, MetricUnit.Count, report.duplicates);
        return report.outcomes;
      },
      logger,
      metrics,
      env,
    },
    wiring,
  );
}
