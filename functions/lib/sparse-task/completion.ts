/**
 * The event handler of Sparse Task: correlates a completion event with its task and moves the
 * task PENDING → SUCCEEDED | FAILED with one conditional write.
 *
 * The deadline is enforced here as well as by the timeout monitor: a completion handled at or
 * after the deadline cannot win, even when the monitor's schedule has not fired yet (EventBridge
 * Scheduler may fire up to a minute late). It times the task out itself and is kept as LATE.
 * That is also how a Step Functions `.waitForTaskToken` task treats a late `SendTaskSuccess`.
 */
import { CorrelationMismatchError, TaskStoreInconsistencyError, UnknownTaskError } from '../errors';
import { runFinishEffects, type TerminalMoveDeps } from './finish-effects';
import type { CompletionStatus, LoserKind, TaskError, TaskRecord } from './types';

/** A completion reported by the external system (or by a poller acting for it). */
export interface TaskCompletionEvent {
  /** The task it completes. */
  readonly taskId: string;
  /** Its outcome. */
  readonly status: CompletionStatus;
  /** Identifies this report: redeliveries of it share the id, a second report has another. */
  readonly eventId: string;
  /** Result of a SUCCEEDED task. @default - none */
  readonly result?: unknown;
  /** Error of a FAILED task. @default - none */
  readonly error?: TaskError;
  /** The correlation id handed to `start`; checked when present. @default - not checked */
  readonly correlationId?: string;
}

/** What handling one completion did. */
export type CompletionOutcome =
  /** This event won: the task is SUCCEEDED or FAILED, downstream was told. */
  | { readonly kind: 'FINISHED'; readonly record: TaskRecord }
  /** This event had already won (a redelivery): the side effects ran again. */
  | { readonly kind: 'REPLAYED'; readonly record: TaskRecord }
  /** The event came at or after the deadline: the task is TIMED_OUT, the event kept as LATE. */
  | { readonly kind: 'TIMED_OUT'; readonly record: TaskRecord }
  /** Another writer had won: this event was recorded as a loser and changed nothing else. */
  | { readonly kind: 'LOST'; readonly record: TaskRecord; readonly loser: LoserKind };

/** The collaborators of {@link SparseTaskCompletions}: store, scheduler, sink, metrics and clock. */
export type SparseTaskCompletionsDeps = TerminalMoveDeps;

/** Handles completion events; safe to call any number of times with the same event. */
export class SparseTaskCompletions {
  /** @param deps store, scheduler, sink, metrics and clock */
  constructor(private readonly deps: SparseTaskCompletionsDeps) {}

  /**
   * Applies one completion event.
   *
   * @throws UnknownTaskError (poison) when no record has the event's task id
   * @throws CorrelationMismatchError (poison) when the event's correlation id is not the task's
   */
  async handle(event: TaskCompletionEvent): Promise<CompletionOutcome> {
    const now = this.deps.clock.now();
    const finish = { status: event.status, reason: 'COMPLETED', at: now, by: event.eventId, result: event.result, error: event.error } as const;
    const attempt = await this.deps.store.finish(event.taskId, finish, { before: now, correlationId: event.correlationId });
    if (attempt.won) {
      await runFinishEffects(this.deps, attempt.record, { cancelSchedule: true, firstTime: true });
      return { kind: 'FINISHED', record: attempt.record };
    }
    const current = this.check(event, attempt.record);
    if (current.status === 'PENDING') return this.timeOut(event, current, now);
    return this.resolveFinished(event, current, now);
  }

  /** The refused write's record, or the poison error explaining why there is none to update. */
  private check(event: TaskCompletionEvent, record: TaskRecord | undefined): TaskRecord {
    if (record === undefined) throw new UnknownTaskError(event.taskId);
    if (event.correlationId !== undefined && event.correlationId !== record.correlationId) {
      throw new CorrelationMismatchError(event.taskId, event.correlationId);
    }
    return record;
  }

  /** PENDING past its deadline: this late event times the task out, unless the monitor just did. */
  private async timeOut(event: TaskCompletionEvent, current: TaskRecord, now: number): Promise<CompletionOutcome> {
    if (current.deadline > now) {
      throw new TaskStoreInconsistencyError(`Task ${JSON.stringify(event.taskId)} is PENDING before its deadline but refused the completion`);
    }
    const attempt = await this.deps.store.finish(event.taskId, { status: 'TIMED_OUT', reason: 'DEADLINE', at: now, by: event.eventId });
    if (!attempt.won) return this.resolveFinished(event, this.check(event, attempt.record), now);
    await this.deps.store.recordLoser(event.taskId, event.eventId, { kind: 'LATE', status: event.status, at: now });
    this.deps.metrics.lost('LATE');
    await runFinishEffects(this.deps, attempt.record, { cancelSchedule: true, firstTime: true });
    return { kind: 'TIMED_OUT', record: attempt.record };
  }

  /** The task is terminal: replay when this event won it, otherwise record this event as a loser. */
  private async resolveFinished(event: TaskCompletionEvent, current: TaskRecord, now: number): Promise<CompletionOutcome> {
    if (current.finishedBy === event.eventId) {
      if (current.reason === 'DEADLINE') {
        // This event timed the task out on an earlier delivery; make sure it is also kept as LATE.
        await this.deps.store.recordLoser(event.taskId, event.eventId, { kind: 'LATE', status: event.status, at: now });
      }
      await runFinishEffects(this.deps, current, { cancelSchedule: true, firstTime: false });
      return { kind: current.reason === 'DEADLINE' ? 'TIMED_OUT' : 'REPLAYED', record: current };
    }
    const kind: LoserKind = current.status === 'TIMED_OUT' ? 'LATE' : 'DUPLICATE';
    const recorded = await this.deps.store.recordLoser(event.taskId, event.eventId, { kind, status: event.status, at: now });
    if (recorded) this.deps.metrics.lost(kind);
    return { kind: 'LOST', record: current, loser: kind };
  }
}
