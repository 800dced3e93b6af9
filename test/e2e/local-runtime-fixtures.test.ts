/**
 * The embedded local runtime on small fixture stacks (synthesized once for this file): the
 * SQS → Lambda → DynamoDB path with filters, partial failures and poison records, IAM
 * enforcement, schedules on a manual clock, and a state machine with a Lambda task.
 */
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../local-runtime/scheduling/clock';
import { LocalRuntime } from '../../local-runtime/runtime/local-runtime';
import { LocalAwsClient } from '../../local-runtime/runtime/gateway/local-client';
import { ProvisioningError, RuntimeConfigError } from '../../local-runtime/runtime/errors';
import { DISPOSED_CAUSE } from '../../local-runtime/stepfunctions';
import { FIXTURE_WAIT_SECONDS, FixtureStack, synthFixtures, type FixtureAssembly } from '../local-runtime/runtime/fixtures/stacks';

let fixtures: FixtureAssembly;
beforeAll(() => {
  fixtures = synthFixtures();
});
afterAll(() => fixtures.cleanup());

async function settle(runtime: LocalRuntime): Promise<void> {
  for (let i = 0; i < 600 && !(await runtime.isIdle()); i++) await new Promise((resolve) => setTimeout(resolve, 50));
}

async function send(runtime: LocalRuntime, queueUrl: string, bodies: readonly object[]): Promise<void> {
  const sqs = new SQSClient(runtime.clientConfig());
  for (let i = 0; i < bodies.length; i += 10) {
    const Entries = bodies.slice(i, i + 10).map((b, j) => ({ Id: String(j), MessageBody: JSON.stringify(b) }));
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries }));
  }
  sqs.destroy();
}

describe('queue → function → table', () => {
  let runtime: LocalRuntime;
  const items = Array.from({ length: 60 }, (_, i) => ({ id: `item-${i}`, kind: i % 20 === 5 ? 'skip' : 'order', poison: i % 20 === 7, failFirst: i % 20 === 9 }));

  beforeAll(async () => {
    runtime = await LocalRuntime.start({ assemblyDir: fixtures.outdir, stackName: FixtureStack.worker, timeScale: 0.1 });
    await send(runtime, runtime.output('IngressUrl'), items);
    await settle(runtime);
  });
  afterAll(() => runtime.stop());

  it('writes every valid item once, retrying partial failures', async () => {
    const valid = items.filter((i) => i.kind !== 'skip' && !i.poison).length;
    expect(await runtime.dynamodb.count(runtime.output('TableName'))).toBe(valid);
  });

  it('parks poison records in the DLQ with their reason', async () => {
    const parked = await runtime.deadLetterMessages();
    expect(parked.map((m) => JSON.parse(m.body).id).sort()).toStrictEqual(['item-27', 'item-47', 'item-7']);
    expect(parked.every((m) => m.messageAttributes.Reason?.StringValue === 'poison record')).toBe(true);
  });

  it('deletes the records the filter rejects without invoking the function', () => {
    expect(runtime.pollers[0]!.stats.filteredOut).toBe(3);
  });

  it('attributes each request to its caller', () => {
    const rows = runtime.counter.rowsSnapshot();
    const worker = runtime.lambdas.hosts()[0]!.spec.name;
    expect(rows.find((r) => r.principal === 'driver' && r.operation === 'SendMessageBatch')?.requests).toBe(6);
    expect(rows.find((r) => r.principal === worker && r.operation === 'PutItem')?.requests).toBeGreaterThanOrEqual(54);
    expect(rows.find((r) => r.principal === worker && r.operation === 'SendMessage')?.requests).toBeGreaterThanOrEqual(3);
    expect(rows.some((r) => r.principal === 'poller' && r.operation === 'DeleteMessageBatch')).toBe(true);
  });

  it('leaves nothing unaccounted: in = done + dlq + filtered', async () => {
    const report = await runtime.report({ itemsIn: items.length, done: await runtime.dynamodb.count(runtime.output('TableName')), startedAt: Date.now() });
    expect(report.lost).toBe(runtime.pollers[0]!.stats.filteredOut);
  });
});

