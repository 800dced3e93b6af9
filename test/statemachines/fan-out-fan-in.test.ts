import { describe, expect, it } from 'vitest';
import { PermanentItemError } from '../../functions/lib/fan-out-fan-in/errors';
import type { RunReport } from '../../functions/lib/fan-out-fan-in/report';
import { fanOutFanInDefinition, FanOutStates } from '../../statemachines/fan-out-fan-in';
import { validateAsl } from './fixtures/asl-validator';
import { BASE_OPTIONS, fanOutHarness } from './fixtures/fan-out-harness';

type Doc = { id: string; n: number; flaky?: number; bad?: boolean; empty?: boolean };

/** A worker whose items fail `flaky` times, or always when `bad`. */
function flakyWorker() {
  const attempts = new Map<string, number>();
  return {
    attempts,
    processItem: async (doc: Doc) => {
      const attempt = (attempts.get(doc.id) ?? 0) + 1;
      attempts.set(doc.id, attempt);
      if (doc.bad) throw new PermanentItemError(`doc ${doc.id} is unreadable`);
      if (attempt <= (doc.flaky ?? 0)) throw Object.assign(new Error(`doc ${doc.id} attempt ${attempt} timed out`), { name: 'UpstreamTimeout' });
      return { id: doc.id, words: doc.empty ? 0 : (doc.n + 1) * 10 };
    },
    itemRef: (doc: Doc) => doc.id,
  };
}

const docs = (n: number, extra: (i: number) => Partial<Doc> = () => ({})): Doc[] => Array.from({ length: n }, (_, i) => ({ id: `d${i}`, n: i, ...extra(i) }));
const report = (h: ReturnType<typeof fanOutHarness>, run = 'run-1') => h.sink.objects.get(`runs/${run}/report.json`) as RunReport;
const sumWords = async (rs: readonly { output: { words: number } }[]) => ({ words: rs.reduce((s, r) => s + r.output.words, 0), docs: rs.length });

describe('FanOutFanIn definition', () => {
  it('is valid ASL in every mode, with full jitter and a max delay on the worker retry', () => {
    for (const options of [BASE_OPTIONS, { ...BASE_OPTIONS, mode: 'inline' as const }, { ...BASE_OPTIONS, mode: 'distributed' as const, itemSource: 'csv' as const, batchMaxItems: 50, batchMaxBytes: 65_536, toleratedFailurePercentage: 5 }]) {
      const definition = fanOutFanInDefinition(options, { workerArn: 'arn:aws:lambda:us-east-1:123456789012:function:W', joinArn: 'arn:aws:lambda:us-east-1:123456789012:function:J' });
      const result = validateAsl(definition);
      expect({ valid: result.isValid, errors: result.errorsText('; ') }).toStrictEqual({ valid: true, errors: '' });
    }
    const d = fanOutFanInDefinition(BASE_OPTIONS, { workerArn: 'w', joinArn: 'j' }) as any;
    expect(d.States[FanOutStates.inline].ItemProcessor.States[FanOutStates.work].Retry[1]).toStrictEqual({ ErrorEquals: ['States.ALL'], MaxAttempts: 2, IntervalSeconds: 1, BackoffRate: 2, MaxDelaySeconds: 10, JitterStrategy: 'FULL' });
  });

  it('fails if options break the Step Functions limits, naming each', () => {
    expect(() => fanOutFanInDefinition({ ...BASE_OPTIONS, mode: 'inline', maxConcurrency: 41, batchMaxBytes: 300_000, toleratedFailurePercentage: 101 }, { workerArn: 'w', joinArn: 'j' })).toThrow(
      /maxConcurrency must be an integer between 0 and 40, received 41.*batchMaxBytes must be an integer between 1 and 262144, received 300000.*toleratedFailurePercentage must be between 0 and 100, received 101/,
    );
  });
});

