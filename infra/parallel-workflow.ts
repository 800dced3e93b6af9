import { Duration, Stack } from 'aws-cdk-lib';
import { Metric, MetricOptions } from 'aws-cdk-lib/aws-cloudwatch';
import { AttributeType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Grant, IGrantable } from 'aws-cdk-lib/aws-iam';
import { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { ParallelWorkflowEnv, StepRecordTable } from '../functions/contract';
import { type FailurePolicy, parallelWorkflowDefinition, type WorkflowStepSpec, workflowViolations } from '../statemachines/parallel-workflow';
import { handlerFunction } from './private/handler-function';
import { acknowledgeWildcardResource } from './private/nag-acknowledgements';
import { functionEntry } from './private/paths';
import { secureTable } from './private/secure-table';
import { PropsValidator } from './private/validation';

/** Retries of a step's failed attempt (any error, timeouts included), with full jitter. */
export interface WorkflowStepRetry {
  /** Retries at most (0–10). @default 2 */
  readonly maxAttempts?: number;
  /** Delay before the first retry (1 s–1 hour). @default Duration.seconds(1) */
  readonly interval?: Duration;
  /** Multiplier of the delay per retry (1–10). @default 2 */
  readonly backoffRate?: number;
}

/** One step of a {@link ParallelWorkflow}. Give exactly one of `entry` or `handler`. */
export interface WorkflowStepProps {
  /** Unique id (letters, digits, `_`, `-`; up to 64): the key of its result for dependants. */
  readonly id: string;
  /** Ids of the steps that must finish first (at most 100). @default - none: starts at once */
  readonly dependsOn?: readonly string[];
  /** Your step's handler file, written with the runtime's `workflowStep({ run })`. @default - none; give `entry` or `handler` */
  readonly entry?: string;
  /** An existing function: gets `{ step, run, input, results }`, returns the result (under 256 KiB). @default - none; give `entry` or `handler` */
  readonly handler?: IFunction;
  /** Longest attempt (1 s–15 minutes with `entry`, also its function timeout; up to a year with `handler`). @default - 30 s function timeout with `entry`; none with `handler` */
  readonly timeout?: Duration;
  /** Retries of a failed or timed-out attempt. @default - no retry */
  readonly retry?: WorkflowStepRetry;
  /** Memory of the step's function in MB (128–10,240), with `entry`. @default 512 */
  readonly memorySize?: number;
  /** Extra environment variables of the step's function, with `entry`. @default - only the variables the construct sets */
  readonly environment?: Record<string, string>;
}

/** Props of {@link ParallelWorkflow}. */
export interface ParallelWorkflowProps {
  /** The steps (1–200); ids unique, `dependsOn` naming declared steps, no cycle. */
  readonly steps: readonly WorkflowStepProps[];
  /** `abort`: the first failed step fails the run, stopping the rest; `continue`: run every step that does not depend on it and report every error. @default 'abort' */
  readonly failurePolicy?: FailurePolicy;
  /** How often a step waiting on a dependency that is not its host checks again (1–60 s): the most a step can start late. @default Duration.seconds(1) */
  readonly pollInterval?: Duration;
  /** Whole-run timeout (1 s–1 year). @default - none */
  readonly timeout?: Duration;
  /** How long a run's step records (results) are kept (1 hour–365 days). @default Duration.days(7) */
  readonly recordTtl?: Duration;
}

const DEFAULTS = { failurePolicy: 'abort', pollInterval: Duration.seconds(1), recordTtl: Duration.days(7), retry: { maxAttempts: 2, interval: Duration.seconds(1), backoffRate: 2 } } as const;

/**
 * A DAG workflow on Step Functions: steps declare `dependsOn`; each step starts
 * as soon as its own dependencies are done (never waiting for one it does not depend on —
 * the shape is explained in `statemachines/dag.ts` and `docs/parallel-workflow.md`);
 * dependants get results keyed by step id; each step has its own timeout and retries; a
 * failure aborts the run or, with `failurePolicy: 'continue'`, skips only what depends on it.
 * The run's output is `{ status, results, errors, skipped }`; results over 32 KiB are kept in
 * the run's table and passed by reference, so none is capped by the 256 KiB payload.
 *
 * @example
 * const report = new ParallelWorkflow(this, 'SalesReport', {
 *   steps: [
 *     { id: 'region_north', entry: 'functions/sales/fetch.ts' },
 *     { id: 'region_south', entry: 'functions/sales/fetch.ts' },
 *     { id: 'combine', dependsOn: ['region_north', 'region_south'], entry: 'functions/sales/combine.ts' },
 *   ],
 *   failurePolicy: 'continue',
 * });
 * report.grantStart(scheduler);
 */
export class ParallelWorkflow extends Construct {
  /** The state machine (Standard): start one execution per run. */
  public readonly stateMachine: StateMachine;
  /** The run's step records (results, errors) keyed by execution ARN and step id. */
  public readonly table: TableV2;
  /** The coordinator: gates, records, collects. */
  public readonly coordinatorFunction: IFunction;
  /** The function of every step, by step id. */
  public readonly stepFunctions: Readonly<Record<string, IFunction>>;

  constructor(scope: Construct, id: string, props: ParallelWorkflowProps) {
    super(scope, id);
    validate(this.node.path, props);
    this.table = secureTable(this, 'StepRecords', {
      partitionKey: { name: StepRecordTable.partitionKey, type: AttributeType.STRING },
      sortKey: { name: StepRecordTable.sortKey, type: AttributeType.STRING },
      timeToLiveAttribute: StepRecordTable.ttlAttribute,
    });
    const environment = { [ParallelWorkflowEnv.recordTableName]: this.table.tableName, [ParallelWorkflowEnv.recordTtlSeconds]: String((props.recordTtl ?? DEFAULTS.recordTtl).toSeconds()) };
    this.coordinatorFunction = handlerFunction(this, 'Coordinator', { entry: functionEntry('parallel-workflow', 'coordinator-handler.ts'), serviceName: this.node.path, environment, description: `pp-patterns ParallelWorkflow coordinator of ${this.node.path}` });
    this.grantRecords(this.coordinatorFunction, ['dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:Query']);
    this.stepFunctions = Object.fromEntries(props.steps.map((s) => [s.id, this.buildStep(s, environment)]));
    this.stateMachine = this.buildStateMachine(props);
  }

  /** Lets `grantee` start runs: `states:StartExecution` on the state machine. */
  public grantStart(grantee: IGrantable): Grant {
    return this.stateMachine.grantStartExecution(grantee);
  }

  /** Lets `grantee` read runs and stored results: `states:DescribeExecution` etc. on executions, `dynamodb:GetItem`/`BatchGetItem`/`Query` on the table. */
  public grantReadResults(grantee: IGrantable): Grant {
    this.stateMachine.grantRead(grantee);
    return this.grantRecords(grantee, ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query']);
  }

  /** Runs that failed (abort policy), timed out or were aborted (Sum). */
  public metricRunsFailed(props?: MetricOptions): Metric {
    return this.stateMachine.metricFailed({ statistic: 'Sum', ...props });
  }

  /** Runs that succeeded, with or without step errors under `continue` (Sum). */
  public metricRunsSucceeded(props?: MetricOptions): Metric {
    return this.stateMachine.metricSucceeded({ statistic: 'Sum', ...props });
  }

  /** Duration of runs in milliseconds (Average). */
  public metricRunTime(props?: MetricOptions): Metric {
    return this.stateMachine.metricTime(props);
  }

  private grantRecords(grantee: IGrantable, actions: string[]): Grant {
    return Grant.addToPrincipal({ grantee, actions, resourceArns: [this.table.tableArn] });
  }

  private buildStep(step: WorkflowStepProps, environment: Record<string, string>): IFunction {
    if (step.handler) return step.handler;
    const fn = handlerFunction(this, `Step-${step.id}`, {
      entry: step.entry as string,
      serviceName: this.node.path,
      timeout: step.timeout,
      memorySize: step.memorySize,
      environment: { ...step.environment, ...environment },
      description: `pp-patterns ParallelWorkflow step ${step.id} of ${this.node.path}`,
    });
    // workflowStep() reads results passed by reference and stores its own large result.
    this.grantRecords(fn, ['dynamodb:BatchGetItem', 'dynamodb:PutItem']);
    return fn;
  }

  private buildStateMachine(props: ParallelWorkflowProps): StateMachine {
    const stack = Stack.of(this);
    const steps: WorkflowStepSpec[] = props.steps.map((s) => ({
      id: s.id,
      dependsOn: s.dependsOn,
      functionArn: this.stepFunctions[s.id].functionArn,
      timeoutSeconds: s.timeout?.toSeconds(),
      retry: s.retry && { maxAttempts: s.retry.maxAttempts ?? DEFAULTS.retry.maxAttempts, intervalSeconds: (s.retry.interval ?? DEFAULTS.retry.interval).toSeconds(), backoffRate: s.retry.backoffRate ?? DEFAULTS.retry.backoffRate },
    }));
    const definition = parallelWorkflowDefinition(
      { steps, failurePolicy: props.failurePolicy ?? DEFAULTS.failurePolicy, pollSeconds: (props.pollInterval ?? DEFAULTS.pollInterval).toSeconds(), timeoutSeconds: props.timeout?.toSeconds() },
      { coordinatorArn: this.coordinatorFunction.functionArn, partition: stack.partition },
    );
    const machine = new StateMachine(this, 'StateMachine', {
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromString(stack.toJsonString(definition)),
      tracingEnabled: true,
      logs: { destination: new LogGroup(this, 'StateMachineLogs', { retention: RetentionDays.ONE_MONTH }), level: LogLevel.ALL, includeExecutionData: false },
    });
    for (const fn of [this.coordinatorFunction, ...Object.values(this.stepFunctions)]) {
      fn.grantInvoke(machine);
      acknowledgeWildcardResource(machine, `${fn.functionArn}:*`, 'grantInvoke covers the function and its versions (ARN:*); the workflow invokes only its own coordinator and step functions.');
    }
    acknowledgeWildcardResource(machine, '*', 'X-Ray PutTraceSegments and the CloudWatch Logs delivery actions of Step Functions logging have no resource-level permissions.');
    return machine;
  }
}

/** Collects every violation (props and step graph), then throws once naming the construct path. */
function validate(path: string, props: ParallelWorkflowProps): void {
  const v = new PropsValidator(`ParallelWorkflow at ${path}`);
  v.integerInRange('steps.length', props.steps.length, 1, 200);
  v.durationInRange('pollInterval', props.pollInterval, 1, 60);
  v.durationInRange('timeout', props.timeout, 1, 31_536_000);
  v.durationInRange('recordTtl', props.recordTtl, 3600, 31_536_000);
  for (const s of props.steps) {
    const at = `steps["${s.id}"]`;
    v.exactlyOne(`${at}.entry`, s.entry, `${at}.handler`, s.handler);
    v.durationInRange(`${at}.timeout`, s.timeout, 1, s.handler ? 31_536_000 : 900);
    v.integerInRange(`${at}.memorySize`, s.memorySize, 128, 10_240);
    v.integerInRange(`${at}.retry.maxAttempts`, s.retry?.maxAttempts, 0, 10);
    v.durationInRange(`${at}.retry.interval`, s.retry?.interval, 1, 3600);
    v.require(s.retry?.backoffRate === undefined || (s.retry.backoffRate >= 1 && s.retry.backoffRate <= 10), `${at}.retry.backoffRate`, `must be between 1 and 10, received ${s.retry?.backoffRate}`);
    v.require(!s.handler || (s.memorySize === undefined && s.environment === undefined), `${at}.handler`, 'is an existing function: memorySize and environment apply only with entry, received both');
  }
  // The graph: duplicate ids, unknown dependsOn ids, cycles (names the steps).
  const graph = workflowViolations({ steps: props.steps.map((s) => ({ id: s.id, dependsOn: s.dependsOn, functionArn: '' })), failurePolicy: 'abort', pollSeconds: 1 });
  for (const message of graph) v.require(false, 'steps', `are invalid: ${message}`);
  v.throwIfInvalid();
}
