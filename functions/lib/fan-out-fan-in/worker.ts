/**
 * The fan-out worker's core: runs the user's `processItem` (and `validate`) on one item or one
 * batch, records each outcome once in the results table, and throws when items failed so Step
 * Functions retries them (with backoff and jitter) — items already settled are skipped on the
 * retry. When the retries are spent, the state machine calls it again with `failed` and it
 * records the failure of every item not yet settled.
 */
import type { Clock } from '../clock';
import { mapWithConcurrency } from '../concurrency';
import { PpError } from '../errors';
import { ItemsFailedError, PermanentItemError } from './errors';
import type { ItemEntry, ItemRecord, Progress, ResultStore, WorkerEvent, WorkInput } from './types';

/** What `processItem` and `validate` receive besides the item. */
export interface FanOutWorkerContext {
  /** The run (the execution name unless the input gave one). */
  readonly runId: string;
  /** The item's position in the source. */
  readonly index: number;
}

/** A validator's verdict: `true`, or the reason the output is set aside. */
export type Verdict = true | { readonly invalid: string };

/** The user's code and settings of a worker. */
export interface FanOutWorkerOptions<I = unknown, O = unknown> {
  /** Works on one item; throw to fail it (`PermanentItemError`: not retried). */
  readonly processItem: (item: I, context: FanOutWorkerContext) => Promise<O>;
  /** Checks an output before delivery; invalid ones are set aside with the reason. @default - every output is valid */
  readonly validate?: (output: O, item: I, context: FanOutWorkerContext) => Verdict | Promise<Verdict>;
  /** A short reference to the item for the report (an id, a key). @default - none (the index only) */
  readonly itemRef?: (item: I) => string;
  /** Items of one batch worked on at once. @default 8 */
  readonly itemConcurrency?: number;
  /** Where outcomes are kept (the factory's wiring; e.g. `InMemoryResultStore` in tests). @default - the construct's DynamoDB results table */
  readonly store?: ResultStore;
  /**
   * With the construct's `reduce`: the partial result a valid output contributes to the Reduce
   * (aggregation = the run id, partial id = the item's index). @default - the output itself
   */
  readonly toPartial?: (output: O, item: I, context: FanOutWorkerContext) => unknown;
}

/** One valid item's contribution to the run's aggregation in a Reduce. */
export interface ItemPartial {
  /** `item#<index>`: the same for every attempt and copy of the item, so it is merged once. */
  readonly partialId: string;
  readonly value: unknown;
}

/** Where the worker sends partials (the Reduce's ingress), at least once. */
export interface PartialSink {
  send(runId: string, partials: readonly ItemPartial[]): Promise<void>;
}

/** What the worker core talks to. */
export interface WorkerDeps {
  readonly store: ResultStore;
  readonly clock: Clock;
  /** Told each progress delta (the factory publishes it as metrics). @default - nothing */
  readonly onProgress?: (delta: Partial<Progress>) => void;
  /** The Reduce fed by valid items. @default - none */
  readonly partials?: PartialSink;
}

function normalize(input: WorkInput): { runId: string; entries: readonly ItemEntry[] } {
  if ('Items' in input) return { runId: input.BatchInput.runId, entries: input.Items };
  return { runId: input.runId, entries: [input.entry] };
}

function errorName(err: unknown): string {
  return err instanceof Error ? err.name : 'Error';
}

async function settle<I, O>(options: FanOutWorkerOptions<I, O>, deps: WorkerDeps, runId: string, entry: ItemEntry): Promise<ItemRecord | { failed: unknown; index: number }> {
  const context = { runId, index: entry.index };
  const item = entry.item as I;
  const ref = options.itemRef?.(item);
  const started = deps.clock.now();
  try {
    const output = await options.processItem(item, context);
    const durationMs = deps.clock.now() - started;
    const verdict = options.validate ? await options.validate(output, item, context) : true;
    if (verdict === true) return { index: entry.index, status: 'succeeded', ref, output: output ?? null, durationMs };
    return { index: entry.index, status: 'invalid', ref, reason: verdict.invalid, output: output ?? null, durationMs };
  } catch (failed) {
    return { failed, index: entry.index };
  }
}

function count(records: readonly ItemRecord[], status: ItemRecord['status']): number {
  return records.filter((r) => r.status === status).length;
}

async function addProgress(deps: WorkerDeps, runId: string, delta: Partial<Progress>): Promise<void> {
  if (Object.values(delta).every((n) => !n)) return;
  await deps.store.addProgress(runId, delta);
  deps.onProgress?.(delta);
}

