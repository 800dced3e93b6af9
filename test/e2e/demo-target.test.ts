/**
 * Selecting the demo suite's target, and the deployed target proven against a real SQS and
 * DynamoDB endpoint without Docker: an embedded runtime plays the "deployed" stack, and an
 * outputs file written from its outputs points the deployed target at it, as
 * `cdk deploy --outputs-file` would for LocalStack.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_OUTPUT_LIST_SEPARATOR, DemoOutput, MessageAttribute } from '../../functions/contract';
import { DEMO_STACK_ID } from '../../infra/stacks/demo-stack';
import { StackOutputsError } from '../../localstack/stack-outputs';
import type { LocalRuntime } from '../../local-runtime/runtime/local-runtime';
import {
  demoOrderBody, demoOrderId, demoOrderPrefix, demoTarget, resolveDemoTarget, runOrders, waitUntilDoneOrDeadLettered, type DemoTarget, type Progress,
} from './targets';

const dir = mkdtempSync(join(tmpdir(), 'pp-demo-target-test-'));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function outputsFile(name: string, outputs: Record<string, string>): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify({ [DEMO_STACK_ID]: outputs }));
  return file;
}

const sqsUrl = (name: string) => `https://sqs.eu-west-1.amazonaws.com/123456789012/PpPatternsDemo-${name}`;
const awsDeadLetterQueueUrls = ['OrdersQueueDlq-def', 'ExpressQueueDlq-jkl', 'StandardValidateQueueDlq-mno'].map(sqsUrl);
const awsPipelineQueueUrls = ['OrdersQueue-abc', 'ExpressQueue-pqr', 'StandardValidateQueue-stu'].map(sqsUrl);
const awsOutputs = {
  [DemoOutput.ordersQueueUrl]: sqsUrl('OrdersQueue-abc'),
  [DemoOutput.ordersDeadLetterQueueUrl]: sqsUrl('OrdersQueueDlq-def'),
  [DemoOutput.ordersTableName]: 'PpPatternsDemo-OrdersTable-ghi',
  [DemoOutput.deadLetterQueueUrls]: awsDeadLetterQueueUrls.join(DEMO_OUTPUT_LIST_SEPARATOR),
  [DemoOutput.pipelineQueueUrls]: awsPipelineQueueUrls.join(DEMO_OUTPUT_LIST_SEPARATOR),
};

describe('resolveDemoTarget', () => {
  it('selects the embedded runtime when PP_STACK_OUTPUTS is unset', () => {
    expect(resolveDemoTarget({ AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' })).toStrictEqual({ kind: 'embedded' });
  });

  it('selects the deployed stack with the queue URLs and table name of the outputs file, on the default credential chain', () => {
    expect(resolveDemoTarget({ PP_STACK_OUTPUTS: outputsFile('aws.json', awsOutputs) })).toStrictEqual({
      kind: 'deployed',
      stackName: DEMO_STACK_ID,
      ingressQueueUrl: awsOutputs.OrdersQueueUrl,
      deadLetterQueueUrls: awsDeadLetterQueueUrls,
      pipelineQueueUrls: awsPipelineQueueUrls,
      tableName: awsOutputs.OrdersTableName,
      sdk: { region: 'eu-west-1', endpoint: undefined, credentials: undefined },
    });
  });

  it('points the SDK clients at AWS_ENDPOINT_URL with the region and keys of the environment', () => {
    const spec = resolveDemoTarget({
      PP_STACK_OUTPUTS: outputsFile('local.json', awsOutputs), AWS_ENDPOINT_URL: 'http://127.0.0.1:4566', AWS_DEFAULT_REGION: 'ap-south-1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'secret',
    });
    expect(spec.kind === 'deployed' && spec.sdk).toStrictEqual({ region: 'ap-south-1', endpoint: 'http://127.0.0.1:4566', credentials: { accessKeyId: 'test', secretAccessKey: 'secret' } });
  });

  it('fails naming every demo output the outputs file lacks', () => {
    const file = outputsFile('partial.json', { [DemoOutput.ordersQueueUrl]: awsOutputs.OrdersQueueUrl, Other: 'x' });
    expect(() => resolveDemoTarget({ PP_STACK_OUTPUTS: file })).toThrow(StackOutputsError);
    expect(() => resolveDemoTarget({ PP_STACK_OUTPUTS: file })).toThrow(
      /lacks demo outputs OrdersTableName, DeadLetterQueueUrls, PipelineQueueUrls \(it has: OrdersQueueUrl, Other\)/,
    );
  });
});

describe('waitUntilDoneOrDeadLettered', () => {
  function scripted(looks: Progress[]): { target: DemoTarget; clock: { now: () => number; sleep: (ms: number) => Promise<void> }; calls: () => number } {
    let i = 0;
    let now = 0;
    const target = { polling: { intervalMs: 100, quietPolls: 2, timeoutMs: 1000 }, progress: async () => looks[Math.min(i++, looks.length - 1)]! } as unknown as DemoTarget;
    return { target, clock: { now: () => now, sleep: async (ms) => void (now += ms) }, calls: () => i };
  }

  it('ends after quietPolls idle looks in a row, not at the first one', async () => {
    const { target, clock, calls } = scripted([{ done: 1, idle: true }, { done: 2, idle: false }, { done: 3, idle: true }, { done: 3, idle: true }]);
    expect(await waitUntilDoneOrDeadLettered(target, 'p', { clock })).toStrictEqual({ done: 3, timedOut: false });
    expect(calls()).toBe(4);
  });

  it('keeps waiting while idle until minDone orders are done', async () => {
    const { target, clock } = scripted([{ done: 5, idle: true }, { done: 5, idle: true }, { done: 6, idle: true }, { done: 6, idle: true }]);
    expect(await waitUntilDoneOrDeadLettered(target, 'p', { clock, minDone: 6 })).toStrictEqual({ done: 6, timedOut: false });
  });

  it('gives up after timeoutMs of its clock', async () => {
    const { target, clock, calls } = scripted([{ done: 0, idle: false }]);
    expect(await waitUntilDoneOrDeadLettered(target, 'p', { clock, timeoutMs: 500 })).toStrictEqual({ done: 0, timedOut: true });
    expect(calls()).toBe(6);
  });
});

describe('the deployed target, against a running stack reached through its outputs', () => {
  let stack: DemoTarget;
  let runtime: LocalRuntime;
  let deployed: DemoTarget;
  let file: string;

  beforeAll(async () => {
    stack = await demoTarget({ env: {} });
    runtime = stack.runtime!;
    file = outputsFile('deployed.json', Object.fromEntries(Object.values(DemoOutput).map((key) => [key, runtime.output(key)])));
    deployed = await demoTarget({ env: { PP_STACK_OUTPUTS: file, AWS_ENDPOINT_URL: runtime.endpoint, AWS_ACCESS_KEY_ID: 'deployed-suite', AWS_SECRET_ACCESS_KEY: 'unused' } });
  });

  afterAll(async () => {
    await deployed?.stop();
    await stack?.stop();
  });

  it('is selected by PP_STACK_OUTPUTS, with no embedded runtime and the outputs\' URLs', () => {
    expect([stack.kind, deployed.kind, deployed.runtime]).toStrictEqual(['embedded', 'deployed', undefined]);
    expect([deployed.ingressQueueUrl, deployed.tableName]).toStrictEqual([runtime.output(DemoOutput.ordersQueueUrl), runtime.output(DemoOutput.ordersTableName)]);
    expect([deployed.deadLetterQueueUrls, deployed.pipelineQueueUrls]).toStrictEqual([stack.deadLetterQueueUrls, stack.pipelineQueueUrls]);
    expect(deployed.clientConfig()).toStrictEqual({ region: 'us-east-1', endpoint: runtime.endpoint, credentials: { accessKeyId: 'deployed-suite', secretAccessKey: 'unused' } });
  });

  it('lists every dead-letter queue of the stack, so none is missed when counting', () => {
    const names = deployed.deadLetterQueueUrls.map((url) => runtime.queue(url).name);
    expect([...names].sort()).toStrictEqual([...runtime.deadLetterQueues].sort());
  });

  it('runs orders through the stack: each valid one written on either route, the poison ones parked with their reason', async () => {
    // 40–79 hold order 42 (an invalid line, express) and order 77 (an unknown shipping method).
    const numbers = Array.from({ length: 40 }, (_, i) => 40 + i);
    const prefix = demoOrderPrefix(deployed.runId);
    const run = await runOrders(deployed, numbers.map((i) => demoOrderBody(deployed.runId, i)), prefix, { intervalMs: 100 });
    expect(run).toMatchObject({ itemsIn: 40, done: 38, deadLettered: 2, lost: 0, timedOut: false });
    expect([...(await deployed.doneItems(prefix)).keys()].sort()).toStrictEqual(numbers.filter((i) => i !== 42 && i !== 77).map((i) => demoOrderId(deployed.runId, i)).sort());
    const parked = new Map((await deployed.deadLetters()).map((m) => [JSON.parse(m.body).orderId as string, m]));
    expect([...parked.keys()].sort()).toStrictEqual([demoOrderId(deployed.runId, 42), demoOrderId(deployed.runId, 77)]);
    const [invalidLine, unknownShipping] = [parked.get(demoOrderId(deployed.runId, 42))!, parked.get(demoOrderId(deployed.runId, 77))!];
    expect(invalidLine.messageAttributes[MessageAttribute.errorReason]?.StringValue).toMatch(/quantity must be an integer/);
    expect(unknownShipping.messageAttributes[MessageAttribute.errorReason]?.StringValue).toMatch(/shipping must be one of express, standard/);
    expect([invalidLine.queueUrl, unknownShipping.queueUrl]).toStrictEqual([deployed.deadLetterQueueUrls[1], deployed.deadLetterQueueUrls[2]]);
  });

  it('reads the dead-letter queues without consuming them', async () => {
    expect((await deployed.deadLetters()).length).toBe(2);
    const depths = await Promise.all(deployed.deadLetterQueueUrls.map((url) => runtime.sqs.depth(runtime.queue(url).name)));
    expect(depths.map((d) => d.visible)).toStrictEqual([0, 1, 1, 0, 0]);
    expect(depths.every((d) => d.inFlight + d.delayed === 0)).toBe(true);
  });

  it('sends every request to AWS_ENDPOINT_URL under the environment\'s keys, not as the runtime\'s driver', () => {
    const rows = runtime.counter.rowsSnapshot();
    const external = rows.filter((r) => r.principal === 'external').map((r) => `${r.service}:${r.operation}`);
    expect(external).toEqual(expect.arrayContaining(['sqs:SendMessageBatch', 'sqs:GetQueueAttributes', 'sqs:ReceiveMessage', 'sqs:ChangeMessageVisibilityBatch', 'dynamodb:Scan']));
    expect(rows.filter((r) => r.principal === 'driver')).toStrictEqual([]);
  });
});
