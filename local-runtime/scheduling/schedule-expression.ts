/**
 * Schedule expressions shared by EventBridge rules and EventBridge Scheduler:
 * `at(yyyy-mm-ddThh:mm:ss)` (Scheduler only), `rate(n unit)` and `cron(six fields)`.
 * Only the UTC time zone is evaluated locally; other zones are rejected rather than
 * silently fired at the wrong hour.
 */
import { type CronSchedule, nextCronTime, parseCron } from './cron';
import { validationError } from './errors';

/** A parsed schedule expression. */
export type ParsedSchedule =
  | { readonly kind: 'at'; readonly at: number }
  | { readonly kind: 'rate'; readonly everyMs: number }
  | { readonly kind: 'cron'; readonly cron: CronSchedule };

/** Options of {@link parseScheduleExpression}. */
export interface ParseScheduleOptions {
  /**
   * Whether one-time `at(...)` expressions are accepted (Scheduler: yes; EventBridge rules: no).
   * @default true
   */
  readonly allowAt?: boolean;
  /**
   * The expression's time zone (`ScheduleExpressionTimezone`); only UTC is supported.
   * @default 'UTC'
   */
  readonly timezone?: string;
}

const UNIT_MS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };
const UTC_NAMES = new Set(['UTC', 'Etc/UTC', 'GMT', 'Etc/GMT', 'Universal', 'Zulu']);

function parseRate(body: string): ParsedSchedule {
  const match = /^(\d+)\s+(minute|minutes|hour|hours|day|days)$/.exec(body.trim());
  const value = match ? Number(match[1]) : 0;
  if (!match || value < 1) throw validationError(`rate(...) needs "<positive integer> <minute(s)|hour(s)|day(s)>", got "rate(${body})"`);
  const plural = match[2].endsWith('s');
  if (plural !== value > 1) {
    throw validationError(`rate(${body}): use the singular unit for 1 and the plural for more, as AWS does`);
  }
  return { kind: 'rate', everyMs: value * UNIT_MS[match[2].replace(/s$/, '')] };
}

function parseAt(body: string): ParsedSchedule {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(body.trim());
  const at = match ? Date.UTC(+match[1], +match[2] - 1, +match[3], +match[4], +match[5], +match[6]) : NaN;
  if (!match || Number.isNaN(at) || new Date(at).getUTCDate() !== +match[3]) {
    throw validationError(`at(...) needs "yyyy-mm-ddThh:mm:ss", got "at(${body})"`);
  }
  return { kind: 'at', at };
}

/**
 * Parses a schedule expression.
 * @throws AwsServiceError ValidationException quoting the expression
 */
export function parseScheduleExpression(expression: string, options: ParseScheduleOptions = {}): ParsedSchedule {
  const timezone = options.timezone ?? 'UTC';
  if (!UTC_NAMES.has(timezone)) {
    throw validationError(`ScheduleExpressionTimezone "${timezone}" is not supported locally; use UTC`);
  }
  const match = /^(at|rate|cron)\((.*)\)$/s.exec(expression.trim());
  if (!match) throw validationError(`schedule expression must be at(...), rate(...) or cron(...), got "${expression}"`);
  const [, kind, body] = match;
  if (kind === 'rate') return parseRate(body);
  if (kind === 'cron') return { kind: 'cron', cron: parseCron(body) };
  if (options.allowAt === false) throw validationError(`one-time at(...) expressions are not valid here, got "${expression}"`);
  return parseAt(body);
}

/**
 * When the schedule next fires strictly after `after`, or undefined when it never will.
 *
 * A rate fires at `anchor + k·rate` (k ≥ 1): the anchor is the schedule's start (its
 * StartDate, or when it was created). A one-time schedule fires at its time if that is
 * still ahead, and a cron at its next matching minute.
 */
export function nextFireTime(schedule: ParsedSchedule, after: number, anchor: number): number | undefined {
  switch (schedule.kind) {
    case 'at':
      return schedule.at > after ? schedule.at : undefined;
    case 'rate': {
      const k = Math.max(1, Math.floor((after - anchor) / schedule.everyMs) + 1);
      return anchor + k * schedule.everyMs;
    }
    case 'cron':
      return nextCronTime(schedule.cron, after);
  }
}
