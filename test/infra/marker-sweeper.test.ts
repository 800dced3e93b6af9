import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Schedule } from 'aws-cdk-lib/aws-events';
import { CfnRole, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { CfnStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, test } from 'vitest';
import { Env, FlagTable, MarkerSweeperEnv as E, METRICS_NAMESPACE } from '../../functions/contract';
import { MarkerSweeper, MarkerSweeperProps } from '../../infra/marker-sweeper';
import { WORKER_ENTRY, freshStack } from '../helpers/synth';

function synth(props: Partial<MarkerSweeperProps> = {}): { stack: Stack; template: Template; ms: MarkerSweeper } {
  const { stack } = freshStack();
  const ms = new MarkerSweeper(stack, 'Rooms', { sweeperEntry: WORKER_ENTRY, ...props } as MarkerSweeperProps);
  return { stack, template: Template.fromStack(stack), ms };
}

function functionWithEnv(template: Template, name: string): Record<string, unknown> {
  const fns = template.findResources('AWS::Lambda::Function', { Properties: { Environment: { Variables: Match.objectLike({ [name]: Match.anyValue() }) } } });
  return Object.values(fns)[0]?.Properties as Record<string, unknown>;
}

const sweeperEnv = (template: Template) => (functionWithEnv(template, E.sweepBatchSize).Environment as { Variables: Record<string, unknown> }).Variables;
const markerEnv = (template: Template) => (functionWithEnv(template, E.keyPath).Environment as { Variables: Record<string, unknown> }).Variables;

describe('flag set', () => {
  test('is an on-demand, encrypted table with point-in-time recovery and a TTL safety net', () => {
    const { template } = synth();
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      BillingMode: 'PAY_PER_REQUEST',
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
      TimeToLiveSpecification: { AttributeName: FlagTable.ttlAttribute, Enabled: true },
      Replicas: [Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } })],
    });
  });

  test('finds pending flags through a sparse index keyed by shard and due time', () => {
    const { template } = synth();
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      GlobalSecondaryIndexes: [{
        IndexName: FlagTable.pendingIndex,
        KeySchema: [{ AttributeName: FlagTable.shardAttribute, KeyType: 'HASH' }, { AttributeName: FlagTable.dueAtAttribute, KeyType: 'RANGE' }],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [FlagTable.firstMarkedAtAttribute] },
      }],
    });
  });
});

describe('marker', () => {
  test('drains an encrypted ingress queue with a dead-letter queue', () => {
    const { template } = synth();
    // The ingress, its dead-letter queue, and the sweeper's dead-letter queue.
    expect(Object.keys(template.findResources('AWS::SQS::Queue', { Properties: { SqsManagedSseEnabled: true } }))).toHaveLength(3);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { BatchSize: 10, FunctionResponseTypes: ['ReportBatchItemFailures'] });
  });

  test('gets the key path, table, shards and TTL', () => {
    const { template } = synth({ keyPath: '$.room.id', flagShards: 8, flagTtl: Duration.days(2) });
    expect(markerEnv(template)).toMatchObject({ [E.keyPath]: '$.room.id', [E.flagShards]: '8', [E.flagTtlSeconds]: '172800', [E.flagTableName]: { Ref: expect.stringMatching(/RoomsFlags/) } });
  });

  test('may only update flags', () => {
    const { stack, template, ms } = synth();
    const role = stack.getLogicalId(ms.markerFunction.role?.node.defaultChild as CfnRole);
    const policies = template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: role }] } });
    const statements = Object.values(policies).flatMap((policy) => (policy.Properties as { PolicyDocument: { Statement: { Action: unknown }[] } }).PolicyDocument.Statement);
    const dynamo = statements.filter((statement) => JSON.stringify(statement.Action).includes('dynamodb'));
    expect(dynamo).toStrictEqual([{ Action: 'dynamodb:UpdateItem', Effect: 'Allow', Resource: { 'Fn::GetAtt': [expect.stringMatching(/^RoomsFlags/), 'Arn'] } }]);
  });

  test('uses a brought ingress queue and its dead-letter queue', () => {
    const { stack } = freshStack();
    const dlq = new Queue(stack, 'Dlq');
    const queue = new Queue(stack, 'Events', { deadLetterQueue: { queue: dlq, maxReceiveCount: 5 } });
    const ms = new MarkerSweeper(stack, 'Rooms', { sweeperEntry: WORKER_ENTRY, ingress: queue });
    expect(ms.ingress).toBe(queue);
    // The brought two, and the sweeper's own dead-letter queue for parked flags.
    Template.fromStack(stack).resourceCountIs('AWS::SQS::Queue', 3);
  });
});

