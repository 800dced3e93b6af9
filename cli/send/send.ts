/**
 * `pp send`'s core: the lines not yet acknowledged, packed into SendMessageBatch calls (≤ 10
 * entries, ≤ 1 MiB: the runtime's chunker), sent a bounded number at a time by the runtime's
 * {@link QueuePublisher} (its retries and backoff on failed entries), each batch journaled as
 * soon as SQS acknowledges it. An abort stops new batches; those in flight finish and are
 * journaled, so a re-run sends only what was never acknowledged.
 */
import { chunkByCountAndBytes } from '../../functions/lib/chunk';
import { mapWithConcurrency } from '../../functions/lib/concurrency';
import { PartialSendError, type FailedSendEntry } from '../../functions/lib/errors';
import { SqsLimits } from '../../functions/lib/limits';
import { QueuePublisher, type PublishMessage } from '../../functions/lib/publisher';
import { sqsMessageSize, type QueueSendPort } from '../../functions/lib/queue-port';
import type { BackoffOptions } from '../../functions/lib/retry';
import { toMessage, type FifoFields, type InputLine } from './input';
import type { SendJournal } from './journal';

/** What {@link sendLines} needs. */
export interface SendLinesOptions extends BackoffOptions {
  readonly lines: readonly InputLine[];
  readonly port: QueueSendPort;
  readonly journal: SendJournal;
  /** Batches in flight at once (FIFO: 1, to keep each group's order). */
  readonly concurrency: number;
  /** Send attempts per entry. @default 5 */
  readonly maxAttempts?: number;
  readonly fifo?: FifoFields;
  /** Called after each acknowledged batch with the lines acknowledged so far (this run included). */
  readonly onProgress?: (acknowledged: number) => void;
  /** Stops starting batches when aborted. */
  readonly signal?: AbortSignal;
}

/** What a send did. */
export interface SendReport {
  /** Lines in the input. */
  readonly total: number;
  /** Lines skipped because an earlier run had them acknowledged. */
  readonly skipped: number;
  /** Lines acknowledged by this run. */
  readonly sent: number;
  /** Lines SQS refused after every attempt, with the reason (they stay out of the journal). */
  readonly failed: readonly FailedSendEntry[];
  /** True when an abort left lines unsent. */
  readonly interrupted: boolean;
}

/** Sends the lines the journal does not hold. */
export async function sendLines(options: SendLinesOptions): Promise<SendReport> {
  const { journal } = options;
  const skipped = options.lines.filter((l) => journal.has(l.line)).length;
  const messages = options.lines.filter((l) => !journal.has(l.line)).map((l) => toMessage(l, options.fifo));
  const batches = chunkByCountAndBytes(messages, { maxEntries: SqsLimits.maxBatchEntries, maxBytes: SqsLimits.maxBatchBytes, sizeOf: sqsMessageSize, idOf: (m) => m.id ?? '' });
  // One batch per publish call: the publisher retries its failed entries, and the journal gets it as soon as it is in.
  const publisher = new QueuePublisher({ ...options, port: options.port, concurrency: 1 });
  const failed: FailedSendEntry[] = [];
  let sent = 0;
  let interrupted = false;
  const acknowledge = (batch: readonly PublishMessage[]): void => {
    journal.record(batch.map((m) => Number(m.id)));
    sent += batch.length;
    options.onProgress?.(journal.size);
  };
  await mapWithConcurrency(batches, options.concurrency, async (batch) => {
    if (options.signal?.aborted) {
      interrupted = true;
      return;
    }
    try {
      await publisher.publish(batch);
      acknowledge(batch);
    } catch (error) {
      if (!(error instanceof PartialSendError)) throw error;
      const refused = new Set(error.failed.map((f) => f.id));
      acknowledge(batch.filter((m) => !refused.has(m.id ?? '')));
      failed.push(...error.failed);
    }
  });
  return { total: options.lines.length, skipped, sent, failed, interrupted };
}
