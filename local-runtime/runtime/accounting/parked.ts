/**
 * Which parked items are really not done. Under at-least-once delivery two copies of one item
 * can be in flight at once (a batch outlives its visibility timeout): one copy's effect is
 * done while the other fails its way to a dead-letter queue. SQS moves that copy by its
 * receive count before any code of the pipeline runs, so the pipeline cannot refuse to park
 * it; the accounting recognises it instead. An item whose effect is done is done; a parked
 * copy of it is a duplicate, counted apart, not a loss.
 */
import { callAwsJson } from '../emulators/http';

/** Parked items split by whether their effect is done. */
export interface ParkedSplit {
  /** Distinct items parked whose effect is not done: `dlq` of the accounting. */
  readonly notDone: number;
  /** Distinct items parked whose effect is done anyway: duplicates, not losses. */
  readonly doneDuplicates: number;
}

/**
 * Splits parked items by their key.
 *
 * @param parkedKeys the key of every parked message (undefined: not an item of the run)
 * @param isDone which of the keys are done
 */
export async function splitParked(parkedKeys: Iterable<string | undefined>, isDone: (keys: readonly string[]) => Promise<ReadonlySet<string>>): Promise<ParkedSplit> {
  const keys = [...new Set([...parkedKeys].filter((k): k is string => k !== undefined))];
  const done = await isDone(keys);
  const doneDuplicates = keys.filter((k) => done.has(k)).length;
  return { notDone: keys.length - doneDuplicates, doneDuplicates };
}

/**
 * Which of `keys` are items of a table (string partition key), read from dynalite directly
 * (uncounted: the accounting's reads are not the stack's).
 */
export async function keysInTable(dynamoPort: number, table: string, partitionKey: string, keys: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < keys.length; i += 100) {
    let request: Record<string, unknown> | undefined = {
      [table]: { Keys: keys.slice(i, i + 100).map((k) => ({ [partitionKey]: { S: k } })), ProjectionExpression: '#k', ExpressionAttributeNames: { '#k': partitionKey } },
    };
    while (request && Object.keys(request).length > 0) {
      const out: { Responses?: Record<string, Record<string, { S: string }>[]>; UnprocessedKeys?: Record<string, unknown> } = await callAwsJson(dynamoPort, 'DynamoDB_20120810.BatchGetItem', { RequestItems: request });
      for (const item of out.Responses?.[table] ?? []) found.add(item[partitionKey]!.S);
      request = out.UnprocessedKeys;
    }
  }
  return found;
}
