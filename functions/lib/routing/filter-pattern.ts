/**
 * Lambda event-filtering patterns, evaluated in process.
 *
 * The Filter construct puts its pattern into the event source mapping's filter criteria, so
 * on AWS a dropped item never reaches (or bills) a function. This matcher implements the same
 * rule syntax for the places that have no mapping in front of them — a router that filters
 * before it routes, the local runtime, and tests that check a pattern keeps what it should.
 *
 * Supported rules (as Lambda documents them): literal values (string, number, boolean, null;
 * OR within one array), `prefix`, `suffix`, `equals-ignore-case`, `anything-but` (values or
 * a `prefix`), `numeric` comparisons, `exists`, and nested objects (AND across keys). An
 * array in the event matches when any of its elements matches.
 */
import type { FilterPattern, FilterRule } from '../../contract';
import { ConfigError } from '../errors';

export type { FilterPattern, FilterRule };

const NUMERIC_OPS: Readonly<Record<string, (a: number, b: number) => boolean>> = {
  '=': (a, b) => a === b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};

/** True when `event` matches every field of `pattern`. */
export function matchesPattern(pattern: FilterPattern, event: unknown): boolean {
  return Object.entries(pattern).every(([field, sub]) => {
    const value = isObject(event) && Object.prototype.hasOwnProperty.call(event, field) ? event[field] : undefined;
    if (Array.isArray(sub)) return matchesRules(sub as readonly FilterRule[], value);
    // A nested pattern over a missing or scalar field sees no fields, so only `exists: false` rules hold.
    return matchesPattern(sub as FilterPattern, isObject(value) && !Array.isArray(value) ? value : {});
  });
}

/**
 * True when an SQS message matches a pattern on its body, as a mapping's `{ body: … }`
 * criteria would: a JSON body is matched as parsed JSON, any other body as a plain string.
 */
export function bodyMatches(pattern: FilterPattern, body: string): boolean {
  return matchesPattern({ body: pattern }, { body: parseOrRaw(body) });
}

function matchesRules(rules: readonly FilterRule[], value: unknown): boolean {
  const present = value !== undefined;
  return rules.some((rule) => {
    if (isObject(rule) && 'exists' in rule) return rule.exists === present;
    if (!present) return false;
    const values = Array.isArray(value) ? value : [value];
    return values.some((v) => matchesRule(rule, v));
  });
}

function matchesRule(rule: FilterRule, value: unknown): boolean {
  if (rule === null || typeof rule !== 'object') {
    if (typeof rule === 'number') return typeof value === 'number' && value === rule;
    return value === rule;
  }
  if ('prefix' in rule) return typeof value === 'string' && value.startsWith(rule.prefix);
  if ('suffix' in rule) return typeof value === 'string' && value.endsWith(rule.suffix);
  if ('equals-ignore-case' in rule) {
    return typeof value === 'string' && value.toLowerCase() === rule['equals-ignore-case'].toLowerCase();
  }
  if ('anything-but' in rule) return matchesAnythingBut(rule['anything-but'], value);
  if ('numeric' in rule) return typeof value === 'number' && matchesNumeric(rule.numeric, value);
  return false;
}

function matchesAnythingBut(excluded: string | number | readonly (string | number)[] | { readonly prefix: string }, value: unknown): boolean {
  if (isObject(excluded) && !Array.isArray(excluded)) {
    const prefix = (excluded as { prefix: string }).prefix;
    return typeof value === 'string' && !value.startsWith(prefix);
  }
  const list = Array.isArray(excluded) ? excluded : [excluded];
  return !list.includes(value as string | number);
}

function matchesNumeric(conditions: readonly (string | number)[], value: number): boolean {
  for (let i = 0; i + 1 < conditions.length; i += 2) {
    const op = NUMERIC_OPS[String(conditions[i])];
    if (op === undefined || !op(value, Number(conditions[i + 1]))) return false;
  }
  return true;
}

/**
 * Checks that a pattern uses only the rules above, so a typo fails at start-up instead of
 * silently matching nothing.
 *
 * @throws ConfigError naming every malformed field
 */
export function validatePattern(pattern: unknown, path = 'pattern'): void {
  const violations = collectViolations(pattern, path);
  if (violations.length > 0) throw new ConfigError(violations);
}

function collectViolations(pattern: unknown, path: string): string[] {
  if (!isObject(pattern) || Array.isArray(pattern)) return [`${path} must be an object, got ${JSON.stringify(pattern)}`];
  const entries = Object.entries(pattern);
  if (entries.length === 0) return [`${path} must have at least one field`];
  return entries.flatMap(([field, sub]) => {
    const where = `${path}.${field}`;
    if (!Array.isArray(sub)) return collectViolations(sub, where);
    if (sub.length === 0) return [`${where} must list at least one rule`];
    return sub.filter((rule) => !isValidRule(rule)).map((rule) => `${where} has an unsupported rule ${JSON.stringify(rule)}`);
  });
}

function isValidRule(rule: unknown): boolean {
  if (rule === null || ['string', 'boolean'].includes(typeof rule)) return true;
  if (typeof rule === 'number') return Number.isFinite(rule);
  if (!isObject(rule) || Array.isArray(rule)) return false;
  const keys = Object.keys(rule);
  if (keys.length !== 1) return false;
  const [key] = keys as [string];
  const arg = rule[key];
  if (key === 'prefix' || key === 'suffix' || key === 'equals-ignore-case') return typeof arg === 'string';
  if (key === 'exists') return typeof arg === 'boolean';
  if (key === 'numeric') return isNumericRule(arg);
  if (key === 'anything-but') return isAnythingButArg(arg);
  return false;
}

function isNumericRule(arg: unknown): boolean {
  if (!Array.isArray(arg) || arg.length === 0 || arg.length % 2 !== 0) return false;
  return arg.every((part, i) => (i % 2 === 0 ? String(part) in NUMERIC_OPS : typeof part === 'number' && Number.isFinite(part)));
}

function isAnythingButArg(arg: unknown): boolean {
  const scalar = (v: unknown): boolean => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));
  if (scalar(arg)) return true;
  if (Array.isArray(arg)) return arg.length > 0 && arg.every(scalar);
  return isObject(arg) && Object.keys(arg).length === 1 && typeof arg.prefix === 'string';
}

function parseOrRaw(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    // Lambda matches a non-JSON body as a plain string; so do we.
    return body;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
