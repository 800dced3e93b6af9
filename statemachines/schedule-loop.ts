/**
 * The sub-minute schedule loop: invoke a function, count down, wait, repeat, all within one
 * minute. EventBridge starts one execution per minute (`infra/private/schedule-loop.ts`).
 */
import { ConfigError } from '../functions/lib/errors';
import type { AslDefinition } from './asl';

/** What the loop does, independent of where it is deployed. */
export interface ScheduleLoopOptions {
  /** Seconds of the Wait between two invocations; a whole number of at least 1. */
  readonly intervalSeconds: number;
  /** Invocations per execution; a whole number of at least 1. */
  readonly runs: number;
  /** Fields of every invocation's payload (besides `remaining`), e.g. `SCHEDULED_INPUT`. */
  readonly input: Readonly<Record<string, unknown>>;
}

/** The ARNs the loop needs: real ones from the infra, fake ones in tests. */
export interface ScheduleLoopArns {
  /** The function invoked on every run. */
  readonly functionArn: string;
  /** Partition of the Lambda service integration ARN. @default "aws" */
  readonly partition?: string;
}

/** State names of the loop, stable for tests and execution histories. */
export const ScheduleLoopStates = {
  init: 'Init',
  invoke: 'Invoke',
  countDown: 'CountDown',
  more: 'More',
  wait: 'Wait',
  done: 'Done',
} as const;

/**
 * Invocations that fit in one scheduling period: ⌊period ÷ interval⌋, at least one (an
 * interval longer than the period still runs once per period).
 *
 * @param periodSeconds how often an execution starts (60 for an EventBridge rate of one minute)
 * @param intervalSeconds the Wait between two invocations
 */
export function runsPerPeriod(periodSeconds: number, intervalSeconds: number): number {
  return Math.max(1, Math.floor(periodSeconds / intervalSeconds));
}

/** Longest execution: the loop ends within its minute, so two minutes only catches a stuck run. */
const TIMEOUT_SECONDS = 120;

/**
 * The Lambda invoke integration's own retry rule (what CDK's `LambdaInvoke` adds by default):
 * transient service errors are retried; errors of the function itself are not.
 */
const LAMBDA_SERVICE_RETRY = {
  ErrorEquals: ['Lambda.ClientExecutionTimeoutException', 'Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException'],
  IntervalSeconds: 2,
  MaxAttempts: 6,
  BackoffRate: 2,
} as const;

/**
 * Builds the loop: Init (`remaining = runs` plus `input`) → Invoke (payload = the state, result
 * discarded) → CountDown → More (`remaining > 0` → Wait → Invoke, else Done). The function
 * gets `{ remaining, ...input }`.
 *
 * @throws ConfigError naming every bad option at once
 */
export function scheduleLoopDefinition(options: ScheduleLoopOptions, arns: ScheduleLoopArns): AslDefinition {
  validate(options);
  const S = ScheduleLoopStates;
  return {
    StartAt: S.init,
    States: {
      [S.init]: { Type: 'Pass', Parameters: { remaining: options.runs, ...options.input }, Next: S.invoke },
      [S.invoke]: {
        Type: 'Task',
        Resource: `arn:${arns.partition ?? 'aws'}:states:::lambda:invoke`,
        Parameters: { FunctionName: arns.functionArn, 'Payload.$': '$' },
        ResultPath: null,
        Retry: [LAMBDA_SERVICE_RETRY],
        // A failed invocation must not end the loop: the next one may well succeed.
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: null, Next: S.countDown }],
        Next: S.countDown,
      },
      [S.countDown]: { Type: 'Pass', Parameters: { 'remaining.$': 'States.MathAdd($.remaining, -1)', ...options.input }, Next: S.more },
      [S.more]: { Type: 'Choice', Choices: [{ Variable: '$.remaining', NumericGreaterThan: 0, Next: S.wait }], Default: S.done },
      [S.wait]: { Type: 'Wait', Seconds: options.intervalSeconds, Next: S.invoke },
      [S.done]: { Type: 'Succeed' },
    },
    TimeoutSeconds: TIMEOUT_SECONDS,
  };
}

function validate(options: ScheduleLoopOptions): void {
  const violations: string[] = [];
  if (!Number.isInteger(options.intervalSeconds) || options.intervalSeconds < 1) {
    violations.push(`intervalSeconds must be an integer of at least 1, received ${options.intervalSeconds}`);
  }
  if (!Number.isInteger(options.runs) || options.runs < 1) violations.push(`runs must be an integer of at least 1, received ${options.runs}`);
  // The loop's counter lives next to the input fields; an input field of that name would reset it.
  if ('remaining' in options.input) violations.push(`input must not have a "remaining" field, received ${JSON.stringify(options.input)}`);
  if (violations.length > 0) throw new ConfigError(violations);
}
