/**
 * QueuePublisher: sends any number of messages to one SQS queue in full batches, never
 * dropping one.
 *
 * Messages are packed in order into batches of ≤ 10 entries and ≤ 1 MiB, batches go out with
 * bounded concurrency, and only the entries SQS failed are re-sent, with backoff and full
 * jitter. Whatever is still unsent after `maxAttempts` is named in a PartialSendError.
 *
 * Messages with a `messageGroupId` (a FIFO queue) go out one batch at a time, and a group
 * stops at its first unsent entry: its later entries are not sent and are named in the
 * PartialSendError too, so a retry resends the group in order instead of behind later results.
 */
import { chunkByCountAndBytes } from './chunk';
import { mapWithConcurrency } from './concurrency';
import { ConfigError, InvalidEntryError, PartialSendError, type FailedSendEntry } from './errors';
import { SqsLimits } from './limits';
import { sqsMessageSize, type QueueSendPort, type SendEntry, type SendEntryFailure } from './queue-port';
import { collect, intRangeViolation } from './validate';
import { backoffDelay, backoffViolations, isRetryableError, resolveBackoff, type Backoff, type BackoffOptions } from './retry';

/** A message to publish; `id` is optional (the message's index is used when absent). */
export type PublishMessage = Omit<SendEntry, 'id'> & {
  /** Batch entry id, unique within the publish call: 1–80 of `A-Za-z0-9_-`. @default - the message's index */
  readonly id?: string;
};

/** Configuration of a {@link QueuePublisher}. */
export interface QueuePublisherOptions extends BackoffOptions {
  /** Where batches are sent. */
  readonly port: QueueSendPort;
  /** Send attempts per entry, the first one included; 1–20. @default 5 */
  readonly maxAttempts?: number;
  /** Batches in flight at once; 1–100. @default 4 */
  readonly concurrency?: number;
}

/** What one {@link QueuePublisher.publish} call did. */
export interface PublishResult {
  /** Entries sent. */
  readonly sent: number;
  /** SendMessageBatch calls made, retries included. */
  readonly requests: number;
}

interface BatchReport {
  readonly requests: number;
  readonly failed: readonly FailedSendEntry[];
}

const ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;

/** Publishes messages to one queue in full, retried batches. */
export class QueuePublisher {
  private readonly port: QueueSendPort;
  private readonly maxAttempts: number;
  private readonly concurrency: number;
  private readonly backoff: Backoff;

  /** @throws ConfigError naming every bad option */
  constructor(options: QueuePublisherOptions) {
    this.port = options.port;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.concurrency = options.concurrency ?? 4;
    const violations = collect(
      intRangeViolation('maxAttempts', this.maxAttempts, 1, 20),
      intRangeViolation('concurrency', this.concurrency, 1, 100),
      backoffViolations(options),
    );
    if (violations.length > 0) throw new ConfigError(violations);
    this.backoff = resolveBackoff(options);
  }

