/**
 * Marker and Sweeper against process-on-every-event, side by side in one run: N mark events
 * over K distinct keys (a hot head: some keys are marked far more often).
 *
 * - Marker + sweeper: the real marker core marks in SQS-sized batches of 10 into the real
 *   DynamoDB flag set (an in-process dynalite) *while* two sweepers run the real sweep core
 *   concurrently, so marks land on flags being swept (re-marks). The sweep function fails a
 *   seeded 10% of its keys (reported per key) and throws for a seeded 5% of its batches
 *   (the whole batch is released); failed flags are retried.
 * - Naive: a consumer that processes every event as it arrives (one processing call each).
 *
 * Every figure is measured: deliveries = processing calls the sweep function received (retries
 * of failed keys included), naive = processing calls of the naive consumer. Each key's last
 * mark must be followed by a successful delivery, checked at the end. This runs the cores on
 * dynalite in process, not the synthesized construct on the local runtime.
 *
 * Prints `bench marker-sweeper: events=N keys=K deliveries=D naive=E`, then the details.
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
const KEY_FAILURE_RATE = 0.1;
const BATCH_FAILURE_RATE = 0.05;

function seeded(seed: number): () => number {
  return () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
}

/** A deterministic stream of keys with a hot head (some keys are marked far more often). */
function keyStream(count: number, keys: number): string[] {
  const next = seeded(42);
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
    const clock = { now: () => Date.now() };
    const lastMarked = new Map<string, number>();
    const lastDelivered = new Map<string, number>();
    const fail = seeded(7);
    let deliveries = 0;
    let batches = 0;
    let thrown = 0;
    let keyFailures = 0;
    let writes = 0;
    let marking = true;
    const sweep: FlagBatchFn = async (flags) => {
      batches++;
      deliveries += flags.length;
      if (fail() < BATCH_FAILURE_RATE) {
        thrown++;
        throw new Error('injected sweep failure');
      }
      const failed = flags.filter(() => fail() < KEY_FAILURE_RATE).map((f) => f.key);
      keyFailures += failed.length;
      const at = clock.now();
      for (const f of flags) if (!failed.includes(f.key)) lastDelivered.set(f.key, at);
      return { failed };
    };
    const marker = async () => {
      for (let i = 0; i < keys.length; i += SQS_BATCH) {
        const batch = keys.slice(i, i + SQS_BATCH).map((key, j) => ({ id: `m${i + j}`, key }));
        const at = clock.now();
        writes += (await markAll(store, batch, at)).writes;
        for (const { key } of batch) lastMarked.set(key, at);
      }
      marking = false;
    };
    const sweeper = async () => {
      for (;;) {
        const wasMarking = marking;
        const report = await sweepOnce(store, sweep, clock, { batchSize: 25, leaseMs: 60_000, retryDelayMs: 0 }).catch(() => ({ due: 1 }));
        if (report.due === 0 && !wasMarking) return;
      }
    };
    await Promise.all([marker(), sweeper(), sweeper()]);
    // Naive: every event processed as it arrives, one call each.
    let naive = 0;
    const processEvent = async (key: string) => void (naive++, key);
    for (const key of keys) await processEvent(key);
    const distinct = new Set(keys).size;
    const stale = [...lastMarked].filter(([key, at]) => !((lastDelivered.get(key) ?? -1) >= at)).length;
    return [
      `bench marker-sweeper: events=${EVENTS} keys=${distinct} deliveries=${deliveries} naive=${naive}`,
      `bench marker-sweeper: marks during sweeps; sweep-batches=${batches} thrown-batches=${thrown} failed-keys=${keyFailures} flag-writes=${writes} (batches of ${SQS_BATCH} events) sweepers=2 keys-missing-a-delivery-after-their-last-mark=${stale} store=dynalite (cores in process)`,
    ];
  } finally {
    client.destroy();
    await dynalite.close();
  }
}
