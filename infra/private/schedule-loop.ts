import { Duration } from 'aws-cdk-lib';
import { Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction, SfnStateMachine } from 'aws-cdk-lib/aws-events-targets';
import { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  Choice, Condition, DefinitionBody, JsonPath, LogLevel, Pass, StateMachine, StateMachineType, Succeed, Wait, WaitTime,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
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

/** Input of every scheduled invocation, so a handler can tell a scheduled run from a test call. */
export const SCHEDULED_INPUT = { source: 'pp-patterns.schedule' } as const;

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

/** Invoke → count down → (more? wait → invoke) within one minute. */
function buildLoop(scope: Construct, id: string, fn: IFunction, interval: Duration): StateMachine {
  const runs = Math.max(1, Math.floor(EventBridgeLimits.minScheduleIntervalSeconds / interval.toSeconds()));
  const init = new Pass(scope, `${id}Init`, { parameters: { remaining: runs, ...SCHEDULED_INPUT } });
  const invoke = new LambdaInvoke(scope, `${id}Invoke`, {
    lambdaFunction: fn,
    payload: undefined,
    resultPath: JsonPath.DISCARD,
  });
  const countDown = new Pass(scope, `${id}CountDown`, {
    parameters: { 'remaining.$': 'States.MathAdd($.remaining, -1)', ...SCHEDULED_INPUT },
  });
  // A failed invocation must not end the loop: the next one may well succeed.
  invoke.addCatch(countDown, { resultPath: JsonPath.DISCARD });
  const wait = new Wait(scope, `${id}Wait`, { time: WaitTime.duration(interval) });
  const more = new Choice(scope, `${id}More`)
    .when(Condition.numberGreaterThan('$.remaining', 0), wait.next(invoke))
    .otherwise(new Succeed(scope, `${id}Done`));
  const machine = new StateMachine(scope, `${id}Loop`, {
    stateMachineType: StateMachineType.EXPRESS,
    definitionBody: DefinitionBody.fromChainable(init.next(invoke).next(countDown).next(more)),
    timeout: Duration.minutes(2),
    tracingEnabled: true,
    logs: { destination: new LogGroup(scope, `${id}LoopLogs`, { retention: RetentionDays.ONE_MONTH }), level: LogLevel.ALL, includeExecutionData: false },
  });
  acknowledgeWildcardResource(machine, `${fn.functionArn}:*`,
    'LambdaInvoke grants the function and its versions (ARN:*); the loop invokes only this one function.');
  acknowledgeWildcardResource(machine, '*',
    'X-Ray PutTraceSegments and the CloudWatch Logs delivery actions of Step Functions logging have no resource-level permissions.');
  return machine;
}