describe('IAM enforcement', () => {
  let runtime: LocalRuntime;
  beforeAll(async () => {
    runtime = await LocalRuntime.start({ assemblyDir: fixtures.outdir, stackName: FixtureStack.denied, timeScale: 0.05 });
  });
  afterAll(() => runtime.stop());

  it('answers a call the role does not allow with AccessDeniedException', async () => {
    const denied = runtime.lambdas.hosts().find((h) => h.spec.name.includes('Denied'))!;
    const result = (await denied.invoke({})) as { ok: boolean; name: string; message: string };
    expect(result).toMatchObject({ ok: false, name: 'AccessDeniedException' });
    expect(result.message).toMatch(/is not authorized to perform: dynamodb:PutItem on resource: arn:aws:dynamodb:us-east-1:000000000000:table\/LocalDenied-Table/);
  });

  it('counts the denied call apart from served requests', () => {
    const row = runtime.counter.rowsSnapshot().find((r) => r.operation === 'PutItem');
    expect(row).toMatchObject({ denied: 1, requests: 0 });
  });

  it('leaves an under-granted worker\'s batch in the queue to be retried', async () => {
    await send(runtime, runtime.output('IngressUrl'), [{ id: 'x' }]);
    for (let i = 0; i < 200 && runtime.pollers[0]!.stats.failedInvocations === 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(runtime.pollers[0]!.stats.lastError).toMatch(/AccessDenied/);
  });
});

describe('schedules on a manual clock', () => {
  let runtime: LocalRuntime;
  let clock: ManualClock;
  const recorded = () => runtime.dynamodb.count(runtime.output('TableName'));

  beforeAll(async () => {
    clock = new ManualClock({ start: Date.UTC(2025, 0, 1) });
    runtime = await LocalRuntime.start({ assemblyDir: fixtures.outdir, stackName: FixtureStack.schedules, clock });
  });
  afterAll(() => runtime.stop());

  it('fires nothing until the clock moves', async () => {
    expect(await recorded()).toBe(0);
  });

  it('fires the 5-minute rule once per 5 minutes of clock time', async () => {
    await clock.advance(10 * 60_000);
    await runtime.lambdas.drain();
    expect(await recorded()).toBe(2);
  });

  it('fires the hourly schedule whose role may invoke the target, and not the ungranted one', async () => {
    await clock.advance(50 * 60_000);
    await runtime.lambdas.drain();
    // 12 rule firings in the first hour + 1 from the granted schedule; the ungranted schedule delivers nothing.
    expect(await recorded()).toBe(13);
  });
});

describe('EventBridge rules, TTL and the Lambda API', () => {
  let runtime: LocalRuntime;
  let clock: ManualClock;
  let driver: LocalAwsClient;
  beforeAll(async () => {
    clock = new ManualClock({ start: Date.UTC(2025, 0, 1) });
    runtime = await LocalRuntime.start({ assemblyDir: fixtures.outdir, stackName: FixtureStack.schedules, clock, ttlSweepIntervalMs: 60_000 });
    driver = new LocalAwsClient(runtime.gateway, 'driver', runtime.region);
  });
  afterAll(() => runtime.stop());

  it('routes PutEvents to the targets of the rules whose pattern matches', async () => {
    const entry = (total: number) => ({ Source: 'pp.orders', DetailType: 'OrderPlaced', Detail: JSON.stringify({ total }) });
    await driver.call('events', 'PutEvents', { Entries: [entry(150), entry(50)] });
    for (let i = 0; i < 100 && (await runtime.sqs.inspect(runtime.queue('EventsQueueUrl').name)).length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    const delivered = await runtime.sqs.inspect(runtime.queue('EventsQueueUrl').name);
    expect(delivered.map((m) => JSON.parse(m.body).detail)).toStrictEqual([{ total: 150 }]);
  });

  it('deletes items whose TTL passed at the next sweep of the clock', async () => {
    const table = runtime.output('TableName');
    const now = Math.floor(clock.now() / 1000);
    for (const [pk, expires] of [['soon', now + 30], ['later', now + 3600]] as const) {
      await driver.call('dynamodb', 'PutItem', { TableName: table, Item: { pk: { S: pk }, expires: { N: String(expires) } } });
    }
    await clock.advance(60_000);
    const left = await driver.call<{ Items: { pk: { S: string } }[] }>('dynamodb', 'Scan', { TableName: table, FilterExpression: 'attribute_exists(expires)' });
    expect(left.Items.map((i) => i.pk.S)).toStrictEqual(['later']);
  });

  it('serves the Lambda Invoke API to SDK callers', async () => {
    const name = runtime.lambdas.hosts()[0]!.spec.name;
    const headers = { authorization: 'AWS4-HMAC-SHA256 Credential=driver/20250101/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=0', 'content-type': 'application/json' };
    const reply = await runtime.gateway.serve('POST', `/2015-03-31/functions/${name}/invocations`, headers, JSON.stringify({ via: 'api' }));
    expect([reply.status, JSON.parse(reply.body)]).toStrictEqual([200, { recorded: true }]);
  });
});

describe('throttling injected at the gateway', () => {
  let runtime: LocalRuntime;
  const items = Array.from({ length: 40 }, (_, i) => ({ id: `t-${i}`, kind: 'order' }));
  beforeAll(async () => {
    runtime = await LocalRuntime.start({ assemblyDir: fixtures.outdir, stackName: FixtureStack.worker, timeScale: 0.05, faults: { seed: 'throttle', throttleRate: { dynamodb: 0.2 } } });
    await send(runtime, runtime.output('IngressUrl'), items);
    await settle(runtime);
  });
  afterAll(() => runtime.stop());

  it('answers some calls with the service\'s throttling error, which the SDK retries', async () => {
    const row = runtime.counter.rowsSnapshot().find((r) => r.operation === 'PutItem')!;
    expect(row.throttled).toBeGreaterThan(0);
    expect(await runtime.dynamodb.count(runtime.output('TableName'))).toBe(items.length);
  });

  it('throttles only the functions, not the driver or the pollers', () => {
    const rows = runtime.counter.rowsSnapshot().filter((r) => r.principal === 'driver' || r.principal === 'poller');
    expect(rows.every((r) => r.throttled === 0)).toBe(true);
  });
});

describe('state machine with a Lambda task', () => {
  let runtime: LocalRuntime;
  let client: LocalAwsClient;
  let clock: ManualClock;
  beforeAll(async () => {
    clock = new ManualClock();
    runtime = await LocalRuntime.start({ assemblyDir: fixtures.outdir, stackName: FixtureStack.stateMachine, clock });
    client = new LocalAwsClient(runtime.gateway, 'driver', runtime.region);
  });
  afterAll(() => runtime.stop());

  async function start(output: string, input: object): Promise<string> {
    return (await client.call<{ executionArn: string }>('states', 'StartExecution', { stateMachineArn: runtime.output(output), input: JSON.stringify(input) })).executionArn;
  }

  async function run(input: object, output = 'StateMachineArn'): Promise<Record<string, unknown>> {
    const executionArn = await start(output, input);
    for (let i = 0; i < 200; i++) {
      const described = await client.call('states', 'DescribeExecution', { executionArn });
      if (described.status !== 'RUNNING') return described;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`execution ${executionArn} did not finish`);
  }

  it('runs the task on the local Lambda host', async () => {
    const described = await run({ value: 21 });
    expect(described.status).toBe('SUCCEEDED');
    expect(JSON.parse(String(described.output))).toMatchObject({ value: 42, by: expect.stringMatching(/^LocalStateMachine-Doubler/) });
  });

  it('fails the execution with the function error type', async () => {
    const described = await run({ value: -1 });
    expect(described).toMatchObject({ status: 'FAILED', error: 'RangeError' });
  });

  it('checks each state machine\'s own role: one whose role may not invoke the function fails', async () => {
    const described = await run({ value: 1 }, 'UngrantedArn');
    expect(described).toMatchObject({ status: 'FAILED', error: 'Lambda.AWSLambdaException' });
    expect(described.cause).toMatch(/UngrantedMachineRole.* is not authorized to perform: lambda:InvokeFunction on resource: .*Doubler/);
  });

  it('gives functions the manual clock\'s time, before and after an advance', async () => {
    const name = runtime.output('ClockFunctionName');
    const before = clock.now();
    const seen = (await runtime.lambdas.invoke(name, {})) as { now: number; constructed: string; text: string };
    // Date() text has whole seconds (and the worker's time zone, which Date.parse reads back).
    expect([seen.now, seen.constructed, Date.parse(seen.text)]).toStrictEqual([before, new Date(before).toISOString(), Math.floor(before / 1000) * 1000]);
    await runtime.advanceClock(90_000);
    expect(await runtime.lambdas.invoke(name, {})).toMatchObject({ now: before + 90_000 });
  });

  it('runs a Wait state on the manual clock, and the task after it sees the time the Wait ended', async () => {
    const startedAt = clock.now();
    const executionArn = await start('WaitedArn', {});
    await runtime.advanceClock(FIXTURE_WAIT_SECONDS * 1000 - 1);
    expect(runtime.stateMachines.describeExecution(executionArn).status).toBe('RUNNING');
    await runtime.advanceClock(1);
    const done = runtime.stateMachines.describeExecution(executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(String(done.output)).now).toBe(startedAt + FIXTURE_WAIT_SECONDS * 1000);
  });
});

describe('stopping a runtime with a running execution', () => {
  it('aborts the execution and leaves no timer behind on the clock', async () => {
    const clock = new ManualClock();
    const runtime = await LocalRuntime.start({ assemblyDir: fixtures.outdir, stackName: FixtureStack.stateMachine, clock });
    const { executionArn } = runtime.stateMachines.startExecution({ stateMachineArn: runtime.output('WaitedArn') });
    await runtime.settle();
    await runtime.stop();
    expect(runtime.stateMachines.describeExecution(executionArn)).toMatchObject({ status: 'ABORTED', cause: DISPOSED_CAUSE });
    expect(clock.pendingTimers()).toBe(0);
  });
});

describe('SNS fan-out to SQS', () => {
  let runtime: LocalRuntime;
  beforeAll(async () => {
    runtime = await LocalRuntime.start({ assemblyDir: fixtures.outdir, stackName: FixtureStack.fanout });
  });
  afterAll(() => runtime.stop());

  const publisher = () => runtime.lambdas.hosts().find((h) => h.spec.name.includes('Publisher'))!;

  it('delivers a function\'s Publish to every subscribed queue, raw or in the SNS envelope', async () => {
    await publisher().invoke({ orderId: 'o-1' });
    const [raw] = await runtime.sqs.inspect(runtime.queue('RawQueueUrl').name);
    const [wrapped] = await runtime.sqs.inspect(runtime.queue('WrappedQueueUrl').name);
    expect(JSON.parse(raw!.body)).toStrictEqual({ orderId: 'o-1' });
    expect(JSON.parse(JSON.parse(wrapped!.body).Message)).toStrictEqual({ orderId: 'o-1' });
  });

  it('counts the Publish under the function', () => {
    const row = runtime.counter.rowsSnapshot().find((r) => r.service === 'sns');
    expect(row).toMatchObject({ principal: publisher().spec.name, operation: 'Publish', requests: 1 });
  });

  it('refuses advanceClock on a wall clock', async () => {
    await expect(runtime.advanceClock(1_000)).rejects.toThrow(RuntimeConfigError);
  });

  it('runs a function with inline ZipFile code', async () => {
    const inline = runtime.lambdas.hosts().find((h) => h.spec.name.includes('Inline'))!;
    expect(await inline.invoke({ n: 7 })).toStrictEqual({ tripled: 21 });
  });
});

describe('provisioning checks', () => {
  it('refuses to run a mapping whose role may not receive from its queue', async () => {
    const { checkMappingPermissions } = await import('../../local-runtime/runtime/iam/mapping-permissions');
    const { PrincipalDirectory } = await import('../../local-runtime/runtime/gateway/principals');
    const { PolicyEvaluator } = await import('../../local-runtime/iam');
    const principals = new PrincipalDirectory();
    const evaluator = new PolicyEvaluator([{ name: 'p', document: { Statement: [{ Effect: 'Allow', Action: 'sqs:ReceiveMessage', Resource: '*' }] } }]);
    principals.register(PrincipalDirectory.functionKey('Worker'), { name: 'Worker', kind: 'function', arn: 'arn', evaluator });
    const spec = { logicalId: 'Esm', functionName: 'Worker', queueArn: 'arn:aws:sqs:us-east-1:000000000000:q', queueUrl: 'u', batchSize: 10, batchingWindowMs: 0, concurrency: 1, filters: [], reportBatchItemFailures: false };
    expect(() => checkMappingPermissions([spec], principals)).toThrow(ProvisioningError);
    expect(() => checkMappingPermissions([spec], principals)).toThrow(/does not allow sqs:DeleteMessage, sqs:GetQueueAttributes on arn:aws:sqs:us-east-1:000000000000:q/);
  });
});
