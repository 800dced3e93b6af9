/**
 * End to end on the embedded local runtime: 10,000 orders through Filter (shipped only) →
 * Splitter (by channel) → 3-stage BatchStageChain → DynamoDB sink, from the synthesized
 * template, with faults: poison, permanent and transient item failures in every stage, plus
 * injected invocation crashes and throttled AWS requests.
 *
 * Every shipped order must end in exactly one place — the sink table, a dead-letter queue,
 * the SMS queue or the unmatched queue — and no filtered order anywhere.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb';
import { App } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../infra/private/paths';
import { LocalRuntime } from '../../local-runtime/runtime/local-runtime';
import { assertVisibilityOutlastsBatches, waitUntilDrained } from '../helpers/stage-chain';
import { alwaysFailsInChain, pipelineItem, routeOf, type Route } from './stage-chain-fixtures/pipeline-items';
import { PIPELINE_TIME_SCALE, PipelineOutput, pipelineStack } from './stage-chain-fixtures/pipeline-stack';
import type { PipelineItem } from './stage-chain-fixtures/stage';

const ITEMS = 10_000;
/** The setup's budget (synth, boot, send, drain): a normal run takes a few minutes at most. */
const SETUP_TIMEOUT_MS = 600_000;
/** How long a cold start may take on top of a batch's window and timeout before its messages reappear. */
const COLD_START_ALLOWANCE_MS = 3_000;
const numbers = Array.from({ length: ITEMS }, (_, n) => n);

/** Where each item number was found, one entry per copy found. */
type Places = Map<number, string[]>;

let outdir: string;
let runtime: LocalRuntime;
let places: Places;
let sinkItems: PipelineItem[];
let faultStats: { invocationsFailed: number; requestsThrottled: number };

async function sendAll(sqs: SQSClient, queueUrl: string): Promise<void> {
  for (let n = 0; n < ITEMS; n += 10) {
    const Entries = numbers.slice(n, n + 10).map((i, j) => ({ Id: String(j), MessageBody: JSON.stringify(pipelineItem(i)) }));
    const { Failed = [] } = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries }));
    // An item never sent would only show up later as "misplaced": say so here instead.
    if (Failed.length > 0) throw new Error(`ingress refused items ${Failed.map((f) => n + Number(f.Id)).join(', ')}: ${Failed[0]?.Code}`);
  }
}

async function collectPlaces(rt: LocalRuntime): Promise<void> {
  places = new Map();
  const add = (body: string, place: string) => {
    const { n } = JSON.parse(body) as PipelineItem;
    places.set(n, [...(places.get(n) ?? []), place]);
  };
  const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient(rt.clientConfig()));
  sinkItems = [];
  for await (const page of paginateScan({ client: dynamo }, { TableName: rt.output(PipelineOutput.sinkTableName) })) sinkItems.push(...((page.Items ?? []) as PipelineItem[]));
  for (const item of sinkItems) add(JSON.stringify(item), 'sink');
  for (const message of await rt.deadLetterMessages()) add(message.body, `dlq:${message.queue}`);
  for (const output of [PipelineOutput.smsQueueUrl, PipelineOutput.unmatchedQueueUrl]) {
    const queue = rt.queue(output);
    for (const message of await rt.sqs.inspect(queue.name)) add(message.body, output);
  }
}

beforeAll(async () => {
  // One budget for the whole setup: the drain gives up (saying why) well before the hook's timeout.
  const deadline = Date.now() + SETUP_TIMEOUT_MS - 60_000;
  outdir = mkdtempSync(join(tmpdir(), 'pp-e2e-stage-chain-'));
  const app = new App({ outdir });
  pipelineStack(app);
  app.synth();
  runtime = await LocalRuntime.start({
    assemblyDir: outdir,
    projectRoot: packageRoot(),
    timeScale: PIPELINE_TIME_SCALE,
    faults: { seed: 'stage-chain-e2e', invocationErrorRate: 0.02, throttleRate: 0.02 },
  });
  await assertVisibilityOutlastsBatches(runtime, COLD_START_ALLOWANCE_MS);
  await sendAll(new SQSClient(runtime.clientConfig()), runtime.output(PipelineOutput.ingressUrl));
  await waitUntilDrained(runtime, { label: 'stage-chain pipeline', deadline });
  await collectPlaces(runtime);
  faultStats = runtime.faults.stats();
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await runtime?.stop();
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

const placesOf = (n: number): string[] => places.get(n) ?? [];
const withRoute = (route: Route): number[] => numbers.filter((n) => routeOf(n) === route);

describe('filter → splitter → 3-stage chain → sink, 10,000 items with faults', () => {
  it('injected invocation crashes and throttling really happened', () => {
    expect([faultStats.invocationsFailed > 0, faultStats.requestsThrottled > 0]).toStrictEqual([true, true]);
  });

  it('puts every shipped item in exactly one place: sink, a DLQ, the SMS or the unmatched queue', () => {
    const misplaced = numbers.filter((n) => routeOf(n) !== 'dropped' && placesOf(n).length !== 1);
    expect(misplaced.map((n) => [n, placesOf(n)])).toStrictEqual([]);
  });

  it('lets no filtered (not shipped) item through', () => {
    expect(withRoute('dropped').filter((n) => placesOf(n).length > 0)).toStrictEqual([]);
  });

  it('puts every email item in the sink or a DLQ', () => {
    const elsewhere = withRoute('chain').filter((n) => !placesOf(n).every((p) => p === 'sink' || p.startsWith('dlq:')));
    expect(elsewhere).toStrictEqual([]);
  });

  it('never puts an item a stage always fails into the sink', () => {
    const failing = withRoute('chain').filter(alwaysFailsInChain);
    expect([failing.length > 0, failing.filter((n) => placesOf(n).includes('sink'))]).toStrictEqual([true, []]);
  });

  it('writes sink items that went through all three stages', () => {
    const incomplete = sinkItems.filter((item) => !(item.Render && item.Personalize && item.Send));
    expect([sinkItems.length > 0, incomplete.length]).toStrictEqual([true, 0]);
  });

  it('routes every SMS item to the SMS queue (or a DLQ)', () => {
    const wrong = withRoute('sms').filter((n) => !placesOf(n).every((p) => p === PipelineOutput.smsQueueUrl || p.startsWith('dlq:')));
    expect(wrong).toStrictEqual([]);
  });

  it('routes every item without a known channel to the unmatched queue (or a DLQ)', () => {
    const wrong = withRoute('unmatched').filter((n) => !placesOf(n).every((p) => p === PipelineOutput.unmatchedQueueUrl || p.startsWith('dlq:')));
    expect(wrong).toStrictEqual([]);
  });
});
