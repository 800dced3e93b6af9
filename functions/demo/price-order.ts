/**
 * The standard chain's second stage: adds each order's total. In a real shop this calls a
 * pricing service, which is why the stage has its own batch size and concurrency cap.
 *
 * Its input comes only from the Validate stage (only that stage's role may send to this
 * queue), so the body is taken as the order Validate checked.
 */
import { stage } from '../stage-chain/factory';
import { priceOrder, type Order, type PricedOrder } from './order';

/** The Lambda handler (SQS event source, partial batch responses). */
export const handler = stage<Order, PricedOrder>({
  processItem: async (order) => priceOrder(order),
});
