/**
 * SparseTask's built-in pending-task gauge: run on a schedule, it publishes how many tasks are
 * PENDING as the `PendingTasks` metric. Settings come from the environment the construct sets.
 */
import { sparseTaskPendingGauge } from './factory';

/** The Lambda handler. */
export const handler = sparseTaskPendingGauge();
