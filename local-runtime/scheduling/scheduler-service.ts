/**
 * A local EventBridge Scheduler: schedules are timers on the injected {@link Clock}, and a
 * due schedule hands its target input to the runtime's {@link DeliverFn}.
 */
import { randomUUID } from 'node:crypto';
import type { Clock, TimerHandle } from './clock';
import { type DeliverFn, type LocalAccount, resolveAccount } from './delivery';
import { conflictError, notFoundError } from './errors';
import { pageOf, type WireRequest, type WireResponse } from './protocol';
import { type ParsedSchedule, nextFireTime } from './schedule-expression';
import { handleSchedulerRequest } from './scheduler-adapter';
import { fillContextAttributes, type Schedule, type ScheduleInput, validateScheduleInput } from './scheduler-model';

export type { Schedule, ScheduleInput, ScheduleTarget } from './scheduler-model';

/** Options of {@link LocalScheduler}. */
export interface LocalSchedulerOptions extends LocalAccount {
  /** The clock schedules run on. */
  readonly clock: Clock;
  /** Delivers a due schedule's input to its target. */
  readonly deliver: DeliverFn;
  /**
   * Told about a delivery that failed (after its DLQ, if any, got the input).
   * @default - the failure is dropped, as AWS drops it when no DLQ is configured
   */
  readonly onDeliveryError?: (error: unknown, schedule: Schedule) => void;
}

/** ListSchedules filters. */
export interface ListSchedulesInput {
  /** Only this group. @default - all groups */
  readonly GroupName?: string;
  /** Only names starting with this. @default - all names */
  readonly NamePrefix?: string;
  /** Only `ENABLED` or `DISABLED` schedules. @default - both */
  readonly State?: string;
  /** Page size, 1–100. @default 100 */
  readonly MaxResults?: number;
  /** The previous page's NextToken. @default - first page */
  readonly NextToken?: string;
}

/** One ListSchedules entry (dates in epoch ms). */
export interface ScheduleSummary {
  readonly Arn: string;
  readonly Name: string;
  readonly GroupName: string;
  readonly State: string;
  /** Epoch ms. */
  readonly CreationDate: number;
  /** Epoch ms. */
  readonly LastModificationDate: number;
  /** Only the target's ARN, as AWS lists it. */
  readonly Target: { readonly Arn: string };
}

interface Entry {
  schedule: Schedule;
  parsed: ParsedSchedule;
  timer?: TimerHandle;
  lastFired?: number;
}

/** EventBridge Scheduler, in process: Create/Get/Update/Delete/ListSchedules plus `handle`. */
export class LocalScheduler {
  private readonly entries = new Map<string, Entry>();
  private readonly groups = new Set(['default']);
  private readonly account: Required<LocalAccount>;

  /** @param options clock, delivery callback, account */
  constructor(private readonly options: LocalSchedulerOptions) {
    this.account = resolveAccount(options);
  }

  /** Creates a schedule group so schedules can be placed in it. Idempotent. */
  public createScheduleGroup(name: string): string {
    this.groups.add(name);
    return `arn:aws:scheduler:${this.account.region}:${this.account.accountId}:schedule-group/${name}`;
  }

  /** CreateSchedule. Throws ConflictException when the name is taken in its group. */
  public createSchedule(input: ScheduleInput): { ScheduleArn: string } {
    const group = this.groupOf(input.GroupName);
    if (this.entries.has(`${group}/${input.Name}`)) {
      throw conflictError(`Schedule ${input.Name} already exists.`);
    }
    return { ScheduleArn: this.store(input, group, this.options.clock.now()) };
  }

  /** UpdateSchedule: replaces every field, as AWS does. Throws ResourceNotFoundException. */
  public updateSchedule(input: ScheduleInput): { ScheduleArn: string } {
    const group = this.groupOf(input.GroupName);
    const existing = this.mustGet(input.Name, group);
    this.disarm(existing);
    return { ScheduleArn: this.store(input, group, existing.schedule.CreationDate) };
  }

  /** GetSchedule. Throws ResourceNotFoundException. */
  public getSchedule(name: string, groupName?: string): Schedule {
    return this.mustGet(name, this.groupOf(groupName)).schedule;
  }

  /** DeleteSchedule. Throws ResourceNotFoundException. */
  public deleteSchedule(name: string, groupName?: string): void {
    const group = this.groupOf(groupName);
    this.disarm(this.mustGet(name, group));
    this.entries.delete(`${group}/${name}`);
  }

