/**
 * Execution records as DescribeExecution reports them, and the outcome of a finished run
 * mapped from aws-local-stepfunctions' errors to Step Functions' status, error and cause.
 */
import './polyfill';
import { ExecutionError, ExecutionTimeoutError } from './library';
import { AwsServiceError } from '../scheduling/errors';

/** The status of an execution. */
export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/** One execution, as DescribeExecution describes it (dates in epoch ms). */
export interface ExecutionRecord {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  status: ExecutionStatus;
  readonly startDate: number;
  stopDate?: number;
  /** The input, as JSON text. */
  readonly input: string;
  /** The output, as JSON text (SUCCEEDED only). */
  output?: string;
  /** The error name (FAILED, TIMED_OUT, ABORTED when given). */
  error?: string;
  /** The error cause text. */
  cause?: string;
}

/** What a finished run turns into. */
export type Outcome = Pick<ExecutionRecord, 'status' | 'output' | 'error' | 'cause'>;

/** Maps a run's rejection to the execution outcome. */
export function failureOutcome(err: unknown): Outcome {
  if (err instanceof ExecutionTimeoutError) return { status: 'TIMED_OUT', error: 'States.Timeout', cause: 'The execution timed out.' };
  const inner = err instanceof ExecutionError ? (err.cause as Error | undefined) : (err as Error);
  // A Fail state reports only what it sets: no Error and no Cause when it sets neither.
  if (inner && 'aslError' in inner) return { status: 'FAILED', error: inner.aslError as string | undefined, cause: (inner as { aslCause?: string }).aslCause };
  return { status: 'FAILED', error: inner?.name ?? 'States.Runtime', cause: inner?.message ?? String(err) };
}

/** Names may be 1–80 characters without whitespace, brackets, wildcards or control characters. */
export function checkExecutionName(name: string): void {
  if (!/^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]{1,80}$/.test(name)) {
    throw new AwsServiceError('InvalidName', 400, `Invalid Name: '${name}'`);
  }
}

/** Parses an execution input (JSON text; absent means `{}`). */
export function parseExecutionInput(input: string | undefined): unknown {
  if (input === undefined) return {};
  if (Buffer.byteLength(input, 'utf8') > 262_144) throw new AwsServiceError('InvalidExecutionInput', 400, 'Input exceeds the 262144-byte limit.');
  try {
    return JSON.parse(input);
  } catch (err) {
    throw new AwsServiceError('InvalidExecutionInput', 400, `Invalid State Machine Execution Input: '${(err as Error).message}'`);
  }
}
