/**
 * `workflowStep()`: the handler factory of a ParallelWorkflow step, wired to the run's
 * step-record table.
 */
import { runWorkflowStep, type WorkflowStepEvent, type WorkflowStepFn } from '../lib/parallel-workflow/step';
import type { StepRecordStore } from '../lib/parallel-workflow/types';
import { storeFromEnv } from './aws-wiring';

/** Options of {@link workflowStep}. */
export interface WorkflowStepOptions<I = unknown, O = unknown> {
  /** The step's work: gets the workflow input and `context.results` (dependencies' results by id). */
  readonly run: WorkflowStepFn<I, O>;
}

/** The Lambda handler {@link workflowStep} returns. */
export type WorkflowStepHandler = (event: WorkflowStepEvent) => Promise<unknown>;

/**
 * Builds a step handler: dependencies' results passed by reference are read back before
 * `run` is called, and a result over 32 KiB is stored in the run's table and passed on by
 * reference, so no result is capped by Step Functions' 256 KiB. Throw to fail the step
 * (it is retried as the construct says, then handled by the failure policy).
 *
 * ```ts
 * export const handler = workflowStep({
 *   run: async (input, { results }) => combine(results.region_north, results.region_south),
 * });
 * ```
 */
export function workflowStep<I = unknown, O = unknown>(options: WorkflowStepOptions<I, O>): WorkflowStepHandler {
  let store: StepRecordStore | undefined;
  // The store is built on first use, so a step that never sees a reference needs no table.
  const lazy: StepRecordStore = {
    get: (run, steps) => (store ??= storeFromEnv()).get(run, steps),
    put: (run, record) => (store ??= storeFromEnv()).put(run, record),
    list: (run) => (store ??= storeFromEnv()).list(run),
  };
  return (event) => runWorkflowStep(lazy, options.run as WorkflowStepFn, event);
}
