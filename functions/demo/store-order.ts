/**
 * The standard chain's last stage: turns each priced order into its orders-table item. The
 * chain's table sink writes the results in 25-item BatchWriteItem calls, keyed by order id,
 * so a re-delivered order overwrites itself with the same item.
 *
 * Its input comes only from the Price stage (only that stage's role may send to this queue).
 */
import { stage } from '../stage-chain/factory';
import { pricedOrderItem, type PricedOrder } from './order';

/** The Lambda handler (SQS event source, partial batch responses). */
export const handler = stage<PricedOrder, Record<string, unknown>>({
  processItem: async (order) => pricedOrderItem(order),
});
