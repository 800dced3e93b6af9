/**
 * The sweeper's core: claim a batch of due flags with a lease, hand it to the sweep function,
 * then clear each flag only if it was not re-marked meanwhile.
 *
 * Safety rests on three conditional writes (see {@link FlagStore}): a claim succeeds for one
 * sweeper only, so two sweepers never hold one flag; a clear succeeds only while the flag's
 * `marks` (its version) is unchanged, so a mark that lands during the sweep keeps the flag for
 * the next sweep; and a lease ends on its own, so a crashed sweep's flags are swept again.
 *
 * A flag that keeps failing is not retried until TTL deletes it: once it has been claimed
 * `parking.maxAttempts` times and fails again, it is parked (sent to a dead-letter queue with
 * its last error) and only then cleared; if the park fails it is released like any failure.
 */
import { randomUUID } from 'node:crypto';
import { mapWithConcurrency } from '../concurrency';
import type { Clock, DueFlag, Flag, FlagStore } from './types';

/** What a sweep function may report: keys it could not process (retried after `retryDelayMs`). */
export interface SweepOutcome {
  /** Keys of the batch that failed; the others are cleared. @default - none failed */
  readonly failed?: readonly string[];
  /** Why a failed key failed, kept as its last error if it is parked. @default - a generic reason */
  readonly errors?: Readonly<Record<string, string>>;
}

/** A flag given up on, with the error of its last attempt. */
export interface ParkedFlag {
  /** The flag as last claimed (its `attempts` is the number of tries). */
  readonly flag: Flag;
  /** The last attempt's error. */
  readonly error: string;
}

/** Where flags past their last attempt go (a dead-letter queue). */
export interface FlagDeadLetter {
  /** Parks every flag given, or throws (then none counts as parked and each is retried). */
  park(flags: readonly ParkedFlag[]): Promise<void>;
}

/** When a failing flag is given up on, and where it goes. */
export interface ParkingPolicy {
  /** Claims after which a failure parks the flag instead of releasing it (≥ 1). */
  readonly maxAttempts: number;
  /** Where parked flags go. */
  readonly deadLetter: FlagDeadLetter;
}

/** The user's batch processing: receives up to `batchSize` claimed flags. Throwing fails the whole batch. */
export type FlagBatchFn = (flags: readonly Flag[]) => Promise<SweepOutcome | void>;

/** How {@link sweepOnce} sweeps. */
export interface SweepOptions {
  /** Most flags claimed per batch (1–1,000). */
  readonly batchSize: number;
  /** How long a claim lasts, in ms: longer than the sweep can take, or a live sweep loses its flags. */
  readonly leaseMs: number;
  /** Delay before a flag whose processing failed is due again, in ms (≥ 0). */
  readonly retryDelayMs: number;
  /** Conditional writes in flight at once while claiming and clearing. @default 10 */
  readonly writeConcurrency?: number;
  /** Makes the lease owner id of a batch: unique per batch. @default crypto.randomUUID */
  readonly newOwner?: () => string;
  /** Gives up on flags that keep failing. @default - never: a failing flag is retried until TTL deletes it */
  readonly parking?: ParkingPolicy;
}

/** What one sweep did. */
export interface SweepReport {
  /** Due flags seen when the sweep started. */
  readonly due: number;
  /** Age of the oldest due flag when the sweep started, in ms (0 when none was due): the sweep lag. */
  readonly oldestAgeMs: number;
  /** Flags claimed and handed to the sweep function. */
  readonly claimed: number;
  /** Flags processed and cleared. */
  readonly cleared: number;
  /** Flags processed but kept, because they were re-marked during the sweep (swept again next time). */
  readonly remarked: number;
  /** Flags whose processing failed, released for a retry after `retryDelayMs`. */
  readonly failed: number;
  /** Flags whose lease ended and was taken over before the sweep finished (processed twice). */
  readonly leaseLost: number;
  /** Flags that failed their last allowed attempt, sent to the dead-letter queue and cleared. */
  readonly parked: number;
}

/**
 * The due flags of every shard, oldest first: each shard is asked for `limit` flags so the
 * oldest `limit` overall are always among them, however they spread over shards.
 */
export async function findDue(store: FlagStore, now: number, limit: number): Promise<DueFlag[]> {
  const shards = Array.from({ length: store.shards }, (_, shard) => shard);
  const perShard = await Promise.all(shards.map((shard) => store.dueIn(shard, now, limit)));
  return perShard.flat().sort((a, b) => a.dueAt - b.dueAt || (a.key < b.key ? -1 : 1));
}

/**
 * Runs one sweep: claims up to `batchSize` due flags, oldest first, calls `sweep` once with
 * them, then clears, keeps (re-marked) or releases (failed) each.
 *
 * @throws whatever `sweep` throws, after releasing every claimed flag for a retry
 */
