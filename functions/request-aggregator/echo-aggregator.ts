/**
 * A built-in aggregator handler for trying the construct out: answers each request with itself
 * (`{ echo: request }`), one call per batch. Replace it with your own `aggregator({ processBatch })`.
 */
import { aggregator } from './factory';

/** Answers every request of a batch with `{ echo: request }`. */
export const handler = aggregator<unknown, { echo: unknown }>({
  processBatch: async (requests) => requests.map((request) => ({ echo: request })),
});
