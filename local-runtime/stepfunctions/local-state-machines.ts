/**
 * Step Functions, in process: state machines from the template run on aws-local-stepfunctions,
 * their Lambda tasks routed to the runtime's Lambda host, executions tracked for
 * Start/Describe/List/StopExecution.
 */
import './polyfill';
import { randomUUID } from 'node:crypto';
import { StateMachine } from './library';
import type { Clock } from '../scheduling/clock';
import { type LocalAccount, resolveAccount } from '../scheduling/delivery';
import { AwsServiceError } from '../scheduling/errors';
import { pageOf, type WireRequest, type WireResponse } from '../scheduling/protocol';
import { prepareDefinition, type TaskKind } from './definition';
import { ExecutionActivity } from './execution-activity';
import { ExecutionHistory, type HistoryEvent } from './execution-history';
import { armExecutionTimeout } from './execution-timeout';
import { checkExecutionName, type ExecutionRecord, type ExecutionStatus, failureOutcome, parseExecutionInput } from './executions';
import { handleStepFunctionsRequest } from './sfn-adapter';
import { buildTaskHandlers, checkPayloadSize, type InvokeLambda, type InvokeService } from './task-handlers';
import { type DistributedMapSpec, runDistributedMap } from './distributed-map';
import type { S3Access } from './item-reader';
import { MapRuns } from './map-runs';
import { StateMachineDescriptions } from './read-operations';
import { TransitionCounter } from './transitions';

/** Options of {@link LocalStateMachines}. */
export interface LocalStateMachinesOptions extends LocalAccount {
  /** Dates executions, and drives Wait states. */
  readonly clock: Clock;
  /**
   * Runs Lambda tasks (`arn:aws:states:::lambda:invoke` and direct function ARNs); its third
   * argument names the calling state machine and execution, so one instance serving several
   * machines can check each machine's own role.
   */
  readonly invokeLambda: InvokeLambda;
  /**
   * Runs other optimized integrations (`arn:aws:states:::sqs:sendMessage`, ...), told the caller too.
   * @default - such Tasks fail the execution with States.Runtime (never caught)
   */
  readonly invokeService?: InvokeService;
  /**
   * `immediate` retries at once (the library would sleep in wall time, off the injected
   * clock); `real` lets it sleep the computed interval in wall time (for `npm start`).
   * @default 'immediate'
   */
  readonly retryIntervals?: 'immediate' | 'real';
  /**
   * S3 as the service reaches it (Distributed Map ItemReader and ResultWriter), on behalf of the calling machine.
   * @default - such states fail with States.Runtime
   */
  readonly s3?: S3Access;
}

/** RegisterStateMachine input. */
export interface RegisterStateMachineInput {
  /** The state machine's name (the ARN's last segment). */
  readonly name: string;
  /** The resolved DefinitionString (JSON text) or the definition object. */
  readonly definition: string | object;
  /** @default - `arn:aws:states:<region>:<account>:stateMachine:<name>` */
  readonly stateMachineArn?: string;
  /** The machine whose role its tasks run with (a Distributed Map's children use their parent's). @default - its own */
  readonly roleOf?: string;
  /** The role DescribeStateMachine names. @default - none */
  readonly roleArn?: string;
  /** `STANDARD` or `EXPRESS`. @default 'STANDARD' */
  readonly type?: string;
}

interface Machine {
  readonly arn: string;
  readonly name: string;
  readonly library: StateMachine;
  /** How each Task (and rewritten Wait) state is served; handlers are built per execution. */
  readonly tasks: ReadonlyMap<string, TaskKind>;
  readonly retryOverrides: Record<string, number>;
  /** The ARN its tasks name as their caller (whose role applies). */
  readonly callerArn: string;
  /** The top-level TimeoutSeconds in ms, timed on the clock. */
  readonly timeoutMs?: number;
  readonly roleArn?: string;
}

interface Running {
  readonly record: ExecutionRecord;
  readonly done: Promise<ExecutionRecord>;
  readonly activity: ExecutionActivity;
  readonly history: ExecutionHistory;
  abort(): void;
}

/** What an execution stopped by {@link LocalStateMachines.dispose} reports as its cause. */
export const DISPOSED_CAUSE = 'the local Step Functions service was stopped';

/** Definitions already validated: the library's validation compiles JSON schemas, ~0.1–0.3 s a call. */
const validated = new Set<string>();

/** Validates a definition as written (the prepared copy runs unvalidated: its Waits carry a local Resource). */
function validateOnce(definition: string | object): void {
  const text = typeof definition === 'string' ? definition : JSON.stringify(definition);
  if (validated.has(text)) return;
  try {
    new StateMachine(JSON.parse(text));
  } catch (err) {
    throw new AwsServiceError('InvalidDefinition', 400, (err as Error).message);
  }
  validated.add(text);
}

