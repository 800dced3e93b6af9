/**
 * Completion events onto an EventBridge bus: PutEvents in batches of up to 10 entries and
 * 256 KiB, re-sending only the entries EventBridge failed, with backoff and full jitter.
 */
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { CompletionEventBridge } from '../../contract';
import { chunkByCountAndBytes } from '../chunk';
import { backoffDelay, resolveBackoff, type BackoffOptions } from '../retry';
import { utf8Bytes } from '../queue-port';
import type { CompletionEvent, CompletionSink } from '../rolling-poller/types';

/** PutEvents: entries per call. */
const MAX_ENTRIES = 10;
/** PutEvents: total size of a call's entries, in bytes (256 KiB). */
const MAX_BYTES = 262_144;

let sharedClient: EventBridgeClient | undefined;

/** Options of {@link eventBridgeCompletionSink}. */
export interface EventBridgeSinkOptions extends BackoffOptions {
  /** Attempts per entry, the first included. @default 3 */
  readonly maxAttempts?: number;
  /** The client. @default - a process-wide one configured from the environment */
  readonly client?: EventBridgeClient;
}

/** A {@link CompletionSink} putting one event per completion on `busName` (source and detail-type from the contract). */
export function eventBridgeCompletionSink(busName: string, options: EventBridgeSinkOptions = {}): CompletionSink {
  const client = options.client ?? (sharedClient ??= new EventBridgeClient({}));
  const backoff = resolveBackoff(options);
  const maxAttempts = options.maxAttempts ?? 3;
  return {
    async publish(events: readonly CompletionEvent[]): Promise<readonly string[]> {
      const entries = events.map((event) => ({ id: event.id, entry: toEntry(busName, event) }));
      const batches = chunkByCountAndBytes(entries, { maxEntries: MAX_ENTRIES, maxBytes: MAX_BYTES, sizeOf: ({ entry }) => entrySize(entry), idOf: ({ id }) => id });
      const unsent: string[] = [];
      for (const batch of batches) {
        let pending = batch;
        for (let attempt = 1; attempt <= maxAttempts && pending.length > 0; attempt++) {
          if (attempt > 1) await backoff.sleep(backoffDelay(attempt - 1, backoff));
          const output = await client.send(new PutEventsCommand({ Entries: pending.map(({ entry }) => entry) }));
          // Result entries line up with request entries; one with an ErrorCode was not put.
          pending = pending.filter((_, index) => output.Entries?.[index]?.ErrorCode !== undefined || output.Entries?.[index] === undefined);
        }
        unsent.push(...pending.map(({ id }) => id));
      }
      return unsent;
    },
  };
}

function toEntry(busName: string, event: CompletionEvent): PutEventsRequestEntry {
  return { EventBusName: busName, Source: CompletionEventBridge.source, DetailType: CompletionEventBridge.detailType, Detail: JSON.stringify(event), Time: new Date(event.completedAt) };
}

/** The size EventBridge counts for an entry: source, detail-type, detail and bus name in UTF-8, plus 14 bytes for the time. */
function entrySize(entry: PutEventsRequestEntry): number {
  return utf8Bytes(entry.Source ?? '') + utf8Bytes(entry.DetailType ?? '') + utf8Bytes(entry.Detail ?? '') + utf8Bytes(entry.EventBusName ?? '') + 14;
}
