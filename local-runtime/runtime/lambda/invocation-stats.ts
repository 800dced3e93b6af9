/**
 * What became of a function's invocations: how many ran, succeeded, failed, and failed in the
 * init phase (the bundle never loaded), with the first message of each kind. A run where every
 * invocation fails at init must say so, not just show a full dead-letter queue. It also sums
 * their billed duration: what a function that waits inside its invocation costs, and counts its
 * cold starts with their longest init duration.
 */
import { InvocationError } from '../errors';
import { INJECTED_FAULT_TYPE } from '../faults/fault-injector';

/** A function's invocation outcomes so far. */
export interface InvocationOutcomes {
  /** The function's physical name. */
  readonly functionName: string;
  /** Invocations started, injected faults included. */
  readonly invocations: number;
  readonly succeeded: number;
  /** Failures of the function itself (init failures included, injected faults not). */
  readonly errors: number;
  /** Failures because the init phase failed (the module did not load, init timed out). */
  readonly initErrors: number;
  /** Failures injected by the fault injector (not the function's). */
  readonly injected: number;
  /**
   * Billed duration of the invocations that reached the handler, in ms: each one's wall time
   * from handing the event to the handler until it returned, failed or timed out, rounded up
   * to the millisecond as Lambda bills it (init and waiting for a free environment excluded).
   */
  readonly billedMs: number;
  /** `errorType: errorMessage` of the first failure of the function. */
  readonly firstError?: string;
  /** `errorType: errorMessage` of the first init failure. */
  readonly firstInitError?: string;
  /** Execution environments whose first invocation ran (cold starts). */
  readonly coldStarts: number;
  /** The longest init duration of those cold starts, in ms (Lambda's `Init Duration`). */
  readonly maxInitDurationMs?: number;
}

/** An invocation's billed duration: its wall time rounded up to the millisecond, at least 1 ms, as Lambda bills it. */
export function billedDuration(ms: number): number {
  return Math.max(1, Math.ceil(ms));
}

/** Counts one function's outcomes. */
export class InvocationStats {
  private readonly counts = { invocations: 0, succeeded: 0, errors: 0, initErrors: 0, injected: 0, billedMs: 0 };
  private firstError?: string;
  private firstInitError?: string;
  private coldStarts = 0;
  private maxInitDurationMs?: number;

  /** @param functionName the function's physical name */
  constructor(private readonly functionName: string) {}

  /** An invocation started. */
  public started(): void {
    this.counts.invocations++;
  }

  /** An invocation returned. */
  public succeeded(): void {
    this.counts.succeeded++;
  }

  /** An invocation's handler ran for `ms` (wall time); billed rounded up to the millisecond. */
  public ran(ms: number): void {
    this.counts.billedMs += billedDuration(ms);
  }

  /** An invocation failed with `err`. */
  public failed(err: unknown): void {
    const e = err instanceof InvocationError ? err : new InvocationError(this.functionName, 'Error', String(err));
    if (e.errorType === INJECTED_FAULT_TYPE) return void this.counts.injected++;
    const text = `${e.errorType}: ${e.errorMessage}`;
    this.counts.errors++;
    this.firstError ??= text;
    if (e.phase === 'init') {
      this.counts.initErrors++;
      this.firstInitError ??= text;
    }
  }

  /** An environment ran its first invocation after an init phase of `initMs`. */
  public coldStart(initMs: number): void {
    this.coldStarts++;
    this.maxInitDurationMs = Math.max(this.maxInitDurationMs ?? 0, initMs);
  }

  /** The outcomes so far. */
  public snapshot(): InvocationOutcomes {
    return {
      functionName: this.functionName,
      ...this.counts,
      firstError: this.firstError,
      firstInitError: this.firstInitError,
      coldStarts: this.coldStarts,
      maxInitDurationMs: this.maxInitDurationMs,
    };
  }
}

/** Whether a function was invoked and never once succeeded (a run with it should not pass). */
export function neverSucceeded(o: InvocationOutcomes): boolean {
  return o.invocations > 0 && o.succeeded === 0;
}
