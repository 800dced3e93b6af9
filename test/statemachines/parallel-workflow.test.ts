import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../local-runtime/scheduling/clock';
import { REF_KEY } from '../../functions/lib/parallel-workflow/refs';
import { STEP_FAILED_ERROR } from '../../statemachines/parallel-workflow';
import { validateAsl } from './fixtures/asl-validator';
import { type TestStep, workflowRunner } from '../helpers/workflow-runner';

type Runner = ReturnType<typeof workflowRunner>;
let open: Runner[] = [];
afterEach(async () => {
  await Promise.all(open.map((r) => r.machines.dispose()));
  open = [];
});

function runner(steps: TestStep[], policy: 'abort' | 'continue' = 'abort', clock = new ManualClock()) {
  const r = workflowRunner(steps, { failurePolicy: policy, pollSeconds: 1 }, clock);
  open.push(r);
  return r;
}

/** Advances a manual clock one second at a time, letting promise chains settle in between, until the run ends. */
async function drive(r: Runner, clock: ManualClock, executionArn: string, maxSeconds = 120) {
  const settle = async () => {
    for (let i = 0; i < 30; i++) await new Promise((resolve) => setImmediate(resolve));
  };
  for (let s = 0; s < maxSeconds && r.machines.describeExecution(executionArn).status === 'RUNNING'; s++) {
    await settle();
    await clock.advance(1_000);
  }
  await settle();
  return r.machines.describeExecution(executionArn);
}

const value = (x: unknown) => async () => x;

