/**
 * ASL payload templates (ItemSelector, BatchInput, ItemReader Parameters) for the states the
 * local runtime evaluates itself: keys ending in `.$` take the value at a path of the state
 * input (`$…`) or of the context object (`$$…`). Intrinsic functions are not evaluated here.
 */
import { readPath } from '../scheduling/json-path';
import { TerminalTaskFailure } from './errors';

function valueAt(path: string, input: unknown, context: unknown): unknown {
  if (path.startsWith('$$')) return readPath(context, path.slice(1));
  if (path.startsWith('$')) return readPath(input, path);
  throw new TerminalTaskFailure('States.Runtime', `payload template: "${path}" is not a path, and intrinsic functions are not evaluated in this field locally`);
}

/** Evaluates `template` against the state input and the context object. */
export function evaluateTemplate(template: unknown, input: unknown, context: unknown): unknown {
  if (Array.isArray(template)) return template.map((t) => evaluateTemplate(t, input, context));
  if (template === null || typeof template !== 'object') return template;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(template)) {
    if (!key.endsWith('.$')) {
      out[key] = evaluateTemplate(value, input, context);
      continue;
    }
    const found = valueAt(String(value), input, context);
    // AWS fails the state when a path in a template matches nothing.
    if (found === undefined) throw new TerminalTaskFailure('States.Runtime', `The JSONPath '${String(value)}' specified for the field '${key}' could not be found in the input`);
    out[key.slice(0, -2)] = found;
  }
  return out;
}
