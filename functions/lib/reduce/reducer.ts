/**
 * The reducer's core: merges a batch of partials into their aggregations' shards, each shard
 * with one conditional write that both merges the new partials and records their ids, then
 * finalizes an aggregation whose merged count reached the expected count.
 */
import { createHash } from 'node:crypto';
import { ReduceConflictError } from '../errors';
import { isPartial, type FinalAggregate, type MergeFn, type Partial, type ReduceInput, type ReduceStore, type ShardState } from './types';

/** Settings of {@link reduceBatch}. */
export interface ReduceOptions<V> {
  readonly merge: MergeFn<V>;
  /** Shards per aggregation (1–1,000): spreads write contention and the applied-id lists. */
  readonly shards: number;
  /** Epoch ms, for `finalAt`. */
  readonly now: () => number;
  /** Conflicting writes retried per shard before the batch fails (SQS then redelivers it). @default 20 */
  readonly maxConflicts?: number;
  /** Sleeps between conflicting writes. @default - no pause (a conflict means fresh data to read) */
  readonly pause?: (attempt: number) => Promise<void>;
  /**
   * Told about a final aggregate before it is written, so a failed notification fails the batch
   * and is retried on redelivery (at least once; racing finalizers may both notify).
   * @default - no notification
   */
  readonly notify?: (final: FinalAggregate<V>) => Promise<void>;
}

/** What one batch did. */
export interface ReduceReport<V> {
  /** Partials merged now (new ones). */
  readonly merged: number;
  /** Partials already merged before (duplicate deliveries), skipped. */
  readonly duplicates: number;
  /** Aggregations this batch finalized. */
  readonly finalized: readonly FinalAggregate<V>[];
}

/** The shard a partial belongs to: a stable hash of its id, so every copy lands on the same shard. */
export function shardOf(partialId: string, shards: number): number {
  return createHash('sha256').update(partialId).digest().readUInt32BE(0) % shards;
}

/** Merges the partials not yet applied to `state`; undefined when every one was. */
export function applyToShard<V>(state: ShardState<V>, partials: readonly Partial<V>[], merge: MergeFn<V>): ShardState<V> | undefined {
  const applied = new Set(state.applied);
  const fresh = partials.filter((p) => !applied.has(p.partialId) && (applied.add(p.partialId), true));
  if (fresh.length === 0) return undefined;
  const delta = fresh.map((p) => p.value).reduce(merge);
  return { value: state.value === undefined ? delta : merge(state.value, delta), applied: [...state.applied, ...fresh.map((p) => p.partialId)], version: state.version + 1 };
}

async function mergeShard<V>(store: ReduceStore, reduceId: string, shard: number, partials: readonly Partial<V>[], options: ReduceOptions<V>): Promise<number> {
  const max = options.maxConflicts ?? 20;
  for (let attempt = 0; attempt < max; attempt++) {
    if (attempt > 0) await options.pause?.(attempt);
    const state = (await store.readShard(reduceId, shard)) as ShardState<V>;
    const next = applyToShard(state, partials, options.merge);
    if (!next) return 0;
    if (await store.writeShard(reduceId, shard, next, state.version)) return next.applied.length - state.applied.length;
  }
  throw new ReduceConflictError(reduceId, shard, max);
}

/** Finalizes `reduceId` if every expected partial is merged; returns the final when this call wrote it. */
export async function finalizeIfComplete<V>(store: ReduceStore, reduceId: string, options: ReduceOptions<V>): Promise<FinalAggregate<V> | undefined> {
  const expected = await store.readExpected(reduceId);
  if (expected === undefined || (await store.readFinal(reduceId))) return undefined;
  // Read after our own writes: whichever writer finished last sees every partial. Counts
  // first (a small read on every batch), whole shards only once the aggregation is complete.
  if ((await store.shardCounts(reduceId, options.shards)).reduce((a, b) => a + b, 0) < expected) return undefined;
  const shards = (await store.readShards(reduceId, options.shards)) as ShardState<V>[];
  const count = shards.reduce((n, s) => n + s.applied.length, 0);
  if (count < expected) return undefined;
  const values: V[] = shards.flatMap((s) => (s.value === undefined ? [] : [s.value as V]));
  const final: FinalAggregate<V> = { reduceId, value: values.reduce((a, b) => options.merge(a, b)), count, finalAt: options.now() };
  await options.notify?.(final);
  return (await store.putFinal(final)) ? final : undefined;
}

/** Merges a batch of partials and count notices (any aggregations, duplicates allowed). */
export async function reduceBatch<V>(store: ReduceStore, inputs: readonly ReduceInput<V>[], options: ReduceOptions<V>): Promise<ReduceReport<V>> {
  const byReduce = new Map<string, ReduceInput<V>[]>();
  for (const p of inputs) byReduce.set(p.reduceId, [...(byReduce.get(p.reduceId) ?? []), p]);
  let merged = 0;
  let partialCount = 0;
  const finalized: FinalAggregate<V>[] = [];
  for (const [reduceId, group] of byReduce) {
    const expected = group.find((p) => p.expected !== undefined)?.expected;
    if (expected !== undefined) await store.setExpected(reduceId, expected);
    const byShard = new Map<number, Partial<V>[]>();
    for (const p of group.filter(isPartial)) {
      const s = shardOf(p.partialId, options.shards);
      byShard.set(s, [...(byShard.get(s) ?? []), p]);
      partialCount++;
    }
    const counts = await Promise.all([...byShard].map(([shard, ps]) => mergeShard(store, reduceId, shard, ps, options)));
    merged += counts.reduce((a, b) => a + b, 0);
    const final = await finalizeIfComplete(store, reduceId, options);
    if (final) finalized.push(final);
  }
  return { merged, duplicates: partialCount - merged, finalized };
}
