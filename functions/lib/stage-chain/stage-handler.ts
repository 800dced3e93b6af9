/**
 * The Batch Stage Chain's stage: a work-queue handler whose per-item results go on
 * to the next stage.
 *
 * A stage receives a batch, runs the user's work (`processItem` with bounded concurrency, or
 * `processBatch` once for the whole batch), and delivers every result in full batched calls
 * to its sink — the next stage's queue, a sink queue, or a DynamoDB sink table, whichever the
 * construct configured. A failed item (its work threw, or its result was not delivered) stays
 * with that item: it is reported in `batchItemFailures` and retried alone, while its
 * batch-mates' results go on. Poison goes to the DLQ with its reason, as in `workQueue`.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { Env, RoutingEnv } from '../../contract';
import { BatchWriter, type BatchWritePort } from '../batch-writer';
import { ConfigError } from '../errors';
import type { ItemOutcome } from '../work-queue/item-runner';
import { QueuePublisher } from '../publisher';
import { settleBatch } from '../work-queue/settle-batch';
import { NO_SINK, queueSink, tableSink, type ResultSink, type StageResult } from './stage-sink';
import { quote } from '../validate';
import { runWorkQueueBatch, type BatchRun, type WorkQueueHandler } from '../work-queue/handler';
import { resolveWorkQueueConfig, type WorkQueueOptions, type WorkQueueWiring } from '../work-queue/options';

/**
 * Options of a stage: those of `workQueue` (give exactly one of `processItem` and
 * `processBatch`), plus where results go when the construct's environment should not decide.
 * A result of `undefined` is not forwarded (the item is done, with nothing to pass on).
 */
export interface StageOptions<In, Out> extends WorkQueueOptions<In, Out> {
  /** Where results go. @default - from the environment: `PP_NEXT_QUEUE_URL`, else `PP_SINK_TABLE_NAME`, else nowhere */
  readonly sink?: ResultSink;
}

/** How a stage reaches AWS: the work queue's wiring plus DynamoDB writes for a table sink. */
export interface StageWiring extends WorkQueueWiring {
  /** A BatchWriteItem port for the table named `tableName`. */
  readonly writePortFor: (tableName: string) => BatchWritePort;
}

/**
 * Builds a stage handler. Call it at module scope: options are validated and clients built once.
 *
 * @throws ConfigError naming every bad option or env var
 */
export function createStageHandler<In, Out>(options: StageOptions<In, Out>, wiring: StageWiring): WorkQueueHandler {
  const { sink: givenSink, ...workOptions } = options;
  const config = resolveWorkQueueConfig(workOptions, wiring);
  const sink = givenSink ?? sinkFromEnv(options.env ?? process.env, wiring);
  return middy<SQSEvent, SQSBatchResponse>()
    .use(injectLambdaContext(config.logger, { resetKeys: true }))
    .use(logMetrics(config.metrics))
    .handler(async (event, context) => settleBatch(await deliverResults(await runWorkQueueBatch(event, context, config), sink), config));
}

/**
 * Delivers the results of a run to `sink` and turns every undelivered item into a failed
 * outcome. Items whose work failed are untouched; an `undefined` result is not delivered.
 */
export async function deliverResults<R>(run: BatchRun<R>, sink: ResultSink): Promise<BatchRun<R>> {
  const groupOf = new Map(run.records.map((record) => [record.messageId, record.attributes?.MessageGroupId]));
  const results: StageResult<R>[] = [];
  for (const outcome of run.outcomes) {
    if (!outcome.ok || outcome.result === undefined) continue;
    const groupId = groupOf.get(outcome.messageId);
    results.push({ messageId: outcome.messageId, result: outcome.result, ...(groupId === undefined ? {} : { groupId }) });
  }
  const undelivered = results.length === 0 ? new Map<string, unknown>() : await sink.deliver(results);
  if (undelivered.size === 0) return run;
  const outcomes = run.outcomes.map((outcome): ItemOutcome<R> => {
    const error = undelivered.get(outcome.messageId);
    return error === undefined || !outcome.ok ? outcome : { messageId: outcome.messageId, ok: false, error, durationMs: outcome.durationMs };
  });
  return { records: run.records, outcomes };
}

/**
 * The sink the construct configured: the next stage's (or the sink) queue, else the sink
 * table with its key attributes, else none (a last stage whose work is its side effect).
 *
 * @throws ConfigError when a table is named without its key attributes, or both are set
 */
export function sinkFromEnv(env: Readonly<Record<string, string | undefined>>, wiring: StageWiring): ResultSink {
  const queueUrl = env[Env.nextQueueUrl] || undefined;
  const tableName = env[RoutingEnv.sinkTableName] || undefined;
  const keys = (env[RoutingEnv.sinkTableKeys] ?? '').split(',').map((k) => k.trim()).filter((k) => k.length > 0);
  const violations: string[] = [];
  if (queueUrl !== undefined && tableName !== undefined) {
    violations.push(`${Env.nextQueueUrl} and ${RoutingEnv.sinkTableName} are exclusive, got both (${quote(queueUrl)}, ${quote(tableName)})`);
  }
  if (tableName !== undefined && (keys.length < 1 || keys.length > 2)) {
    violations.push(`${RoutingEnv.sinkTableKeys} must name 1 or 2 key attributes, got ${quote(env[RoutingEnv.sinkTableKeys])}`);
  }
  if (violations.length > 0) throw new ConfigError(violations);
  if (queueUrl !== undefined) {
    // One batch at a time to a FIFO queue: batches sent in parallel could overtake each other within a group.
    const fifo = queueUrl.endsWith('.fifo');
    return queueSink(new QueuePublisher({ port: wiring.sendPortFor(queueUrl), ...(fifo ? { concurrency: 1 } : {}) }), { fifo });
  }
  if (tableName !== undefined) return tableSink(new BatchWriter({ port: wiring.writePortFor(tableName), keyAttributes: keys }), keys);
  return NO_SINK;
}
