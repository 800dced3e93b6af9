import { Duration, Stack } from 'aws-cdk-lib';
import { Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction, SfnStateMachine } from 'aws-cdk-lib/aws-events-targets';
import { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { SCHEDULED_INPUT } from '../../functions/contract';
import { runsPerPeriod, scheduleLoopDefinition } from '../../statemachines/schedule-loop';
import { EventBridgeLimits } from './limits';
import { acknowledgeWildcardResource } from './nag-acknowledgements';

/** Options of {@link scheduleFunction}: at most one of `schedule` and `interval`. */
export interface ScheduleFunctionOptions {
  /** An EventBridge schedule (one minute or coarser). @default - rate(1 minute) */
  readonly schedule?: Schedule;
  /** A sub-minute interval (1–59 s), run by a Step Functions Wait loop started every minute. @default - none */
  readonly interval?: Duration;
}

/** What {@link scheduleFunction} created. */
export interface ScheduledRun {
  /** The EventBridge rule that starts each run. */
  readonly rule: Rule;
  /** The Express state machine looping within each minute (only with `interval`). */
  readonly loop?: StateMachine;
}

/**
 * Runs `fn` on a schedule. EventBridge cannot go below one minute, so a sub-minute `interval`
 * starts an Express state machine every minute that invokes `fn`, waits `interval`, and
 * repeats ⌊60 s ÷ interval⌋ times. Why a Wait loop rather than a function re-invoking or
 * re-scheduling itself: no function is billed while waiting, a failed run cannot break the
 * chain (the next minute starts a fresh loop, and a failed invocation is caught and the loop
 * goes on), and two chains can never pile up after a retry, as self-rescheduling can.
 *
 * Children created in `scope`: `${id}Rule`, and with `interval` `${id}Loop` and `${id}LoopLogs`.
 */
export function scheduleFunction(scope: Construct, id: string, fn: IFunction, options: ScheduleFunctionOptions): ScheduledRun {
  if (options.interval === undefined) {
    const rule = new Rule(scope, `${id}Rule`, {
      schedule: options.schedule ?? Schedule.rate(Duration.minutes(1)),
      // A run delayed past the next one is useless: the next one does the same work.
      targets: [new LambdaFunction(fn, { event: RuleTargetInput.fromObject(SCHEDULED_INPUT), maxEventAge: Duration.minutes(1), retryAttempts: 2 })],
    });
    return { rule };
  }
  const loop = buildLoop(scope, id, fn, options.interval);
  const rule = new Rule(scope, `${id}Rule`, {
    schedule: Schedule.rate(Duration.minutes(1)),
    targets: [new SfnStateMachine(loop, { input: RuleTargetInput.fromObject(SCHEDULED_INPUT), maxEventAge: Duration.minutes(1), retryAttempts: 2 })],
  });
  return { rule, loop };
}

/** Invoke → count down → (more? wait → invoke) within one minute; the definition is `statemachines/schedule-loop.ts`. */
function buildLoop(scope: Construct, id: string, fn: IFunction, interval: Duration): StateMachine {
  const runs = runsPerPeriod(EventBridgeLimits.minScheduleIntervalSeconds, interval.toSeconds());
  const stack = Stack.of(scope);
  const definition = scheduleLoopDefinition(
    { intervalSeconds: interval.toSeconds(), runs, input: SCHEDULED_INPUT },
    { functionArn: fn.functionArn, partition: stack.partition },
  );
  // The execution timeout is the definition's TimeoutSeconds: a string body ignores the `timeout` prop.
  const machine = new StateMachine(scope, `${id}Loop`, {
    stateMachineType: StateMachineType.EXPRESS,
    definitionBody: DefinitionBody.fromString(stack.toJsonString(definition)),
    tracingEnabled: true,
    logs: { destination: new LogGroup(scope, `${id}LoopLogs`, { retention: RetentionDays.ONE_MONTH }), level: LogLevel.ALL, includeExecutionData: false },
  });
  fn.grantInvoke(machine);
  acknowledgeWildcardResource(machine, `${fn.functionArn}:*`,
    'grantInvoke covers the function and its versions (ARN:*); the loop invokes only this one function.');
  acknowledgeWildcardResource(machine, '*',
    'X-Ray PutTraceSegments and the CloudWatch Logs delivery actions of Step Functions logging have no resource-level permissions.');
  return machine;
}
