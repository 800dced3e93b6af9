/**
 * In-memory implementations of the Sparse Task interfaces, for tests, simulations and benches.
 *
 * They keep the exact semantics of the DynamoDB and EventBridge Scheduler adapters (conditional
 * moves, idempotent arm and cancel, self-deleting one-time schedules) and count every call, so a
 * simulation can report requests per task the way the AWS adapters would make them.
 */
import type { ArmResult, CreateResult, EventSink, Finish, FinishGuard, FinishResult, LoserKind, LoserRecord, SparseTaskMetrics, TaskFinishedEvent, TaskRecord, TaskStore, TerminalStatus, TimeoutSchedule, TimeoutScheduler } from './types';
import { MAX_RECORDED_LOSERS } from './types';

/** Calls made to a fake, by method name. */
export type CallCounts = Record<string, number>;

function count(calls: CallCounts, method: string): void {
  calls[method] = (calls[method] ?? 0) + 1;
}

/** A {@link TaskStore} in a Map; every method is atomic, as one DynamoDB conditional write is. */
export class InMemoryTaskStore implements TaskStore {
  /** Calls made, by method: each is one DynamoDB request in the adapter (a refused finish adds a read). */
  readonly calls: CallCounts = {};
  private readonly records = new Map<string, TaskRecord>();

  /** @inheritdoc */
  async create(record: TaskRecord): Promise<CreateResult> {
    count(this.calls, 'create');
    const existing = this.records.get(record.taskId);
    if (existing) return { created: false, existing: structuredClone(existing) };
    this.records.set(record.taskId, structuredClone(record));
    return { created: true };
  }

  /** @inheritdoc */
  async get(taskId: string): Promise<TaskRecord | undefined> {
    count(this.calls, 'get');
    return this.snapshot(taskId);
  }

  /** @inheritdoc */
  async finish(taskId: string, finish: Finish, guard: FinishGuard = {}): Promise<FinishResult> {
    count(this.calls, 'finish');
    const current = this.records.get(taskId);
    const passes =
      current?.status === 'PENDING' &&
      (guard.before === undefined || current.deadline > guard.before) &&
      (guard.correlationId === undefined || current.correlationId === guard.correlationId);
    if (!current || !passes) {
      count(this.calls, 'get');
      return { won: false, record: this.snapshot(taskId) };
    }
    const next: TaskRecord = {
      ...current,
      status: finish.status,
      reason: finish.reason,
      finishedAt: finish.at,
      finishedBy: finish.by,
      ...(finish.result === undefined ? {} : { result: structuredClone(finish.result) }),
      ...(finish.error === undefined ? {} : { error: { ...finish.error } }),
    };
    this.records.set(taskId, next);
    return { won: true, record: structuredClone(next) };
  }

  /** @inheritdoc */
  async recordLoser(taskId: string, eventId: string, loser: LoserRecord): Promise<boolean> {
    count(this.calls, 'recordLoser');
    const current = this.records.get(taskId);
    if (!current || eventId in current.losers) return false;
    const keep = Object.keys(current.losers).length < MAX_RECORDED_LOSERS;
    this.records.set(taskId, {
      ...current,
      losers: keep ? { ...current.losers, [eventId]: { ...loser } } : current.losers,
      loserCount: current.loserCount + 1,
    });
    return true;
  }

  /** @inheritdoc */
  async setExternalId(taskId: string, externalId: string): Promise<void> {
    count(this.calls, 'setExternalId');
    const current = this.records.get(taskId);
    if (current) this.records.set(taskId, { ...current, externalId });
  }

  /** @inheritdoc */
  async countPending(): Promise<number> {
    count(this.calls, 'countPending');
    return [...this.records.values()].filter((record) => record.status === 'PENDING').length;
  }

  /** Every record, as copies (does not count as a call). */
  all(): TaskRecord[] {
    return [...this.records.values()].map((record) => structuredClone(record));
  }

  /** Removes a record, as TTL expiry would (does not count as a call). */
  expire(taskId: string): void {
    this.records.delete(taskId);
  }

  private snapshot(taskId: string): TaskRecord | undefined {
    const record = this.records.get(taskId);
    return record === undefined ? undefined : structuredClone(record);
  }
}

/**
 * One-time schedules in a Map, fired by the test: {@link takeDue} hands out every schedule due
 * at a time and deletes it, as EventBridge Scheduler's ActionAfterCompletion DELETE does.
 */
export class InMemoryTimeoutScheduler implements TimeoutScheduler {
  /** Calls made, by method; `arm` of an existing name also counts `get` (the adapter reads it back). */
  readonly calls: CallCounts = {};
  private readonly schedules = new Map<string, TimeoutSchedule>();

  /** @inheritdoc */
  async arm(schedule: TimeoutSchedule): Promise<ArmResult> {
    count(this.calls, 'arm');
    const existing = this.schedules.get(schedule.name);
    if (existing) {
      count(this.calls, 'get');
      return { created: false, at: existing.at };
    }
    this.schedules.set(schedule.name, structuredClone(schedule));
    return { created: true, at: schedule.at };
  }

  /** @inheritdoc */
  async cancel(name: string): Promise<void> {
    count(this.calls, 'cancel');
    this.schedules.delete(name);
  }

  /** Removes and returns the schedules due at `now`, earliest first. */
  takeDue(now: number): TimeoutSchedule[] {
    const due = [...this.schedules.values()].filter((schedule) => schedule.at <= now).sort((a, b) => a.at - b.at);
    for (const schedule of due) this.schedules.delete(schedule.name);
    return due;
  }

  /** The schedules still armed, as copies. */
  armed(): TimeoutSchedule[] {
    return [...this.schedules.values()].map((schedule) => structuredClone(schedule));
  }
}

/** An {@link EventSink} that keeps what it was given. */
export class InMemoryEventSink implements EventSink {
  /** Every event emitted, in order. */
  readonly events: TaskFinishedEvent[] = [];

  /** @inheritdoc */
  async emit(event: TaskFinishedEvent): Promise<void> {
    this.events.push(structuredClone(event));
  }
}

/** {@link SparseTaskMetrics} that keep what they were told, for assertions. */
export class RecordingMetrics implements SparseTaskMetrics {
  /** Tasks submitted. */
  submittedCount = 0;
  /** Latency of every finished task, by terminal status. */
  readonly latencies: Record<TerminalStatus, number[]> = { SUCCEEDED: [], FAILED: [], TIMED_OUT: [] };
  /** Losing writes, by kind. */
  readonly losers: Record<LoserKind, number> = { LATE: 0, DUPLICATE: 0, STALE_TIMEOUT: 0 };

  /** @inheritdoc */
  submitted(): void {
    this.submittedCount++;
  }

  /** @inheritdoc */
  finished(status: TerminalStatus, latencyMs: number): void {
    this.latencies[status].push(latencyMs);
  }

  /** @inheritdoc */
  lost(kind: LoserKind): void {
    this.losers[kind]++;
  }
}
