/**
 * The `ParallelWorkflow` state machine: steps with `dependsOn`, each in a branch of its own
 * that starts after its host dependency and gates on the others (the shape and why:
 * `statemachines/dag.ts`). A coordinator function keeps one record per step of the run
 * (done with its result or a reference, failed with the error, or skipped) and answers the
 * gates; the last state collects every record into `{ status, results, errors, skipped }`.
 */
import { ConfigError } from '../functions/lib/errors';
import type { AslCatcher, AslRetrier } from './asl';
import { dagViolations, type DagPlan, type DagStep, planDag } from './dag';

/** What happens to the rest of the run when a step fails (after its retries). */
export type FailurePolicy = 'abort' | 'continue';

/** Per-step retry of a step's run, for any error including `States.Timeout`. */
export interface StepRetry {
  /** Retries at most (0–10). */
  readonly maxAttempts: number;
  /** Seconds before the first retry (1–3,600). */
  readonly intervalSeconds: number;
  /** Multiplier of the interval per retry (1–10). */
  readonly backoffRate: number;
}

/** One step of the workflow. */
export interface WorkflowStepSpec extends DagStep {
  /** ARN of the function that runs the step. */
  readonly functionArn: string;
  /** Seconds one attempt may take before it fails with `States.Timeout`. @default - none */
  readonly timeoutSeconds?: number;
  /** Retries of a failed attempt. @default - none */
  readonly retry?: StepRetry;
}

/** What the workflow does, independent of where it is deployed. */
export interface ParallelWorkflowOptions {
  /** The steps; ids are unique, `dependsOn` names declared ids and has no cycle. */
  readonly steps: readonly WorkflowStepSpec[];
  /** `abort`: the first failed step fails the run; `continue`: run what does not depend on it. */
  readonly failurePolicy: FailurePolicy;
  /** Seconds a gate waits before it checks its dependencies again (1–60). */
  readonly pollSeconds: number;
  /** Whole-run timeout in seconds. @default - none */
  readonly timeoutSeconds?: number;
}

/** The ARNs the workflow needs: real ones from the infra, fake ones in tests. */
export interface ParallelWorkflowArns {
  /** The coordinator function (`functions/parallel-workflow/coordinator-handler.ts`). */
  readonly coordinatorArn: string;
  /** Partition of the Lambda service integration ARN. @default "aws" */
  readonly partition?: string;
}

/** Error name a run fails with under the `abort` policy; its cause names the step. */
export const STEP_FAILED_ERROR = 'ParallelWorkflow.StepFailed';

/** State names of one step, unique across the definition (local overrides key on names). */
export function stepStateNames(id: string) {
  return { gate: `${id}.Gate`, ready: `${id}.Ready`, wait: `${id}.Wait`, run: `${id}.Run`, record: `${id}.Record`, failed: `${id}.Failed`, abort: `${id}.Abort`, then: `${id}.Then` };
}

/** Names of the top-level states. */
export const WorkflowStates = { workflow: 'Workflow', collect: 'Collect' } as const;

const LAMBDA_SERVICE_RETRY: AslRetrier = {
  ErrorEquals: ['Lambda.ClientExecutionTimeoutException', 'Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException'],
  IntervalSeconds: 2,
  MaxAttempts: 6,
  BackoffRate: 2,
};

/** The coordinator only reads and writes step records: any failure of it is transient. */
const COORDINATOR_RETRY: readonly AslRetrier[] = [LAMBDA_SERVICE_RETRY, { ErrorEquals: ['States.ALL'], IntervalSeconds: 1, MaxAttempts: 4, BackoffRate: 2 }];

type State = Record<string, unknown>;

