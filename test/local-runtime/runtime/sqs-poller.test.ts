/**
 * The SQS poller's batching window when a receive inside it fails: the batch already received
 * must still be processed, and the in-progress count (what `isIdle()`/`settle()` wait on)
 * must return to zero.
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
});
