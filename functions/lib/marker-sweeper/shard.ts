/**
 * Write sharding of the pending-flags index.
 *
 * The sparse index is keyed by a shard number instead of one constant, so marks and sweeps
 * of a hot flag set spread over `shards` index partitions rather than hitting one.
 */
import { hash53 } from '../routing/hash';

/** Seed of the shard hash: fixed forever, so a key keeps its shard across deploys. */
const SHARD_SEED = 0x5eed;

/** The shard (0 … shards−1) of `key`: stable, evenly spread. */
export function shardOf(key: string, shards: number): number {
  return hash53(key, SHARD_SEED) % shards;
}
