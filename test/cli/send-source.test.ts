import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkSource, fileSource, lineWindows, textSource } from '../../cli/send/source';

const dir = mkdtempSync(join(tmpdir(), 'pp-source-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const collect = async <T>(it: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
};

describe('pp send sources', () => {
  it('streams a file in windows of non-empty lines numbered as in the file', async () => {
    const path = join(dir, 'in.jsonl');
    writeFileSync(path, '{"a":1}\r\n\n{"b":2}\n{"c":3}\n');
    const windows = await collect(lineWindows(fileSource(path), 2));
    expect(windows).toStrictEqual([[{ line: 1, body: '{"a":1}' }, { line: 3, body: '{"b":2}' }], [{ line: 4, body: '{"c":3}' }]]);
  });

  it('gives a file and the same text from stdin the same digest and count', async () => {
    const text = '{"a":1}\n\n{"b":2}\n';
    const path = join(dir, 'same.jsonl');
    writeFileSync(path, text);
    const fromFile = await checkSource(fileSource(path));
    expect(fromFile).toStrictEqual(await checkSource(textSource(text)));
    expect(fromFile.total).toBe(2);
    expect((await checkSource(textSource('{"a":2}\n'))).digest).not.toBe(fromFile.digest);
  });

  it('fails the check pass naming the lines that are not JSON', async () => {
    await expect(checkSource(textSource('{"a":1}\nnope\n\n{"b":\n'))).rejects.toThrow(/2 line\(s\) are not JSON, nothing was sent: line 2, 4/);
  });
});
