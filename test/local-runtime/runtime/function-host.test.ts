import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { InvocationError } from '../../../local-runtime/runtime/errors';
import { FaultInjector } from '../../../local-runtime/runtime/faults/fault-injector';
import { FunctionHost, type FunctionSpec } from '../../../local-runtime/runtime/lambda/function-host';

const dir = mkdtempSync(join(tmpdir(), 'pp-host-test-'));
writeFileSync(join(dir, 'env.mjs'), 'export const handler = async (event, ctx) => ({ mark: process.env.MARK, name: ctx.functionName, echo: event });');
writeFileSync(join(dir, 'throws.mjs'), 'export const handler = async () => { throw new TypeError("bad input"); };');
writeFileSync(join(dir, 'slow.mjs'), 'let calls = 0; export const handler = async (e) => { calls++; if (e.sleep) await new Promise((r) => setTimeout(r, e.sleep)); return calls; };');
writeFileSync(join(dir, 'legacy.js'), 'exports.handler = async (event) => ({ cjs: true, n: event.n });');
writeFileSync(join(dir, 'slow-init.mjs'), 'await new Promise((r) => setTimeout(r, 600)); export const handler = async () => "warm";');
writeFileSync(join(dir, 'exit-init.mjs'), 'process.exit(3); export const handler = async () => "never";');
writeFileSync(join(dir, 'crash.mjs'), 'let calls = 0; export const handler = async (e) => { calls++; if (e.crash) process.exit(7); return calls; };');

const hosts: FunctionHost[] = [];
afterAll(async () => {
  await Promise.all(hosts.map((h) => h.close()));
  rmSync(dir, { recursive: true, force: true });
});

function host(file: string, overrides: Partial<FunctionSpec> = {}, faults = new FaultInjector(), onLog?: (fn: string, line: string) => void): FunctionHost {
  const format = file.endsWith('.mjs') ? 'esm' : 'cjs';
  const h = new FunctionHost(
    { name: `fn-${file}`, arn: `arn:aws:lambda:us-east-1:000000000000:function:fn-${file}`, handler: { file: join(dir, file), exportName: 'handler', format }, env: { MARK: file }, timeoutMs: 5000, memoryMb: 128, concurrency: 1, ...overrides },
    { faults, onLog },
  );
  hosts.push(h);
  return h;
}

