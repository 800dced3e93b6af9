/**
 * The options of a RequestAggregator, checked strictly: every bad value is named in one
 * ConfigError quoting it.
 */
import { ConfigError } from '../errors';
import { collect, intRangeViolation, quote, unknownKeyViolations } from '../validate';
import { systemScheduler, type AggregatorScheduler } from './scheduler';

/** One result per key, in key order: a value, or an `Error` that fails that key's loads only. */
export type BatchResults<V> = ReadonlyArray<V | Error>;

/** The backend call: loads every key of one batch in one request. */
export type LoadBatchFn<K, V> = (keys: readonly K[]) => Promise<BatchResults<V>>;

/** An optional value cache. */
export interface AggregatorCacheOptions {
  /** How long a loaded value is served from memory, in ms; 1–86400000. */
  readonly ttlMs: number;
  /** Most values kept (least recently used go first); 1–1000000. @default 10000 */
  readonly maxEntries?: number;
}

/** Configuration of a {@link RequestAggregator}. */
export interface RequestAggregatorOptions<K, V> {
  /** The batch function: one backend call for many keys. */
  readonly loadBatch: LoadBatchFn<K, V>;
  /** Most distinct keys per batch (the backend's limit, e.g. 100 for BatchGetItem); 1–100000. @default 100 */
  readonly maxBatchSize?: number;
  /** How long a window stays open after its first load, in ms; 0 closes it after the current tick; 0–900000. @default 0 */
  readonly maxWaitMs?: number;
  /** Batches running at once (later ones queue); 1–1000. @default 4 */
  readonly maxConcurrentBatches?: number;
  /** Most batch calls started in any one second (the backend's quota). @default - unlimited */
  readonly maxBatchesPerSecond?: number;
  /** Maps a key to the identity loads are shared by. @default - the key itself (Map equality) */
  readonly cacheKeyFn?: (key: K) => unknown;
  /**
   * Keep loaded values for later windows. Off by default: Lambda reuses an execution
   * environment across invocations, so a module-scope cache outlives the request that filled
   * it and serves stale values to later, unrelated callers.
   * @default - no cache (only loads of one window, or of a batch still running, share a result)
   */
  readonly cache?: AggregatorCacheOptions | false;
  /** Time source and timers. @default systemScheduler */
  readonly scheduler?: AggregatorScheduler;
}

/** {@link RequestAggregatorOptions} after defaults. */
export interface AggregatorConfig<K, V> {
  readonly loadBatch: LoadBatchFn<K, V>;
  readonly maxBatchSize: number;
  readonly maxWaitMs: number;
  readonly maxConcurrentBatches: number;
  readonly maxBatchesPerSecond: number | undefined;
  readonly cacheKeyFn: (key: K) => unknown;
  readonly cache: { readonly ttlMs: number; readonly maxEntries: number } | undefined;
  readonly scheduler: AggregatorScheduler;
}

const KNOWN = ['loadBatch', 'maxBatchSize', 'maxWaitMs', 'maxConcurrentBatches', 'maxBatchesPerSecond', 'cacheKeyFn', 'cache', 'scheduler'];

/**
 * Applies defaults and checks every option.
 *
 * @throws ConfigError naming every bad option and quoting its value
 */
export function resolveAggregatorOptions<K, V>(options: RequestAggregatorOptions<K, V>): AggregatorConfig<K, V> {
  const config: AggregatorConfig<K, V> = {
    loadBatch: options.loadBatch,
    maxBatchSize: options.maxBatchSize ?? 100,
    maxWaitMs: options.maxWaitMs ?? 0,
    maxConcurrentBatches: options.maxConcurrentBatches ?? 4,
    maxBatchesPerSecond: options.maxBatchesPerSecond,
    cacheKeyFn: options.cacheKeyFn ?? ((key: K) => key),
    cache: options.cache ? { ttlMs: options.cache.ttlMs, maxEntries: options.cache.maxEntries ?? 10_000 } : undefined,
    scheduler: options.scheduler ?? systemScheduler,
  };
  const violations = collect(
    unknownKeyViolations('RequestAggregator', options, KNOWN),
    typeof config.loadBatch === 'function' ? undefined : `loadBatch must be a function, got ${quote(config.loadBatch)}`,
    intRangeViolation('maxBatchSize', config.maxBatchSize, 1, 100_000),
    rangeViolation('maxWaitMs', config.maxWaitMs, 0, 900_000),
    intRangeViolation('maxConcurrentBatches', config.maxConcurrentBatches, 1, 1_000),
    config.maxBatchesPerSecond === undefined ? undefined : rangeViolation('maxBatchesPerSecond', config.maxBatchesPerSecond, 0.001, 1_000_000),
    typeof config.cacheKeyFn === 'function' ? undefined : `cacheKeyFn must be a function, got ${quote(config.cacheKeyFn)}`,
    config.cache === undefined ? undefined : rangeViolation('cache.ttlMs', config.cache.ttlMs, 1, 86_400_000),
    config.cache === undefined ? undefined : intRangeViolation('cache.maxEntries', config.cache.maxEntries, 1, 1_000_000),
  );
  if (violations.length > 0) throw new ConfigError(violations);
  return config;
}

function rangeViolation(name: string, value: unknown, min: number, max: number): string | undefined {
  if (typeof value === 'number' && value >= min && value <= max) return undefined;
  return `${name} must be a number from ${min} to ${max}, got ${quote(value)}`;
}
