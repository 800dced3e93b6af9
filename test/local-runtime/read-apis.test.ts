/**
 * The read APIs tools call, DynamoDB transactions and resource policies, exercised with
 * ordinary AWS SDK v3 clients over HTTP against a runtime booted from a synthesized stack:
 * as the driver (unrestricted) and as the `Reader` function's role (its own credentials).
 */
import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  IdempotentParameterMismatchException,
  PutItemCommand,
  TransactGetItemsCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, ListRulesCommand, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetFunctionCommand, LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import {
  DescribeStateMachineCommand,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  ListStateMachinesCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrincipalDirectory } from '../../local-runtime/runtime/gateway/principals';
import { LocalRuntime } from '../../local-runtime/runtime/local-runtime';
import { READ_API_STACK, synthReadApiStack, type ReadApiAssembly } from './runtime/fixtures/read-api-stack';

let fixture: ReadApiAssembly;
let runtime: LocalRuntime;
type Config = ReturnType<LocalRuntime['clientConfig']>;
let driver: Config;
let reader: Config;

beforeAll(async () => {
  fixture = synthReadApiStack();
  runtime = await LocalRuntime.start({ assemblyDir: fixture.outdir, stackName: READ_API_STACK });
  driver = runtime.clientConfig();
  reader = { ...driver, credentials: runtime.principals.credentials(PrincipalDirectory.functionKey(runtime.output('ReaderName'))) };
});
afterAll(async () => {
  await runtime?.stop();
  fixture?.cleanup();
});

async function rejection(work: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await work;
  } catch (err) {
    return err as Error & Record<string, unknown>;
  }
  throw new Error('expected the call to fail');
}

describe('Step Functions read APIs', () => {
  const sfn = () => new SFNClient(driver);

  async function run(input: object): Promise<{ executionArn: string; events: HistoryEvent[] }> {
    const { executionArn } = await sfn().send(new StartExecutionCommand({ stateMachineArn: runtime.output('MachineArn'), input: JSON.stringify(input) }));
    await runtime.stateMachines.waitForExecution(executionArn!);
    const events: HistoryEvent[] = [];
    let nextToken: string | undefined;
    do {
      const page = await sfn().send(new GetExecutionHistoryCommand({ executionArn, maxResults: 4, nextToken }));
      expect(page.events!.length).toBeLessThanOrEqual(4);
      events.push(...page.events!);
      nextToken = page.nextToken;
    } while (nextToken);
    return { executionArn: executionArn!, events };
  }

  it('lists and describes the stack state machine', async () => {
    const arn = runtime.output('MachineArn');
    const listed = await sfn().send(new ListStateMachinesCommand({}));
    expect(listed.stateMachines!.map((m) => m.stateMachineArn)).toStrictEqual([arn]);
    const described = await sfn().send(new DescribeStateMachineCommand({ stateMachineArn: arn }));
    expect(described).toMatchObject({ name: arn.split(':').pop(), status: 'ACTIVE', type: 'STANDARD' });
    expect(described.roleArn).toMatch(/^arn:aws:iam::000000000000:role\//);
    expect(Object.keys(JSON.parse(described.definition!).States)).toStrictEqual(['Direct', 'Integrated', 'Done']);
    expect((await rejection(sfn().send(new DescribeStateMachineCommand({ stateMachineArn: `${arn}-missing` })))).name).toBe('StateMachineDoesNotExist');
  });

  it('reports a succeeded execution event by event, paged, in the AWS shape', async () => {
    const { executionArn, events } = await run({ value: 3 });
    expect(events.map((e) => e.type)).toStrictEqual([
      'ExecutionStarted',
      'TaskStateEntered', 'LambdaFunctionScheduled', 'LambdaFunctionStarted', 'LambdaFunctionSucceeded', 'TaskStateExited',
      'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSucceeded', 'TaskStateExited',
      'PassStateEntered', 'PassStateExited',
      'ExecutionSucceeded',
    ]);
    expect(events.map((e) => e.id)).toStrictEqual(events.map((_, i) => i + 1));
    expect(events.every((e) => e.previousEventId! < e.id! && e.timestamp instanceof Date)).toBe(true);
    expect(events[2]!.lambdaFunctionScheduledEventDetails).toMatchObject({ input: '{"value":3}', resource: expect.stringContaining(':function:') });
    expect(events[2]!.previousEventId).toBe(2);
    expect(events[7]!.taskScheduledEventDetails).toMatchObject({ resourceType: 'lambda', resource: 'invoke' });
    expect(JSON.parse(events[13]!.executionSucceededEventDetails!.output!)).toMatchObject({ value: 12 });
    const newest = await sfn().send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 1 }));
    expect(newest.events!.map((e) => e.type)).toStrictEqual(['ExecutionSucceeded']);
    expect(newest.nextToken).toBeDefined();
  });

  it('reports a failed Lambda task and the failed execution', async () => {
    const { events } = await run({ value: -1 });
    expect(events.map((e) => e.type)).toStrictEqual(['ExecutionStarted', 'TaskStateEntered', 'LambdaFunctionScheduled', 'LambdaFunctionStarted', 'LambdaFunctionFailed', 'ExecutionFailed']);
    expect(events[4]!.lambdaFunctionFailedEventDetails!.error).toBe('RangeError');
    expect(events[5]!.executionFailedEventDetails!.error).toBe('RangeError');
  });

  it('authorizes each read against the caller role', async () => {
    const asReader = new SFNClient(reader);
    const denied = await rejection(asReader.send(new ListStateMachinesCommand({})));
    expect(denied.name).toBe('AccessDeniedException');
    expect(denied.message).toMatch(/not authorized to perform: states:ListStateMachines/);
    await expect(asReader.send(new DescribeStateMachineCommand({ stateMachineArn: runtime.output('MachineArn') }))).resolves.toMatchObject({ status: 'ACTIVE' });
  });
});

