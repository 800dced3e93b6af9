/**
 * End to end on the embedded local runtime: the synthesized ParallelWorkflow — its state
 * machine on the local Step Functions service, the bundled coordinator and steps in worker
 * threads under the template's IAM, step records in dynalite.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../infra/private/paths';
import { LocalRuntime } from '../../local-runtime/runtime/local-runtime';
import type { ExecutionRecord } from '../../local-runtime/stepfunctions';
import { WorkflowOutput, workflowStack } from './parallel-workflow-fixtures/stack';

let outdir: string;
let runtime: LocalRuntime;
let done: ExecutionRecord;

beforeAll(async () => {
  outdir = mkdtempSync(join(tmpdir(), 'pp-e2e-workflow-'));
  const app = new App({ outdir });
  workflowStack(app);
  app.synth();
  runtime = await LocalRuntime.start({ assemblyDir: outdir, projectRoot: packageRoot(), timeScale: 0.05 });
  const { executionArn } = runtime.stateMachines.startExecution({ stateMachineArn: runtime.output(WorkflowOutput.stateMachineArn), input: JSON.stringify({ title: 'Q3' }) });
  done = await runtime.stateMachines.waitForExecution(executionArn);
}, 300_000);

afterAll(async () => {
  await runtime?.stop();
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

describe('ParallelWorkflow end to end (local runtime)', () => {
  it('runs every step that does not depend on the failed one, results keyed by step id, large ones by reference', () => {
    expect(done.status).toBe('SUCCEEDED');
    const output = JSON.parse(done.output as string);
    expect(output).toStrictEqual({
      status: 'failed',
      results: {
        region_north: { sales: 10 }, region_south: { sales: 20 }, region_east: { sales: 30 },
        combine: 60, details: { $ppStepResult: 'details' }, report: 'Q3: 60 over 20000 rows',
      },
      errors: [{ step: 'broken', error: 'Error', cause: 'upstream is down' }],
      skipped: [{ step: 'after_broken', because: ['broken'] }],
    });
  });

  it('boots with every resource of the template served (no warning)', () => {
    expect(runtime.warnings).toStrictEqual([]);
  });
});
