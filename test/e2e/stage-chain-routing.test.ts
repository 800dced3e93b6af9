/**
 * End to end on the embedded local runtime: Copier (SNS, raw delivery) → Sharder with an
 * unhealthy shard, Copier output → Merger with a second queue, and a Copier over SQS — from
 * the synthesized template, checking where every item went.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PublishBatchCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { App } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSharder } from '../../functions/lib/routing/sharder';
import { packageRoot } from '../../infra/private/paths';
import { LocalRuntime } from '../../local-runtime/runtime/local-runtime';
import { waitUntilDrained } from '../helpers/stage-chain';
import { RoutingOutput, routingStack, SHARDS, UNHEALTHY_SHARD } from './stage-chain-fixtures/routing-stack';

const TOPIC_ITEMS = 300;
const SIDE_ITEMS = 100;
const QUEUE_COPIER_ITEMS = 200;
/** The setup's budget (synth, boot, send, drain). */
const SETUP_TIMEOUT_MS = 300_000;

let outdir: string;
let runtime: LocalRuntime;

const item = (source: string, n: number) => JSON.stringify({ id: `${source}-${n}`, n, customer: `c${n % 37}`, source });
const range = (count: number) => Array.from({ length: count }, (_, n) => n);

async function inChunks(count: number, send: (ns: number[]) => Promise<unknown>): Promise<void> {
  for (let n = 0; n < count; n += 10) await send(range(count).slice(n, n + 10));
}

async function inspect(output: string): Promise<Array<{ n: number; source: string; customer: string }>> {
  return (await runtime.sqs.inspect(runtime.queue(output).name)).map((m) => JSON.parse(m.body) as { n: number; source: string; customer: string });
}

beforeAll(async () => {
  const deadline = Date.now() + SETUP_TIMEOUT_MS - 30_000;
  outdir = mkdtempSync(join(tmpdir(), 'pp-e2e-routing-'));
  const app = new App({ outdir });
  routingStack(app);
  app.synth();
  runtime = await LocalRuntime.start({ assemblyDir: outdir, projectRoot: packageRoot() });
  const sns = new SNSClient(runtime.clientConfig());
  const sqs = new SQSClient(runtime.clientConfig());
  const topicArn = runtime.output(RoutingOutput.topicArn);
  await inChunks(TOPIC_ITEMS, (ns) => sns.send(new PublishBatchCommand({ TopicArn: topicArn, PublishBatchRequestEntries: ns.map((n) => ({ Id: String(n), Message: item('topic', n) })) })));
  const sendTo = (url: string, source: string) => (ns: number[]) => sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: ns.map((n) => ({ Id: String(n), MessageBody: item(source, n) })) }));
  await inChunks(SIDE_ITEMS, sendTo(runtime.output(RoutingOutput.sideQueueUrl), 'side'));
  await inChunks(QUEUE_COPIER_ITEMS, sendTo(runtime.output(RoutingOutput.queueCopierInputUrl), 'queue'));
  await waitUntilDrained(runtime, { label: 'routing stack', deadline });
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await runtime?.stop();
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

describe('routing constructs on the local runtime', () => {
  it('Copier (SNS): the sharded copy holds every published item exactly once', async () => {
    const shards = await Promise.all(range(SHARDS).map((i) => inspect(RoutingOutput.shardQueueUrl(i))));
    expect(shards.flat().map((m) => m.n).sort((a, b) => a - b)).toStrictEqual(range(TOPIC_ITEMS));
  });

  it('Sharder: puts every key on its rendezvous shard, skipping the unhealthy one', async () => {
    const names = range(SHARDS).map((i) => `shard-${i}`);
    const sharder = createSharder({ shards: names });
    const shards = await Promise.all(range(SHARDS).map((i) => inspect(RoutingOutput.shardQueueUrl(i))));
    const misplaced = shards.flatMap((messages, i) => messages.filter((m) => sharder.shardFor(m.customer, new Set([names[UNHEALTHY_SHARD] as string])) !== names[i]));
    expect([misplaced, shards[UNHEALTHY_SHARD]?.length]).toStrictEqual([[], 0]);
  });

  it('Merger: the merged stream holds the other copy and the side queue\'s items, each once', async () => {
    const merged = (await inspect(RoutingOutput.mergedQueueUrl)).map((m) => `${m.source}-${m.n}`).sort();
    const expected = [...range(TOPIC_ITEMS).map((n) => `topic-${n}`), ...range(SIDE_ITEMS).map((n) => `side-${n}`)].sort();
    expect(merged).toStrictEqual(expected);
  });

  it('Copier (SQS): each output holds every item exactly once', async () => {
    const outputs = await Promise.all([0, 1].map((i) => inspect(RoutingOutput.queueCopierOutputUrl(i))));
    expect(outputs.map((o) => o.map((m) => m.n).sort((a, b) => a - b))).toStrictEqual([range(QUEUE_COPIER_ITEMS), range(QUEUE_COPIER_ITEMS)]);
  });
});