describe('FunctionHost', () => {
  it('runs the handler with its own environment and context', async () => {
    const a = host('env.mjs');
    const b = host('env.mjs', { name: 'other', env: { MARK: 'other-env' } });
    expect(await a.invoke({ x: 1 })).toStrictEqual({ mark: 'env.mjs', name: 'fn-env.mjs', echo: { x: 1 } });
    expect(await b.invoke({})).toStrictEqual({ mark: 'other-env', name: 'other', echo: {} });
  });

  it('reports a thrown error with its type', async () => {
    const error = await host('throws.mjs').invoke({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvocationError);
    expect(error).toMatchObject({ errorType: 'TypeError', errorMessage: 'bad input' });
  });

  it('loads a CommonJS .js bundle even inside a "type": "module" package', async () => {
    expect(await host('legacy.js').invoke({ n: 3 })).toStrictEqual({ cjs: true, n: 3 });
  });

  it('bills each invocation the time its handler ran, at least 1 ms, and nothing for one failed before the handler', async () => {
    const h = host('slow.mjs', { name: 'billed' });
    await Promise.all([h.invoke({ sleep: 300 }), h.invoke({ sleep: 300 }), h.invoke({})]);
    // Two handlers slept 300 ms each; the third ran too, billed at least the 1 ms minimum.
    expect(h.stats.snapshot().billedMs).toBeGreaterThanOrEqual(601);
    const refused = host('slow.mjs', { name: 'refused' }, new FaultInjector({ invocationErrorRate: 1 }));
    await expect(refused.invoke({ sleep: 300 })).rejects.toBeInstanceOf(InvocationError);
    expect(refused.stats.snapshot()).toMatchObject({ invocations: 1, injected: 1, billedMs: 0 });
  });

  it('logs a REPORT line per invocation, with the init duration on the cold start only', async () => {
    const lines: string[] = [];
    const h = host('slow-init.mjs', { name: 'reported' }, new FaultInjector(), (fn, line) => void lines.push(`${fn} ${line}`));
    await h.invoke({});
    await h.invoke({});
    const reports = lines.filter((line) => line.startsWith('reported REPORT RequestId: '));
    expect(reports).toHaveLength(2);
    const field = (line: string, name: string): number | undefined => {
      const match = new RegExp(`\\t${name}: ([\\d.]+) (ms|MB)`).exec(line);
      return match ? Number(match[1]) : undefined;
    };
    // The module waits 600 ms at load: that is init, not the invocation's duration.
    expect(field(reports[0]!, 'Init Duration')).toBeGreaterThanOrEqual(600);
    expect(field(reports[0]!, 'Duration')).toBeLessThan(field(reports[0]!, 'Init Duration')!);
    expect(field(reports[0]!, 'Memory Size')).toBe(128);
    // Billed: the duration rounded up to the millisecond (the printed duration is itself rounded).
    expect(field(reports[0]!, 'Billed Duration')).toBeGreaterThanOrEqual(field(reports[0]!, 'Duration')!);
    expect(field(reports[0]!, 'Billed Duration')).toBeLessThan(field(reports[0]!, 'Duration')! + 1.01);
    expect(reports[1]).not.toContain('Init Duration');
    expect(h.stats.snapshot().coldStarts).toBe(1);
    expect(h.stats.snapshot().maxInitDurationMs).toBeCloseTo(field(reports[0]!, 'Init Duration')!, 1);
  });

  it('reuses a warm environment between invocations', async () => {
    const h = host('slow.mjs');
    expect([await h.invoke({}), await h.invoke({})]).toStrictEqual([1, 2]);
  });

  it('kills a timed-out environment and starts a fresh one', async () => {
    const h = host('slow.mjs', { timeoutMs: 300 });
    await expect(h.invoke({ sleep: 5000 })).rejects.toMatchObject({ errorType: 'Sandbox.Timedout' });
    // A fresh environment: module state starts over.
    expect(await h.invoke({})).toBe(1);
  });

  it('does not count the init phase (loading the bundle) in the function timeout, as Lambda does not', async () => {
    expect(await host('slow-init.mjs', { timeoutMs: 300 }).invoke({})).toBe('warm');
  });

  it('fails an invocation whose environment exits during init', async () => {
    await expect(host('exit-init.mjs').invoke({})).rejects.toMatchObject({ errorType: 'Runtime.ExitError', errorMessage: expect.stringMatching(/exited \(code 3\)/) });
  });

  it('runs at most `concurrency` invocations at once', async () => {
    const h = host('slow.mjs', { concurrency: 2 });
    const runs = [h.invoke({ sleep: 200 }), h.invoke({ sleep: 200 }), h.invoke({ sleep: 200 })];
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(h.busy).toBeLessThanOrEqual(2);
    await Promise.all(runs);
  });

  it('fails invocations chosen by fault injection without running the handler', async () => {
    const h = host('slow.mjs', {}, new FaultInjector({ invocationErrorRate: 1 }));
    await expect(h.invoke({})).rejects.toMatchObject({ errorType: 'InjectedFault' });
    expect(h.busy).toBe(0);
  });

  it('replaces an environment that crashes mid-invocation and fails only that invocation', async () => {
    const h = host('crash.mjs');
    await expect(h.invoke({ crash: true })).rejects.toMatchObject({ errorType: 'Runtime.ExitError', errorMessage: expect.stringMatching(/code 7/) });
    // A fresh environment: module state starts over.
    expect(await h.invoke({})).toBe(1);
    expect(h.busy).toBe(0);
  });

  it('close() ends a running invocation and the ones waiting for an environment', async () => {
    const h = host('slow.mjs', { timeoutMs: 60_000 });
    const running = h.invoke({ sleep: 60_000 }).catch((e: unknown) => e);
    const waiting = h.invoke({}).catch((e: unknown) => e);
    await vi.waitFor(() => expect(h.busy).toBe(1));
    await h.close();
    expect(await running).toBeInstanceOf(InvocationError);
    expect(await waiting).toBeInstanceOf(InvocationError);
    expect(h.busy).toBe(0);
  });

  it('refuses invocations after close() instead of starting a new environment', async () => {
    const h = host('env.mjs');
    await h.close();
    await expect(h.invoke({})).rejects.toBeInstanceOf(InvocationError);
    expect(h.busy).toBe(0);
  });
});
