/**
 * AWS six-field cron (`minutes hours day-of-month month day-of-week year`), as EventBridge
 * rules and EventBridge Scheduler use it, evaluated in UTC at minute granularity.
 *
 * Supported: `*`, `?`, lists, ranges, steps (`*\/5`, `10/15`, `1-30/2`), month and weekday
 * names (`JAN`, `MON-FRI`; weekday 1 is Sunday), `L` and `LW` and `15W` in day-of-month,
 * `L`, `6L` (last Friday) and `2#1` (first Monday) in day-of-week. As on AWS, exactly one of
 * day-of-month and day-of-week must be `?`.
 */
import { validationError } from './errors';

/** Which days of the month a cron selects. */
interface DomSpec {
  readonly any: boolean;
  readonly days: ReadonlySet<number>;
  /** `L`: the last day of the month. */
  readonly last: boolean;
  /** `LW`: the last weekday (Mon–Fri) of the month. */
  readonly lastWeekday: boolean;
  /** `15W`: the weekday nearest to that day, within the month. */
  readonly nearestWeekday: readonly number[];
}

/** Which weekdays a cron selects (1 = Sunday … 7 = Saturday). */
interface DowSpec {
  readonly any: boolean;
  readonly days: ReadonlySet<number>;
  /** `6L`: the last such weekday of the month. */
  readonly lastOf: readonly number[];
  /** `2#1`: the nth such weekday of the month, as `[weekday, n]`. */
  readonly nth: readonly (readonly [number, number])[];
}

/** A parsed cron expression. */
export interface CronSchedule {
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  readonly dom: DomSpec;
  readonly months: ReadonlySet<number>;
  readonly dow: DowSpec;
  readonly years: ReadonlySet<number>;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const MIN_YEAR = 1970;
const MAX_YEAR = 2199;
const MINUTE = 60_000;
const DAY = 86_400_000;

interface FieldRange {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

function parseValue(text: string, field: FieldRange): number {
  const named = field.names?.indexOf(text.toUpperCase()) ?? -1;
  const value = named >= 0 ? named + 1 : /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(value >= field.min && value <= field.max)) {
    throw validationError(`cron ${field.name} must be ${field.min}-${field.max}, got "${text}"`);
  }
  return value;
}

/** Parses `*`, lists, ranges and steps of one field into the set of values it selects. */
function parseField(text: string, field: FieldRange): Set<number> {
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const [range, stepText, extra] = part.split('/');
    if (extra !== undefined || range === '') throw validationError(`cron ${field.name} has a malformed part "${part}"`);
    const step = stepText === undefined ? 1 : parseValue(stepText, { ...field, min: 1, max: field.max, names: undefined });
    let from = field.min;
    let to = field.max;
    if (range !== '*') {
      const [a, b] = range.split('-');
      from = parseValue(a, field);
      to = b === undefined ? (stepText === undefined ? from : field.max) : parseValue(b, field);
      if (from > to) throw validationError(`cron ${field.name} range "${range}" runs backwards`);
    }
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}

const FIELDS = {
  minutes: { name: 'minutes', min: 0, max: 59 },
  hours: { name: 'hours', min: 0, max: 23 },
  dom: { name: 'day-of-month', min: 1, max: 31 },
  months: { name: 'month', min: 1, max: 12, names: MONTHS },
  dow: { name: 'day-of-week', min: 1, max: 7, names: WEEKDAYS },
  years: { name: 'year', min: MIN_YEAR, max: MAX_YEAR },
} satisfies Record<string, FieldRange>;

function parseDom(text: string): DomSpec {
  const spec = { any: false, days: new Set<number>(), last: false, lastWeekday: false, nearestWeekday: [] as number[] };
  if (text === '?' || text === '*') return { ...spec, any: true };
  for (const part of text.split(',')) {
    if (part === 'L') spec.last = true;
    else if (part === 'LW') spec.lastWeekday = true;
    else if (part.endsWith('W')) spec.nearestWeekday.push(parseValue(part.slice(0, -1), FIELDS.dom));
    else for (const d of parseField(part, FIELDS.dom)) spec.days.add(d);
  }
  return spec;
}

function parseDow(text: string): DowSpec {
  const spec = { any: false, days: new Set<number>(), lastOf: [] as number[], nth: [] as [number, number][] };
  if (text === '?' || text === '*') return { ...spec, any: true };
  for (const part of text.split(',')) {
    if (part === 'L') spec.days.add(7);
    else if (/^\w+L$/.test(part)) spec.lastOf.push(parseValue(part.slice(0, -1), FIELDS.dow));
    else if (part.includes('#')) {
      const [day, n] = part.split('#');
      spec.nth.push([parseValue(day, FIELDS.dow), parseValue(n, { name: 'day-of-week #n', min: 1, max: 5 })]);
    } else for (const d of parseField(part, FIELDS.dow)) spec.days.add(d);
  }
  return spec;
}

/**
 * Parses the six fields inside `cron(...)`.
 * @throws AwsServiceError ValidationException naming the bad field and value
 */
export function parseCron(body: string): CronSchedule {
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6) throw validationError(`cron needs 6 fields (minutes hours day-of-month month day-of-week year), got ${fields.length}: "${body}"`);
  const [min, hour, dom, month, dow, year] = fields;
  if ((dom === '?') === (dow === '?')) {
    throw validationError(`cron needs exactly one of day-of-month and day-of-week to be "?", got "${dom}" and "${dow}"`);
  }
  return {
    minutes: [...parseField(min, FIELDS.minutes)].sort((a, b) => a - b),
    hours: [...parseField(hour, FIELDS.hours)].sort((a, b) => a - b),
    dom: parseDom(dom),
    months: parseField(month, FIELDS.months),
    dow: parseDow(dow),
    years: parseField(year, FIELDS.years),
  };
}

