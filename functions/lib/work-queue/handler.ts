/**
 * The work-queue handler: an SQS-triggered Lambda handler that parses each record, runs the
 * user's work with bounded concurrency, dead-letters poison records with their reason, and
 * returns a partial batch response (throwing only when every record failed).
 *
 * Pure core: AWS access comes through {@link WorkQueueWiring}; `functions/work-queue/factory.ts`
 * supplies the SQS one. The steps are exported for other factories (e.g. a stage that
 * forwards results) to reuse: {@link runWorkQueueBatch} then {@link settleBatch}.
 */
import middy, { type MiddyfiedHandler } from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { runBatch, runEachItem, stoppedOutcome, type ItemOutcome } from './item-runner';
import { parseSqsEvent, isFifoRecord, type Envelope, type PoisonRecord } from './sqs-records';
import { settleBatch } from './settle-batch';
import { resolveWorkQueueConfig, type ItemContext, type WorkQueueConfig, type WorkQueueOptions, type WorkQueueWiring } from './options';

/** The Lambda handler a work-queue factory returns. */
export type WorkQueueHandler = MiddyfiedHandler<SQSEvent, SQSBatchResponse>;

/** One batch after the work ran: every record with its outcome, in event order. */
export interface BatchRun<R> {
  /** The event's records. */
  readonly records: readonly SQSRecord[];
  /** One outcome per record (poison records fail with their PoisonRecordError). */
  readonly outcomes: readonly ItemOutcome<R>[];
}

/**
 * Builds the handler. Call it at module scope: options are validated and clients built once
 * per process.
 *
 * @throws ConfigError naming every bad option or env var
 */
export function createWorkQueueHandler<T, R>(options: WorkQueueOptions<T, R>, wiring: WorkQueueWiring): WorkQueueHandler {
  const config = resolveWorkQueueConfig(options, wiring);
  return middy<SQSEvent, SQSBatchResponse>()
    .use(injectLambdaContext(config.logger, { resetKeys: true }))
    .use(logMetrics(config.metrics))
    .handler(async (event, context) => settleBatch(await runWorkQueueBatch(event, context, config), config));
}

/**
 * Parses the event and runs the work. On FIFO queues a poison record that cannot be
 * dead-lettered (no DLQ) holds back the rest of its message group, like any failure; with a
 * DLQ the group runs on, and should the DLQ send then fail, {@link settleBatch} still reports
 * the rest of the group failed (processed twice at worst: effects must be idempotent anyway).
 */
export async function runWorkQueueBatch<T, R>(event: SQSEvent, lambdaContext: Context, config: WorkQueueConfig<T, R>): Promise<BatchRun<R>> {
  const { envelopes, poison } = parseSqsEvent(event, config.parse);
  const fifo = event.Records.some(isFifoRecord);
  const held = fifo && config.deadLetter === undefined ? heldBehindPoison(envelopes, poison) : new Set<string>();
  const runnable = envelopes.filter((envelope) => !held.has(envelope.messageId));
  const ran = config.processBatch
    ? await runBatch(runnable, (items) => config.processBatch!(items, { logger: config.logger, lambdaContext }), config.now)
    : await runEachItem(runnable, (envelope) => config.processItem!(envelope.item, itemContext(envelope, config, lambdaContext)), {
        concurrency: config.itemConcurrency,
        fifo,
        poisonStopsGroup: config.deadLetter === undefined,
        now: config.now,
      });
  const byId = new Map<string, ItemOutcome<R>>(ran.map((outcome) => [outcome.messageId, outcome]));
  for (const record of poison) byId.set(record.messageId, { messageId: record.messageId, ok: false, error: record.error });
  for (const envelope of envelopes) if (held.has(envelope.messageId)) byId.set(envelope.messageId, stoppedOutcome(envelope));
  return { records: event.Records, outcomes: event.Records.map((record) => byId.get(record.messageId) as ItemOutcome<R>) };
}

/** Envelopes that come after a poison record of the same FIFO message group. */
function heldBehindPoison<T>(envelopes: readonly Envelope<T>[], poison: readonly PoisonRecord[]): Set<string> {
  const firstPoison = new Map<string, number>();
  for (const record of poison) if (!firstPoison.has(record.groupId ?? '')) firstPoison.set(record.groupId ?? '', record.index);
  const held = envelopes.filter((envelope) => envelope.index > (firstPoison.get(envelope.groupId ?? '') ?? Infinity));
  return new Set(held.map((envelope) => envelope.messageId));
}

/** The context handed to `processItem`; its child logger is built only if the item logs. */
function itemContext<T>(envelope: Envelope<T>, config: WorkQueueConfig<T, unknown>, lambdaContext: Context): ItemContext {
  const { messageId, record } = envelope;
  let logger: ItemContext['logger'] | undefined;
  return {
    messageId,
    receiveCount: envelope.receiveCount,
    ...(envelope.groupId === undefined ? {} : { groupId: envelope.groupId }),
    attributes: record.attributes,
    messageAttributes: record.messageAttributes,
    record,
    lambdaContext,
    get logger() {
      return (logger ??= config.logger.createChild({ persistentKeys: { messageId } }));
    },
  };
}
