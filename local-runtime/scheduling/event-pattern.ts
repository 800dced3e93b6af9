/**
 * EventBridge event pattern matching, also the syntax of Lambda event source `FilterCriteria`.
 *
 * A pattern mirrors the event's shape: objects nest, and every leaf is an array of matchers
 * of which at least one must match (when the event's value is an array, any element may).
 * Matchers: literals (string, number, boolean, null), `prefix`, `suffix`,
 * `equals-ignore-case`, `wildcard`, `anything-but` (value, list, or prefix/suffix/
 * equals-ignore-case), `numeric` (`=`, `<`, `<=`, `>`, `>=`, up to one lower and one upper
 * bound), `exists`, and `$or` over sub-patterns.
 */
import { AwsServiceError } from './errors';

/** An event pattern (already parsed from its JSON). */
export type EventPattern = { readonly [key: string]: unknown };

const NUMERIC_OPS = new Set(['=', '<', '<=', '>', '>=']);
const OPERATORS = new Set(['prefix', 'suffix', 'equals-ignore-case', 'wildcard', 'anything-but', 'numeric', 'exists']);

/** `InvalidEventPatternException` (400), the code PutRule answers with. */
function invalid(message: string): AwsServiceError {
  return new AwsServiceError('InvalidEventPatternException', 400, `Event pattern is not valid. ${message}`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function checkMatcher(matcher: unknown, path: string, problems: string[]): void {
  if (!isObject(matcher)) return;
  const keys = Object.keys(matcher);
  if (keys.length !== 1 || !OPERATORS.has(keys[0])) {
    problems.push(`${path}: unknown matcher ${JSON.stringify(matcher)}`);
    return;
  }
  const arg = matcher[keys[0]];
  if (keys[0] === 'numeric' && (!Array.isArray(arg) || arg.length % 2 !== 0 || arg.length === 0)) {
    problems.push(`${path}: numeric needs [op, number, ...], got ${JSON.stringify(arg)}`);
  } else if (keys[0] === 'numeric' && Array.isArray(arg)) {
    for (let i = 0; i < arg.length; i += 2) {
      if (!NUMERIC_OPS.has(arg[i]) || typeof arg[i + 1] !== 'number') problems.push(`${path}: bad numeric pair ${JSON.stringify(arg.slice(i, i + 2))}`);
    }
  } else if (keys[0] === 'exists' && typeof arg !== 'boolean') {
    problems.push(`${path}: exists needs true or false, got ${JSON.stringify(arg)}`);
  }
}

function checkPattern(pattern: unknown, path: string, problems: string[]): void {
  if (!isObject(pattern)) {
    problems.push(`${path || 'pattern'} must be an object, got ${JSON.stringify(pattern)}`);
    return;
  }
  for (const [key, value] of Object.entries(pattern)) {
    const at = path ? `${path}.${key}` : key;
    if (key === '$or') {
      if (!Array.isArray(value) || value.length < 2) problems.push(`${at} needs an array of at least 2 patterns`);
      else value.forEach((sub, i) => checkPattern(sub, `${at}[${i}]`, problems));
    } else if (Array.isArray(value)) {
      value.forEach((m) => checkMatcher(m, at, problems));
    } else if (isObject(value)) {
      checkPattern(value, at, problems);
    } else {
      problems.push(`${at} must be an array of matchers or a nested object, got ${JSON.stringify(value)}`);
    }
  }
}

/**
 * Parses and validates a pattern (a JSON string or an object), collecting every problem.
 * @throws AwsServiceError InvalidEventPatternException listing all problems
 */
export function parseEventPattern(pattern: string | object): EventPattern {
  let parsed: unknown = pattern;
  if (typeof pattern === 'string') {
    try {
      parsed = JSON.parse(pattern);
    } catch (err) {
      throw invalid(`not JSON: ${(err as Error).message}`);
    }
  }
  const problems: string[] = [];
  checkPattern(parsed, '', problems);
  if (problems.length > 0) throw invalid(problems.join('; '));
  return parsed as EventPattern;
}

function numericMatches(bounds: readonly unknown[], value: unknown): boolean {
  if (typeof value !== 'number') return false;
  for (let i = 0; i < bounds.length; i += 2) {
    const limit = bounds[i + 1] as number;
    const ok = { '=': value === limit, '<': value < limit, '<=': value <= limit, '>': value > limit, '>=': value >= limit }[bounds[i] as string];
    if (!ok) return false;
  }
  return true;
}

function wildcardMatches(glob: string, value: string): boolean {
  const source = glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${source}$`, 's').test(value);
}

function stringOp(op: string, arg: unknown, value: unknown): boolean {
  if (typeof value !== 'string') return false;
  if (isObject(arg) && 'equals-ignore-case' in arg) {
    const wanted = String(arg['equals-ignore-case']).toLowerCase();
    return op === 'prefix' ? value.toLowerCase().startsWith(wanted) : value.toLowerCase().endsWith(wanted);
  }
  if (op === 'prefix') return value.startsWith(String(arg));
  if (op === 'suffix') return value.endsWith(String(arg));
  if (op === 'equals-ignore-case') return value.toLowerCase() === String(arg).toLowerCase();
  return wildcardMatches(String(arg), value);
}

function anythingBut(arg: unknown, value: unknown): boolean {
  if (isObject(arg)) {
    const [op, inner] = Object.entries(arg)[0] ?? [];
    return typeof value === 'string' && !stringOp(op, inner, value);
  }
  const excluded = Array.isArray(arg) ? arg : [arg];
  return !excluded.some((x) => x === value);
}

/** Whether one (non-exists) matcher accepts one scalar value. */
function matcherAccepts(matcher: unknown, value: unknown): boolean {
  if (!isObject(matcher)) return matcher === value;
  const [op, arg] = Object.entries(matcher)[0];
  if (op === 'numeric') return numericMatches(arg as unknown[], value);
  if (op === 'anything-but') return anythingBut(arg, value);
  return stringOp(op, arg, value);
}

function leafMatches(matchers: readonly unknown[], present: boolean, value: unknown): boolean {
  const values = Array.isArray(value) ? value : [value];
  return matchers.some((m) => {
    if (isObject(m) && 'exists' in m) return m.exists === (present && !(Array.isArray(value) && value.length === 0));
    return present && values.some((v) => matcherAccepts(m, v));
  });
}

/** Whether `event` (any JSON value, usually an object) matches `pattern`. */
export function matchesEventPattern(pattern: EventPattern, event: unknown): boolean {
  const obj = isObject(event) ? event : {};
  return Object.entries(pattern).every(([key, sub]) => {
    if (key === '$or') return (sub as EventPattern[]).some((p) => matchesEventPattern(p, event));
    const present = Object.hasOwn(obj, key);
    if (Array.isArray(sub)) return leafMatches(sub, present, obj[key]);
    // A nested pattern over an array of objects matches when any element does.
    const inner = obj[key];
    if (Array.isArray(inner)) return inner.some((el) => matchesEventPattern(sub as EventPattern, el));
    return present && isObject(inner) ? matchesEventPattern(sub as EventPattern, inner) : nestedAbsentMatches(sub as EventPattern);
  });
}

/** A nested pattern over an absent object can still match when it only asks for absence. */
function nestedAbsentMatches(pattern: EventPattern): boolean {
  return matchesEventPattern(pattern, {});
}
