import { EventBridgeClient, PutEventsCommand, type PutEventsCommandInput } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { CompletionEventBridge } from '../../functions/contract';
import { eventBridgeCompletionSink } from '../../functions/lib/aws/watch-store-completions';
import { PartialSendError } from '../../functions/lib/errors';
import { queueCompletionSink } from '../../functions/lib/rolling-poller/completions';
import type { CompletionEvent } from '../../functions/lib/rolling-poller/types';
import { awsError } from '../../functions/lib/testing/recording-ports';

const T0 = 1_700_000_000_000;
const event = (id: string, result?: unknown): CompletionEvent => ({ id, outcome: 'done', ...(result === undefined ? {} : { result }), addedAt: T0, completedAt: T0 + 1, polls: 1 });
/** A result that makes its event larger than both PutEvents' 256 KiB and SQS's 1 MiB. */
const HUGE = 'x'.repeat(1_100_000);

describe('eventBridgeCompletionSink', () => {
  const eventBridge = mockClient(EventBridgeClient);
  const client = new EventBridgeClient({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const sleeps: number[] = [];
  const sink = () => eventBridgeCompletionSink('jobs-bus', { client, sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 });
  const putIds = (): string[][] => eventBridge.commandCalls(PutEventsCommand).map((call) => (call.args[0].input as PutEventsCommandInput).Entries?.map((entry) => (JSON.parse(entry.Detail ?? '{}') as CompletionEvent).id) ?? []);

  beforeEach(() => {
    eventBridge.reset();
    sleeps.length = 0;
  });

  it('puts one event per completion on the bus with the contract source and detail-type', async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: '1' }, { EventId: '2' }] });
    expect(await sink().publish([event('a'), event('b')])).toStrictEqual([]);
    const entries = (eventBridge.commandCalls(PutEventsCommand)[0]?.args[0].input as PutEventsCommandInput).Entries;
    expect(entries?.map(({ EventBusName, Source, DetailType }) => ({ EventBusName, Source, DetailType }))).toStrictEqual([
      { EventBusName: 'jobs-bus', Source: CompletionEventBridge.source, DetailType: CompletionEventBridge.detailType },
      { EventBusName: 'jobs-bus', Source: CompletionEventBridge.source, DetailType: CompletionEventBridge.detailType },
    ]);
  });

  it('re-sends only the entries EventBridge failed, after a backoff', async () => {
    eventBridge.on(PutEventsCommand)
      .resolvesOnce({ FailedEntryCount: 1, Entries: [{ EventId: '1' }, { ErrorCode: 'InternalFailure', ErrorMessage: 'x' }] })
      .resolves({ FailedEntryCount: 0, Entries: [{ EventId: '2' }] });
    expect(await sink().publish([event('a'), event('b')])).toStrictEqual([]);
    expect(putIds()).toStrictEqual([['a', 'b'], ['b']]);
    expect(sleeps).toStrictEqual([25]);
  });

  it('retries a whole call that was throttled instead of giving up the window', async () => {
    eventBridge.on(PutEventsCommand)
      .rejectsOnce(awsError('ThrottlingException', 'client', 400))
      .resolves({ FailedEntryCount: 0, Entries: [{ EventId: '1' }, { EventId: '2' }] });
    expect(await sink().publish([event('a'), event('b')])).toStrictEqual([]);
    expect(putIds()).toStrictEqual([['a', 'b'], ['a', 'b']]);
  });

  it('reports an event too large for PutEvents unsent, and puts the others', async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: '1' }] });
    expect(await sink().publish([event('big', HUGE), event('b')])).toStrictEqual(['big']);
    expect(putIds()).toStrictEqual([['b']]);
  });

  it('throws the error when nothing could be put, so the poller logs why', async () => {
    eventBridge.on(PutEventsCommand).rejects(awsError('AccessDeniedException'));
    await expect(sink().publish([event('a')])).rejects.toThrow('AccessDeniedException (test)');
    expect(putIds()).toStrictEqual([['a']]);
  });
});

describe('queueCompletionSink', () => {
  it('reports an event too large for one message unsent, and sends the others', async () => {
    const sent: string[][] = [];
    const sink = queueCompletionSink({ publish: async (messages) => (sent.push(messages.map((message) => message.id as string)), { sent: messages.length, requests: 1 }) });
    expect(await sink.publish([event('a'), event('big', HUGE), event('c')])).toStrictEqual(['big']);
    expect(sent).toStrictEqual([['0', '2']]);
  });

  it('reports oversize and refused events together, in event order', async () => {
    const sink = queueCompletionSink({
      publish: async () => {
        throw new PartialSendError([{ id: '2', code: 'InternalError', message: 'x', senderFault: false }]);
      },
    });
    expect(await sink.publish([event('big', HUGE), event('b'), event('c')])).toStrictEqual(['big', 'c']);
  });
});
