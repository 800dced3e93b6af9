/**
 * The image pipeline end to end on the embedded local runtime, from the synthesized
 * stack (`infra/stacks/image-pipeline-stack.ts`): work-queue manager → blur Sharder → per
 * shard FanOutFanIn runs (detect → blur, join, release) → Copier → delete originals and
 * recognition Sharder (read → tag) → Reduce. Invocation crashes, duplicate deliveries and
 * concurrent duplicates are injected. The test computes the batch's counts itself from the
 * photos and checks that nothing was lost, that only blurred originals were deleted, that
 * every failed image rests in a dead-letter queue with its reason, and that the per-run Reduce
 * fed by the FanOutFanIn workers agrees with each run's results.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoResultStore } from '../../functions/lib/aws/fan-out-results';
import type { ItemRecord } from '../../functions/lib/fan-out-fan-in/types';
import type { FinalAggregate } from '../../functions/lib/reduce/types';
import { packageRoot } from '../../infra/private/paths';
import { IMAGE_SHARDS, ImagePipelineOutput as O, ImagePipelineStack } from '../../infra/stacks/image-pipeline-stack';
import { LocalRuntime } from '../../local-runtime/runtime/local-runtime';
import type { HeldMessage } from '../../local-runtime/runtime/emulators/sqs';
import { crashRates, failedBlurRuns, type ImageCounts, runImageBatch } from '../../scripts/image-pipeline-driver';
import { demoImages } from '../../scripts/image-pipeline-images';
import { assertVisibilityOutlastsBatches } from '../helpers/stage-chain';
import { newTestApp, type TestApp } from '../helpers/synth';

const N = 40;
const BATCH = 'batch-e2e';
const SETUP_TIMEOUT_MS = 300_000;
const images = demoImages(N, BATCH);

let testApp: TestApp;
let runtime: LocalRuntime;
let final: ImageCounts;
let s3: S3Client;

beforeAll(async () => {
  const deadline = Date.now() + SETUP_TIMEOUT_MS - 30_000;
  testApp = newTestApp({ bundling: true });
  new ImagePipelineStack(testApp.app, 'ImagePipelineE2E');
  testApp.app.synth();
  runtime = await LocalRuntime.start({
    assemblyDir: testApp.outdir,
    projectRoot: packageRoot(),
    timeScale: 0.25,
    // Fewer threads per function: twenty functions booting at once on a busy machine time out their init.
    maxWorkersPerFunction: 2,
    faults: { seed: 'image-pipeline-e2e', invocationErrorRate: crashRates(0.03), duplicateDeliveryRate: 0.15, concurrentDuplicateShare: 0.5 },
  });
  await assertVisibilityOutlastsBatches(runtime, 3_000);
  s3 = new S3Client({ ...runtime.clientConfig(), forcePathStyle: true });
  final = await runImageBatch(runtime, images, BATCH, deadline);
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  s3?.destroy();
  await runtime?.stop();
  testApp?.cleanup();
});

// The ground truth, from the photos alone.
const readable = (plate: string) => /^[A-Z]{2}-\d{3}$/.test(plate);
const corrupt = images.filter((i) => i.image.corrupt);
const unreadable = images.filter((i) => !i.image.corrupt && !i.image.plates.every(readable));
const recognised = images.filter((i) => !i.image.corrupt && i.image.plates.every(readable));

function truth(): Record<string, number> {
  const counts: Record<string, number> = { images: N };
  const add = (bucket: string, n: number) => n > 0 && (counts[bucket] = (counts[bucket] ?? 0) + n);
  add('blurFailed', corrupt.length);
  add('unreadable', unreadable.length);
  add('recognised', recognised.length);
  for (const { image } of recognised) {
    add('plates', image.plates.length);
    for (const plate of image.plates) add(`region:${plate.slice(0, 2)}`, 1);
  }
  return counts;
}

async function keysUnder(prefix: string): Promise<string[]> {
  const out = await s3.send(new ListObjectsV2Command({ Bucket: runtime.output(O.imageBucket), Prefix: prefix }));
  return (out.Contents ?? []).map((o) => o.Key as string).sort();
}

const reasonOf = (m: HeldMessage) => m.messageAttributes.PpErrorReason?.StringValue ?? '';

describe('image pipeline end to end (local runtime, crashes and duplicates injected)', () => {
  it('really crashed invocations and delivered duplicates, some while the original was in flight', () => {
    const stats = runtime.faults.stats();
    expect([stats.invocationsFailed > 0, stats.duplicatesDelivered > 0, (stats.concurrentDuplicates ?? 0) > 0]).toStrictEqual([true, true, true]);
    expect([corrupt.length > 0, unreadable.length > 0]).toStrictEqual([true, true]);
  });

  it('every blur run joined: none failed', () => {
    expect(failedBlurRuns(runtime)).toStrictEqual([]);
  });

  it('the final count equals the counts computed from the photos: every image counted once', () => {
    expect({ value: final.value, count: final.count }).toStrictEqual({ value: truth(), count: N });
  });

  it('deletes the original of every blurred image and keeps the originals that could not be blurred', async () => {
    expect(await keysUnder('originals/')).toStrictEqual(corrupt.map((i) => i.key).sort());
    expect(await keysUnder('blurred/')).toStrictEqual(images.filter((i) => !i.image.corrupt).map((i) => i.key.replace(/^originals\//, 'blurred/')).sort());
  });

  it('parks every image that failed, in its stage\'s dead-letter queue with the reason', async () => {
    const blurParked = await runtime.sqs.inspect(runtime.queue(O.blurDeadLetterUrl).name);
    expect([...new Set(blurParked.map((m) => JSON.parse(m.body).key as string))].sort()).toStrictEqual(corrupt.map((i) => i.key).sort());
    expect(blurParked.every((m) => /not a decodable image/.test(reasonOf(m)))).toBe(true);
    const recognitionParked = (await runtime.deadLetterMessages()).filter((m) => Array.isArray(JSON.parse(m.body).crops));
    expect([...new Set(recognitionParked.map((m) => JSON.parse(m.body).id as string))].sort()).toStrictEqual(unreadable.map((i) => i.image.id).sort());
    expect(recognitionParked.every((m) => /unreadable/.test(reasonOf(m)))).toBe(true);
  });

  it('FanOutFanIn workers as Reduce producers: each blur run\'s final is the plates of the images it blurred', async () => {
    const finals = (await runtime.sqs.inspect(runtime.queue(O.blurStatsFinalsUrl).name)).map((m) => JSON.parse(m.body) as FinalAggregate<number>);
    const client = DynamoDBDocumentClient.from(new DynamoDBClient(runtime.clientConfig()));
    const stores = Array.from({ length: IMAGE_SHARDS }, (_, i) => new DynamoResultStore(runtime.output(O.blurResultsTable(i)), client));
    const plates = new Map(images.map((i) => [i.key, i.image.plates.length]));
    const runs = new Map<string, readonly ItemRecord[]>();
    for (const f of finals) {
      const listed = await Promise.all(stores.map((s) => s.list(f.reduceId)));
      runs.set(f.reduceId, listed.flatMap((l) => l.items));
    }
    client.destroy();
    const byRun = [...new Map(finals.map((f) => [f.reduceId, f])).values()].map((f) => {
      const blurred = (runs.get(f.reduceId) ?? []).filter((r) => r.status === 'succeeded');
      return { run: f.reduceId, value: f.value, count: f.count, expected: { value: blurred.reduce((n, r) => n + (plates.get(r.ref!) ?? NaN), 0), count: blurred.length } };
    });
    expect(byRun.filter((r) => r.value !== r.expected.value || r.count !== r.expected.count)).toStrictEqual([]);
    // Every blurred image is in a run that became final.
    const covered = new Set([...runs.values()].flat().filter((r) => r.status === 'succeeded').map((r) => r.ref));
    expect(images.filter((i) => !i.image.corrupt && !covered.has(i.key)).map((i) => i.key)).toStrictEqual([]);
  });
});
