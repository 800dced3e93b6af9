/**
 * Parity item 8: a PROVISIONED table throttles. With 1 WCU and a manual clock that does not
 * move, the table's burst (300 s of unused capacity) takes 300 one-unit writes; the next
 * writes get ProvisionedThroughputExceededException and go back to the queue. SQS runs on the
 * same clock: when the clock passes the visibility timeout, the retries find the 30 units the
 * bucket refilled in those 30 s, and what is still throttled ends in the dead-letter queue
 * after its second receive. As the clock moves on, the bucket refills and writes pass again.
 */
import { DynamoDBClient, PutItemCommand, paginateScan } from '@aws-sdk/client-dynamodb';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalRuntime } from '../../local-runtime/runtime/local-runtime';
import { ManualClock } from '../../local-runtime/scheduling/clock';
import { PROVISIONED_WCU, provisionedStack, synthParity, type ParityAssembly } from './parity-fixtures/stacks';

const BURST = 300 * PROVISIONED_WCU;
/** The Ingress queue's visibility timeout (parity-fixtures/stacks.ts). */
const VISIBILITY_MS = 30_000;
/** What the bucket refills while a throttled batch waits for its visibility timeout. */
const REFILL_PER_RETRY = (VISIBILITY_MS / 1000) * PROVISIONED_WCU;
const ITEMS = BURST + REFILL_PER_RETRY + 10;
let assembly: ParityAssembly;
let runtime: LocalRuntime;
/** Items in the table before the clock moved. */
let burstWrites: number;
beforeAll(async () => {
  assembly = synthParity((app) => provisionedStack(app));
  runtime = await LocalRuntime.start({ assemblyDir: assembly.outdir, clock: new ManualClock() });
  const sqs = new SQSClient(runtime.clientConfig());
  try {
    for (let i = 0; i < ITEMS; i += 10) {
      const Entries = Array.from({ length: Math.min(10, ITEMS - i) }, (_, j) => ({ Id: String(j), MessageBody: JSON.stringify({ id: `item-${i + j}` }) }));
      await sqs.send(new SendMessageBatchCommand({ QueueUrl: runtime.output('IngressUrl'), Entries }));
    }
  } finally {
    sqs.destroy();
  }
  await runtime.settle({ timeoutMs: 90_000 });
  burstWrites = await runtime.dynamodb.count(runtime.output('TableName'));
});
afterAll(async () => {
  await runtime?.stop();
  assembly?.cleanup();
});

/** The ids in the table (a scan: 300 small items are a few read units of the table's 300). */
async function storedIds(): Promise<string[]> {
  const ddb = new DynamoDBClient(runtime.clientConfig());
  const ids: string[] = [];
  try {
    for await (const page of paginateScan({ client: ddb }, { TableName: runtime.output('TableName') })) ids.push(...(page.Items ?? []).map((i) => i.pk!.S!));
  } finally {
    ddb.destroy();
  }
  return ids;
}

describe('a PROVISIONED table', () => {
  it('takes its burst of writes, then throttles', async () => {
    expect(burstWrites).toBe(BURST);
    expect(await runtime.sqs.depth(runtime.queue('IngressUrl').name)).toStrictEqual({ visible: 0, inFlight: ITEMS - BURST, delayed: 0 });
  });

  it('retries the throttled items when the clock passes their visibility timeout, and parks the rest, losing none', async () => {
    // Two visibility timeouts: the retry after the first, the redrive at the receive after the second.
    await runtime.advanceClock(2 * VISIBILITY_MS);
    const parked = new Set((await runtime.deadLetterMessages()).map((m) => (JSON.parse(m.body) as { id: string }).id));
    const stored = new Set(await storedIds());
    expect([stored.size, parked.size]).toStrictEqual([BURST + REFILL_PER_RETRY, ITEMS - BURST - REFILL_PER_RETRY]);
    expect(new Set([...parked, ...stored]).size).toBe(ITEMS);
  });

  it('refills as the runtime clock moves', async () => {
    const ddb = new DynamoDBClient({ ...runtime.clientConfig(), maxAttempts: 1 });
    try {
      const put = (pk: string) => ddb.send(new PutItemCommand({ TableName: runtime.output('TableName'), Item: { pk: { S: pk } } }));
      // Use up what the bucket refilled since the redrive (nothing wrote then).
      for (let i = 0; i <= REFILL_PER_RETRY; i++) {
        if (!(await put(`drain-${i}`).then(() => true, () => false))) break;
      }
      await expect(put('late-1')).rejects.toThrow(/ProvisionedThroughputExceeded|provisioned throughput/);
      await runtime.advanceClock(2000);
      await put('late-1');
      await put('late-2');
      await expect(put('late-3')).rejects.toThrow(/provisioned throughput/);
    } finally {
      ddb.destroy();
    }
  });
});
