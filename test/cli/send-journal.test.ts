import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseInput, toMessage } from '../../cli/send/input';
import { SendJournal } from '../../cli/send/journal';

const dir = mkdtempSync(join(tmpdir(), 'pp-journal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('pp send input and journal', () => {
  it('numbers non-empty lines by their line in the file', () => {
    expect(parseInput('{"a":1}\n\n{"b":2}\r\n')).toStrictEqual([{ line: 1, body: '{"a":1}' }, { line: 3, body: '{"b":2}' }]);
  });

  it('fails naming every line that is not JSON, before anything is sent', () => {
    expect(() => parseInput('{"a":1}\nnope\n{"b":\n')).toThrow(/2 line\(s\) are not JSON, nothing was sent: line 2, 3/);
  });

  it('takes FIFO group and dedup ids from fields, or hashes line and body for the dedup id', () => {
    const line = { line: 7, body: '{"customer":{"id":42},"orderId":"o-1"}' };
    expect(toMessage(line, { groupField: 'customer.id', dedupField: 'orderId' })).toStrictEqual({ id: '7', body: line.body, messageGroupId: '42', messageDeduplicationId: 'o-1' });
    const hashed = toMessage(line, { groupField: 'customer.id' });
    expect(hashed.messageDeduplicationId).toMatch(/^[0-9a-f]{64}$/);
    expect(toMessage({ ...line, line: 8 }, { groupField: 'customer.id' }).messageDeduplicationId).not.toBe(hashed.messageDeduplicationId);
  });

  it('remembers acknowledged lines across opens, ignoring a line cut short by a kill', () => {
    const path = join(dir, 'j1');
    SendJournal.open(path, 'https://q/000000000000/a', 'd1').record([1, 2, 3]);
    appendFileSync(path, '4 5');
    const reopened = SendJournal.open(path, 'https://q/000000000000/a', 'd1');
    expect([reopened.size, reopened.has(3), reopened.has(4)]).toStrictEqual([3, true, false]);
  });

  it('fails if the journal belongs to another queue or input', () => {
    const path = join(dir, 'j2');
    SendJournal.open(path, 'https://q/000000000000/a', 'd1');
    expect(() => SendJournal.open(path, 'https://q/000000000000/a', 'd2')).toThrow(/belongs to another queue or input/);
  });
});
