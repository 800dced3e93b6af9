import { fileURLToPath } from 'node:url';
import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, test } from 'vitest';
import { Env, METRICS_NAMESPACE, SparseTaskEnv as E, TaskTable } from '../../functions/contract';
import { SparseTask, type SparseTaskProps } from '../../infra/sparse-task';
import { freshStack, inlineFunction } from '../helpers/synth';

const SUBMITTER = fileURLToPath(new URL('../e2e/sparse-task-fixtures/submitter.ts', import.meta.url));

function synth(props: Partial<SparseTaskProps> = {}): { stack: Stack; template: Template; task: SparseTask } {
  const { stack } = freshStack();
  const task = new SparseTask(stack, 'Tasks', { submitterEntry: SUBMITTER, ...props } as SparseTaskProps);
  return { stack, template: Template.fromStack(stack), task };
}

type Statement = { Action: string | string[]; Resource: unknown; Condition?: unknown; Effect: string };

/** The logical id of the function whose Description matches. */
function functionId(template: Template, description: RegExp): string {
  const fns = template.findResources('AWS::Lambda::Function');
  const id = Object.keys(fns).find((key) => description.test(String(fns[key]?.Properties?.Description ?? '')));
  if (!id) throw new Error(`no function described ${description}`);
  return id;
}

/** Every policy statement attached to a function's role. */
function statementsOf(template: Template, fnId: string): Statement[] {
  const roleRef = (template.toJSON().Resources[fnId].Properties.Role as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0];
  const policies = template.findResources('AWS::IAM::Policy');
  return Object.values(policies)
    .filter((p) => (p.Properties.Roles as Array<{ Ref: string }>).some((r) => r.Ref === roleRef))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
}

function actionsOf(statements: Statement[]): string[] {
  return statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])).sort();
}

function envOf(template: Template, fnId: string): Record<string, unknown> {
  return template.toJSON().Resources[fnId].Properties.Environment.Variables;
}

const SUBMITTER_FN = /WorkQueue worker of Test\/Tasks\/Submissions/;
const COMPLETION_FN = /WorkQueue worker of Test\/Tasks\/Completions/;
const MONITOR_FN = /timeout monitor/;
const GAUGE_FN = /pending-task gauge/;

describe('task table', () => {
  test('is on-demand, encrypted, with point-in-time recovery and TTL on finished records', () => {
    synth().template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: TaskTable.partitionKey, KeyType: 'HASH' }],
      SSESpecification: { SSEEnabled: true },
      TimeToLiveSpecification: { AttributeName: TaskTable.ttlAttribute, Enabled: true },
      Replicas: [Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } })],
    });
  });

  test('lists pending tasks through a sparse index by shard and deadline, with the external id', () => {
    synth().template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      GlobalSecondaryIndexes: [{
        IndexName: TaskTable.pendingIndex,
        KeySchema: [{ AttributeName: TaskTable.shardAttribute, KeyType: 'HASH' }, { AttributeName: TaskTable.deadlineAttribute, KeyType: 'RANGE' }],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['externalId', 'correlationId'] },
      }],
    });
  });
});

