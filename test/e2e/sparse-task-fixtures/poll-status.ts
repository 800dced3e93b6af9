/**
 * Status function of the RollingPoller that notifies the polled Sparse Task: a job is done once
 * it has been checked `data.doneAfter` times, FAILED when `data.fail` is set.
 */
import { poller } from '../../../functions/rolling-poller/factory';

/** The Lambda handler. */
export const handler = poller({ checkStatus: async (items) =>
  items.map((item) => {
    const data = (item.data ?? {}) as { doneAfter?: number; fail?: boolean };
    if (item.polls + 1 < (data.doneAfter ?? 1)) return { id: item.id, state: 'pending' as const, status: 'RUNNING' };
    return { id: item.id, state: 'done' as const, status: data.fail ? 'FAILED' : 'SUCCEEDED', result: { polls: item.polls + 1 } };
  }) });
