/**
 * Completion events onto an EventBridge bus: PutEvents in batches of up to 10 entries and
 * 256 KiB, re-sending only the entries EventBridge failed (and a whole call that was
 * throttled), with backoff and full jitter.
 */
import type { EventBridgeClient, PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { CompletionEventBridge } from '../../contract';
import { chunkByCountAndBytes } from '../chunk';
import { backoffDelay, isRetryableError, resolveBackoff, type Backoff, type BackoffOptions } from '../retry';
import { utf8Bytes } from '../queue-port';
import type { CompletionEvent, CompletionSink } from '../rolling-poller/types';
import { loadEventBridge, sharedEventBridgeClient } from './eventbridge-client';

/** PutEvents: entries per call. */
const MAX_ENTRIES = 10;
/** PutEvents: total size of a call's entries, in bytes (256 KiB). */
const MAX_BYTES = 262_144;

/** Options of {@link eventBridgeCompletionSink}. */
export interface EventBridgeSinkOptions extends BackoffOptions {
  /** Attempts per entry, the first included. @default 3 */
  readonly maxAttempts?: number;
  /** The client. @default - a process-wide one configured from the environment */
  readonly client?: EventBridgeClient;
}

/** An event to put, the id of its item, and the entry's size as EventBridge counts it. */
interface Pending {
  readonly id: string;
  readonly entry: PutEventsRequestEntry;
  readonly size: number;
}

/**
 * A {@link CompletionSink} putting one event per completion on `busName` (source and
 * detail-type from the contract). Events too large for PutEvents are reported unsent up
 * front, so they cannot keep the others off the bus.
 */
export function eventBridgeCompletionSink(busName: string, options: EventBridgeSinkOptions = {}): CompletionSink {
  const client = options.client;
  const retry = { backoff: resolveBackoff(options), maxAttempts: options.maxAttempts ?? 3 };
  return {
    async publish(events: readonly CompletionEvent[]): Promise<readonly string[]> {
      const entries = events.map((event): Pending => {
        const entry = toEntry(busName, event);
        return { id: event.id, entry, size: entrySize(entry) };
      });
      const unsent = entries.filter(({ size }) => size > MAX_BYTES).map(({ id }) => id);
      const fitting = entries.filter(({ size }) => size <= MAX_BYTES);
      const batches = chunkByCountAndBytes(fitting, { maxEntries: MAX_ENTRIES, maxBytes: MAX_BYTES, sizeOf: ({ size }) => size, idOf: ({ id }) => id });
      let lastError: unknown;
      for (const batch of batches) {
        const result = await putWithRetry(client, batch, retry);
        unsent.push(...result.unsent.map(({ id }) => id));
        lastError = result.error ?? lastError;
      }
      // The sink contract: throw only when nothing was delivered, so the caller logs why.
      if (lastError !== undefined && unsent.length === events.length) throw lastError;
      return unsent;
    },
  };
}

/** Puts one batch, re-sending what failed; never throws: what is still unsent is returned, with the error that stopped it. */
async function putWithRetry(
  given: EventBridgeClient | undefined,
  batch: readonly Pending[],
  retry: { readonly backoff: Backoff; readonly maxAttempts: number },
): Promise<{ unsent: readonly Pending[]; error?: unknown }> {
  let pending = batch;
  let error: unknown;
  const [{ PutEventsCommand }, client] = await Promise.all([loadEventBridge(), given ?? sharedEventBridgeClient()]);
  for (let attempt = 1; attempt <= retry.maxAttempts && pending.length > 0; attempt++) {
    if (attempt > 1) await retry.backoff.sleep(backoffDelay(attempt - 1, retry.backoff));
    try {
      const output = await client.send(new PutEventsCommand({ Entries: pending.map(({ entry }) => entry) }));
      // Result entries line up with request entries; one with an ErrorCode (or none at all) was not put.
      pending = pending.filter((_, index) => output.Entries?.[index] === undefined || output.Entries[index]?.ErrorCode !== undefined);
      error = undefined;
    } catch (thrown) {
      error = thrown;
      if (!isRetryableError(thrown)) break;
    }
  }
  return pending.length === 0 ? { unsent: [] } : { unsent: pending, error };
}

function toEntry(busName: string, event: CompletionEvent): PutEventsRequestEntry {
  return { EventBusName: busName, Source: CompletionEventBridge.source, DetailType: CompletionEventBridge.detailType, Detail: JSON.stringify(event), Time: new Date(event.completedAt) };
}

/** The size EventBridge counts for an entry: source, detail-type, detail and bus name in UTF-8, plus 14 bytes for the time. */
function entrySize(entry: PutEventsRequestEntry): number {
  return utf8Bytes(entry.Source ?? '') + utf8Bytes(entry.DetailType ?? '') + utf8Bytes(entry.Detail ?? '') + utf8Bytes(entry.EventBusName ?? '') + 14;
}