/** Works on one item or batch; resolves with how many outcomes it recorded. */
async function work<I, O>(options: FanOutWorkerOptions<I, O>, deps: WorkerDeps, input: WorkInput): Promise<{ recorded: number }> {
  const { runId, entries } = normalize(input);
  const settled = await deps.store.settled(runId, entries.map((e) => e.index));
  const todo = entries.filter((e) => !settled.has(e.index));
  const outcomes = await mapWithConcurrency(todo, options.itemConcurrency ?? 8, (e) => settle(options, deps, runId, e));
  const failures = outcomes.filter((o): o is { failed: unknown; index: number } => 'failed' in o);
  // A permanent failure is final at once: recorded now, so a retry of its batch skips it.
  const permanent = failures.filter((f) => f.failed instanceof PermanentItemError);
  const transient = failures.filter((f) => !(f.failed instanceof PermanentItemError));
  const done = [...outcomes.filter((o): o is ItemRecord => 'status' in o), ...permanent.map((f) => failedRecord(options, entries, f))];
  // Partials go out before the outcomes are recorded: a crash in between re-runs the item and
  // resends its partial, which the Reduce merges once (its id is the item's index).
  await sendPartials(options, deps, runId, entries, done);
  const written = await deps.store.record(runId, done);
  await deps.store.recordAttempts(runId, failures.map((f) => ({ index: f.index, error: errorName(f.failed) })));
  await addProgress(deps, runId, { succeeded: count(written, 'succeeded'), invalid: count(written, 'invalid'), failed: count(written, 'failed'), failedAttempts: failures.length });
  // An item of this batch that failed for good on an earlier attempt still fails the batch, so the Map Run counts it.
  const earlier = [...settled].filter(([, status]) => status === 'failed').map(([index]) => index);
  if (failures.length === 0 && earlier.length === 0) return { recorded: written.length };
  // One item: its own error, so the state machine's Retry and Catch see its name and message.
  if (entries.length === 1 && failures.length === 1) throw failures[0]!.failed;
  if (transient.length === 0) throw new PermanentItemError(`items failed permanently: ${[...earlier, ...permanent.map((f) => f.index)].map((i) => `#${i}`).join(', ')}`);
  throw new ItemsFailedError(transient.map((f) => ({ index: f.index, error: errorName(f.failed), message: f.failed instanceof Error ? f.failed.message : String(f.failed) })));
}

async function sendPartials<I, O>(options: FanOutWorkerOptions<I, O>, deps: WorkerDeps, runId: string, entries: readonly ItemEntry[], done: readonly ItemRecord[]): Promise<void> {
  if (!deps.partials) return;
  const items = new Map(entries.map((e) => [e.index, e.item as I]));
  const partials = done.flatMap((r) => {
    if (r.status !== 'succeeded') return [];
    const value = options.toPartial ? options.toPartial(r.output as O, items.get(r.index) as I, { runId, index: r.index }) : r.output;
    return [{ partialId: `item#${r.index}`, value }];
  });
  if (partials.length > 0) await deps.partials.send(runId, partials);
}

function failedRecord<I, O>(options: FanOutWorkerOptions<I, O>, entries: readonly ItemEntry[], f: { failed: unknown; index: number }): ItemRecord {
  const item = entries.find((e) => e.index === f.index)?.item as I;
  const errorMessage = f.failed instanceof Error ? f.failed.message : String(f.failed);
  return { index: f.index, status: 'failed', ref: options.itemRef?.(item), error: errorName(f.failed), cause: JSON.stringify({ errorType: errorName(f.failed), errorMessage }) };
}

/** Records the failure of every item of `input` that has no outcome yet (after the retries were spent). */
async function recordFailure<I, O>(options: FanOutWorkerOptions<I, O>, deps: WorkerDeps, input: WorkInput, failure: { Error?: string; Cause?: string }): Promise<{ recorded: number }> {
  const { runId, entries } = normalize(input);
  const records: ItemRecord[] = entries.map((e) => ({ index: e.index, status: 'failed', ref: options.itemRef?.(e.item as I), error: failure.Error ?? 'States.ALL', cause: failure.Cause ?? '' }));
  const written = await deps.store.record(runId, records);
  await addProgress(deps, runId, { failed: written.length });
  return { recorded: written.length };
}

/** Runs one worker event (`work` or `failed`). */
export function runWorkerEvent<I, O>(options: FanOutWorkerOptions<I, O>, deps: WorkerDeps, event: WorkerEvent): Promise<{ recorded: number }> {
  if ('work' in event) return work(options, deps, event.work);
  if ('failed' in event) return recordFailure(options, deps, event.failed, event.failed.failure);
  throw new PpError(`fan-out worker: expected a "work" or "failed" event, got keys ${JSON.stringify(Object.keys(event ?? {}))}`);
}
