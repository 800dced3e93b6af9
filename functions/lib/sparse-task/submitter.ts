/**
 * The submitter of Sparse Task: accepts a task, arms its timeout monitor, claims it with one
 * conditional write, and only then calls the user's `start` — so a re-submitted task id never
 * starts twice, and a started task always has a monitor.
 *
 * Order, and what a crash at each point leaves behind (the submission is retried by its queue):
 * 1. arm the one-time schedule (named after the task id: re-arming finds the existing one and
 *    adopts its time as the deadline); crash → retry re-arms the same schedule;
 * 2. create the PENDING record unless the task id exists; crash → retry creates it;
 * 3. call `start`; crash after 2 → the retry sees the record and does not start again
 *    (at-most-once start), and the monitor times the task out at the deadline if no completion
 *    ever comes. Make `start` idempotent on `taskId` when the external system allows it.
 *
 * What a throwing `start` means depends on the error. A retryable one (a throttle, a 5xx, a
 * network timeout) is retried with backoff up to `startMaxAttempts`; if it still throws, nobody
 * knows whether the work started, so the task stays PENDING with its monitor armed: a real
 * completion wins, and otherwise the task times out at its deadline (START_UNCERTAIN). Any other
 * error is a refusal: the task is FAILED (START_FAILED) at once.
 */
import { randomUUID } from 'node:crypto';
import { ConfigError, TaskStoreInconsistencyError } from '../errors';
import { isRetryableError, withRetry, type BackoffOptions } from '../retry';
import { collect, intRangeViolation } from '../validate';
import { runFinishEffects, type TerminalMoveDeps } from './finish-effects';
import { scheduleNameFor, SUBMITTER_EVENT_ID } from './names';
import type { TaskRecord } from './types';
import { timeoutViolation } from './timeouts';

/** A task to submit. */
export interface TaskSubmission<I = unknown> {
  /** The caller's id of the task: submitting it again is a no-op. */
  readonly taskId: string;
  /** What `start` needs to kick off the work. @default - none */
  readonly input?: I;
  /** How long the task may take, in ms. @default - the submitter's default timeout */
  readonly timeoutMs?: number;
  /** An id the external system echoes with its completion. @default - a random UUID */
  readonly correlationId?: string;
}

/** What `start` is given. */
export interface StartContext<I = unknown> {
  /** The task id: pass it on as the external system's idempotency key when it has one. */
  readonly taskId: string;
  /** The correlation id the completion may carry back. */
  readonly correlationId: string;
  /** The deadline, epoch ms. */
  readonly deadline: number;
  /** The submission's input. */
  readonly input: I | undefined;
}

/** What `start` may return. */
export interface StartResult {
  /** The external system's id of the work, kept on the record (a batch poller polls by it). */
  readonly externalId?: string;
}

/** The user's code that kicks off the external work; it must not wait for it to finish. */
export type StartFn<I = unknown> = (task: StartContext<I>) => Promise<StartResult | void>;

/** What one submission did. */
export type SubmitOutcome =
  /** The task was new: it is PENDING, its monitor armed, `start` called. */
  | { readonly kind: 'STARTED'; readonly record: TaskRecord }
  /** The task id was known: nothing was started. */
  | { readonly kind: 'DUPLICATE'; readonly record: TaskRecord }
  /** `start` refused the task (a non-retryable error): it is FAILED (reason START_FAILED) and downstream was told. */
  | { readonly kind: 'START_FAILED'; readonly record: TaskRecord }
  /**
   * `start` kept throwing retryable errors: the work may or may not have started, so the task
   * stays PENDING with its monitor armed — its completion wins, or it times out at the deadline.
   */
  | { readonly kind: 'START_UNCERTAIN'; readonly record: TaskRecord; readonly error: unknown };

/** Configuration of a {@link SparseTaskSubmitter}. */
export interface SparseTaskSubmitterDeps<I> extends TerminalMoveDeps {
  /** Kicks off the external work. */
  readonly start: StartFn<I>;
  /** Timeout of a submission that names none, in ms (60 s – 365 days). */
  readonly defaultTimeoutMs: number;
  /** Makes correlation ids. @default crypto.randomUUID */
  readonly newCorrelationId?: () => string;
  /** Calls of `start` for one task while it throws retryable errors, the first included (1–10). @default 3 */
  readonly startMaxAttempts?: number;
  /** Backoff between those calls. @default - 50 ms doubling to 5 s, full jitter */
  readonly startBackoff?: BackoffOptions;
}

