/**
 * The demo's order core (functions/demo/order.ts): strict validation of the fields the
 * pipeline routes and filters by, and one table item per order whichever route it took.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PoisonRecordError } from '../../functions/lib/errors';
import { parseOrder, priceOrder, pricedOrderItem, toOrderItem, type Order } from '../../functions/demo/order';

const order = (overrides: Record<string, unknown> = {}) => ({
  type: 'order',
  orderId: 'o-1',
  customerId: 'c-1',
  shipping: 'express',
  lines: [{ sku: 'A', quantity: 2, unitPriceCents: 150 }, { sku: 'B', quantity: 1, unitPriceCents: 99 }],
  ...overrides,
});

describe('parseOrder', () => {
  it('accepts an order of either shipping method as it is', () => {
    for (const shipping of ['express', 'standard']) expect(parseOrder(order({ shipping }))).toStrictEqual(order({ shipping }));
  });

  it('rejects an unknown or missing shipping method as poison, quoting the value', () => {
    expect(() => parseOrder(order({ shipping: 'drone' }))).toThrow(PoisonRecordError);
    expect(() => parseOrder(order({ shipping: 'drone' }))).toThrow(/shipping must be one of express, standard, got "drone"/);
    const { shipping: _, ...withoutShipping } = order();
    expect(() => parseOrder(withoutShipping)).toThrow(/shipping must be one of express, standard, got undefined/);
  });

  it('rejects an event that is not an order, naming every problem at once', () => {
    expect(() => parseOrder(order({ type: 'stock', shipping: 'drone' }))).toThrow(/type must be "order", got "stock"; .*shipping must be one of/);
  });
});

describe('pricing and the table item', () => {
  it('totals quantity × unit price over the lines, in cents', () => {
    expect(priceOrder(order() as Order).totalCents).toBe(2 * 150 + 99);
  });

  it('keeps only the order\'s own fields in the item, keyed by order id', () => {
    expect(toOrderItem(order() as Order)).toStrictEqual({ orderId: 'o-1', customerId: 'c-1', shipping: 'express', lines: order().lines, totalCents: 399 });
  });

  it('writes the same item on the express route and through the JSON hops of the standard chain', () => {
    const line = fc.record({ sku: fc.string({ minLength: 1, maxLength: 64 }), quantity: fc.integer({ min: 1, max: 10_000 }), unitPriceCents: fc.integer({ min: 0, max: 1_000_000 }) }, { noNullPrototype: true });
    const orders = fc.record({
      type: fc.constant('order' as const),
      orderId: fc.stringMatching(/^[A-Za-z0-9_-]{1,128}$/),
      customerId: fc.string({ minLength: 1, maxLength: 128 }),
      shipping: fc.constantFrom('express' as const, 'standard' as const),
      lines: fc.array(line, { minLength: 1, maxLength: 100 }),
    }, { noNullPrototype: true });
    fc.assert(fc.property(orders, (o) => {
      const hop = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
      const chained = pricedOrderItem(hop(priceOrder(hop(parseOrder(hop(o))))));
      expect(chained).toStrictEqual(toOrderItem(parseOrder(o)));
    }));
  });
});
