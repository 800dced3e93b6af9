/**
 * Errors of the embedded local runtime's scheduling, IAM and Step Functions modules.
 *
 * One hierarchy: {@link LocalRuntimeError} sets `name` and keeps `cause`; the subclasses
 * carry the data a caller needs (the AWS error code and HTTP status, the timer failures).
 */

/** Base class of every error these local-runtime modules throw. */
export class LocalRuntimeError extends Error {
  /**
   * @param message what went wrong, quoting the offending value
   * @param options the underlying error, kept as `cause`
   */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Misuse of a clock: advancing backwards, advancing re-entrantly, a non-finite time. */
export class ClockError extends LocalRuntimeError {}

/** One or more timer callbacks threw while a manual clock was advancing. */
export class TimerCallbackError extends LocalRuntimeError {
  /** Every error thrown by a timer callback during the advance, in firing order. */
  public readonly errors: readonly unknown[];

  /** @param errors the callback errors, in firing order (the first becomes `cause`) */
  constructor(errors: readonly unknown[]) {
    const first = errors[0];
    const detail = first instanceof Error ? first.message : String(first);
    super(`${errors.length} timer callback(s) failed; first: ${detail}`, { cause: first });
    this.errors = errors;
  }
}

/**
 * An error an emulated AWS service returns to its caller, in the service's own vocabulary.
 *
 * The protocol adapters turn it into the wire shape the AWS SDK parses (`__type` /
 * `x-amzn-errortype`), so SDK clients see e.g. a `ConflictException` instance.
 */
export class AwsServiceError extends LocalRuntimeError {
  /** The AWS error code, e.g. `ResourceNotFoundException`, `ExecutionDoesNotExist`. */
  public readonly code: string;
  /** The HTTP status AWS answers with for this error, e.g. 404. */
  public readonly status: number;

  /**
   * @param code the AWS error code
   * @param status the HTTP status AWS uses for it
   * @param message the human-readable message
   */
  constructor(code: string, status: number, message: string) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

/** `ValidationException` (400): a request field is missing or out of range. */
export function validationError(message: string): AwsServiceError {
  return new AwsServiceError('ValidationException', 400, message);
}

/** `ResourceNotFoundException` (404): the named resource does not exist. */
export function notFoundError(message: string): AwsServiceError {
  return new AwsServiceError('ResourceNotFoundException', 404, message);
}

/** `ConflictException` (409): a resource of that name already exists. */
export function conflictError(message: string): AwsServiceError {
  return new AwsServiceError('ConflictException', 409, message);
}