describe('FanOutFanIn on the local Step Functions service', () => {
  it('retries flaky items (inline) until they succeed and counts them as retried', async () => {
    const worker = flakyWorker();
    const h = fanOutHarness({ worker, join: { combine: sumWords } });
    const out = await h.run({ items: docs(5, (i) => ({ flaky: i === 1 ? 2 : i === 3 ? 1 : 0 })) });
    expect(out.status).toBe('SUCCEEDED');
    expect(out.output).toMatchObject({ status: 'SUCCEEDED', total: 5, succeeded: 5, failed: 0, retried: 2 });
    expect(Object.fromEntries(worker.attempts)).toStrictEqual({ d0: 1, d1: 3, d2: 1, d3: 2, d4: 1 });
    expect(h.sink.objects.get('runs/run-1/combined.json')).toStrictEqual({ words: 150, docs: 5 });
  });

  it('catches a failed item without failing its siblings, and reports it with its error and cause', async () => {
    const worker = flakyWorker();
    const h = fanOutHarness({ worker, options: { toleratedFailureCount: 1 }, join: { combine: sumWords } });
    const out = await h.run({ items: docs(4, (i) => ({ bad: i === 2, flaky: i === 0 ? 9 : 0 })) });
    expect(out.status).toBe('FAILED');
    expect(out.error).toBe('ToleratedFailureExceededError');
    const r = report(h);
    expect(r.failures.map((f) => ({ index: f.index, error: f.error, message: JSON.parse(f.cause).errorMessage }))).toStrictEqual([
      { index: 0, error: 'UpstreamTimeout', message: 'doc d0 attempt 3 timed out' },
      { index: 2, error: 'PermanentItemError', message: 'doc d2 is unreadable' },
    ]);
    // The permanent error is not retried; the flaky one is, up to MaxAttempts.
    expect(worker.attempts.get('d2')).toBe(1);
    expect(worker.attempts.get('d0')).toBe(3);
    expect({ succeeded: r.succeeded, failed: r.failed, status: r.status, failureReason: r.failureReason }).toStrictEqual({ succeeded: 2, failed: 2, status: 'FAILED', failureReason: '2 of 4 items failed, over the tolerated count of 1' });
  });

  it('tolerated failures, distributed: at the threshold the run succeeds, one past it fails fast', async () => {
    const items = docs(20, (i) => ({ bad: i % 10 === 3 }));
    const ok = fanOutHarness({ worker: flakyWorker(), options: { mode: 'distributed', maxConcurrency: 1, toleratedFailureCount: 2 }, join: { combine: sumWords } });
    const passed = await ok.run({ items });
    expect(passed.output).toMatchObject({ status: 'SUCCEEDED', total: 20, succeeded: 18, failed: 2 });
    expect(report(ok).failures.map((f) => f.ref)).toStrictEqual(['d3', 'd13']);

    const strict = fanOutHarness({ worker: flakyWorker(), options: { mode: 'distributed', maxConcurrency: 1, toleratedFailureCount: 1 }, join: { combine: sumWords } });
    const failed = await strict.run({ items });
    expect(failed.status).toBe('FAILED');
    expect(failed.cause).toMatch(/States\.ExceedToleratedFailureThreshold.*2 of 20 items failed/);
    const [mapRun] = strict.machines.mapRuns.ofExecution(failed.executionArn);
    // Fail fast: with one child at a time, nothing after the second failure (item 13) was started.
    expect({ status: mapRun!.status, succeeded: mapRun!.itemCounts.succeeded, failed: mapRun!.itemCounts.failed, pending: mapRun!.itemCounts.pending }).toStrictEqual({ status: 'FAILED', succeeded: 12, failed: 2, pending: 6 });
    expect(strict.sink.objects.has('runs/run-1/combined.json')).toBe(false);
  });

  it('tolerated failures as a percentage, counted per item of each failed batch as AWS does', async () => {
    const items = docs(40, (i) => ({ bad: i === 5 }));
    const h = fanOutHarness({ worker: flakyWorker(), options: { mode: 'distributed', batchMaxItems: 4, toleratedFailurePercentage: 10 }, join: { combine: sumWords } });
    const out = await h.run({ items });
    const [mapRun] = h.machines.mapRuns.ofExecution(out.executionArn);
    // One failed batch holds 4 items: 10 % of 40, not over it.
    expect({ items: mapRun!.itemCounts.failed, children: mapRun!.executionCounts.failed, total: mapRun!.executionCounts.total }).toStrictEqual({ items: 4, children: 1, total: 10 });
    // Within a batch only item 5 failed; its batch-mates were recorded as succeeded before the batch was retried.
    expect(out.output).toMatchObject({ status: 'SUCCEEDED', total: 40, succeeded: 39, failed: 1 });
  });

  it('the join gates the destructive step: it runs once after every item, never after a failed run', async () => {
    const deleted: unknown[] = [];
    const make = () => fanOutHarness({ worker: flakyWorker(), finalizer: async (s) => void deleted.push(s), join: { combine: sumWords } });
    const good = make();
    const out = await good.run({ items: docs(6) });
    expect(good.calls.finalizer).toStrictEqual([{ summary: out.output }]);
    expect(out.output).toMatchObject({ succeeded: 6 });
    const bad = make();
    const failed = await bad.run({ items: docs(6, (i) => ({ bad: i === 4 })) });
    expect(failed.status).toBe('FAILED');
    expect(bad.calls.finalizer).toStrictEqual([]);
    expect(deleted).toHaveLength(1);
  });

  it('sets invalid outputs aside with their reason, counts them and never combines them', async () => {
    const worker = { ...flakyWorker(), validate: (o: { words: number }) => (o.words > 0 ? (true as const) : { invalid: 'no words extracted' }) };
    const h = fanOutHarness({ worker, join: { combine: sumWords } });
    const out = await h.run({ items: docs(5, (i) => ({ empty: i === 1 || i === 4 })) });
    expect(out.output).toMatchObject({ status: 'SUCCEEDED', total: 5, succeeded: 3, invalid: 2, failed: 0 });
    expect(report(h).invalidOutputs).toStrictEqual([{ index: 1, ref: 'd1', reason: 'no words extracted' }, { index: 4, ref: 'd4', reason: 'no words extracted' }]);
    expect(h.sink.objects.get('runs/run-1/combined.json')).toStrictEqual({ words: 10 + 30 + 40, docs: 3 });
  });

  it('shows progress while it runs: the progress row and DescribeMapRun', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let started = 0;
    const h = fanOutHarness({
      worker: flakyWorker(),
      options: { mode: 'distributed', batchMaxItems: 2, maxConcurrency: 2 },
      // The first two batches settle at once; the rest wait at the gate.
      beforeWorker: async () => (++started > 2 ? gate : undefined),
    });
    const running = h.run({ items: docs(10) });
    await vi_waitFor(async () => (await h.store.progress('run-1')).succeeded === 4);
    const [mapRun] = h.machines.mapRuns.ofExecution('arn:aws:states:us-east-1:123456789012:execution:FanOut:run-1');
    expect({ status: mapRun!.status, ...mapRun!.itemCounts }).toMatchObject({ status: 'RUNNING', total: 10, succeeded: 4, running: 4, pending: 2 });
    const described = (await h.machines.handle({ method: 'POST', path: '/', headers: { 'x-amz-target': 'AWSStepFunctions.DescribeMapRun', 'content-type': 'application/x-amz-json-1.0' }, body: JSON.stringify({ mapRunArn: mapRun!.mapRunArn }), operation: 'DescribeMapRun' }));
    expect(JSON.parse(described.body).itemCounts).toMatchObject({ succeeded: 4, total: 10 });
    release();
    expect((await running).output).toMatchObject({ succeeded: 10 });
  });

  it('runs 10,000 items from an S3 JSON-lines object in batches, with flaky items, and accounts for every one', async () => {
    const items = docs(10_000, (i) => ({ flaky: i % 997 === 0 ? 1 : 0, bad: i % 2500 === 7 }));
    const h = fanOutHarness({ worker: flakyWorker(), options: { mode: 'auto', itemSource: 'json-lines', batchMaxItems: 100, maxConcurrency: 50, toleratedFailurePercentage: 5 }, join: { combine: sumWords } });
    await h.s3.putObject('docs', 'in/all.jsonl', items.map((d) => JSON.stringify(d)).join('\n'));
    const out = await h.run({ source: { bucket: 'docs', key: 'in/all.jsonl' } });
    expect({ status: out.status, error: out.error, cause: out.cause }).toStrictEqual({ status: 'SUCCEEDED', error: undefined, cause: undefined });
    const bad = items.filter((d) => d.bad).length;
    expect(out.output).toMatchObject({ status: 'SUCCEEDED', total: 10_000, succeeded: 10_000 - bad, failed: bad, invalid: 0, retried: items.filter((d) => d.flaky && !d.bad).length });
    const [mapRun] = h.machines.mapRuns.ofExecution(out.executionArn);
    // The Map Run counts every item of a failed child as failed (4 batches of 100: 4 %); the table knows the 4 that did.
    expect({ children: mapRun!.executionCounts.total, items: mapRun!.itemCounts.total, failedItems: mapRun!.itemCounts.failed }).toStrictEqual({ children: 100, items: 10_000, failedItems: 400 });
    const expectedWords = items.filter((d) => !d.bad).reduce((s, d) => s + (d.n + 1) * 10, 0);
    expect(h.sink.objects.get('runs/run-1/combined.json')).toStrictEqual({ words: expectedWords, docs: 10_000 - bad });
    const r = report(h);
    expect(r.failures.map((f) => f.index)).toStrictEqual(items.flatMap((d, i) => (d.bad ? [i] : [])));
  }, 120_000);
});

/** Polls `check` between event-loop turns (no wall-clock wait). */
async function vi_waitFor(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 10_000; i++) {
    if (await check()) return;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error('condition never held');
}
