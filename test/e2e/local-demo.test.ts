/**
 * The demo stack end to end, on the target the environment selects (test/e2e/targets):
 * orders ingress → splitter by shipping → the express worker (every third order) or the
 * Validate → Price → Store chain (the rest) → one orders table.
 *
 * - by default, the embedded local runtime booted from the synthesized cloud assembly, under
 *   injected faults: 2,000 orders, 2% of them poison (an invalid line, or a shipping method no
 *   route claims), 10% of invocations failing before the handler runs, 5% of messages
 *   delivered twice at every hop (half of them as two copies in flight at once);
 * - with `PP_STACK_OUTPUTS` set, the deployed stack (LocalStack, or AWS) those outputs name,
 *   reached at `AWS_ENDPOINT_URL` — see localstack/README.md.
 *
 * Every order must end up written once in effect or parked in a dead-letter queue — nothing
 * lost. A parked copy of an order that is written is a duplicate (accounting/parked.ts), not a
 * loss; nothing here depends on the machine being idle. Fault injection and request accounting exist only on the embedded runtime.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessageAttribute } from '../../functions/contract';
import { parseOrder, toOrderItem } from '../../functions/demo/order';
import type { AccountingReport } from '../../local-runtime/runtime/accounting/report';
import {
  demoNaiveRequests, demoOrderBody, demoOrderId, demoOrderPrefix, demoRequestFloor, demoTarget, hasInvalidLine, hasUnknownShipping, isExpressOrder, isPoisonOrder, orderIdOf,
  resolveDemoTarget, runOrders, stockEventBody, waitUntilDoneOrDeadLettered, type DeadLetter, type DemoRun, type DemoTarget,
} from './targets';

const ITEMS = 2_000;
const numbers = Array.from({ length: ITEMS }, (_, i) => i);
const onEmbedded = resolveDemoTarget().kind === 'embedded';
/**
 * Nothing asserts a duration: these only bound how long a stuck run may hang. They are far
 * above an idle machine's run (≈ 1 min) so that a machine with both cores busy passes too.
 */
const WAIT = { timeoutMs: 600_000 };
const SUITE_TIMEOUT_MS = onEmbedded ? 900_000 : 660_000;

let target: DemoTarget;
let prefix: string;
let run: DemoRun;
let report: AccountingReport | undefined;
let writtenItems: Map<string, Record<string, unknown>>;
let written: Set<string>;
let parked: DeadLetter[];

beforeAll(async () => {
  target = await demoTarget({ embedded: { timeScale: 0.05, faults: { seed: 'e2e-demo', invocationErrorRate: 0.1, duplicateDeliveryRate: 0.05, concurrentDuplicateShare: 0.5 } } });
  prefix = demoOrderPrefix(target.runId);
  run = await runOrders(target, numbers.map((i) => demoOrderBody(target.runId, i)), prefix, WAIT);
  report = await target.runtime?.report({ itemsIn: run.itemsIn, done: run.done, deadLettered: run.deadLettered, startedAt: run.startedAt });
  writtenItems = await target.doneItems(prefix);
  written = new Set(writtenItems.keys());
  parked = (await target.deadLetters()).filter((m) => orderIdOf(m.body)?.startsWith(prefix));
}, SUITE_TIMEOUT_MS);

afterAll(async () => {
  await target?.stop();
});

