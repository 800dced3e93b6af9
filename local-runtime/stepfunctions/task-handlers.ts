/**
 * The local handlers behind every Task state (the library's `taskResourceLocalHandlers`):
 * Lambda tasks go to the runtime's `invokeLambda`, other integrations to `invokeService`,
 * rewritten Wait states sleep on the clock. No Task ever reaches the library's own AWS client.
 */
import type { Clock } from '../scheduling/clock';
import { readPath } from '../scheduling/json-path';
import type { TaskKind, WaitSpec } from './definition';
import type { DistributedMapSpec } from './distributed-map';
import { TaskFailure, TerminalTaskFailure } from './errors';
import type { ExecutionActivity } from './execution-activity';

/** Who runs a Task: the state machine (whose role the call is made with) and its execution. */
export interface TaskCaller {
  /** The calling state machine's ARN. */
  readonly stateMachineArn: string;
  /** The calling execution's ARN. */
  readonly executionArn: string;
}

/**
 * Invokes a Lambda function synchronously with `payload` (any JSON value) and resolves with
 * its result. A function error rejects, with `errorType`/`errorMessage`/`trace` fields (as
 * in Lambda's error payload) or else as an Error whose `name` is the error type. `caller`
 * names the state machine and execution the Task belongs to (e.g. to check that machine's role).
 */
export type InvokeLambda = (functionArn: string, payload: unknown, caller: TaskCaller) => Promise<unknown>;

/**
 * Serves another optimized integration, e.g. `arn:aws:states:::sqs:sendMessage`, with the
 * state's resolved Parameters, on behalf of `caller`.
 */
export type InvokeService = (resource: string, parameters: unknown, caller: TaskCaller) => Promise<unknown>;

/** What the task handlers call out to. */
export interface TaskHandlerDeps {
  readonly clock: Clock;
  readonly invokeLambda: InvokeLambda;
  readonly invokeService?: InvokeService;
  readonly region: string;
  readonly accountId: string;
  /** The execution the handlers serve. */
  readonly caller: TaskCaller;
  /** Tracks the execution's Tasks in flight and Waits asleep. */
  readonly activity: ExecutionActivity;
  /** Runs a Distributed Map state (see distributed-map.ts). @default - such states fail with States.Runtime */
  readonly runDistributedMap?: (spec: DistributedMapSpec, input: unknown) => Promise<unknown>;
}

/** A state's local handler: takes the state's effective input, returns its result. */
export type TaskHandler = (input: unknown) => Promise<unknown>;

/** Step Functions' limit on state input and output, in bytes. */
export const MAX_PAYLOAD_BYTES = 262_144;

/** Fails with `States.DataLimitExceeded` when `value` is larger than Step Functions accepts. */
export function checkPayloadSize(value: unknown, what: string): void {
  const bytes = Buffer.byteLength(JSON.stringify(value ?? null), 'utf8');
  if (bytes > MAX_PAYLOAD_BYTES) {
    throw new TerminalTaskFailure('States.DataLimitExceeded', `The ${what} of ${bytes} bytes exceeds the maximum of ${MAX_PAYLOAD_BYTES} bytes.`);
  }
}

/** Lambda's error, as Step Functions reports it: Error is the errorType, Cause the error payload. */
export function lambdaTaskFailure(err: unknown): TaskFailure {
  if (err instanceof TaskFailure) return err;
  const e = (err ?? {}) as { errorType?: string; errorMessage?: string; trace?: string[]; name?: string; message?: string; stack?: string };
  const errorType = e.errorType ?? e.name ?? 'Error';
  const errorMessage = e.errorMessage ?? e.message ?? String(err);
  const trace = e.trace ?? e.stack?.split('\n') ?? [];
  return new TaskFailure(errorType, JSON.stringify({ errorType, errorMessage, trace }), { cause: err });
}

/** A `FunctionName` (name, `name:qualifier`, partial or full ARN) as an unqualified function ARN. */
export function functionArnOf(functionName: string, region: string, accountId: string): string {
  const full = /^(arn:aws[\w-]*:lambda:[^:]+:\d+:function:[^:]+)/.exec(functionName);
  if (full) return full[1];
  const partial = /^(\d{12}):function:([^:]+)/.exec(functionName);
  if (partial) return `arn:aws:lambda:${region}:${partial[1]}:function:${partial[2]}`;
  return `arn:aws:lambda:${region}:${accountId}:function:${functionName.split(':')[0]}`;
}

