/**
 * Step results by reference: Step Functions carries at most 256 KiB per state, so a result
 * that is large travels as `{ "$ppStepResult": "<step id>" }`, read back from the run's step
 * records by whoever needs the value (the step factory resolves them before the user's code).
 */

/** The key of a result reference. */
export const REF_KEY = '$ppStepResult';

/** A reference to the result of a step of the same run. */
export interface StepResultRef {
  readonly [REF_KEY]: string;
}

/** Results up to this many bytes in total travel inline in a gate's or collect's answer. */
export const INLINE_BUDGET_BYTES = 96 * 1024;

/** A single result above this many bytes is stored by the step and passed by reference. */
export const INLINE_RESULT_BYTES = 32 * 1024;

/** Whether `value` is a {@link StepResultRef}. */
export function isStepResultRef(value: unknown): value is StepResultRef {
  return typeof value === 'object' && value !== null && typeof (value as Record<string, unknown>)[REF_KEY] === 'string' && Object.keys(value).length === 1;
}

/** Size of a value as JSON, in UTF-8 bytes. */
export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value ?? null), 'utf8');
}

/**
 * Results keyed by step, inline smallest first while the total stays within `budget`; the
 * rest (and results already stored by reference) as references.
 */
export function fitInline(results: ReadonlyMap<string, unknown>, budget = INLINE_BUDGET_BYTES): Record<string, unknown> {
  const sized = [...results].map(([step, value]) => ({ step, value, bytes: jsonBytes(value) })).sort((a, b) => a.bytes - b.bytes);
  const out: Record<string, unknown> = {};
  let used = 0;
  for (const { step, value, bytes } of sized) {
    const inline = used + bytes <= budget;
    if (inline) used += bytes;
    out[step] = inline ? value : { [REF_KEY]: step };
  }
  // Keys in the caller's order, whatever the size order was.
  return Object.fromEntries([...results.keys()].map((k) => [k, out[k]]));
}
