/**
 * The SQS event a Lambda mapping hands its function, built from ReceiveMessage output, and
 * the mapping's `FilterCriteria` applied to it (EventBridge pattern syntax over the record,
 * with `body` parsed as JSON when it is JSON, as Lambda does).
 */
import { matchesEventPattern, type EventPattern } from '../../scheduling/event-pattern';

/** A message as ReceiveMessage returns it. */
export interface ReceivedMessage {
  readonly MessageId: string;
  readonly ReceiptHandle: string;
  readonly Body: string;
  readonly MD5OfBody?: string;
  readonly MD5OfMessageAttributes?: string;
  readonly Attributes?: Record<string, string>;
  readonly MessageAttributes?: Record<string, { DataType: string; StringValue?: string; BinaryValue?: string }>;
}

/** One record of an SQS Lambda event. */
export interface SqsRecord {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly body: string;
  readonly attributes: Record<string, string>;
  readonly messageAttributes: Record<string, { stringValue?: string; binaryValue?: string; stringListValues: string[]; binaryListValues: string[]; dataType: string }>;
  readonly md5OfBody: string;
  readonly md5OfMessageAttributes?: string;
  readonly eventSource: 'aws:sqs';
  readonly eventSourceARN: string;
  readonly awsRegion: string;
}

/**
 * Converts a received message to the record Lambda delivers.
 *
 * @param message the ReceiveMessage entry
 * @param queueArn the mapping's queue ARN
 * @param region the region
 */
export function toSqsRecord(message: ReceivedMessage, queueArn: string, region: string): SqsRecord {
  const messageAttributes = Object.fromEntries(
    Object.entries(message.MessageAttributes ?? {}).map(([name, a]) => [
      name,
      { stringValue: a.StringValue, binaryValue: a.BinaryValue, stringListValues: [], binaryListValues: [], dataType: a.DataType },
    ]),
  );
  return {
    messageId: message.MessageId,
    receiptHandle: message.ReceiptHandle,
    body: message.Body,
    attributes: message.Attributes ?? {},
    messageAttributes,
    md5OfBody: message.MD5OfBody ?? '',
    ...(message.MD5OfMessageAttributes ? { md5OfMessageAttributes: message.MD5OfMessageAttributes } : {}),
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}

function filterView(record: SqsRecord): Record<string, unknown> {
  let body: unknown = record.body;
  try {
    body = JSON.parse(record.body);
  } catch {
    // Not JSON: Lambda matches the body as a plain string.
  }
  return { ...record, body };
}

/**
 * Whether a record passes a mapping's filters: with no filter every record passes, else it
 * must match at least one pattern.
 */
export function passesFilters(record: SqsRecord, patterns: readonly EventPattern[]): boolean {
  if (patterns.length === 0) return true;
  const view = filterView(record);
  return patterns.some((pattern) => matchesEventPattern(pattern, view));
}
