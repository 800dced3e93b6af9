/**
 * EventBridge Scheduler's data model (field names as on the wire) and request validation.
 */
import { validationError } from './errors';
import { type ParsedSchedule, parseScheduleExpression } from './schedule-expression';

/** A schedule's target (`Target` in CreateSchedule). */
export interface ScheduleTarget {
  /** The target ARN: SQS queue, Lambda function or state machine. */
  readonly Arn: string;
  /** The role Scheduler assumes to call the target. */
  readonly RoleArn: string;
  /** The text delivered; context attributes like `<aws.scheduler.schedule-arn>` are filled in. */
  readonly Input?: string;
  /** SQS FIFO targets: the message group id. */
  readonly SqsParameters?: { readonly MessageGroupId?: string };
  /** Retry settings (stored; a failed delivery goes straight to the DLQ locally). */
  readonly RetryPolicy?: { readonly MaximumEventAgeInSeconds?: number; readonly MaximumRetryAttempts?: number };
  /** Where a failed delivery's input is sent. */
  readonly DeadLetterConfig?: { readonly Arn?: string };
}

/** CreateSchedule / UpdateSchedule input. Dates are epoch milliseconds. */
export interface ScheduleInput {
  /** 1–64 of `[0-9a-zA-Z-_.]`, unique within its group. */
  readonly Name: string;
  /** The schedule group; `default` unless created with `createScheduleGroup`. */
  readonly GroupName?: string;
  /** `at(...)`, `rate(...)` or `cron(...)`. */
  readonly ScheduleExpression: string;
  /** Only UTC is evaluated locally. */
  readonly ScheduleExpressionTimezone?: string;
  /** `OFF`, or `FLEXIBLE` (fired at the window start locally, which AWS may also do). */
  readonly FlexibleTimeWindow: { readonly Mode: string; readonly MaximumWindowInMinutes?: number };
  /** What to deliver where. */
  readonly Target: ScheduleTarget;
  /** `ENABLED` (default) or `DISABLED`. */
  readonly State?: string;
  /** `DELETE` removes the schedule after its last invocation; `NONE` (default) keeps it. */
  readonly ActionAfterCompletion?: string;
  /** No invocation before this time (epoch ms). */
  readonly StartDate?: number;
  /** No invocation after this time (epoch ms). */
  readonly EndDate?: number;
  /** Free text. */
  readonly Description?: string;
}

/** A stored schedule, as GetSchedule describes it. */
export interface Schedule extends ScheduleInput {
  readonly Arn: string;
  readonly GroupName: string;
  readonly State: 'ENABLED' | 'DISABLED';
  readonly ActionAfterCompletion: 'NONE' | 'DELETE';
  readonly ScheduleExpressionTimezone: string;
  /** Epoch ms. */
  readonly CreationDate: number;
  /** Epoch ms. */
  readonly LastModificationDate: number;
}

const NAME = /^[0-9a-zA-Z\-_.]{1,64}$/;

function check(problems: string[], ok: boolean, message: string): void {
  if (!ok) problems.push(message);
}

/**
 * Validates a CreateSchedule/UpdateSchedule input, collecting every problem.
 * @returns the parsed expression
 * @throws AwsServiceError ValidationException listing all problems
 */
export function validateScheduleInput(input: ScheduleInput): ParsedSchedule {
  const problems: string[] = [];
  check(problems, typeof input.Name === 'string' && NAME.test(input.Name), `Name must be 1-64 of [0-9a-zA-Z-_.], got ${JSON.stringify(input.Name)}`);
  const mode = input.FlexibleTimeWindow?.Mode;
  check(problems, mode === 'OFF' || mode === 'FLEXIBLE', `FlexibleTimeWindow.Mode must be OFF or FLEXIBLE, got ${JSON.stringify(mode)}`);
  if (mode === 'FLEXIBLE') {
    const w = input.FlexibleTimeWindow.MaximumWindowInMinutes;
    check(problems, typeof w === 'number' && w >= 1 && w <= 1440, `FlexibleTimeWindow.MaximumWindowInMinutes must be 1-1440, got ${JSON.stringify(w)}`);
  }
  check(problems, typeof input.Target?.Arn === 'string' && input.Target.Arn.startsWith('arn:'), `Target.Arn must be an ARN, got ${JSON.stringify(input.Target?.Arn)}`);
  check(problems, typeof input.Target?.RoleArn === 'string' && input.Target.RoleArn.startsWith('arn:'), `Target.RoleArn must be an ARN, got ${JSON.stringify(input.Target?.RoleArn)}`);
  check(problems, input.State === undefined || input.State === 'ENABLED' || input.State === 'DISABLED', `State must be ENABLED or DISABLED, got ${JSON.stringify(input.State)}`);
  const after = input.ActionAfterCompletion;
  check(problems, after === undefined || after === 'NONE' || after === 'DELETE', `ActionAfterCompletion must be NONE or DELETE, got ${JSON.stringify(after)}`);
  check(problems, !(input.StartDate !== undefined && input.EndDate !== undefined && input.EndDate <= input.StartDate), 'EndDate must be after StartDate');
  let parsed: ParsedSchedule | undefined;
  try {
    parsed = parseScheduleExpression(String(input.ScheduleExpression), { timezone: input.ScheduleExpressionTimezone });
  } catch (err) {
    problems.push((err as Error).message);
  }
  if (problems.length > 0 || !parsed) throw validationError(problems.join('; '));
  return parsed;
}

/** Fills Scheduler's context attributes into a target input. */
export function fillContextAttributes(input: string, scheduleArn: string, scheduledTime: number, executionId: string): string {
  return input
    .replaceAll('<aws.scheduler.schedule-arn>', scheduleArn)
    .replaceAll('<aws.scheduler.scheduled-time>', new Date(scheduledTime).toISOString().replace(/\.\d{3}Z$/, 'Z'))
    .replaceAll('<aws.scheduler.execution-id>', executionId)
    .replaceAll('<aws.scheduler.attempt-number>', '1');
}
