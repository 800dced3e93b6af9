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
import { AttributeType, BillingMode, Table } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { SfnStateMachine, SqsQueue as SqsTarget } from 'aws-cdk-lib/aws-events-targets';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { SqsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Chain, DefinitionBody, Fail, IntegrationPattern, JsonPath, Pass, StateMachine, TaskInput, Wait, WaitTime } from 'aws-cdk-lib/aws-stepfunctions';
import {
  CallAwsService, DynamoAttributeValue, DynamoPutItem, EventBridgePutEvents, LambdaInvoke, SnsPublish, SqsSendMessage, StepFunctionsStartExecution,
} from 'aws-cdk-lib/aws-stepfunctions-tasks';

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

/** The note every integration fixture carries: nested quotes survive serialization. */
export const INTEGRATION_NOTE = 'say "hi"';

/**
 * A state machine using each optimized integration the runtime serves with JSON objects
 * where the APIs take strings (SQS `MessageBody`, SNS `Message`, EventBridge `Detail`,
 * Step Functions `Input`), a `.sync:2` child execution, and AWS SDK integrations whose error
 * a Catch matches by its AWS name.
 */
export function integrationsStack(app: App, id = 'ParityIntegrations'): Stack {
  const stack = new Stack(app, id);
  const table = new Table(stack, 'Orders', { partitionKey: { name: 'pk', type: AttributeType.STRING }, removalPolicy: RemovalPolicy.DESTROY });
  const sent = new Queue(stack, 'Sent');
  const published = new Queue(stack, 'Published');
  const topic = new Topic(stack, 'Topic');
  topic.addSubscription(new SqsSubscription(published, { rawMessageDelivery: true }));
  const events = new Queue(stack, 'Events');
  new Rule(stack, 'OrderSeen', { eventPattern: { source: ['parity.orders'] }, targets: [new SqsTarget(events)] });
  const child = new StateMachine(stack, 'Child', { definitionBody: DefinitionBody.fromChainable(new Pass(stack, 'Echo', { parameters: { 'childSaw.$': '$.orderId', 'note.$': '$.note' } })) });
  const body = { 'orderId.$': '$.orderId', note: INTEGRATION_NOTE };
  const definition = Chain.start(new SqsSendMessage(stack, 'SendToQueue', { queue: sent, messageBody: TaskInput.fromObject(body), resultPath: '$.sqs' }))
    .next(new SnsPublish(stack, 'Publish', { topic, message: TaskInput.fromObject(body), resultPath: '$.sns' }))
    .next(new DynamoPutItem(stack, 'Store', { table, item: { pk: DynamoAttributeValue.fromString(JsonPath.stringAt('$.orderId')) }, resultPath: '$.ddb' }))
    .next(new EventBridgePutEvents(stack, 'Announce', { entries: [{ detail: TaskInput.fromObject(body), detailType: 'OrderSeen', source: 'parity.orders' }], resultPath: '$.events' }))
    .next(new StepFunctionsStartExecution(stack, 'RunChild', { stateMachine: child, integrationPattern: IntegrationPattern.RUN_JOB, input: TaskInput.fromObject(body), resultPath: '$.child' }))
    .next(new CallAwsService(stack, 'ReadBack', {
      service: 'dynamodb', action: 'getItem', iamResources: [table.tableArn], resultPath: '$.sdkGet',
      parameters: { TableName: table.tableName, Key: { pk: { 'S.$': '$.orderId' } } },
    }))
    .next(new CallAwsService(stack, 'StoreAgain', {
      service: 'dynamodb', action: 'putItem', iamResources: [table.tableArn], resultPath: JsonPath.DISCARD,
      parameters: { TableName: table.tableName, Item: { pk: { 'S.$': '$.orderId' } }, ConditionExpression: 'attribute_not_exists(pk)' },
    }).addCatch(new Pass(stack, 'AlreadyStored'), { errors: ['DynamoDb.ConditionalCheckFailedException'], resultPath: '$.caught' }));
  const machine = new StateMachine(stack, 'Machine', { definitionBody: DefinitionBody.fromChainable(definition) });
  new CfnOutput(stack, 'MachineArn', { value: machine.stateMachineArn });
  new CfnOutput(stack, 'SentUrl', { value: sent.queueUrl });
  new CfnOutput(stack, 'PublishedUrl', { value: published.queueUrl });
  new CfnOutput(stack, 'EventsUrl', { value: events.queueUrl });
  new CfnOutput(stack, 'TableName', { value: table.tableName });
  return stack;
}