export async function sweepOnce(store: FlagStore, sweep: FlagBatchFn, clock: Clock, options: SweepOptions): Promise<SweepReport> {
  const now = clock.now();
  const due = await findDue(store, now, options.batchSize);
  const oldestAgeMs = due.length === 0 ? 0 : now - Math.min(...due.map((flag) => flag.firstMarkedAt));
  const owner = (options.newOwner ?? randomUUID)();
  const concurrency = options.writeConcurrency ?? 10;
  const claimed = await claimUpTo(store, due, { owner, now, until: now + options.leaseMs }, options.batchSize, concurrency);
  const empty = { due: due.length, oldestAgeMs, claimed: claimed.length, cleared: 0, remarked: 0, failed: 0, leaseLost: 0, parked: 0 };
  if (claimed.length === 0) return empty;
  let outcome: SweepOutcome;
  try {
    outcome = (await sweep(claimed)) ?? {};
  } catch (error) {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    await settle(store, claimed, new Map(claimed.map((flag) => [flag.key, reason])), owner, clock, options, concurrency);
    throw error;
  }
  const failures = new Map((outcome.failed ?? []).map((key) => [key, outcome.errors?.[key] ?? 'the sweep function reported this key failed']));
  const outcomes = await settle(store, claimed, failures, owner, clock, options, concurrency);
  return { ...empty, ...countOutcomes(outcomes) };
}

type FlagOutcome = 'cleared' | 'remarked' | 'failed' | 'leaseLost' | 'parked';

/** Claims candidates in order, in rounds, until `batchSize` are held or candidates run out. */
async function claimUpTo(store: FlagStore, due: readonly DueFlag[], lease: { owner: string; now: number; until: number }, batchSize: number, concurrency: number): Promise<Flag[]> {
  const claimed: Flag[] = [];
  let next = 0;
  while (claimed.length < batchSize && next < due.length) {
    const round = due.slice(next, next + batchSize - claimed.length);
    next += round.length;
    const results = await mapWithConcurrency(round, concurrency, (flag) => store.claim(flag.key, lease));
    for (const flag of results) if (flag !== undefined) claimed.push(flag);
  }
  return claimed;
}

/** Clears processed flags (version check), keeps re-marked ones, parks spent failed ones, releases the other failed ones. */
async function settle(store: FlagStore, claimed: readonly Flag[], failures: ReadonlyMap<string, string>, owner: string, clock: Clock, options: SweepOptions, concurrency: number): Promise<FlagOutcome[]> {
  const now = clock.now();
  const parked = await park(claimed, failures, options.parking);
  return mapWithConcurrency(claimed, concurrency, async (flag): Promise<FlagOutcome> => {
    if (failures.has(flag.key) && !parked.has(flag.key)) {
      return (await store.release(flag.key, owner, now + options.retryDelayMs)) ? 'failed' : 'leaseLost';
    }
    if (await store.clear(flag.key, owner, flag.marks)) return parked.has(flag.key) ? 'parked' : 'cleared';
    // Not cleared: either re-marked (we still hold it: make it due now, and since this sweep
    // succeeded its failures start over) or our lease was taken over.
    return (await store.release(flag.key, owner, now, { resetAttempts: true })) ? 'remarked' : 'leaseLost';
  });
}

/** Sends the failed flags that used their last attempt to the dead-letter queue; the keys parked (none if the send failed). */
async function park(claimed: readonly Flag[], failures: ReadonlyMap<string, string>, parking: ParkingPolicy | undefined): Promise<ReadonlySet<string>> {
  if (parking === undefined) return new Set();
  const spent = claimed.filter((flag) => failures.has(flag.key) && flag.attempts >= parking.maxAttempts);
  if (spent.length === 0) return new Set();
  try {
    await parking.deadLetter.park(spent.map((flag) => ({ flag, error: failures.get(flag.key) as string })));
  } catch {
    // Not parked: the flags are released and retried, so the next sweep parks them again.
    return new Set();
  }
  return new Set(spent.map((flag) => flag.key));
}

function countOutcomes(outcomes: readonly FlagOutcome[]): Pick<SweepReport, FlagOutcome> {
  const counts = { cleared: 0, remarked: 0, failed: 0, leaseLost: 0, parked: 0 };
  for (const outcome of outcomes) counts[outcome] += 1;
  return counts;
}

/** How {@link sweepRun} sweeps: {@link SweepOptions} plus how many batches one run may take. */
export interface SweepRunOptions extends SweepOptions {
  /** Most batches per run (1–100): a run stops earlier when a batch is not full. */
  readonly maxBatches: number;
  /** Whether another batch fits in the time left (e.g. the Lambda deadline). @default - always */
  readonly hasTimeLeft?: () => boolean;
}

/**
 * Sweeps batch after batch while batches come back full, up to `maxBatches`; the report sums
 * the batches, with `due` and `oldestAgeMs` taken from the first (the state the run found).
 */
export async function sweepRun(store: FlagStore, sweep: FlagBatchFn, clock: Clock, options: SweepRunOptions): Promise<SweepReport> {
  let total = await sweepOnce(store, sweep, clock, options);
  let last = total;
  for (let batch = 1; batch < options.maxBatches && last.claimed === options.batchSize; batch++) {
    if (options.hasTimeLeft !== undefined && !options.hasTimeLeft()) break;
    last = await sweepOnce(store, sweep, clock, options);
    total = {
      ...total,
      claimed: total.claimed + last.claimed,
      cleared: total.cleared + last.cleared,
      remarked: total.remarked + last.remarked,
      failed: total.failed + last.failed,
      leaseLost: total.leaseLost + last.leaseLost,
      parked: total.parked + last.parked,
    };
  }
  return total;
}
