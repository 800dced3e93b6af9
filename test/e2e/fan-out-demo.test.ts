/**
 * The document-intelligence fan-out demo end to end on the embedded local runtime: the
 * synthesized stack, bundled worker and join in worker threads, the Distributed Map's
 * ItemReader listing S3 through the gateway, batches as child executions, DynamoDB results on
 * dynalite, the report and combined result written to S3.
 */
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunReport } from '../../functions/lib/fan-out-fan-in/report';
import { keyPercentile } from '../../functions/demo/documents';
import { FanOutDemoOutput as O, FanOutDemoStack } from '../../infra/stacks/fan-out-demo-stack';
import { demoDocuments } from '../../scripts/fan-out-demo-documents';
import { LocalS3Client } from '../../local-runtime/runtime/gateway/local-s3-client';
import { PrincipalDirectory } from '../../local-runtime/runtime/gateway/principals';
import { startE2ERuntime, type E2ERuntime } from '../helpers/e2e-runtime';

const N = 60;
let e2e: E2ERuntime;
let s3: S3Client;
let sfn: SFNClient;

beforeAll(async () => {
  // One worker thread per function: the demo's injected failure hits each flaky document exactly once.
  e2e = await startE2ERuntime({ define: (app) => new FanOutDemoStack(app, 'FanOutDemo', { flakyPercent: 20 }), clock: { start: Date.now() }, runtime: { maxWorkersPerFunction: 1 } });
  s3 = new S3Client({ ...e2e.runtime.clientConfig(), forcePathStyle: true });
  sfn = new SFNClient(e2e.runtime.clientConfig());
}, 300_000);

afterAll(async () => {
  s3?.destroy();
  sfn?.destroy();
  await e2e?.stop();
});

it('analyses every document: retries the flaky, sets aside the empty, reports the corrupt, combines the rest', async () => {
  const { runtime } = e2e;
  const docs = demoDocuments(N);
  for (const d of docs) await s3.send(new PutObjectCommand({ Bucket: runtime.output(O.sourceBucket), Key: d.key, Body: d.text }));
  runtime.counter.reset();
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: runtime.output(O.stateMachineArn), name: 'docs-1', input: JSON.stringify({ source: { bucket: runtime.output(O.sourceBucket), prefix: 'inbox/' } }) }));
  const done = await runtime.stateMachines.waitForExecution(executionArn!);
  const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
  expect({ status: described.status, error: described.error }).toStrictEqual({ status: 'SUCCEEDED', error: undefined });
  const corrupt = docs.filter((d) => d.kind === 'corrupt');
  const empty = docs.filter((d) => d.kind === 'empty');
  const flaky = docs.filter((d) => keyPercentile(d.key) < 20);
  expect(JSON.parse(done.output!)).toMatchObject({ runId: 'docs-1', status: 'SUCCEEDED', total: N, failed: corrupt.length, invalid: empty.length, succeeded: N - corrupt.length - empty.length, retried: flaky.length });

  const read = async (key: string) => JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: runtime.output(O.resultBucket), Key: key }))).Body!.transformToString());
  const report = (await read('runs/docs-1/report.json')) as RunReport;
  expect(report.failures.map((f) => [f.ref, f.error])).toStrictEqual(corrupt.map((d) => [d.key, 'PermanentItemError']));
  expect(report.invalidOutputs.map((i) => [i.ref, i.reason])).toStrictEqual(empty.map((d) => [d.key, 'no entity found']));
  const combined = await read('runs/docs-1/combined.json');
  expect({ documents: combined.documents, clauses: combined.clauses }).toStrictEqual({ documents: N - corrupt.length - empty.length, clauses: 2 * (N - corrupt.length - empty.length) });
  expect(combined.entities[0].documents.length).toBeGreaterThan(1);

  // Every S3 request went through the gateway, counted under its caller: one listing by the
  // state machine, one read per document attempt that got past the injected failure.
  const rows = runtime.counter.rowsSnapshot().filter((r) => r.service === 's3');
  const count = (op: string, who: RegExp) => rows.filter((r) => r.operation === op && who.test(r.principal)).reduce((s, r) => s + r.requests, 0);
  const machine = new RegExp(`^${runtime.output(O.stateMachineArn).split(':').pop()}$`);
  expect({ list: count('ListObjectsV2', machine), reads: count('GetObject', /Worker/), writes: count('PutObject', /Join/), denied: rows.reduce((s, r) => s + r.denied, 0) })
    .toStrictEqual({ list: 1, reads: N, writes: 2, denied: 0 });
  expect(runtime.warnings.some((w) => /Express children locally without their 5-minute limit/.test(w))).toBe(true);
}, 300_000);

it('checks S3 requests against the caller\'s role: the join may not read the source documents', async () => {
  const { runtime } = e2e;
  const join = runtime.lambdas.hosts().map((h) => h.spec.name).find((n) => n.includes('Join'))!;
  const asJoin = new LocalS3Client(runtime.gateway, PrincipalDirectory.functionKey(join), runtime.region);
  await expect(asJoin.getObject(runtime.output(O.sourceBucket), 'inbox/doc-00000.txt')).rejects.toMatchObject({ code: 'AccessDenied' });
  await expect(asJoin.putObject(runtime.output(O.resultBucket), 'runs/x/report.json', '{}')).resolves.toBeUndefined();
  await expect(asJoin.putObject(runtime.output(O.resultBucket), 'elsewhere.json', '{}')).rejects.toMatchObject({ code: 'AccessDenied' });
});
