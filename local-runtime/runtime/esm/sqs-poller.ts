/**
 * An SQS event source mapping: pollers that receive batches (batch size, batching window),
 * drop and delete what the filters reject, invoke the function, and delete what succeeded —
 * everything on success, the records not named in `batchItemFailures` with
 * ReportBatchItemFailures, nothing when the invocation fails (the visibility timeout and the
 * queue's redrive policy take over, as on AWS).
 */
import type { EventPattern } from '../../scheduling/event-pattern';
import type { ExpireVisibility } from '../faults/concurrent-duplicate';
import type { FaultInjector } from '../faults/fault-injector';
import type { LocalAwsClient } from '../gateway/local-client';
import { passesFilters, toSqsRecord, type ReceivedMessage, type SqsRecord } from './sqs-records';

/** One `AWS::Lambda::EventSourceMapping` on an SQS queue, resolved. */
export interface SqsMappingSpec {
  readonly logicalId: string;
  readonly functionName: string;
  readonly queueArn: string;
  /** The queue URL as the gateway hands it out. */
  readonly queueUrl: string;
  /** Records per invocation (1–10,000). */
  readonly batchSize: number;
  /** How long to gather a batch, in milliseconds (0: invoke with what the first receive got). */
  readonly batchingWindowMs: number;
  /** Pollers working at once (ScalingConfig.MaximumConcurrency, capped by the function's concurrency). */
  readonly concurrency: number;
  readonly filters: readonly EventPattern[];
  readonly reportBatchItemFailures: boolean;
}

/** What a mapping did. */
export interface MappingStats {
  readonly logicalId: string;
  batches: number;
  records: number;
  filteredOut: number;
  failedInvocations: number;
  failedRecords: number;
  duplicateInvocations: number;
  pollErrors: number;
  /** Deletes SQS refused (a stale receipt handle: the message became visible again meanwhile). */
  failedDeletes: number;
  /** The message of the latest failed invocation or poll, for diagnostics. */
  lastError?: string;
}

/** Collaborators of a {@link SqsPoller}. */
export interface PollerDeps {
  readonly client: LocalAwsClient;
  readonly invoke: (functionName: string, event: unknown) => Promise<unknown>;
  readonly faults: FaultInjector;
  readonly region: string;
  /** Lets a concurrent duplicate's copy be received while its batch runs (see faults/concurrent-duplicate.ts). */
  readonly expireVisibility?: ExpireVisibility;
  /** The runtime clock, which batching windows follow (as SQS's timers do). @default - wall time */
  readonly clock?: { now(): number };
}

const RECEIVE_ATTRIBUTES = { MessageSystemAttributeNames: ['All'], AttributeNames: ['All'], MessageAttributeNames: ['All'] };
const ERROR_BACKOFF_MS = 200;
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs one mapping's pollers. */
export class SqsPoller {
  /** Counters of this mapping. */
  public readonly stats: MappingStats;
  private running = false;
  private loops: Promise<void>[] = [];
  private active = 0;
  /** When each batch still gathering in its batching window closes it, runtime-clock ms. */
  private readonly windows = new Map<object, number>();

  /**
   * @param spec the mapping
   * @param deps client, invoker, faults
   */
  constructor(
    public readonly spec: SqsMappingSpec,
    private readonly deps: PollerDeps,
  ) {
    this.stats = { logicalId: spec.logicalId, batches: 0, records: 0, filteredOut: 0, failedInvocations: 0, failedRecords: 0, duplicateInvocations: 0, pollErrors: 0, failedDeletes: 0 };
  }

  /** Batches being processed right now (received, not yet settled), gathering ones included. */
  public get inProgress(): number {
    return this.active;
  }

  /** How many batches are gathering in a batching window that closes after `now` (they wait for the clock). */
  public gatheringAfter(now: number): number {
    return [...this.windows.values()].filter((closesAt) => closesAt > now).length;
  }

  /** When the earliest batching window closing after `now` closes, or undefined. */
  public windowClosingAfter(now: number): number | undefined {
    const later = [...this.windows.values()].filter((closesAt) => closesAt > now);
    return later.length > 0 ? Math.min(...later) : undefined;
  }

  /** Starts the pollers. */
  public start(): void {
    this.running = true;
    this.loops = Array.from({ length: this.spec.concurrency }, () => this.loop());
  }

  /** Asks the pollers to stop after their current receive or batch. */
  public requestStop(): void {
    this.running = false;
  }

  /** Stops the pollers; resolves when every loop has ended. */
  public async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  private async loop(): Promise<void> {
    while (this.running) {
      try {
        const messages = await this.collect();
        if (messages.length > 0) await this.process(messages);
      } catch (err) {
        this.stats.lastError = (err as Error).message;
        this.stats.pollErrors++;
        if (this.running) await delay(ERROR_BACKOFF_MS);
      }
    }
  }

  private async receive(max: number, waitSeconds: number): Promise<ReceivedMessage[]> {
    const out = await this.deps.client.call<{ Messages?: ReceivedMessage[] }>('sqs', 'ReceiveMessage', {
      QueueUrl: this.spec.queueUrl,
      MaxNumberOfMessages: Math.min(10, max),
      WaitTimeSeconds: waitSeconds,
      ...RECEIVE_ATTRIBUTES,
    });
    return out.Messages ?? [];
  }

