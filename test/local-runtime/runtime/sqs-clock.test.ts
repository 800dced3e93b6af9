/**
 * SQS on the runtime clock: fauxqs runs in a thread whose `Date` follows the clock, so with a
 * ManualClock a visibility timeout, a delay or a long poll ends exactly when the clock passes
 * it (no wall-time waits), and with a scaled wall clock SQS timers run at the clock's rate.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callAwsJson } from '../../../local-runtime/runtime/emulators/http';
import { SqsEmulator } from '../../../local-runtime/runtime/emulators/sqs';
import { sqsBackend } from '../../../local-runtime/runtime/gateway/backends';
import type { BackendRequest } from '../../../local-runtime/runtime/gateway/server';
import { ClockMirror } from '../../../local-runtime/runtime/lambda/clock-mirror';
import { ManualClock, RealClock, type Clock } from '../../../local-runtime/scheduling/clock';

const REGION = 'us-east-1';
const ACCOUNT = '000000000000';
const T0 = Date.UTC(2025, 0, 1);
const VISIBILITY_S = 30;

interface Received { readonly MessageId: string; readonly ReceiptHandle: string; readonly Attributes?: Record<string, string> }

/** An emulator on `clock`, with `jobs` (redriven to `jobs-dlq` after two receives), `delayed` (5 s delay) and `idle` (never sent to). */
async function emulatorOn(clock: Clock): Promise<{ sqs: SqsEmulator; mirror?: ClockMirror }> {
  const mirror = ClockMirror.follow(clock);
  const sqs = await SqsEmulator.start(REGION, mirror?.buffer);
  await sqs.createQueues([
    { name: 'jobs-dlq', attributes: {} },
    { name: 'jobs', attributes: { VisibilityTimeout: String(VISIBILITY_S), RedrivePolicy: JSON.stringify({ deadLetterTargetArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:jobs-dlq`, maxReceiveCount: 2 }) } },
    { name: 'delayed', attributes: { DelaySeconds: '5' } },
    { name: 'idle', attributes: {} },
  ], '127.0.0.1');
  return { sqs, mirror };
}

function call<T>(sqs: SqsEmulator, operation: string, input: Record<string, unknown>): Promise<T> {
  return callAwsJson<T>(sqs.port, `AmazonSQS.${operation}`, input, { region: REGION });
}

async function send(sqs: SqsEmulator, queue: string, body: string, delaySeconds?: number): Promise<void> {
  await call(sqs, 'SendMessage', { QueueUrl: sqs.emulatorUrl(queue), MessageBody: body, ...(delaySeconds === undefined ? {} : { DelaySeconds: delaySeconds }) });
}

/** A short (non-waiting) receive straight at the emulator. */
async function receive(sqs: SqsEmulator, queue: string): Promise<Received[]> {
  const out = await call<{ Messages?: Received[] }>(sqs, 'ReceiveMessage', { QueueUrl: sqs.emulatorUrl(queue), MaxNumberOfMessages: 10, WaitTimeSeconds: 0, AttributeNames: ['All'] });
  return out.Messages ?? [];
}

/** A ReceiveMessage as the gateway hands it to the SQS backend. */
function receiveRequest(sqs: SqsEmulator, queue: string, waitSeconds: number): BackendRequest {
  const input = { QueueUrl: sqs.emulatorUrl(queue), MaxNumberOfMessages: 10, WaitTimeSeconds: waitSeconds };
  return {
    method: 'POST', path: '/', body: JSON.stringify(input),
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.ReceiveMessage' },
    identified: { service: 'sqs', operation: 'ReceiveMessage', accessKeyId: '', region: REGION, protocol: 'json', jsonVersion: '1.0', input },
  } as unknown as BackendRequest;
}

function messageIds(reply: { body: string }): string[] {
  return ((JSON.parse(reply.body) as { Messages?: Received[] }).Messages ?? []).map((m) => m.MessageId);
}

describe('SQS on a ManualClock', () => {
  let clock: ManualClock;
  let sqs: SqsEmulator;
  let mirror: ClockMirror | undefined;

  beforeAll(async () => {
    clock = new ManualClock({ start: T0 });
    ({ sqs, mirror } = await emulatorOn(clock));
  });

  afterAll(async () => {
    await sqs?.close();
    mirror?.dispose();
  });

  it('makes a received message visible again exactly when the clock passes its visibility timeout', async () => {
    await send(sqs, 'jobs', 'visibility');
    const [first] = await receive(sqs, 'jobs');
    expect(first?.Attributes?.ApproximateFirstReceiveTimestamp).toBe(String(clock.now()));
    await clock.advance(VISIBILITY_S * 1000 - 1);
    expect(await receive(sqs, 'jobs')).toStrictEqual([]);
    await clock.advance(1);
    const again = await receive(sqs, 'jobs');
    expect(again.map((m) => [m.MessageId, m.Attributes?.ApproximateReceiveCount])).toStrictEqual([[first!.MessageId, '2']]);
    await call(sqs, 'DeleteMessage', { QueueUrl: sqs.emulatorUrl('jobs'), ReceiptHandle: again[0]!.ReceiptHandle });
  });

  it('holds a delayed message until the clock reaches its delay, per message and per queue', async () => {
    await send(sqs, 'jobs', 'message delay', 7);
    await send(sqs, 'delayed', 'queue delay');
    await clock.advance(4_999);
    expect([await receive(sqs, 'delayed'), await receive(sqs, 'jobs')]).toStrictEqual([[], []]);
    await clock.advance(1);
    expect((await receive(sqs, 'delayed')).length).toBe(1);
    expect(await receive(sqs, 'jobs')).toStrictEqual([]);
    await clock.advance(2_000);
    const [delayed] = await receive(sqs, 'jobs');
    expect(delayed?.Attributes?.SentTimestamp).toBe(String(clock.now() - 7_000));
    await call(sqs, 'DeleteMessage', { QueueUrl: sqs.emulatorUrl('jobs'), ReceiptHandle: delayed!.ReceiptHandle });
  });

  it('moves a message to the dead-letter queue after maxReceiveCount receives, each after a clock advance', async () => {
    await send(sqs, 'jobs', 'poison');
    expect((await receive(sqs, 'jobs')).length).toBe(1);
    await clock.advance(VISIBILITY_S * 1000);
    expect((await receive(sqs, 'jobs')).length).toBe(1);
    expect((await sqs.inspect('jobs-dlq')).length).toBe(0);
    await clock.advance(VISIBILITY_S * 1000);
    expect(await receive(sqs, 'jobs')).toStrictEqual([]);
    expect((await sqs.inspect('jobs-dlq')).map((m) => m.body)).toStrictEqual(['poison']);
  });

  it('names the next time a held message becomes visible, and counts it receivable from then', async () => {
    await send(sqs, 'jobs', 'held');
    const [held] = await receive(sqs, 'jobs');
    const deadline = clock.now() + VISIBILITY_S * 1000;
    expect(await sqs.nextVisibleAt(['jobs', 'idle'], clock.now())).toBe(deadline);
    expect(await sqs.receivableAt('jobs', clock.now())).toBe(0);
    await clock.advance(VISIBILITY_S * 1000);
    expect(await sqs.nextVisibleAt(['jobs', 'idle'], clock.now())).toBeUndefined();
    expect(await sqs.receivableAt('jobs', clock.now())).toBe(1);
    const [again] = await receive(sqs, 'jobs');
    expect(again?.MessageId).toBe(held!.MessageId);
    await call(sqs, 'DeleteMessage', { QueueUrl: sqs.emulatorUrl('jobs'), ReceiptHandle: again!.ReceiptHandle });
  });

  it('ends an empty long poll when the clock passes its wait, not before', async () => {
    const backend = sqsBackend(sqs, 'http://127.0.0.1:1', clock);
    let done = false;
    const poll = backend(receiveRequest(sqs, 'idle', 20)).finally(() => (done = true));
    await clock.advance(19_999);
    // Several wall slices of the long poll pass meanwhile: it is still waiting.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(done).toBe(false);
    await clock.advance(1);
    const reply = await poll;
    expect([reply.status, messageIds(reply)]).toStrictEqual([200, []]);
    // Far below the 20 s the wait would take on the wall clock.
  }, 10_000);

  it('hands a long poll the message whose visibility timeout a clock jump ended', async () => {
    const backend = sqsBackend(sqs, 'http://127.0.0.1:1', clock);
    await send(sqs, 'jobs', 'redelivered');
    const [first] = await receive(sqs, 'jobs');
    const poll = backend(receiveRequest(sqs, 'jobs', 20));
    await clock.advance(VISIBILITY_S * 1000);
    expect(messageIds(await poll)).toStrictEqual([first!.MessageId]);
  });
});

describe('SQS on a scaled wall clock', () => {
  it('runs visibility timeouts at the clock rate, as the functions\' Date does', async () => {
    // 30 s of visibility pass in 150 wall ms.
    const clock = new RealClock({ timeScale: 0.005 });
    const { sqs, mirror } = await emulatorOn(clock);
    try {
      expect(mirror).toBeDefined();
      await send(sqs, 'jobs', 'scaled');
      const receivedAt = clock.now();
      const [first] = await receive(sqs, 'jobs');
      const backend = sqsBackend(sqs, 'http://127.0.0.1:1', clock);
      // A 20 s long poll (100 wall ms) returns the message once its timeout has passed on the clock.
      let again: string[] = [];
      while (again.length === 0) again = messageIds(await backend(receiveRequest(sqs, 'jobs', 20)));
      expect(again).toStrictEqual([first!.MessageId]);
      expect(clock.now() - receivedAt).toBeGreaterThanOrEqual(VISIBILITY_S * 1000);
    } finally {
      await sqs.close();
    }
  });
});
