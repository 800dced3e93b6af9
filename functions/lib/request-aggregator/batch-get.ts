/**
 * A batch function for reads by key from one DynamoDB table: BatchGetItem calls of ≤ 100
 * keys, run with bounded concurrency, re-asking only for the UnprocessedKeys (DynamoDB returns
 * those when a response would pass 16 MB or the table throttles) with backoff and full jitter.
 */
import type { DocumentItem } from '../batch-writer';
import { chunkByCount } from '../chunk';
import { mapWithConcurrency } from '../concurrency';
import { documentKey } from '../document-key';
import { UnprocessedKeysError } from '../errors';
import { DynamoDbLimits } from '../limits';
import { backoffDelay, isRetryableError, resolveBackoff, type BackoffOptions } from '../retry';
import type { LoadBatchFn } from './options';

/** The outcome of one BatchGetItem call. */
export interface BatchGetResult {
  /** The items found (missing keys are simply absent). */
  readonly items: readonly DocumentItem[];
  /** Keys to ask for again (DynamoDB's UnprocessedKeys). */
  readonly unprocessed: readonly DocumentItem[];
}

/** Reads one batch (≤ 100 unique keys) from one table. May throw (throttling). */
export interface BatchGetPort {
  /** Sends `keys` in one BatchGetItem call. */
  get(keys: readonly DocumentItem[]): Promise<BatchGetResult>;
}

/** Configuration of {@link batchGetLoader}. */
export interface BatchGetLoaderOptions extends BackoffOptions {
  /** Where keys are read. */
  readonly port: BatchGetPort;
  /** The table's key attribute names: partition key, then sort key if any. */
  readonly keyAttributes: readonly string[];
  /** Attempts per key, the first one included. @default 8 */
  readonly maxAttempts?: number;
  /** BatchGetItem calls in flight at once, when a batch holds more than 100 keys. @default 4 */
  readonly concurrency?: number;
}

/**
 * A batch function answering each key with its item, `undefined` when the table has none, or
 * an {@link UnprocessedKeysError} when DynamoDB still left it unprocessed after `maxAttempts`.
 */
export function batchGetLoader(options: BatchGetLoaderOptions): LoadBatchFn<DocumentItem, DocumentItem | undefined> {
  const backoff = resolveBackoff(options);
  const maxAttempts = options.maxAttempts ?? 8;
  const keyOf = (item: DocumentItem, index = 0) => documentKey(item, options.keyAttributes, String(index));

  async function readChunk(chunk: readonly DocumentItem[], found: Map<string, DocumentItem>): Promise<DocumentItem[]> {
    let pending = chunk;
    for (let attempt = 1; attempt <= maxAttempts && pending.length > 0; attempt++) {
      if (attempt > 1) await backoff.sleep(backoffDelay(attempt - 1, backoff));
      try {
        const result = await options.port.get(pending);
        for (const item of result.items) found.set(keyOf(item), item);
        pending = [...result.unprocessed];
      } catch (error) {
        if (!isRetryableError(error) || attempt === maxAttempts) throw error;
      }
    }
    return [...pending];
  }

  return async (keys) => {
    const unique = [...new Map(keys.map((key, index) => [keyOf(key, index), key])).values()];
    const found = new Map<string, DocumentItem>();
    const chunks = chunkByCount(unique, DynamoDbLimits.maxBatchGetItems);
    const left = (await mapWithConcurrency(chunks, options.concurrency ?? 4, (chunk) => readChunk(chunk, found))).flat();
    const unprocessed = new Set(left.map((key) => keyOf(key)));
    const error = left.length > 0 ? new UnprocessedKeysError(left) : undefined;
    return keys.map((key) => (unprocessed.has(keyOf(key)) ? (error as Error) : found.get(keyOf(key))));
  };
}
