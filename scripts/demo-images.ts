/**
 * `npm run demo:images`: the image pipeline (docs/image-pipeline.md) on the embedded local runtime. Synthesizes
 * `infra/stacks/image-pipeline-stack.ts` into a temporary folder, boots it with injected
 * crashes and duplicate deliveries, uploads `PP_IMAGES` photos (default 40), runs the
 * work-queue manager once, waits for the batch's final count, and prints one summary line:
 * the final count next to what the bucket and the dead-letter queues hold.
 *
 * Environment: PP_IMAGES, PP_CRASH_PERCENT (2: invocations that crash), PP_DUPLICATE_PERCENT
 * (10: messages delivered twice, half of them while the first copy is in flight), PP_WORKERS
 * (2 execution environments per function), PP_DEADLINE_SECONDS (600: give up waiting for the final count).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { createImagePipelineApp, ImagePipelineOutput as O } from '../infra/stacks/image-pipeline-stack';
import { LocalRuntime } from '../local-runtime/runtime/local-runtime';
import { crashRates, runImageBatch } from './image-pipeline-driver';
import { demoImages } from './image-pipeline-images';
import { runMain } from '../local-runtime/run-main';

const ROOT = resolve(import.meta.dirname, '..');
const BATCH = 'demo-1';

async function main(): Promise<number> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const count = Number(process.env.PP_IMAGES ?? 40);
  const outdir = mkdtempSync(join(tmpdir(), 'pp-images-demo-'));
  try {
    process.stderr.write('synthesizing the image pipeline stack (bundling its functions)...\n');
    createImagePipelineApp({ outdir }).app.synth();
    const runtime = await LocalRuntime.start({
      assemblyDir: outdir,
      projectRoot: ROOT,
      // SQS timers at a quarter: a crashed batch's messages return after 15 s instead of 61 s.
      timeScale: 0.25,
      maxWorkersPerFunction: Number(process.env.PP_WORKERS ?? 2),
      faults: { seed: 'images-demo', invocationErrorRate: crashRates(Number(process.env.PP_CRASH_PERCENT ?? 2) / 100), duplicateDeliveryRate: Number(process.env.PP_DUPLICATE_PERCENT ?? 10) / 100, concurrentDuplicateShare: 0.5 },
    });
    const s3 = new S3Client({ ...runtime.clientConfig(), forcePathStyle: true });
    try {
      for (const warning of runtime.warnings) process.stderr.write(`warning: ${warning}\n`);
      const started = Date.now();
      process.stderr.write(`uploading ${count} photos, running the pipeline...\n`);
      const final = await runImageBatch(runtime, demoImages(count, BATCH), BATCH, started + Number(process.env.PP_DEADLINE_SECONDS ?? 600) * 1000);
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      const keys = async (Prefix: string) => (await s3.send(new ListObjectsV2Command({ Bucket: runtime.output(O.imageBucket), Prefix }))).KeyCount ?? 0;
      const blurParked = new Set((await runtime.sqs.inspect(runtime.queue(O.blurDeadLetterUrl).name)).map((m) => JSON.parse(m.body).key)).size;
      const recognitionParked = new Set((await runtime.deadLetterMessages()).map((m) => JSON.parse(m.body)).filter((b) => Array.isArray(b.crops)).map((b) => b.id)).size;
      const blurRuns = (await runtime.sqs.inspect(runtime.queue(O.blurStatsFinalsUrl).name)).length;
      const v = final.value;
      const faults = runtime.faults.stats();
      const regions = Object.entries(v).filter(([k]) => k.startsWith('region:')).map(([k, n]) => `${k.slice(7)}=${n}`).join(',');
      process.stdout.write(`images: batch=${BATCH} images=${v.images} recognised=${v.recognised ?? 0} plates=${v.plates ?? 0} regions=${regions} blur-failed=${v.blurFailed ?? 0} unreadable=${v.unreadable ?? 0} `
        + `originals-kept=${await keys('originals/')} blurred=${await keys('blurred/')} parked-blur=${blurParked} parked-recognition=${recognitionParked} blur-runs=${blurRuns} `
        + `crashes=${faults.invocationsFailed} duplicates=${faults.duplicatesDelivered} final-s=${seconds}\n`);
      const consistent = v.images === count && (v.blurFailed ?? 0) === blurParked && (v.unreadable ?? 0) === recognitionParked && (await keys('originals/')) === blurParked;
      return consistent ? 0 : 1;
    } finally {
      s3.destroy();
      await runtime.stop();
    }
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

runMain(main);
