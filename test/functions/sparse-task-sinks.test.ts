import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { EventPublishError } from '../../functions/lib/errors';
import { QueuePublisher } from '../../functions/lib/publisher';
import { sqsSendPort } from '../../functions/lib/aws/sqs-send-port';
import { EventBridgeTaskEventSink, SqsTaskEventSink, STATUS_ATTRIBUTE } from '../../functions/lib/aws/task-event-sink';
import type { TaskFinishedEvent } from '../../functions/lib/sparse-task';
import { startFauxqs, type FauxqsServer } from '../helpers/fauxqs';

const EVENT: TaskFinishedEvent = {
  type: 'sparse-task.finished', eventId: 't1:SUCCEEDED', taskId: 't1', correlationId: 'c1', status: 'SUCCEEDED',
  reason: 'COMPLETED', submittedAt: 1, finishedAt: 5, latencyMs: 4, result: { ok: true },
};

describe('SqsTaskEventSink on fauxqs', () => {
  let fauxqs: FauxqsServer;
  let sqs: SQSClient;

  beforeAll(async () => {
    fauxqs = await startFauxqs();
    sqs = new SQSClient(fauxqs.clientConfig);
  });
  afterAll(async () => {
    sqs.destroy();
    await fauxqs.close();
  });

  it('sends the event as the JSON body, with the status as a message attribute for filtering', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'finished' }));
    const sink = new SqsTaskEventSink(QueueUrl as string, new QueuePublisher({ port: sqsSendPort(QueueUrl as string, sqs) }));
    await sink.emit(EVENT);
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MessageAttributeNames: ['All'], WaitTimeSeconds: 1 }));
    expect(Messages?.map((m) => [JSON.parse(m.Body ?? ''), m.MessageAttributes?.[STATUS_ATTRIBUTE]?.StringValue])).toStrictEqual([[EVENT, 'SUCCEEDED']]);
  });
});

describe('EventBridgeTaskEventSink', () => {
  it('puts the event on the bus with the contract source and detail-type', async () => {
    const client = new EventBridgeClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    const mock = mockClient(client);
    mock.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'x' }] });
    await new EventBridgeTaskEventSink('tasks-bus', client).emit(EVENT);
    expect(mock.commandCalls(PutEventsCommand).map((call) => call.args[0].input)).toStrictEqual([{
      Entries: [{ EventBusName: 'tasks-bus', Source: 'pp-patterns.sparse-task', DetailType: 'Sparse Task Finished', Detail: JSON.stringify(EVENT), Resources: [] }],
    }]);
  });

  it('puts an entry refused for throttling again after a backoff, once per refusal', async () => {
    const client = new EventBridgeClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    const mock = mockClient(client);
    mock.on(PutEventsCommand)
      .resolvesOnce({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' }] })
      .resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'x' }] });
    const sleeps: number[] = [];
    await new EventBridgeTaskEventSink('tasks-bus', client, { sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 }).emit(EVENT);
    expect(mock.commandCalls(PutEventsCommand)).toHaveLength(2);
    expect(sleeps).toStrictEqual([25]);
  });

  it('throws after the last attempt when the throttling persists, so the handler retry re-emits it', async () => {
    const client = new EventBridgeClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    const mock = mockClient(client);
    mock.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' }] });
    const emit = new EventBridgeTaskEventSink('tasks-bus', client, { sleep: async () => undefined }).emit(EVENT);
    await expect(emit).rejects.toThrow(EventPublishError);
    await expect(emit).rejects.toThrow('PutEvents refused the event: ThrottlingException: slow down');
    expect(mock.commandCalls(PutEventsCommand)).toHaveLength(3);
  });

  it('throws at once, without a retry, when the refusal is not throttling or a service fault', async () => {
    const client = new EventBridgeClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    const mock = mockClient(client);
    mock.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'AccessDeniedException', ErrorMessage: 'no' }] });
    await expect(new EventBridgeTaskEventSink('tasks-bus', client, { sleep: async () => undefined }).emit(EVENT)).rejects.toThrow('PutEvents refused the event: AccessDeniedException: no');
    expect(mock.commandCalls(PutEventsCommand)).toHaveLength(1);
  });
});