describe('Lambda read APIs', () => {
  it('lists every function page by page and describes one', async () => {
    const lambda = new LambdaClient(driver);
    const names: string[] = [];
    let Marker: string | undefined;
    do {
      const page = await lambda.send(new ListFunctionsCommand({ MaxItems: 1, Marker }));
      expect(page.Functions).toHaveLength(1);
      names.push(page.Functions![0]!.FunctionName!);
      Marker = page.NextMarker;
    } while (Marker);
    expect(names.sort()).toStrictEqual([runtime.output('DoublerName'), runtime.output('ReaderName')].sort());
    const got = await lambda.send(new GetFunctionCommand({ FunctionName: runtime.output('DoublerName') }));
    expect(got.Configuration).toMatchObject({ Runtime: 'nodejs24.x', Handler: 'index.handler', Timeout: 10, Environment: { Variables: { MODE: 'double' } }, State: 'Active' });
    expect((await rejection(lambda.send(new GetFunctionCommand({ FunctionName: 'no-such-function' })))).name).toBe('ResourceNotFoundException');
  });

  it('authorizes GetFunction and ListFunctions against the caller role', async () => {
    const asReader = new LambdaClient(reader);
    await expect(asReader.send(new GetFunctionCommand({ FunctionName: runtime.output('DoublerName') }))).resolves.toBeDefined();
    expect((await rejection(asReader.send(new ListFunctionsCommand({})))).name).toBe('AccessDeniedException');
  });
});

describe('EventBridge ListRules', () => {
  it('filters by prefix and bus, page by page', async () => {
    const events = new EventBridgeClient(driver);
    const names: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await events.send(new ListRulesCommand({ NamePrefix: 'orders-', Limit: 2, NextToken }));
      expect(page.Rules!.length).toBeLessThanOrEqual(2);
      names.push(...page.Rules!.map((r) => r.Name!));
      NextToken = page.NextToken;
    } while (NextToken);
    expect(names).toStrictEqual(['orders-a', 'orders-b', 'orders-c', 'orders-permitted', 'orders-unpermitted']);
    const side = await events.send(new ListRulesCommand({ EventBusName: 'side' }));
    expect(side.Rules!.map((r) => [r.Name, r.EventBusName, r.State])).toStrictEqual([['orders-side', 'side', 'ENABLED']]);
    expect(JSON.parse(side.Rules![0]!.EventPattern!)).toStrictEqual({ source: ['pp.side'] });
    expect((await rejection(events.send(new ListRulesCommand({ EventBusName: 'missing' })))).name).toBe('ResourceNotFoundException');
  });
});

