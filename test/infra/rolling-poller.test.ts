import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { EventBus, Schedule } from 'aws-cdk-lib/aws-events';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { CfnStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, test } from 'vitest';
import { Env, METRICS_NAMESPACE, RollingPollerEnv as E, WatchTable } from '../../functions/contract';
import { RollingPoller, RollingPollerProps } from '../../infra/rolling-poller';
import { WORKER_ENTRY, freshStack } from '../helpers/synth';

function synth(props: Partial<RollingPollerProps> = {}): { stack: Stack; template: Template; rp: RollingPoller } {
  const { stack } = freshStack();
  const rp = new RollingPoller(stack, 'Jobs', { pollerEntry: WORKER_ENTRY, ...props });
  return { stack, template: Template.fromStack(stack), rp };
}

function envOf(template: Template, name: string): Record<string, unknown> {
  const fns = template.findResources('AWS::Lambda::Function', { Properties: { Environment: { Variables: Match.objectLike({ [name]: Match.anyValue() }) } } });
  return (Object.values(fns)[0]?.Properties as { Environment: { Variables: Record<string, unknown> } }).Environment.Variables;
}

const policyActions = (template: Template, role: string): unknown[] =>
  Object.values(template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: Match.stringLikeRegexp(role) }] } }))
    .flatMap((policy) => (policy.Properties as { PolicyDocument: { Statement: { Action: unknown }[] } }).PolicyDocument.Statement.map((statement) => statement.Action));

describe('watch table', () => {
  test('is an on-demand, encrypted table keyed by item id', () => {
    const { template } = synth();
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: WatchTable.partitionKey, KeyType: 'HASH' }],
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
      Replicas: [Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } })],
    });
  });
});

describe('poller', () => {
  test('gets the window, call budget, lease, attempts, back-off and completion queue', () => {
    const { template } = synth({ windowSize: 50, maxCallsPerTick: 4, pollerTimeout: Duration.seconds(120), maxAttempts: 5, backoffBase: Duration.seconds(30), backoffMax: Duration.minutes(10) });
    expect(envOf(template, E.windowSize)).toMatchObject({
      [E.windowSize]: '50', [E.maxCallsPerTick]: '4', [E.leaseSeconds]: '150', [E.maxAttempts]: '5',
      [E.backoffBaseSeconds]: '30', [E.backoffMaxSeconds]: '600', [E.completionQueueUrl]: { Ref: expect.stringMatching(/JobsCompletions/) },
    });
  });

  test('may scan the table, update and delete items, and send completions', () => {
    const { template } = synth();
    const actions = policyActions(template, 'PollerRole');
    expect(actions).toContainEqual(['dynamodb:Scan', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem']);
    expect(actions).toContainEqual(expect.arrayContaining(['sqs:SendMessage']));
  });

  test('puts completions on an event bus instead of a queue', () => {
    const { stack } = freshStack();
    const bus = new EventBus(stack, 'Bus');
    const rp = new RollingPoller(stack, 'Jobs', { pollerEntry: WORKER_ENTRY, completionEventBus: bus });
    const template = Template.fromStack(stack);
    expect(envOf(template, E.windowSize)).toMatchObject({ [E.completionBusName]: { Ref: expect.stringMatching(/^Bus/) } });
    expect(envOf(template, E.windowSize)[E.completionQueueUrl]).toBeUndefined();
    expect(policyActions(template, 'PollerRole')).toContainEqual('events:PutEvents');
    expect(rp.completionQueue).toBeUndefined();
  });

  test('ticks every minute by default, and on the given schedule otherwise', () => {
    synth().template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 minute)' });
    synth({ pollSchedule: Schedule.rate(Duration.minutes(10)) }).template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(10 minutes)' });
  });

  test('ticks below a minute through an Express Wait loop', () => {
    const { stack, template, rp } = synth({ pollInterval: Duration.seconds(20) });
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', { StateMachineType: 'EXPRESS' });
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
      Targets: [Match.objectLike({ Arn: { Ref: stack.getLogicalId(rp.pollLoop?.node.defaultChild as CfnStateMachine) } })],
    });
  });
});

describe('ingress', () => {
  test('drains an encrypted command queue into the watch table with put and delete only', () => {
    const { stack, template, rp } = synth();
    const ingress = template.toJSON().Resources[stack.getLogicalId(rp.watchFunction.node.defaultChild as CfnFunction)];
    expect(ingress.Properties.Environment.Variables[E.watchTableName]).toStrictEqual({ Ref: expect.stringMatching(/^JobsWatch/) });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { FunctionResponseTypes: ['ReportBatchItemFailures'] });
    expect(policyActions(template, 'IngressWorkerRole')).toContainEqual(['dynamodb:PutItem', 'dynamodb:DeleteItem']);
  });

  test('creates the ingress, completion and dead-letter queues, all encrypted', () => {
    const { template } = synth();
    expect(Object.keys(template.findResources('AWS::SQS::Queue', { Properties: { SqsManagedSseEnabled: true } }))).toHaveLength(4);
  });
});

