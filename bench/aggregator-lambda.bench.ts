/**
 * `npm run bench -- aggregator-lambda`: the RequestAggregator construct on the embedded local
 * runtime (wall clock), N single requests from concurrent `submitAndWait` callers of one
 * client, against a naive aggregator of the same stack (batch size 1, no window: one
 * invocation and one backend call per request), one after the other.
 *
 * `backend-calls` are counted (the fixture records each call on a queue); `floor` = ⌈N / B⌉,
 * reached only when one poller gathers every batch (Lambda runs several in parallel);
 * `p95-ms` is the 95th percentile of submit-to-answer wall time, which the 1 s batching
 * window dominates by design, measured after an untimed warm-up of WARM_UP requests (worker
 * threads started). `BENCH_AGGREGATOR_REQUESTS` sets N (default 500).
 *
 * Prints `bench aggregator-lambda: requests=N backend-calls=C requests/call=R p95-ms=P`,
 * then the naive run's figures.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { App, CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { requestAggregatorClient } from '../functions/request-aggregator/client';
import { RequestAggregator } from '../infra/request-aggregator';
import { packageRoot } from '../infra/private/paths';
import { LocalRuntime } from '../local-runtime/runtime/local-runtime';

const BATCH = 100;
const WARM_UP = 20;
const FIXTURE = fileURLToPath(new URL('../test/e2e/request-aggregator-fixtures/price-aggregator.ts', import.meta.url));

/** A batched and a naive aggregator, each with its calls queue; outputs `<Name>Ingress`, `<Name>Table`, `<Name>Calls`. */
function benchStack(app: App): void {
  const stack = new Stack(app, 'AggregatorBench');
  for (const [name, batchSize, window] of [['Batched', BATCH, Duration.seconds(1)], ['Naive', 1, Duration.seconds(0)]] as const) {
    const calls = new Queue(stack, `${name}CallLog`, { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true });
    const aggregator = new RequestAggregator(stack, name, { entry: FIXTURE, ingressBatchSize: batchSize, ingressMaxBatchingWindow: window, environment: { E2E_CALLS_QUEUE_URL: calls.queueUrl } });
    calls.grantSendMessages(aggregator.aggregatorFunction);
    new CfnOutput(stack, `${name}Ingress`, { value: aggregator.ingress.queueUrl });
    new CfnOutput(stack, `${name}Table`, { value: aggregator.table.tableName });
    new CfnOutput(stack, `${name}Calls`, { value: calls.queueUrl });
  }
}

interface Measured {
  readonly calls: number;
  readonly p95Ms: number;
}

async function measure(runtime: LocalRuntime, name: string, requests: number, sqs: SQSClient, documents: DynamoDBDocumentClient): Promise<Measured> {
  const client = requestAggregatorClient<{ sku: string }, unknown>({ queueUrl: runtime.output(`${name}Ingress`), tableName: runtime.output(`${name}Table`), sqsClient: sqs, documentClient: documents, pollIntervalMs: 100, timeoutMs: 300_000 });
  // Warm-up (untimed, uncounted): the functions' worker threads start, as a deployed service's would be warm.
  await Promise.all(Array.from({ length: WARM_UP }, (_, i) => client.submitAndWait({ sku: `warm-${i}` })));
  await runtime.settle();
  const warmCalls = (await runtime.sqs.inspect(runtime.queue(`${name}Calls`).name)).length;
  const latencies = await Promise.all(Array.from({ length: requests }, async (_, i) => {
    const started = performance.now();
    await client.submitAndWait({ sku: `sku-${i}` });
    return performance.now() - started;
  }));
  await runtime.settle();
  const calls = (await runtime.sqs.inspect(runtime.queue(`${name}Calls`).name)).length - warmCalls;
  const sorted = latencies.sort((a, b) => a - b);
  return { calls, p95Ms: Math.round(sorted[Math.ceil(0.95 * sorted.length) - 1] ?? 0) };
}

/** Runs the benchmark and returns its lines. */
export async function run(): Promise<string[]> {
  const requests = Number(process.env.BENCH_AGGREGATOR_REQUESTS ?? 500);
  const outdir = mkdtempSync(join(tmpdir(), 'pp-bench-aggregator-'));
  try {
    const app = new App({ outdir });
    benchStack(app);
    app.synth();
    const runtime = await LocalRuntime.start({ assemblyDir: outdir, projectRoot: packageRoot() });
    const sqs = new SQSClient(runtime.clientConfig());
    const documents = DynamoDBDocumentClient.from(new DynamoDBClient(runtime.clientConfig()));
    try {
      const batched = await measure(runtime, 'Batched', requests, sqs, documents);
      const naive = await measure(runtime, 'Naive', requests, sqs, documents);
      return [
        `bench aggregator-lambda: requests=${requests} backend-calls=${batched.calls} requests/call=${(requests / batched.calls).toFixed(1)} p95-ms=${batched.p95Ms}`,
        `bench aggregator-lambda: floor=${Math.ceil(requests / BATCH)} (batch ${BATCH}, 1 s window) naive backend-calls=${naive.calls} requests/call=${(requests / naive.calls).toFixed(1)} p95-ms=${naive.p95Ms} (batch 1, no window); local runtime, wall clock`,
      ];
    } finally {
      sqs.destroy();
      documents.destroy();
      await runtime.stop();
    }
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