  /** ListSchedules, sorted by group then name. */
  public listSchedules(input: ListSchedulesInput = {}): { Schedules: ScheduleSummary[]; NextToken?: string } {
    const all = [...this.entries.values()]
      .map((e) => e.schedule)
      .filter((s) => (input.GroupName === undefined || s.GroupName === input.GroupName) && s.Name.startsWith(input.NamePrefix ?? '') && (input.State === undefined || s.State === input.State))
      .sort((a, b) => `${a.GroupName}/${a.Name}`.localeCompare(`${b.GroupName}/${b.Name}`));
    const { page, next } = pageOf(all, input.MaxResults, input.NextToken, 100);
    const Schedules = page.map(({ Arn, Name, GroupName, State, CreationDate, LastModificationDate, Target }) => ({
      Arn, Name, GroupName, State, CreationDate, LastModificationDate, Target: { Arn: Target.Arn },
    }));
    return next === undefined ? { Schedules } : { Schedules, NextToken: next };
  }

  /** Serves the Scheduler REST-JSON protocol (what `@aws-sdk/client-scheduler` sends). */
  public handle(req: WireRequest): Promise<WireResponse> {
    return handleSchedulerRequest(this, req);
  }

  /** Cancels every timer (shutdown); the schedules stay readable. */
  public dispose(): void {
    for (const entry of this.entries.values()) this.disarm(entry);
  }

  private groupOf(groupName: string | undefined): string {
    const group = groupName ?? 'default';
    if (!this.groups.has(group)) throw notFoundError(`Schedule group ${group} does not exist.`);
    return group;
  }

  private mustGet(name: string, group: string): Entry {
    const entry = this.entries.get(`${group}/${name}`);
    if (!entry) throw notFoundError(`Schedule ${name} does not exist.`);
    return entry;
  }

  private store(input: ScheduleInput, group: string, created: number): string {
    const parsed = validateScheduleInput(input);
    const now = this.options.clock.now();
    const schedule: Schedule = {
      ...input,
      GroupName: group,
      Arn: `arn:aws:scheduler:${this.account.region}:${this.account.accountId}:schedule/${group}/${input.Name}`,
      State: (input.State ?? 'ENABLED') as Schedule['State'],
      ActionAfterCompletion: (input.ActionAfterCompletion ?? 'NONE') as Schedule['ActionAfterCompletion'],
      ScheduleExpressionTimezone: input.ScheduleExpressionTimezone ?? 'UTC',
      CreationDate: created,
      LastModificationDate: now,
    };
    const entry: Entry = { schedule, parsed };
    this.entries.set(`${group}/${input.Name}`, entry);
    if (schedule.State === 'ENABLED') this.arm(entry);
    return schedule.Arn;
  }

  /** The next due time, or undefined when the schedule has completed. */
  private nextDue(entry: Entry): number | undefined {
    const { parsed, schedule } = entry;
    if (parsed.kind === 'at') {
      // A one-time schedule whose time has passed still fires once, late, rather than never.
      return entry.lastFired === undefined ? Math.max(parsed.at, schedule.StartDate ?? parsed.at) : undefined;
    }
    const anchor = schedule.StartDate ?? schedule.CreationDate;
    const after = Math.max(entry.lastFired ?? -Infinity, this.options.clock.now(), (schedule.StartDate ?? -Infinity) - 1);
    const next = nextFireTime(parsed, after, anchor);
    return next !== undefined && (schedule.EndDate === undefined || next <= schedule.EndDate) ? next : undefined;
  }

  private arm(entry: Entry): void {
    const due = this.nextDue(entry);
    if (due === undefined) return this.complete(entry);
    entry.timer = this.options.clock.setTimer(due, () => this.fire(entry, due));
  }

  private disarm(entry: Entry): void {
    if (entry.timer) this.options.clock.cancel(entry.timer);
    entry.timer = undefined;
  }

  private complete(entry: Entry): void {
    const { schedule } = entry;
    if (schedule.ActionAfterCompletion === 'DELETE' && this.entries.get(`${schedule.GroupName}/${schedule.Name}`) === entry) {
      this.entries.delete(`${schedule.GroupName}/${schedule.Name}`);
    }
  }

  private async fire(entry: Entry, due: number): Promise<void> {
    entry.timer = undefined;
    entry.lastFired = due;
    const { schedule } = entry;
    const input = fillContextAttributes(schedule.Target.Input ?? '{}', schedule.Arn, due, randomUUID());
    const details = { source: 'scheduler' as const, sourceArn: schedule.Arn, scheduledTime: due, messageGroupId: schedule.Target.SqsParameters?.MessageGroupId };
    try {
      await this.options.deliver(schedule.Target.Arn, input, schedule.Target.RoleArn, details);
    } catch (err) {
      await this.deadLetter(schedule, input, details).catch(() => undefined);
      this.options.onDeliveryError?.(err, schedule);
    }
    if (this.entries.get(`${schedule.GroupName}/${schedule.Name}`) === entry) this.arm(entry);
  }

  private async deadLetter(schedule: Schedule, input: string, details: Parameters<DeliverFn>[3]): Promise<void> {
    const dlq = schedule.Target.DeadLetterConfig?.Arn;
    if (dlq) await this.options.deliver(dlq, input, schedule.Target.RoleArn, { ...details, messageGroupId: undefined });
  }
}

