/**
 * What follows a won terminal move: cancel the timeout schedule, tell downstream, measure.
 *
 * Each step is idempotent (cancelling a gone schedule is fine, the event id is deterministic),
 * so a handler that crashed half-way and is retried by its queue or scheduler simply runs all
 * of them again: the record remembers who won (`finishedBy`), and that writer replays.
 */
import { finishedEventId } from './names';
import type { Clock, EventSink, SparseTaskMetrics, TaskFinishedEvent, TaskRecord, TaskStore, TerminalStatus, TimeoutScheduler } from './types';

/** The collaborators of {@link runFinishEffects}. */
export interface FinishEffectsDeps {
  /** Cancels the task's timeout schedule. */
  readonly scheduler: TimeoutScheduler;
  /** Receives the finished event. */
  readonly sink: EventSink;
  /** Measures latency per terminal status. */
  readonly metrics: SparseTaskMetrics;
}

/** The collaborators of every piece that moves a task to a terminal status (completion handler, monitor, submitter). */
export interface TerminalMoveDeps extends FinishEffectsDeps {
  /** The task records. */
  readonly store: TaskStore;
  /** The time source. */
  readonly clock: Clock;
}

/** How {@link runFinishEffects} runs. */
export interface FinishEffectsOptions {
  /** False for the timeout monitor: its one-time schedule deletes itself after firing. */
  readonly cancelSchedule: boolean;
  /** False on a replay, so a retried winner does not count the task twice. */
  readonly firstTime: boolean;
}

/**
 * Runs the side effects of a terminal record: the schedule is cancelled before the event goes
 * out, so a consumer reacting to the event never sees a live timeout for a finished task.
 * The latency is measured once, by the first run of the winner.
 *
 * @param record the record as the winning write left it (terminal)
 */
export async function runFinishEffects(deps: FinishEffectsDeps, record: TaskRecord, options: FinishEffectsOptions): Promise<TaskFinishedEvent> {
  const event = finishedEvent(record);
  // Measured first: a cancel or emit that throws is retried as a replay, which does not measure.
  if (options.firstTime) deps.metrics.finished(event.status, event.latencyMs);
  if (options.cancelSchedule) await deps.scheduler.cancel(record.scheduleName);
  await deps.sink.emit(event);
  return event;
}

/** The downstream event of a terminal record. */
export function finishedEvent(record: TaskRecord): TaskFinishedEvent {
  const status = record.status as TerminalStatus;
  const finishedAt = record.finishedAt ?? record.submittedAt;
  return {
    type: 'sparse-task.finished',
    eventId: finishedEventId(record.taskId, status),
    taskId: record.taskId,
    correlationId: record.correlationId,
    status,
    reason: record.reason ?? 'COMPLETED',
    submittedAt: record.submittedAt,
    finishedAt,
    latencyMs: finishedAt - record.submittedAt,
    ...(record.result === undefined ? {} : { result: record.result }),
    ...(record.error === undefined ? {} : { error: record.error }),
  };
}
