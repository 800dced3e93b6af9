/**
 * The reducer's SQS handler: the work-queue handler (partial batch responses, poison records
 * to the DLQ with the reason) around {@link reduceBatch}.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import { ReduceEnv, ReduceMetric } from '../../contract';
import { EnvReader, type EnvSource } from '../env-reader';
import { PoisonRecordError } from '../errors';
import { observability } from '../observability';
import { QueuePublisher } from '../publisher';
import { backoffDelay, realSleep } from '../retry';
import type { Envelope } from '../work-queue/sqs-records';
import { createWorkQueueHandler, type WorkQueueHandler } from '../work-queue/handler';
import type { WorkQueueWiring } from '../work-queue/options';
import { reduceBatch } from './reducer';
import type { FinalAggregate, MergeFn, ReduceInput, ReduceStore } from './types';

/** Options of the `reducer()` factory. */
export interface ReducerOptions<V> {
  /** Associative and commutative merge of two partial results. */
  readonly merge: MergeFn<V>;
  /** @default process.env */
  readonly env?: EnvSource;
  /** Epoch ms for `finalAt`. @default Date.now */
  readonly now?: () => number;
  /** @default - a Powertools Logger for the function's service */
  readonly logger?: Logger;
  /** @default - Powertools Metrics for the function's service */
  readonly metrics?: Metrics;
}

/** What the reducer is wired to. */
export interface ReducerWiring extends WorkQueueWiring {
  readonly storeFor: (settings: { tableName: string; ttlSeconds: number }) => ReduceStore;
}

/** Conflicting shard writes retried before the batch is handed back to SQS. */
const MAX_CONFLICTS = 50;

/** Full-jitter backoff between conflicting writes, so contending reducers spread apart. */
const conflictPause = (attempt: number): Promise<void> => realSleep(backoffDelay(attempt, { baseDelayMs: 10, maxDelayMs: 500, random: Math.random }));

/** The final aggregate as the output queue gets it; the value is left out above 200 KB (read it from the table). */
export function finalMessage(final: FinalAggregate): string {
  const body = JSON.stringify(final);
  return body.length <= 200_000 ? body : JSON.stringify({ ...final, value: undefined, valueInTable: true });
}

function parsePartial(body: unknown): ReduceInput {
  const p = body as Record<string, unknown> | null;
  const bad = (why: string) => new PoisonRecordError(`not a partial: ${why}`);
  if (typeof p !== 'object' || p === null) throw bad('the body must be a JSON object');
  if (typeof p.reduceId !== 'string' || p.reduceId === '' || p.reduceId.length > 512) throw bad('reduceId must be a string of 1–512 characters');
  if (p.expected !== undefined && !(Number.isInteger(p.expected) && (p.expected as number) >= 1)) throw bad(`expected must be a whole number of at least 1, got ${JSON.stringify(p.expected)}`);
  // A count notice: only the aggregation and its expected count.
  if (p.partialId === undefined && !('value' in p) && p.expected !== undefined) return { reduceId: p.reduceId, expected: p.expected as number };
  if (typeof p.partialId !== 'string' || p.partialId === '' || p.partialId.length > 512) throw bad('partialId must be a string of 1–512 characters');
  if (!('value' in p) || p.value === null) throw bad('value is missing');
  return { reduceId: p.reduceId, partialId: p.partialId, value: p.value, ...(p.expected !== undefined ? { expected: p.expected as number } : {}) };
}

/** Builds the reducer handler. @throws ConfigError naming every bad env var */
export function createReducerHandler<V>(options: ReducerOptions<V>, wiring: ReducerWiring): WorkQueueHandler {
  const env = options.env ?? process.env;
  const reader = new EnvReader(env);
  const tableName = reader.text(ReduceEnv.tableName);
  const shards = reader.integer(ReduceEnv.shards, 1, 1_000);
  const ttlSeconds = reader.integer(ReduceEnv.ttlSeconds, 3600, 31_536_000);
  const outputUrl = reader.optionalText(ReduceEnv.outputQueueUrl);
  reader.check();
  const store = wiring.storeFor({ tableName, ttlSeconds });
  const output = outputUrl ? new QueuePublisher({ port: wiring.sendPortFor(outputUrl) }) : undefined;
  const { logger, metrics } = observability(options, env);
  const notify = async (final: FinalAggregate<V>) => {
    logger.info('aggregate final', { reduceId: final.reduceId, count: final.count, finalAt: new Date(final.finalAt).toISOString() });
    await output?.publish([{ body: finalMessage(final) }]);
  };
  const processBatch = async (envelopes: readonly Envelope<ReduceInput>[]) => {
    try {
      const report = await reduceBatch(store, envelopes.map((e) => e.item as ReduceInput<V>), { merge: options.merge, shards, now: options.now ?? Date.now, notify, maxConflicts: MAX_CONFLICTS, pause: conflictPause });
      metrics.addMetric(ReduceMetric.partialsMerged, MetricUnit.Count, report.merged);
      metrics.addMetric(ReduceMetric.duplicatesSkipped, MetricUnit.Count, report.duplicates);
      metrics.addMetric(ReduceMetric.aggregatesFinalized, MetricUnit.Count, report.finalized.length);
      return envelopes.map(({ messageId }) => ({ messageId, result: undefined }));
    } catch (error) {
      // Merging is idempotent: the whole batch comes back and what was merged is skipped then.
      return envelopes.map(({ messageId }) => ({ messageId, error }));
    }
  };
  return createWorkQueueHandler<ReduceInput, undefined>({ env, logger, metrics, parse: parsePartial, processBatch }, wiring);
}
