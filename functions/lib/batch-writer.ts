/**
 * BatchWriter: writes any number of put/delete requests to one DynamoDB table in
 * BatchWriteItem calls of 25, retrying UnprocessedItems with backoff, never dropping one.
 *
 * DynamoDB rejects a BatchWriteItem that touches one key twice, so requests on a repeated key
 * are spread over "generations" (the nth write of a key goes in generation n) written one
 * after another: within a call every key is unique, and a key's writes land in call order.
 */
import { chunkByCount } from './chunk';
import { mapWithConcurrency } from './concurrency';
import { documentKey } from './document-key';
import { ConfigError, UnprocessedItemsError } from './errors';
import { DynamoDbLimits } from './limits';
import { collect, intRangeViolation, quote } from './validate';
import { backoffDelay, backoffViolations, isRetryableError, resolveBackoff, type Backoff, type BackoffOptions } from './retry';

/** A DynamoDB item or key in document form (plain JavaScript values). */
export type DocumentItem = Readonly<Record<string, unknown>>;

/** One request of a BatchWriteItem call: put an item, or delete the item with a key. */
export type WriteRequest = { readonly put: DocumentItem } | { readonly delete: DocumentItem };

/** The outcome of one BatchWriteItem call: the requests DynamoDB did not process. */
export interface WritePortResult {
  /** Requests to send again (DynamoDB's UnprocessedItems). */
  readonly unprocessed: readonly WriteRequest[];
}

/** Writes one batch (≤ 25 requests, unique keys) to one table. May throw (throttling). */
export interface BatchWritePort {
  /** Sends `requests` in one BatchWriteItem call. */
  write(requests: readonly WriteRequest[]): Promise<WritePortResult>;
}

/** Configuration of a {@link BatchWriter}. */
export interface BatchWriterOptions extends BackoffOptions {
  /** Where batches are written. */
  readonly port: BatchWritePort;
  /** The table's key attribute names: partition key, then sort key if any (1 or 2 names). */
  readonly keyAttributes: readonly string[];
  /** Write attempts per request, the first one included; 1–20. @default 8 */
  readonly maxAttempts?: number;
  /** BatchWriteItem calls in flight at once; 1–100. @default 4 */
  readonly concurrency?: number;
}

/** What one {@link BatchWriter.write} call did. */
export interface BatchWriterResult {
  /** Requests written. */
  readonly written: number;
  /** BatchWriteItem calls made, retries included. */
  readonly requests: number;
}

interface Pending {
  readonly index: number;
  readonly key: string;
  readonly request: WriteRequest;
}

interface ChunkReport {
  readonly requests: number;
  readonly unprocessed: readonly Pending[];
  readonly cause?: unknown;
}

/** Writes put/delete requests to one table in full, retried batches. */
export class BatchWriter {
  private readonly options: BatchWriterOptions;
  private readonly maxAttempts: number;
  private readonly concurrency: number;
  private readonly backoff: Backoff;

  /** @throws ConfigError naming every bad option */
  constructor(options: BatchWriterOptions) {
    this.options = options;
    this.maxAttempts = options.maxAttempts ?? 8;
    this.concurrency = options.concurrency ?? 4;
    const keyCount = options.keyAttributes.length;
    const violations = collect(
      keyCount < 1 || keyCount > 2 ? `keyAttributes must name 1 or 2 attributes, got ${quote(options.keyAttributes)}` : undefined,
      intRangeViolation('maxAttempts', this.maxAttempts, 1, 20),
      intRangeViolation('concurrency', this.concurrency, 1, 100),
      backoffViolations(options),
    );
    if (violations.length > 0) throw new ConfigError(violations);
    this.backoff = resolveBackoff(options);
  }

  /** Puts every item. See {@link BatchWriter.write}. */
  put(items: readonly DocumentItem[]): Promise<BatchWriterResult> {
    return this.write(items.map((item) => ({ put: item })));
  }

  /** Deletes the item of every key. See {@link BatchWriter.write}. */
  delete(keys: readonly DocumentItem[]): Promise<BatchWriterResult> {
    return this.write(keys.map((key) => ({ delete: key })));
  }

  /**
   * Writes every request; requests on the same key are applied in the order given.
   *
   * @throws InvalidEntryError before anything is written, if a request lacks a key attribute
   * @throws UnprocessedItemsError listing, in input order, every request not written after
   *   `maxAttempts` (plus later writes of the same keys, held back to keep their order)
   */
  async write(requests: readonly WriteRequest[]): Promise<BatchWriterResult> {
    const generations = this.toGenerations(requests);
    const blocked = new Set<string>();
    const unprocessed: Pending[] = [];
    let calls = 0;
    let cause: unknown;
    for (const generation of generations) {
      const ready = generation.filter((pending) => !blocked.has(pending.key));
      unprocessed.push(...generation.filter((pending) => blocked.has(pending.key)));
      const chunks = chunkByCount(ready, DynamoDbLimits.maxBatchWriteItems);
      const reports = await mapWithConcurrency(chunks, this.concurrency, (chunk) => this.writeWithRetry(chunk));
      for (const report of reports) {
        calls += report.requests;
        cause ??= report.cause;
        for (const pending of report.unprocessed) blocked.add(pending.key);
        unprocessed.push(...report.unprocessed);
      }
    }
    if (unprocessed.length > 0) {
      const ordered = unprocessed.sort((a, b) => a.index - b.index).map((pending) => pending.request);
      throw new UnprocessedItemsError(ordered, { cause });
    }
    return { written: requests.length, requests: calls };
  }

  /** Groups requests so each generation holds every key at most once, in input order. */
  private toGenerations(requests: readonly WriteRequest[]): Pending[][] {
    const seen = new Map<string, number>();
    const generations: Pending[][] = [];
    requests.forEach((request, index) => {
      const key = this.keyOf(request, index);
      const generation = seen.get(key) ?? 0;
      seen.set(key, generation + 1);
      (generations[generation] ??= []).push({ index, key, request });
    });
    return generations;
  }

  /** Writes one chunk, re-sending only what DynamoDB left unprocessed; never throws. */
  private async writeWithRetry(chunk: readonly Pending[]): Promise<ChunkReport> {
    let pending = chunk;
    let requests = 0;
    for (let attempt = 1; attempt <= this.maxAttempts && pending.length > 0; attempt++) {
      if (attempt > 1) await this.backoff.sleep(backoffDelay(attempt - 1, this.backoff));
      requests++;
      try {
        const result = await this.options.port.write(pending.map((entry) => entry.request));
        const left = new Set(result.unprocessed.map((request, index) => this.keyOf(request, index)));
        pending = pending.filter((entry) => left.has(entry.key));
      } catch (error) {
        // Throttling of the whole call is retried; anything else would fail the same way again.
        if (!isRetryableError(error) || attempt === this.maxAttempts) return { requests, unprocessed: pending, cause: error };
      }
    }
    return { requests, unprocessed: pending };
  }

  /** A string naming the request's key, equal for equal keys whatever their attribute order. */
  private keyOf(request: WriteRequest, index: number): string {
    return documentKey('put' in request ? request.put : request.delete, this.options.keyAttributes, String(index));
  }
}