describe('timeout schedules', () => {
  test('live in a schedule group of their own', () => {
    synth().template.resourceCountIs('AWS::Scheduler::ScheduleGroup', 1);
  });

  test('run as a role only EventBridge Scheduler may assume, for this account and this group', () => {
    const { template, task, stack } = synth();
    const role = template.toJSON().Resources[stack.getLogicalId(task.schedulerRole.node.defaultChild as never)];
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toStrictEqual([{
      Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'scheduler.amazonaws.com' },
      Condition: {
        StringEquals: { 'aws:SourceAccount': '123456789012' },
        ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, expect.stringMatching(/^:scheduler:eu-west-1:123456789012:schedule\/Test-Tasks-Schedules-[0-9A-F]+\/\*$/)]] } },
      },
    }]);
  });

  test('whose role may only invoke the monitor and send to the monitor DLQ', () => {
    const { template } = synth();
    const monitor = functionId(template, MONITOR_FN);
    const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) => /SchedulerRole/.test(JSON.stringify(p.Properties.Roles)));
    const statements = policies.flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
    expect(actionsOf(statements)).toStrictEqual(['lambda:InvokeFunction', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage']);
    expect(statements.find((s) => s.Action === 'lambda:InvokeFunction')?.Resource).toStrictEqual({ 'Fn::GetAtt': [monitor, 'Arn'] });
    expect(JSON.stringify(statements.find((s) => s.Action !== 'lambda:InvokeFunction')?.Resource)).toMatch(/TasksMonitorDlq/);
  });

  test('hand a failed monitor invocation to the monitor DLQ after two retries', () => {
    const { template } = synth();
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('TasksMonitorDlq'), 'Arn'] } } },
    });
  });
});

