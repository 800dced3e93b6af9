/**
 * Turning an SQS event into parsed work items ("envelopes") and poison records.
 *
 * A record that can never succeed (malformed JSON, wrong shape, oversize, rejected by the
 * user's parser) becomes a poison record here, before any work runs, so it can go to the DLQ
 * at once instead of being received `maxReceiveCount` times.
 */
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { PoisonRecordError, PpError } from '../errors';
import { SqsLimits } from '../limits';
import { STRING_ATTRIBUTE_TYPE, utf8Bytes, type AttributeValue } from '../queue-port';

/** A record that parsed, with its work item. */
export interface Envelope<T> {
  /** The SQS message id (the key of the batch response). */
  readonly messageId: string;
  /** Position of the record in the event. */
  readonly index: number;
  /** The parsed work item. */
  readonly item: T;
  /** How many times SQS has delivered this message (1 on first delivery). */
  readonly receiveCount: number;
  /** FIFO message group id. @default - none (standard queue) */
  readonly groupId?: string;
  /** The raw record. */
  readonly record: SQSRecord;
}

/** A record that can never succeed, and why. */
export interface PoisonRecord {
  /** The SQS message id. */
  readonly messageId: string;
  /** Position of the record in the event. */
  readonly index: number;
  /** FIFO message group id. @default - none (standard queue) */
  readonly groupId?: string;
  /** The raw record. */
  readonly record: SQSRecord;
  /** Why it is poison. */
  readonly error: PoisonRecordError;
}

/** How record bodies are read. */
export interface ParseRecordsOptions<T> {
  /** `json`: JSON.parse the body first; `text`: hand the raw body to `parse`. @default 'json' */
  readonly bodyFormat?: 'json' | 'text';
  /** Checks and converts the body; throwing makes the record poison. @default - the body as is */
  readonly parse?: (body: unknown, record: SQSRecord) => T;
  /** Largest record (body + attributes, UTF-8) accepted; larger ones are poison. @default 1048576 */
  readonly maxRecordBytes?: number;
}

/** An event split into work and poison, both in event order. */
export interface ParsedRecords<T> {
  /** Records that parsed. */
  readonly envelopes: readonly Envelope<T>[];
  /** Records that never can. */
  readonly poison: readonly PoisonRecord[];
}

/**
 * Parses every record of an SQS event.
 *
 * @throws PpError if `event` has no `Records` array or a record has no message id (nothing
 *   could be reported for it, so the invocation must fail as a whole)
 */
export function parseSqsEvent<T>(event: SQSEvent, options: ParseRecordsOptions<T> = {}): ParsedRecords<T> {
  if (!Array.isArray(event?.Records)) throw new PpError('Not an SQS event: it has no Records array');
  const envelopes: Envelope<T>[] = [];
  const poison: PoisonRecord[] = [];
  event.Records.forEach((record, index) => {
    if (typeof record?.messageId !== 'string') throw new PpError(`SQS record ${index} has no messageId`);
    const groupId = record.attributes?.MessageGroupId;
    const base = { messageId: record.messageId, index, record, ...(groupId === undefined ? {} : { groupId }) };
    try {
      const item = parseRecord(record, options);
      envelopes.push({ ...base, item, receiveCount: receiveCountOf(record) });
    } catch (error) {
      poison.push({ ...base, error: toPoison(error) });
    }
  });
  return { envelopes, poison };
}

/**
 * A received record's message attributes, ready to send on (to a DLQ or an output): plain
 * `String` ones as strings, the others (`Number…`, `Binary…`, custom `String.…`) typed.
 */
export function forwardableAttributes(record: SQSRecord): Record<string, AttributeValue> | undefined {
  const entries = Object.entries(record.messageAttributes ?? {}).map(([name, attribute]): [string, AttributeValue] => {
    if (attribute.dataType === STRING_ATTRIBUTE_TYPE && typeof attribute.stringValue === 'string') return [name, attribute.stringValue];
    const binary = attribute.binaryValue === undefined ? {} : { binaryValue: new Uint8Array(Buffer.from(attribute.binaryValue, 'base64')) };
    return [name, { dataType: attribute.dataType, ...(attribute.stringValue === undefined ? {} : { stringValue: attribute.stringValue }), ...binary }];
  });
  return entries.length === 0 ? undefined : Object.fromEntries(entries);
}

/** The size SQS counted for a received record: body plus attribute names, types and values. */
export function recordSize(record: SQSRecord): number {
  let size = utf8Bytes(record.body);
  for (const [name, attribute] of Object.entries(record.messageAttributes ?? {})) {
    const value = attribute.stringValue ?? '';
    const binary = attribute.binaryValue === undefined ? 0 : Buffer.from(attribute.binaryValue, 'base64').length;
    size += utf8Bytes(name) + utf8Bytes(attribute.dataType) + utf8Bytes(value) + binary;
  }
  return size;
}

/** Whether the records come from a FIFO queue (ordered by message group). */
export function isFifoRecord(record: SQSRecord): boolean {
  return record.eventSourceARN?.endsWith('.fifo') === true || record.attributes?.MessageGroupId !== undefined;
}

function parseRecord<T>(record: SQSRecord, options: ParseRecordsOptions<T>): T {
  if (typeof record.body !== 'string') throw new PoisonRecordError('wrong shape: the record body is not a string');
  const limit = options.maxRecordBytes ?? SqsLimits.maxMessageBytes;
  const size = recordSize(record);
  if (size > limit) throw new PoisonRecordError(`oversize: the record is ${size} bytes, over the ${limit}-byte limit`);
  let body: unknown = record.body;
  if (options.bodyFormat !== 'text') {
    try {
      body = JSON.parse(record.body);
    } catch (error) {
      throw new PoisonRecordError(`malformed JSON: ${messageOf(error)}`, { cause: error });
    }
  }
  return options.parse ? options.parse(body, record) : (body as T);
}

function toPoison(error: unknown): PoisonRecordError {
  if (error instanceof PoisonRecordError) return error;
  return new PoisonRecordError(`rejected by parse: ${messageOf(error)}`, { cause: error });
}

function receiveCountOf(record: SQSRecord): number {
  const count = Number(record.attributes?.ApproximateReceiveCount);
  return Number.isInteger(count) && count >= 1 ? count : 1;
}

/** The message of an error, or its text when it is not an Error. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
