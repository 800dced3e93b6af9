/**
 * A bounded value cache with a time to live: least recently used entries go first when full,
 * expired entries are never served. Errors never enter it.
 */

interface Entry<V> {
  readonly value: V;
  readonly expiresAt: number;
}

/** A TTL + LRU cache keyed by the aggregator's cache keys. */
export class TtlCache<V> {
  private readonly entries = new Map<unknown, Entry<V>>();

  /**
   * @param ttlMs how long an entry is served, in ms
   * @param maxEntries most entries kept
   */
  constructor(private readonly ttlMs: number, private readonly maxEntries: number) {}

  /** The value for `key` if present and fresh at `now`. */
  get(key: unknown, now: number): { value: V } | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    this.entries.delete(key);
    if (entry.expiresAt <= now) return undefined;
    // Re-inserting moves the key to the recent end of the Map's insertion order.
    this.entries.set(key, entry);
    return { value: entry.value };
  }

  /** Stores `value` for `key` from `now`, evicting the least recently used entry when full. */
  set(key: unknown, value: V, now: number): void {
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: now + this.ttlMs });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value);
  }

  /** Forgets `key`. */
  delete(key: unknown): void {
    this.entries.delete(key);
  }

  /** Forgets everything. */
  clear(): void {
    this.entries.clear();
  }

  /** Entries held (fresh or not yet noticed as expired). */
  get size(): number {
    return this.entries.size;
  }
}