describe('submitter', () => {
  test('gets the table, schedule, monitor, role, timeout and finished queue settings', () => {
    const { template } = synth({ taskTimeout: Duration.hours(2), pendingIndexShards: 8, recordRetention: Duration.days(7), schedulerRetryAttempts: 3 });
    expect(envOf(template, functionId(template, SUBMITTER_FN))).toMatchObject({
      [E.taskTableName]: { Ref: expect.stringMatching(/^Tasks[0-9A-F]{8}$/) },
      [E.pendingShards]: '8',
      [E.retentionSeconds]: '604800',
      [E.defaultTimeoutSeconds]: '7200',
      [E.schedulerRetryAttempts]: '3',
      [E.scheduleGroupName]: expect.stringMatching(/^Test-Tasks-Schedules-/),
      [E.monitorFunctionArn]: { 'Fn::GetAtt': [expect.stringMatching(/TasksTimeoutMonitor/), 'Arn'] },
      [E.schedulerRoleArn]: { 'Fn::GetAtt': [expect.stringMatching(/TasksSchedulerRole/), 'Arn'] },
      [E.monitorDeadLetterQueueArn]: { 'Fn::GetAtt': [expect.stringMatching(/TasksMonitorDlq/), 'Arn'] },
      [E.finishedQueueUrl]: { Ref: expect.stringMatching(/TasksFinished/) },
    });
  });

  test('may pass the scheduler role to EventBridge Scheduler only', () => {
    const { template } = synth();
    const passRole = statementsOf(template, functionId(template, SUBMITTER_FN)).filter((s) => s.Action === 'iam:PassRole');
    expect(passRole).toStrictEqual([{
      Action: 'iam:PassRole', Effect: 'Allow', Resource: { 'Fn::GetAtt': [expect.stringMatching(/TasksSchedulerRole/), 'Arn'] },
      Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
    }]);
  });

  test('may create, read back and delete schedules of its group only, and put, read and update records', () => {
    const { template } = synth();
    const statements = statementsOf(template, functionId(template, SUBMITTER_FN));
    const scheduler = statements.find((s) => JSON.stringify(s.Action).includes('scheduler:'));
    expect(scheduler?.Action).toStrictEqual(['scheduler:CreateSchedule', 'scheduler:GetSchedule', 'scheduler:DeleteSchedule']);
    expect(JSON.stringify(scheduler?.Resource)).toMatch(/:schedule\/Test-Tasks-Schedules-[0-9A-F]+\/\*"/);
    const records = statements.find((s) => JSON.stringify(s.Action).includes('dynamodb:'));
    expect(records).toMatchObject({ Action: ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:PutItem'], Resource: { 'Fn::GetAtt': [expect.stringMatching(/^Tasks/), 'Arn'] } });
  });

  test('keeps the user variables next to its own', () => {
    const { template } = synth({ submitterEnvironment: { API_URL: 'https://jobs.example' } });
    expect(envOf(template, functionId(template, SUBMITTER_FN))).toMatchObject({ API_URL: 'https://jobs.example', [E.taskTableName]: expect.anything() });
  });

  test('as an existing Function of the app, gets the settings added', () => {
    const { stack } = freshStack();
    const fn = inlineFunction(stack);
    new SparseTask(stack, 'Tasks', { submitterHandler: fn });
    const env = Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(fn.node.defaultChild as never)].Properties.Environment.Variables;
    // Every variable the submitter reads; the bus name only with finishedBus.
    expect(Object.keys(env).filter((key) => key.startsWith('PP_TASK_')).sort()).toStrictEqual(Object.values(E).filter((key) => key !== E.finishedBusName).sort());
  });
});

describe('completion handler and monitor', () => {
  test('a brought completion queue\'s dead-letter queue receives poison completions directly', () => {
    const { stack } = freshStack();
    const dlq = new Queue(stack, 'Dlq');
    new SparseTask(stack, 'Tasks', {
      submitterEntry: SUBMITTER, completionQueue: Queue.fromQueueArn(stack, 'Imported', 'arn:aws:sqs:eu-west-1:123456789012:completions'), completionDeadLetterQueue: dlq,
    });
    const template = Template.fromStack(stack);
    expect(envOf(template, functionId(template, COMPLETION_FN))[Env.deadLetterQueueUrl]).toStrictEqual({ Ref: stack.getLogicalId(dlq.node.defaultChild as never) });
  });

  test('the completion handler may delete schedules but not create them or pass the role', () => {
    const { template } = synth();
    const actions = actionsOf(statementsOf(template, functionId(template, COMPLETION_FN)));
    expect(actions.filter((a) => a.startsWith('scheduler:') || a.startsWith('iam:'))).toStrictEqual(['scheduler:DeleteSchedule']);
    expect(actions.filter((a) => a.startsWith('dynamodb:'))).toStrictEqual(['dynamodb:GetItem', 'dynamodb:UpdateItem']);
  });

  test('the monitor touches no schedule (its own deletes itself) and only reads and updates records', () => {
    const { template } = synth();
    const actions = actionsOf(statementsOf(template, functionId(template, MONITOR_FN)));
    expect(actions.filter((a) => a.startsWith('scheduler:') || a.startsWith('iam:'))).toStrictEqual([]);
    expect(actions.filter((a) => a.startsWith('dynamodb:'))).toStrictEqual(['dynamodb:GetItem', 'dynamodb:UpdateItem']);
    expect(actions).toEqual(expect.arrayContaining(['sqs:SendMessage']));
  });

  test('drain the completion queue in batches of 10 with partial batch responses', () => {
    synth().template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 10, FunctionResponseTypes: ['ReportBatchItemFailures'], EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('TasksCompletionsQueue'), 'Arn'] },
    });
  });

  test('with completionEventPattern, a rule forwards matching events to the completion queue', () => {
    const { template } = synth({ completionEventPattern: { source: ['transcoder'], detailType: ['Job Finished'] } });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['transcoder'], 'detail-type': ['Job Finished'] },
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('TasksCompletionsQueue'), 'Arn'] } })],
    });
  });
});

describe('finished events', () => {
  test('go to a created encrypted queue with a DLQ by default, named to every function', () => {
    const { template, task, stack } = synth();
    expect(task.finishedBus).toBeUndefined();
    const queueId = stack.getLogicalId(task.finishedQueue?.node.defaultChild as never);
    expect(template.toJSON().Resources[queueId].Properties).toStrictEqual({
      SqsManagedSseEnabled: true,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [expect.stringMatching(/^TasksFinishedDlq/), 'Arn'] }, maxReceiveCount: 3 },
    });
    for (const fn of [SUBMITTER_FN, COMPLETION_FN, MONITOR_FN]) expect(envOf(template, functionId(template, fn))[E.finishedQueueUrl]).toStrictEqual({ Ref: queueId });
  });

  test('go to a bus when given one: the functions may put events on it and no finished queue is made', () => {
    const { stack } = freshStack();
    const bus = new EventBus(stack, 'Bus');
    const task = new SparseTask(stack, 'Tasks', { submitterEntry: SUBMITTER, finishedBus: bus });
    const template = Template.fromStack(stack);
    expect(task.finishedQueue).toBeUndefined();
    expect(envOf(template, functionId(template, MONITOR_FN))).toMatchObject({ [E.finishedBusName]: { Ref: expect.stringMatching(/Bus/) } });
    expect(actionsOf(statementsOf(template, functionId(template, COMPLETION_FN)))).toEqual(expect.arrayContaining(['events:PutEvents']));
    expect(() => task.grantConsumeFinished(inlineFunction(stack))).toThrow(/subscribe a rule/);
  });
});

