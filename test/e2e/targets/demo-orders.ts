/**
 * The orders the demo's end-to-end tests send: deterministic bodies numbered per run, one in a
 * hundred of them poison.
 */

/** Whether order number `i` is poison (1 in 100). */
export function isPoisonOrder(i: number): boolean {
  return i % 100 === 42;
}

/** What every order id of a run starts with. */
export function demoOrderPrefix(runId: string): string {
  return `order-${runId}-`;
}

/** The id of order number `i` of a run. */
export function demoOrderId(runId: string, i: number): string {
  return `${demoOrderPrefix(runId)}${i}`;
}

/** The message body of order number `i` of a run. */
export function demoOrderBody(runId: string, i: number): string {
  // A poison order has a zero quantity, which the demo's validation rejects.
  const lines = [{ sku: `SKU-${i % 97}`, quantity: isPoisonOrder(i) ? 0 : 1 + (i % 5), unitPriceCents: 250 }];
  return JSON.stringify({ orderId: demoOrderId(runId, i), customerId: `customer-${i % 113}`, lines });
}

/** The `orderId` of a message body, or undefined when the body is not an order. */
export function orderIdOf(body: string): string | undefined {
  try {
    const id = (JSON.parse(body) as { orderId?: unknown } | null)?.orderId;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}
