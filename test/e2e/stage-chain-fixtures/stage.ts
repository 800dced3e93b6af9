/**
 * The stage handler of the end-to-end pipeline and the stage-chain benchmark: marks each item
 * as seen by its stage and, for the end-to-end test, injects deterministic faults by item
 * number (`E2E_FAULTS`, JSON): poison items (straight to the DLQ), permanent failures (every
 * receive fails, so the queue's redrive moves them) and transient failures (the first receive
 * fails, the retry succeeds).
 */
import { PoisonRecordError } from '../../../functions/lib/errors';
import { stage } from '../../../functions/stage-chain/factory';

/** Which item numbers fail at this stage: `n % modulus === remainder`. */
interface FaultRule {
  readonly modulus: number;
  readonly remainder: number;
}

/** The faults of one stage. */
export interface StageFaults {
  readonly poison?: FaultRule;
  readonly permanent?: FaultRule;
  readonly transient?: FaultRule;
}

/** A pipeline item. */
export interface PipelineItem {
  readonly id: string;
  readonly n: number;
  readonly [field: string]: unknown;
}

const stageName = process.env.E2E_STAGE_NAME ?? 'stage';
const faults = JSON.parse(process.env.E2E_FAULTS ?? '{}') as StageFaults;
const hits = (rule: FaultRule | undefined, n: number): boolean => rule !== undefined && n % rule.modulus === rule.remainder;

/** The Lambda handler. */
export const handler = stage<PipelineItem, PipelineItem>({
  processItem: async (item, { receiveCount }) => {
    if (hits(faults.poison, item.n)) throw new PoisonRecordError(`item ${item.n} is poison at ${stageName}`);
    if (hits(faults.permanent, item.n)) throw new Error(`item ${item.n} always fails at ${stageName}`);
    if (hits(faults.transient, item.n) && receiveCount === 1) throw new Error(`item ${item.n} fails once at ${stageName}`);
    return { ...item, [stageName]: true };
  },
});
