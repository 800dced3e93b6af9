/**
 * RequestAggregator: callers load one key at a time; underneath, loads are gathered into
 * windows and each window becomes one backend call.
 *
 * A window opens at its first load and closes when it holds `maxBatchSize` distinct keys,
 * when `maxWaitMs` has passed on the injected scheduler, or on `flush()`. Closed windows queue
 * as batches; at most `maxConcurrentBatches` run at once, and at most `maxBatchesPerSecond`
 * start in any second. Loads of one key share one slot while its window is open or its batch
 * runs; values are kept longer only with the opt-in cache, errors never.
 */
import { BatchFunctionError, BatchResultCountError } from '../errors';
import { TtlCache } from './cache';
import { resolveAggregatorOptions, type AggregatorConfig, type BatchResults, type RequestAggregatorOptions } from './options';
import { RateGate } from './rate-gate';

interface Slot<K, V> {
  readonly key: K;
  readonly id: unknown;
  readonly promise: Promise<V>;
  resolve(value: V): void;
  reject(error: unknown): void;
}

/** Counters of what an aggregator did, for tests and benchmarks. */
export interface AggregatorStats {
  /** `load` calls (each key of a `loadMany` counts). */
  readonly loads: number;
  /** Batch function calls started. */
  readonly batches: number;
  /** Keys sent to the batch function, summed over batches. */
  readonly keys: number;
}

/** Batches single-key loads into backend calls. See the module comment for the rules. */
export class RequestAggregator<K, V> {
  private readonly config: AggregatorConfig<K, V>;
  private readonly cache: TtlCache<V> | undefined;
  private readonly rate: RateGate | undefined;
  private window = new Map<unknown, Slot<K, V>>();
  private cancelWindowTimer: (() => void) | undefined;
  private readonly running = new Map<unknown, Slot<K, V>>();
  private readonly queued: Slot<K, V>[][] = [];
  private active = 0;
  private rateTimer: (() => void) | undefined;
  private counters = { loads: 0, batches: 0, keys: 0 };

  /** @throws ConfigError naming every bad option */
  constructor(options: RequestAggregatorOptions<K, V>) {
    this.config = resolveAggregatorOptions(options);
    const cache = this.config.cache;
    this.cache = cache === undefined ? undefined : new TtlCache<V>(cache.ttlMs, cache.maxEntries);
    this.rate = this.config.maxBatchesPerSecond === undefined ? undefined : new RateGate(this.config.maxBatchesPerSecond);
  }

  /** Resolves with the key's value, or rejects with its own error or its batch's error. */
  load(key: K): Promise<V> {
    this.counters.loads++;
    const id = this.config.cacheKeyFn(key);
    const cached = this.cache?.get(id, this.config.scheduler.now());
    if (cached !== undefined) return Promise.resolve(cached.value);
    const shared = this.window.get(id) ?? this.running.get(id);
    if (shared !== undefined) return shared.promise;
    const slot = newSlot<K, V>(key, id);
    this.window.set(id, slot);
    if (this.window.size >= this.config.maxBatchSize) this.closeWindow();
    else if (this.window.size === 1) this.cancelWindowTimer = this.config.scheduler.setTimer(this.config.maxWaitMs, () => this.closeWindow());
    return slot.promise;
  }

  /** Loads every key; each entry is the key's value or its error (DataLoader's `loadMany`). */
  loadMany(keys: readonly K[]): Promise<Array<V | Error>> {
    return Promise.all(keys.map((key) => this.load(key).catch((error: unknown) => toError(error))));
  }

  /** Closes the open window now; resolves once every load made so far has settled. */
  async flush(): Promise<void> {
    const pending = [...this.window.values(), ...this.running.values(), ...this.queued.flat()].map((slot) => slot.promise);
    this.closeWindow();
    await Promise.allSettled(pending);
  }

  /** Forgets `key`'s cached value (no-op without a cache). */
  clear(key: K): this {
    this.cache?.delete(this.config.cacheKeyFn(key));
    return this;
  }

  /** Forgets every cached value (no-op without a cache). */
  clearAll(): this {
    this.cache?.clear();
    return this;
  }

  /** What this aggregator has done so far. */
  stats(): AggregatorStats {
    return { ...this.counters };
  }

  private closeWindow(): void {
    this.cancelWindowTimer?.();
    this.cancelWindowTimer = undefined;
    if (this.window.size === 0) return;
    const batch = [...this.window.values()];
    this.window = new Map();
    for (const slot of batch) this.running.set(slot.id, slot);
    this.queued.push(batch);
    this.pump();
  }

  /** Starts queued batches while the concurrency bound and the rate limit allow. */
  private pump(): void {
    while (this.queued.length > 0 && this.active < this.config.maxConcurrentBatches && this.rateTimer === undefined) {
      const wait = this.rate?.waitMs(this.config.scheduler.now()) ?? 0;
      if (wait > 0) {
        this.rateTimer = this.config.scheduler.setTimer(wait, () => {
          this.rateTimer = undefined;
          this.pump();
        });
        return;
      }
      this.rate?.record(this.config.scheduler.now());
      const batch = this.queued.shift() as Slot<K, V>[];
      this.active++;
      void this.runBatch(batch).finally(() => {
        this.active--;
        this.pump();
      });
    }
  }

  /** Calls the batch function once and settles every slot of the batch; never rejects. */
  private async runBatch(batch: readonly Slot<K, V>[]): Promise<void> {
    this.counters.batches++;
    this.counters.keys += batch.length;
    let results: BatchResults<V>;
    try {
      results = await this.config.loadBatch(batch.map((slot) => slot.key));
    } catch (error) {
      return this.settleAll(batch, new BatchFunctionError(batch.length, { cause: error }));
    }
    if (!Array.isArray(results) || results.length !== batch.length) {
      return this.settleAll(batch, new BatchResultCountError(batch.length, Array.isArray(results) ? results.length : describe(results)));
    }
    const now = this.config.scheduler.now();
    batch.forEach((slot, index) => {
      const result = results[index] as V | Error;
      this.running.delete(slot.id);
      if (result instanceof Error) return slot.reject(result);
      this.cache?.set(slot.id, result, now);
      slot.resolve(result);
    });
  }

  private settleAll(batch: readonly Slot<K, V>[], error: Error): void {
    for (const slot of batch) {
      this.running.delete(slot.id);
      slot.reject(error);
    }
  }
}

function newSlot<K, V>(key: K, id: unknown): Slot<K, V> {
  let resolve!: (value: V) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<V>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { key, id, promise, resolve, reject };
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

function describe(value: unknown): string {
  return value === null ? 'null' : `a value of type ${typeof value}`;
}
