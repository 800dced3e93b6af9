/**
 * The demo stack on the embedded local runtime, from its synthesized cloud assembly, under
 * injected faults: 10,000 orders, 1% of them invalid (poison), 10% of invocations failing
 * before the handler runs, 5% of messages delivered twice. Every order must end up written
 * once in effect or parked in the dead-letter queue — nothing lost.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, paginateScan } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DemoOrdersTable, DemoOutput, MessageAttribute } from '../../functions/contract';
import { createDemoApp } from '../../infra/stacks/demo-stack';
import type { AccountingReport } from '../../localstack/runtime/accounting/report';
import { runToCompletion } from '../../localstack/runtime/driver/run-to-completion';
import { ProgressReporter } from '../../localstack/runtime/driver/progress';
import { LocalRuntime } from '../../localstack/runtime/local-runtime';

const ITEMS = 10_000;
const isPoison = (i: number) => i % 100 === 42;

function order(i: number): string {
  // A poison order has a zero quantity, which the demo's validation rejects.
  const lines = [{ sku: `SKU-${i % 97}`, quantity: isPoison(i) ? 0 : 1 + (i % 5), unitPriceCents: 250 }];
  return JSON.stringify({ orderId: `order-${i}`, customerId: `customer-${i % 113}`, lines });
}

const silent = new ProgressReporter({ stream: { write: () => true, isTTY: false } as unknown as NodeJS.WriteStream });

let outdir: string;
let runtime: LocalRuntime;
let report: AccountingReport;
let written: Set<string>;
let parked: { body: string; messageAttributes: Record<string, { StringValue?: string }> }[];

beforeAll(async () => {
  outdir = mkdtempSync(join(tmpdir(), 'pp-local-demo-'));
  createDemoApp({ outdir }).app.synth();
  runtime = await LocalRuntime.start({
    assemblyDir: outdir,
    timeScale: 0.05,
    faults: { seed: 'e2e-demo', invocationErrorRate: 0.1, duplicateDeliveryRate: 0.05 },
  });
  const table = runtime.output(DemoOutput.ordersTableName);
  const result = await runToCompletion({
    runtime,
    queueUrl: runtime.queue(DemoOutput.ordersQueueUrl).url,
    bodies: Array.from({ length: ITEMS }, (_, i) => order(i)),
    countDone: () => runtime.dynamodb.count(table),
    timeoutSeconds: 120,
    progress: silent,
  });
  report = result.report;
  const ddb = new DynamoDBClient(runtime.clientConfig());
  written = new Set<string>();
  for await (const page of paginateScan({ client: ddb }, { TableName: table })) {
    for (const item of page.Items ?? []) written.add(item[DemoOrdersTable.partitionKey]!.S!);
  }
  ddb.destroy();
  parked = await runtime.deadLetterMessages();
});

afterAll(async () => {
  await runtime?.stop();
  rmSync(outdir, { recursive: true, force: true });
});

describe('demo stack under faults', () => {
  it('loses nothing: in = done + dead-lettered', () => {
    expect([report.itemsIn, report.lost]).toStrictEqual([ITEMS, 0]);
    expect(report.done + report.deadLettered).toBe(ITEMS);
  });

  it('writes each order at most once in effect and never both writes and parks it', () => {
    const parkedIds = new Set(parked.map((m) => JSON.parse(m.body).orderId as string));
    expect(written.size).toBe(report.done);
    expect([...parkedIds].filter((id) => written.has(id))).toStrictEqual([]);
  });

  it('writes every valid order but the few redriven after failing every attempt', () => {
    const valid = Array.from({ length: ITEMS }, (_, i) => i).filter((i) => !isPoison(i));
    const missing = valid.filter((i) => !written.has(`order-${i}`));
    // P(3 failed deliveries in a row) = 0.1^3: a handful of orders may be redriven, not more.
    expect(missing.length).toBeLessThan(50);
  });

  it('parks every poison order in the DLQ with its reason', () => {
    const poison = parked.filter((m) => JSON.parse(m.body).lines[0].quantity === 0);
    const ids = new Set(poison.map((m) => JSON.parse(m.body).orderId));
    expect(ids.size).toBe(ITEMS / 100);
    expect(poison.every((m) => /quantity must be an integer/.test(m.messageAttributes[MessageAttribute.errorReason]?.StringValue ?? ''))).toBe(true);
  });

  it('really injected the faults', () => {
    expect(report.faults.invocationsFailed).toBeGreaterThan(0);
    expect(report.faults.duplicatesDelivered).toBeGreaterThan(0);
  });

  it('costs well under one AWS request per order (batched receives, deletes and writes)', () => {
    expect(report.requestsPerItem).toBeLessThan(0.6);
  });
});
