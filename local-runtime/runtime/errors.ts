/**
 * Errors of the embedded local runtime core (template loading, emulators, gateway, Lambda host).
 *
 * They extend the local runtime's one base class, {@link LocalRuntimeError} (which sets `name`
 * and keeps `cause`), so a caller catches every local-runtime failure with one `instanceof`.
 */
import { LocalRuntimeError } from '../scheduling/errors';

export { LocalRuntimeError };

/** The cloud assembly or a template in it is missing, malformed, or names no such stack. */
export class AssemblyError extends LocalRuntimeError {}

/** An intrinsic function or reference the resolver cannot evaluate locally. */
export class IntrinsicError extends LocalRuntimeError {
  /** The logical ID of the resource (or output) whose property held the intrinsic. */
  public readonly path: string;

  /**
   * @param path where in the template the intrinsic sits, e.g. `Resources.Fn.Properties.Environment`
   * @param message what cannot be resolved, quoting the value
   */
  constructor(path: string, message: string) {
    super(`${path}: ${message}`);
    this.path = path;
  }
}

/** A resource of the template cannot be created locally (bad properties, emulator refusal). */
export class ProvisioningError extends LocalRuntimeError {
  /** The logical ID of the resource. */
  public readonly logicalId: string;

  /**
   * @param logicalId the resource that failed
   * @param message why, quoting the value
   * @param options the emulator's error, kept as `cause`
   */
  constructor(logicalId: string, message: string, options?: { cause?: unknown }) {
    super(`${logicalId}: ${message}`, options);
    this.logicalId = logicalId;
  }
}

/** A Lambda invocation failed: the handler threw, returned a rejected promise, or timed out. */
export class InvocationError extends LocalRuntimeError {
  /** The function's physical name. */
  public readonly functionName: string;
  /** The error type Lambda would report (`errorType`), e.g. `TypeError`, `Sandbox.Timedout`. */
  public readonly errorType: string;
  /** The handler's own message (`errorMessage`), without the function name. */
  public readonly errorMessage: string;
  /** The function's own stack lines (Lambda's `trace`), not the runtime's. */
  public readonly trace: readonly string[];
  /** Whether the function failed in its init phase (loading the bundle) or in the handler. */
  public readonly phase: 'init' | 'invoke';

  /**
   * @param functionName the function invoked
   * @param errorType the handler's error class name, or a Lambda-defined type
   * @param message the handler's error message
   * @param details the function's stack lines and the phase that failed
   */
  constructor(functionName: string, errorType: string, message: string, details: { trace?: readonly string[]; phase?: 'init' | 'invoke' } = {}) {
    super(`${functionName}: ${errorType}: ${message}`);
    this.functionName = functionName;
    this.errorType = errorType;
    this.errorMessage = message;
    this.trace = details.trace ?? [];
    this.phase = details.phase ?? 'invoke';
  }
}

/** A bad runtime option or CLI argument; the message names the option and quotes the value. */
export class RuntimeConfigError extends LocalRuntimeError {
  /** Every violation found, one per entry. */
  public readonly violations: readonly string[];

  /** @param violations every violation found (validation collects them all before throwing) */
  constructor(violations: readonly string[]) {
    super(`Invalid local runtime configuration: ${violations.join('; ')}`);
    this.violations = [...violations];
  }
}

/** A role the runtime enforces does not allow an action (a schedule's or rule's delivery role). */
export class AccessDeniedError extends LocalRuntimeError {
  /** The role or principal ARN. */
  public readonly principalArn: string;
  public readonly action: string;
  public readonly resource: string;

  /**
   * @param principalArn who was refused
   * @param action the IAM action
   * @param resource the resource ARN
   */
  constructor(principalArn: string, action: string, resource: string) {
    super(`${principalArn} is not authorized to perform: ${action} on resource: ${resource}`);
    this.principalArn = principalArn;
    this.action = action;
    this.resource = resource;
  }
}

/** The stack kept working past the wall-time limit of `settle()` or `advanceClock()`. */
export class SettleTimeoutError extends LocalRuntimeError {
  /** What was still busy at the last check, e.g. `queue Orders holds 3 messages`. */
  public readonly busy: string;

  /**
   * @param timeoutMs the limit, wall milliseconds
   * @param busy what was still busy at the last check
   */
  constructor(timeoutMs: number, busy: string) {
    super(`the stack did not settle within ${timeoutMs} ms: ${busy}`);
    this.busy = busy;
  }
}
