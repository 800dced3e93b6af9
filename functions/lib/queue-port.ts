/**
 * The small interface the runtime sends SQS messages through, and how SQS sizes a message.
 *
 * The core never talks to the AWS SDK: `functions/lib/aws/sqs-send-port.ts` implements
 * {@link QueueSendPort} with SendMessageBatch, tests implement it with a call-recording fake.
 */

/**
 * A message attribute with its SQS data type: `String…` and `Number…` types carry
 * `stringValue`, `Binary…` types carry `binaryValue`.
 */
export interface TypedAttribute {
  /** The SQS data type, custom suffix included (`Number.int`, `Binary.gzip`). */
  readonly dataType: string;
  /** The value of a String or Number attribute. @default - none (Binary) */
  readonly stringValue?: string;
  /** The value of a Binary attribute. @default - none (String or Number) */
  readonly binaryValue?: Uint8Array;
}

/** A message attribute: a plain string (sent as `String`) or a typed one. */
export type AttributeValue = string | TypedAttribute;

/** One message of a SendMessageBatch call. */
export interface SendEntry {
  /** Batch entry id: 1–80 characters of `A-Za-z0-9_-`, unique within the batch. */
  readonly id: string;
  /** Message body (UTF-8 text). */
  readonly body: string;
  /** Message attributes, name to value (a plain string is a `String` attribute). @default - none */
  readonly attributes?: Readonly<Record<string, AttributeValue>>;
  /** Delivery delay in seconds, 0–900 (standard queues only). @default - the queue's delay */
  readonly delaySeconds?: number;
  /** FIFO message group. @default - none (required on FIFO queues) */
  readonly messageGroupId?: string;
  /** FIFO deduplication id. @default - none (content-based deduplication, if the queue has it) */
  readonly messageDeduplicationId?: string;
}

/** One entry SQS did not accept. */
export interface SendEntryFailure {
  /** The entry id. */
  readonly id: string;
  /** SQS error code, e.g. `InternalError`, `InvalidParameterValue`. */
  readonly code: string;
  /** SQS error message. */
  readonly message: string;
  /** True when the request was at fault (retrying it would fail again). */
  readonly senderFault: boolean;
}

/** The outcome of one batch send: entries not listed in `failed` were sent. */
export interface SendBatchResult {
  /** The entries not sent. */
  readonly failed: readonly SendEntryFailure[];
}

/** Sends one batch (≤ 10 entries, ≤ 1 MiB) to one queue. May throw (throttling, network). */
export interface QueueSendPort {
  /** Sends `entries` in one call and reports the ones that failed. */
  sendBatch(entries: readonly SendEntry[]): Promise<SendBatchResult>;
}

const encoder = new TextEncoder();

/** UTF-8 length of a string in bytes. */
export function utf8Bytes(text: string): number {
  return encoder.encode(text).length;
}

/** The `DataType` a plain-string attribute of a {@link SendEntry} is sent with. */
export const STRING_ATTRIBUTE_TYPE = 'String';

/** An attribute in its typed form. */
export function typedAttribute(value: AttributeValue): TypedAttribute {
  return typeof value === 'string' ? { dataType: STRING_ATTRIBUTE_TYPE, stringValue: value } : value;
}

/**
 * The size SQS counts against its 1 MiB limit: the body plus each attribute's name, data type
 * and value, all in UTF-8 bytes.
 */
export function sqsMessageSize(entry: Pick<SendEntry, 'body' | 'attributes'>): number {
  let size = utf8Bytes(entry.body);
  for (const [name, value] of Object.entries(entry.attributes ?? {})) {
    const typed = typedAttribute(value);
    size += utf8Bytes(name) + utf8Bytes(typed.dataType) + utf8Bytes(typed.stringValue ?? '') + (typed.binaryValue?.length ?? 0);
  }
  return size;
}
