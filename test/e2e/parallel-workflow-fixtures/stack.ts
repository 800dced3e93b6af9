/** The end-to-end stack of ParallelWorkflow: a regional sales report, a large result, a failing branch. */
import { fileURLToPath } from 'node:url';
import { CfnOutput, Duration, Stack, type App } from 'aws-cdk-lib';
import { ParallelWorkflow } from '../../../infra/parallel-workflow';

/** Output names of the stack. */
export const WorkflowOutput = { stateMachineArn: 'StateMachineArn', tableName: 'TableName' } as const;

const entry = fileURLToPath(new URL('./step.ts', import.meta.url));

/** Adds the stack to `app`. */
export function workflowStack(app: App, id = 'WorkflowE2E'): Stack {
  const stack = new Stack(app, id);
  const workflow = new ParallelWorkflow(stack, 'Report', {
    failurePolicy: 'continue',
    steps: [
      { id: 'region_north', entry },
      { id: 'region_south', entry },
      { id: 'region_east', entry },
      { id: 'combine', dependsOn: ['region_north', 'region_south', 'region_east'], entry },
      { id: 'details', entry },
      { id: 'report', dependsOn: ['combine', 'details'], entry, timeout: Duration.seconds(30) },
      { id: 'broken', entry, retry: { maxAttempts: 1 } },
      { id: 'after_broken', dependsOn: ['broken', 'region_north'], entry },
    ],
  });
  new CfnOutput(stack, WorkflowOutput.stateMachineArn, { value: workflow.stateMachine.stateMachineArn });
  new CfnOutput(stack, WorkflowOutput.tableName, { value: workflow.table.tableName });
  return stack;
}
