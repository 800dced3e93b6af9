/**
 * Marker and Sweeper: the flag set's shapes and the small store interface the core talks to.
 *
 * A flag says "this item needs work". Marking an item that is already flagged does not add a
 * second flag: it bumps the flag's `marks` counter, which doubles as the flag's version — a
 * sweeper clears a flag only if `marks` is still what it was when the flag was claimed, so a
 * mark that lands during a sweep is never lost.
 */

/** Source of the current time, in epoch milliseconds (injected so tests control time). */
export type { Clock } from '../clock';

/** A flag as the sweeper hands it to the sweep function. */
export interface Flag {
  /** The item the flag names (e.g. `room-1`). */
  readonly key: string;
  /** Marks collapsed into this flag, the first included; also the flag's version. */
  readonly marks: number;
  /** When the item was first marked (epoch ms). */
  readonly firstMarkedAt: number;
  /** When the item was last marked (epoch ms). */
  readonly lastMarkedAt: number;
  /** Sweeps that have claimed this flag, this one included (> 1 after a failed or crashed sweep). */
  readonly attempts: number;
}

/** A pending flag as the sparse index lists it: enough to pick the oldest ones. */
export interface DueFlag {
  /** The item the flag names. */
  readonly key: string;
  /** When the flag becomes claimable (epoch ms): its first mark, or when its lease or retry delay ends. */
  readonly dueAt: number;
  /** When the item was first marked (epoch ms). */
  readonly firstMarkedAt: number;
}

/** What one mark did to the flag set. */
export type MarkOutcome =
  /** No flag existed: a new one was created. */
  | 'created'
  /** A flag existed: its count and last-marked time were bumped (a duplicate collapsed). */
  | 'collapsed'
  /** The same event was applied just before (an SQS redelivery): nothing changed. */
  | 'redelivered';

/** A sweeper's claim on flags until `until`. */
export interface Lease {
  /** Who holds the lease: unique per sweep. */
  readonly owner: string;
  /** The time of the claim (epoch ms); a lease that ended before it may be taken over. */
  readonly now: number;
  /** When the lease ends (epoch ms). */
  readonly until: number;
}

/** Options of {@link FlagStore.release}. */
export interface ReleaseOptions {
  /** Restart the flag's `attempts` count (its last sweep succeeded). */
  readonly resetAttempts?: boolean;
}

/**
 * The flag set. Every method is one conditional write or one read, so concurrent markers and
 * sweepers stay correct without transactions.
 */
export interface FlagStore {
  /** Number of write shards the pending index is spread over (≥ 1). */
  readonly shards: number;
  /**
   * Flags `key` in one conditional write: creates the flag, or adds `count` to `marks` and
   * sets `lastMarkedAt` of the existing one (leased or not). `markId` identifies the event(s),
   * so a redelivery of the event(s) that marked the flag last changes nothing.
   */
  mark(key: string, markId: string, now: number, count: number): Promise<MarkOutcome>;
  /** Up to `limit` flags of one shard whose `dueAt` ≤ `now`, oldest `dueAt` first. */
  dueIn(shard: number, now: number, limit: number): Promise<DueFlag[]>;
  /**
   * Claims `key` if it exists and is not leased (or its lease ended before `lease.now`);
   * returns the flag as claimed, or `undefined` when another sweeper holds it or it is gone.
   */
  claim(key: string, lease: Lease): Promise<Flag | undefined>;
  /** Deletes `key` if `owner` still holds it and its `marks` still equal `marks`; true if deleted. */
  clear(key: string, owner: string, marks: number): Promise<boolean>;
  /**
   * Ends `owner`'s lease on `key` and makes it due again at `dueAt`; true if `owner` held it.
   * With `resetAttempts` (the sweep succeeded but the key was re-marked meanwhile) the flag's
   * `attempts` restart from zero, so only consecutive failed sweeps count toward parking.
   */
  release(key: string, owner: string, dueAt: number, options?: ReleaseOptions): Promise<boolean>;
  /** Flags currently in the set, pending or leased (the outstanding-flags metric). */
  countOutstanding(): Promise<number>;
}
