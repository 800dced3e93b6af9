/**
 * The demo's order: its shape, strict validation, and the table item it becomes.
 *
 * Pure (no AWS SDK): the worker parses every record with {@link parseOrder}; a record that
 * fails is poison (it can never succeed) and goes to the DLQ with the reason.
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

/** An order as sent to the ingress queue. */
export interface Order {
  /** Unique order id, 1–128 characters of `A-Za-z0-9_-`; the table's partition key. */
  readonly orderId: string;
  /** The ordering customer, 1–128 characters. */
  readonly customerId: string;
  /** 1–100 lines. */
  readonly lines: readonly OrderLine[];
}

const ORDER_KEYS = ['orderId', 'customerId', 'lines'];
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
    ...stringProblem('orderId', body.orderId, /^[A-Za-z0-9_-]{1,128}$/),
    ...stringProblem('customerId', body.customerId, /^.{1,128}$/s),
    ...linesProblems(body.lines),
  ];
  if (problems.length > 0) throw new PoisonRecordError(`invalid order: ${problems.join('; ')}`);
  return body as unknown as Order;
}

/** The orders-table item of an order: deterministic, so writing it twice is harmless. */
export function toOrderItem(order: Order): Record<string, unknown> {
  const totalCents = order.lines.reduce((sum, line) => sum + line.quantity * line.unitPriceCents, 0);
  return { [DemoOrdersTable.partitionKey]: order.orderId, customerId: order.customerId, lines: order.lines, totalCents };
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
