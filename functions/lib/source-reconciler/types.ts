/**
 * SourceReconciler (the work-queue manager): list a source, diff against what was
 * already handed to the work queue, enqueue only the rest. The source has no completion
 * endpoint, so the reconciler keeps the one fact it cannot get elsewhere: which item versions
 * it has enqueued (or is enqueuing, under a lease).
 */

/** One item of the source. */
export interface SourceItem {
  /** Stable id (S3 key, DynamoDB key value, your id). */
  readonly id: string;
  /** Version: a changed version is new work (S3 ETag, an `updatedAt`). @default - the id alone */
  readonly version?: string;
  /** What the work queue gets (JSON). */
  readonly body: unknown;
}

/** One page of a listing. */
export interface SourcePage {
  readonly items: readonly SourceItem[];
  /** Cursor of the next page. @default - last page */
  readonly next?: string;
}

/** Lists one page from `cursor` (undefined: the first page). */
export type ListFn = (cursor: string | undefined) => Promise<SourcePage>;

/** The reconciler's own bookkeeping: one small record per enqueued item version. */
export interface Ledger {
  /** Which of `keys` are settled (enqueued, or claimed under a live lease) at `now`. */
  settled(keys: readonly string[], now: number): Promise<Set<string>>;
  /** Claims a key until `leaseUntil` unless it is settled; true when this run won it. */
  claim(key: string, now: number, leaseUntil: number): Promise<boolean>;
  /** Marks claimed keys enqueued. */
  confirm(keys: readonly string[], now: number): Promise<void>;
}

/** Sends bodies to the work queue (all or throw). */
export type Enqueue = (items: readonly SourceItem[]) => Promise<void>;
