/**
 * Runs a ParallelWorkflow definition on the local Step Functions runtime with the real
 * coordinator core and step factory core over an in-memory record store; step functions are
 * test callbacks keyed by step id.
 */
import type { Clock } from '../../local-runtime/scheduling/clock';
import { LocalStateMachines } from '../../local-runtime/stepfunctions/local-state-machines';
import { coordinate } from '../../functions/lib/parallel-workflow/coordinator';
import { InMemoryStepRecordStore } from '../../functions/lib/parallel-workflow/memory-store';
import type { StepRecordStore } from '../../functions/lib/parallel-workflow/types';
import { runWorkflowStep, type WorkflowStepFn } from '../../functions/lib/parallel-workflow/step';
import { parallelWorkflowDefinition, type ParallelWorkflowOptions, type WorkflowStepSpec } from '../../statemachines/parallel-workflow';

/** The fake ARN of the coordinator. */
export const COORDINATOR_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:Coordinator';

/** The fake ARN of a step's function. */
export const stepArn = (id: string): string => `arn:aws:lambda:us-east-1:000000000000:function:Step-${id}`;

/** A step for {@link workflowRunner}: its spec (minus the ARN) and its code. */
export interface TestStep extends Omit<WorkflowStepSpec, 'functionArn'> {
  readonly run: WorkflowStepFn;
}

/** Builds the definition and a local runtime serving it; `calls` records every Lambda payload. */
export function workflowRunner(steps: readonly TestStep[], options: Omit<ParallelWorkflowOptions, 'steps'>, clock: Clock, store: StepRecordStore = new InMemoryStepRecordStore()) {
  const byArn = new Map(steps.map((s) => [stepArn(s.id), s]));
  const calls: { arn: string; payload: any }[] = [];
  const definition = parallelWorkflowDefinition({ ...options, steps: steps.map(({ run: _run, ...spec }) => ({ ...spec, functionArn: stepArn(spec.id) })) }, { coordinatorArn: COORDINATOR_ARN });
  const machines = new LocalStateMachines({
    clock,
    invokeLambda: async (arn, payload: any) => {
      calls.push({ arn, payload });
      if (arn === COORDINATOR_ARN) return coordinate(store, payload);
      const step = byArn.get(arn);
      if (!step) throw new Error(`no function ${arn}`);
      return runWorkflowStep(store, step.run, payload);
    },
  });
  const arn = machines.register({ name: 'Workflow', definition });
  const start = (input: unknown = {}, name?: string) => machines.startExecution({ stateMachineArn: arn, input: JSON.stringify(input), name }).executionArn;
  return { definition, machines, store, calls, start };
}
