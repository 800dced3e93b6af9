/**
 * A call-recording batch function for RequestAggregator tests (DataLoader's `[loader, calls]`
 * style): it records the exact keys of every batch and answers from a script.
 */
import type { BatchResults, LoadBatchFn } from '../../functions/lib/request-aggregator/options';

/** A batch function that answers `v:<key>` for each key, or what `answer` says, and records every batch. */
export function recordingLoader<V = string>(
  answer: (keys: readonly string[], call: number) => BatchResults<V> | Promise<BatchResults<V>> = (keys) => keys.map((key) => `v:${key}` as V),
): { loadBatch: LoadBatchFn<string, V>; calls: string[][] } {
  const calls: string[][] = [];
  const loadBatch: LoadBatchFn<string, V> = async (keys) => {
    calls.push([...keys]);
    return answer(keys, calls.length);
  };
  return { loadBatch, calls };
}

/** Lets every pending promise job and `process.nextTick` callback run. */
export const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
