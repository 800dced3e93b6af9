/**
 * Sparse Task: the task record, its events, and the small interfaces the core talks to.
 *
 * A long-running task is split into short pieces that never wait: the submitter writes a
 * PENDING record and arms a one-time timeout schedule, the completion handler moves the record
 * to SUCCEEDED or FAILED when the external system reports back, and the timeout monitor moves it
 * to TIMED_OUT when the deadline passes first. Every move is one conditional write on the record,
 * so exactly one terminal state wins; the pieces share no memory, only the {@link TaskStore}.
 */

/** Where a task is in its life: PENDING until exactly one terminal state wins. */
export type TaskStatus = 'PENDING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT';

/** The statuses a task can end in. */
export type TerminalStatus = Exclude<TaskStatus, 'PENDING'>;

/** The statuses an external completion event can report. */
export type CompletionStatus = 'SUCCEEDED' | 'FAILED';

/** Why a task ended as it did. */
export type FinishReason =
  /** The external system reported the outcome before the deadline. */
  | 'COMPLETED'
  /** The deadline passed first (noticed by the timeout monitor or by a late completion). */
  | 'DEADLINE'
  /** The user's `start` threw, so the external work never began. */
  | 'START_FAILED';

/** How a losing writer was recorded on the task: it never overwrites the winner. */
export type LoserKind =
  /** A completion that arrived at or after the deadline, or after the task timed out. */
  | 'LATE'
  /** A second completion for a task another completion already finished. */
  | 'DUPLICATE'
  /** The timeout monitor fired for a task that had already finished. */
  | 'STALE_TIMEOUT';

/** An error reported by the external system or by `start`: data, not an `Error` instance. */
export interface TaskError {
  /** A short machine-readable code, e.g. the error's name. */
  readonly code: string;
  /** A human-readable message. */
  readonly message: string;
}

/** A write that lost the race, kept on the record for audit. */
export interface LoserRecord {
  /** What kind of loser it was. */
  readonly kind: LoserKind;
  /** The status it tried to set. */
  readonly status: TerminalStatus;
  /** When it was handled, epoch ms. */
  readonly at: number;
}

/** The task's one record: all Sparse Task state lives here, none in a worker's memory. */
export interface TaskRecord {
  /** The caller's id of the task; the submission's idempotency key. */
  readonly taskId: string;
  /** The current status. */
  readonly status: TaskStatus;
  /** An id handed to `start` that the external system may echo back; checked when it does. */
  readonly correlationId: string;
  /** When the submitter accepted the task, epoch ms. */
  readonly submittedAt: number;
  /** When the task times out, epoch ms: a completion must be handled strictly before it. */
  readonly deadline: number;
  /** Name of the one-time schedule that fires the timeout monitor. */
  readonly scheduleName: string;
  /** The id the external system gave the work, when `start` returned one (for pollers). */
  readonly externalId?: string;
  /** When the task reached its terminal status, epoch ms. */
  readonly finishedAt?: number;
  /** Id of the event whose write won (a completion event id, or the monitor's id). */
  readonly finishedBy?: string;
  /** Why the task ended as it did. */
  readonly reason?: FinishReason;
  /** The result reported with SUCCEEDED. */
  readonly result?: unknown;
  /** The error reported with FAILED. */
  readonly error?: TaskError;
  /** Losing writes by event id (capped at {@link MAX_RECORDED_LOSERS} entries). */
  readonly losers: Readonly<Record<string, LoserRecord>>;
  /** How many losing writes were recorded, including those past the cap. */
  readonly loserCount: number;
}

/** The most losing writes one record keeps individually, so a noisy sender cannot grow it past 400 KB. */
export const MAX_RECORDED_LOSERS = 20;

/** A terminal move: what the winner writes in its one conditional update. */
export interface Finish {
  /** The terminal status. */
  readonly status: TerminalStatus;
  /** Why. */
  readonly reason: FinishReason;
  /** When, epoch ms. */
  readonly at: number;
  /** The id of the event making the move (recorded as `finishedBy`). */
  readonly by: string;
  /** Result of a SUCCEEDED task. @default - none */
  readonly result?: unknown;
  /** Error of a FAILED task. @default - none */
  readonly error?: TaskError;
}

/** Extra conditions of a terminal move, on top of "the task is PENDING". */
export interface FinishGuard {
  /** Only move if the deadline is later than this time (epoch ms). @default - no deadline check */
  readonly before?: number;
  /** Only move if the record's correlation id equals this. @default - no correlation check */
  readonly correlationId?: string;
}

