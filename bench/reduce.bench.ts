/**
 * `npm run bench -- reduce`: one map of N items, K of them stragglers, on the local runtime
 * in real time; every item's partial histogram goes to both fan-ins of the same run:
 *
 * - join: the partials are stored; once all N are there (the barrier), they are read back and
 *   combined in one go — join-s is the time from the map's start to that combined result;
 * - reduce: the partials go to a `Reduce`, merged in batches while the map still runs —
 *   reduce-s is the time from the map's start until the final aggregate is written.
 *
 * Both results are compared with the histogram computed in the bench process (final-correct).
 * Measured wall times; both fan-ins are watched by the same 25 ms poll.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, paginateQuery } from '@aws-sdk/lib-dynamodb';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { App } from 'aws-cdk-lib';
import { dynamoReduceStore } from '../functions/lib/aws/reduce-store';
import { histogram, type Histogram } from '../functions/lib/reduce/merges';
import { packageRoot } from '../infra/private/paths';
import { LocalRuntime } from '../local-runtime/runtime/local-runtime';
import { MAP_CONCURRENCY, ReduceBenchOutput, reduceBenchStack } from './reduce/bench-stack';
import { type MapItem, partialOf } from './reduce/map-worker';

const ITEMS = Number(process.env.BENCH_REDUCE_ITEMS ?? 1000);
const STRAGGLERS = 4;
const WORK_MS = 50;
const STRAGGLER_MS = 4_000;
const BUCKETS = Number(process.env.BENCH_REDUCE_BUCKETS ?? 300);
const POLL_MS = 25;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const sorted = (h: Histogram) => JSON.stringify(Object.entries(h).sort(([a], [b]) => (a < b ? -1 : 1)));

/** Runs the benchmark and returns its lines. */
export async function run(): Promise<string[]> {
  const outdir = mkdtempSync(join(tmpdir(), 'pp-bench-reduce-'));
  try {
    const app = new App({ outdir });
    reduceBenchStack(app);
    app.synth();
    const runtime = await LocalRuntime.start({ assemblyDir: outdir, projectRoot: packageRoot() });
    const sqs = new SQSClient(runtime.clientConfig());
    const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient(runtime.clientConfig()));
    try {
      const reduceId = 'words-1';
      const store = dynamoReduceStore({ tableName: runtime.output(ReduceBenchOutput.reduceTable), ttlSeconds: 3600, client: dynamo });
      const joinTable = runtime.output(ReduceBenchOutput.joinTable);
      // Stragglers are spread through the map, not bunched at its end.
      const stragglerAt = new Set(Array.from({ length: STRAGGLERS }, (_, k) => Math.floor(((k + 0.5) * ITEMS) / STRAGGLERS)));
      const items: MapItem[] = Array.from({ length: ITEMS }, (_, index) => ({ reduceId, index, items: ITEMS, buckets: BUCKETS, workMs: stragglerAt.has(index) ? STRAGGLER_MS : WORK_MS }));
      const truth = items.map((i) => partialOf(i.index, BUCKETS)).reduce(histogram);

      const t0 = performance.now();
      for (let i = 0; i < items.length; i += 10) {
        const Entries = items.slice(i, i + 10).map((item, j) => ({ Id: String(j), MessageBody: JSON.stringify(item) }));
        await sqs.send(new SendMessageBatchCommand({ QueueUrl: runtime.output(ReduceBenchOutput.mapUrl), Entries }));
      }
      let reduceS: number | undefined;
      let joinS: number | undefined;
      let joined: Histogram | undefined;
      let mapS = 0;
      const deadline = Date.now() + 300_000;
      while ((reduceS === undefined || joinS === undefined) && Date.now() < deadline) {
        await sleep(POLL_MS);
        if (reduceS === undefined && (await store.readFinal(reduceId))) reduceS = (performance.now() - t0) / 1000;
        if (joinS === undefined) {
          // The barrier: a cheap count; the complete set is read and combined once.
          let counted = 0;
          // COUNT queries page at 1 MB of data read too.
          for await (const page of paginateQuery({ client: dynamo }, { TableName: joinTable, KeyConditionExpression: 'reduceId = :r', ExpressionAttributeValues: { ':r': reduceId }, ConsistentRead: true, Select: 'COUNT' })) counted += page.Count ?? 0;
          if (counted === ITEMS) {
            mapS = (performance.now() - t0) / 1000;
            const partials: Histogram[] = [];
            for await (const page of paginateQuery({ client: dynamo }, { TableName: joinTable, KeyConditionExpression: 'reduceId = :r', ExpressionAttributeValues: { ':r': reduceId }, ConsistentRead: true })) {
              partials.push(...(page.Items ?? []).map((item) => JSON.parse(String(item.value)) as Histogram));
            }
            joined = partials.reduce(histogram);
            joinS = (performance.now() - t0) / 1000;
          }
        }
      }
      const final = await store.readFinal(reduceId);
      if (reduceS === undefined || joinS === undefined || !final || !joined) throw new Error(`reduce bench did not finish: reduce=${reduceS} join=${joinS}`);
      const correct = sorted(final.value as Histogram) === sorted(truth) && sorted(joined) === sorted(truth) && final.count === ITEMS;
      return [
        `bench reduce: items=${ITEMS} join-s=${joinS.toFixed(2)} reduce-s=${reduceS.toFixed(2)} stragglers=${STRAGGLERS} final-correct=${correct}`,
        `bench reduce: map of ${ITEMS} items (${WORK_MS} ms each, ${STRAGGLERS} stragglers of ${STRAGGLER_MS} ms; batches of 10 items, ${MAP_CONCURRENCY} at once), partial histograms of ${BUCKETS} buckets, reducer batches of ≤100 (1 s window, 2 reducers) over 8 shards; map done (all partials stored) at ${mapS.toFixed(2)} s; local runtime, real time`,
      ];
    } finally {
      sqs.destroy();
      dynamo.destroy();
      await runtime.stop();
    }
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
