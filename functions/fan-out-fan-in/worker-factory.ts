/**
 * `fanOutWorker()`: the FanOutFanIn worker factory, wired to the results table (DynamoDB) and
 * Powertools metrics. The pure core is `functions/lib/fan-out-fan-in/worker.ts`.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { FanOutEnv, FanOutMetric } from '../contract';
import { DynamoResultStore } from '../lib/aws/fan-out-results';
import { systemClock } from '../lib/clock';
import { EnvReader } from '../lib/env-reader';
import type { WorkerEvent } from '../lib/fan-out-fan-in/types';
import { type FanOutWorkerOptions, runWorkerEvent } from '../lib/fan-out-fan-in/worker';
import { observability } from '../lib/observability';
import { reducePartialSink } from './reduce-wiring';

/** The Lambda handler a worker entry exports. */
export type FanOutWorkerHandler = (event: WorkerEvent) => Promise<{ recorded: number }>;

/**
 * Builds the worker handler around your `processItem` (and optional `validate`). Each call
 * works on one item or one batch; a thrown error is retried by the state machine with backoff
 * and full jitter, then recorded as the item's failure. With the construct's `reduce`, each
 * valid output (or `toPartial` of it) is sent to that Reduce as the partial `item#<index>` of
 * the aggregation named by the run id. Call it at module scope:
 *
 * ```ts
 * export const handler = fanOutWorker({
 *   processItem: async (doc: { key: string }) => extractEntities(doc.key),
 *   validate: (out) => (out.entities.length > 0 ? true : { invalid: 'no entities found' }),
 * });
 * ```
 *
 * @throws ConfigError when the table env var is missing and no `store` is given
 */
export function fanOutWorker<I, O>(options: FanOutWorkerOptions<I, O>): FanOutWorkerHandler {
  const env = new EnvReader(process.env);
  const store = options.store ?? new DynamoResultStore(env.text(FanOutEnv.resultsTableName));
  const reduceUrl = env.optionalText(FanOutEnv.reduceQueueUrl);
  env.check();
  const partials = reduceUrl ? reducePartialSink(reduceUrl) : undefined;
  const { metrics } = observability({}, process.env);
  const onProgress = (delta: Record<string, number | undefined>) => {
    for (const [field, name] of Object.entries(FanOutMetric)) {
      const n = delta[field];
      if (n) metrics.addMetric(name, MetricUnit.Count, n);
    }
  };
  return async (event) => {
    try {
      return await runWorkerEvent(options, { store, clock: systemClock, onProgress, partials }, event);
    } finally {
      metrics.publishStoredMetrics();
    }
  };
}