describe('ParallelWorkflow on the local Step Functions runtime', () => {
  it('is valid ASL', () => {
    const { definition } = runner([{ id: 'a', run: value(1) }, { id: 'b', dependsOn: ['a'], run: value(2) }], 'continue');
    const result = validateAsl(definition);
    expect({ isValid: result.isValid, errors: result.errorsText('; ') }).toStrictEqual({ isValid: true, errors: '' });
  });

  it('runs a regional aggregation: regions in parallel, results keyed by step id for dependants', async () => {
    const clock = new ManualClock();
    const seen: Record<string, unknown> = {};
    const region = (n: number) => async () => ({ sales: n });
    const r = runner([
      { id: 'region_north', run: region(10) },
      { id: 'region_south', run: region(20) },
      { id: 'region_east', run: region(30) },
      { id: 'combine', dependsOn: ['region_north', 'region_south', 'region_east'], run: async (_input, { results }) => {
        seen.combine = results;
        return Object.values(results as Record<string, { sales: number }>).reduce((s, x) => s + x.sales, 0);
      } },
      { id: 'report', dependsOn: ['combine'], run: async (input: any, { results }) => `${input.title}: ${results.combine}` },
    ], 'abort', clock);
    const done = await drive(r, clock, r.start({ title: 'Q3' }));
    expect(done.status).toBe('SUCCEEDED');
    expect(seen.combine).toStrictEqual({ region_north: { sales: 10 }, region_south: { sales: 20 }, region_east: { sales: 30 } });
    expect(JSON.parse(done.output as string)).toStrictEqual({
      status: 'succeeded',
      results: { region_north: { sales: 10 }, region_south: { sales: 20 }, region_east: { sales: 30 }, combine: 60, report: 'Q3: 60' },
      errors: [],
      skipped: [],
    });
  });

  it('starts a step as soon as its own dependencies are done, not when unrelated ones are (the "N" graph)', async () => {
    const clock = new ManualClock();
    const t0 = clock.now();
    const times: Record<string, [number, number]> = {};
    const timed = (id: string, seconds: number) => async () => {
      const start = clock.now() - t0;
      await clock.sleep(seconds * 1000);
      times[id] = [start / 1000, (clock.now() - t0) / 1000];
      return id;
    };
    // d needs only b (2 s); c needs a (10 s) and b. Any nesting of Parallel states would make d wait for a or c.
    const r = runner([
      { id: 'a', run: timed('a', 10) },
      { id: 'b', run: timed('b', 2) },
      { id: 'c', dependsOn: ['a', 'b'], run: timed('c', 1) },
      { id: 'd', dependsOn: ['b'], run: timed('d', 3) },
      { id: 'e', dependsOn: ['b', 'd'], run: timed('e', 1) },
    ], 'abort', clock);
    const done = await drive(r, clock, r.start());
    expect(done.status).toBe('SUCCEEDED');
    expect(times).toStrictEqual({ a: [0, 10], b: [0, 2], d: [2, 5], e: [5, 6], c: [10, 11] });
  });

  it('under abort, fails the run naming the failed step, and never starts its dependants', async () => {
    const clock = new ManualClock();
    const started: string[] = [];
    const track = (id: string, fail = false) => async () => {
      started.push(id);
      if (fail) {
        await clock.sleep(1_000);
        throw Object.assign(new Error('north is down'), { name: 'FetchError' });
      }
      if (id === 'archive') await clock.sleep(30_000);
      return id;
    };
    const r = runner([
      { id: 'north', run: track('north', true) },
      { id: 'south', run: track('south') },
      { id: 'archive', run: track('archive') },
      { id: 'combine', dependsOn: ['north', 'south'], run: track('combine') },
      { id: 'after_archive', dependsOn: ['archive'], run: track('after_archive') },
    ], 'abort', clock);
    const done = await drive(r, clock, r.start());
    expect(done.status).toBe('FAILED');
    expect(done.error).toBe(STEP_FAILED_ERROR);
    expect(JSON.parse(done.cause as string)).toStrictEqual({ step: 'north', error: 'FetchError', cause: 'north is down' });
    // The unrelated 30 s step was stopped with the run: what followed it never started.
    expect(done.stopDate! - done.startDate).toBeLessThan(30_000);
    expect(started.sort()).toStrictEqual(['archive', 'north', 'south']);
  });

  it('under continue, runs everything that does not depend on the failed step and collects every error', async () => {
    const clock = new ManualClock();
    const started: string[] = [];
    const step = (id: string, error?: string): TestStep['run'] => async () => {
      started.push(id);
      if (error) throw Object.assign(new Error(`${id} broke`), { name: error });
      return id.toUpperCase();
    };
    const r = runner([
      { id: 'a', run: step('a') },
      { id: 'b', run: step('b', 'BError') },
      { id: 'c', dependsOn: ['a', 'b'], run: step('c') },
      { id: 'd', dependsOn: ['c'], run: step('d') },
      { id: 'e', dependsOn: ['a'], run: step('e', 'EError') },
      { id: 'f', dependsOn: ['a'], run: step('f') },
    ], 'continue', clock);
    const done = await drive(r, clock, r.start());
    expect(done.status).toBe('SUCCEEDED');
    expect(started.sort()).toStrictEqual(['a', 'b', 'e', 'f']);
    expect(JSON.parse(done.output as string)).toStrictEqual({
      status: 'failed',
      results: { a: 'A', f: 'F' },
      errors: [{ step: 'b', error: 'BError', cause: 'b broke' }, { step: 'e', error: 'EError', cause: 'e broke' }],
      skipped: [{ step: 'c', because: ['b'] }, { step: 'd', because: ['c'] }],
    });
  });

  it('retries a failing step as configured, then records it as done', async () => {
    const clock = new ManualClock();
    let attempts = 0;
    const r = runner([
      { id: 'flaky', retry: { maxAttempts: 2, intervalSeconds: 1, backoffRate: 2 }, run: async () => {
        if (++attempts < 3) throw new Error(`attempt ${attempts}`);
        return attempts;
      } },
    ], 'abort', clock);
    const done = await drive(r, clock, r.start());
    expect(JSON.parse(done.output as string).results).toStrictEqual({ flaky: 3 });
    expect(attempts).toBe(3);
  });

  it('fails a step that overruns its timeout with States.Timeout', async () => {
    const clock = new ManualClock();
    const r = runner([
      { id: 'stuck', timeoutSeconds: 1, run: () => new Promise(() => undefined) },
      { id: 'fine', run: value('ok') },
    ], 'continue', clock);
    const executionArn = r.start();
    // The executor times Tasks out in wall time: wait for the run rather than driving the clock.
    const done = await r.machines.waitForExecution(executionArn);
    const output = JSON.parse(done.output as string);
    expect(output.errors.map((e: any) => [e.step, e.error])).toStrictEqual([['stuck', 'States.Timeout']]);
    expect(output.results).toStrictEqual({ fine: 'ok' });
  });

  it('passes results over the inline limits by reference and resolves them for dependants', async () => {
    const clock = new ManualClock();
    const big = 'x'.repeat(200 * 1024);
    let received = '';
    const r = runner([
      { id: 'big', run: value({ big }) },
      { id: 'small', run: value(1) },
      { id: 'use', dependsOn: ['big', 'small'], run: async (_i, { results }) => {
        received = (results.big as { big: string }).big;
        return (results.small as number) + 1;
      } },
    ], 'abort', clock);
    const done = await drive(r, clock, r.start());
    expect(done.status).toBe('SUCCEEDED');
    expect(received).toBe(big);
    const output = JSON.parse(done.output as string);
    expect(output.results).toStrictEqual({ big: { [REF_KEY]: 'big' }, small: 1, use: 2 });
    const runArn = r.calls.find((c) => c.payload?.run)?.payload.run as string;
    expect((await r.store.get(runArn, ['big'])).get('big')).toStrictEqual({ step: 'big', status: 'done', result: { big } });
  });
});
