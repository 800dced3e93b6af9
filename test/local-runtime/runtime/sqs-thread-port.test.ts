/**
 * The runtime reaches fauxqs over its thread's port (`SqsEmulator.request`), not a socket:
 * answers are matched to their requests by id, a long poll waits in the thread while other
 * requests are answered, and closing the emulator answers the long polls still waiting.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SqsEmulator } from '../../../local-runtime/runtime/emulators/sqs';

const REGION = 'us-east-1';

interface Received { readonly Body: string }

describe('SqsEmulator.request (the thread port)', () => {
  let sqs: SqsEmulator | undefined;
  afterEach(async () => sqs?.close());

  async function started(): Promise<SqsEmulator> {
    sqs = await SqsEmulator.start(REGION);
    await sqs.createQueues([{ name: 'a', attributes: {} }, { name: 'b', attributes: {} }], '127.0.0.1:4566');
    return sqs;
  }

  it('answers concurrent requests each with its own reply, while a long poll waits', async () => {
    const emulator = await started();
    const waiting = emulator.callJson<{ Messages?: Received[] }>('ReceiveMessage', { QueueUrl: emulator.emulatorUrl('a'), WaitTimeSeconds: 20 });
    const sends = Array.from({ length: 20 }, (_, i) => emulator.callJson<{ MessageId: string }>('SendMessage', { QueueUrl: emulator.emulatorUrl('b'), MessageBody: `m${i}` }));
    const ids = (await Promise.all(sends)).map((out) => out.MessageId);
    expect(new Set(ids).size).toBe(20);
    expect((await emulator.depth('b')).visible).toBe(20);
    // The long poll on `a` is still open; a message sent to `a` ends it with that message.
    await emulator.callJson('SendMessage', { QueueUrl: emulator.emulatorUrl('a'), MessageBody: 'wake' });
    expect((await waiting).Messages?.map((m) => m.Body)).toEqual(['wake']);
  });

  it('builds queue URLs from the Host header it is given and reports errors as the emulator answers them', async () => {
    const emulator = await started();
    expect(emulator.emulatorUrl('a')).toMatch(/^http:\/\/sqs\.us-east-1\.localhost:4566\/000000000000\/a$/);
    await expect(emulator.callJson('SendMessage', { QueueUrl: 'http://sqs.us-east-1.localhost:4566/000000000000/missing', MessageBody: 'x' })).rejects.toThrow(/NonExistentQueue|QueueDoesNotExist/);
  });

  it('answers a long poll still waiting when the emulator closes', async () => {
    const emulator = await started();
    const waiting = emulator.request('POST', '/', {
      host: '127.0.0.1:4566',
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': 'AmazonSQS.ReceiveMessage',
      authorization: `AWS4-HMAC-SHA256 Credential=observer/20250101/${REGION}/sqs/aws4_request, SignedHeaders=host, Signature=0`,
    }, JSON.stringify({ QueueUrl: emulator.emulatorUrl('a'), WaitTimeSeconds: 20 }));
    // Let the receive reach the thread and start waiting before closing.
    await emulator.depth('a');
    await emulator.close();
    const reply = await waiting;
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body.toString('utf8'))).not.toHaveProperty('Messages');
  });
});
