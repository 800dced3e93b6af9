import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { ppProgram } from '../../cli/pp';
import { parseDuration, parseRate } from '../../cli/units';

const dir = mkdtempSync(join(tmpdir(), 'pp-plan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('pp plan command', () => {
  it('prints the table and writes an SVG chart of the backlog', async () => {
    const chart = join(dir, 'plan.svg');
    const out: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => out.push(String(chunk)) > 0);
    try {
      await ppProgram().parseAsync(['plan', '--rate', '1/min', '--item-time', '1m', '--mode', 'fixed', '--parallelism', '4', '--burst', '10', '--chart', chart], { from: 'user' });
    } finally {
      spy.mockRestore();
    }
    const text = out.join('');
    expect(text).toMatch(/verdict: stable: 15 s per item < 60 s between arrivals/);
    expect(text).toMatch(/drain time: 3\.3 min/);
    const svg = readFileSync(chart, 'utf8');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    const points = /points="([^"]+)"/.exec(svg)?.[1]?.split(' ') ?? [];
    expect(points).toHaveLength(101);
    // The line starts at the burst (top of the 10-item axis) and ends on the x axis, drained.
    expect(points[0]).toBe('72.0,40.0');
    expect(points.at(-1)).toBe('696.0,312.0');
  });

  it('parses durations and rates in their units, and rejects anything else', () => {
    expect([parseDuration('150ms'), parseDuration('30s'), parseDuration('2m'), parseDuration('1h'), parseDuration('5')]).toStrictEqual([0.15, 30, 120, 3600, 5]);
    expect([parseRate('200'), parseRate('60/min'), parseRate('3600/h')]).toStrictEqual([200, 1, 1]);
    expect(() => parseDuration('2 weeks')).toThrow(/expected a duration such as 30s, 2m, 150ms or 1h, got "2 weeks"/);
    expect(() => parseRate('1/ms')).toThrow(/expected a rate such as 200, 200\/s, 1\/min or 3600\/h, got "1\/ms"/);
  });
});
