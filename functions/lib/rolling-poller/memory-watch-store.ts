/**
 * An in-memory {@link WatchStore} with the same semantics as the DynamoDB adapter, for tests,
 * benchmarks and local experiments. Table order is id order.
 *
 * Every operation yields to the event loop before it checks and writes in one synchronous
 * step, so concurrent ticks interleave as they would against DynamoDB.
 */
import type { CursorState, PollRecord, WatchItem, WatchPage, WatchStore } from './types';

/** Calls made to an {@link InMemoryWatchStore}, by operation. */
export type WatchStoreCalls = Record<'add' | 'remove' | 'page' | 'record' | 'claimTick' | 'saveCursor', number>;

/** A {@link WatchStore} held in a `Map`. */
export class InMemoryWatchStore implements WatchStore {
  /** Calls made so far, by operation. */
  readonly calls: WatchStoreCalls = { add: 0, remove: 0, page: 0, record: 0, claimTick: 0, saveCursor: 0 };
  private readonly items = new Map<string, WatchItem>();
  private cursor: CursorState = { passSeen: 0, passes: 0 };
  private lease: { owner: string; until: number } | undefined;

  /** {@inheritDoc WatchStore.add} */
  async add(id: string, data: unknown, now: number): Promise<boolean> {
    await this.yieldTurn('add');
    if (this.items.has(id)) return false;
    this.items.set(id, { id, data, addedAt: now, polls: 0, attempts: 0 });
    return true;
  }

  /** {@inheritDoc WatchStore.remove} */
  async remove(id: string, expectedPolls?: number): Promise<boolean> {
    await this.yieldTurn('remove');
    if (expectedPolls !== undefined && this.items.get(id)?.polls !== expectedPolls) return false;
    return this.items.delete(id);
  }

  /** {@inheritDoc WatchStore.page} */
  async page(after: string | undefined, limit: number): Promise<WatchPage> {
    await this.yieldTurn('page');
    const ids = [...this.items.keys()].filter((id) => after === undefined || id > after).sort();
    const items = ids.slice(0, limit).map((id) => this.items.get(id) as WatchItem);
    const more = ids.length > limit;
    return { items, next: more ? items[items.length - 1]?.id : undefined };
  }

  /** {@inheritDoc WatchStore.record} */
  async record(id: string, update: PollRecord, expectedPolls?: number): Promise<boolean> {
    await this.yieldTurn('record');
    const item = this.items.get(id);
    if (item === undefined || (expectedPolls !== undefined && item.polls !== expectedPolls)) return false;
    this.items.set(id, { id, data: item.data, addedAt: item.addedAt, ...update });
    return true;
  }

  /** {@inheritDoc WatchStore.claimTick} */
  async claimTick(owner: string, now: number, until: number): Promise<CursorState | undefined> {
    await this.yieldTurn('claimTick');
    if (this.lease !== undefined && this.lease.until > now) return undefined;
    this.lease = { owner, until };
    return this.cursor;
  }

  /** {@inheritDoc WatchStore.saveCursor} */
  async saveCursor(owner: string, state: CursorState): Promise<boolean> {
    await this.yieldTurn('saveCursor');
    if (this.lease?.owner !== owner) return false;
    this.cursor = state;
    this.lease = undefined;
    return true;
  }

  /** A snapshot of one item, or `undefined` when it is not watched (for assertions). */
  peek(id: string): WatchItem | undefined {
    return this.items.get(id);
  }

  /** Number of items watched. */
  get size(): number {
    return this.items.size;
  }

  private async yieldTurn(operation: keyof WatchStoreCalls): Promise<void> {
    this.calls[operation] += 1;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
