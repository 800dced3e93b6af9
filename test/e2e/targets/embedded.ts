/**
 * The demo stack on the embedded runtime, booted from a freshly synthesized assembly. Its reads
 * go to the emulators directly (the runtime's uncounted inspection), so waiting and checking
 * never add to the request accounting the tests assert.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DemoOutput } from '../../../functions/contract';
import { createDemoApp } from '../../../infra/stacks/demo-stack';
import { sendAll } from '../../../local-runtime/runtime/driver/send';
import { LocalRuntime } from '../../../local-runtime/runtime/local-runtime';
import type { LocalRuntimeOptions } from '../../../local-runtime/runtime/options';
import { countOrders, scanOrders } from './sdk-reads';
import { urlList } from './outputs';
import type { DeadLetter, DemoTarget, Progress, SdkClientConfig } from './types';

/** Runtime options the caller may set (the assembly is synthesized here). */
export type EmbeddedOptions = Omit<LocalRuntimeOptions, 'assemblyDir' | 'stackName'>;

/** Synthesizes the demo app under the temp dir and boots it on the embedded runtime. */
export async function startEmbeddedDemo(options: EmbeddedOptions = {}): Promise<DemoTarget> {
  const outdir = mkdtempSync(join(tmpdir(), 'pp-demo-target-'));
  try {
    createDemoApp({ outdir }).app.synth();
    return new EmbeddedDemoTarget(await LocalRuntime.start({ ...options, assemblyDir: outdir }), outdir);
  } catch (error) {
    rmSync(outdir, { recursive: true, force: true });
    throw error;
  }
}

class EmbeddedDemoTarget implements DemoTarget {
  public readonly kind = 'embedded';
  public readonly description = 'the embedded runtime, booted from the synthesized demo assembly';
  public readonly runId = 'local';
  public readonly polling = { intervalMs: 250, quietPolls: 2, timeoutMs: 120_000 };
  public readonly ingressQueueUrl: string;
  public readonly deadLetterQueueUrls: readonly string[];
  public readonly pipelineQueueUrls: readonly string[];
  public readonly tableName: string;
  /** The dead-letter queues' URLs by queue name. */
  private readonly deadLetterUrlByName: ReadonlyMap<string, string>;
  private readonly dynamo: DynamoDBClient;
  private readonly inspect: DynamoDBDocumentClient;

  constructor(public readonly runtime: LocalRuntime, private readonly outdir: string) {
    this.ingressQueueUrl = runtime.queue(DemoOutput.ordersQueueUrl).url;
    const queues = (output: string) => urlList(runtime.output(output)).map((url) => runtime.queue(url));
    const deadLetterQueues = queues(DemoOutput.deadLetterQueueUrls);
    this.deadLetterQueueUrls = deadLetterQueues.map((q) => q.url);
    this.deadLetterUrlByName = new Map(deadLetterQueues.map((q) => [q.name, q.url]));
    this.pipelineQueueUrls = queues(DemoOutput.pipelineQueueUrls).map((q) => q.url);
    this.tableName = runtime.tableName(DemoOutput.ordersTableName);
    // dynalite itself, not the gateway: these reads are the test's, not the stack's.
    const endpoint = `http://127.0.0.1:${runtime.dynamodb.port}`;
    this.dynamo = new DynamoDBClient({ ...runtime.clientConfig(), endpoint });
    this.inspect = DynamoDBDocumentClient.from(this.dynamo);
  }

  public clientConfig(): SdkClientConfig {
    return this.runtime.clientConfig();
  }

  public async send(bodies: readonly string[]): Promise<void> {
    const client = new SQSClient(this.clientConfig());
    try {
      await sendAll({ client, queueUrl: this.ingressQueueUrl, bodies });
    } finally {
      client.destroy();
    }
  }

  public async progress(orderIdPrefix: string): Promise<Progress> {
    return { done: await countOrders(this.inspect, this.tableName, orderIdPrefix), idle: await this.runtime.isIdle() };
  }

  public doneItems(orderIdPrefix: string): Promise<Map<string, Record<string, unknown>>> {
    return scanOrders(this.inspect, this.tableName, orderIdPrefix);
  }

  public async deadLetters(): Promise<DeadLetter[]> {
    const held = (await this.runtime.deadLetterMessages()).filter((m) => this.deadLetterUrlByName.has(m.queue));
    return held.map(({ queue, ...message }) => ({ ...message, queueUrl: this.deadLetterUrlByName.get(queue)! }));
  }

  public async stop(): Promise<void> {
    this.dynamo.destroy();
    try {
      await this.runtime.stop();
    } finally {
      rmSync(this.outdir, { recursive: true, force: true });
    }
  }
}
