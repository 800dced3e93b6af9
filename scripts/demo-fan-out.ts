/**
 * `npm run demo:fan-out`: the document-intelligence fan-out / fan-in on the embedded local
 * runtime. Synthesizes `infra/stacks/fan-out-demo-stack.ts` into a temporary folder, boots it,
 * writes `PP_DOCS` documents (default 200) to the source bucket through the gateway, starts one
 * run over the `inbox/` prefix, shows its progress (the results table's progress row and
 * DescribeMapRun) while it goes, then prints the report's counts, the top entities of the
 * combined result, the state transitions and the S3 requests per caller.
 *
 * Environment: PP_DOCS, PP_FLAKY_PERCENT (20: documents whose first attempt fails),
 * PP_WORKERS (4 execution environments per function).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DescribeMapRunCommand, ListMapRunsCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { createFanOutDemoApp, FanOutDemoOutput as O } from '../infra/stacks/fan-out-demo-stack';
import { LocalRuntime } from '../local-runtime/runtime/local-runtime';
import { demoDocuments } from './fan-out-demo-documents';
import { runMain } from '../local-runtime/run-main';

const ROOT = resolve(import.meta.dirname, '..');

async function progressLine(sfn: SFNClient, executionArn: string): Promise<string> {
  const [run] = (await sfn.send(new ListMapRunsCommand({ executionArn }))).mapRuns ?? [];
  if (!run) return 'listing documents...';
  const { itemCounts: c, executionCounts: e } = await sfn.send(new DescribeMapRunCommand({ mapRunArn: run.mapRunArn }));
  return `items ${c?.succeeded}/${c?.total} ok, ${c?.failed} failed, ${c?.running} running; children ${e?.succeeded} ok, ${e?.failed} failed, ${e?.running} running`;
}

async function main(): Promise<number> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const docs = Number(process.env.PP_DOCS ?? 200);
  const outdir = mkdtempSync(join(tmpdir(), 'pp-fan-out-demo-'));
  try {
    process.stderr.write('synthesizing the fan-out demo stack (bundling the worker and the join)...\n');
    createFanOutDemoApp({ outdir }, { flakyPercent: Number(process.env.PP_FLAKY_PERCENT ?? 20) }).app.synth();
    const runtime = await LocalRuntime.start({ assemblyDir: outdir, projectRoot: ROOT, maxWorkersPerFunction: Number(process.env.PP_WORKERS ?? 4) });
    const s3 = new S3Client({ ...runtime.clientConfig(), forcePathStyle: true });
    const sfn = new SFNClient(runtime.clientConfig());
    try {
      for (const warning of runtime.warnings) process.stderr.write(`warning: ${warning}\n`);
      const bucket = runtime.output(O.sourceBucket);
      for (const d of demoDocuments(docs)) await s3.send(new PutObjectCommand({ Bucket: bucket, Key: d.key, Body: d.text }));
      runtime.counter.reset();
      const started = Date.now();
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: runtime.output(O.stateMachineArn), name: `docs-${started}`, input: JSON.stringify({ source: { bucket, prefix: 'inbox/' } }) }));
      const done = runtime.stateMachines.waitForExecution(executionArn!);
      let finished = false;
      void done.then(() => (finished = true));
      while (!finished) {
        process.stderr.write(`${await progressLine(sfn, executionArn!)}\n`);
        await Promise.race([done, new Promise((r) => setTimeout(r, 1000))]);
      }
      const record = await done;
      process.stdout.write(`\nrun ${record.status} in ${((Date.now() - started) / 1000).toFixed(1)} s${record.error ? `: ${record.error}` : ''}\n`);
      // A failed run's cause is the join's error, which names where the report is.
      const summary = record.output ? JSON.parse(record.output) : { cause: record.cause };
      process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      if (summary.resultLocation) {
        const key = String(summary.resultLocation).split('/').slice(3).join('/');
        const combined = JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: runtime.output(O.resultBucket), Key: key }))).Body!.transformToString());
        process.stdout.write(`combined: ${combined.documents} documents, ${combined.chunks} chunks, ${combined.clauses} clauses; top entities:\n`);
        for (const e of combined.entities.slice(0, 5)) process.stdout.write(`  ${e.name}: ${e.mentions} mentions in ${e.documents.length} documents\n`);
      }
      const transitions = runtime.stateMachines.transitions;
      process.stdout.write(`state transitions: parent ${transitions.of(executionArn!)}, children ${transitions.total((arn) => arn !== executionArn)}\n`);
      for (const row of runtime.counter.rowsSnapshot().filter((r) => r.service === 's3')) process.stdout.write(`s3 ${row.operation} by ${row.principal}: ${row.requests}${row.denied ? ` (${row.denied} denied)` : ''}\n`);
      return record.status === 'SUCCEEDED' ? 0 : 1;
    } finally {
      s3.destroy();
      sfn.destroy();
      await runtime.stop();
    }
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

runMain(main);
