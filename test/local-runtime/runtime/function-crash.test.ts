/**
 * The scheduled crash fault: the execution environment running a picked invocation is killed
 * while its handler runs; the invocation fails, and the next invocation gets a fresh
 * environment. (How far the handler got is a matter of timing, so it is not asserted.)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FaultInjector } from '../../../local-runtime/runtime/faults/fault-injector';
import { FunctionHost } from '../../../local-runtime/runtime/lambda/function-host';

const dir = mkdtempSync(join(tmpdir(), 'pp-crash-test-'));
// Writes a file (its effect), then lingers far beyond the crash delay.
writeFileSync(join(dir, 'effect.mjs'), `import { writeFileSync } from 'node:fs';
let calls = 0;
export const handler = async (e) => { calls++; writeFileSync(e.file, 'done'); if (e.linger) await new Promise((r) => setTimeout(r, e.linger)); return calls; };`);

const faults = new FaultInjector();
const host = new FunctionHost(
  { name: 'Store', arn: 'arn:aws:lambda:us-east-1:000000000000:function:Store', handler: { file: join(dir, 'effect.mjs'), exportName: 'handler', format: 'esm' }, env: {}, timeoutMs: 60_000, memoryMb: 128, concurrency: 1 },
  { faults },
);

afterAll(async () => {
  await host.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a crash mid-invocation', () => {
  it('fails the picked invocation while its handler runs, and the next one runs in a fresh environment', async () => {
    expect(await host.invoke({ file: join(dir, 'first') })).toBe(1);
    faults.scheduleCrash('Store', 2);
    const effect = join(dir, 'second');
    // The handler lingers far beyond the crash delay: the kill, not its end, settles the invocation.
    await expect(host.invoke({ file: effect, linger: 50_000 })).rejects.toMatchObject({ errorType: 'Runtime.ExitError' });
    expect(await host.invoke({ file: join(dir, 'third') })).toBe(1);
    expect(faults.stats().invocationsCrashed).toBe(1);
  }, 120_000);
});
