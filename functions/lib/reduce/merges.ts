/**
 * Ready-made merges. Each is associative and commutative, as the reducer needs (partials
 * merge in arrival order).
 */
import type { MergeFn } from './types';

/** Adds numbers. */
export const sum: MergeFn<number> = (a, b) => a + b;

/** Counts: each partial is a count (send `1` per item, or a producer's own count). */
export const count: MergeFn<number> = (a, b) => a + b;

/** A histogram: bucket → count. */
export type Histogram = Record<string, number>;

/** Adds histograms bucket by bucket (e.g. per-town histograms into a national one). */
export const histogram: MergeFn<Histogram> = (a, b) => {
  const out: Histogram = { ...a };
  for (const [bucket, n] of Object.entries(b)) out[bucket] = (out[bucket] ?? 0) + n;
  return out;
};

/** One entry of a top-K list. */
export interface Ranked {
  readonly key: string;
  readonly score: number;
}

/**
 * The K highest-scoring entries. A key seen twice keeps its highest score (so merging is
 * idempotent per key too); ties are broken by key, so the result does not depend on order.
 */
export function topK(k: number): MergeFn<readonly Ranked[]> {
  return (a, b) => {
    const best = new Map<string, number>();
    for (const { key, score } of [...a, ...b]) best.set(key, Math.max(score, best.get(key) ?? -Infinity));
    return [...best].map(([key, score]) => ({ key, score }))
      .sort((x, y) => y.score - x.score || (x.key < y.key ? -1 : x.key > y.key ? 1 : 0))
      .slice(0, k);
  };
}

/** A ready-made merge by name, as the construct's `merge` prop selects it. */
export type ReadyMergeName = 'sum' | 'count' | 'histogram' | `topK:${number}`;

/** The merge a {@link ReadyMergeName} stands for. @throws Error for an unknown name */
export function readyMerge(name: string): MergeFn<unknown> {
  if (name === 'sum') return sum as MergeFn<unknown>;
  if (name === 'count') return count as MergeFn<unknown>;
  if (name === 'histogram') return histogram as MergeFn<unknown>;
  const k = /^topK:(\d+)$/.exec(name);
  if (k && Number(k[1]) >= 1) return topK(Number(k[1])) as MergeFn<unknown>;
  throw new Error(`unknown ready-made merge ${JSON.stringify(name)}: expected sum, count, histogram or topK:<k>`);
}