describe('pending gauge and metrics', () => {
  test('a gauge counts pending tasks every minute, with Query only', () => {
    const { template } = synth();
    const gauge = functionId(template, GAUGE_FN);
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 minute)', Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [gauge, 'Arn'] } })] });
    const query = statementsOf(template, gauge).filter((s) => JSON.stringify(s.Action).includes('dynamodb:'));
    expect(query).toStrictEqual([{ Action: 'dynamodb:Query', Effect: 'Allow', Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^Tasks/), 'Arn'] }, `/index/${TaskTable.pendingIndex}`]] } }]);
  });

  test('pendingGauge: false builds no gauge', () => {
    const { template, task } = synth({ pendingGauge: false });
    expect(task.pendingGaugeFunction).toBeUndefined();
    expect(() => functionId(template, GAUGE_FN)).toThrow(`no function described ${GAUGE_FN}`);
  });

  test('metric methods read the runtime metrics under the construct service name', () => {
    const { task } = synth({ serviceName: 'transcodes' });
    expect(task.metricPendingTasks()).toMatchObject({ namespace: METRICS_NAMESPACE, metricName: 'PendingTasks', dimensions: { service: 'transcodes' }, statistic: 'Maximum' });
    expect(task.metricTimeouts()).toMatchObject({ metricName: 'TasksTimedOut', statistic: 'Sum' });
    expect(task.metricCompletionLatency()).toMatchObject({ metricName: 'CompletionLatency', statistic: 'p90' });
    expect(task.metricLateCompletions()).toMatchObject({ metricName: 'LateCompletions' });
  });
});

describe('grants', () => {
  test('grantReadTasks allows GetItem and Query on the table and its pending index, nothing else', () => {
    const { stack } = freshStack();
    const task = new SparseTask(stack, 'Tasks', { submitterEntry: SUBMITTER, pendingGauge: false });
    const reader = inlineFunction(stack);
    task.grantReadTasks(reader);
    const statements = statementsOf(Template.fromStack(stack), stack.getLogicalId(reader.node.defaultChild as never));
    const table = { 'Fn::GetAtt': [expect.stringMatching(/^Tasks[0-9A-F]{8}$/), 'Arn'] };
    expect(statements).toStrictEqual([{
      Action: ['dynamodb:GetItem', 'dynamodb:Query'], Effect: 'Allow',
      Resource: [table, { 'Fn::Join': ['', [table, `/index/${TaskTable.pendingIndex}`]] }],
    }]);
  });

  test('grantSubmit and grantComplete allow sending to their queues only', () => {
    const { stack } = freshStack();
    const task = new SparseTask(stack, 'Tasks', { submitterEntry: SUBMITTER });
    const caller = inlineFunction(stack);
    task.grantSend(caller);
    task.grantComplete(caller);
    const template = Template.fromStack(stack);
    const statements = statementsOf(template, stack.getLogicalId(caller.node.defaultChild as never));
    const targets = statements.filter((s) => JSON.stringify(s.Action).includes('sqs:SendMessage')).map((s) => JSON.stringify(s.Resource));
    expect(targets.map((t) => /Tasks(Submissions|Completions)Queue[0-9A-F]{8}/.exec(t)?.[1])).toStrictEqual(['Submissions', 'Completions']);
  });
});