/** Runs the template's state machines locally and serves the Step Functions API for them. */
export class LocalStateMachines {
  private readonly machines = new Map<string, Machine>();
  private readonly executions = new Map<string, Running>();
  private readonly account: Required<LocalAccount>;
  private disposed = false;
  /** The Map Runs of Distributed Map states (DescribeMapRun). */
  public readonly mapRuns = new MapRuns();
  /** State transitions per execution, as billed. */
  public readonly transitions = new TransitionCounter();
  /** The registered machines as ListStateMachines/DescribeStateMachine show them (Distributed Map children are not listed). */
  public readonly descriptions = new StateMachineDescriptions();

  /** @param options clock, Lambda/service callbacks, account */
  constructor(private readonly options: LocalStateMachinesOptions) {
    this.account = resolveAccount(options);
  }

  /**
   * Registers (or replaces) a state machine; validates its definition as the library does.
   * @returns the state machine ARN
   * @throws AwsServiceError InvalidDefinition
   */
  public register(input: RegisterStateMachineInput): string {
    const arn = input.stateMachineArn ?? `arn:aws:states:${this.account.region}:${this.account.accountId}:stateMachine:${input.name}`;
    const prepared = prepareDefinition(input.definition);
    validateOnce(input.definition);
    const library = new StateMachine(prepared.definition as never, { validationOptions: { noValidate: true } });
    const retryOverrides = this.options.retryIntervals === 'real' ? {} : Object.fromEntries(prepared.retryStates.map((s) => [s, 0]));
    const callerArn = input.roleOf ?? arn;
    this.machines.set(arn, { arn, name: input.name, library, tasks: prepared.tasks, retryOverrides, callerArn, timeoutMs: prepared.executionTimeoutMs, roleArn: input.roleArn });
    if (input.roleOf === undefined) this.descriptions.add({ arn, name: input.name, definition: input.definition, roleArn: input.roleArn, type: input.type, creationDate: this.options.clock.now() });
    for (const kind of prepared.tasks.values()) {
      if (kind.kind === 'distributed-map') this.register({ name: `${input.name}/${kind.spec.stateName}`, definition: kind.spec.processor, stateMachineArn: `${arn}/${kind.spec.stateName}`, roleOf: callerArn });
    }
    return arn;
  }

  /**
   * StartExecution: starts a run and returns at once (it continues in the background).
   * @throws AwsServiceError ServiceUnavailable once {@link dispose} was called
   */
  public startExecution(input: { stateMachineArn: string; input?: string; name?: string }): { executionArn: string; startDate: number } {
    if (this.disposed) throw new AwsServiceError('ServiceUnavailable', 503, DISPOSED_CAUSE);
    const machine = this.machines.get(input.stateMachineArn);
    if (!machine) throw new AwsServiceError('StateMachineDoesNotExist', 400, `State Machine Does Not Exist: '${input.stateMachineArn}'`);
    const name = input.name ?? randomUUID();
    checkExecutionName(name);
    const parsed = parseExecutionInput(input.input);
    const executionArn = `arn:aws:states:${this.account.region}:${this.account.accountId}:execution:${machine.name}:${name}`;
    const existing = this.executions.get(executionArn);
    if (existing) {
      // AWS treats a repeat of a running execution with the same input as idempotent.
      if (existing.record.status === 'RUNNING' && existing.record.input === (input.input ?? '{}')) return { executionArn, startDate: existing.record.startDate };
      throw new AwsServiceError('ExecutionAlreadyExists', 400, `Execution Already Exists: '${executionArn}'`);
    }
    const record: ExecutionRecord = { executionArn, stateMachineArn: machine.arn, name, status: 'RUNNING', startDate: this.options.clock.now(), input: input.input ?? '{}' };
    this.executions.set(executionArn, this.run(machine, record, parsed));
    return { executionArn, startDate: record.startDate };
  }

  /** DescribeExecution. */
  public describeExecution(executionArn: string): ExecutionRecord {
    return { ...this.mustGet(executionArn).record };
  }

  /** ListExecutions, newest first. */
  public listExecutions(input: { stateMachineArn: string; statusFilter?: ExecutionStatus; maxResults?: number; nextToken?: string }): { executions: ExecutionRecord[]; nextToken?: string } {
    if (!this.machines.has(input.stateMachineArn)) throw new AwsServiceError('StateMachineDoesNotExist', 400, `State Machine Does Not Exist: '${input.stateMachineArn}'`);
    const all = [...this.executions.values()]
      .map((e) => e.record)
      .filter((r) => r.stateMachineArn === input.stateMachineArn && (!input.statusFilter || r.status === input.statusFilter))
      .reverse();
    const { page, next } = pageOf(all, input.maxResults, input.nextToken, 1000);
    return { executions: page.map((r) => ({ ...r })), nextToken: next };
  }

  /** GetExecutionHistory: the execution's events so far, oldest first. */
  public executionHistory(executionArn: string): readonly HistoryEvent[] {
    return this.mustGet(executionArn).history.events;
  }

  /** StopExecution: aborts a running execution (status ABORTED). */
  public stopExecution(input: { executionArn: string; error?: string; cause?: string }): { stopDate: number } {
    const running = this.mustGet(input.executionArn);
    this.abort(running, input.error, input.cause);
    return { stopDate: running.record.stopDate as number };
  }

