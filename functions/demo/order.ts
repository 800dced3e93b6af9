/**
 * The demo's order: its shape, strict validation, its price, and the table item it becomes.
 *
 * Pure (no AWS SDK). Both routes of the demo pipeline (the express worker, and the standard
 * chain's Validate → Price → Store stages) build an order's item from these functions, so an
 * order writes the same item whichever way it went and however often it is re-sent. A record
 * that fails {@link parseOrder} is poison (it can never succeed) and goes to the DLQ with the reason.
 */
import { DemoOrdersTable } from '../contract';
import { PoisonRecordError } from '../lib/errors';
import { quote } from '../lib/validate';

/** One line of an order. */
export interface OrderLine {
  /** Stock keeping unit, 1–64 characters. */
  readonly sku: string;
  /** Units ordered, an integer 1–10,000. */
  readonly quantity: number;
  /** Price of one unit in cents, an integer ≥ 0 (cents avoid floating-point money). */
  readonly unitPriceCents: number;
}

/** How an order ships: the demo's splitter routes by it. */
export type Shipping = 'express' | 'standard';

/** The shipping methods an order may name. */
export const SHIPPING_METHODS: readonly Shipping[] = ['express', 'standard'];

/** The `type` of an order event: the ingress filter lets only these reach the pipeline. */
export const ORDER_EVENT_TYPE = 'order';

/** An order as sent to the ingress queue. */
export interface Order {
  /** The event type, always `order` (other events on the ingress are filtered out). */
  readonly type: typeof ORDER_EVENT_TYPE;
  /** Unique order id, 1–128 characters of `A-Za-z0-9_-`; the table's partition key. */
  readonly orderId: string;
  /** The ordering customer, 1–128 characters. */
  readonly customerId: string;
  /** `express` (written by the express worker) or `standard` (through the stage chain). */
  readonly shipping: Shipping;
  /** 1–100 lines. */
  readonly lines: readonly OrderLine[];
}

/** An order with its total: what the standard chain's Price stage hands to Store. */
export interface PricedOrder extends Order {
  /** Sum of quantity × unit price over the lines, in cents. */
  readonly totalCents: number;
}

const ORDER_KEYS = ['type', 'orderId', 'customerId', 'shipping', 'lines'];
const LINE_KEYS = ['sku', 'quantity', 'unitPriceCents'];

/**
 * Checks that `body` (the record's parsed JSON) is an {@link Order}.
 *
 * @throws PoisonRecordError listing every problem, quoting the values received
 */
export function parseOrder(body: unknown): Order {
  if (!isObject(body)) throw new PoisonRecordError(`order must be a JSON object, got ${quote(body)}`);
  const problems = [
    ...unknownKeys('order', body, ORDER_KEYS),
    ...(body.type === ORDER_EVENT_TYPE ? [] : [`type must be "${ORDER_EVENT_TYPE}", got ${quote(body.type)}`]),
    ...stringProblem('orderId', body.orderId, /^[A-Za-z0-9_-]{1,128}$/),
    ...stringProblem('customerId', body.customerId, /^.{1,128}$/s),
    ...(SHIPPING_METHODS.includes(body.shipping as Shipping) ? [] : [`shipping must be one of ${SHIPPING_METHODS.join(', ')}, got ${quote(body.shipping)}`]),
    ...linesProblems(body.lines),
  ];
  if (problems.length > 0) throw new PoisonRecordError(`invalid order: ${problems.join('; ')}`);
  return body as unknown as Order;
}

/** The order with its total (the standard chain's Price stage). */
export function priceOrder(order: Order): PricedOrder {
  const totalCents = order.lines.reduce((sum, line) => sum + line.quantity * line.unitPriceCents, 0);
  return { ...order, totalCents };
}

/**
 * The orders-table item of a priced order (the standard chain's Store stage): only the
 * order's own fields, so the item does not depend on the route or on a re-delivery.
 */
export function pricedOrderItem(order: PricedOrder): Record<string, unknown> {
  const { orderId, customerId, shipping, lines, totalCents } = order;
  return { [DemoOrdersTable.partitionKey]: orderId, customerId, shipping, lines, totalCents };
}

/** The orders-table item of an order: deterministic, so writing it twice is harmless. */
export function toOrderItem(order: Order): Record<string, unknown> {
  return pricedOrderItem(priceOrder(order));
}

function linesProblems(lines: unknown): string[] {
  if (!Array.isArray(lines) || lines.length < 1 || lines.length > 100) {
    return [`lines must be an array of 1 to 100 lines, got ${Array.isArray(lines) ? `${lines.length} lines` : quote(lines)}`];
  }
  return lines.flatMap((line: unknown, i) => {
    if (!isObject(line)) return [`lines[${i}] must be an object, got ${quote(line)}`];
    return [
      ...unknownKeys(`lines[${i}]`, line, LINE_KEYS),
      ...stringProblem(`lines[${i}].sku`, line.sku, /^.{1,64}$/s),
      ...intProblem(`lines[${i}].quantity`, line.quantity, 1, 10_000),
      ...intProblem(`lines[${i}].unitPriceCents`, line.unitPriceCents, 0, Number.MAX_SAFE_INTEGER),
    ];
  });
}

function stringProblem(name: string, value: unknown, pattern: RegExp): string[] {
  return typeof value === 'string' && pattern.test(value) ? [] : [`${name} must be a string matching ${pattern}, got ${quote(value)}`];
}

function intProblem(name: string, value: unknown, min: number, max: number): string[] {
  const ok = typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
  return ok ? [] : [`${name} must be an integer from ${min} to ${max}, got ${quote(value)}`];
}

function unknownKeys(what: string, value: Record<string, unknown>, known: readonly string[]): string[] {
  return Object.keys(value).filter((key) => !known.includes(key)).map((key) => `${what} has unknown key "${key}"`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
