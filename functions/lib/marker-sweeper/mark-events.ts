/**
 * The marker's core: turn a batch of events into the fewest flag-set writes.
 *
 * Events naming the same key within one batch are folded into one write that adds their count
 * (they would collapse into one flag anyway), so a burst of duplicates costs one write per
 * distinct key, not one per event. Marking does no processing: that is the sweeper's job.
 */
import { mapWithConcurrency } from '../concurrency';
import { ConfigError, PoisonRecordError } from '../errors';
import { DynamoDbLimits } from '../limits';
import { parseFieldPath, readField, routingKeyOf } from '../routing/field-path';
import { utf8Bytes } from '../queue-port';
import type { FlagStore } from './types';
import { wellFormedViolation } from '../validate';

/** DynamoDB's limit on a partition key value, in UTF-8 bytes: a longer key could never be flagged. */
export const MAX_KEY_BYTES = DynamoDbLimits.maxPartitionKeyBytes;

/** One event to mark: its unique id (e.g. the SQS message id) and the key it names. */
export interface MarkEvent {
  /** Unique id of the event (SQS message id). */
  readonly id: string;
  /** The item to flag. */
  readonly key: string;
}

/** Events of one batch that name the same key. */
export interface MarkGroup {
  /** The key they name. */
  readonly key: string;
  /** Ids of the events, in arrival order. */
  readonly eventIds: readonly string[];
}

/** What {@link markAll} did. */
export interface MarkReport {
  /** Events received. */
  readonly events: number;
  /** Flag-set writes made (one per distinct key). */
  readonly writes: number;
  /** New flags created. */
  readonly created: number;
  /** Events folded into an existing flag or into another event of the batch. */
  readonly collapsed: number;
  /** Events skipped because their write had already been applied (SQS redelivery). */
  readonly redelivered: number;
  /** Event ids whose write failed, with the error: they should be retried. */
  readonly failed: ReadonlyMap<string, unknown>;
}

/**
 * Builds a reader of the key named by `path` in a parsed JSON body: a dot path (`roomId`,
 * `detail.room.id`), optionally written with a leading `$.`. Strings are keys as they are;
 * numbers and booleans in their JSON spelling.
 *
 * @throws ConfigError when `path` is not a valid dot path
 */
export function keyReader(path: string): (body: unknown) => string {
  const segments = parseFieldPath(path.startsWith('$.') ? path.slice(2) : path);
  return (body) => {
    const key = routingKeyOf(readField(body, segments));
    if (key === undefined || key.length === 0) {
      throw new PoisonRecordError(`body has no non-empty string, number or boolean at "${path}"`);
    }
    if (utf8Bytes(key) > MAX_KEY_BYTES) {
      throw new PoisonRecordError(`key at "${path}" is ${utf8Bytes(key)} bytes, over the ${MAX_KEY_BYTES}-byte limit`);
    }
    const malformed = wellFormedViolation(`key at "${path}"`, key);
    if (malformed !== undefined) throw new PoisonRecordError(malformed);
    return key;
  };
}

/** Groups events by key, keys in order of first appearance. */
export function groupByKey(events: readonly MarkEvent[]): MarkGroup[] {
  const groups = new Map<string, string[]>();
  for (const event of events) {
    const ids = groups.get(event.key);
    if (ids === undefined) groups.set(event.key, [event.id]);
    else ids.push(event.id);
  }
  return [...groups].map(([key, eventIds]) => ({ key, eventIds }));
}

/**
 * Marks every event's key: one conditional write per distinct key, `concurrency` at a time.
 * A failed write fails only its own events (reported in `failed`), never its batch-mates.
 *
 * @throws ConfigError when `concurrency` is not an integer ≥ 1
 */
export async function markAll(store: FlagStore, events: readonly MarkEvent[], now: number, concurrency = 8): Promise<MarkReport> {
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new ConfigError([`concurrency must be an integer ≥ 1, got ${concurrency}`]);
  const groups = groupByKey(events);
  let created = 0;
  let collapsed = 0;
  let redelivered = 0;
  const failed = new Map<string, unknown>();
  await mapWithConcurrency(groups, concurrency, async (group) => {
    const markId = group.eventIds[group.eventIds.length - 1] as string;
    try {
      const outcome = await store.mark(group.key, markId, now, group.eventIds.length);
      if (outcome === 'redelivered') {
        redelivered += group.eventIds.length;
      } else if (outcome === 'created') {
        created += 1;
        collapsed += group.eventIds.length - 1;
      } else {
        collapsed += group.eventIds.length;
      }
    } catch (error) {
      for (const id of group.eventIds) failed.set(id, error);
    }
  });
  return { events: events.length, writes: groups.length, created, collapsed, redelivered, failed };
}
