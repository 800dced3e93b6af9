/**
 * Marker and Sweeper: N mark events over K distinct keys, marked in SQS-sized batches of 10
 * into the real DynamoDB flag set (on an in-process dynalite), then swept by two concurrent
 * sweepers until the set is empty. Deduplication means processing calls = distinct keys.
 *
 * Prints `bench marker-sweeper: events=N keys=K deliveries=D`, then the flag-set writes and
 * sweep batches behind it.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoFlagStore } from '../functions/lib/aws/flag-store';
import { markAll } from '../functions/lib/marker-sweeper/mark-events';
import { sweepOnce, type FlagBatchFn } from '../functions/lib/marker-sweeper/sweep-run';
import { createFlagTable, startDynalite } from '../test/helpers/dynalite';

const EVENTS = 2_000;
const KEYS = 150;
const SQS_BATCH = 10;
const TABLE = 'flags';

/** A deterministic stream of keys with a hot head (some keys are marked far more often). */
function keyStream(count: number, keys: number): string[] {
  let seed = 42;
  const next = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  // Every key appears at least once; the rest follow a skewed distribution.
  return Array.from({ length: count }, (_, i) => `room-${i < keys ? i : Math.floor(keys * next() ** 2)}`);
}

/** Runs the benchmark and returns its lines. */
export async function run(): Promise<string[]> {
  const dynalite = await startDynalite();
  const client = DynamoDBDocumentClient.from(new DynamoDBClient(dynalite.clientConfig));
  try {
    await createFlagTable(client, TABLE);
    const store = new DynamoFlagStore({ tableName: TABLE, shards: 4, ttlSeconds: 86_400, client });
    const keys = keyStream(EVENTS, KEYS);
    let writes = 0;
    for (let i = 0; i < keys.length; i += SQS_BATCH) {
      const batch = keys.slice(i, i + SQS_BATCH).map((key, j) => ({ id: `m${i + j}`, key }));
      writes += (await markAll(store, batch, Date.now())).writes;
    }
    const delivered: string[] = [];
    let batches = 0;
    const sweep: FlagBatchFn = async (flags) => {
      batches += 1;
      delivered.push(...flags.map((flag) => flag.key));
    };
    const clock = { now: () => Date.now() };
    const sweeper = async () => {
      while ((await sweepOnce(store, sweep, clock, { batchSize: 25, leaseMs: 60_000, retryDelayMs: 1_000 })).due > 0);
    };
    await Promise.all([sweeper(), sweeper()]);
    const distinct = new Set(keys).size;
    if (new Set(delivered).size !== delivered.length) throw new Error('a flag was delivered twice');
    return [
      `bench marker-sweeper: events=${EVENTS} keys=${distinct} deliveries=${delivered.length}`,
      `bench marker-sweeper: flag-writes=${writes} (batches of ${SQS_BATCH} events) sweep-batches=${batches} sweepers=2 store=dynalite`,
    ];
  } finally {
    client.destroy();
    await dynalite.close();
  }
}
