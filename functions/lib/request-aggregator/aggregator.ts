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
  readonly promise: Promise<V>;
  resolve(value: V): void;
  reject(error: unknown): void;
}

/**
 * One window's slots, by cache key. Each window gets a fresh Map rather than all sharing one
 * long-lived Map: a long-lived aggregator sits in the old generation, and pointing its Map at
 * every new slot made each young-generation GC walk them (measured: 2–3× slower loads).
 */
interface Batch<K, V> {
  readonly slots: Map<unknown, Slot<K, V>>;
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
  private window: Batch<K, V> = { slots: new Map() };
  private cancelWindowTimer: (() => void) | undefined;
  /** Closed windows not settled yet: queued, then running. */
  private readonly closed = new Set<Batch<K, V>>();
  private readonly queued: Batch<K, V>[] = [];
  private active = 0;
  private rateTimer: (() => void) | undefined;
  private pumpScheduled = false;
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
    const shared = this.sharedSlot(id);
    if (shared !== undefined) return shared.promise;
    const slot = newSlot<K, V>(key);
    const size = this.window.slots.set(id, slot).size;
    if (size >= this.config.maxBatchSize) this.closeWindow();
    else if (size === 1) this.cancelWindowTimer = this.config.scheduler.setTimer(this.config.maxWaitMs, () => this.closeWindow());
    return slot.promise;
  }

  /** Loads every key; each entry is the key's value or its error (DataLoader's `loadMany`). */
  loadMany(keys: readonly K[]): Promise<Array<V | Error>> {
    return Promise.all(keys.map((key) => this.load(key).catch((error: unknown) => toError(error))));
  }

  /** Closes the open window now; resolves once every load made so far has settled. */
  async flush(): Promise<void> {
    const pending = [this.window, ...this.closed].flatMap((batch) => [...batch.slots.values()].map((slot) => slot.promise));
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
    if (this.window.slots.size === 0) return;
    this.queued.push(this.window);
    this.closed.add(this.window);
    this.window = { slots: new Map() };
    // Start after the caller's synchronous burst of loads, not in the middle of it: the burst
    // finishes sooner, and every batch it filled starts at the same moment.
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    queueMicrotask(() => {
      this.pumpScheduled = false;
      this.pump();
    });
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
      const batch = this.queued.shift() as Batch<K, V>;
      this.active++;
      void this.runBatch(batch).finally(() => {
        this.active--;
        this.pump();
      });
    }
  }

  /** The slot of an earlier load of `id` still open, queued or running. */
  private sharedSlot(id: unknown): Slot<K, V> | undefined {
    const open = this.window.slots.get(id);
    if (open !== undefined || this.closed.size === 0) return open;
    for (const batch of this.closed) {
      const slot = batch.slots.get(id);
      if (slot !== undefined) return slot;
    }
    return undefined;
  }

  /** Calls the batch function once and settles every slot of the batch; never rejects. */
  private async runBatch(batch: Batch<K, V>): Promise<void> {
    const slots = [...batch.slots.values()];
    this.counters.batches++;
    this.counters.keys += slots.length;
    let results: BatchResults<V>;
    try {
      results = await this.config.loadBatch(slots.map((slot) => slot.key));
    } catch (error) {
      return this.settleAll(batch, slots, new BatchFunctionError(slots.length, { cause: error }));
    }
    if (!Array.isArray(results) || results.length !== slots.length) {
      const received = Array.isArray(results) ? results.length : describe(results);
      return this.settleAll(batch, slots, new BatchResultCountError(slots.length, received));
    }
    this.closed.delete(batch);
    const now = this.cache === undefined ? 0 : this.config.scheduler.now();
    let index = 0;
    for (const [id, slot] of batch.slots) {
      const result = results[index++] as V | Error;
      if (result instanceof Error) {
        slot.reject(result);
        continue;
      }
      this.cache?.set(id, result, now);
      slot.resolve(result);
    }
  }

  private settleAll(batch: Batch<K, V>, slots: readonly Slot<K, V>[], error: Error): void {
    this.closed.delete(batch);
    for (const slot of slots) slot.reject(error);
  }
}

function newSlot<K, V>(key: K): Slot<K, V> {
  let resolve!: (value: V) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<V>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { key, promise, resolve, reject };
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

function describe(value: unknown): string {
  return value === null ? 'null' : `a value of type ${typeof value}`;
}
