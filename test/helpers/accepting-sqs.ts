/**
 * The SQS side of a handler test: an aws-sdk-client-mock SQS client that accepts every
 * SendMessageBatch entry, with the environment the SDK and Powertools need, reset around
 * each test of the calling file.
 */
import { SendMessageBatchCommand, SQSClient, type SendMessageBatchCommandInput } from '@aws-sdk/client-sqs';
import { mockClient, type AwsStub } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, vi } from 'vitest';

/** Registers the mock around every test of the calling file and returns it. */
export function acceptingSqs(): AwsStub<any, any, any> {
  const sqs = mockClient(SQSClient);
  beforeEach(() => {
    vi.stubEnv('AWS_REGION', 'us-east-1');
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
    sqs.reset();
    sqs.on(SendMessageBatchCommand).callsFake((input: SendMessageBatchCommandInput) => ({
      Successful: (input.Entries ?? []).map((entry) => ({ Id: entry.Id, MessageId: `dlq-${entry.Id}`, MD5OfMessageBody: '' })),
      Failed: [],
    }));
  });
  afterEach(() => vi.unstubAllEnvs());
  return sqs;
}
