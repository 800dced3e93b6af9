import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError, InvalidEntryError, OversizeEntryError, PartialSendError } from '../../functions/lib/errors';
import { QueuePublisher, type PublishMessage } from '../../functions/lib/publisher';
import type { SendEntry } from '../../functions/lib/queue-port';
import { awsError, recordingSendPort } from '../../functions/lib/testing/recording-ports';

const messages = (count: number, body = 'x'): PublishMessage[] => Array.from({ length: count }, () => ({ body }));
const ids = (calls: readonly SendEntry[][]): string[][] => calls.map((call) => call.map((entry) => entry.id));
const range = (from: number, to: number): string[] => Array.from({ length: to - from }, (_, index) => String(from + index));
const noSleep = { sleep: async () => undefined, random: () => 0 };

async function publishError(publisher: QueuePublisher, batch: readonly PublishMessage[]): Promise<PartialSendError> {
  const error = await publisher.publish(batch).then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(PartialSendError);
  return error as PartialSendError;
}

describe('QueuePublisher.publish', () => {
  it('packs 25 messages into batches of 10, 10 and 5 with index ids', async () => {
    const { port, calls } = recordingSendPort();
    const result = await new QueuePublisher({ port, concurrency: 1 }).publish(messages(25));
    expect(ids(calls)).toStrictEqual([range(0, 10), range(10, 20), range(20, 25)]);
    expect(result).toStrictEqual({ sent: 25, requests: 3 });
  });

  it('starts a new batch before the batch would pass 1 MiB', async () => {
    const { port, calls } = recordingSendPort();
    const big = 'b'.repeat(400_000);
    await new QueuePublisher({ port, concurrency: 1 }).publish([{ body: big }, { body: big }, { body: big }, { body: 'small' }]);
    expect(ids(calls)).toStrictEqual([['0', '1'], ['2', '3']]);
  });

  it('passes bodies, attributes, delay and FIFO fields through unchanged', async () => {
    const { port, calls } = recordingSendPort();
    const message = { id: 'order-1', body: '{"a":1}', attributes: { kind: 'order' }, delaySeconds: 5, messageGroupId: 'g', messageDeduplicationId: 'd' };
    await new QueuePublisher({ port }).publish([message]);
    expect(calls).toStrictEqual([[message]]);
  });

  it('re-sends only the entries SQS failed, with jittered backoff between attempts', async () => {
    const sleeps: number[] = [];
    const { port, calls } = recordingSendPort((_, call) =>
      call === 1 ? { failed: [{ id: '3', code: 'InternalError', message: 'try again', senderFault: false }, { id: '7', code: 'InternalError', message: 'try again', senderFault: false }] } : { failed: [] },
    );
    const publisher = new QueuePublisher({ port, concurrency: 1, baseDelayMs: 100, random: () => 0.5, sleep: async (ms) => void sleeps.push(ms) });
    const result = await publisher.publish(messages(12));
    expect(ids(calls)).toStrictEqual([range(0, 10), ['3', '7'], ['10', '11']]);
    expect(sleeps).toStrictEqual([50]);
    expect(result).toStrictEqual({ sent: 12, requests: 3 });
  });

  it('re-sends the whole batch when the call is throttled', async () => {
    const { port, calls } = recordingSendPort((_, call) => (call === 1 ? { throws: awsError('RequestThrottled') } : { failed: [] }));
    await new QueuePublisher({ port, ...noSleep }).publish(messages(4));
    expect(ids(calls)).toStrictEqual([range(0, 4), range(0, 4)]);
  });

  it('does not retry a sender-fault entry, sends the rest, then names it in PartialSendError', async () => {
    const { port, calls } = recordingSendPort((_, call) =>
      call === 1 ? { failed: [{ id: '1', code: 'InvalidParameterValue', message: 'bad attribute', senderFault: true }] } : { failed: [] },
    );
    const error = await publishError(new QueuePublisher({ port, ...noSleep }), messages(3));
    expect(ids(calls)).toStrictEqual([range(0, 3)]);
    expect(error.failed).toStrictEqual([{ id: '1', code: 'InvalidParameterValue', message: 'bad attribute', senderFault: true }]);
  });

  it('gives up after maxAttempts and names every unsent entry with its last error, in input order', async () => {
    const { port, calls } = recordingSendPort((entries, call) => ({
      failed: entries.filter((entry) => entry.id === '12' || entry.id === '2').map((entry) => ({ id: entry.id, code: `Code${call}`, message: 'm', senderFault: false })),
    }));
    const error = await publishError(new QueuePublisher({ port, maxAttempts: 3, concurrency: 1, ...noSleep }), messages(13));
    expect(ids(calls)).toStrictEqual([range(0, 10), ['2'], ['2'], range(10, 13), ['12'], ['12']]);
    expect(error.failed.map((entry) => [entry.id, entry.code])).toStrictEqual([['2', 'Code3'], ['12', 'Code6']]);
    expect(error.message).toMatch(/2 entries not sent: 2 \(Code3\), 12 \(Code6\)/);
  });

  it('does not retry a batch whose call failed with a client error, and names its entries', async () => {
    const { port, calls } = recordingSendPort(() => ({ throws: awsError('AccessDenied') }));
    const error = await publishError(new QueuePublisher({ port, ...noSleep }), messages(2));
    expect(calls).toHaveLength(1);
    expect(error.failed).toStrictEqual([
      { id: '0', code: 'AccessDenied', message: 'AccessDenied (test)', senderFault: true },
      { id: '1', code: 'AccessDenied', message: 'AccessDenied (test)', senderFault: true },
    ]);
  });

  it('keeps at most `concurrency` batches in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const publisher = new QueuePublisher({
      concurrency: 3,
      port: {
        async sendBatch() {
          inFlight++;
          peak = Math.max(peak, inFlight);
          await new Promise((resolve) => setImmediate(resolve));
          inFlight--;
          return { failed: [] };
        },
      },
    });
    await publisher.publish(messages(100));
    expect(peak).toBe(3);
  });

  it('never drops or double-sends an entry under random partial failures', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 45 }), fc.array(fc.boolean(), { minLength: 1, maxLength: 400 }), async (count, coin) => {
        let flip = 0;
        const delivered: string[] = [];
        const { port } = recordingSendPort((entries) => {
          const failed = entries.filter(() => coin[flip++ % coin.length]).map((entry) => ({ id: entry.id, code: 'InternalError', message: '', senderFault: false }));
          const failedIds = new Set(failed.map((entry) => entry.id));
          delivered.push(...entries.filter((entry) => !failedIds.has(entry.id)).map((entry) => entry.id));
          return { failed };
        });
        const unsent = await new QueuePublisher({ port, maxAttempts: 4, ...noSleep }).publish(messages(count)).then(
          () => [] as string[],
          (error: PartialSendError) => error.failed.map((entry) => entry.id),
        );
        expect(new Set(delivered).size).toBe(delivered.length);
        expect([...delivered, ...unsent].sort()).toStrictEqual(range(0, count).sort());
      }),
    );
  });

  it('stops a FIFO group at its first unsent entry: later batches of that group are held back, other groups go on', async () => {
    const grouped = (index: number): PublishMessage => ({ id: `m${index}`, body: 'x', messageGroupId: index === 20 ? 'h' : 'g', messageDeduplicationId: `m${index}` });
    // The first batch (m0–m9) fails every attempt; a later batch of the same group would succeed.
    const { port, calls } = recordingSendPort((entries) => ({
      failed: entries.filter((entry) => entry.id === 'm0' || entry.id === 'm1').map((entry) => ({ id: entry.id, code: 'InternalError', message: 'down', senderFault: false })),
    }));
    const error = await publishError(new QueuePublisher({ port, maxAttempts: 2, concurrency: 4, ...noSleep }), Array.from({ length: 21 }, (_, index) => grouped(index)));
    const sentIds = new Set(calls.flat().map((entry) => entry.id));
    expect([...sentIds].filter((id) => Number(id.slice(1)) >= 10)).toStrictEqual(['m20']);
    expect(error.failed.map((entry) => entry.id)).toStrictEqual(['m0', 'm1', ...range(10, 20).map((index) => `m${index}`)]);
    expect(error.failed.find((entry) => entry.id === 'm10')).toStrictEqual({ id: 'm10', code: 'GroupHeldBack', message: 'not sent: m0, earlier in message group g, was not sent', senderFault: false });
  });

  it('fails before sending anything for an oversize message', async () => {
    const { port, calls } = recordingSendPort();
    const run = new QueuePublisher({ port }).publish([{ body: 'ok' }, { id: 'huge', body: 'h'.repeat(1_048_577) }]);
    await expect(run).rejects.toThrow(OversizeEntryError);
    await expect(run).rejects.toMatchObject({ entryId: 'huge', size: 1_048_577, limit: 1_048_576 });
    expect(calls).toHaveLength(0);
  });

  it('fails before sending anything for a bad or duplicate id, or too many attributes', async () => {
    const { port, calls } = recordingSendPort();
    const publisher = new QueuePublisher({ port });
    await expect(publisher.publish([{ id: 'has space', body: 'a' }])).rejects.toThrow(InvalidEntryError);
    await expect(publisher.publish([{ id: 'a', body: '1' }, { id: 'a', body: '2' }])).rejects.toThrow(/"a": id is used by two messages/);
    const attributes = Object.fromEntries(Array.from({ length: 11 }, (_, index) => [`a${index}`, 'v']));
    await expect(publisher.publish([{ body: 'a', attributes }])).rejects.toThrow(/11 attributes, over the 10/);
    expect(calls).toHaveLength(0);
  });

  it('sends nothing for no messages', async () => {
    const { port, calls } = recordingSendPort();
    expect(await new QueuePublisher({ port }).publish([])).toStrictEqual({ sent: 0, requests: 0 });
    expect(calls).toHaveLength(0);
  });

  it('fails if options are out of range, naming every one', () => {
    const { port } = recordingSendPort();
    expect(() => new QueuePublisher({ port, maxAttempts: 0, concurrency: 101, baseDelayMs: -5 })).toThrow(ConfigError);
    expect(() => new QueuePublisher({ port, maxAttempts: 0, concurrency: 101, baseDelayMs: -5 })).toThrow(
      /maxAttempts must be an integer from 1 to 20, got 0; concurrency must be an integer from 1 to 100, got 101; baseDelayMs must be ≥ 0, got -5/,
    );
  });
});
