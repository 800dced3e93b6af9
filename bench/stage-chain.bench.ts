/**
 * `npm run bench -- stage-chain`: a 3-stage BatchStageChain against the naive per-item chain
 * (one message, one invocation, one PutItem per item), both run on the embedded local runtime
 * (local-runtime/) from one synthesized stack, one after the other, every AWS request counted.
 *
 * Prints `bench stage-chain: requests/item=X floor=Y naive=Z`, then the empty receives
 * (billed, but a function of idle time, not of items) and the $ per million items.
 * `BENCH_STAGE_CHAIN_ITEMS` sets the items per chain (default 2,000).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { packageRoot } from '../infra/private/paths';
import { LocalRuntime } from '../local-runtime/runtime/local-runtime';
import { BATCHED_STAGES, BenchOutput, benchStack } from './stage-chain/bench-stack';
import { DYNAMODB_BATCH, dollarsPerMillionItems, floorRequestsPerItem, naiveRequestsPerItem, priceNote } from './stage-chain/cost-model';
import { measureChain, trackGbSeconds, type ChainRun } from './stage-chain/measure';

/** Runs the benchmark and returns its lines. */
export async function run(): Promise<string[]> {
  const items = Number(process.env.BENCH_STAGE_CHAIN_ITEMS ?? 2000);
  const outdir = mkdtempSync(join(tmpdir(), 'pp-bench-stage-chain-'));
  try {
    const app = new App({ outdir });
    benchStack(app);
    app.synth();
    const runtime = await LocalRuntime.start({ assemblyDir: outdir, projectRoot: packageRoot() });
    try {
      const gb = trackGbSeconds(runtime);
      const queues = (prefix: string) => runtime.catalog.ofType('AWS::SQS::Queue').map(([id]) => id).filter((id) => id.startsWith(prefix) && !/Dlq/.test(id)).map((id) => runtime.catalog.physicalName(id));
      const batched = await measureChain(runtime, { ingressUrl: runtime.output(BenchOutput.batchedIngress), table: runtime.output(BenchOutput.batchedTable), queueNames: queues('Batched'), mode: 'batched' }, items, gb);
      const naive = await measureChain(runtime, { ingressUrl: runtime.output(BenchOutput.naiveIngress), table: runtime.output(BenchOutput.naiveTable), queueNames: queues('Naive'), mode: 'single' }, items, gb);
      return report(batched, naive);
    } finally {
      await runtime.stop();
    }
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** The printed lines. */
export function report(batched: ChainRun, naive: ChainRun): string[] {
  const perItem = (r: ChainRun) => Object.values(r.requests).reduce((a, b) => a + b, 0) / r.items;
  const floor = floorRequestsPerItem(BATCHED_STAGES);
  const measured = perItem(batched);
  // Rounded first, so a run exactly at the floor prints 0.0% rather than -0.0%.
  const overFloor = Math.round((measured / floor - 1) * 1000) / 10 || 0;
  const cost = (r: ChainRun) =>
    dollarsPerMillionItems({ items: r.items, sqsRequests: r.requests.sqs ?? 0, lambdaInvocations: r.invocations, lambdaGbSeconds: r.gbSeconds, dynamoDbWriteUnits: r.written });
  const money = (c: ReturnType<typeof cost>) => `$${c.total.toFixed(2)} (sqs ${c.sqs.toFixed(2)}, lambda ${c.lambda.toFixed(2)}, dynamodb ${c.dynamoDb.toFixed(2)})`;
  const split = (r: ChainRun) => Object.entries(r.requests).sort().map(([s, n]) => `${s} ${(n / r.items).toFixed(3)}`).join(', ');
  return [
    `bench stage-chain: requests/item=${measured.toFixed(3)} floor=${floor.toFixed(3)} naive=${perItem(naive).toFixed(3)}`,
    `bench stage-chain: ${overFloor.toFixed(1)}% over the floor (batches ${BATCHED_STAGES.map((s) => s.batchSize).join('/')}, ${DYNAMODB_BATCH}-item writes; naive model ${naiveRequestsPerItem(BATCHED_STAGES.length)}); ${batched.items} items each on the local runtime; per item batched: ${split(batched)}; naive: ${split(naive)}`,
    `bench stage-chain: empty receives batched=${batched.emptyReceives} naive=${naive.emptyReceives} (billed by SQS too, but they track idle time, not items: not in requests/item)`,
    `bench stage-chain: $ per million items batched=${money(cost(batched))} naive=${money(cost(naive))} [${priceNote()}; GB-s from local wall time]`,
  ];
}
