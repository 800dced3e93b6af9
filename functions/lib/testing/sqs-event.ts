/**
 * Builders of SQS Lambda events and Lambda contexts for handler tests.
 */
import type { Context, SQSEvent, SQSMessageAttributes, SQSRecord } from 'aws-lambda';

/** ARN of the standard queue hand-made records come from. */
export const TEST_QUEUE_ARN = 'arn:aws:sqs:us-east-1:000000000000:work';
/** ARN of the FIFO queue hand-made FIFO records come from. */
export const TEST_FIFO_QUEUE_ARN = 'arn:aws:sqs:us-east-1:000000000000:work.fifo';

/** Fields of a hand-made record; only `messageId` and `body` matter to most tests. */
export interface RecordSpec {
  readonly messageId: string;
  readonly body: string;
  /** FIFO message group; also switches the source ARN to the FIFO queue. @default - standard queue */
  readonly groupId?: string;
  /** @default 1 */
  readonly receiveCount?: number;
  /** @default - none */
  readonly messageAttributes?: SQSMessageAttributes;
}

/** One SQS record as Lambda delivers it. */
export function sqsRecord(spec: RecordSpec): SQSRecord {
  return {
    messageId: spec.messageId,
    receiptHandle: `rh-${spec.messageId}`,
    body: spec.body,
    attributes: {
      ApproximateReceiveCount: String(spec.receiveCount ?? 1),
      SentTimestamp: '1700000000000',
      SenderId: 'AIDATEST',
      ApproximateFirstReceiveTimestamp: '1700000000001',
      ...(spec.groupId === undefined ? {} : { MessageGroupId: spec.groupId, MessageDeduplicationId: spec.messageId, SequenceNumber: '1' }),
    },
    messageAttributes: spec.messageAttributes ?? {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: spec.groupId === undefined ? TEST_QUEUE_ARN : TEST_FIFO_QUEUE_ARN,
    awsRegion: 'us-east-1',
  };
}

/** An SQS event of the given records. */
export function sqsEvent(...specs: readonly RecordSpec[]): SQSEvent {
  return { Records: specs.map(sqsRecord) };
}

/** A Lambda context good enough for middy and Powertools. */
export function lambdaContext(functionName = 'test-function'): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '128',
    awsRequestId: 'request-1',
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'stream',
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
