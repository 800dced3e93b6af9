/**
 * Running the user's work over parsed envelopes: one item at a time with bounded concurrency
 * (`processItem`) or all at once (`processBatch`), producing one outcome per envelope.
 *
 * On FIFO queues the items of a message group run one after another, and after the first
 * failure the rest of that group is not run (it would be processed out of order); groups run
 * concurrently with each other.
 */
import { mapWithConcurrency } from '../concurrency';
import { FifoGroupStoppedError, PoisonRecordError, PpError } from '../errors';
import type { Envelope } from './sqs-records';

/** The result of one record: its value, or why it failed; `durationMs` is absent when no work ran for it. */
export type ItemOutcome<R> =
  | { readonly messageId: string; readonly ok: true; readonly result: R; readonly durationMs?: number }
  | { readonly messageId: string; readonly ok: false; readonly error: unknown; readonly durationMs?: number };

/** What a `processBatch` function returns for one record: a result, or an error. */
export type BatchItemOutcome<R> =
  | { readonly messageId: string; readonly result: R }
  | { readonly messageId: string; readonly error: unknown };

/** How {@link runEachItem} schedules work. */
export interface RunEachOptions {
  /** Items (standard) or message groups (FIFO) in flight at once; ≥ 1. */
  readonly concurrency: number;
  /** Run each message group in order, stopping it at its first failure. */
  readonly fifo: boolean;
  /** FIFO: whether a thrown PoisonRecordError stops the group (true when it cannot be dead-lettered). */
  readonly poisonStopsGroup?: boolean;
  /** Monotonic clock in ms, for durations. */
  readonly now: () => number;
}

/**
 * Runs `fn` once per envelope and returns the outcomes in envelope order.
 */
export async function runEachItem<T, R>(
  envelopes: readonly Envelope<T>[],
  fn: (envelope: Envelope<T>) => Promise<R>,
  options: RunEachOptions,
): Promise<ItemOutcome<R>[]> {
  const runOne = (envelope: Envelope<T>): Promise<ItemOutcome<R>> => timed(envelope.messageId, () => fn(envelope), options.now);
  if (!options.fifo) return mapWithConcurrency(envelopes, options.concurrency, runOne);
  const groups = groupByMessageGroup(envelopes);
  const byGroup = await mapWithConcurrency(groups, options.concurrency, (group) => runGroup(group, runOne, options));
  const outcomes = new Map(byGroup.flat().map((outcome) => [outcome.messageId, outcome]));
  return envelopes.map((envelope) => outcomes.get(envelope.messageId) as ItemOutcome<R>);
}

/**
 * Calls `fn` once with every envelope and matches its outcomes to records by message id. A
 * record missing from the returned list fails (so nothing is reported done by accident); a
 * thrown error fails every record. Each record's duration is the batch's share.
 */
export async function runBatch<T, R>(
  envelopes: readonly Envelope<T>[],
  fn: (envelopes: readonly Envelope<T>[]) => Promise<readonly BatchItemOutcome<R>[]>,
  now: () => number,
): Promise<ItemOutcome<R>[]> {
  if (envelopes.length === 0) return [];
  const started = now();
  let returned: ReadonlyMap<string, BatchItemOutcome<R>>;
  let thrown: { error: unknown } | undefined;
  try {
    returned = new Map((await fn(envelopes)).map((outcome) => [outcome.messageId, outcome]));
  } catch (error) {
    returned = new Map();
    thrown = { error };
  }
  const durationMs = (now() - started) / envelopes.length;
  return envelopes.map(({ messageId }): ItemOutcome<R> => {
    const outcome = returned.get(messageId);
    if (thrown) return { messageId, ok: false, error: thrown.error, durationMs };
    if (outcome === undefined) return { messageId, ok: false, error: new PpError('processBatch returned no outcome for this record'), durationMs };
    return 'error' in outcome ? { messageId, ok: false, error: outcome.error, durationMs } : { messageId, ok: true, result: outcome.result, durationMs };
  });
}

async function runGroup<T, R>(
  group: readonly Envelope<T>[],
  runOne: (envelope: Envelope<T>) => Promise<ItemOutcome<R>>,
  options: RunEachOptions,
): Promise<ItemOutcome<R>[]> {
  const outcomes: ItemOutcome<R>[] = [];
  let stopped = false;
  for (const envelope of group) {
    if (stopped) {
      outcomes.push(stoppedOutcome(envelope));
      continue;
    }
    const outcome = await runOne(envelope);
    outcomes.push(outcome);
    stopped = !outcome.ok && (options.poisonStopsGroup === true || !(outcome.error instanceof PoisonRecordError));
  }
  return outcomes;
}

/** The outcome of a FIFO record held back because an earlier record of its group failed. */
export function stoppedOutcome<R>(envelope: Envelope<unknown>): ItemOutcome<R> {
  return { messageId: envelope.messageId, ok: false, error: new FifoGroupStoppedError(envelope.groupId ?? '') };
}

/** Envelopes grouped by FIFO message group, each group in event order, groups by first appearance. */
function groupByMessageGroup<T>(envelopes: readonly Envelope<T>[]): Envelope<T>[][] {
  const groups = new Map<string, Envelope<T>[]>();
  for (const envelope of envelopes) {
    const key = envelope.groupId ?? '';
    const group = groups.get(key);
    if (group) group.push(envelope);
    else groups.set(key, [envelope]);
  }
  return [...groups.values()];
}

async function timed<R>(messageId: string, fn: () => Promise<R>, now: () => number): Promise<ItemOutcome<R>> {
  const started = now();
  try {
    const result = await fn();
    return { messageId, ok: true, result, durationMs: now() - started };
  } catch (error) {
    return { messageId, ok: false, error, durationMs: now() - started };
  }
}
