/**
 * The SQS poller's batching window: it closes on time (SQS waits in whole seconds, and a
 * wait rounded up would stretch it), a full batch does not wait for it, and when a receive
 * inside it fails, the batch already received is still processed and the in-progress count
 * (what `isIdle()`/`settle()` wait on) returns to zero.
 */
import { describe, expect, it } from 'vitest';
import { FaultInjector } from '../../../local-runtime/runtime/faults/fault-injector';
import type { LocalAwsClient } from '../../../local-runtime/runtime/gateway/local-client';
import { SqsPoller, type SqsMappingSpec } from '../../../local-runtime/runtime/esm/sqs-poller';

const spec: SqsMappingSpec = {
  logicalId: 'Mapping',
  functionName: 'worker',
  queueArn: 'arn:aws:sqs:us-east-1:000000000000:jobs',
  queueUrl: 'http://127.0.0.1:1/000000000000/jobs',
  batchSize: 10,
  batchingWindowMs: 5_000,
  concurrency: 1,
  filters: [],
  reportBatchItemFailures: true,
};

const message = (id: string) => ({ MessageId: id, ReceiptHandle: `rh-${id}`, Body: JSON.stringify({ id }), Attributes: { ApproximateReceiveCount: '1' }, MD5OfBody: '' });

describe('SqsPoller', () => {
  it('processes the received batch and settles its count when a receive in the window fails', async () => {
    const deleted: string[] = [];
    const invoked: string[][] = [];
    let receives = 0;
    let settled!: () => void;
    const deletedOnce = new Promise<void>((resolve) => (settled = resolve));
    const client = {
      call: async (_service: string, operation: string, input: { Entries?: { ReceiptHandle: string }[] }) => {
        if (operation === 'DeleteMessageBatch') {
          deleted.push(...input.Entries!.map((e) => e.ReceiptHandle));
          settled();
          return { Failed: [] };
        }
        receives++;
        if (receives === 1) return { Messages: [message('a'), message('b')] };
        if (receives === 2) throw new Error('receive refused');
        await new Promise((resolve) => setTimeout(resolve, 5));
        return { Messages: [] };
      },
    } as unknown as LocalAwsClient;
    const poller = new SqsPoller(spec, {
      client,
      invoke: async (_name, event) => {
        invoked.push((event as { Records: { messageId: string }[] }).Records.map((r) => r.messageId));
        return { batchItemFailures: [] };
      },
      faults: new FaultInjector({}),
      region: 'us-east-1',
    });
    poller.start();
    const stuck = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the received batch was never processed')), 5_000).unref());
    await Promise.race([deletedOnce, stuck]);
    await poller.stop();
    expect(invoked).toStrictEqual([['a', 'b']]);
    expect(deleted).toStrictEqual(['rh-a', 'rh-b']);
    expect(poller.inProgress).toBe(0);
    expect(poller.stats.pollErrors).toBe(1);
    expect(poller.stats.lastError).toBe('receive refused');
  });

  /**
   * A fake queue on a fake clock: each receive takes the messages that arrived by now; a long
   * poll with nothing to take waits its seconds (or until the next arrival).
   */
  function fakeQueue(arrivals: { at: number; id: string }[]) {
    const time = { now: 0 };
    const clock = { now: () => time.now };
    const waits: number[] = [];
    const invokedAt: { at: number; ids: string[] }[] = [];
    const take = (max: number) => {
      const ready = arrivals.filter((a) => a.at <= time.now).slice(0, max);
      arrivals.splice(0, ready.length);
      return ready.map((a) => message(a.id));
    };
    const client = {
      call: async (_service: string, operation: string, input: { MaxNumberOfMessages?: number; WaitTimeSeconds?: number }) => {
        if (operation === 'DeleteMessageBatch') return { Failed: [] };
        waits.push(input.WaitTimeSeconds!);
        if (take(0).length === 0 && arrivals.length > 0 && !arrivals.some((a) => a.at <= time.now)) {
          time.now = Math.min(time.now + input.WaitTimeSeconds! * 1000, Math.max(time.now, arrivals[0]!.at));
        }
        return { Messages: take(input.MaxNumberOfMessages!) };
      },
    } as unknown as LocalAwsClient;
    return { clock, client, waits, invokedAt, time };
  }

  async function firstBatch(windowMs: number, batchSize: number, arrivals: { at: number; id: string }[]) {
    const q = fakeQueue(arrivals);
    let poller!: SqsPoller;
    const invoked = new Promise<void>((resolve) => {
      poller = new SqsPoller({ ...spec, batchingWindowMs: windowMs, batchSize }, {
        client: q.client,
        invoke: async (_name, event) => {
          q.invokedAt.push({ at: q.time.now, ids: (event as { Records: { messageId: string }[] }).Records.map((r) => r.messageId) });
          poller.requestStop();
          resolve();
          return { batchItemFailures: [] };
        },
        faults: new FaultInjector({}),
        region: 'us-east-1',
        clock: q.clock,
      });
    });
    poller.start();
    await invoked;
    await poller.stop();
    return q;
  }

  it('closes a 1.5 s window at 1.5 s: each receive in it waits what is left of it, not whole seconds', async () => {
    const q = await firstBatch(1500, 100, [{ at: 0, id: 'a' }, { at: 0, id: 'b' }, { at: 1200, id: 'c' }, { at: 1700, id: 'late' }]);
    // The 20 s first poll, then 1.5 s (not 2), then the 0.3 s left after c arrived (not 1, which would take 'late').
    expect(q.waits).toStrictEqual([20, 1.5, 0.3]);
    expect(q.invokedAt).toStrictEqual([{ at: 1500, ids: ['a', 'b', 'c'] }]);
  });

  it('invokes a full batch at once, without waiting for the window', async () => {
    const q = await firstBatch(1000, 20, Array.from({ length: 25 }, (_, i) => ({ at: 0, id: `m${i}` })));
    expect(q.waits).toStrictEqual([20, 1]);
    expect(q.invokedAt.map((b) => [b.at, b.ids.length])).toStrictEqual([[0, 20]]);
  });
});
