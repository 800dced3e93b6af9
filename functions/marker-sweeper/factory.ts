/**
 * `sweeper()`: the MarkerSweeper's sweeper factory wired to DynamoDB.
 *
 * The pure factory lives in `functions/lib/marker-sweeper/handlers.ts`; this file only
 * supplies the DynamoDB flag set, so the core stays SDK-free.
 */
import { createSweeperHandler, type SweeperHandler, type SweeperOptions } from '../lib/marker-sweeper/handlers';
import { awsWiring } from './aws-wiring';

/**
 * Builds the scheduled sweeper handler around your batch processing. Each run claims up to
 * `sweepBatchSize` flags with a lease, calls `sweep` once per batch, and clears each flag
 * unless it was re-marked meanwhile (then it is swept again next run). Report keys that
 * failed in `failed` to retry just them; throw to retry the whole batch. Call it at module
 * scope and export the result:
 *
 * ```ts
 * export const handler = sweeper({
 *   sweep: async (flags, { logger }) => {
 *     await cleanRooms(flags.map((flag) => flag.key));
 *     logger.info('cleaned', { rooms: flags.length });
 *   },
 * });
 * ```
 *
 * @throws ConfigError naming every bad option or env var
 */
export function sweeper(options: SweeperOptions): SweeperHandler {
  return createSweeperHandler(options, awsWiring);
}