/** Errors of a start that may succeed if called again: throttling, 5xx, and network failures. */
const TRANSIENT_NAMES: ReadonlySet<string> = new Set(['TimeoutError', 'ETIMEDOUT', 'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'EAI_AGAIN']);

/** True when a start error is worth another call (and leaves the start's effect unknown). */
export function isRetryableStartError(error: unknown): boolean {
  if (isRetryableError(error)) return true;
  const candidate = error as { name?: unknown; code?: unknown } | null;
  return typeof candidate === 'object' && candidate !== null && (TRANSIENT_NAMES.has(String(candidate.name)) || TRANSIENT_NAMES.has(String(candidate.code)));
}

/** Submits tasks; safe to call any number of times with the same task id. */
export class SparseTaskSubmitter<I = unknown> {
  /** @throws ConfigError when `defaultTimeoutMs` is out of range */
  constructor(private readonly deps: SparseTaskSubmitterDeps<I>) {
    const violations = collect(timeoutViolation('defaultTimeoutMs', deps.defaultTimeoutMs), intRangeViolation('startMaxAttempts', deps.startMaxAttempts ?? 3, 1, 10));
    if (violations.length > 0) throw new ConfigError(violations);
  }

  /**
   * Submits one task.
   *
   * @throws ConfigError when the submission's `timeoutMs` is out of range
   */
  async submit(submission: TaskSubmission<I>): Promise<SubmitOutcome> {
    const timeoutMs = submission.timeoutMs ?? this.deps.defaultTimeoutMs;
    const violation = timeoutViolation('timeoutMs', timeoutMs);
    if (violation) throw new ConfigError([violation]);
    const now = this.deps.clock.now();
    const scheduleName = scheduleNameFor(submission.taskId);
    // Whole seconds: the schedule's at() has second granularity, and the record must agree with it.
    const wanted = Math.ceil((now + timeoutMs) / 1000) * 1000;
    const armed = await this.deps.scheduler.arm({ name: scheduleName, at: wanted, payload: { taskId: submission.taskId } });
    if (!armed.created && armed.at <= now) {
      // An earlier attempt's schedule is firing right now: starting work already timed out would
      // be waste. Once it has fired it deletes itself, and the retry arms a fresh one.
      throw new TaskStoreInconsistencyError(`The timeout schedule of task ${JSON.stringify(submission.taskId)} is firing; retry the submission`);
    }
    const record: TaskRecord = {
      taskId: submission.taskId,
      status: 'PENDING',
      correlationId: submission.correlationId ?? (this.deps.newCorrelationId ?? randomUUID)(),
      submittedAt: now,
      deadline: armed.at,
      scheduleName,
      losers: {},
      loserCount: 0,
    };
    const created = await this.deps.store.create(record);
    if (!created.created) return this.duplicate(created.existing, armed.created);
    return this.start(record, submission.input);
  }

  /**
   * A known task id: keep a schedule this call armed only if the task still needs a monitor.
   * When the submitter itself failed the task (`start` threw), an earlier attempt may have
   * crashed before telling downstream, and no other piece would replay it: replay it here
   * (same event id, so downstream dedupes).
   */
  private async duplicate(existing: TaskRecord, armedNow: boolean): Promise<SubmitOutcome> {
    if (existing.finishedBy === SUBMITTER_EVENT_ID) await runFinishEffects(this.deps, existing, { cancelSchedule: true, firstTime: false });
    else if (armedNow && existing.status !== 'PENDING') await this.deps.scheduler.cancel(existing.scheduleName);
    return { kind: 'DUPLICATE', record: existing };
  }

  /** Calls `start`, again on retryable errors; a refusal fails the task, an ambiguous failure leaves it PENDING. */
  private async start(record: TaskRecord, input: I | undefined): Promise<SubmitOutcome> {
    let started: StartResult | void;
    try {
      const task = { taskId: record.taskId, correlationId: record.correlationId, deadline: record.deadline, input };
      started = await withRetry(() => this.deps.start(task), { ...this.deps.startBackoff, maxAttempts: this.deps.startMaxAttempts ?? 3, isRetryable: isRetryableStartError });
    } catch (error) {
      if (isRetryableStartError(error)) return { kind: 'START_UNCERTAIN', record, error };
      return this.startFailed(record, error);
    }
    this.deps.metrics.submitted();
    if (started?.externalId !== undefined) {
      await this.deps.store.setExternalId(record.taskId, started.externalId);
      return { kind: 'STARTED', record: { ...record, externalId: started.externalId } };
    }
    return { kind: 'STARTED', record };
  }

  private async startFailed(record: TaskRecord, error: unknown): Promise<SubmitOutcome> {
    const at = this.deps.clock.now();
    const taskError = { code: error instanceof Error ? error.name : 'Error', message: error instanceof Error ? error.message : String(error) };
    const attempt = await this.deps.store.finish(record.taskId, { status: 'FAILED', reason: 'START_FAILED', at, by: SUBMITTER_EVENT_ID, error: taskError });
    // A loser here means a completion or the monitor already finished the task: nothing to undo.
    if (!attempt.won) return { kind: 'START_FAILED', record: attempt.record ?? record };
    await runFinishEffects(this.deps, attempt.record, { cancelSchedule: true, firstTime: true });
    return { kind: 'START_FAILED', record: attempt.record };
  }
}
