/**
 * End to end on the embedded local runtime: the synthesized Reduce (SQS ingress, bundled
 * reducer in a worker thread, DynamoDB on dynalite) fed partials of two aggregations with
 * duplicates sent on purpose and duplicate deliveries and invocation crashes injected. Each
 * aggregate must equal the sum of its distinct partials, be final once, and be reported.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { App } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoReduceStore } from '../../functions/lib/aws/reduce-store';
import type { FinalAggregate } from '../../functions/lib/reduce/types';
import { packageRoot } from '../../infra/private/paths';
import { LocalRuntime } from '../../local-runtime/runtime/local-runtime';
import { waitUntilDrained } from '../helpers/stage-chain';
import { ReduceOutput, reduceStack } from './reduce-fixtures/stack';

const SETUP_TIMEOUT_MS = 300_000;
const A = Array.from({ length: 300 }, (_, i) => ({ reduceId: 'run-a', partialId: `a-${i}`, value: i, expected: 300 }));
// run-b says how many partials it has only on its last one.
const B = Array.from({ length: 40 }, (_, i) => ({ reduceId: 'run-b', partialId: `b-${i}`, value: 1000 + i, ...(i === 39 ? { expected: 40 } : {}) }));
const RESENT = [...A.filter((_, i) => i % 7 === 0), ...B.filter((_, i) => i % 5 === 0)];
const POISON = [{ reduceId: 'run-a', value: 5 }];

let outdir: string;
let runtime: LocalRuntime;
let finals: FinalAggregate[];
let stored: (FinalAggregate | undefined)[];
let faults: { duplicatesDelivered: number; invocationsFailed: number };

beforeAll(async () => {
  const deadline = Date.now() + SETUP_TIMEOUT_MS - 30_000;
  outdir = mkdtempSync(join(tmpdir(), 'pp-e2e-reduce-'));
  const app = new App({ outdir });
  reduceStack(app);
  app.synth();
  runtime = await LocalRuntime.start({
    assemblyDir: outdir,
    projectRoot: packageRoot(),
    timeScale: 0.05,
    faults: { seed: 'reduce-e2e', duplicateDeliveryRate: 0.2, invocationErrorRate: 0.05 },
  });
  const sqs = new SQSClient(runtime.clientConfig());
  const bodies = [...A, ...B, ...RESENT, ...POISON];
  for (let i = 0; i < bodies.length; i += 10) {
    const Entries = bodies.slice(i, i + 10).map((body, j) => ({ Id: String(j), MessageBody: JSON.stringify(body) }));
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: runtime.output(ReduceOutput.ingressUrl), Entries }));
  }
  sqs.destroy();
  await waitUntilDrained(runtime, { label: 'reduce', deadline });
  finals = (await runtime.sqs.inspect(runtime.queue(ReduceOutput.finalsUrl).name)).map((m) => JSON.parse(m.body) as FinalAggregate);
  const client = DynamoDBDocumentClient.from(new DynamoDBClient(runtime.clientConfig()));
  const store = dynamoReduceStore({ tableName: runtime.output(ReduceOutput.tableName), ttlSeconds: 3600, client });
  stored = [await store.readFinal('run-a'), await store.readFinal('run-b')];
  client.destroy();
  faults = runtime.faults.stats();
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await runtime?.stop();
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

describe('Reduce end to end (local runtime, duplicates and crashes injected)', () => {
  it('really delivered duplicates and crashed invocations', () => {
    expect([faults.duplicatesDelivered > 0, faults.invocationsFailed > 0]).toStrictEqual([true, true]);
  });

  it('stores each aggregate as the sum of its distinct partials, counting each partial once', () => {
    expect(stored.map((f) => f && { reduceId: f.reduceId, value: f.value, count: f.count })).toStrictEqual([
      { reduceId: 'run-a', value: (299 * 300) / 2, count: 300 },
      { reduceId: 'run-b', value: 40 * 1000 + (39 * 40) / 2, count: 40 },
    ]);
  });

  it('reports every final aggregate on the output queue with the time it became final', () => {
    const byId = new Map(finals.map((f) => [f.reduceId, f]));
    expect([...byId.keys()].sort()).toStrictEqual(['run-a', 'run-b']);
    for (const f of stored) expect(byId.get(f!.reduceId)).toMatchObject({ value: f!.value, count: f!.count });
    expect(stored.every((f) => typeof f?.finalAt === 'number' && f.finalAt > 0)).toBe(true);
  });

  it('sets a malformed partial aside in the DLQ with the reason', async () => {
    const dead = await runtime.deadLetterMessages();
    expect(dead.map((m) => JSON.parse(m.body))).toContainEqual(POISON[0]);
    expect(dead.every((m) => JSON.parse(m.body).partialId === undefined)).toBe(true);
  });
});
