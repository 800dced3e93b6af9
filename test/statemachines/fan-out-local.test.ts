import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../local-runtime/scheduling/clock';
import { LocalStateMachines } from '../../local-runtime/stepfunctions/local-state-machines';
import { newTestApp, type TestApp } from '../helpers/synth';
import { type CfnTemplate, resolveIntrinsics } from '../local-runtime/helpers/resolve-template';
import { validateAsl } from './fixtures/asl-validator';
import { FAN_OUT_MAX_CONCURRENCY, FLAKY_MAX_RETRIES, fanOutStack } from './fixtures/fan-out-stack';

class ItemError extends Error {
  override name = 'ItemError';
}
class FlakyError extends Error {
  override name = 'FlakyError';
}

/** Test Lambda functions behind the fixture's tasks, recording their calls. */
function testFunctions() {
  const calls: Record<string, unknown[]> = { WorkFn: [], SummarizeFn: [], FlakyFn: [] };
  const flakyAttempts = new Map<string, number>();
  let inFlight = 0;
  let peak = 0;
  const impl: Record<string, (payload: any) => Promise<unknown>> = {
    WorkFn: async (item) => {
      peak = Math.max(peak, ++inFlight);
      // Yield a few turns so concurrent iterations really overlap.
      for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
      inFlight--;
      if (item.fail) throw new ItemError(`item ${item.id} rejected`);
      return { ok: true, id: item.id, value: item.n * 10 };
    },
    SummarizeFn: async ({ results }) => ({
      total: results.filter((r: any) => r.ok).reduce((s: number, r: any) => s + r.value, 0),
      failed: results.filter((r: any) => !r.ok).map((r: any) => r.id),
    }),
    FlakyFn: async ({ runId, failures }) => {
      const attempt = (flakyAttempts.get(runId) ?? 0) + 1;
      flakyAttempts.set(runId, attempt);
      if (attempt <= failures) throw new FlakyError(`attempt ${attempt} failed`);
      return { attempts: attempt };
    },
  };
  const invokeLambda = async (arn: string, payload: unknown) => {
    const name = Object.keys(impl).find((k) => arn.includes(`:function:${k}`));
    if (!name) throw new Error(`no test function for ${arn}`);
    calls[name].push(payload);
    return impl[name](payload);
  };
  return { calls, invokeLambda, peak: () => peak };
}

/** Drops the stack trace from a Lambda error cause so outputs compare exactly. */
const withoutTrace = (value: any) => JSON.parse(JSON.stringify(value, (k, v) => (k === 'trace' ? undefined : v)));

const ITEMS = [
  { id: 'a', n: 1 },
  { id: 'b', n: 2, fail: true },
  { id: 'c', n: 3 },
  { id: 'd', n: 4 },
  { id: 'e', n: 5 },
];

