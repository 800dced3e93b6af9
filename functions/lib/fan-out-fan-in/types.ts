/**
 * The shapes the fan-out / fan-in worker and join exchange with Step Functions and with the
 * results table, and the small ports the pure core talks to.
 */

/** One item and its position in the source (`$$.Map.Item.Index`). */
export interface ItemEntry {
  readonly index: number;
  readonly item: unknown;
}

/** What one item ended as, as stored in the results table. */
export type ItemRecord =
  | { readonly index: number; readonly status: 'succeeded'; readonly ref?: string; readonly output: unknown; readonly durationMs: number }
  | { readonly index: number; readonly status: 'invalid'; readonly ref?: string; readonly reason: string; readonly output: unknown; readonly durationMs: number }
  | { readonly index: number; readonly status: 'failed'; readonly ref?: string; readonly error: string; readonly cause: string };

/** One failed attempt of an item (retried or not), kept to count retries. */
export interface AttemptRecord {
  readonly index: number;
  readonly error: string;
}

/** Counters of one run, updated as items settle (the progress row). */
export interface Progress {
  readonly succeeded: number;
  readonly failed: number;
  readonly invalid: number;
  /** Failed attempts so far (retried or final). */
  readonly failedAttempts: number;
}

/** The results table of a run, keyed by run id and item index. */
export interface ResultStore {
  /** The outcome status of each index among `indexes` that has one (a retried batch skips them). */
  settled(runId: string, indexes: readonly number[]): Promise<ReadonlyMap<number, ItemRecord['status']>>;
  /** Writes outcomes whose index has none yet; returns those written (a duplicate call writes nothing). */
  record(runId: string, records: readonly ItemRecord[]): Promise<readonly ItemRecord[]>;
  /** Keeps failed attempts (each call adds, so two copies of one attempt count twice at worst). */
  recordAttempts(runId: string, attempts: readonly AttemptRecord[]): Promise<void>;
  /** Adds to the progress row. */
  addProgress(runId: string, delta: Partial<Progress>): Promise<void>;
  /** The progress row. */
  progress(runId: string): Promise<Progress>;
  /** Every outcome and failed attempt of the run. */
  list(runId: string): Promise<{ readonly items: readonly ItemRecord[]; readonly attempts: readonly AttemptRecord[] }>;
}

/** Where the join writes the report and the combined result (S3 in the deployed stack). */
export interface ReportSink {
  /** Stores `body` as JSON under `key`; returns its location (e.g. `s3://bucket/key`). */
  put(key: string, body: unknown): Promise<string>;
}

/** The worker's input as the state machine sends it. */
export type WorkerEvent =
  | { readonly work: WorkInput }
  | { readonly failed: WorkInput & { readonly failure: { readonly Error?: string; readonly Cause?: string } } };

/** One item (inline, distributed) or one batch (ItemBatcher). */
export type WorkInput =
  | { readonly runId: string; readonly entry: ItemEntry }
  | { readonly Items: readonly ItemEntry[]; readonly BatchInput: { readonly runId: string } };

/** The join's input. */
export interface JoinEvent {
  readonly runId: string;
  /** `$$.Execution.StartTime`. */
  readonly startedAt: string;
  /** The Map's error when it failed (e.g. its tolerated-failure threshold was exceeded). */
  readonly mapError: { readonly Error?: string; readonly Cause?: string } | null;
}

/** The failure policy: how many failed items a run tolerates. */
export interface TolerancePolicy {
  /** @default - not applied (0 when no threshold is given) */
  readonly toleratedFailureCount?: number;
  /** @default - not applied */
  readonly toleratedFailurePercentage?: number;
}

/** What both the execution output and the report say of a run. */
export interface RunCounts {
  readonly runId: string;
  readonly status: 'SUCCEEDED' | 'FAILED';
  readonly total: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly invalid: number;
  /** Items that failed at least once and were tried again. */
  readonly retried: number;
  /** Where the combined result is (absent when the run failed). */
  readonly resultLocation?: string;
}

/** The join's answer: the execution output. */
export interface RunSummary extends RunCounts {
  readonly reportLocation: string;
}