  /**
   * Receives a batch: one long poll, then more receives until the batch is full or the window
   * closes. The window runs on the runtime clock, like the visibility timers it races (and the
   * receives' waits, which the gateway runs on it); the last receive waits only what is left of it.
   */
  private async collect(): Promise<ReceivedMessage[]> {
    const batch = await this.receive(this.spec.batchSize, 20);
    if (batch.length === 0) return batch;
    this.active++;
    const clock = this.deps.clock ?? Date;
    const deadline = clock.now() + this.spec.batchingWindowMs;
    const window = {};
    this.windows.set(window, deadline);
    try {
      while (batch.length < this.spec.batchSize && clock.now() < deadline && this.running) {
        // The wait ends with the window: the gateway times it in runtime-clock milliseconds, and
        // rounding it up to whole seconds (SQS's unit) would stretch a 1 s window toward 2 s.
        const waitSeconds = (deadline - clock.now()) / 1000;
        batch.push(...(await this.receive(this.spec.batchSize - batch.length, Math.min(20, waitSeconds))));
      }
    } catch (err) {
      // The batch already received is in flight (counted in `active`): close the window and
      // process it rather than leave it to the visibility timeout and the counter unbalanced.
      this.stats.lastError = (err as Error).message;
      this.stats.pollErrors++;
    } finally {
      this.windows.delete(window);
    }
    return batch;
  }

  private async process(messages: ReceivedMessage[]): Promise<void> {
    try {
      const records = messages.map((m) => toSqsRecord(m, this.spec.queueArn, this.deps.region));
      const matching = records.filter((r) => passesFilters(r, this.spec.filters));
      const rejected = records.filter((r) => !matching.includes(r));
      this.stats.filteredOut += rejected.length;
      const kinds = matching.map((r) => this.deps.faults.duplicateKind(r.body, Number(r.attributes.ApproximateReceiveCount ?? 1)));
      await this.releaseConcurrentCopies(matching.filter((_, i) => kinds[i] === 'concurrent'));
      const succeeded = matching.length > 0 ? await this.invoke(matching) : [];
      await this.delete([...rejected, ...succeeded]);
      await this.deliverDuplicates(matching.filter((_, i) => kinds[i] === 'replay'));
    } finally {
      this.active--;
    }
  }

  /** Invokes the function; returns the records to delete. */
  private async invoke(records: SqsRecord[]): Promise<SqsRecord[]> {
    this.stats.batches++;
    this.stats.records += records.length;
    let result: unknown;
    try {
      result = await this.deps.invoke(this.spec.functionName, { Records: records });
    } catch (err) {
      this.stats.lastError = (err as Error).message;
      this.stats.failedInvocations++;
      this.stats.failedRecords += records.length;
      return [];
    }
    if (!this.spec.reportBatchItemFailures) return records;
    const failed = failedIds(result, records);
    this.stats.failedRecords += failed.size;
    return records.filter((r) => !failed.has(r.messageId));
  }

  /** Concurrent duplicates: visible again before the batch is invoked, so another poller takes a copy meanwhile. */
  private async releaseConcurrentCopies(records: SqsRecord[]): Promise<void> {
    const expire = this.deps.expireVisibility;
    if (!expire) return;
    await Promise.all(records.map((r) => expire(this.spec.queueUrl, r.receiptHandle).catch(() => undefined)));
  }

  /** Replayed duplicates: a second invocation after the first settled; its outcome decides nothing. */
  private async deliverDuplicates(again: SqsRecord[]): Promise<void> {
    if (again.length === 0) return;
    this.stats.duplicateInvocations++;
    await this.deps.invoke(this.spec.functionName, { Records: again }).catch(() => undefined);
  }

  private async delete(records: SqsRecord[]): Promise<void> {
    for (let i = 0; i < records.length; i += 10) {
      const Entries = records.slice(i, i + 10).map((r, j) => ({ Id: String(j), ReceiptHandle: r.receiptHandle }));
      const out = await this.deps.client.call<{ Failed?: unknown[] }>('sqs', 'DeleteMessageBatch', { QueueUrl: this.spec.queueUrl, Entries });
      this.stats.failedDeletes += out.Failed?.length ?? 0;
    }
  }
}

/**
 * The message IDs a partial batch response reports as failed. A malformed response (not an
 * object, an unknown or empty `itemIdentifier`) fails the whole batch, as Lambda does.
 */
export function failedIds(result: unknown, records: readonly SqsRecord[]): Set<string> {
  const all = new Set(records.map((r) => r.messageId));
  if (result === null || result === undefined) return new Set();
  if (typeof result !== 'object') return all;
  const failures = (result as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return new Set();
  if (!Array.isArray(failures)) return all;
  const ids = new Set<string>();
  for (const f of failures) {
    const id = (f as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || !all.has(id)) return all;
    ids.add(id);
  }
  return ids;
}
