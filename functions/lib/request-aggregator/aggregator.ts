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

interface Slot<V> {
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
  readonly slots: Map<unknown, Slot<V>>;
  /** The same slots in load order, with their keys and ids (kept as arrays: settling walks them). */
  readonly list: Slot<V>[];
  readonly keys: K[];
  readonly ids: unknown[];
}

const newBatch = <K, V>(): Batch<K, V> => ({ slots: new Map(), list: [], keys: [], ids: [] });

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
  private window: Batch<K, V> = newBatch();
  private cancelWindowTimer: (() => void) | undefined;
  /** Closed windows not settled yet: queued, then running. */
  private readonly closed: Batch<K, V>[] = [];
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
    const slot = newSlot<V>();
    const window = this.window;
    window.slots.set(id, slot);
    window.keys.push(key);
    window.ids.push(id);
    const size = window.list.push(slot);
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
    const pending = [this.window, ...this.closed].flatMap((batch) => batch.list.map((slot) => slot.promise));
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
    this.closed.push(this.window);
    this.window = newBatch();
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
  private sharedSlot(id: unknown): Slot<V> | undefined {
    const open = this.window.slots.get(id);
    if (open !== undefined) return open;
    const closed = this.closed;
    for (let i = 0; i < closed.length; i++) {
      const slot = (closed[i] as Batch<K, V>).slots.get(id);
      if (slot !== undefined) return slot;
    }
    return undefined;
  }

  /** Calls the batch function once and settles every slot of the batch; never rejects. */
  private async runBatch(batch: Batch<K, V>): Promise<void> {
    const slots = batch.list;
    this.counters.batches++;
    this.counters.keys += slots.length;
    let results: BatchResults<V>;
    try {
      results = await this.config.loadBatch(batch.keys);
    } catch (error) {
      return this.settleAll(batch, slots, new BatchFunctionError(slots.length, { cause: error }));
    }
    if (!Array.isArray(results) || results.length !== slots.length) {
      const received = Array.isArray(results) ? results.length : describe(results);
      return this.settleAll(batch, slots, new BatchResultCountError(slots.length, received));
    }
    this.forget(batch);
    const now = this.cache === undefined ? 0 : this.config.scheduler.now();
    for (let index = 0; index < slots.length; index++) {
      const slot = slots[index] as Slot<V>;
      const result = results[index] as V | Error;
      if (result instanceof Error) {
        slot.reject(result);
        continue;
      }
      this.cache?.set(batch.ids[index], result, now);
      slot.resolve(result);
    }
  }

  private forget(batch: Batch<K, V>): void {
    this.closed.splice(this.closed.indexOf(batch), 1);
  }

  private settleAll(batch: Batch<K, V>, slots: readonly Slot<V>[], error: Error): void {
    this.forget(batch);
    for (const slot of slots) slot.reject(error);
  }
}

function newSlot<V>(): Slot<V> {
  let resolve!: (value: V) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<V>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

function describe(value: unknown): string {
  return value === null ? 'null' : `a value of type ${typeof value}`;
}
