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

/** A lone surrogate: a high one not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * A violation line when `value`, named `name`, is not well-formed UTF-16. A lone surrogate
 * (valid in JSON as `\\ud800`) becomes U+FFFD when encoded as UTF-8 on the wire, so two
 * different ids would be stored as one.
 */
export function wellFormedViolation(name: string, value: string): string | undefined {
  const match = LONE_SURROGATE.exec(value);
  return match === null ? undefined : `${name} must be well-formed UTF-16, got a lone surrogate U+${match[0].charCodeAt(0).toString(16).toUpperCase()} at index ${match.index}`;
}
