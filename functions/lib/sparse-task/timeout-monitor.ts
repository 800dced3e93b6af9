/**
 * The timeout monitor of Sparse Task: fired once by the task's one-time schedule at the
 * deadline, it moves a still-PENDING task to TIMED_OUT with one conditional write.
 *
 * It keeps no state of its own and survives restarts: the schedule is durable (EventBridge
 * Scheduler) and everything it decides on is in the task record. When the task already finished
 * (the cancel raced the schedule firing), it records itself as a STALE_TIMEOUT loser and stops.
 */
import { runFinishEffects, type TerminalMoveDeps } from './finish-effects';
import { MONITOR_EVENT_ID } from './names';
import type { TaskRecord, TimeoutPayload } from './types';

/** What one firing of the monitor did. */
export type TimeoutOutcome =
  /** The task was PENDING: it is TIMED_OUT now and downstream was told. */
  | { readonly kind: 'TIMED_OUT'; readonly record: TaskRecord }
  /** The monitor had already timed the task out (a retried firing): the side effects ran again. */
  | { readonly kind: 'REPLAYED'; readonly record: TaskRecord }
  /** The task had already finished: the firing was recorded as STALE_TIMEOUT, nothing changed. */
  | { readonly kind: 'ALREADY_FINISHED'; readonly record: TaskRecord }
  /** No record: an orphan schedule of a submission that never wrote one, or an expired record. */
  | { readonly kind: 'NO_TASK' };

/** The collaborators of {@link SparseTaskTimeoutMonitor}: store, scheduler, sink, metrics and clock. */
export type SparseTaskTimeoutMonitorDeps = TerminalMoveDeps;

/** Handles timeout schedule firings; safe to call any number of times for the same task. */
export class SparseTaskTimeoutMonitor {
  /** @param deps store, scheduler, sink, metrics and clock */
  constructor(private readonly deps: SparseTaskTimeoutMonitorDeps) {}

  /** Times out the payload's task if it is still PENDING. */
  async fire(payload: TimeoutPayload): Promise<TimeoutOutcome> {
    const now = this.deps.clock.now();
    const attempt = await this.deps.store.finish(payload.taskId, { status: 'TIMED_OUT', reason: 'DEADLINE', at: now, by: MONITOR_EVENT_ID });
    // The schedule deletes itself after this invocation (ActionAfterCompletion DELETE): no cancel.
    const effects = { cancelSchedule: false } as const;
    if (attempt.won) {
      await runFinishEffects(this.deps, attempt.record, { ...effects, firstTime: true });
      return { kind: 'TIMED_OUT', record: attempt.record };
    }
    const current = attempt.record;
    if (current === undefined) return { kind: 'NO_TASK' };
    if (current.finishedBy === MONITOR_EVENT_ID) {
      await runFinishEffects(this.deps, current, { ...effects, firstTime: false });
      return { kind: 'REPLAYED', record: current };
    }
    const recorded = await this.deps.store.recordLoser(payload.taskId, MONITOR_EVENT_ID, { kind: 'STALE_TIMEOUT', status: 'TIMED_OUT', at: now });
    if (recorded) this.deps.metrics.lost('STALE_TIMEOUT');
    return { kind: 'ALREADY_FINISHED', record: current };
  }
}
