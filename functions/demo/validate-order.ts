/**
 * The standard chain's first stage: checks each order strictly and passes it on unchanged.
 *
 * An invalid order (a bad line, an unknown shipping method the splitter sent here by default)
 * is poison: `stage()` sends it to this stage's DLQ with the reason, without retries.
 */
import { stage } from '../stage-chain/factory';
import { parseOrder, type Order } from './order';

/** The Lambda handler (SQS event source, partial batch responses). */
export const handler = stage<Order, Order>({
  parse: (body) => parseOrder(body),
  processItem: async (order) => order,
});