  /**
   * Running executions that are not parked: a Task is in flight, or the execution is between
   * states. An execution whose only activity is a Wait on the clock is parked, not active: it
   * moves only when the clock does. (Retry intervals slept in wall time, with
   * `retryIntervals: 'real'`, are not seen.)
   */
  public get activeExecutions(): number {
    return [...this.executions.values()].filter((e) => e.record.status === 'RUNNING' && !e.activity.parked).length;
  }

  /**
   * Stops every running execution (ABORTED, cause {@link DISPOSED_CAUSE}), cancels their Wait
   * timers, refuses new executions, and resolves once every execution has settled. A Lambda
   * task in flight is not interrupted, but its result is dropped. Idempotent.
   */
  public async dispose(): Promise<void> {
    this.disposed = true;
    for (const running of this.executions.values()) this.abort(running, undefined, DISPOSED_CAUSE);
    await this.drain();
  }

  /** Resolves with the execution's record once it has finished. */
  public waitForExecution(executionArn: string): Promise<ExecutionRecord> {
    return this.mustGet(executionArn).done;
  }

  /** Resolves when every execution started so far has finished. */
  public async drain(): Promise<void> {
    await Promise.all([...this.executions.values()].map((e) => e.done));
  }

  /** Serves the Step Functions JSON 1.0 protocol (what `@aws-sdk/client-sfn` sends). */
  public handle(req: WireRequest): Promise<WireResponse> {
    return handleStepFunctionsRequest(this, req);
  }

  private abort(running: Running, error: string | undefined, cause: string | undefined, status: 'ABORTED' | 'TIMED_OUT' = 'ABORTED'): void {
    if (running.record.status !== 'RUNNING') return;
    Object.assign(running.record, { status, stopDate: this.options.clock.now(), error, cause });
    running.abort();
    // After the abort, so a Wait woken early ends the run instead of moving on to its next state.
    running.activity.cancel();
  }

  private runMap(machine: Machine, record: ExecutionRecord, context: Record<string, unknown>, spec: DistributedMapSpec, input: unknown): Promise<unknown> {
    const childArn = `${machine.arn}/${spec.stateName}`;
    return runDistributedMap(spec, input, {
      clock: this.options.clock,
      caller: { stateMachineArn: machine.callerArn, executionArn: record.executionArn },
      context,
      mapRunArnPrefix: `arn:aws:states:${this.account.region}:${this.account.accountId}:mapRun:${machine.name}/${spec.stateName}`,
      mapRuns: this.mapRuns,
      s3: this.options.s3,
      startChild: (name, childInput) => {
        const { executionArn } = this.startExecution({ stateMachineArn: childArn, name, input: JSON.stringify(childInput) });
        return { executionArn, done: this.waitForExecution(executionArn) };
      },
      stopChild: (executionArn) => this.stopExecution({ executionArn, error: 'States.Aborted', cause: 'the Map Run failed' }),
    });
  }

  private mustGet(executionArn: string): Running {
    const running = this.executions.get(executionArn);
    if (!running) throw new AwsServiceError('ExecutionDoesNotExist', 400, `Execution Does Not Exist: '${executionArn}'`);
    return running;
  }

  private run(machine: Machine, record: ExecutionRecord, input: unknown): Running {
    const context = { Execution: { Id: record.executionArn, Name: record.name }, StateMachine: { Id: machine.arn, Name: machine.name } };
    const activity = new ExecutionActivity(this.options.clock);
    const history = new ExecutionHistory(this.options.clock, machine.tasks, this.account.region);
    history.started(record.input, this.machines.get(machine.callerArn)?.roleArn);
    const handlers = buildTaskHandlers(machine.tasks, {
      ...this.account,
      clock: this.options.clock,
      invokeLambda: this.options.invokeLambda,
      invokeService: this.options.invokeService,
      caller: { stateMachineArn: machine.callerArn, executionArn: record.executionArn },
      activity,
      runDistributedMap: (spec, mapInput) => this.runMap(machine, record, context, spec, mapInput),
    });
    const overrides = { taskResourceLocalHandlers: history.trace(handlers) as never, retryIntervalOverrides: machine.retryOverrides };
    const execution = machine.library.run(input as never, { overrides, context, noThrowOnAbort: true });
    // The log closes when the run settles (success, failure, abort or timeout).
    const followed = this.transitions.follow(record.executionArn, history.follow(execution.eventLogs));
    const done = execution.result.then(
      (output) => {
        checkPayloadSize(output, 'execution output');
        return { status: 'SUCCEEDED' as const, output: JSON.stringify(output ?? null) };
      },
    ).catch(failureOutcome).then(async (outcome) => {
      await followed;
      if (record.status === 'RUNNING') Object.assign(record, outcome, { stopDate: this.options.clock.now() });
      history.finished(record);
      return { ...record };
    });
    const running: Running = { record, done, activity, history, abort: execution.abort };
    const disarm = armExecutionTimeout(this.options.clock, record.startDate, machine.timeoutMs, () => this.abort(running, 'States.Timeout', 'The execution timed out.', 'TIMED_OUT'));
    void done.finally(disarm);
    return running;
  }
}
