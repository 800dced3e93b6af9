/**
 * Parity item 8: a PROVISIONED table throttles. With 1 WCU and a manual clock that does not
 * move, the table's burst (300 s of unused capacity) takes 300 one-unit writes; the next
 * writes get ProvisionedThroughputExceededException, go back to the queue, and end in its
 * dead-letter queue. Once the clock moves, the bucket refills and writes pass again.
 */
import { DynamoDBClient, PutItemCommand, paginateScan } from '@aws-sdk/client-dynamodb';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalRuntime } from '../../local-runtime/runtime/local-runtime';
import { ManualClock } from '../../local-runtime/scheduling/clock';
import { PROVISIONED_WCU, provisionedStack, synthParity, type ParityAssembly } from './parity-fixtures/stacks';

const BURST = 300 * PROVISIONED_WCU;
const ITEMS = BURST + 10;
let assembly: ParityAssembly;
let runtime: LocalRuntime;
beforeAll(async () => {
  assembly = synthParity((app) => provisionedStack(app));
  runtime = await LocalRuntime.start({ assemblyDir: assembly.outdir, clock: new ManualClock(), timeScale: 0.2 });
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
    expect(await runtime.dynamodb.count(runtime.output('TableName'))).toBe(BURST);
  });

  it('sends the throttled items to the dead-letter queue through retries, losing none', async () => {
    const parked = new Set((await runtime.deadLetterMessages()).map((m) => (JSON.parse(m.body) as { id: string }).id));
    const stored = new Set(await storedIds());
    // A written item may be parked too, if its batch outlived the (scaled) visibility timeout.
    expect(parked.size).toBeGreaterThanOrEqual(ITEMS - BURST);
    expect(new Set([...parked, ...stored]).size).toBe(ITEMS);
  });

  it('refills as the runtime clock moves', async () => {
    const ddb = new DynamoDBClient({ ...runtime.clientConfig(), maxAttempts: 1 });
    try {
      const put = (pk: string) => ddb.send(new PutItemCommand({ TableName: runtime.output('TableName'), Item: { pk: { S: pk } } }));
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
