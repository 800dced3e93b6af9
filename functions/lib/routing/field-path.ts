/**
 * Reading a routing field (`type`, `order.channel`) out of a parsed message body.
 *
 * Routing constructs name the field as a dot path so the same string works in the construct's
 * props, in its docs and in the handler's environment.
 */
import { ConfigError } from '../errors';

const SEGMENT = /^[^.\s]+$/;

/**
 * Splits a dot path into its segments.
 *
 * @throws ConfigError when the path is empty or has an empty segment (`a..b`, `.a`)
 */
export function parseFieldPath(path: string): readonly string[] {
  const segments = path.split('.');
  if (path.length === 0 || !segments.every((segment) => SEGMENT.test(segment))) {
    throw new ConfigError([`field path must be dot-separated names without spaces, got "${path}"`]);
  }
  return segments;
}

/**
 * The value at `segments` inside `value`, or `undefined` when any step is missing or is not
 * a plain object. Arrays are not indexed: a routing field names one value, not a position.
 */
export function readField(value: unknown, segments: readonly string[]): unknown {
  let current = value;
  for (const segment of segments) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    if (!Object.prototype.hasOwnProperty.call(current, segment)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

/**
 * The routing key of a field value: strings as they are, finite numbers and booleans in their
 * JSON spelling; anything else (missing, null, objects, arrays) has no key.
 */
export function routingKeyOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number' && Number.isFinite(value)) return JSON.stringify(value);
  return undefined;
}
