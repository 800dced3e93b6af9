/**
 * Small helpers for strict option parsing: each returns a violation line (or nothing), so a
 * caller collects every violation and throws one ConfigError naming them all.
 */

/** A violation line if `value` is not an integer in [min, max], quoting the value. */
export function intRangeViolation(name: string, value: unknown, min: number, max: number): string | undefined {
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return undefined;
  return `${name} must be an integer from ${min} to ${max}, got ${quote(value)}`;
}

/** A violation line for every key of `options` not in `known`. */
export function unknownKeyViolations(what: string, options: object, known: readonly string[]): string[] {
  return Object.keys(options)
    .filter((key) => !known.includes(key))
    .map((key) => `${what}: unknown option "${key}" (known: ${known.join(', ')})`);
}

/** Renders a received value for an error message: strings quoted, others as JSON-ish text. */
export function quote(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'bigint' || typeof value === 'symbol' || value === undefined) return String(value);
  return JSON.stringify(value) ?? String(value);
}

/** Flattens violation lines and lists, dropping the `undefined` ones. */
export function collect(...violations: ReadonlyArray<string | undefined | readonly string[]>): string[] {
  return violations.flatMap((violation) => (violation === undefined ? [] : typeof violation === 'string' ? [violation] : [...violation]));
}