describe('sweeper', () => {
  test('gets batch size, batches per run, a lease of twice its timeout and the retry delay', () => {
    const { template } = synth({ sweepBatchSize: 50, sweepMaxBatches: 3, sweeperTimeout: Duration.seconds(90), retryDelay: Duration.seconds(20) });
    expect(sweeperEnv(template)).toMatchObject({ [E.sweepBatchSize]: '50', [E.sweepMaxBatches]: '3', [E.leaseSeconds]: '180', [E.retryDelaySeconds]: '20', [E.flagShards]: '4' });
    expect(functionWithEnv(template, E.sweepBatchSize).Timeout).toBe(90);
  });

  test('may query only the pending index, and update and delete only table items', () => {
    const { template } = synth();
    const statements = Object.values(template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: Match.stringLikeRegexp('SweeperRole') }] } }))
      .flatMap((policy) => (policy.Properties as { PolicyDocument: { Statement: { Action: unknown; Resource: unknown }[] } }).PolicyDocument.Statement)
      .filter((statement) => JSON.stringify(statement.Action).includes('dynamodb'));
    expect(statements.map((statement) => statement.Action)).toStrictEqual(['dynamodb:Query', ['dynamodb:UpdateItem', 'dynamodb:DeleteItem']]);
    expect(JSON.stringify(statements[0]?.Resource)).toContain(`/index/${FlagTable.pendingIndex}`);
    expect(JSON.stringify(statements[1]?.Resource)).not.toContain('/index/');
  });

  test('parks flags after 5 failed claims by default in its own encrypted dead-letter queue, which it may send to', () => {
    const { stack, template, ms } = synth();
    const dlq = stack.getLogicalId(ms.sweeperDeadLetterQueue.node.defaultChild as never);
    expect(sweeperEnv(template)).toMatchObject({ [E.sweepMaxAttempts]: '5', [E.sweepDeadLetterQueueUrl]: { Ref: dlq } });
    template.hasResource('AWS::SQS::Queue', { Properties: { SqsManagedSseEnabled: true, MessageRetentionPeriod: 1_209_600 }, UpdateReplacePolicy: Match.anyValue() });
    expect(Object.keys(template.findResources('AWS::SQS::Queue', { Properties: { MessageRetentionPeriod: 1_209_600 } }))).toContain(dlq);
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('SweeperRole') }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['sqs:SendMessage']), Resource: { 'Fn::GetAtt': [dlq, 'Arn'] } })]) },
    });
  });

  test('counts the outstanding flags every 5 minutes by default, or at the given interval', () => {
    expect(sweeperEnv(synth().template)).toMatchObject({ [E.outstandingCountIntervalSeconds]: '300' });
    expect(sweeperEnv(synth({ outstandingCountInterval: Duration.seconds(0) }).template)).toMatchObject({ [E.outstandingCountIntervalSeconds]: '0' });
  });

  test('passes sweepMaxAttempts to the sweeper', () => {
    expect(sweeperEnv(synth({ sweepMaxAttempts: 12 }).template)).toMatchObject({ [E.sweepMaxAttempts]: '12' });
  });

  test('runs every minute by default', () => {
    const { template } = synth();
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('Sweeper'), 'Arn'] }, RetryPolicy: { MaximumEventAgeInSeconds: 60, MaximumRetryAttempts: 2 } })],
    });
  });

  test('runs on the given schedule', () => {
    const { template } = synth({ sweepSchedule: Schedule.rate(Duration.minutes(5)) });
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(5 minutes)' });
  });

  test('delivers flags to a delivery queue with the built-in sweeper', () => {
    const { stack } = freshStack();
    const work = new Queue(stack, 'Work');
    new MarkerSweeper(stack, 'Rooms', { deliveryQueue: work });
    const template = Template.fromStack(stack);
    expect(sweeperEnv(template)).toMatchObject({ [E.deliveryQueueUrl]: { Ref: expect.stringMatching(/^Work/) } });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('SweeperRole') }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['sqs:SendMessage']), Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('Work'), 'Arn'] } })]) },
    });
  });
});

describe('sub-minute sweeps', () => {
  test('start an Express Wait loop every minute instead of the sweeper', () => {
    const { stack, template, ms } = synth({ sweepInterval: Duration.seconds(15) });
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', { StateMachineType: 'EXPRESS', TracingConfiguration: { Enabled: true } });
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
      Targets: [Match.objectLike({ Arn: { Ref: stack.getLogicalId(ms.sweepLoop?.node.defaultChild as CfnStateMachine) } })],
    });
  });
});