/** Step ids become state names, JSON keys and DynamoDB sort keys: keep them plain. */
export const STEP_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** Every problem of the options, one message each (the DAG's included). */
export function workflowViolations(options: ParallelWorkflowOptions): string[] {
  const v: string[] = [];
  if (options.steps.length === 0) v.push('steps must have at least one step, received none');
  for (const s of options.steps) {
    if (!STEP_ID_PATTERN.test(s.id)) v.push(`step id must match ${STEP_ID_PATTERN}, received "${s.id}"`);
    if (s.timeoutSeconds !== undefined && (!Number.isInteger(s.timeoutSeconds) || s.timeoutSeconds < 1 || s.timeoutSeconds > 31_536_000)) {
      v.push(`step "${s.id}" timeout must be a whole number of seconds between 1 and 31536000, received ${s.timeoutSeconds}`);
    }
    if (s.retry) {
      const { maxAttempts, intervalSeconds, backoffRate } = s.retry;
      if (!Number.isInteger(maxAttempts) || maxAttempts < 0 || maxAttempts > 10) v.push(`step "${s.id}" retry.maxAttempts must be an integer between 0 and 10, received ${maxAttempts}`);
      if (!Number.isInteger(intervalSeconds) || intervalSeconds < 1 || intervalSeconds > 3600) v.push(`step "${s.id}" retry.interval must be a whole number of seconds between 1 and 3600, received ${intervalSeconds}`);
      if (!(backoffRate >= 1 && backoffRate <= 10)) v.push(`step "${s.id}" retry.backoffRate must be between 1 and 10, received ${backoffRate}`);
    }
    if ((s.dependsOn?.length ?? 0) > 100) v.push(`step "${s.id}" dependsOn must name at most 100 steps (one BatchGetItem), received ${s.dependsOn?.length}`);
  }
  if (!Number.isInteger(options.pollSeconds) || options.pollSeconds < 1 || options.pollSeconds > 60) v.push(`pollInterval must be a whole number of seconds between 1 and 60, received ${options.pollSeconds}`);
  return [...v, ...(options.steps.length > 0 ? dagViolations(options.steps) : [])];
}

/**
 * Builds the definition: `Workflow` (a Parallel of the root steps' branches) → `Collect`.
 * A step's branch: Gate → Ready? (ready → Run, waiting → Wait → Gate, skip → Then) → Run
 * (timeout, retries) → Record → Then (a Parallel of the hosted steps' branches); a failed Run →
 * Failed (records the error) → Abort (a Fail state) or Then.
 *
 * @throws ConfigError naming every bad option at once
 */
export function parallelWorkflowDefinition(options: ParallelWorkflowOptions, arns: ParallelWorkflowArns): { StartAt: string; States: Record<string, State>; TimeoutSeconds?: number } {
  const violations = workflowViolations(options);
  if (violations.length > 0) throw new ConfigError(violations);
  const plan = planDag(options.steps);
  const ctx: BuildContext = { options, plan, specs: new Map(options.steps.map((s) => [s.id, s])), invoke: `arn:${arns.partition ?? 'aws'}:states:::lambda:invoke`, coordinatorArn: arns.coordinatorArn };
  return {
    StartAt: WorkflowStates.workflow,
    States: {
      [WorkflowStates.workflow]: {
        Type: 'Parallel',
        Parameters: { 'input.$': '$' },
        Branches: plan.roots.map((id) => branch(ctx, id)),
        ResultPath: null,
        Next: WorkflowStates.collect,
      },
      [WorkflowStates.collect]: {
        ...coordinatorTask(ctx, { action: 'collect', steps: plan.order }),
        OutputPath: '$.Payload',
        End: true,
      },
    },
    ...(options.timeoutSeconds !== undefined ? { TimeoutSeconds: options.timeoutSeconds } : {}),
  };
}

interface BuildContext {
  readonly options: ParallelWorkflowOptions;
  readonly plan: DagPlan;
  readonly specs: ReadonlyMap<string, WorkflowStepSpec>;
  readonly invoke: string;
  readonly coordinatorArn: string;
}

function coordinatorTask(ctx: BuildContext, payload: Record<string, unknown>): State {
  return {
    Type: 'Task',
    Resource: ctx.invoke,
    Parameters: { FunctionName: ctx.coordinatorArn, Payload: { ...payload, 'run.$': '$$.Execution.Id' } },
    Retry: COORDINATOR_RETRY,
  };
}

/** The branch of one step, with the branches of its hosted steps nested after its run. */
function branch(ctx: BuildContext, id: string): { StartAt: string; States: Record<string, State> } {
  const n = stepStateNames(id);
  const spec = ctx.specs.get(id) as WorkflowStepSpec;
  const hosted = ctx.plan.hosted.get(id) ?? [];
  const deps = ctx.plan.dependsOn.get(id) ?? [];
  const catcher: AslCatcher = { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: n.failed };
  const states: Record<string, State> = {
    // A root has nothing to wait for: its gate is a Pass, not a call.
    [n.gate]: deps.length === 0
      ? { Type: 'Pass', Result: { status: 'ready', results: {} }, ResultPath: '$.gate', Next: n.ready }
      : { ...coordinatorTask(ctx, { action: 'gate', step: id, dependsOn: deps }), ResultSelector: { 'status.$': '$.Payload.status', 'results.$': '$.Payload.results' }, ResultPath: '$.gate', Next: n.ready },
    [n.ready]: {
      Type: 'Choice',
      Choices: [
        { Variable: '$.gate.status', StringEquals: 'ready', Next: n.run },
        { Variable: '$.gate.status', StringEquals: 'waiting', Next: n.wait },
      ],
      Default: n.then,
    },
    [n.wait]: { Type: 'Wait', Seconds: ctx.options.pollSeconds, Next: n.gate },
    [n.run]: {
      Type: 'Task',
      Resource: ctx.invoke,
      Parameters: { FunctionName: spec.functionArn, Payload: { step: id, 'run.$': '$$.Execution.Id', 'input.$': '$.input', 'results.$': '$.gate.results' } },
      ResultSelector: { 'value.$': '$.Payload' },
      ResultPath: '$.out',
      ...(spec.timeoutSeconds !== undefined ? { TimeoutSeconds: spec.timeoutSeconds } : {}),
      Retry: [LAMBDA_SERVICE_RETRY, ...(spec.retry && spec.retry.maxAttempts > 0 ? [userRetry(spec.retry)] : [])],
      Catch: [catcher],
      Next: n.record,
    },
    [n.record]: { ...coordinatorTask(ctx, { action: 'record', step: id, 'result.$': '$.out.value' }), ResultPath: null, Next: n.then },
    [n.failed]: {
      ...coordinatorTask(ctx, { action: 'fail', step: id, 'error.$': '$.error' }),
      ResultSelector: { 'cause.$': '$.Payload.cause' },
      ResultPath: '$.failure',
      Next: ctx.options.failurePolicy === 'abort' ? n.abort : n.then,
    },
    [n.then]: hosted.length === 0
      ? { Type: 'Succeed' }
      : { Type: 'Parallel', Parameters: { 'input.$': '$.input' }, Branches: hosted.map((h) => branch(ctx, h)), ResultPath: null, End: true },
  };
  if (ctx.options.failurePolicy === 'abort') states[n.abort] = { Type: 'Fail', Error: STEP_FAILED_ERROR, CausePath: '$.failure.cause' };
  return { StartAt: n.gate, States: states };
}

function userRetry(retry: StepRetry): AslRetrier & { JitterStrategy: 'FULL' } {
  return { ErrorEquals: ['States.ALL'], MaxAttempts: retry.maxAttempts, IntervalSeconds: retry.intervalSeconds, BackoffRate: retry.backoffRate, JitterStrategy: 'FULL' };
}
