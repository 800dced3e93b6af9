/**
 * The small JSONPath subset that reference paths use (EventBridge `InputPath`, ASL
 * `SecondsPath`): `$`, `$.a.b`, `$['a b']`, `$.items[0]`. No filters, wildcards or slices.
 */
import { validationError } from './errors';

/**
 * Splits a reference path into its keys and indexes.
 * @throws AwsServiceError ValidationException for anything beyond the supported subset
 */
export function parseReferencePath(path: string): (string | number)[] {
  if (!path.startsWith('$')) throw validationError(`JSONPath must start with "$", got "${path}"`);
  const steps: (string | number)[] = [];
  const step = /\.([A-Za-z_$][\w$-]*)|\[(\d+)\]|\['([^']*)'\]|\["([^"]*)"\]/y;
  step.lastIndex = 1;
  while (step.lastIndex < path.length) {
    const start = step.lastIndex;
    const match = step.exec(path);
    if (!match) throw validationError(`unsupported JSONPath "${path}" at "${path.slice(start)}"`);
    steps.push(match[2] !== undefined ? Number(match[2]) : (match[1] ?? match[3] ?? match[4]));
  }
  return steps;
}

/** The value at `path` in `value`, or undefined when a step is missing. */
export function readPath(value: unknown, path: string): unknown {
  let current: unknown = value;
  for (const key of parseReferencePath(path)) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}
