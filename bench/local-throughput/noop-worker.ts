/**
 * The single-hop worker of the local-throughput benchmark: a work-queue handler that accepts
 * every item and does nothing else, so the hop measures the runtime (receive, invoke, partial
 * batch response, delete), not the work.
 */
import { workQueue } from '../../functions/work-queue/factory';

/** The Lambda handler. */
export const handler = workQueue<unknown, void>({ processItem: async () => undefined });
