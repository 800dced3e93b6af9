/**
 * One reconciliation run. Per page: look the items up in the ledger (one batched read),
 * claim the unknown ones with a conditional write each (overlapping runs: one wins per item),
 * send the claimed ones to the work queue in batches, then confirm them. A run that dies
 * between claim and confirm leaves a lease that expires, and a later run sends the item again
 * (at least once; the work queue's handlers are idempotent).
 */
import type { Enqueue, Ledger, ListFn, SourceItem } from './types';

/** Settings of {@link reconcile}. */
export interface ReconcileOptions {
  readonly list: ListFn;
  readonly ledger: Ledger;
  readonly enqueue: Enqueue;
  /** Epoch ms. */
  readonly now: () => number;
  /** How long a claim holds before another run may take the item over, in ms. */
  readonly leaseMs: number;
  /** Items listed per run at most (the rest waits for the next run). */
  readonly maxItems: number;
}

/** What one run did. */
export interface ReconcileReport {
  readonly pages: number;
  readonly listed: number;
  readonly enqueued: number;
  /** Listed items already enqueued or being enqueued by another run. */
  readonly settled: number;
  /** False when `maxItems` stopped the listing early. */
  readonly complete: boolean;
}

/** The ledger key of an item version. */
export const ledgerKey = (item: SourceItem): string => (item.version === undefined ? item.id : `${item.id}#${item.version}`);

/** Runs once over the source. */
export async function reconcile(options: ReconcileOptions): Promise<ReconcileReport> {
  let cursor: string | undefined;
  let pages = 0;
  let listed = 0;
  let enqueued = 0;
  do {
    const page = await options.list(cursor);
    pages++;
    listed += page.items.length;
    const now = options.now();
    // One copy per key: a source may list an item twice.
    const byKey = new Map(page.items.map((item) => [ledgerKey(item), item]));
    const settled = await options.ledger.settled([...byKey.keys()], now);
    const fresh = [...byKey].filter(([key]) => !settled.has(key));
    const won = await Promise.all(fresh.map(async ([key]) => options.ledger.claim(key, now, now + options.leaseMs)));
    const claimed = fresh.filter((_, i) => won[i]);
    if (claimed.length > 0) {
      await options.enqueue(claimed.map(([, item]) => item));
      await options.ledger.confirm(claimed.map(([key]) => key), options.now());
      enqueued += claimed.length;
    }
    cursor = page.next;
  } while (cursor !== undefined && listed < options.maxItems);
  return { pages, listed, enqueued, settled: listed - enqueued, complete: cursor === undefined };
}
