/**
 * End to end on the embedded local runtime: the synthesized RequestAggregator, its bundled
 * aggregator in a worker thread, SQS on fauxqs, the results table on dynalite, the batching
 * window on a manual clock the test advances; callers use the runtime's client helper.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AggregatorResultItem } from '../../functions/contract';
import { RequestFailedError } from '../../functions/lib/errors';
import type { AggregatorClient } from '../../functions/lib/request-aggregator/client';
import { requestAggregatorClient } from '../../functions/request-aggregator/client';
import type { LocalRuntime } from '../../local-runtime/runtime/local-runtime';
import { queueBodies, sendJson, startE2ERuntime, type E2ERuntime } from '../helpers/e2e-runtime';
import { AggregatorOutput as O, E2E_BATCH_SIZE, requestAggregatorStack } from './request-aggregator-fixtures/stack';

type Price = { sku: string; cents: number };
let e2e: E2ERuntime;
let runtime: LocalRuntime;
let documents: DynamoDBDocumentClient;
let client: AggregatorClient<{ sku: string }, Price>;

beforeAll(async () => {
  e2e = await startE2ERuntime({ define: requestAggregatorStack });
  runtime = e2e.runtime;
  documents = DynamoDBDocumentClient.from(new DynamoDBClient(runtime.clientConfig()));
  client = requestAggregatorClient({ queueUrl: runtime.output(O.ingressUrl), tableName: runtime.output(O.tableName), sqsClient: e2e.sqs, documentClient: documents, pollIntervalMs: 50, timeoutMs: 120_000 });
}, 300_000);

afterAll(async () => {
  documents?.destroy();
  await e2e?.stop();
});

/** Waits (wall time) until the ingress holds `count` messages (the poller may hold them for its window), then moves the clock past the window. */
async function releaseWindow(count: number): Promise<void> {
  const ingress = runtime.queue(O.ingressUrl).name;
  const held = async () => {
    const depth = await runtime.sqs.depth(ingress);
    return depth.visible + depth.inFlight;
  };
  for (let i = 0; i < 400 && (await held()) < count; i++) await new Promise((resolve) => setTimeout(resolve, 25));
  expect(await held()).toBe(count);
  await runtime.advanceClock(1_000);
}

const callBatches = (): Promise<string[][]> => queueBodies<string[]>(runtime, O.callsUrl);

describe('RequestAggregator end to end (local runtime, manual clock)', () => {
  it('answers 250 single waiting callers with one backend call per aggregator invocation, batches of at most 100', async () => {
    const poller = runtime.pollers[0];
    const skus = Array.from({ length: 250 }, (_, i) => `sku-${i}`);
    const waits = Promise.all(skus.map((sku) => client.submitAndWait({ sku }, { requestId: `r-${sku}` })));
    await releaseWindow(250);
    expect(await waits).toStrictEqual(skus.map((sku) => ({ sku, cents: sku.length * 100 })));
    const batches = await callBatches();
    // The mapping's pollers gather in parallel, as Lambda's do: the floor ⌈250 / 100⌉ = 3 holds only with one poller.
    expect(batches.length).toBe(poller?.stats.batches);
    expect(batches.length).toBeGreaterThanOrEqual(Math.ceil(250 / E2E_BATCH_SIZE));
    expect(Math.max(...batches.map((batch) => batch.length))).toBeLessThanOrEqual(E2E_BATCH_SIZE);
    expect(batches.flat().sort()).toStrictEqual([...skus].sort());
    expect((await queueBodies<AggregatorResultItem>(runtime, O.repliesUrl)).length).toBe(250);
  });

  it('serves a request id sent three times once, and a per-request error only to its caller', async () => {
    const before = (await callBatches()).flat().length;
    const waits = Promise.all([
      client.submitAndWait({ sku: 'twice' }, { requestId: 'dup-1' }),
      client.submitAndWait({ sku: 'twice' }, { requestId: 'dup-1' }),
      client.submitAndWait({ sku: 'twice' }, { requestId: 'dup-1' }),
      client.submitAndWait({ sku: 'unknown' }, { requestId: 'bad-1' }).catch((error: unknown) => error),
    ]);
    await releaseWindow(4);
    const [a, b, c, failed] = await waits;
    expect([a, b, c]).toStrictEqual([{ sku: 'twice', cents: 500 }, { sku: 'twice', cents: 500 }, { sku: 'twice', cents: 500 }]);
    expect(failed).toBeInstanceOf(RequestFailedError);
    expect((failed as Error).message).toMatch(/RangeError: no price for unknown/);
    expect((await callBatches()).flat().slice(before).sort()).toStrictEqual(['twice', 'unknown']);
    await sendJson(e2e, O.ingressUrl, [{ requestId: 'dup-1', request: { sku: 'twice' } }]);
    await releaseWindow(1);
    expect((await callBatches()).flat().length).toBe(before + 2);
  });

  it('sends malformed requests to the ingress DLQ with the reason', async () => {
    await sendJson(e2e, O.ingressUrl, [{ request: { sku: 'x' } }, { requestId: 'no-sku', request: {} }]);
    await releaseWindow(2);
    const reasons = (await runtime.deadLetterMessages()).map((message) => message.messageAttributes.PpErrorReason?.StringValue).sort();
    expect(reasons).toStrictEqual([
      'request "no-sku" rejected by parse: sku must be a string, got undefined',
      'requestId must be a string of 1–255 characters, got undefined',
    ]);
  });

  it('made every AWS request of the aggregator within its own grants', () => {
    const rows = runtime.counter.rowsSnapshot().filter((row) => row.principal.startsWith('RequestAggregatorE2E-'));
    expect(rows.filter((row) => row.denied > 0)).toStrictEqual([]);
    expect(rows.map((row) => `${row.service}:${row.operation}`)).toEqual(expect.arrayContaining(['dynamodb:BatchGetItem', 'dynamodb:BatchWriteItem']));
  });
});
