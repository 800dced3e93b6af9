/**
 * EventBridge Scheduler adapter for {@link TimeoutScheduler}: one one-time `at()` schedule per
 * task, in the construct's schedule group, targeting the timeout monitor function, deleted by
 * the service after it fires (ActionAfterCompletion DELETE).
 *
 * Arm is idempotent by name: a ConflictException means an earlier attempt created it, so the
 * existing schedule is read back and its time adopted. Cancel is idempotent: a schedule that
 * fired (and deleted itself) or was cancelled before is fine. One client per process, configured
 * from the environment (`AWS_ENDPOINT_URL_SCHEDULER` points it at a local scheduler).
 */
import type { SchedulerClient } from '@aws-sdk/client-scheduler';
import { TaskStoreInconsistencyError } from '../errors';
import type { ArmResult, TimeoutSchedule, TimeoutScheduler } from '../sparse-task/types';

/** Options of {@link EventBridgeTimeoutScheduler}. */
export interface EventBridgeTimeoutSchedulerOptions {
  /** The schedule group the schedules live in. */
  readonly groupName: string;
  /** ARN of the timeout monitor function. */
  readonly targetArn: string;
  /** ARN of the role the scheduler assumes to invoke it. */
  readonly roleArn: string;
  /** ARN of the SQS queue that gets the input when invoking fails after every retry. @default - none */
  readonly deadLetterArn?: string;
  /** Retries of a failed invocation (0–185). @default 185 */
  readonly maximumRetryAttempts?: number;
  /** The client. @default - the process-wide one */
  readonly client?: SchedulerClient;
}

type SchedulerPackage = typeof import('@aws-sdk/client-scheduler');

let schedulerPackage: Promise<SchedulerPackage> | undefined;
let sharedClient: Promise<SchedulerClient> | undefined;

/** The Scheduler client package, imported on first use: a handler that never arms or cancels a timeout never loads it. */
function loadScheduler(): Promise<SchedulerPackage> {
  return (schedulerPackage ??= import('@aws-sdk/client-scheduler'));
}

/** The process-wide EventBridge Scheduler client, configured from the environment. */
export function sharedSchedulerClient(): Promise<SchedulerClient> {
  return (sharedClient ??= loadScheduler().then(({ SchedulerClient }) => new SchedulerClient({})));
}

/** `at(2025-01-01T00:05:00)` for a time in epoch ms, rounded up to the whole second (never fires early). */
export function atExpression(at: number): string {
  return `at(${new Date(Math.ceil(at / 1000) * 1000).toISOString().slice(0, 19)})`;
}

/** The epoch ms of an `at(yyyy-mm-ddThh:mm:ss)` expression read in UTC, or undefined when it is not one. */
export function parseAtExpression(expression: string): number | undefined {
  const match = /^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$/.exec(expression);
  if (!match) return undefined;
  const at = Date.parse(`${match[1]}Z`);
  return Number.isNaN(at) ? undefined : at;
}

/** {@link TimeoutScheduler} on EventBridge Scheduler. */
export class EventBridgeTimeoutScheduler implements TimeoutScheduler {
  /** @param options the group, the monitor target, the role and retry settings, and optionally the client */
  constructor(private readonly options: EventBridgeTimeoutSchedulerOptions) {}

  /** The SDK package and the client (the given one, else the process-wide one). */
  private async sdk(): Promise<[SchedulerPackage, SchedulerClient]> {
    return Promise.all([loadScheduler(), this.options.client ?? sharedSchedulerClient()]);
  }

  /** {@inheritDoc TimeoutScheduler.arm} */
  async arm(schedule: TimeoutSchedule): Promise<ArmResult> {
    const at = Math.ceil(schedule.at / 1000) * 1000;
    const [{ ConflictException, CreateScheduleCommand }, client] = await this.sdk();
    try {
      await client.send(new CreateScheduleCommand({
        Name: schedule.name,
        GroupName: this.options.groupName,
        ScheduleExpression: atExpression(at),
        ScheduleExpressionTimezone: 'UTC',
        FlexibleTimeWindow: { Mode: 'OFF' },
        ActionAfterCompletion: 'DELETE',
        Target: {
          Arn: this.options.targetArn,
          RoleArn: this.options.roleArn,
          Input: JSON.stringify(schedule.payload),
          RetryPolicy: { MaximumRetryAttempts: this.options.maximumRetryAttempts ?? 185 },
          ...(this.options.deadLetterArn === undefined ? {} : { DeadLetterConfig: { Arn: this.options.deadLetterArn } }),
        },
      }));
      return { created: true, at };
    } catch (error) {
      if (!isNamed(error, ConflictException, 'ConflictException')) throw error;
      return { created: false, at: await this.existingAt(schedule.name) };
    }
  }

  /** {@inheritDoc TimeoutScheduler.cancel} */
  async cancel(name: string): Promise<void> {
    const [{ DeleteScheduleCommand, ResourceNotFoundException }, client] = await this.sdk();
    try {
      await client.send(new DeleteScheduleCommand({ Name: name, GroupName: this.options.groupName }));
    } catch (error) {
      if (!isNamed(error, ResourceNotFoundException, 'ResourceNotFoundException')) throw error;
    }
  }

  private async existingAt(name: string): Promise<number> {
    const [{ GetScheduleCommand }, client] = await this.sdk();
    const existing = await client.send(new GetScheduleCommand({ Name: name, GroupName: this.options.groupName }));
    const at = parseAtExpression(existing.ScheduleExpression ?? '');
    if (at === undefined) throw new TaskStoreInconsistencyError(`Schedule ${name} exists but is not a one-time at() schedule: ${String(existing.ScheduleExpression)}`);
    return at;
  }
}

function isNamed(error: unknown, type: abstract new (...args: never[]) => unknown, name: string): boolean {
  return error instanceof type || (error as { name?: unknown } | null)?.name === name;
}
