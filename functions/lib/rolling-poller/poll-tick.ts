/**
 * One poller tick: take the tick lease, check window after window with one status call each
 * (at most `maxCallsPerTick`), record the results, emit completions and drop finished items,
 * then save the cursor.
 *
 * Item writes are fenced by the item's `polls` counter, which only grows: each write is
 * conditioned on the value the tick read, so a tick that outlived its lease cannot overwrite a
 * newer tick's progress. A completing item is first claimed the same way (a fenced record),
 * then its event is sent, then it is removed: of two overlapping ticks, one completes it.
 */
import { randomUUID } from 'node:crypto';
import { mapWithConcurrency } from '../concurrency';
import type { Clock, CompletionEvent, CompletionSink, CheckWindowFn, StatusResult, WatchItem, WatchStore } from './types';
import { WindowWalker } from './window';

/** How a tick polls. */
export interface TickOptions {
  /** Most items per status call (1–1,000). */
  readonly windowSize: number;
  /** Most status calls per tick (≥ 1): the rate limit of the status API. */
  readonly maxCallsPerTick: number;
  /** How long the tick lease lasts, in ms: longer than a tick can take. */
  readonly leaseMs: number;
  /** Consecutive failed checks after which an item is given up (completed with `gave-up`), ≥ 1. */
  readonly maxAttempts: number;
  /** Back-off after the first failed check, in ms; doubles with each further failure. */
  readonly backoffBaseMs: number;
  /** Longest back-off, in ms (≥ backoffBaseMs). */
  readonly backoffMaxMs: number;
  /** Writes in flight at once when recording results. @default 10 */
  readonly writeConcurrency?: number;
  /** Whether another status call fits in the time left (e.g. the Lambda deadline). @default - always */
  readonly hasTimeLeft?: () => boolean;
  /** Makes the tick's lease owner id. @default crypto.randomUUID */
  readonly newOwner?: () => string;
}

/** What one tick did. */
export interface TickReport {
  /** True when another tick held the lease, so this one did nothing. */
  readonly skipped: boolean;
  /** Status calls made (≤ maxCallsPerTick). */
  readonly calls: number;
  /** Items checked. */
  readonly polled: number;
  /** Items reported done, completed and removed. */
  readonly completed: number;
  /** Items given up after `maxAttempts` failed checks, completed and removed. */
  readonly gaveUp: number;
  /** Failed checks (item errors, missing answers, or a whole call that threw). */
  readonly errors: number;
  /** Items skipped while backing off. */
  readonly backingOff: number;
  /** Items seen in the last full pass that ended in this tick: the active items. @default - no pass ended */
  readonly activeItems?: number;
  /** For each completed item, the time from being added to completing, in ms. */
  readonly completionLagsMs: readonly number[];
  /** Completion events that could not be sent: their items stay and complete again next pass. */
  readonly completionsUnsent: number;
  /** The error of the last completion send that failed. @default - none failed */
  readonly completionError?: unknown;
  /** True when the tick lease ended before the cursor was saved (the next tick repeats some windows). */
  readonly leaseLost: boolean;
  /** Item writes refused because another tick had written the item since this one read it. */
  readonly fenced: number;
}

type Tally = { polled: number; completed: number; gaveUp: number; errors: number; completionsUnsent: number; completionLagsMs: number[]; completionError?: unknown; fenced: number };

/** Runs one tick of the rolling poller. */
export async function pollTick(store: WatchStore, status: CheckWindowFn, sink: CompletionSink, clock: Clock, options: TickOptions): Promise<TickReport> {
  const now = clock.now();
  const owner = (options.newOwner ?? randomUUID)();
  const cursor = await store.claimTick(owner, now, now + options.leaseMs);
  const tally: Tally = { polled: 0, completed: 0, gaveUp: 0, errors: 0, completionsUnsent: 0, completionLagsMs: [], fenced: 0 };
  if (cursor === undefined) return { skipped: true, calls: 0, backingOff: 0, leaseLost: false, ...tally };
  const walker = new WindowWalker(store, cursor, now);
  let calls = 0;
  while (calls < options.maxCallsPerTick && (options.hasTimeLeft?.() ?? true)) {
    const window = await walker.next(options.windowSize);
    if (window.length === 0) break;
    calls += 1;
    const results = await checkWindow(status, window);
    await applyResults(store, sink, window, results, clock.now(), options, tally);
    if (walker.done) break;
  }
  const saved = await store.saveCursor(owner, walker.cursor);
  return { skipped: false, calls, backingOff: walker.backingOff, activeItems: walker.lastPassSize, leaseLost: !saved, ...tally };
}