/**
 * Every intrinsic function on the inputs of AWS's documented examples (one Pass state each
 * group), plus the escaping cases: nested quotes through `States.JsonToString`, and an escaped
 * quote and braces in a `States.Format` template filled with a value holding a backslash.
 */
export function intrinsicsStack(app: App, id = 'ParityIntrinsics'): Stack {
  const stack = new Stack(app, id);
  const strings = new Pass(stack, 'Strings', {
    resultPath: '$.strings',
    parameters: {
      'format.$': "States.Format('Hello, my name is {}.', $.name)",
      'escaped.$': "States.Format('{} said \\'\\{not a placeholder\\}\\' {}', $.name, $.quoted.path)",
      'toJson.$': 'States.StringToJson($.escapedJsonString)',
      'stringified.$': 'States.JsonToString($.data)',
      'quoted.$': 'States.JsonToString($.quoted)',
      'roundTrip.$': 'States.StringToJson(States.JsonToString($.quoted))',
      'split.$': "States.StringSplit($.inputString, $.splitter)",
      'splitMany.$': "States.StringSplit('This.is+a,test=string', '.+,=')",
      'b64.$': "States.Base64Encode('Data to encode')",
      'unb64.$': "States.Base64Decode('RGF0YSB0byBlbmNvZGU=')",
      'hash.$': "States.Hash('input data', 'SHA-1')",
      'uuid.$': 'States.UUID()',
    },
  });
  const arrays = new Pass(stack, 'Arrays', {
    resultPath: '$.arrays',
    parameters: {
      'array.$': "States.Array('Foo', 2020, $.someJson, null)",
      'partition.$': 'States.ArrayPartition($.inputArray, 4)',
      'contains.$': 'States.ArrayContains($.inputArray, $.lookingFor)',
      'range.$': 'States.ArrayRange(1, 9, 2)',
      'item.$': 'States.ArrayGetItem($.inputArray, $.index)',
      'length.$': 'States.ArrayLength($.inputArray)',
      'unique.$': 'States.ArrayUnique($.duplicates)',
      'merged.$': 'States.JsonMerge($.json1, $.json2, false)',
      'sum.$': 'States.MathAdd($.value1, $.step)',
    },
  });
  const machine = new StateMachine(stack, 'Machine', { definitionBody: DefinitionBody.fromChainable(Chain.start(strings).next(arrays)) });
  new CfnOutput(stack, 'MachineArn', { value: machine.stateMachineArn });
  return stack;
}

/** Days in the long-timer fixture: every one is above Node's ~24.8-day timer limit. */
export const LONG_TIMERS = { ruleDays: 40, waitDays: 30, timeoutDays: 90, stuckWaitDays: 100 } as const;

/**
 * The "EventBridge rule → Step Functions Wait → Lambda" sample with long timers: a rule every
 * 40 days starts a machine (TimeoutSeconds 90 days) that waits 30 days, then calls a function;
 * a second machine waits 100 days and must time out at 90.
 */
export function longTimersStack(app: App, id = 'ParityLongTimers'): Stack {
  const stack = new Stack(app, id);
  const days = (n: number) => Duration.days(n);
  const reminder = fixtureFunction(stack, 'Remind', 'clock');
  const remind = new StateMachine(stack, 'Reminder', {
    timeout: days(LONG_TIMERS.timeoutDays),
    definitionBody: DefinitionBody.fromChainable(new Wait(stack, 'WaitDays', { time: WaitTime.duration(days(LONG_TIMERS.waitDays)) })
      .next(new LambdaInvoke(stack, 'SendReminder', { lambdaFunction: reminder, payloadResponseOnly: true }))),
  });
  new Rule(stack, 'Every40Days', { schedule: Schedule.rate(days(LONG_TIMERS.ruleDays)), targets: [new SfnStateMachine(remind)] });
  const stuck = new StateMachine(stack, 'Stuck', {
    timeout: days(LONG_TIMERS.timeoutDays),
    definitionBody: DefinitionBody.fromChainable(new Wait(stack, 'WaitTooLong', { time: WaitTime.duration(days(LONG_TIMERS.stuckWaitDays)) })),
  });
  new CfnOutput(stack, 'ReminderArn', { value: remind.stateMachineArn });
  new CfnOutput(stack, 'StuckArn', { value: stuck.stateMachineArn });
  return stack;
}

