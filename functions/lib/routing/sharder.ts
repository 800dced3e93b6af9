/**
 * Sharder: spreads items over N shards by a key hash, and spills the keys of an
 * unhealthy shard to the healthy ones.
 *
 * Rendezvous (highest-random-weight) hashing: every shard scores every key, and the key goes
 * to the healthy shard with the highest score. Marking a shard unhealthy therefore moves only
 * the keys that shard owned (each to its runner-up), and every other key stays where it was;
 * marking it healthy again moves exactly those keys back. No ring, no virtual nodes, and the
 * assignment depends only on the shard names, never on their order.
 */
import { ConfigError } from '../errors';
import { parseFieldPath, readField, routingKeyOf } from './field-path';
import { hash53 } from './hash';

/** Configuration of {@link createSharder}. */
export interface SharderOptions {
  /** Shard names, unique, at least one. */
  readonly shards: readonly string[];
}

/** Picks a shard for a key. */
export interface Sharder {
  /** The shard names, in the order given. */
  readonly shards: readonly string[];
  /**
   * The shard of `key`: the highest-scoring shard not in `unhealthy`. When every shard is
   * unhealthy the key keeps its home shard — spilling nowhere must not drop or stall items.
   */
  shardFor(key: string, unhealthy?: ReadonlySet<string>): string;
  /** The shard of `key` when every shard is healthy. */
  homeShard(key: string): string;
}

/**
 * Builds a rendezvous-hashing sharder.
 *
 * @throws ConfigError when there is no shard, a name is empty, or a name repeats
 */
export function createSharder(options: SharderOptions): Sharder {
  validateShards(options.shards);
  const shards = [...options.shards];
  const seeds = shards.map((name) => hash53(name) % 0x7fffffff);
  const ranked = (key: string, unhealthy: ReadonlySet<string>): string => {
    let best = -1;
    let bestScore = -1;
    for (let i = 0; i < shards.length; i++) {
      if (unhealthy.has(shards[i] as string)) continue;
      const score = hash53(key, seeds[i]);
      // Ties (rare with 53 bits) go to the lexically smaller name, so order never matters.
      if (score > bestScore || (score === bestScore && (shards[i] as string) < (shards[best] as string))) {
        best = i;
        bestScore = score;
      }
    }
    return best < 0 ? ranked(key, NONE) : (shards[best] as string);
  };
  return {
    shards,
    shardFor: (key, unhealthy = NONE) => ranked(key, unhealthy),
    homeShard: (key) => ranked(key, NONE),
  };
}

const NONE: ReadonlySet<string> = new Set();

/**
 * The sharding key of a parsed item: the value at `keyField` (a dot path), or `fallback`
 * (the raw body, so the same message always lands on the same shard) when it has none.
 */
export function shardKeyOf(item: unknown, keyField: readonly string[], fallback: string): string {
  return routingKeyOf(readField(item, keyField)) ?? fallback;
}

/** Parses a sharding key path once, for {@link shardKeyOf}. */
export const parseShardKey = parseFieldPath;

function validateShards(shards: readonly string[]): void {
  const violations: string[] = [];
  if (shards.length === 0) violations.push('shards must name at least one shard, got none');
  if (shards.some((name) => name.length === 0)) violations.push('shard names must not be empty');
  const repeated = shards.filter((name, index) => shards.indexOf(name) !== index);
  if (repeated.length > 0) violations.push(`shard names must be unique, repeated: ${[...new Set(repeated)].join(', ')}`);
  if (violations.length > 0) throw new ConfigError(violations);
}
