/**
 * Parity item 3: a stack whose function fails at init on every invocation. The CLI's summary
 * names the function with its invocation and init error counts and the first message, and
 * the exit code is not 0, even though every item is accounted for in the dead-letter queue.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCommand } from '../../local-runtime/cli';
import { brokenInitStack, synthParity, type ParityAssembly } from './parity-fixtures/stacks';

let assembly: ParityAssembly;
let itemsDir: string;
let exitCode: number;
let stdout: string;
beforeAll(async () => {
  assembly = synthParity((app) => brokenInitStack(app));
  itemsDir = mkdtempSync(join(tmpdir(), 'pp-parity-items-'));
  const send = join(itemsDir, 'items.jsonl');
  writeFileSync(send, Array.from({ length: 5 }, (_, i) => JSON.stringify({ id: `i-${i}` })).join('\n'));
  const out: string[] = [];
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out.push(String(chunk));
    return true;
  });
  const errWrite = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    // Visibility 30 s × 0.1: long enough that each message has failed its invocation before it is
    // received again and dead-lettered, even on a busy machine.
    exitCode = await runCommand({
      appDir: assembly.outdir, send, to: 'IngressUrl', timeout: 60, timeScale: 0.1, workers: 2, failureRate: 0, duplicateRate: 0, throttleRate: 0,
    });
  } finally {
    write.mockRestore();
    errWrite.mockRestore();
  }
  stdout = out.join('');
});
afterAll(() => {
  assembly?.cleanup();
  if (itemsDir) rmSync(itemsDir, { recursive: true, force: true });
});

describe('a function that never ran successfully', () => {
  it('accounts every item in the dead-letter queue', () => {
    expect(stdout).toMatch(/summary: in=5 done=0 dlq=5 lost=0 /);
  });

  it('shows the errors and init errors in the summary line', () => {
    expect(stdout).toMatch(/summary: .* errors=(\d+) init-errors=\1\n/);
  });

  it('names the function with its counts and the first init message', () => {
    expect(stdout).toMatch(/function ParityBrokenInit-Broken\S*: invocations=\d+ succeeded=0 errors=\d+ init-errors=\d+ NEVER SUCCEEDED; first: Runtime.ImportModuleError: .*a-package-the-app-never-installed/);
  });

  it('exits with a non-zero code', () => {
    expect(exitCode).toBe(1);
  });
});
