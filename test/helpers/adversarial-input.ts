/**
 * The table of hostile SQS bodies every ingress is run against, and how to account for each
 * record afterwards: processed, dead-lettered with a reason, or reported failed (left to the
 * queue's redrive) — never silently dropped, and never a thrown batch (a crash loop).
 */
import type { SQSBatchResponse } from 'aws-lambda';
import { MessageAttribute } from '../../functions/contract';
import type { SendEntry } from '../../functions/lib/queue-port';
import type { RecordSpec } from '../../functions/lib/testing/sqs-event';

/** One hostile body and what the ingress must do with it. */
export interface AdversarialCase {
  /** What the case is, as named in docs/adversarial-input.md. */
  readonly name: string;
  /** The SQS body. */
  readonly body: string;
  /** Where the record must end: `dlq` with a reason matching `reason`, or `failed` (redrive). */
  readonly expect: 'dlq' | 'failed';
  /** The DLQ reason (the `PpErrorReason` attribute). @default - any non-empty reason */
  readonly reason?: RegExp;
}

const MIB = 1_048_576;

/** A JSON object of exactly `bytes` UTF-8 bytes. */
export function bodyOfBytes(bytes: number, head: Record<string, unknown> = {}): string {
  const prefix = JSON.stringify({ ...head, pad: '' });
  return prefix.slice(0, -2) + 'x'.repeat(bytes - prefix.length) + '"}';
}

/** The shape-independent cases: bodies no ingress can accept. */
export function commonCases(): AdversarialCase[] {
  return [
    { name: 'malformed JSON', body: '{"id":', expect: 'dlq', reason: /malformed JSON|not valid JSON/ },
    { name: 'empty body', body: '', expect: 'dlq', reason: /malformed JSON|not valid JSON/ },
    { name: 'byte-order mark before the JSON', body: '\ufeff{"id":"a"}', expect: 'dlq', reason: /malformed JSON|not valid JSON/ },
    { name: 'JSON null', body: 'null', expect: 'dlq' },
    { name: 'JSON array', body: '[1,2,3]', expect: 'dlq' },
    { name: 'JSON number', body: '42', expect: 'dlq' },
    { name: 'empty object (missing id)', body: '{}', expect: 'dlq' },
    { name: 'deeply nested JSON (100,000 levels)', body: '['.repeat(100_000) + ']'.repeat(100_000), expect: 'dlq' },
    // A body of the full 1 MiB cannot carry the reason attributes into the DLQ (it would pass the
    // limit): it is reported failed, and the queue's redrive moves it there unchanged.
    { name: '1 MiB body', body: bodyOfBytes(MIB), expect: 'failed' },
  ];
}

/** Ids no store should keep: lone surrogates become U+FFFD on the wire, so two ids would collide. */
export const LONE_SURROGATE_IDS: readonly string[] = ['\ud800', 'a\udfffb'];

/** Every record's fate after one invocation. */
export interface Accounting {
  /** Ids reported in `batchItemFailures`. */
  readonly failed: readonly string[];
  /** Id → the DLQ reason of its message. */
  readonly dlq: ReadonlyMap<string, string>;
}

/**
 * Matches DLQ entries to records by body (the DLQ keeps the body as received) and collects
 * the reported failures.
 */
export function account(records: readonly RecordSpec[], response: SQSBatchResponse, dlqEntries: readonly SendEntry[]): Accounting {
  const byBody = new Map<string, string[]>();
  for (const record of records) byBody.set(record.body, [...(byBody.get(record.body) ?? []), record.messageId]);
  const dlq = new Map<string, string>();
  for (const entry of dlqEntries) {
    const id = byBody.get(entry.body)?.shift();
    const reason = entry.attributes?.[MessageAttribute.errorReason];
    if (id !== undefined) dlq.set(id, typeof reason === 'string' ? reason : '');
  }
  return { failed: response.batchItemFailures.map((failure) => failure.itemIdentifier), dlq };
}
