import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Env, MessageAttribute } from '../../functions/contract';
import { sqsSendPort } from '../../functions/lib/aws/sqs-send-port';
import { workQueue } from '../../functions/work-queue/factory';
import { QueuePublisher } from '../../functions/lib/publisher';
import { startFauxqs, TEST_AWS, type FauxqsServer } from '../helpers/fauxqs';
import { lambdaContext } from '../../functions/lib/testing/sqs-event';
import { toLambdaRecord } from '../helpers/sqs-message-record';

let server: FauxqsServer;
let client: SQSClient;

async function createQueue(name: string): Promise<{ url: string; arn: string }> {
  const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: name }));
  const { Attributes } = await client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  return { url: QueueUrl as string, arn: Attributes?.QueueArn as string };
}

/** Receives until `count` messages arrived (or the queue stays empty), without deleting them. */
async function receive(url: string, count: number): Promise<Message[]> {
  const messages: Message[] = [];
  for (let empty = 0; messages.length < count && empty < 3; ) {
    const { Messages = [] } = await client.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'], VisibilityTimeout: 60 }),
    );
    messages.push(...Messages);
    empty = Messages.length === 0 ? empty + 1 : 0;
  }
  return messages;
}

beforeAll(async () => {
  server = await startFauxqs();
  client = new SQSClient(server.clientConfig);
});

afterEach(() => {
  vi.unstubAllEnvs();
});

afterAll(async () => {
  client?.destroy();
  await server?.close();
});

describe('QueuePublisher against fauxqs', () => {
  it('delivers 25 messages of mixed sizes, each exactly once, with their attributes', async () => {
    const queue = await createQueue('publish-mixed');
    const bodies = Array.from({ length: 25 }, (_, index) => `${index}:`.padEnd(index % 3 === 0 ? 400_000 : 1_000 + index, 'x'));
    const publisher = new QueuePublisher({ port: sqsSendPort(queue.url, client) });
    const result = await publisher.publish(bodies.map((body, index) => ({ body, attributes: { seq: String(index) } })));
    const received = await receive(queue.url, 26);
    expect(result.sent).toBe(25);
    // Every third body is 400 kB, so a 1 MiB batch holds two of them: batches of 6, 6, 6, 6 and 1
    // entries, where packing by count alone would have made 3 calls, and SQS would have refused them.
    expect(result.requests).toBe(5);
    expect(received.map((message) => message.Body).sort()).toStrictEqual([...bodies].sort());
    expect(received.every((message) => message.Body?.startsWith(`${message.MessageAttributes?.seq?.StringValue}:`))).toBe(true);
  });
});

describe('workQueue handler against fauxqs', () => {
  it('processes real received records and dead-letters the malformed one with its reason', async () => {
    const work = await createQueue('orders');
    const dlq = await createQueue('orders-dlq');
    await client.send(
      new SendMessageBatchCommand({
        QueueUrl: work.url,
        Entries: [
          { Id: 'a', MessageBody: JSON.stringify({ sku: 'A', qty: 1 }) },
          { Id: 'b', MessageBody: '{"sku": "B", qty' },
          { Id: 'c', MessageBody: JSON.stringify({ sku: 'C', qty: 3 }) },
        ],
      }),
    );
    const records = (await receive(work.url, 3)).map((message) => toLambdaRecord(message, work.arn));
    // The handler builds its own SQS client from the standard AWS environment, as in Lambda.
    vi.stubEnv('AWS_ENDPOINT_URL_SQS', server.endpoint);
    vi.stubEnv('AWS_REGION', TEST_AWS.region);
    vi.stubEnv('AWS_ACCESS_KEY_ID', TEST_AWS.credentials.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', TEST_AWS.credentials.secretAccessKey);
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
    const processed: string[] = [];
    const handler = workQueue<{ sku: string; qty: number }, void>({
      processItem: async (order) => void processed.push(order.sku),
      logger: new Logger({ logLevel: 'SILENT' }),
      metrics: new Metrics({ namespace: 'Test' }),
      env: { [Env.deadLetterQueueUrl]: dlq.url },
    });

    const response = await handler({ Records: records }, lambdaContext());

    expect(response).toStrictEqual({ batchItemFailures: [] });
    expect(processed.sort()).toStrictEqual(['A', 'C']);
    const [dead, ...more] = await receive(dlq.url, 2);
    expect(more).toHaveLength(0);
    expect(dead?.Body).toBe('{"sku": "B", qty');
    expect(dead?.MessageAttributes?.[MessageAttribute.errorReason]?.StringValue).toMatch(/^malformed JSON: /);
    expect(dead?.MessageAttributes?.[MessageAttribute.errorType]?.StringValue).toBe('PoisonRecordError');
    expect(dead?.MessageAttributes?.[MessageAttribute.sourceQueueArn]?.StringValue).toBe(work.arn);
  });
});
