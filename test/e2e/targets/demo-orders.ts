/**
 * The orders the demo's end-to-end tests send: deterministic bodies numbered per run. Every
 * third order ships express; one in a hundred has an invalid line and one in a hundred names
 * an unknown shipping method (the splitter sends it down the default route, where the
 * standard chain's Validate stage rejects it) — both poison.
 */
import { ORDER_EVENT_TYPE } from '../../../functions/demo/order';

/** Whether order number `i` has a zero quantity, which validation rejects (1 in 100). */
export function hasInvalidLine(i: number): boolean {
  return i % 100 === 42;
}

/** Whether order number `i` names a shipping method no route claims (1 in 100). */
export function hasUnknownShipping(i: number): boolean {
  return i % 100 === 77;
}

/** Whether order number `i` is poison (2 in 100: an invalid line or an unknown shipping method). */
export function isPoisonOrder(i: number): boolean {
  return hasInvalidLine(i) || hasUnknownShipping(i);
}

/** The shipping method order number `i` names: every third `express`, 1 in 100 unknown, else `standard`. */
export function shippingOf(i: number): string {
  if (hasUnknownShipping(i)) return 'drone';
  return i % 3 === 0 ? 'express' : 'standard';
}

/** Whether order number `i` takes the splitter's express route (poison or not). */
export function isExpressOrder(i: number): boolean {
  return shippingOf(i) === 'express';
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
  const lines = [{ sku: `SKU-${i % 97}`, quantity: hasInvalidLine(i) ? 0 : 1 + (i % 5), unitPriceCents: 250 }];
  return JSON.stringify({ type: ORDER_EVENT_TYPE, orderId: demoOrderId(runId, i), customerId: `customer-${i % 113}`, shipping: shippingOf(i), lines });
}

/** The body of event number `i` of another type on the ingress (a stock update), which the ingress filter drops. */
export function stockEventBody(i: number): string {
  return JSON.stringify({ type: 'stock', sku: `SKU-${i % 97}`, available: i });
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
