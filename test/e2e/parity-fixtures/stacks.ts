/**
 * Fixture stacks shaped like public CDK sample apps that nobody here wrote: the parity tests
 * boot them unchanged on the local runtime. Handlers are plain `.mjs` files staged with
 * `Code.fromAsset` (no bundling), so `@aws-sdk/*` stays external as in a deployed sample.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, CfnOutput, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';

/** The folder of a fixture handler. */
export const handlerDir = (name: string): string => fileURLToPath(new URL(`./handlers/${name}`, import.meta.url));

/** A Node.js function from a fixture handler folder. */
export function fixtureFunction(stack: Stack, id: string, handler: string, environment: Record<string, string> = {}, runtime = Runtime.NODEJS_22_X): LambdaFunction {
  return new LambdaFunction(stack, id, { runtime, handler: 'index.handler', code: Code.fromAsset(handlerDir(handler)), timeout: Duration.seconds(10), environment });
}

/**
 * SQS → Lambda → DynamoDB with a customer-managed KMS key on the queue and on the function's
 * environment: the key is a resource the local runtime does not run, only references.
 */
export function kmsIngestStack(app: App, id = 'ParityKmsIngest'): Stack {
  const stack = new Stack(app, id);
  const key = new Key(stack, 'DataKey', { removalPolicy: RemovalPolicy.DESTROY });
  const queue = new Queue(stack, 'Ingress', { encryption: QueueEncryption.KMS, encryptionMasterKey: key });
  const table = new Table(stack, 'Items', { partitionKey: { name: 'pk', type: AttributeType.STRING }, removalPolicy: RemovalPolicy.DESTROY });
  const ingest = fixtureFunction(stack, 'Ingest', 'ingest', { TABLE: table.tableName, KEY_ARN: key.keyArn });
  (ingest.node.defaultChild as unknown as { kmsKeyArn: string }).kmsKeyArn = key.keyArn;
  ingest.addEventSource(new SqsEventSource(queue, { batchSize: 10 }));
  table.grantWriteData(ingest);
  new CfnOutput(stack, 'IngressUrl', { value: queue.queueUrl });
  new CfnOutput(stack, 'TableName', { value: table.tableName });
  return stack;
}

/**
 * SQS (dead-letter queue after one receive) → a function that fails in its init phase on
 * every invocation: the run must say so, not only count dead letters.
 */
export function brokenInitStack(app: App, id = 'ParityBrokenInit'): Stack {
  const stack = new Stack(app, id);
  const dlq = new Queue(stack, 'Parked');
  const queue = new Queue(stack, 'Ingress', { visibilityTimeout: Duration.seconds(30), deadLetterQueue: { queue: dlq, maxReceiveCount: 1 } });
  fixtureFunction(stack, 'Broken', 'broken-init').addEventSource(new SqsEventSource(queue, { batchSize: 10 }));
  new CfnOutput(stack, 'IngressUrl', { value: queue.queueUrl });
  return stack;
}

/**
 * The SQS → Lambda → DynamoDB sample, twice: an ES module and a CommonJS handler, each on its
 * own queue, both marshalling with `@aws-sdk/util-dynamodb`.
 */
export function sdkIngestStack(app: App, id = 'ParitySdkIngest'): Stack {
  const stack = new Stack(app, id);
  const table = new Table(stack, 'Items', { partitionKey: { name: 'pk', type: AttributeType.STRING }, removalPolicy: RemovalPolicy.DESTROY });
  for (const [name, handler] of [['Esm', 'ingest'], ['Cjs', 'ingest-cjs']] as const) {
    const queue = new Queue(stack, `${name}Ingress`);
    const fn = fixtureFunction(stack, `${name}Ingest`, handler, { TABLE: table.tableName });
    fn.addEventSource(new SqsEventSource(queue, { batchSize: 10 }));
    table.grantWriteData(fn);
    new CfnOutput(stack, `${name}IngressUrl`, { value: queue.queueUrl });
  }
  new CfnOutput(stack, 'TableName', { value: table.tableName });
  return stack;
}

/** A synthesized fixture app and how to remove it. */
export interface ParityAssembly {
  readonly outdir: string;
  cleanup(): void;
}

/**
 * Synthesizes the stacks `define` adds into a fresh folder under the temp dir (or into
 * `outdir`, which the caller then removes).
 */
export function synthParity(define: (app: App) => void, into?: string): ParityAssembly {
  const outdir = into ?? mkdtempSync(join(tmpdir(), 'pp-parity-'));
  const app = new App({ outdir });
  define(app);
  app.synth();
  return { outdir, cleanup: () => rmSync(outdir, { recursive: true, force: true }) };
}
