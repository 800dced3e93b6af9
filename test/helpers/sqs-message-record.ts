/**
 * Converts messages really received from an SQS emulator into the records Lambda's poller
 * delivers, so handler tests can run on real receives.
 */
import type { Message } from '@aws-sdk/client-sqs';
import type { SQSMessageAttributes, SQSRecord } from 'aws-lambda';

/** Converts a message received with the SDK (all attributes requested) into a Lambda record. */
export function toLambdaRecord(message: Message, queueArn: string): SQSRecord {
  const system = message.Attributes ?? {};
  const messageAttributes: SQSMessageAttributes = {};
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
    messageAttributes[name] = { dataType: value.DataType ?? 'String', ...(value.StringValue === undefined ? {} : { stringValue: value.StringValue }) };
  }
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: system.ApproximateReceiveCount ?? '1',
      SentTimestamp: system.SentTimestamp ?? '0',
      SenderId: system.SenderId ?? '',
      ApproximateFirstReceiveTimestamp: system.ApproximateFirstReceiveTimestamp ?? '0',
      ...(system.MessageGroupId === undefined ? {} : { MessageGroupId: system.MessageGroupId }),
    },
    messageAttributes,
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: queueArn.split(':')[3] ?? 'us-east-1',
  };
}