async function callLambda(deps: TaskHandlerDeps, functionArn: string, payload: unknown): Promise<unknown> {
  checkPayloadSize(payload, 'Lambda payload');
  let result: unknown;
  try {
    result = await deps.invokeLambda(functionArn, payload, deps.caller);
  } catch (err) {
    throw lambdaTaskFailure(err);
  }
  checkPayloadSize(result, 'Lambda result');
  return result ?? null;
}

/** `arn:aws:states:::lambda:invoke`: the state's Parameters carry FunctionName and Payload. */
async function lambdaInvokeIntegration(deps: TaskHandlerDeps, input: unknown): Promise<unknown> {
  const params = (input ?? {}) as { FunctionName?: unknown; Payload?: unknown; InvocationType?: unknown };
  if (typeof params.FunctionName !== 'string') throw new TerminalTaskFailure('States.Runtime', 'lambda:invoke needs Parameters.FunctionName');
  const functionArn = functionArnOf(params.FunctionName, deps.region, deps.accountId);
  if (params.InvocationType === 'Event') {
    // An asynchronous invoke never fails the task with the function's error, as on AWS.
    await callLambda(deps, functionArn, params.Payload ?? {}).catch(() => undefined);
    return { Payload: '', SdkHttpMetadata: { HttpStatusCode: 202 }, SdkResponseMetadata: {}, StatusCode: 202 };
  }
  const payload = await callLambda(deps, functionArn, params.Payload ?? {});
  return { ExecutedVersion: '$LATEST', Payload: payload, SdkHttpMetadata: { HttpStatusCode: 200 }, SdkResponseMetadata: {}, StatusCode: 200 };
}

function waitMs(wait: WaitSpec, input: unknown, now: number): number {
  const path = wait.SecondsPath ?? wait.TimestampPath;
  const value = path !== undefined ? readPath(input, path) : (wait.Seconds ?? wait.Timestamp);
  if (wait.Seconds !== undefined || wait.SecondsPath !== undefined) {
    if (typeof value !== 'number' || value < 0) throw new TerminalTaskFailure('States.Runtime', `Wait seconds must be a non-negative number, got ${JSON.stringify(value)}`);
    return value * 1000;
  }
  const at = typeof value === 'string' ? Date.parse(value) : NaN;
  if (Number.isNaN(at)) throw new TerminalTaskFailure('States.Runtime', `Wait timestamp must be an RFC 3339 date, got ${JSON.stringify(value)}`);
  return at - now;
}

function handlerFor(kind: TaskKind, deps: TaskHandlerDeps): TaskHandler {
  const { activity } = deps;
  switch (kind.kind) {
    case 'lambda-invoke':
      return (input) => activity.task(() => lambdaInvokeIntegration(deps, input));
    case 'lambda-arn':
      return (input) => activity.task(() => callLambda(deps, kind.functionArn, input));
    case 'wait':
      return async (input) => {
        await activity.sleep(waitMs(kind.wait, input, deps.clock.now()));
        return input;
      };
    case 'service':
      return (input) => activity.task(async () => {
        if (!deps.invokeService) throw new TerminalTaskFailure('States.Runtime', `integration ${kind.resource} is not served locally`);
        return deps.invokeService(kind.resource, input, deps.caller);
      });
    case 'distributed-map':
      return async (input) => {
        if (!deps.runDistributedMap) throw new TerminalTaskFailure('States.Runtime', `Distributed Map ${kind.spec.stateName} is not served by this executor`);
        return deps.runDistributedMap(kind.spec, input);
      };
    case 'unsupported':
      return async () => {
        throw new TerminalTaskFailure('States.Runtime', `${kind.resource}: ${kind.reason}`);
      };
  }
}

/**
 * Builds the library's task overrides for one execution: one local handler per Task (and
 * rewritten Wait) state name.
 */
export function buildTaskHandlers(tasks: ReadonlyMap<string, TaskKind>, deps: TaskHandlerDeps): Record<string, TaskHandler> {
  return Object.fromEntries([...tasks].map(([name, kind]) => [name, handlerFor(kind, deps)]));
}