describe('DynamoDB transactions', () => {
  const table = () => runtime.output('TableName');
  const key = (pk: string) => ({ pk: { S: pk } });
  const get = async (pk: string) => (await new DynamoDBClient(driver).send(new GetItemCommand({ TableName: table(), Key: key(pk) }))).Item;

  it('writes and reads several items as one', async () => {
    const ddb = new DynamoDBClient(driver);
    await ddb.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: table(), Item: { ...key('a'), n: { N: '1' } } } }, { Put: { TableName: table(), Item: { ...key('b'), n: { N: '2' } } } }] }));
    const read = await ddb.send(new TransactGetItemsCommand({ TransactItems: [{ Get: { TableName: table(), Key: key('a') } }, { Get: { TableName: table(), Key: key('none') } }, { Get: { TableName: table(), Key: key('b') } }] }));
    expect(read.Responses!.map((r) => r.Item?.n?.N)).toStrictEqual(['1', undefined, '2']);
  });

  it('cancels the whole transaction when one condition fails, with a reason per item', async () => {
    const ddb = new DynamoDBClient(driver);
    const err = await rejection(ddb.send(new TransactWriteItemsCommand({
      TransactItems: [
        { Put: { TableName: table(), Item: { ...key('c'), n: { N: '3' } } } },
        { Delete: { TableName: table(), Key: key('b') } },
        { ConditionCheck: { TableName: table(), Key: key('a'), ConditionExpression: 'attribute_not_exists(pk)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } },
      ],
    })));
    expect(err).toBeInstanceOf(TransactionCanceledException);
    const reasons = (err as unknown as TransactionCanceledException).CancellationReasons!;
    expect(reasons.map((r) => r.Code)).toStrictEqual(['None', 'None', 'ConditionalCheckFailed']);
    expect(reasons[2]!.Item).toStrictEqual({ ...key('a'), n: { N: '1' } });
    expect(await get('c')).toBeUndefined();
    expect(await get('b')).toStrictEqual({ ...key('b'), n: { N: '2' } });
    expect(await get('a')).toStrictEqual({ ...key('a'), n: { N: '1' } });
  });

  it('rejects two operations on one item, and applies a repeated token once', async () => {
    const ddb = new DynamoDBClient(driver);
    const twice = await rejection(ddb.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: table(), Item: key('a') } }, { Delete: { TableName: table(), Key: key('a') } }] })));
    expect(twice.name).toBe('ValidationException');
    const add = (token: string, by: string) => ddb.send(new TransactWriteItemsCommand({
      ClientRequestToken: token,
      TransactItems: [{ Update: { TableName: table(), Key: key('counter'), UpdateExpression: 'ADD n :by', ExpressionAttributeValues: { ':by': { N: by } } } }],
    }));
    await add('token-1', '1');
    await add('token-1', '1');
    expect((await get('counter'))?.n?.N).toBe('1');
    expect(await rejection(add('token-1', '5'))).toBeInstanceOf(IdempotentParameterMismatchException);
    // A plain conditional write still fails on its own, outside any transaction.
    expect(await rejection(ddb.send(new PutItemCommand({ TableName: table(), Item: key('a'), ConditionExpression: 'attribute_not_exists(pk)' })))).toBeInstanceOf(ConditionalCheckFailedException);
  });

  it('checks every item action against the caller role', async () => {
    const ddb = new DynamoDBClient(reader);
    await ddb.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: table(), Item: key('by-reader') } }] }));
    const denied = await rejection(ddb.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: table(), Item: key('by-reader-2') } }, { ConditionCheck: { TableName: table(), Key: key('a'), ConditionExpression: 'attribute_exists(pk)' } }] })));
    expect(denied.name).toBe('AccessDeniedException');
    expect(denied.message).toMatch(/dynamodb:ConditionCheckItem/);
    expect(await get('by-reader-2')).toBeUndefined();
  });
});

describe('resource policies', () => {
  const send = (config: Config, output: string) => new SQSClient(config).send(new SendMessageCommand({ QueueUrl: runtime.output(output), MessageBody: 'hello' }));

  it('denies what the queue policy denies although the role allows it', async () => {
    const err = await rejection(send(reader, 'GuardedUrl'));
    expect(err.name).toBe('AccessDenied');
    expect(err.message).toMatch(/explicit deny in a resource-based policy \(GuardedPolicy/);
  });

  it('allows what only the queue policy grants to the role', async () => {
    await expect(send(reader, 'SharedUrl')).resolves.toMatchObject({ MessageId: expect.any(String) });
  });

  it('does not let a policy naming only the account grant by itself', async () => {
    expect((await rejection(send(reader, 'DelegatedUrl'))).name).toBe('AccessDenied');
  });

  it('delivers a rule to a queue only when its policy admits the rule', async () => {
    const sqs = new SQSClient(driver);
    await new EventBridgeClient(driver).send(new PutEventsCommand({ Entries: [{ Source: 'pp.orders', DetailType: 'order', Detail: '{"id":1}' }] }));
    let received = 0;
    for (let i = 0; i < 20 && received === 0; i++) {
      received = (await sqs.send(new ReceiveMessageCommand({ QueueUrl: runtime.output('PermittedUrl'), WaitTimeSeconds: 1 }))).Messages?.length ?? 0;
    }
    expect(received).toBe(1);
    const unpermitted = await sqs.send(new ReceiveMessageCommand({ QueueUrl: runtime.output('UnpermittedUrl'), WaitTimeSeconds: 1 }));
    expect(unpermitted.Messages).toBeUndefined();
  });

  it('names at boot each policy it does not evaluate', () => {
    expect(runtime.warnings).toContainEqual(expect.stringMatching(/^resource policy S3MayInvoke \(AWS::Lambda::Permission\): .*s3\.amazonaws\.com.* not evaluated/));
    const rules = runtime.warnings.filter((w) => w.startsWith('rule '));
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatch(/^rule OrdersToUnpermitted: target arn:aws:sqs:\S+ has no queue policy admitting events\.amazonaws\.com/);
  });
});