describe('fan-out fixture (CDK-synthesized) on the local executor', () => {
  let testApp: TestApp;
  let definition: Record<string, unknown>;

  beforeAll(() => {
    testApp = newTestApp();
    const template = Template.fromStack(fanOutStack(testApp.app)).toJSON() as CfnTemplate;
    const [machine] = Object.values(template.Resources).filter((r) => r.Type === 'AWS::StepFunctions::StateMachine');
    definition = JSON.parse(resolveIntrinsics(machine.Properties?.DefinitionString, template) as string);
  });
  afterAll(() => testApp.cleanup());

  function machines(fns: ReturnType<typeof testFunctions>) {
    const local = new LocalStateMachines({ clock: new ManualClock(), invokeLambda: fns.invokeLambda });
    const arn = local.register({ name: 'FanOut', definition });
    return { local, arn };
  }

  it('resolves to a definition asl-validator accepts, with no token left', () => {
    const result = validateAsl(definition);
    expect({ isValid: result.isValid, errors: result.errorsText('; ') }).toStrictEqual({ isValid: true, errors: '' });
    expect(validateAsl({ ...definition, StartAt: 'Nowhere' }).isValid).toBe(false);
    expect(JSON.stringify(definition)).not.toMatch(/\$\{Token|\{"Fn::|"Ref"/);
    expect(JSON.stringify(definition)).toContain('"Resource":"arn:aws:states:::lambda:invoke"');
  });

  it('maps every item, catches the failed one per item, joins, and retries Flaky until it succeeds', async () => {
    const fns = testFunctions();
    const { local, arn } = machines(fns);
    const { executionArn } = local.startExecution({ stateMachineArn: arn, name: 'run-1', input: JSON.stringify({ runId: 'r1', flakyFailures: 2, items: ITEMS }) });
    const done = await local.waitForExecution(executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(withoutTrace(JSON.parse(done.output as string))).toStrictEqual({
      results: [
        { ok: true, id: 'a', value: 10 },
        { ok: false, id: 'b', error: 'ItemError', cause: { errorType: 'ItemError', errorMessage: 'item b rejected' } },
        { ok: true, id: 'c', value: 30 },
        { ok: true, id: 'd', value: 40 },
        { ok: true, id: 'e', value: 50 },
      ],
      summary: { total: 130, failed: ['b'] },
      flaky: { attempts: 3 },
      executionName: 'run-1',
    });
    expect(fns.calls.FlakyFn).toStrictEqual([
      { runId: 'r1', failures: 2 },
      { runId: 'r1', failures: 2 },
      { runId: 'r1', failures: 2 },
    ]);
  });

  it('never runs more map iterations at once than MaxConcurrency', async () => {
    const fns = testFunctions();
    const { local, arn } = machines(fns);
    const items = Array.from({ length: 8 }, (_, i) => ({ id: `i${i}`, n: i }));
    const { executionArn } = local.startExecution({ stateMachineArn: arn, input: JSON.stringify({ runId: 'r2', flakyFailures: 0, items }) });
    expect((await local.waitForExecution(executionArn)).status).toBe('SUCCEEDED');
    expect(fns.calls.WorkFn).toHaveLength(8);
    expect(fns.peak()).toBe(FAN_OUT_MAX_CONCURRENCY);
  });

  it('gives up after the retries and hands the Lambda error shape to the join Catch', async () => {
    const fns = testFunctions();
    const { local, arn } = machines(fns);
    const { executionArn } = local.startExecution({ stateMachineArn: arn, input: JSON.stringify({ runId: 'r3', flakyFailures: 99, items: ITEMS.slice(0, 1) }) });
    const done = await local.waitForExecution(executionArn);
    const output = JSON.parse(done.output as string);
    expect(done.status).toBe('SUCCEEDED');
    expect(fns.calls.FlakyFn).toHaveLength(FLAKY_MAX_RETRIES + 1);
    expect(Object.keys(output).sort()).toStrictEqual(['failure', 'results']);
    expect(output.failure.Error).toBe('FlakyError');
    expect(withoutTrace(JSON.parse(output.failure.Cause))).toStrictEqual({ errorType: 'FlakyError', errorMessage: `attempt ${FLAKY_MAX_RETRIES + 1} failed` });
    expect(output.results).toStrictEqual([{ ok: true, id: 'a', value: 10 }]);
  });

  it('fails the execution when an item error is not one the per-item Catch names', async () => {
    const fns = testFunctions();
    const { local, arn } = machines({ ...fns, invokeLambda: async (fnArn, payload) => (fnArn.includes('WorkFn') ? Promise.reject(new TypeError('bad item')) : fns.invokeLambda(fnArn, payload)) });
    const { executionArn } = local.startExecution({ stateMachineArn: arn, input: JSON.stringify({ runId: 'r4', flakyFailures: 0, items: ITEMS.slice(0, 2) }) });
    const done = await local.waitForExecution(executionArn);
    expect(done.status).toBe('FAILED');
    expect(done.error).toBe('TypeError');
    expect(withoutTrace(JSON.parse(done.cause as string))).toStrictEqual({ errorType: 'TypeError', errorMessage: 'bad item' });
  });
});
