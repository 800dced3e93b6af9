import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cronMatchesDay, nextCronTime, parseCron } from '../../local-runtime/scheduling/cron';
import { nextFireTime, parseScheduleExpression } from '../../local-runtime/scheduling/schedule-expression';

const utc = (iso: string) => Date.parse(iso);
const next = (cron: string, after: string) => {
  const t = nextCronTime(parseCron(cron), utc(after));
  return t === undefined ? undefined : new Date(t).toISOString();
};

describe('cron', () => {
  it('fires daily at a fixed hour', () => {
    expect(next('0 12 * * ? *', '2025-01-01T00:00:00Z')).toBe('2025-01-01T12:00:00.000Z');
    expect(next('0 12 * * ? *', '2025-01-01T12:00:00Z')).toBe('2025-01-02T12:00:00.000Z');
  });

  it('steps minutes and is strictly after the given time', () => {
    expect(next('0/15 * * * ? *', '2025-01-01T00:07:00Z')).toBe('2025-01-01T00:15:00.000Z');
    expect(next('*/15 * * * ? *', '2025-01-01T00:15:00Z')).toBe('2025-01-01T00:30:00.000Z');
    expect(next('10-20/5 * * * ? *', '2025-01-01T00:16:00Z')).toBe('2025-01-01T00:20:00.000Z');
  });

  it('skips the weekend for MON-FRI (weekday 1 is Sunday)', () => {
    expect(next('0 9 ? * MON-FRI *', '2025-01-03T10:00:00Z')).toBe('2025-01-06T09:00:00.000Z');
    expect(next('0 9 ? * 2-6 *', '2025-01-03T10:00:00Z')).toBe('2025-01-06T09:00:00.000Z');
  });

  it('supports L (last day) in day-of-month, including leap years', () => {
    expect(next('0 0 L * ? *', '2025-02-01T00:00:00Z')).toBe('2025-02-28T00:00:00.000Z');
    expect(next('0 0 L * ? *', '2024-02-01T00:00:00Z')).toBe('2024-02-29T00:00:00.000Z');
  });

  it('supports nW and LW (nearest weekday, within the month)', () => {
    expect(next('0 8 15W * ? *', '2025-02-01T00:00:00Z')).toBe('2025-02-14T08:00:00.000Z');
    expect(next('0 8 15W * ? *', '2025-06-01T00:00:00Z')).toBe('2025-06-16T08:00:00.000Z');
    expect(next('0 8 LW * ? *', '2025-05-01T00:00:00Z')).toBe('2025-05-30T08:00:00.000Z');
  });

  it('supports 6L (last Friday) and 2#1 (first Monday) in day-of-week', () => {
    expect(next('0 8 ? * 6L *', '2025-01-01T00:00:00Z')).toBe('2025-01-31T08:00:00.000Z');
    expect(next('0 8 ? * 2#1 *', '2025-01-10T00:00:00Z')).toBe('2025-02-03T08:00:00.000Z');
  });

  it('honours month names and the year field, and ends when the years run out', () => {
    expect(next('30 6 1 MAR ? 2026', '2025-01-01T00:00:00Z')).toBe('2026-03-01T06:30:00.000Z');
    expect(next('0 0 1 1 ? 2024', '2025-01-01T00:00:00Z')).toBeUndefined();
  });

  it('fails if day-of-month and day-of-week are not exactly one "?"', () => {
    expect(() => parseCron('0 0 * * * *')).toThrow(/exactly one of day-of-month and day-of-week to be "\?", got "\*" and "\*"/);
    expect(() => parseCron('0 0 ? * ? *')).toThrow(/exactly one/);
  });

  it('fails naming the field, its range and the value', () => {
    expect(() => parseCron('61 * * * ? *')).toThrow(/cron minutes must be 0-59, got "61"/);
    expect(() => parseCron('0 0 * FOO ? *')).toThrow(/cron month must be 1-12, got "FOO"/);
    expect(() => parseCron('0 0 * * ?')).toThrow(/needs 6 fields .* got 5/);
  });

  it('matches days by calendar', () => {
    const cron = parseCron('0 0 ? * SAT,SUN *');
    expect(cronMatchesDay(cron, 2025, 1, 4)).toBe(true);
    expect(cronMatchesDay(cron, 2025, 1, 6)).toBe(false);
  });

  it('agrees with a minute-by-minute scan for daily minute/hour lists (property)', () => {
    const list = (max: number) => fc.uniqueArray(fc.integer({ min: 0, max }), { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(list(59), list(23), fc.integer({ min: 0, max: 364 * 24 * 60 }), (mins, hours, offset) => {
        const after = Date.UTC(2025, 0, 1) + offset * 60_000 + 17_000;
        const cron = parseCron(`${mins.join(',')} ${hours.join(',')} * * ? *`);
        let t = Math.floor(after / 60_000) * 60_000 + 60_000;
        while (!(mins.includes(new Date(t).getUTCMinutes()) && hours.includes(new Date(t).getUTCHours()))) t += 60_000;
        expect(nextCronTime(cron, after)).toBe(t);
      }),
      { numRuns: 60 },
    );
  });
});

describe('schedule expressions', () => {
  it('parses rate() into milliseconds with AWS singular/plural rules', () => {
    expect(parseScheduleExpression('rate(1 minute)')).toStrictEqual({ kind: 'rate', everyMs: 60_000 });
    expect(parseScheduleExpression('rate(2 hours)')).toStrictEqual({ kind: 'rate', everyMs: 7_200_000 });
    expect(() => parseScheduleExpression('rate(1 minutes)')).toThrow(/singular unit for 1/);
    expect(() => parseScheduleExpression('rate(0 days)')).toThrow(/positive integer/);
  });

  it('parses at() as UTC and rejects impossible dates', () => {
    expect(parseScheduleExpression('at(2025-03-04T05:06:07)')).toStrictEqual({ kind: 'at', at: utc('2025-03-04T05:06:07Z') });
    expect(() => parseScheduleExpression('at(2025-02-30T00:00:00)')).toThrow(/yyyy-mm-ddThh:mm:ss/);
  });

  it('fails for at() where only recurring schedules are valid, and for non-UTC zones', () => {
    expect(() => parseScheduleExpression('at(2025-03-04T05:06:07)', { allowAt: false })).toThrow(/one-time at/);
    expect(() => parseScheduleExpression('rate(1 day)', { timezone: 'Europe/Paris' })).toThrow(/"Europe\/Paris" is not supported locally/);
    expect(() => parseScheduleExpression('every(5 minutes)')).toThrow(/must be at\(...\), rate\(...\) or cron\(...\)/);
  });

  it('anchors rate schedules on their start', () => {
    const rate = parseScheduleExpression('rate(5 minutes)');
    expect(nextFireTime(rate, 1_000, 1_000)).toBe(301_000);
    expect(nextFireTime(rate, 301_000, 1_000)).toBe(601_000);
    expect(nextFireTime(rate, 450_000, 1_000)).toBe(601_000);
  });

  it('fires a one-time schedule only while its time is ahead', () => {
    const at = parseScheduleExpression('at(2025-01-01T00:10:00)');
    expect(nextFireTime(at, utc('2025-01-01T00:00:00Z'), 0)).toBe(utc('2025-01-01T00:10:00Z'));
    expect(nextFireTime(at, utc('2025-01-01T00:10:00Z'), 0)).toBeUndefined();
  });
});