describe(`demo stack end to end on ${onEmbedded ? 'the embedded runtime, under injected faults' : 'the deployed stack of PP_STACK_OUTPUTS'}`, () => {
  it('loses nothing: in = done + dead-lettered', () => {
    expect([run.itemsIn, run.lost, run.timedOut], target.description).toStrictEqual([ITEMS, 0, false]);
    expect(run.done + run.deadLettered).toBe(ITEMS);
  });

  it('writes each order at most once in effect; an order both written and parked is a valid one, counted done', () => {
    // Two copies in flight at once (concurrent duplicates, or a batch outliving its scaled
    // visibility timeout on a busy machine): one writes, the other can fail its way to a DLQ.
    // SQS parks it by receive count before any code runs; the accounting counts it done.
    const parkedIds = new Set(parked.map((m) => JSON.parse(m.body).orderId as string));
    const both = [...parkedIds].filter((id) => written.has(id));
    expect(written.size).toBe(run.done);
    expect([both.length, parkedIds.size - both.length]).toStrictEqual([run.parkedDuplicates, run.deadLettered]);
    const numberOf = (id: string) => Number(id.slice(prefix.length));
    expect(both.filter((id) => isPoisonOrder(numberOf(id)))).toStrictEqual([]);
  });

  it('writes every valid order, on both routes, but the few redriven after failing every attempt', () => {
    const valid = numbers.filter((i) => !isPoisonOrder(i));
    const missing = valid.filter((i) => !written.has(demoOrderId(target.runId, i)));
    // P(5 failed deliveries in a row at one hop) = 0.1^5 over ≤ 4 hops, plus receives spent by
    // copies in flight at once (more of them on a busy machine): a few may be redriven, not 1%.
    expect(missing.length).toBeLessThan(valid.length / 100);
    expect(valid.filter((i) => isExpressOrder(i) && written.has(demoOrderId(target.runId, i))).length).toBeGreaterThan(0.3 * ITEMS);
    expect(valid.filter((i) => !isExpressOrder(i) && written.has(demoOrderId(target.runId, i))).length).toBeGreaterThan(0.6 * ITEMS);
  });

  it('writes no poison order', () => {
    expect(numbers.filter((i) => isPoisonOrder(i) && written.has(demoOrderId(target.runId, i)))).toStrictEqual([]);
  });

  it('parks every order with an invalid line in the DLQ of the route its shipping picked, with its reason', () => {
    const poison = parked.filter((m) => JSON.parse(m.body).lines[0].quantity === 0);
    const numberOf = (m: DeadLetter) => Number(orderIdOf(m.body)!.slice(prefix.length));
    expect(new Set(poison.map(numberOf))).toStrictEqual(new Set(numbers.filter(hasInvalidLine)));
    expect(poison.every((m) => /quantity must be an integer/.test(m.messageAttributes[MessageAttribute.errorReason]?.StringValue ?? ''))).toBe(true);
    // Physical queue names start with the logical ID: ExpressQueueDlq…, StandardValidateQueueDlq….
    expect(poison.every((m) => (isExpressOrder(numberOf(m)) ? /ExpressQueueDlq/ : /StandardValidateQueueDlq/).test(m.queueUrl))).toBe(true);
    expect(new Set(poison.map((m) => isExpressOrder(numberOf(m))))).toStrictEqual(new Set([true, false]));
  });

  it('routes an unknown shipping method to the standard chain, whose Validate stage parks it with its reason', () => {
    const unknown = parked.filter((m) => JSON.parse(m.body).shipping === 'drone');
    expect(new Set(unknown.map((m) => orderIdOf(m.body)))).toStrictEqual(new Set(numbers.filter(hasUnknownShipping).map((i) => demoOrderId(target.runId, i))));
    expect(unknown.every((m) => /StandardValidateQueueDlq/.test(m.queueUrl))).toBe(true);
    expect(unknown.every((m) => /shipping must be one of express, standard/.test(m.messageAttributes[MessageAttribute.errorReason]?.StringValue ?? ''))).toBe(true);
  });

  it('re-sending orders it already wrote adds no item and leaves each one the item of its order', { timeout: SUITE_TIMEOUT_MS }, async () => {
    const again = Array.from({ length: 200 }, (_, i) => i).filter((i) => written.has(demoOrderId(target.runId, i)));
    // A new order sent along: the wait ends only once it is written, so the re-sent ones went through too.
    const fresh = ITEMS;
    await target.send([...again, fresh].map((i) => demoOrderBody(target.runId, i)));
    const wait = await waitUntilDoneOrDeadLettered(target, prefix, { ...WAIT, minDone: written.size + 1 });
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

  it('costs what its routes cost when batched: at least the floor, batches at every mapping, far below one call per order', () => {
    // Requests as accounting/billing.ts defines them, invocations included. The floor (full
    // batches, no faults; ≈ 1.07 for this mix) is a hard minimum: a pipeline that skipped a hop
    // would cost less. How full batches are depends on the machine's load (a busy machine
    // receives smaller batches and lets more visibility timeouts expire), so the upper checks
    // do not: every mapping must carry more than one record per invocation (a per-item hop
    // carries exactly one), and the whole run must cost less than half of handling each order
    // on its own.
    expect(report!.requestsPerItem).toBeGreaterThanOrEqual(demoRequestFloor(numbers) / ITEMS);
    expect(report!.requestsPerItem).toBeLessThan(demoNaiveRequests(numbers) / ITEMS / 2);
    const perBatch = target.runtime!.pollers.filter((p) => p.stats.batches > 0).map((p) => p.stats.records / p.stats.batches);
    expect([perBatch.length, perBatch.filter((n) => !(n > 1))]).toStrictEqual([5, []]);
  });

  it('drops events of another type at the ingress mapping: no invocation, nothing written or parked', { timeout: SUITE_TIMEOUT_MS }, async () => {
    const runtime = target.runtime!;
    const ingressName = runtime.queue(target.ingressQueueUrl).name;
    const router = runtime.pollers.find((p) => p.spec.queueUrl.split('/').pop() === ingressName)!;
    const [filteredBefore, parkedBefore] = [router.stats.filteredOut, (await target.deadLetters()).length];
    const { done } = await target.progress(prefix);
    // An order sent along: the wait ends only once it is written, so the events were received too.
    await target.send([...numbers.slice(0, 20).map(stockEventBody), demoOrderBody(target.runId, ITEMS + 1)]);
    const wait = await waitUntilDoneOrDeadLettered(target, prefix, { ...WAIT, minDone: done + 1 });
    expect([wait.timedOut, wait.done, router.stats.filteredOut - filteredBefore]).toStrictEqual([false, done + 1, 20]);
    expect((await target.deadLetters()).length).toBe(parkedBefore);
  });
});
