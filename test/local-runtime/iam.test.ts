import { describe, expect, it } from 'vitest';
import {
  collectRolePolicies,
  firstDenied,
  iamActionFor,
  iamChecksFor,
  managedPolicyDocument,
  PolicyEvaluator,
  type PolicyDocument,
} from '../../local-runtime/iam/index';

const Q = 'arn:aws:sqs:us-east-1:000000000000:orders';
const doc = (...Statement: PolicyDocument['Statement'][]): PolicyDocument => ({ Version: '2012-10-17', Statement: Statement.flat() });
const evaluator = (...documents: PolicyDocument[]) => new PolicyEvaluator(documents.map((document, i) => ({ name: `p${i}`, document })));
const lookups = { region: 'us-east-1', accountId: '000000000000' };

describe('PolicyEvaluator', () => {
  it('denies by default and allows a matching Allow', () => {
    expect(evaluator().isAllowed('sqs:SendMessage', Q)).toBe(false);
    expect(evaluator(doc({ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: Q })).isAllowed('sqs:SendMessage', Q)).toBe(true);
    expect(evaluator(doc({ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: Q })).isAllowed('sqs:DeleteMessage', Q)).toBe(false);
  });

  it('matches actions case-insensitively with * and ? wildcards', () => {
    const e = evaluator(doc({ Effect: 'Allow', Action: ['SQS:send*', 'dynamodb:?etItem'], Resource: '*' }));
    expect(e.isAllowed('sqs:SendMessage', Q)).toBe(true);
    expect(e.isAllowed('dynamodb:GetItem', 'arn:x')).toBe(true);
    expect(e.isAllowed('dynamodb:PutItem', 'arn:x')).toBe(false);
    expect(e.isAllowed('sqs:ReceiveMessage', Q)).toBe(false);
  });

  it('matches resources case-sensitively, * spanning ":" and "/", ? exactly one character', () => {
    const e = evaluator(doc({ Effect: 'Allow', Action: '*', Resource: ['arn:aws:dynamodb:*:table/Orders*', 'arn:aws:sqs:us-east-1:000000000000:q?'] }));
    expect(e.isAllowed('dynamodb:Query', 'arn:aws:dynamodb:us-east-1:000000000000:table/Orders/index/byDate')).toBe(true);
    expect(e.isAllowed('dynamodb:Query', 'arn:aws:dynamodb:us-east-1:000000000000:table/orders')).toBe(false);
    expect(e.isAllowed('sqs:SendMessage', 'arn:aws:sqs:us-east-1:000000000000:q1')).toBe(true);
    expect(e.isAllowed('sqs:SendMessage', 'arn:aws:sqs:us-east-1:000000000000:q12')).toBe(false);
  });

  it('lets an explicit Deny win over any Allow and names it', () => {
    const e = evaluator(doc({ Effect: 'Allow', Action: 'sqs:*', Resource: '*' }), doc({ Sid: 'NoPurge', Effect: 'Deny', Action: 'sqs:PurgeQueue', Resource: '*' }));
    expect(e.isAllowed('sqs:SendMessage', Q)).toBe(true);
    expect(e.evaluate('sqs:PurgeQueue', Q)).toStrictEqual({ decision: 'ExplicitDeny', policy: 'p1', sid: 'NoPurge' });
  });

  it('inverts the match for NotAction and NotResource', () => {
    const e = evaluator(doc({ Effect: 'Allow', NotAction: 'sqs:Delete*', NotResource: 'arn:aws:sqs:*:*:secret' }));
    expect(e.isAllowed('sqs:SendMessage', Q)).toBe(true);
    expect(e.isAllowed('sqs:DeleteMessage', Q)).toBe(false);
    expect(e.isAllowed('sqs:SendMessage', 'arn:aws:sqs:us-east-1:000000000000:secret')).toBe(false);
  });

  it('applies conditions, IfExists and negated operators against the context', () => {
    const e = evaluator(doc({ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: '*', Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:events:*:*:rule/*' } } }));
    expect(e.isAllowed('sqs:SendMessage', Q, { 'aws:sourcearn': 'arn:aws:events:us-east-1:0:rule/r' })).toBe(true);
    expect(e.isAllowed('sqs:SendMessage', Q, { 'aws:SourceArn': 'arn:aws:sns:us-east-1:0:t' })).toBe(false);
    expect(e.isAllowed('sqs:SendMessage', Q)).toBe(false);
    const ifExists = evaluator(doc({ Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringEqualsIfExists: { 'x:tag': 'a' }, StringNotEquals: { 'x:env': 'prod' } } }));
    expect(ifExists.isAllowed('s:A', 'r')).toBe(true);
    expect(ifExists.isAllowed('s:A', 'r', { 'x:env': 'prod' })).toBe(false);
  });

  it('never grants through an unsupported condition operator, but still denies through one', () => {
    const odd = { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } };
    expect(evaluator(doc({ Effect: 'Allow', Action: '*', Resource: '*', Condition: odd })).isAllowed('s:A', 'r')).toBe(false);
    const e = evaluator(doc({ Effect: 'Allow', Action: '*', Resource: '*' }), doc({ Effect: 'Deny', Action: '*', Resource: '*', Condition: odd }));
    expect(e.isAllowed('s:A', 'r')).toBe(false);
  });
});

describe('managed policies and role collection', () => {
  it('expands AWS managed Lambda policies from any partition and path', () => {
    const sqs = new PolicyEvaluator([{ name: 'm', document: managedPolicyDocument('arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole')! }]);
    expect(sqs.isAllowed('sqs:ReceiveMessage', Q)).toBe(true);
    expect(sqs.isAllowed('sqs:SendMessage', Q)).toBe(false);
    const basic = managedPolicyDocument('arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole');
    expect(basic).toBeDefined();
    expect(managedPolicyDocument('arn:aws-cn:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole')).toStrictEqual(basic);
    expect(managedPolicyDocument('arn:aws:iam::aws:policy/AdministratorAccess')).toBeUndefined();
  });

  it('collects inline, managed and attached AWS::IAM::Policy documents, and reports unknown managed ones', () => {
    const allowSend = doc({ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: Q });
    const { policies, unknownManagedPolicyArns } = collectRolePolicies({
      roleLogicalId: 'FnRole',
      roleName: 'fn-role',
      resources: [
        { logicalId: 'FnRole', type: 'AWS::IAM::Role', properties: { Policies: [{ PolicyName: 'inline', PolicyDocument: doc({ Effect: 'Deny', Action: 'sqs:PurgeQueue', Resource: '*' }) }], ManagedPolicyArns: ['arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole', 'arn:aws:iam::aws:policy/Mystery'] } },
        { logicalId: 'FnPolicy', type: 'AWS::IAM::Policy', properties: { Roles: ['fn-role'], PolicyDocument: allowSend } },
        { logicalId: 'OtherPolicy', type: 'AWS::IAM::Policy', properties: { Roles: ['other-role'], PolicyDocument: doc({ Effect: 'Allow', Action: '*', Resource: '*' }) } },
      ],
    });
    expect(policies.map((p) => p.name)).toStrictEqual(['FnRole/inline', 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole', 'FnPolicy']);
    expect(unknownManagedPolicyArns).toStrictEqual(['arn:aws:iam::aws:policy/Mystery']);
  });
});

describe('request checks', () => {
  it('names the IAM action of batch operations after the single one', () => {
    expect(iamActionFor('sqs', 'SendMessageBatch')).toBe('sqs:SendMessage');
    expect(iamActionFor('sqs', 'DeleteMessageBatch')).toBe('sqs:DeleteMessage');
    expect(iamActionFor('sqs', 'ChangeMessageVisibilityBatch')).toBe('sqs:ChangeMessageVisibility');
    expect(iamActionFor('lambda', 'Invoke')).toBe('lambda:InvokeFunction');
    expect(iamActionFor('dynamodb', 'BatchWriteItem')).toBe('dynamodb:BatchWriteItem');
  });

  it('maps an SQS queue URL to its ARN via the lookup, or from the URL path', () => {
    const url = 'http://sqs.us-east-1.localhost:4566/000000000000/orders';
    expect(iamChecksFor('sqs', 'SendMessageBatch', { QueueUrl: url }, lookups)).toStrictEqual([{ action: 'sqs:SendMessage', resource: Q }]);
    const viaLookup = iamChecksFor('sqs', 'ReceiveMessage', { QueueUrl: url }, { ...lookups, queueArnForUrl: () => 'arn:aws:sqs:us-east-1:1:mapped' });
    expect(viaLookup[0].resource).toBe('arn:aws:sqs:us-east-1:1:mapped');
  });

  it('maps DynamoDB requests to every table and index they touch', () => {
    const table = 'arn:aws:dynamodb:us-east-1:000000000000:table/Tasks';
    expect(iamChecksFor('dynamodb', 'Query', { TableName: 'Tasks', IndexName: 'byStatus' }, lookups)).toStrictEqual([{ action: 'dynamodb:Query', resource: `${table}/index/byStatus` }]);
    expect(iamChecksFor('dynamodb', 'BatchWriteItem', { RequestItems: { Tasks: [], Flags: [] } }, lookups).map((c) => c.resource)).toStrictEqual([
      table,
      'arn:aws:dynamodb:us-east-1:000000000000:table/Flags',
    ]);
    expect(iamChecksFor('dynamodb', 'TransactWriteItems', { TransactItems: [{ Put: { TableName: 'Tasks' } }, { ConditionCheck: { TableName: 'Flags' } }] }, lookups)).toStrictEqual([
      { action: 'dynamodb:PutItem', resource: table },
      { action: 'dynamodb:ConditionCheckItem', resource: 'arn:aws:dynamodb:us-east-1:000000000000:table/Flags' },
    ]);
  });

  it('maps Scheduler CreateSchedule to the schedule ARN plus iam:PassRole on the target role', () => {
    const checks = iamChecksFor('scheduler', 'CreateSchedule', { Name: 't1', GroupName: 'timeouts', Target: { Arn: Q, RoleArn: 'arn:aws:iam::000000000000:role/sched' } }, lookups);
    expect(checks).toStrictEqual([
      { action: 'scheduler:CreateSchedule', resource: 'arn:aws:scheduler:us-east-1:000000000000:schedule/timeouts/t1' },
      { action: 'iam:PassRole', resource: 'arn:aws:iam::000000000000:role/sched', context: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
    ]);
  });

  it('allows a PassRole conditioned on iam:PassedToService only for the service it names', () => {
    const passRoleTo = (service: string) =>
      evaluator(
        doc({ Effect: 'Allow', Action: 'scheduler:CreateSchedule', Resource: '*' }),
        doc({ Effect: 'Allow', Action: 'iam:PassRole', Resource: '*', Condition: { StringEquals: { 'iam:PassedToService': service } } }),
      );
    const checks = iamChecksFor('scheduler', 'CreateSchedule', { Name: 't', Target: { Arn: Q, RoleArn: 'arn:aws:iam::000000000000:role/sched' } }, lookups);
    expect(firstDenied(passRoleTo('scheduler.amazonaws.com'), checks)).toBeUndefined();
    expect(firstDenied(passRoleTo('events.amazonaws.com'), checks)?.check.action).toBe('iam:PassRole');
  });

  it('maps Step Functions and EventBridge requests to their ARNs', () => {
    const sm = 'arn:aws:states:us-east-1:000000000000:stateMachine:fan';
    expect(iamChecksFor('states', 'StartExecution', { stateMachineArn: sm }, lookups)).toStrictEqual([{ action: 'states:StartExecution', resource: sm }]);
    const execution = 'arn:aws:states:us-east-1:000000000000:execution:fan:e1';
    expect(iamChecksFor('states', 'DescribeExecution', { executionArn: execution }, lookups)[0].resource).toBe(execution);
    const put = iamChecksFor('events', 'PutEvents', { Entries: [{}, { EventBusName: 'orders' }, { EventBusName: 'default' }] }, lookups);
    expect(put.map((c) => c.resource)).toStrictEqual(['arn:aws:events:us-east-1:000000000000:event-bus/default', 'arn:aws:events:us-east-1:000000000000:event-bus/orders']);
  });

  it('reports the first denied check with the AWS wording', () => {
    const e = evaluator(doc({ Effect: 'Allow', Action: 'scheduler:CreateSchedule', Resource: '*' }));
    const checks = iamChecksFor('scheduler', 'CreateSchedule', { Name: 't', Target: { Arn: Q, RoleArn: 'arn:aws:iam::000000000000:role/sched' } }, lookups);
    const denied = firstDenied(e, checks, 'arn:aws:sts::000000000000:assumed-role/fn-role/fn');
    expect(denied?.check).toStrictEqual({ action: 'iam:PassRole', resource: 'arn:aws:iam::000000000000:role/sched', context: { 'iam:PassedToService': 'scheduler.amazonaws.com' } });
    expect(denied?.message).toBe(
      'User: arn:aws:sts::000000000000:assumed-role/fn-role/fn is not authorized to perform: iam:PassRole on resource: arn:aws:iam::000000000000:role/sched because no identity-based policy allows the iam:PassRole action',
    );
  });
});
