/**
 * Drives one batch through the image pipeline on the local runtime: uploads the originals,
 * tells the final Reduce how many images the batch has, runs the work-queue manager once (as
 * its schedule would), waits for the batch's final count and for the stack to settle.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { FinalAggregate } from '../functions/lib/reduce/types';
import { IMAGE_SHARDS, ImagePipelineOutput as O } from '../infra/stacks/image-pipeline-stack';
import type { LocalRuntime } from '../local-runtime/runtime/local-runtime';
import type { DemoImage } from './image-pipeline-images';

/** The batch's final count: bucket → number (images, recognised, plates, region:…, blurFailed, unreadable). */
export type ImageCounts = FinalAggregate<Record<string, number>>;

/**
 * Injected crash rates per function name: `rate` for every function but the blur runs' join
 * and finalizer. Their Tasks retry Lambda's crash errors (`Runtime.ExitError`,
 * `Lambda.Unknown`), not the local runtime's injected fault, which would fail the run.
 */
export function crashRates(rate: number): Record<string, number> {
  return new Proxy({} as Record<string, number>, { get: (_, name) => (typeof name === 'string' && !/Join|Finalizer/.test(name) ? rate : 0) });
}

/** Wall-time pause between looks at the finals queue. */
const POLL_MS = 500;

/** Runs the batch; resolves with its final count once the stack has settled. @throws Error when `deadline` (epoch ms) passes first */
export async function runImageBatch(runtime: LocalRuntime, images: readonly DemoImage[], batch: string, deadline: number): Promise<ImageCounts> {
  const config = runtime.clientConfig();
  const s3 = new S3Client({ ...config, forcePathStyle: true });
  const sqs = new SQSClient(config);
  const lambda = new LambdaClient(config);
  try {
    for (const { key, image } of images) await s3.send(new PutObjectCommand({ Bucket: runtime.output(O.imageBucket), Key: key, Body: JSON.stringify(image) }));
    await sqs.send(new SendMessageCommand({ QueueUrl: runtime.output(O.countsIngressUrl), MessageBody: JSON.stringify({ reduceId: batch, expected: images.length }) }));
    // The manager's schedule, once and now; a failed run is run again, as the next tick would.
    for (let attempt = 1; ; attempt++) {
      const out = await lambda.send(new InvokeCommand({ FunctionName: runtime.output(O.reconcilerFunction), Payload: new TextEncoder().encode('{}') }));
      if (!out.FunctionError) break;
      if (attempt >= 5) throw new Error(`the work-queue manager failed ${attempt} times: ${new TextDecoder().decode(out.Payload)}`);
    }
    const final = await waitForFinal(runtime, batch, deadline);
    await runtime.settle({ timeoutMs: Math.max(1000, deadline - Date.now()) });
    return final;
  } finally {
    s3.destroy();
    sqs.destroy();
    lambda.destroy();
  }
}

async function waitForFinal(runtime: LocalRuntime, batch: string, deadline: number): Promise<ImageCounts> {
  for (;;) {
    const finals = (await runtime.sqs.inspect(runtime.queue(O.countsFinalsUrl).name)).map((m) => JSON.parse(m.body) as ImageCounts);
    const final = finals.find((f) => f.reduceId === batch);
    if (final) return final;
    if (Date.now() > deadline) {
      const mappings = runtime.pollers.map(({ spec, stats, inProgress }) => `${spec.functionName} inProgress=${inProgress} batches=${stats.batches} failedInvocations=${stats.failedInvocations}`);
      throw new Error(`no final count for ${batch} by the deadline; failed blur runs [${failedBlurRuns(runtime).join('; ')}]; mappings [${mappings.join('; ')}]; faults ${JSON.stringify(runtime.faults.stats())}`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** The blur runs that failed (a failed run releases nothing, so its images are never counted), with their error. */
export function failedBlurRuns(runtime: LocalRuntime): string[] {
  return Array.from({ length: IMAGE_SHARDS }, (_, i) => runtime.output(O.blurStateMachine(i))).flatMap((stateMachineArn) =>
    runtime.stateMachines.listExecutions({ stateMachineArn, statusFilter: 'FAILED' }).executions.map((e) => `${e.name}: ${e.error}: ${String(e.cause ?? '').slice(0, 200)}`));
}