describe('grants and metrics', () => {
  test('grantWatch lets a principal send commands, grantWatchTable lets it write items', () => {
    const { stack } = freshStack();
    const rp = new RollingPoller(stack, 'Jobs', { pollerEntry: WORKER_ENTRY });
    const role = new Role(stack, 'Submitter', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    rp.grantSend(role);
    rp.grantWatchTable(role);
    const actions = policyActions(Template.fromStack(stack), 'Submitter');
    expect(actions).toContainEqual(expect.arrayContaining(['sqs:SendMessage']));
    expect(actions).toContainEqual(['dynamodb:PutItem', 'dynamodb:DeleteItem']);
  });

  test('metric methods read the runtime metrics under the service dimension', () => {
    const { rp } = synth({ serviceName: 'jobs' });
    expect(rp.metricActiveItems()).toMatchObject({ namespace: METRICS_NAMESPACE, metricName: 'ActiveItems', dimensions: { service: 'jobs' }, statistic: 'Maximum' });
    expect(rp.metricPollsPerTick()).toMatchObject({ metricName: 'PollsPerTick', statistic: 'Average' });
    expect(rp.metricCompletionLag().metricName).toBe('CompletionLag');
    expect(rp.metricItemsCompleted().metricName).toBe('ItemsCompleted');
    expect(rp.metricStatusCheckErrors().metricName).toBe('StatusCheckErrors');
  });
});

test('passes the cdk-nag AwsSolutions checks, with a queue or a bus and with the sub-minute loop', () => {
  const { app, stack } = freshStack();
  new RollingPoller(stack, 'Jobs', { pollerEntry: WORKER_ENTRY });
  new RollingPoller(stack, 'Fast', { pollerEntry: WORKER_ENTRY, completionEventBus: new EventBus(stack, 'Bus'), pollInterval: Duration.seconds(10) });
  const report = new AwsSolutionsChecks(app).validateScope(stack);
  expect(report.violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toStrictEqual([]);
});

describe('validation', () => {
  const fails = (props: Partial<RollingPollerProps>, message: RegExp) => expect(() => synth(props)).toThrow(message);

  test('fails if pollerEntry is empty', () => fails({ pollerEntry: '' }, /pollerEntry must be the path of a handler file/));
  test('fails if windowSize is outside 1–1,000', () => fails({ windowSize: 1001 }, /windowSize must be an integer between 1 and 1000, received 1001/));
  test('fails if maxCallsPerTick is outside 1–1,000', () => fails({ maxCallsPerTick: 0 }, /maxCallsPerTick must be an integer between 1 and 1000, received 0/));
  test('fails if pollSchedule and pollInterval are both given', () => fails({ pollSchedule: Schedule.rate(Duration.minutes(2)), pollInterval: Duration.seconds(5) }, /pollSchedule and pollInterval are mutually exclusive/));
  test('fails if pollSchedule asks for seconds', () => fails({ pollSchedule: Schedule.expression('rate(10 seconds)') }, /pollSchedule must be at least 1 minute apart/));
  test('fails if pollInterval is under a second', () => fails({ pollInterval: Duration.millis(500) }, /pollInterval must be between 1 second and 59 seconds/));
  test('fails if pollerTimeout is over 900 seconds', () => fails({ pollerTimeout: Duration.minutes(16) }, /pollerTimeout must be between 1 second and 900 seconds, received 16 minutes/));
  test('fails if pollerMemorySize is above 10,240 MB', () => fails({ pollerMemorySize: 20_000 }, /pollerMemorySize must be an integer between 128 and 10240, received 20000/));
  test('fails if maxAttempts is outside 1–100', () => fails({ maxAttempts: 0 }, /maxAttempts must be an integer between 1 and 100, received 0/));
  test('fails if backoffBase is over a day', () => fails({ backoffBase: Duration.days(2), backoffMax: Duration.days(2) }, /backoffBase must be between 1 second and 1 day/));
  test('fails if backoffMax is below backoffBase', () => fails({ backoffBase: Duration.minutes(5), backoffMax: Duration.minutes(1) }, /backoffMax must be at least backoffBase \(5 minutes\), received 1 minute/));
  test('fails if completionQueue and completionEventBus are both given', () => {
    const { stack } = freshStack();
    expect(() => new RollingPoller(stack, 'Jobs', { pollerEntry: WORKER_ENTRY, completionQueue: new Queue(stack, 'Q'), completionEventBus: new EventBus(stack, 'B') }))
      .toThrow(/completionQueue and completionEventBus are mutually exclusive/);
  });
  test('fails if completionQueue is a FIFO queue', () => {
    const { stack } = freshStack();
    expect(() => new RollingPoller(stack, 'Jobs', { pollerEntry: WORKER_ENTRY, completionQueue: new Queue(stack, 'Q', { fifo: true }) }))
      .toThrow(/completionQueue must be a standard queue .*received a FIFO queue/);
  });
  test('fails if ingressBatchSize is above 10 on a FIFO ingress queue', () => {
    const { stack } = freshStack();
    expect(() => new RollingPoller(stack, 'Jobs', { pollerEntry: WORKER_ENTRY, ingress: new Queue(stack, 'Q', { fifo: true }), ingressBatchSize: 20, ingressMaxBatchingWindow: Duration.seconds(1) }))
      .toThrow(/ingressBatchSize must be an integer between 1 and 10, received 20/);
  });
  test('fails if pollerEnvironment sets a construct variable', () => fails({ pollerEnvironment: { [E.windowSize]: '5', [Env.metricsNamespace]: 'x' } }, /pollerEnvironment must not set the construct's own variables, received PP_POLL_WINDOW_SIZE, POWERTOOLS_METRICS_NAMESPACE/));
  test('fails if backoffBase is not whole seconds', () => fails({ backoffBase: Duration.millis(1_500) }, /backoffBase must be a whole number of seconds, received 1500 milliseconds/));
  test('fails if ingressMaxConcurrency is above 1,000', () => fails({ ingressMaxConcurrency: 1001 }, /ingressMaxConcurrency must be an integer between 2 and 1000, received 1001/));
});
