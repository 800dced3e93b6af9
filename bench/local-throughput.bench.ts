/**
 * `npm run bench -- local-throughput`: how fast the embedded local runtime (local-runtime/)
 * moves items, against the SQS emulator's own rate, all measured in one run on this machine:
 *
 * - `emulator-ceiling`: fauxqs alone, a queue filled beforehand and drained by 4 loops of
 *   ReceiveMessage (10) + DeleteMessageBatch over HTTP straight to it (bench/local-throughput/measure.ts);
 * - `single-hop-items/s`: one synthesized WorkQueue (10-record batches, no window, 4 workers)
 *   on the runtime: items put straight into its ingress, timed until the last one is deleted
 *   after its invocation — the mapping's receives and deletes through the gateway (counted,
 *   IAM-checked), each batch invoked in a worker thread; `ratio` is single hop ÷ ceiling;
 * - `pipeline-items/s`: the demo app (`npm start`'s pipeline: splitter, express worker,
 *   3-stage chain, DynamoDB writes) synthesized and run as `npm start` runs it (time scale
 *   0.05, 4 workers per function), items/s as its summary computes it (first send to all done).
 *
 * `BENCH_LOCAL_THROUGHPUT_ITEMS` sets the pipeline's orders (default 10,000),
 * `BENCH_LOCAL_THROUGHPUT_HOP_ITEMS` the single hop's and the ceiling's messages (default 5,000).
 * The machine's other load moves every figure; the ratio, measured side by side, less so.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { packageRoot } from '../infra/private/paths';
import { createDemoApp } from '../infra/stacks/demo-stack';
import { runDemo } from '../local-runtime/demo-run';
import { LocalRuntime } from '../local-runtime/runtime/local-runtime';
import { HopOutput, hopStack } from './local-throughput/hop-stack';
import { emulatorCeiling, singleHop } from './local-throughput/measure';

function positiveInteger(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

/** Synthesizes an app into a temporary folder, runs `body` on it, removes the folder. */
async function withAssembly<T>(build: (outdir: string) => App, body: (outdir: string) => Promise<T>): Promise<T> {
  const outdir = mkdtempSync(join(tmpdir(), 'pp-bench-local-throughput-'));
  try {
    build(outdir).synth();
    return await body(outdir);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

async function measureHop(items: number): Promise<number> {
  return withAssembly(
    (outdir) => {
      const app = new App({ outdir });
      hopStack(app);
      return app;
    },
    async (outdir) => {
      const runtime = await LocalRuntime.start({ assemblyDir: outdir, projectRoot: packageRoot(), maxWorkersPerFunction: 4 });
      try {
        return await singleHop(runtime, runtime.queue(HopOutput.ingress).name, items);
      } finally {
        await runtime.stop();
      }
    },
  );
}

async function measurePipeline(items: number): Promise<number> {
  return withAssembly(
    (outdir) => createDemoApp({ outdir }).app,
    async (outdir) => {
      const runtime = await LocalRuntime.start({ assemblyDir: outdir, projectRoot: packageRoot(), timeScale: 0.05, maxWorkersPerFunction: 4 });
      try {
        const { report, timedOut } = await runDemo(runtime, { items, timeoutSeconds: 600 });
        if (timedOut || report.done !== items) throw new Error(`the demo pipeline did ${report.done} of ${items} orders (dlq ${report.deadLettered}, timed out: ${timedOut})`);
        return report.itemsPerSecond;
      } finally {
        await runtime.stop();
      }
    },
  );
}

/** Runs the benchmark and returns its line. */
export async function run(): Promise<string[]> {
  const pipelineItems = positiveInteger('BENCH_LOCAL_THROUGHPUT_ITEMS', 10_000);
  const hopItems = positiveInteger('BENCH_LOCAL_THROUGHPUT_HOP_ITEMS', 5_000);
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const ceiling = await emulatorCeiling(hopItems);
  const hop = await measureHop(hopItems);
  const pipeline = await measurePipeline(pipelineItems);
  return [
    `bench local-throughput: single-hop-items/s=${hop.toFixed(0)} emulator-ceiling=${ceiling.toFixed(0)} ratio=${(hop / ceiling).toFixed(2)} pipeline-items/s=${pipeline.toFixed(0)}`,
    `bench local-throughput: ${hopItems} messages per hop (10-record batches, 4 receivers), ${pipelineItems} orders through the demo pipeline (time scale 0.05, 4 workers per function)`,
  ];
}
