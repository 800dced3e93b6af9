import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { mergeFigures, parseFigures, renderFigures, writeFigures, type FigureSection } from '../../bench/figures';

const soak: FigureSection = { name: 'soak', date: '2026-12-03T09:00:00.000Z', command: 'npm run bench -- soak', lines: ['bench soak: in=10 done=9 dlq=1 lost=0 dup-effects=0 wall-s=1.0'] };
const chain: FigureSection = { name: 'stage-chain', date: '2026-12-02T10:00:00.000Z', command: 'npm run bench', lines: ['bench stage-chain: requests/item=1.2', '  detail `with` backticks'] };

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('docs/figures.md writer', () => {
  it('writes each benchmark\'s date, command and lines, and reads them back', () => {
    const text = renderFigures([soak, chain]);
    expect(text).toContain('## soak\n\n2026-12-03T09:00:00.000Z — `npm run bench -- soak`\n\n```\nbench soak: in=10');
    expect(parseFigures(text)).toStrictEqual([soak, chain]);
  });

  it('replaces the sections of the benchmarks that ran and keeps the others', () => {
    const rerun = { ...soak, date: '2026-12-04T00:00:00.000Z', lines: ['bench soak: in=20'] };
    expect(mergeFigures([soak, chain], [rerun])).toStrictEqual([chain, rerun]);
  });

  it('creates the file, then updates it in place', () => {
    dir = mkdtempSync(join(tmpdir(), 'pp-figures-'));
    const path = join(dir, 'figures.md');
    writeFigures(path, [chain]);
    writeFigures(path, [soak]);
    expect(parseFigures(readFileSync(path, 'utf8'))).toStrictEqual([soak, chain]);
    writeFileSync(path, readFileSync(path, 'utf8').replace('requests/item=1.2', 'requests/item=9.9'));
    writeFigures(path, [{ ...soak, lines: [] }]);
    expect(parseFigures(readFileSync(path, 'utf8'))).toStrictEqual([{ ...soak, lines: [] }, { ...chain, lines: ['bench stage-chain: requests/item=9.9', chain.lines[1]] }]);
  });
});
