/**
 * Errors a local Task raises inside aws-local-stepfunctions. The library matches `Retry` and
 * `Catch` on `error.name` and reports `error.message` as the Cause, and it honours
 * `isRetryable` / `isCatchable`, which the runtime errors below switch off.
 */
import { LocalRuntimeError } from '../scheduling/errors';

/** A Task's failure as Step Functions reports it: `Error` (the name) and `Cause` (the message). */
export class TaskFailure extends LocalRuntimeError {
  /**
   * @param error the ASL error name, e.g. the Lambda's `errorType`
   * @param cause the ASL cause text, e.g. the Lambda error payload as JSON
   */
  constructor(error: string, cause: string, options?: { cause?: unknown }) {
    super(cause, options);
    this.name = error;
  }

  /** Read by the library before applying a Retry. */
  public get isRetryable(): boolean {
    return true;
  }

  /** Read by the library before applying a Catch. */
  public get isCatchable(): boolean {
    return true;
  }
}

/**
 * A failure no Retry or Catch may absorb (`States.Runtime`, `States.DataLimitExceeded`, an
 * integration the local runtime does not serve): it ends the execution, so a test can never
 * pass because a `States.ALL` Catch swallowed a local gap.
 */
export class TerminalTaskFailure extends TaskFailure {
  /** @inheritdoc */
  public override get isRetryable(): boolean {
    return false;
  }

  /** @inheritdoc */
  public override get isCatchable(): boolean {
    return false;
  }
}