function lastDayOf(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function weekdayOf(year: number, month: number, day: number): number {
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 1;
}

function nearestWeekday(year: number, month: number, target: number): number {
  const last = lastDayOf(year, month);
  if (target > last) return -1;
  const wd = weekdayOf(year, month, target);
  if (wd === 7) return target === 1 ? 3 : target - 1;
  if (wd === 1) return target === last ? target - 2 : target + 1;
  return target;
}

function domMatches(spec: DomSpec, year: number, month: number, day: number): boolean {
  if (spec.any || spec.days.has(day)) return true;
  const last = lastDayOf(year, month);
  if (spec.last && day === last) return true;
  if (spec.lastWeekday && day === nearestWeekday(year, month, last)) return true;
  return spec.nearestWeekday.some((n) => nearestWeekday(year, month, n) === day);
}

function dowMatches(spec: DowSpec, year: number, month: number, day: number): boolean {
  const wd = weekdayOf(year, month, day);
  if (spec.any || spec.days.has(wd)) return true;
  if (spec.lastOf.includes(wd) && day + 7 > lastDayOf(year, month)) return true;
  return spec.nth.some(([w, n]) => w === wd && Math.ceil(day / 7) === n);
}

/** Whether the cron selects the given UTC calendar day. */
export function cronMatchesDay(cron: CronSchedule, year: number, month: number, day: number): boolean {
  return (
    cron.years.has(year) &&
    cron.months.has(month) &&
    domMatches(cron.dom, year, month, day) &&
    dowMatches(cron.dow, year, month, day)
  );
}

/** The first (hour, minute) of the cron at or after `fromMinuteOfDay`, as minutes since midnight. */
function firstTimeOfDay(cron: CronSchedule, fromMinuteOfDay: number): number | undefined {
  for (const h of cron.hours) {
    for (const m of cron.minutes) {
      if (h * 60 + m >= fromMinuteOfDay) return h * 60 + m;
    }
  }
  return undefined;
}

/**
 * The first time the cron fires strictly after `after` (epoch ms, UTC), or undefined when it
 * never fires again (its years are over).
 */
export function nextCronTime(cron: CronSchedule, after: number): number | undefined {
  const start = Math.floor(after / MINUTE) * MINUTE + MINUTE;
  let dayStart = Math.floor(start / DAY) * DAY;
  let fromMinute = (start - dayStart) / MINUTE;
  for (; new Date(dayStart).getUTCFullYear() <= MAX_YEAR; dayStart += DAY, fromMinute = 0) {
    const d = new Date(dayStart);
    if (!cronMatchesDay(cron, d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate())) continue;
    const minuteOfDay = firstTimeOfDay(cron, fromMinute);
    if (minuteOfDay !== undefined) return dayStart + minuteOfDay * MINUTE;
  }
  return undefined;
}