describe('grants and metrics', () => {
  test('grantMark lets a principal send events to the ingress queue', () => {
    const { stack } = freshStack();
    const ms = new MarkerSweeper(stack, 'Rooms', { sweeperEntry: WORKER_ENTRY });
    const role = new Role(stack, 'Producer', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    ms.grantSend(role);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('Producer') }],
      PolicyDocument: { Statement: [Match.objectLike({ Action: Match.arrayWith(['sqs:SendMessage']) })] },
    });
  });

  test('metric methods read the runtime metrics under the service dimension', () => {
    const { ms } = synth({ serviceName: 'rooms' });
    expect(ms.metricOutstandingFlags()).toMatchObject({ namespace: METRICS_NAMESPACE, metricName: 'OutstandingFlags', dimensions: { service: 'rooms' }, statistic: 'Maximum' });
    expect(ms.metricOldestFlagAge().metricName).toBe('OldestFlagAge');
    expect(ms.metricMarksCollapsed()).toMatchObject({ metricName: 'MarksCollapsed', statistic: 'Sum' });
    expect(ms.metricFlagsSwept().metricName).toBe('FlagsSwept');
    expect(ms.metricSweepFailures().metricName).toBe('SweepFailures');
    expect(ms.metricFlagsParked()).toMatchObject({ metricName: 'FlagsParked', statistic: 'Sum' });
  });
});

test('passes the cdk-nag AwsSolutions checks, with and without the sub-minute loop', () => {
  const { app, stack } = freshStack();
  new MarkerSweeper(stack, 'Rooms', { sweeperEntry: WORKER_ENTRY });
  new MarkerSweeper(stack, 'Fast', { deliveryQueue: new Queue(stack, 'Work', { enforceSSL: true }), sweepInterval: Duration.seconds(15) });
  const report = new AwsSolutionsChecks(app).validateScope(stack);
  const findings = report.violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);
  expect(findings.filter((finding) => !finding.includes('Test/Work'))).toStrictEqual([]);
});

