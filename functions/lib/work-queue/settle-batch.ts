/**
 * Settling a batch after its work ran: poison records go to the DLQ, every outcome is logged
 * and measured, and the partial batch response is built (or the batch thrown back whole).
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { SQSBatchResponse, SQSRecord } from 'aws-lambda';
import { MetricName } from '../../contract';
import { toBatchResponse } from './batch-response';
import { sendToDeadLetter, type DeadLetterReport } from './dead-letter';
import { FifoGroupStoppedError, FullBatchFailureError, PoisonRecordError } from '../errors';
import type { ItemOutcome } from './item-runner';
import type { QueuePublisher } from '../publisher';

/** What settling needs: where poison goes, and where logs and metrics go. */
export interface SettleConfig {
  /** The DLQ publisher, and whether the DLQ is FIFO. @default - none: poison records fail */
  readonly deadLetter?: { readonly publisher: QueuePublisher; readonly fifo: boolean };
  /** Where per-item failures and the batch summary are logged. */
  readonly logger: Logger;
  /** Where ItemsProcessed, ItemsFailed, PoisonRecords and ItemDuration are added. */
  readonly metrics: Metrics;
}

/**
 * Dead-letters the poison outcomes, then reports the rest: a record fails if its outcome
 * failed (and it was not dead-lettered) or, on FIFO queues, an earlier record of its group
 * failed.
 *
 * @throws FullBatchFailureError when every record failed, so Lambda retries the batch whole
 */
export async function settleBatch<R>(
  run: { readonly records: readonly SQSRecord[]; readonly outcomes: readonly ItemOutcome<R>[] },
  config: SettleConfig,
): Promise<SQSBatchResponse> {
  const recordOf = new Map(run.records.map((record) => [record.messageId, record]));
  const failures = run.outcomes.filter((outcome) => !outcome.ok);
  const poison = failures.filter((outcome) => outcome.error instanceof PoisonRecordError);
  const report: DeadLetterReport = config.deadLetter
    ? await sendToDeadLetter(
        poison.map((outcome) => ({ messageId: outcome.messageId, record: recordOf.get(outcome.messageId) as SQSRecord, error: outcome.error })),
        config.deadLetter.publisher,
        config.deadLetter.fifo,
      )
    : { sent: new Set(), failed: new Map() };
  const response = toBatchResponse(run.records, new Set(failures.filter((f) => !report.sent.has(f.messageId)).map((f) => f.messageId)));
  const failedIds = new Set(response.batchItemFailures.map((failure) => failure.itemIdentifier));
  recordTelemetry(run.outcomes, failedIds, report, config);
  if (run.records.length > 0 && failedIds.size === run.records.length) {
    const errorOf = new Map(run.outcomes.map((outcome) => [outcome.messageId, outcome.ok ? undefined : outcome.error]));
    const groupOf = (id: string): string => recordOf.get(id)?.attributes?.MessageGroupId ?? '';
    throw new FullBatchFailureError(new Map([...failedIds].map((id) => [id, report.failed.get(id) ?? errorOf.get(id) ?? new FifoGroupStoppedError(groupOf(id))])));
  }
  return response;
}

/** Logs each failure and poison record, then the batch summary, and adds the metrics. */
function recordTelemetry<R>(
  outcomes: readonly ItemOutcome<R>[],
  failedIds: ReadonlySet<string>,
  report: DeadLetterReport,
  config: SettleConfig,
): void {
  const { logger, metrics } = config;
  let poisonCount = 0;
  for (const outcome of outcomes) {
    // One value per item is safe for 10,000-record batches: Powertools flushes a metric's EMF
    // document when it reaches EMF's limit of 100 values, so none is dropped (see the handler test).
    if (outcome.durationMs !== undefined) metrics.addMetric(MetricName.itemDuration, MetricUnit.Milliseconds, outcome.durationMs);
    if (outcome.ok) continue;
    const { messageId, error } = outcome;
    if (error instanceof PoisonRecordError) {
      poisonCount++;
      const deadLetterError = report.failed.get(messageId);
      logger.warn('Poison record', { messageId, reason: error.reason, deadLettered: report.sent.has(messageId), ...(deadLetterError ? { deadLetterError: String(deadLetterError) } : {}) });
    } else if (error instanceof FifoGroupStoppedError) {
      logger.info('Record held back behind a failure of its FIFO group', { messageId, groupId: error.groupId });
    } else {
      logger.error('Item failed', { messageId, error: error instanceof Error ? error : String(error) });
    }
  }
  const processed = outcomes.filter((outcome) => outcome.ok && !failedIds.has(outcome.messageId)).length;
  metrics.addMetric(MetricName.itemsProcessed, MetricUnit.Count, processed);
  metrics.addMetric(MetricName.itemsFailed, MetricUnit.Count, failedIds.size);
  metrics.addMetric(MetricName.poisonRecords, MetricUnit.Count, poisonCount);
  logger.info('Batch settled', { records: outcomes.length, processed, failed: failedIds.size, poison: poisonCount, deadLettered: report.sent.size });
}
