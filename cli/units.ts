/**
 * Parsing of the human units `pp` accepts on its command line: durations (`30s`, `2m`,
 * `150ms`, `1h`) and rates (`200`, `200/s`, `1/min`, `3600/h`). Both are strict: anything else
 * is an error that quotes the value.
 */
import { InvalidArgumentError } from 'commander';

const SECONDS_PER_UNIT: Readonly<Record<string, number>> = { ms: 0.001, s: 1, sec: 1, m: 60, min: 60, h: 3600, hour: 3600, d: 86_400, day: 86_400 };

/** Parses a duration into seconds; a bare number is seconds. */
export function parseDuration(raw: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/.exec(raw);
  const unit = match?.[2] || 's';
  const factor = SECONDS_PER_UNIT[unit];
  if (!match || factor === undefined) throw new InvalidArgumentError(`expected a duration such as 30s, 2m, 150ms or 1h, got "${raw}"`);
  const seconds = Number(match[1]) * factor;
  if (!(seconds > 0)) throw new InvalidArgumentError(`must be above zero, got "${raw}"`);
  return seconds;
}

/** Parses a rate into items per second; a bare number is per second. */
export function parseRate(raw: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(?:\/\s*([a-z]+))?\s*$/.exec(raw);
  const factor = SECONDS_PER_UNIT[match?.[2] ?? 's'];
  if (!match || factor === undefined || factor < 1) throw new InvalidArgumentError(`expected a rate such as 200, 200/s, 1/min or 3600/h, got "${raw}"`);
  return Number(match[1]) / factor;
}

/** Parses an integer within `[min, max]`. */
export function intIn(min: number, max: number): (raw: string) => number {
  return (raw) => {
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) throw new InvalidArgumentError(`must be an integer from ${min} to ${max}, got "${raw}"`);
    return value;
  };
}

/** Parses a number within `[min, max]`. */
export function numberIn(min: number, max: number): (raw: string) => number {
  return (raw) => {
    const value = Number(raw);
    if (!Number.isFinite(value) || value < min || value > max) throw new InvalidArgumentError(`must be a number from ${min} to ${max}, got "${raw}"`);
    return value;
  };
}

/** Formats seconds for a table: `45 s`, `12.5 min`, `3.2 h`. */
export function formatSeconds(seconds: number): string {
  if (seconds < 120) return `${round(seconds)} s`;
  if (seconds < 7200) return `${round(seconds / 60)} min`;
  return `${round(seconds / 3600)} h`;
}

function round(value: number): string {
  return String(Math.round(value * 10) / 10);
}