describe('validation', () => {
  const fails = (props: Partial<MarkerSweeperProps>, message: RegExp) => expect(() => synth(props)).toThrow(message);

  test('fails if keyPath is not a dot path', () => fails({ keyPath: 'room..id' }, /keyPath must be a dot path.*received "room..id"/));
  test('fails if flagShards is outside 1–100', () => fails({ flagShards: 101 }, /flagShards must be an integer between 1 and 100, received 101/));
  test('fails if neither sweeperEntry nor deliveryQueue is given', () => fails({ sweeperEntry: undefined }, /exactly one of sweeperEntry or deliveryQueue must be given, received neither/));
  test('fails if deliveryQueue is a FIFO queue', () => {
    const { stack } = freshStack();
    expect(() => new MarkerSweeper(stack, 'Rooms', { deliveryQueue: new Queue(stack, 'Q', { fifo: true }) }))
      .toThrow(/deliveryQueue must be a standard queue \(the runtime sends to it without a message group id\), received a FIFO queue/);
  });
  test('fails if both sweeperEntry and deliveryQueue are given', () => {
    const { stack } = freshStack();
    expect(() => new MarkerSweeper(stack, 'Rooms', { sweeperEntry: WORKER_ENTRY, deliveryQueue: new Queue(stack, 'Q') })).toThrow(/received both/);
  });
  test('fails if sweepBatchSize is outside 1–1,000', () => fails({ sweepBatchSize: 0 }, /sweepBatchSize must be an integer between 1 and 1000, received 0/));
  test('fails if outstandingCountInterval is over an hour', () => fails({ outstandingCountInterval: Duration.minutes(61) }, /outstandingCountInterval must be between 0 seconds and 1 hour, received 1 hour 1 minute/));
  test('fails if sweepMaxAttempts is outside 1–100', () => fails({ sweepMaxAttempts: 0 }, /sweepMaxAttempts must be an integer between 1 and 100, received 0/));
  test('fails if sweepMaxBatches is outside 1–100', () => fails({ sweepMaxBatches: 101 }, /sweepMaxBatches must be an integer between 1 and 100, received 101/));
  test('fails if sweeperTimeout is over 900 seconds', () => fails({ sweeperTimeout: Duration.seconds(901), leaseDuration: Duration.hours(1) }, /sweeperTimeout must be between 1 second and 900 seconds, received 15 minutes 1 second/));
  test('fails if sweeperMemorySize is below 128 MB', () => fails({ sweeperMemorySize: 64 }, /sweeperMemorySize must be an integer between 128 and 10240, received 64/));
  test('fails if sweepSchedule and sweepInterval are both given', () => fails({ sweepSchedule: Schedule.rate(Duration.minutes(2)), sweepInterval: Duration.seconds(10) }, /sweepSchedule and sweepInterval are mutually exclusive/));
  test('fails if sweepSchedule asks for seconds', () => fails({ sweepSchedule: Schedule.expression('rate(30 seconds)') }, /sweepSchedule must be at least 1 minute apart.*rate\(30 seconds\)/));
  test('fails if sweepInterval is a minute or more', () => fails({ sweepInterval: Duration.seconds(60) }, /sweepInterval must be between 1 second and 59 seconds, received 1 minute/));
  test('fails if leaseDuration is not longer than sweeperTimeout', () => fails({ sweeperTimeout: Duration.minutes(2), leaseDuration: Duration.minutes(2) }, /leaseDuration must be longer than sweeperTimeout \(2 minutes\).*received 2 minutes/));
  test('fails if leaseDuration is over 12 hours', () => fails({ leaseDuration: Duration.hours(13) }, /leaseDuration must be between 1 second and 12 hours, received 13 hours/));
  test('fails if retryDelay is over 12 hours', () => fails({ retryDelay: Duration.hours(13) }, /retryDelay must be between 0 seconds and 12 hours, received 13 hours/));
  test('fails if flagTtl is under an hour', () => fails({ flagTtl: Duration.minutes(30) }, /flagTtl must be between 1 hour and 365 days, received 30 minutes/));
  test('fails if flagTtl is not longer than leaseDuration', () => fails({ leaseDuration: Duration.hours(2), flagTtl: Duration.hours(2) }, /flagTtl must be longer than leaseDuration \(2 hours\)/));
  test('fails if ingress and ingressMaxReceiveCount are both given', () => {
    const { stack } = freshStack();
    expect(() => new MarkerSweeper(stack, 'Rooms', { sweeperEntry: WORKER_ENTRY, ingress: new Queue(stack, 'Q'), ingressMaxReceiveCount: 5 })).toThrow(/ingress and ingressMaxReceiveCount are mutually exclusive/);
  });
  test('fails if ingressDeadLetterQueue is given without ingress', () => {
    const { stack } = freshStack();
    expect(() => new MarkerSweeper(stack, 'Rooms', { sweeperEntry: WORKER_ENTRY, ingressDeadLetterQueue: new Queue(stack, 'D') })).toThrow(/ingressDeadLetterQueue is only for a brought ingress/);
  });
  test('fails if ingressMaxReceiveCount is outside 1–1,000', () => fails({ ingressMaxReceiveCount: 0 }, /ingressMaxReceiveCount must be an integer between 1 and 1000, received 0/));
  test('fails if ingressBatchSize is above 10 without a batching window', () => fails({ ingressBatchSize: 100 }, /ingressMaxBatchingWindow must be at least 1 second when ingressBatchSize is above 10, received none with ingressBatchSize 100/));
  test('fails if ingressBatchSize is above 10,000', () => fails({ ingressBatchSize: 10_001, ingressMaxBatchingWindow: Duration.seconds(5) }, /ingressBatchSize must be an integer between 1 and 10000, received 10001/));
  test('fails if ingressMaxBatchingWindow is over 300 seconds', () => fails({ ingressMaxBatchingWindow: Duration.seconds(301) }, /ingressMaxBatchingWindow must be between 0 seconds and 300 seconds/));
  test('fails if ingressMaxConcurrency is below 2', () => fails({ ingressMaxConcurrency: 1 }, /ingressMaxConcurrency must be an integer between 2 and 1000, received 1/));
  test('fails if sweeperEnvironment sets a construct variable', () => fails({ sweeperEnvironment: { [E.sweepBatchSize]: '5', [Env.serviceName]: 'x' } }, /sweeperEnvironment must not set the construct's own variables, received PP_SWEEP_BATCH_SIZE, POWERTOOLS_SERVICE_NAME/));
  test('fails if leaseDuration is not whole seconds', () => fails({ leaseDuration: Duration.millis(150_500) }, /leaseDuration must be a whole number of seconds, received 150500 milliseconds/));
  test('fails if sweepInterval is not whole seconds', () => fails({ sweepInterval: Duration.millis(7_500) }, /sweepInterval must be a whole number of seconds/));
  test('reports every violation in one error', () => {
    expect(() => synth({ flagShards: 0, sweepBatchSize: 0, keyPath: '' })).toThrow(/^MarkerSweeper at Test\/Rooms: invalid props \(3\)/);
  });
});
