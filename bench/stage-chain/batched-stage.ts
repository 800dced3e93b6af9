/**
 * The batched chain's stage handler in the stage-chain benchmark: the runtime's `stage()`,
 * marking each item with its stage name. Results go on in 10-entry batches (or 25-item
 * BatchWriteItem calls at the sink), as the chain configured.
 */
import { stage } from '../../functions/stage-chain/factory';

const stageName = process.env.BENCH_STAGE_NAME ?? 'stage';

/** The Lambda handler. */
export const handler = stage<Record<string, unknown>, Record<string, unknown>>({
  processItem: async (item) => ({ ...item, [stageName]: true }),
});
