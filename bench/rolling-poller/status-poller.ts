/** The bench RollingPoller's status function: one call of the status API per window. */
import { poller } from '../../functions/rolling-poller/factory';
import { checkJobs } from './status-api';

/** The Lambda handler. */
export const handler = poller({
  checkStatus: async (items) => checkJobs(items).map(({ id, done }) => (done ? { id, state: 'done' as const, status: 'SUCCEEDED' } : { id, state: 'pending' as const, status: 'RUNNING' })),
});
