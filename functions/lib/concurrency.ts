/**
 * Bounded-concurrency mapping: the building block of every "N at a time" in the runtime.
 */
import { ConfigError } from './errors';

/**
 * Maps `items` through `fn` with at most `limit` calls in flight, and returns the results in
 * input order (not completion order).
 *
 * Rejects with the first error `fn` throws, after the calls already started have settled (so
 * nothing keeps running unobserved); no new call starts after a failure.
 *
 * @throws ConfigError if `limit` is not an integer ≥ 1
 */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new ConfigError([`concurrency limit must be an integer ≥ 1, got ${String(limit)}`]);
  }
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      const index = next++;
      try {
        results[index] = await fn(items[index] as T, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure !== undefined) throw failure.error;
  return results;
}
