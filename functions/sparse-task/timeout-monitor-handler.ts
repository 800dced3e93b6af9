/**
 * SparseTask's built-in timeout monitor: the target of every one-time timeout schedule; moves a
 * task still PENDING at its deadline to TIMED_OUT. Settings come from the environment the
 * construct sets (`SparseTaskEnv` in the contract).
 */
import { sparseTaskTimeoutMonitor } from './factory';

/** The Lambda handler. */
export const handler = sparseTaskTimeoutMonitor();
