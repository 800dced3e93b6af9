/**
 * Rolling Poller Window: the watch table's shapes and the small store interface the core
 * talks to.
 *
 * The watch table lists the items still being polled. A window is up to `windowSize` of them,
 * taken in table order after a persisted cursor; the whole window is checked in one call of
 * the user's batch status function, and the cursor moves on and wraps at the end of the table.
 */

/** Source of the current time, in epoch milliseconds (injected so tests control time). */
export type { Clock } from '../clock';

/** An item being watched, as the status function receives it. */
export interface WatchItem {
  /** The item's id (e.g. a job id). */
  readonly id: string;
  /** Caller-supplied data stored with the item (e.g. the job's region). @default - none */
  readonly data?: unknown;
  /** The last status the status function reported. @default - none (not polled yet) */
  readonly status?: string;
  /** When the item was added (epoch ms). */
  readonly addedAt: number;
  /** When the item was last checked successfully (epoch ms). @default - never */
  readonly lastPolledAt?: number;
  /** Status checks made so far, failed ones included. */
  readonly polls: number;
  /** Consecutive failed checks (0 after a successful one). */
  readonly attempts: number;
  /** The item is backing off after a failed check and is skipped until then (epoch ms). @default - not backing off */
  readonly nextPollAt?: number;
  /** The error of the last failed check. @default - none */
  readonly lastError?: string;
}

/** What one poll recorded on an item that stays in the rotation. */
export type PollRecord = Pick<WatchItem, 'status' | 'lastPolledAt' | 'polls' | 'attempts' | 'nextPollAt' | 'lastError'>;

/** One page of the watch table, in table order. */
export interface WatchPage {
  /** Items of the page. */
  readonly items: readonly WatchItem[];
  /** Where the next page starts (pass it as `after`); `undefined` at the end of the table. */
  readonly next?: string;
}

/** The poller's persisted position in its rotation. */
export interface CursorState {
  /** The id after which the next window starts. @default - the start of the table */
  readonly position?: string;
  /** Items seen so far in the current pass (the active-items figure once the pass ends). */
  readonly passSeen: number;
  /** Full passes over the table so far. */
  readonly passes: number;
}

/**
 * The watch table and the poller's cursor. Writes are single conditional writes; the cursor
 * carries a lease so two overlapping ticks never poll the same windows.
 */
export interface WatchStore {
  /** Adds `id` unless it is already watched (its progress is kept); true when added. */
  add(id: string, data: unknown, now: number): Promise<boolean>;
  /** Removes `id`; true when it was watched (and, given `expectedPolls`, its `polls` still equalled it). */
  remove(id: string, expectedPolls?: number): Promise<boolean>;
  /** Up to `limit` items strictly after `after` in table order (from the start when `after` is undefined). */
  page(after: string | undefined, limit: number): Promise<WatchPage>;
  /**
   * Records a poll on `id` if it is still watched (never re-creates an item removed meanwhile)
   * and, given `expectedPolls`, only if its `polls` still equals it: `polls` only grows, so a
   * tick that read the item before another tick wrote it cannot overwrite the newer state.
   */
  record(id: string, update: PollRecord, expectedPolls?: number): Promise<boolean>;
  /** Takes the tick lease until `until` unless another tick holds it; returns the cursor, or `undefined` when held. */
  claimTick(owner: string, now: number, until: number): Promise<CursorState | undefined>;
  /** Saves the cursor and ends `owner`'s lease; false when the lease was lost (nothing saved). */
  saveCursor(owner: string, state: CursorState): Promise<boolean>;
}

/** The status function's answer for one item. */
export type StatusResult =
  /** Still running: polled again next pass. */
  | { readonly id: string; readonly state: 'pending'; readonly status?: string }
  /** Finished (succeeded or failed — the item's own outcome goes in `status`/`result`): completed and removed. */
  | { readonly id: string; readonly state: 'done'; readonly status?: string; readonly result?: unknown }
  /** The check itself failed for this item: retried with backoff. */
  | { readonly id: string; readonly state: 'error'; readonly error: string };

/** The user's batch status check: called once per window with all of its items. */
export type CheckWindowFn = (items: readonly WatchItem[]) => Promise<readonly StatusResult[]>;

/** Emitted once per item that left the rotation. */
export interface CompletionEvent {
  /** The item's id. */
  readonly id: string;
  /** `done`: the status function said so; `gave-up`: its checks failed `maxAttempts` times in a row. */
  readonly outcome: 'done' | 'gave-up';
  /** The last status reported. @default - none */
  readonly status?: string;
  /** The result the status function returned with `done`. @default - none */
  readonly result?: unknown;
  /** The last check error (`gave-up` only). @default - none */
  readonly error?: string;
  /** The data stored with the item. @default - none */
  readonly data?: unknown;
  /** When the item was added (epoch ms). */
  readonly addedAt: number;
  /** When it left the rotation (epoch ms). */
  readonly completedAt: number;
  /** Status checks it took. */
  readonly polls: number;
}

/** Where completion events go (an SQS queue or an EventBridge bus). */
export interface CompletionSink {
  /**
   * Delivers the events; resolves to the ids of those it could not deliver (their items stay
   * and complete again next pass), or throws when none was delivered.
   */
  publish(events: readonly CompletionEvent[]): Promise<readonly string[] | void>;
}
