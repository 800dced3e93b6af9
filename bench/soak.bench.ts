/**
 * `npm run bench -- soak`: orders through the demo pipeline (infra/stacks/demo-stack.ts,
 * synthesized, on the embedded local runtime) under every fault at once:
 *
 * - 10% of invocations fail before the handler runs;
 * - 5% of messages are delivered twice at every hop, half of them as two copies in flight at
 *   once (visibility expired mid-batch), half replayed after the original settled;
 * - throttling bursts: of every 500 requests a function makes to a service, the first 3 are
 *   throttled (more than the SDK's retries, so batched calls fail and are retried by the
 *   handlers and the queues);
 * - a function crash mid-batch: the Store stage's 10th invocation has its execution
 *   environment killed while it writes.
 *
 * The orders are the e2e suite's (test/e2e/targets/demo-orders.ts): 2% poison. Every figure is
 * measured: done = orders in the table; dlq = distinct orders parked and not in the table (a
 * parked copy of a written order is a duplicate, local-runtime/runtime/accounting/parked.ts);
 * lost = in − done − dlq; dup-effects = table items that are not exactly the one item their
 * order computes (an effect applied twice or mixed up) plus items of orders never sent;
 * wall-s = wall seconds from the first send until the pipeline is idle.
 *
 * Prints `bench soak: in=… done=… dlq=… lost=… dup-effects=… wall-s=…`, then the faults
 * injected and the cost. `SOAK_ITEMS` sets the orders (default 100,000).
 */
import { parseOrder, toOrderItem } from '../functions/demo/order';
import { isDeepStrictEqual } from 'node:util';
import { demoOrderBody, demoOrderPrefix, runOrders } from '../test/e2e/targets';
import { startEmbeddedDemo } from '../test/e2e/targets/embedded';

const SEED = 'soak';

/** Runs the benchmark and returns its lines. */
export async function run(): Promise<string[]> {
  const items = Number(process.env.SOAK_ITEMS ?? 100_000);
  if (!(Number.isInteger(items) && items >= 1)) throw new Error(`SOAK_ITEMS must be a positive integer, got ${process.env.SOAK_ITEMS}`);
  const target = await startEmbeddedDemo({
    timeScale: 0.05,
    faults: { seed: SEED, invocationErrorRate: 0.1, duplicateDeliveryRate: 0.05, concurrentDuplicateShare: 0.5, throttleBursts: { everyRequests: 500, burstRequests: 3 } },
  });
  try {
    const runtime = target.runtime!;
    const store = runtime.lambdas.hosts().find((h) => /Store/.test(h.spec.name));
    if (!store) throw new Error('the demo has no Store stage function');
    runtime.faults.scheduleCrash(store.spec.name, 10);
    const prefix = demoOrderPrefix(target.runId);
    const bodies = Array.from({ length: items }, (_, i) => demoOrderBody(target.runId, i));
    // A hang bound only: a soak takes as long as the machine needs.
    const result = await runOrders(target, bodies, prefix, { timeoutMs: 6 * 3_600_000, intervalMs: 1_000 });
    const wallSeconds = (Date.now() - result.startedAt) / 1000;
    const written = await target.doneItems(prefix);
    const expected = new Map(bodies.map((b) => [JSON.parse(b).orderId as string, b]));
    let dupEffects = 0;
    for (const [id, item] of written) {
      const body = expected.get(id);
      if (body === undefined || !isDeepStrictEqual(item, toOrderItem(parseOrder(JSON.parse(body))))) dupEffects++;
    }
    const report = await runtime.report({ itemsIn: items, done: result.done, deadLettered: result.deadLettered, startedAt: result.startedAt });
    const f = report.faults;
    return [
      `bench soak: in=${items} done=${result.done} dlq=${result.deadLettered} lost=${result.lost} dup-effects=${dupEffects} wall-s=${wallSeconds.toFixed(1)}`,
      `bench soak: faults failed-invocations=${f.invocationsFailed} duplicates=${f.duplicatesDelivered} (concurrent ${f.concurrentDuplicates ?? 0}) throttled=${f.requestsThrottled} crashed=${f.invocationsCrashed ?? 0}; parked-duplicates=${result.parkedDuplicates} timed-out=${result.timedOut}`,
      `bench soak: requests/item=${report.requestsPerItem.toFixed(3)} (${report.services.map((s) => `${s.service} ${s.perItem.toFixed(3)}`).join(', ')}; empty receives ${report.emptyReceives} apart)`,
    ];
  } finally {
    await target.stop();
  }
}
