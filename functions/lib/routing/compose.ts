/**
 * Multi-worker: several reusable worker steps run as one handler, each step's
 * output the next one's input — "detect faces → tag identities → blur faces" in one
 * invocation instead of three queues.
 *
 * Use it when the steps are cheap relative to a hop (a queue hop costs a send, a receive, a
 * delete and an invocation per batch); keep separate stages when they need different batch
 * sizes, concurrency caps or timeouts.
 */
import { PoisonRecordError, PpError, type PpErrorOptions } from '../errors';

/** Context passed to every step of one item. */
export interface StepContext {
  /** Id of the item being processed (its SQS message id). */
  readonly itemId: string;
}

/** One worker step: input to output, sync or async. */
export type Step<In, Out> = (input: In, context: StepContext) => Out | Promise<Out>;

/** A step threw: names the step, keeps the cause. */
export class StepFailedError extends PpError {
  override readonly name: string = 'StepFailedError';
  /** Position of the failed step in the composition, from 0. */
  readonly stepIndex: number;
  /** The step's function name, or `step<index>` for an anonymous one. */
  readonly stepName: string;

  constructor(stepIndex: number, stepName: string, options: PpErrorOptions = {}) {
    const detail = options.cause instanceof Error ? options.cause.message : String(options.cause);
    super(`step ${stepIndex} (${stepName}) failed: ${detail}`, options);
    this.stepIndex = stepIndex;
    this.stepName = stepName;
  }
}

/** Composes steps left to right into one step. */
export function compose<A, B>(s1: Step<A, B>): Step<A, B>;
export function compose<A, B, C>(s1: Step<A, B>, s2: Step<B, C>): Step<A, C>;
export function compose<A, B, C, D>(s1: Step<A, B>, s2: Step<B, C>, s3: Step<C, D>): Step<A, D>;
export function compose<A, B, C, D, E>(s1: Step<A, B>, s2: Step<B, C>, s3: Step<C, D>, s4: Step<D, E>): Step<A, E>;
export function compose<A, B, C, D, E, F>(
  s1: Step<A, B>,
  s2: Step<B, C>,
  s3: Step<C, D>,
  s4: Step<D, E>,
  s5: Step<E, F>,
): Step<A, F>;
/**
 * Composes worker steps left to right into one step. A step that throws stops the item: a
 * {@link PoisonRecordError} stays one (so the item still goes straight to the DLQ), with the
 * step named in its reason; any other error becomes a {@link StepFailedError}.
 */
export function compose(...steps: Step<unknown, unknown>[]): Step<unknown, unknown>;
export function compose(...steps: Step<unknown, unknown>[]): Step<unknown, unknown> {
  if (steps.length === 0) throw new PpError('compose needs at least one step');
  return async (input, context) => {
    let value = input;
    for (const [index, step] of steps.entries()) {
      try {
        value = await step(value, context);
      } catch (cause) {
        throw wrapStepError(index, step.name || `step${index}`, cause);
      }
    }
    return value;
  };
}

function wrapStepError(index: number, name: string, cause: unknown): PpError {
  if (cause instanceof PoisonRecordError) return new PoisonRecordError(`step ${index} (${name}): ${cause.reason}`, { cause });
  return new StepFailedError(index, name, { cause });
}
