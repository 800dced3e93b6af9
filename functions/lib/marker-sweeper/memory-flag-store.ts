/**
 * An in-memory {@link FlagStore} with the same conditional semantics as the DynamoDB adapter,
 * for tests, benchmarks and local experiments.
 *
 * Every operation first yields to the event loop, then checks its condition and writes in one
 * synchronous step — the in-process equivalent of a conditional write — so concurrent sweepers
 * interleave the way they would against DynamoDB.
 */
import { shardOf } from './shard';
import type { DueFlag, Flag, FlagStore, Lease, MarkOutcome, ReleaseOptions } from './types';

interface FlagRecord {
  key: string;
  marks: number;
  firstMarkedAt: number;
  lastMarkedAt: number;
  lastMarkId: string;
  attempts: number;
  shard: number;
  dueAt: number;
  leaseOwner?: string;
  leaseUntil?: number;
}

/** Calls made to an {@link InMemoryFlagStore}, by operation. */
export type FlagStoreCalls = Record<'mark' | 'dueIn' | 'claim' | 'clear' | 'release' | 'countOutstanding', number>;

/** A {@link FlagStore} held in a `Map`. */
export class InMemoryFlagStore implements FlagStore {
  /** Calls made so far, by operation. */
  readonly calls: FlagStoreCalls = { mark: 0, dueIn: 0, claim: 0, clear: 0, release: 0, countOutstanding: 0 };
  private readonly records = new Map<string, FlagRecord>();

  /** @param shards write shards of the pending index (≥ 1) */
  constructor(readonly shards = 4) {}

  /** {@inheritDoc FlagStore.mark} */
  async mark(key: string, markId: string, now: number, count: number): Promise<MarkOutcome> {
    await this.yieldTurn('mark');
    const record = this.records.get(key);
    if (record === undefined) {
      const shard = shardOf(key, this.shards);
      this.records.set(key, { key, marks: count, firstMarkedAt: now, lastMarkedAt: now, lastMarkId: markId, attempts: 0, shard, dueAt: now });
      return 'created';
    }
    if (record.lastMarkId === markId) return 'redelivered';
    record.marks += count;
    record.lastMarkedAt = now;
    record.lastMarkId = markId;
    return 'collapsed';
  }

  /** {@inheritDoc FlagStore.dueIn} */
  async dueIn(shard: number, now: number, limit: number): Promise<DueFlag[]> {
    await this.yieldTurn('dueIn');
    return [...this.records.values()]
      .filter((record) => record.shard === shard && record.dueAt <= now)
      .sort((a, b) => a.dueAt - b.dueAt)
      .slice(0, limit)
      .map(({ key, dueAt, firstMarkedAt }) => ({ key, dueAt, firstMarkedAt }));
  }

  /** {@inheritDoc FlagStore.claim} */
  async claim(key: string, lease: Lease): Promise<Flag | undefined> {
    await this.yieldTurn('claim');
    const record = this.records.get(key);
    if (record === undefined) return undefined;
    if (record.leaseUntil !== undefined && record.leaseUntil > lease.now) return undefined;
    record.leaseOwner = lease.owner;
    record.leaseUntil = lease.until;
    record.dueAt = lease.until;
    record.attempts += 1;
    return toFlag(record);
  }

  /** {@inheritDoc FlagStore.clear} */
  async clear(key: string, owner: string, marks: number): Promise<boolean> {
    await this.yieldTurn('clear');
    const record = this.records.get(key);
    if (record === undefined || record.leaseOwner !== owner || record.marks !== marks) return false;
    this.records.delete(key);
    return true;
  }

  /** {@inheritDoc FlagStore.release} */
  async release(key: string, owner: string, dueAt: number, options: ReleaseOptions = {}): Promise<boolean> {
    await this.yieldTurn('release');
    const record = this.records.get(key);
    if (record === undefined || record.leaseOwner !== owner) return false;
    delete record.leaseOwner;
    delete record.leaseUntil;
    record.dueAt = dueAt;
    if (options.resetAttempts === true) record.attempts = 0;
    return true;
  }

  /** {@inheritDoc FlagStore.countOutstanding} */
  async countOutstanding(): Promise<number> {
    await this.yieldTurn('countOutstanding');
    return this.records.size;
  }

  /** A snapshot of one flag, or `undefined` when it is not in the set (for assertions). */
  peek(key: string): (Flag & { readonly leaseOwner?: string; readonly dueAt: number }) | undefined {
    const record = this.records.get(key);
    return record === undefined ? undefined : { ...toFlag(record), leaseOwner: record.leaseOwner, dueAt: record.dueAt };
  }

  private async yieldTurn(operation: keyof FlagStoreCalls): Promise<void> {
    this.calls[operation] += 1;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

function toFlag(record: FlagRecord): Flag {
  return { key: record.key, marks: record.marks, firstMarkedAt: record.firstMarkedAt, lastMarkedAt: record.lastMarkedAt, attempts: record.attempts };
}