test('passes the cdk-nag AwsSolutions checks', () => {
  const { app, stack } = freshStack();
  new SparseTask(stack, 'Tasks', { submitterEntry: SUBMITTER, completionEventPattern: { source: ['x'] } });
  const report = new AwsSolutionsChecks(app).validateScope(stack);
  expect(report.violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toStrictEqual([]);
});

test('acknowledges only the schedule-group wildcard: another wildcard on the submitter is still reported', () => {
  const { app, stack } = freshStack();
  const task = new SparseTask(stack, 'Tasks', { submitterEntry: SUBMITTER });
  task.submitterFunction.addToRolePolicy(new PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::bucket/*'] }));
  const report = new AwsSolutionsChecks(app).validateScope(stack);
  expect(report.violations.map((v) => v.ruleName)).toStrictEqual(['AwsSolutions-IAM5[Resource::arn:aws:s3:::bucket/*]']);
});

describe('validation', () => {
  const fails = (props: Partial<SparseTaskProps>, message: RegExp) => {
    const { stack } = freshStack();
    expect(() => new SparseTask(stack, 'Tasks', props as SparseTaskProps)).toThrow(message);
  };
  const entry = { submitterEntry: SUBMITTER };

  test('fails if neither submitterEntry nor submitterHandler is given', () => fails({}, /exactly one of submitterEntry or submitterHandler must be given, received neither/));
  test('fails if both submitterEntry and submitterHandler are given', () => {
    const { stack } = freshStack();
    expect(() => new SparseTask(stack, 'Tasks', { ...entry, submitterHandler: inlineFunction(stack) })).toThrow(/received both/);
  });
  test('fails if submitterEnvironment comes with an existing submitter', () => {
    const { stack } = freshStack();
    expect(() => new SparseTask(stack, 'Tasks', { submitterHandler: inlineFunction(stack), submitterEnvironment: { A: 'b' } })).toThrow(/submitterEnvironment is only for a submitter built from submitterEntry/);
  });
  test('fails if submitterEnvironment sets a construct variable', () => fails({ ...entry, submitterEnvironment: { [E.taskTableName]: 'x' } }, /must not set the construct's own variables, received PP_TASK_TABLE_NAME/));
  test('fails if submitterTimeout is over 900 seconds', () => fails({ ...entry, submitterTimeout: Duration.minutes(16) }, /submitterTimeout must be between 1 second and 900 seconds, received 16 minutes/));
  test('fails if submitterMemorySize is under 128', () => fails({ ...entry, submitterMemorySize: 64 }, /submitterMemorySize must be an integer between 128 and 10240, received 64/));
  test('fails if submitterBatchSize is over 10', () => fails({ ...entry, submitterBatchSize: 11 }, /submitterBatchSize must be an integer between 1 and 10, received 11/));
  test('fails if completionBatchSize is 0', () => fails({ ...entry, completionBatchSize: 0 }, /completionBatchSize must be an integer between 1 and 10, received 0/));
  test('fails if submitterMaxConcurrency is 1', () => fails({ ...entry, submitterMaxConcurrency: 1 }, /submitterMaxConcurrency must be an integer between 2 and 1000, received 1/));
  test('fails if completionMaxConcurrency is over 1,000', () => fails({ ...entry, completionMaxConcurrency: 1001 }, /completionMaxConcurrency must be an integer between 2 and 1000, received 1001/));
  test('fails if taskTimeout is under a minute', () => fails({ ...entry, taskTimeout: Duration.seconds(59) }, /taskTimeout must be between 60 seconds and 365 days, received 59 seconds/));
  test('fails if taskTimeout is over 365 days', () => fails({ ...entry, taskTimeout: Duration.days(366) }, /taskTimeout must be between .* received 366 days/));
  test('fails if taskTimeout is not whole seconds', () => fails({ ...entry, taskTimeout: Duration.millis(90_500) }, /taskTimeout must be a whole number of seconds/));
  test('fails if recordRetention is under an hour', () => fails({ ...entry, recordRetention: Duration.minutes(59) }, /recordRetention must be between 1 hour and .* received 59 minutes/));
  test('fails if pendingIndexShards is over 100', () => fails({ ...entry, pendingIndexShards: 101 }, /pendingIndexShards must be an integer between 1 and 100, received 101/));
  test('fails if schedulerRetryAttempts is over 185', () => fails({ ...entry, schedulerRetryAttempts: 186 }, /schedulerRetryAttempts must be an integer between 0 and 185, received 186/));
  test('fails if pendingGaugeInterval comes with pendingGauge: false', () => fails({ ...entry, pendingGauge: false, pendingGaugeInterval: Duration.minutes(5) }, /pendingGaugeInterval has no effect with pendingGauge: false/));
  test('fails if pendingGaugeInterval is over an hour', () => fails({ ...entry, pendingGaugeInterval: Duration.minutes(61) }, /pendingGaugeInterval must be between 60 seconds and 1 hour, received 1 hour 1 minute/));
  test('fails if pendingGaugeInterval is not whole minutes', () => fails({ ...entry, pendingGaugeInterval: Duration.seconds(90) }, /pendingGaugeInterval must be a whole number of minutes/));
  test('fails if finishedQueue and finishedBus are both given', () => {
    const { stack } = freshStack();
    expect(() => new SparseTask(stack, 'Tasks', { ...entry, finishedQueue: new Queue(stack, 'Q'), finishedBus: new EventBus(stack, 'B') })).toThrow(/finishedQueue and finishedBus are mutually exclusive/);
  });
  test('fails if completionEventBus comes without completionEventPattern', () => {
    const { stack } = freshStack();
    expect(() => new SparseTask(stack, 'Tasks', { ...entry, completionEventBus: new EventBus(stack, 'B') })).toThrow(/completionEventBus needs completionEventPattern/);
  });
  test('fails if completionMaxReceiveCount comes with a brought completionQueue', () => {
    const { stack } = freshStack();
    expect(() => new SparseTask(stack, 'Tasks', { ...entry, completionQueue: new Queue(stack, 'Q'), completionMaxReceiveCount: 5 })).toThrow(/completionQueue and completionMaxReceiveCount are mutually exclusive/);
  });
  test('fails if completionDeadLetterQueue comes without completionQueue', () => {
    const { stack } = freshStack();
    expect(() => new SparseTask(stack, 'Tasks', { ...entry, completionDeadLetterQueue: new Queue(stack, 'D') })).toThrow(/completionDeadLetterQueue is only for a brought completionQueue/);
  });
  test('fails if finishedQueue is FIFO (the runtime sends without a message group id)', () => {
    const { stack } = freshStack();
    expect(() => new SparseTask(stack, 'Tasks', { ...entry, finishedQueue: new Queue(stack, 'Q', { fifo: true }) })).toThrow(/finishedQueue must be a standard queue .* received a FIFO queue/);
  });
  test('fails if submitterEnvironment sets the Powertools service name the metric methods read', () => fails({ ...entry, submitterEnvironment: { POWERTOOLS_SERVICE_NAME: 'x' } }, /submitterEnvironment must not set the construct's own variables, received POWERTOOLS_SERVICE_NAME/));
  test('fails if completionMaxReceiveCount is 0', () => fails({ ...entry, completionMaxReceiveCount: 0 }, /completionMaxReceiveCount must be an integer between 1 and 1000, received 0/));
  test('reports every violation in one error', () => fails({ taskTimeout: Duration.seconds(1), pendingIndexShards: 0 }, /^SparseTask at Test\/Tasks: invalid props \(3\):[\s\S]*submitterEntry[\s\S]*taskTimeout[\s\S]*pendingIndexShards/));
});