/** One status call for the whole window; a call that throws is a failed check of every item. */
async function checkWindow(status: CheckWindowFn, window: readonly WatchItem[]): Promise<ReadonlyMap<string, StatusResult>> {
  try {
    return new Map((await status(window)).map((result) => [result.id, result]));
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return new Map(window.map((item) => [item.id, { id: item.id, state: 'error', error: message } as const]));
  }
}

/** The back-off after `attempts` consecutive failed checks: base × 2^(attempts−1), capped. */
export function backoffMs(attempts: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));
}

async function applyResults(store: WatchStore, sink: CompletionSink, window: readonly WatchItem[], results: ReadonlyMap<string, StatusResult>, now: number, options: TickOptions, tally: Tally): Promise<void> {
  const completions: CompletionEvent[] = [];
  const claims = new Map<string, () => Promise<boolean>>();
  const updates: Array<() => Promise<boolean>> = [];
  for (const item of window) {
    const result = results.get(item.id) ?? { id: item.id, state: 'error', error: 'the status function returned no result for this item' };
    const polls = item.polls + 1;
    tally.polled += 1;
    // Claims the item for completion: only the tick whose read is still current wins.
    const claim = (): Promise<boolean> => store.record(item.id, { status: item.status, lastPolledAt: item.lastPolledAt, polls, attempts: item.attempts, nextPollAt: item.nextPollAt, lastError: item.lastError }, item.polls);
    if (result.state === 'done') {
      completions.push({ id: item.id, outcome: 'done', status: result.status, result: result.result, data: item.data, addedAt: item.addedAt, completedAt: now, polls });
      claims.set(item.id, claim);
    } else if (result.state === 'pending') {
      updates.push(() => store.record(item.id, { status: result.status ?? item.status, lastPolledAt: now, polls, attempts: 0 }, item.polls));
    } else {
      tally.errors += 1;
      const attempts = item.attempts + 1;
      if (attempts >= options.maxAttempts) {
        completions.push({ id: item.id, outcome: 'gave-up', status: item.status, error: result.error, data: item.data, addedAt: item.addedAt, completedAt: now, polls });
        claims.set(item.id, claim);
      } else {
        const nextPollAt = now + backoffMs(attempts, options.backoffBaseMs, options.backoffMaxMs);
        updates.push(() => store.record(item.id, { status: item.status, lastPolledAt: item.lastPolledAt, polls, attempts, nextPollAt, lastError: result.error }, item.polls));
      }
    }
  }
  const concurrency = options.writeConcurrency ?? 10;
  const written = await mapWithConcurrency(updates, concurrency, (update) => update());
  const claimed = await mapWithConcurrency(completions, concurrency, (event) => (claims.get(event.id) as () => Promise<boolean>)());
  tally.fenced += [...written, ...claimed].filter((ok) => !ok).length;
  await complete(store, sink, completions.filter((_, index) => claimed[index]), concurrency, tally);
}

/** Sends the claimed completion events first, then removes their items: a crash in between re-completes, never loses. */
async function complete(store: WatchStore, sink: CompletionSink, completions: readonly CompletionEvent[], concurrency: number, tally: Tally): Promise<void> {
  if (completions.length === 0) return;
  let unsent: ReadonlySet<string>;
  try {
    unsent = new Set((await sink.publish(completions)) ?? []);
  } catch (error) {
    unsent = new Set(completions.map((event) => event.id));
    tally.completionError = error;
  }
  tally.completionsUnsent += unsent.size;
  const sent = completions.filter((event) => !unsent.has(event.id));
  await mapWithConcurrency(sent, concurrency, (event) => store.remove(event.id, event.polls));
  for (const event of sent) {
    if (event.outcome === 'done') tally.completed += 1;
    else tally.gaveUp += 1;
    tally.completionLagsMs.push(event.completedAt - event.addedAt);
  }
}
