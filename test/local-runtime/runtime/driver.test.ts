import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { program, readBodies } from '../../../local-runtime/cli';
import { progressLine } from '../../../local-runtime/runtime/driver/progress';
import { packBatches } from '../../../local-runtime/runtime/driver/send';

const dir = mkdtempSync(join(tmpdir(), 'pp-driver-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('packBatches', () => {
  it('packs at most 10 entries per batch', () => {
    expect(packBatches(Array.from({ length: 23 }, (_, i) => String(i))).map((b) => b.length)).toStrictEqual([10, 10, 3]);
  });

  it('starts a new batch before 1 MiB would be exceeded', () => {
    const big = 'x'.repeat(400_000);
    expect(packBatches([big, big, big, 'small']).map((b) => b.length)).toStrictEqual([2, 2]);
  });
});

describe('progressLine', () => {
  it('shows the settled fraction and the counts', () => {
    expect(progressLine({ sent: 100, done: 40, deadLettered: 10, total: 100 })).toBe(`[${'#'.repeat(15)}${'-'.repeat(15)}]  50%  sent 100/100  done 40  dlq 10`);
  });
});

describe('cli', () => {
  it('reads one body per non-empty line, CRLF tolerated', () => {
    const file = join(dir, 'items.jsonl');
    writeFileSync(file, '{"a":1}\r\n\n{"a":2}\n  \n');
    expect(readBodies(file)).toStrictEqual(['{"a":1}', '{"a":2}']);
  });

  it('rejects a rate outside [0, 1], naming the option and the value', () => {
    const cli = program().exitOverride().configureOutput({ writeErr: () => undefined });
    cli.commands.forEach((c) => c.exitOverride().configureOutput({ writeErr: () => undefined }));
    expect(() => cli.parse(['run', '--send', 'x', '--to', 'y', '--failure-rate', '2'], { from: 'user' })).toThrow(/--failure-rate <rate>' argument '2' is invalid\. must be a number from 0 to 1/);
  });
});