/** The outcome of a terminal move: the winner gets the new record, a loser the current one. */
export type FinishResult =
  | { readonly won: true; readonly record: TaskRecord }
  | { readonly won: false; readonly record: TaskRecord | undefined };

/** The outcome of a conditional create. */
export type CreateResult =
  | { readonly created: true }
  | { readonly created: false; readonly existing: TaskRecord };

/**
 * Durable, shared task state. Every method is one conditional write or one read, so every
 * piece of the pattern is idempotent and two writers can never both move a task out of PENDING.
 */
export interface TaskStore {
  /** Writes a new record unless one with its task id exists (then returns that one). */
  create(record: TaskRecord): Promise<CreateResult>;
  /** Reads a record (strongly consistent). */
  get(taskId: string): Promise<TaskRecord | undefined>;
  /** Moves a PENDING task (passing `guard`) to a terminal status; a loser gets the current record. */
  finish(taskId: string, finish: Finish, guard?: FinishGuard): Promise<FinishResult>;
  /**
   * Records a losing write under `eventId` unless that id is already recorded. Past the cap of
   * {@link MAX_RECORDED_LOSERS} only `loserCount` grows.
   *
   * @returns true when this call recorded it, false when it was already there
   */
  recordLoser(taskId: string, eventId: string, loser: LoserRecord): Promise<boolean>;
  /** Stores the external system's id of a task (only while the record exists). */
  setExternalId(taskId: string, externalId: string): Promise<void>;
  /** How many tasks are PENDING right now. */
  countPending(): Promise<number>;
}

/** The input a timeout schedule delivers to the timeout monitor. */
export interface TimeoutPayload {
  /** The task to time out. */
  readonly taskId: string;
}

/** A one-time schedule request. */
export interface TimeoutSchedule {
  /** The schedule's name: deterministic per task, so re-arming is idempotent. */
  readonly name: string;
  /** When it should fire, epoch ms (the adapter may round up, never down). */
  readonly at: number;
  /** What the monitor receives. */
  readonly payload: TimeoutPayload;
}

/** The outcome of arming a schedule. */
export interface ArmResult {
  /** False when a schedule of that name already existed (it was kept, not replaced). */
  readonly created: boolean;
  /** When the schedule fires, epoch ms: the existing one's time when it already existed. */
  readonly at: number;
}

/**
 * One-time timeout schedules that delete themselves after firing (EventBridge Scheduler `at()`
 * with ActionAfterCompletion DELETE). Both methods are idempotent.
 */
export interface TimeoutScheduler {
  /** Creates the schedule unless one of that name exists (then reports the existing one). */
  arm(schedule: TimeoutSchedule): Promise<ArmResult>;
  /** Deletes a schedule; a schedule that is already gone is fine. */
  cancel(name: string): Promise<void>;
}

/** The event downstream receives when a task ends (at least once; dedupe by `eventId`). */
export interface TaskFinishedEvent {
  /** Always `sparse-task.finished`. */
  readonly type: 'sparse-task.finished';
  /** Deterministic per task and outcome (`<taskId>:<status>`), for downstream deduplication. */
  readonly eventId: string;
  /** The task. */
  readonly taskId: string;
  /** Its correlation id. */
  readonly correlationId: string;
  /** Its terminal status. */
  readonly status: TerminalStatus;
  /** Why it ended. */
  readonly reason: FinishReason;
  /** When it was submitted, epoch ms. */
  readonly submittedAt: number;
  /** When it ended, epoch ms. */
  readonly finishedAt: number;
  /** finishedAt − submittedAt, in ms. */
  readonly latencyMs: number;
  /** Result of a SUCCEEDED task. @default - none */
  readonly result?: unknown;
  /** Error of a FAILED task. @default - none */
  readonly error?: TaskError;
}

/** Where task-finished events go (a queue or an event bus). */
export interface EventSink {
  /** Delivers one event; throws when it could not (the caller's retry re-emits it). */
  emit(event: TaskFinishedEvent): Promise<void>;
}

/** The core's time source, shared with the scheduled patterns. */
export { systemClock, type Clock } from '../clock';

/** What the core reports to metrics (EMF in the handlers, a recorder in tests). */
export interface SparseTaskMetrics {
  /** A task was accepted and started. */
  submitted(): void;
  /** A task reached a terminal status, `latencyMs` after it was submitted. */
  finished(status: TerminalStatus, latencyMs: number): void;
  /** A losing write was recorded. */
  lost(kind: LoserKind): void;
}
