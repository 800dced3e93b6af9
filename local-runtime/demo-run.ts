/**
 * One run of the demo pipeline on a booted local runtime, as `npm start` does it (and the
 * local-throughput bench measures it): `items` valid orders (every third one express) sent to
 * the orders ingress, done = items in the orders table, dead-lettered = distinct orders parked
 * and not in the table (a parked copy of a written order is a duplicate, not a loss).
 */
import { DemoOrdersTable, DemoOutput } from '../functions/contract';
import { ORDER_EVENT_TYPE, type Shipping } from '../functions/demo/order';
import { keysInTable, splitParked } from './runtime/accounting/parked';
import { runToCompletion, type RunResult } from './runtime/driver/run-to-completion';
import type { ProgressReporter } from './runtime/driver/progress';
import type { LocalRuntime } from './runtime/local-runtime';

/** A valid demo order (see functions/demo/order.ts): every third one ships express. */
export function demoOrder(i: number): string {
  const lines = [{ sku: `SKU-${i % 97}`, quantity: 1 + (i % 5), unitPriceCents: 100 + (i % 1000) }];
  const shipping: Shipping = i % 3 === 0 ? 'express' : 'standard';
  return JSON.stringify({ type: ORDER_EVENT_TYPE, orderId: `order-${String(i).padStart(7, '0')}`, customerId: `customer-${i % 113}`, shipping, lines });
}

/** The order id of a parked body, if it has one. */
function orderIdOf(body: string): string | undefined {
  try {
    const id = (JSON.parse(body) as { orderId?: unknown }).orderId;
    return typeof id === 'string' ? id : body;
  } catch {
    return body;
  }
}

/** Options of {@link runDemo}. */
export interface DemoRunOptions {
  /** Orders to send. */
  readonly items: number;
  /** Give up waiting after this many seconds. */
  readonly timeoutSeconds: number;
  /** Where progress goes. @default - a ProgressReporter on stderr */
  readonly progress?: ProgressReporter;
}

/**
 * Sends the orders, waits until each is done or parked, and reports.
 *
 * @param runtime a runtime booted on the demo app's assembly
 */
export async function runDemo(runtime: LocalRuntime, options: DemoRunOptions): Promise<RunResult> {
  const table = runtime.output(DemoOutput.ordersTableName);
  return runToCompletion({
    runtime,
    queueUrl: runtime.queue(DemoOutput.ordersQueueUrl).url,
    bodies: Array.from({ length: options.items }, (_, i) => demoOrder(i)),
    countDone: () => runtime.dynamodb.count(table),
    // A parked copy of an order already written is a duplicate, not a loss (accounting/parked.ts).
    countDeadLettered: async () => {
      const parked = (await runtime.deadLetterMessages()).map((m) => orderIdOf(m.body));
      return (await splitParked(parked, (keys) => keysInTable(runtime.dynamodb.port, table, DemoOrdersTable.partitionKey, keys.filter((k) => /^[A-Za-z0-9_-]{1,128}$/.test(k))))).notDone;
    },
    timeoutSeconds: options.timeoutSeconds,
    progress: options.progress,
  });
}