/**
 * The "EventBridge rule → Step Functions with Retry/Catch and an SQS failure path" sample: the
 * function rejects every order; after one retry the Catch sends the error to a failures
 * queue. Two more machines end in Fail states, one without Error and Cause, one with an Error only.
 */
export function failurePathStack(app: App, id = 'ParityFailurePath'): Stack {
  const stack = new Stack(app, id);
  const failures = new Queue(stack, 'Failures');
  const rejecter = fixtureFunction(stack, 'Rejecter', 'rejecter');
  const check = new LambdaInvoke(stack, 'CheckCredit', { lambdaFunction: rejecter, payloadResponseOnly: true })
    .addRetry({ errors: ['OrderRejected'], maxAttempts: 1, interval: Duration.seconds(1) })
    .addCatch(new SqsSendMessage(stack, 'RecordFailure', { queue: failures, messageBody: TaskInput.fromJsonPathAt('$.error') }), { resultPath: '$.error' });
  const machine = new StateMachine(stack, 'Orders', { definitionBody: DefinitionBody.fromChainable(check) });
  new Rule(stack, 'OrderPlaced', { eventPattern: { source: ['parity.shop'], detailType: ['OrderPlaced'] }, targets: [new SfnStateMachine(machine)] });
  const bare = new StateMachine(stack, 'BareFail', { definitionBody: DefinitionBody.fromChainable(new Fail(stack, 'GiveUp')) });
  const named = new StateMachine(stack, 'NamedFail', { definitionBody: DefinitionBody.fromChainable(new Fail(stack, 'Refuse', { error: 'Refused' })) });
  new CfnOutput(stack, 'FailuresUrl', { value: failures.queueUrl });
  new CfnOutput(stack, 'BareFailArn', { value: bare.stateMachineArn });
  new CfnOutput(stack, 'NamedFailArn', { value: named.stateMachineArn });
  return stack;
}

/** A function that creates a queue, a table and a rule at run time, with the grants it needs. */
export function runtimeResourcesStack(app: App, id = 'ParityRuntimeResources'): Stack {
  const stack = new Stack(app, id);
  const provisioner = fixtureFunction(stack, 'Provisioner', 'provisioner');
  provisioner.addToRolePolicy(new PolicyStatement({ actions: ['sqs:CreateQueue', 'sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:SetQueueAttributes'], resources: [stack.formatArn({ service: 'sqs', resource: 'tenant-*' })] }));
  provisioner.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:CreateTable', 'dynamodb:PutItem'], resources: [stack.formatArn({ service: 'dynamodb', resource: 'table', resourceName: 'tenant-*' })] }));
  provisioner.addToRolePolicy(new PolicyStatement({ actions: ['events:PutRule', 'events:PutTargets', 'events:PutEvents'], resources: ['*'] }));
  new CfnOutput(stack, 'ProvisionerName', { value: provisioner.functionName });
  return stack;
}

/** A function on a runtime Lambda no longer accepts, written for the AWS SDK v2. */
export function legacyStack(app: App, id = 'ParityLegacy'): Stack {
  const stack = new Stack(app, id);
  const legacy = fixtureFunction(stack, 'Legacy', 'legacy', {}, Runtime.NODEJS_14_X);
  new CfnOutput(stack, 'LegacyName', { value: legacy.functionName });
  return stack;
}

/** The provisioned table's write capacity units: its burst holds 300 seconds of them. */
export const PROVISIONED_WCU = 1;

/** SQS → Lambda → a PROVISIONED table (1 WCU), throttled writes retried, then dead-lettered. */
export function provisionedStack(app: App, id = 'ParityProvisioned'): Stack {
  const stack = new Stack(app, id);
  const dlq = new Queue(stack, 'Throttled');
  const queue = new Queue(stack, 'Ingress', { visibilityTimeout: Duration.seconds(30), deadLetterQueue: { queue: dlq, maxReceiveCount: 2 } });
  const table = new Table(stack, 'Items', {
    partitionKey: { name: 'pk', type: AttributeType.STRING }, billingMode: BillingMode.PROVISIONED,
    readCapacity: 1, writeCapacity: PROVISIONED_WCU, removalPolicy: RemovalPolicy.DESTROY,
  });
  const recorder = fixtureFunction(stack, 'Recorder', 'recorder', { TABLE: table.tableName });
  recorder.addEventSource(new SqsEventSource(queue, { batchSize: 10, reportBatchItemFailures: true }));
  table.grantWriteData(recorder);
  new CfnOutput(stack, 'IngressUrl', { value: queue.queueUrl });
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
