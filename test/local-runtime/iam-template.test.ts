import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Code, Function as LambdaFn, Runtime } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectRolePolicies, firstDenied, iamChecksFor, PolicyEvaluator } from '../../local-runtime/iam/index';
import { newTestApp, type TestApp } from '../helpers/synth';
import { ACCOUNT, type CfnTemplate, fakeArn, fakeRef, REGION, resolveIntrinsics } from './helpers/resolve-template';

/** A worker granted by CDK: send to Out, read Tasks (with a GSI), consume In, pass the scheduler role. */
function fixture(testApp: TestApp): CfnTemplate {
  const stack = new Stack(testApp.app, 'Iam');
  const fn = new LambdaFn(stack, 'Worker', { runtime: Runtime.NODEJS_22_X, handler: 'index.handler', code: Code.fromInline('exports.handler = async () => {}') });
  const out = new Queue(stack, 'Out');
  new Queue(stack, 'Elsewhere');
  const input = new Queue(stack, 'In');
  const table = new Table(stack, 'Tasks', { partitionKey: { name: 'pk', type: AttributeType.STRING } });
  table.addGlobalSecondaryIndex({ indexName: 'byStatus', partitionKey: { name: 'status', type: AttributeType.STRING } });
  const schedulerRole = new Role(stack, 'SchedulerRole', { assumedBy: new ServicePrincipal('scheduler.amazonaws.com') });
  out.grantSendMessages(fn);
  table.grantReadData(fn);
  fn.addEventSource(new SqsEventSource(input));
  fn.addToRolePolicy(new PolicyStatement({ actions: ['scheduler:CreateSchedule'], resources: ['*'] }));
  schedulerRole.grantPassRole(fn.grantPrincipal);
  return Template.fromStack(stack).toJSON() as CfnTemplate;
}

describe('IAM of a CDK-granted function role', () => {
  let testApp: TestApp;
  let template: CfnTemplate;
  let evaluator: PolicyEvaluator;
  let unknown: string[];
  const lookups = { region: REGION, accountId: ACCOUNT };

  beforeAll(() => {
    testApp = newTestApp();
    template = fixture(testApp);
    const resources = Object.entries(template.Resources).map(([logicalId, r]) => ({ logicalId, type: r.Type, properties: resolveIntrinsics(r.Properties ?? {}, template) as Record<string, unknown> }));
    const roleLogicalId = Object.keys(template.Resources).find((id) => id.startsWith('WorkerServiceRole') && template.Resources[id].Type === 'AWS::IAM::Role') as string;
    const collected = collectRolePolicies({ roleLogicalId, roleName: roleLogicalId, resources });
    evaluator = new PolicyEvaluator(collected.policies);
    unknown = collected.unknownManagedPolicyArns;
  });
  afterAll(() => testApp.cleanup());

  const id = (prefix: string, type: string) => Object.keys(template.Resources).find((k) => k.startsWith(prefix) && template.Resources[k].Type === type) as string;
  const queueUrl = (prefix: string) => fakeRef(id(prefix, 'AWS::SQS::Queue'), 'AWS::SQS::Queue');
  const denied = (service: Parameters<typeof iamChecksFor>[0], op: string, params: Record<string, unknown>) => firstDenied(evaluator, iamChecksFor(service, op, params, lookups));

  it('expands every managed policy the role carries', () => {
    expect(unknown).toStrictEqual([]);
    expect(evaluator.isAllowed('logs:PutLogEvents', 'arn:aws:logs:us-east-1:000000000000:log-group:/aws/lambda/x')).toBe(true);
  });

  it('allows SendMessageBatch to the granted queue and denies it to another queue', () => {
    expect(denied('sqs', 'SendMessageBatch', { QueueUrl: queueUrl('Out') })).toBeUndefined();
    expect(denied('sqs', 'SendMessageBatch', { QueueUrl: queueUrl('Elsewhere') })?.check).toStrictEqual({
      action: 'sqs:SendMessage',
      resource: fakeArn(id('Elsewhere', 'AWS::SQS::Queue'), 'AWS::SQS::Queue'),
    });
  });

  it('allows the event source mapping calls on the input queue only', () => {
    expect(denied('sqs', 'ReceiveMessage', { QueueUrl: queueUrl('In') })).toBeUndefined();
    expect(denied('sqs', 'DeleteMessageBatch', { QueueUrl: queueUrl('In') })).toBeUndefined();
    expect(denied('sqs', 'DeleteMessageBatch', { QueueUrl: queueUrl('Out') })?.check.action).toBe('sqs:DeleteMessage');
  });

  it('allows reads on the table and its index, and denies writes', () => {
    const table = id('Tasks', 'AWS::DynamoDB::Table');
    expect(denied('dynamodb', 'Query', { TableName: table, IndexName: 'byStatus' })).toBeUndefined();
    expect(denied('dynamodb', 'BatchGetItem', { RequestItems: { [table]: {} } })).toBeUndefined();
    expect(denied('dynamodb', 'PutItem', { TableName: table })?.decision.decision).toBe('ImplicitDeny');
  });

  it('allows CreateSchedule only with the role it may pass', () => {
    const role = fakeArn(id('SchedulerRole', 'AWS::IAM::Role'), 'AWS::IAM::Role');
    expect(denied('scheduler', 'CreateSchedule', { Name: 't', Target: { Arn: 'arn:aws:sqs:us-east-1:0:q', RoleArn: role } })).toBeUndefined();
    expect(denied('scheduler', 'CreateSchedule', { Name: 't', Target: { Arn: 'arn:aws:sqs:us-east-1:0:q', RoleArn: 'arn:aws:iam::000000000000:role/admin' } })?.check.action).toBe('iam:PassRole');
  });
});