  /**
   * Sends every message, in order of batches, and resolves once all were accepted by SQS.
   *
   * @throws InvalidEntryError / OversizeEntryError before anything is sent, for a bad message
   * @throws PartialSendError naming every entry still unsent after `maxAttempts` (the rest were sent)
   */
  async publish(messages: readonly PublishMessage[]): Promise<PublishResult> {
    const entries = toEntries(messages);
    const batches = chunkByCountAndBytes(entries, {
      maxEntries: SqsLimits.maxBatchEntries,
      maxBytes: SqsLimits.maxBatchBytes,
      sizeOf: sqsMessageSize,
      idOf: (entry) => entry.id,
    });
    const grouped = entries.some((entry) => entry.messageGroupId !== undefined);
    const reports = grouped ? await this.sendInGroupOrder(batches) : await mapWithConcurrency(batches, this.concurrency, (batch) => this.sendWithRetry(batch));
    const failed = reports.flatMap((report) => report.failed);
    const requests = reports.reduce((sum, report) => sum + report.requests, 0);
    if (failed.length > 0) {
      const order = new Map(entries.map((entry, index) => [entry.id, index]));
      throw new PartialSendError([...failed].sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0)));
    }
    return { sent: entries.length, requests };
  }

  /** Sends batches one after another, holding back every entry of a group that already has an unsent one. */
  private async sendInGroupOrder(batches: readonly (readonly SendEntry[])[]): Promise<BatchReport[]> {
    const stoppedAt = new Map<string, string>();
    const reports: BatchReport[] = [];
    for (const batch of batches) {
      const held = batch.filter((entry) => stoppedAt.has(entry.messageGroupId ?? ''));
      const toSend = batch.filter((entry) => !stoppedAt.has(entry.messageGroupId ?? ''));
      const report = toSend.length === 0 ? { requests: 0, failed: [] } : await this.sendWithRetry(toSend);
      const groupOf = new Map(batch.map((entry) => [entry.id, entry.messageGroupId ?? '']));
      for (const failure of report.failed) if (!stoppedAt.has(groupOf.get(failure.id) ?? '')) stoppedAt.set(groupOf.get(failure.id) ?? '', failure.id);
      const heldBack = held.map((entry): FailedSendEntry => {
        const group = entry.messageGroupId ?? '';
        return { id: entry.id, code: 'GroupHeldBack', message: `not sent: ${stoppedAt.get(group) ?? ''}, earlier in message group ${group}, was not sent`, senderFault: false };
      });
      reports.push({ requests: report.requests, failed: [...report.failed, ...heldBack] });
    }
    return reports;
  }

  /** Sends one batch, re-sending only its retryable failures; never throws. */
  private async sendWithRetry(batch: readonly SendEntry[]): Promise<BatchReport> {
    let pending = batch;
    let lastFailures = new Map<string, SendEntryFailure>();
    const permanent: FailedSendEntry[] = [];
    let requests = 0;
    for (let attempt = 1; attempt <= this.maxAttempts && pending.length > 0; attempt++) {
      if (attempt > 1) await this.backoff.sleep(backoffDelay(attempt - 1, this.backoff));
      requests++;
      lastFailures = new Map((await this.trySend(pending)).map((failure) => [failure.id, failure]));
      const retry: SendEntry[] = [];
      for (const entry of pending) {
        const failure = lastFailures.get(entry.id);
        if (failure === undefined) continue;
        if (failure.senderFault) permanent.push(failure);
        else retry.push(entry);
      }
      pending = retry;
    }
    const exhausted = pending.map((entry) => lastFailures.get(entry.id) as SendEntryFailure);
    return { requests, failed: [...permanent, ...exhausted] };
  }

  /** One send; a thrown error fails every entry (retryably if it is throttling or a 5xx). */
  private async trySend(entries: readonly SendEntry[]): Promise<readonly SendEntryFailure[]> {
    try {
      return (await this.port.sendBatch(entries)).failed;
    } catch (error) {
      const senderFault = !isRetryableError(error);
      const code = error instanceof Error ? error.name : 'UnknownError';
      const message = error instanceof Error ? error.message : String(error);
      return entries.map((entry) => ({ id: entry.id, code, message, senderFault }));
    }
  }
}

/** Gives every message its id and checks the ids before anything is sent. */
function toEntries(messages: readonly PublishMessage[]): SendEntry[] {
  const seen = new Set<string>();
  return messages.map((message, index) => {
    const id = message.id ?? String(index);
    if (!ENTRY_ID.test(id)) throw new InvalidEntryError(id, 'id must be 1–80 characters of A-Za-z0-9_-');
    if (seen.has(id)) throw new InvalidEntryError(id, 'id is used by two messages of the same publish call');
    seen.add(id);
    const attributeCount = Object.keys(message.attributes ?? {}).length;
    if (attributeCount > SqsLimits.maxMessageAttributes) {
      throw new InvalidEntryError(id, `has ${attributeCount} attributes, over the ${SqsLimits.maxMessageAttributes} SQS allows`);
    }
    return { ...message, id };
  });
}
