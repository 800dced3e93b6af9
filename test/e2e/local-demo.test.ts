/**
 * The demo stack end to end, on the target the environment selects (test/e2e/targets):
 *
 * - by default, the embedded local runtime booted from the synthesized cloud assembly, under
 *   injected faults: 10,000 orders, 1% of them invalid (poison), 10% of invocations failing
 *   before the handler runs, 5% of messages delivered twice;
 * - with `PP_STACK_OUTPUTS` set, the deployed stack (LocalStack, or AWS) those outputs name,
 *   reached at `AWS_ENDPOINT_URL` — see localstack/localstack-path/README.md.
 *
 * Every order must end up written once in effect or parked in the dead-letter queue — nothing
 * lost. Fault injection and request accounting exist only on the embedded runtime.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessageAttribute } from '../../functions/contract';
import { parseOrder, toOrderItem } from '../../functions/demo/order';
import type { AccountingReport } from '../../localstack/runtime/accounting/report';
import {
  demoOrderBody, demoOrderId, demoOrderPrefix, demoTarget, isPoisonOrder, orderIdOf, resolveDemoTarget, runOrders, waitUntilDoneOrDeadLettered,
  type DeadLetter, type DemoRun, type DemoTarget,
} from './targets';

const ITEMS = 10_000;
const onEmbedded = resolveDemoTarget().kind === 'embedded';

let target: DemoTarget;
let prefix: string;
let run: DemoRun;
let report: AccountingReport | undefined;
let writtenItems: Map<string, Record<string, unknown>>;
let written: Set<string>;
let parked: DeadLetter[];

beforeAll(async () => {
  target = await demoTarget({ embedded: { timeScale: 0.05, faults: { seed: 'e2e-demo', invocationErrorRate: 0.1, duplicateDeliveryRate: 0.05 } } });
  prefix = demoOrderPrefix(target.runId);
  run = await runOrders(target, Array.from({ length: ITEMS }, (_, i) => demoOrderBody(target.runId, i)), prefix);
  report = await target.runtime?.report({ itemsIn: run.itemsIn, done: run.done, startedAt: run.startedAt });
  writtenItems = await target.doneItems(prefix);
  written = new Set(writtenItems.keys());
  parked = (await target.deadLetters()).filter((m) => orderIdOf(m.body)?.startsWith(prefix));
}, onEmbedded ? 180_000 : 660_000);

afterAll(async () => {
  await target?.stop();
});

describe(`demo stack end to end on ${onEmbedded ? 'the embedded runtime, under injected faults' : 'the deployed stack of PP_STACK_OUTPUTS'}`, () => {
  it('loses nothing: in = done + dead-lettered', () => {
    expect([run.itemsIn, run.lost, run.timedOut], target.description).toStrictEqual([ITEMS, 0, false]);
    expect(run.done + run.deadLettered).toBe(ITEMS);
  });

  it('writes each order at most once in effect and never both writes and parks it', () => {
    const parkedIds = new Set(parked.map((m) => JSON.parse(m.body).orderId as string));
    expect(written.size).toBe(run.done);
    expect([...parkedIds].filter((id) => written.has(id))).toStrictEqual([]);
  });

  it('writes every valid order but the few redriven after failing every attempt', () => {
    const valid = Array.from({ length: ITEMS }, (_, i) => i).filter((i) => !isPoisonOrder(i));
    const missing = valid.filter((i) => !written.has(demoOrderId(target.runId, i)));
    // P(3 failed deliveries in a row) = 0.1^3: a handful of orders may be redriven, not more.
    expect(missing.length).toBeLessThan(50);
  });

  it('parks every poison order in the DLQ with its reason', () => {
    const poison = parked.filter((m) => JSON.parse(m.body).lines[0].quantity === 0);
    const ids = new Set(poison.map((m) => JSON.parse(m.body).orderId));
    expect(ids.size).toBe(ITEMS / 100);
    expect(poison.every((m) => /quantity must be an integer/.test(m.messageAttributes[MessageAttribute.errorReason]?.StringValue ?? ''))).toBe(true);
  });

  it('re-sending orders it already wrote adds no item and leaves each one the item of its order', async () => {
    const again = Array.from({ length: 200 }, (_, i) => i).filter((i) => written.has(demoOrderId(target.runId, i)));
    // A new order sent along: the wait ends only once it is written, so the re-sent ones went through too.
    const fresh = ITEMS;
    await target.send([...again, fresh].map((i) => demoOrderBody(target.runId, i)));
    const wait = await waitUntilDoneOrDeadLettered(target, prefix, { minDone: written.size + 1 });
    const after = await target.doneItems(prefix);
    expect([wait.timedOut, after.size, after.has(demoOrderId(target.runId, fresh))]).toStrictEqual([false, written.size + 1, true]);
    const expected = again.map((i) => toOrderItem(parseOrder(JSON.parse(demoOrderBody(target.runId, i)))));
    expect(again.map((i) => after.get(demoOrderId(target.runId, i)))).toStrictEqual(expected);
    expect(again.map((i) => writtenItems.get(demoOrderId(target.runId, i)))).toStrictEqual(expected);
  });
});

describe.runIf(onEmbedded)('demo stack on the embedded runtime only: fault injection and request accounting need its gateway, a deployed stack has neither', () => {
  it('accounts the run as the suite counted it', () => {
    expect([report!.itemsIn, report!.done, report!.deadLettered, report!.lost]).toStrictEqual([ITEMS, run.done, run.deadLettered, 0]);
  });

  it('really injected the faults', () => {
    expect(report!.faults.invocationsFailed).toBeGreaterThan(0);
    expect(report!.faults.duplicatesDelivered).toBeGreaterThan(0);
  });

  it('costs well under one AWS request per order (batched receives, deletes and writes)', () => {
    expect(report!.requestsPerItem).toBeLessThan(0.6);
  });
});
