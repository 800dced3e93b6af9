import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AccountRootPrincipal, Role } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, test } from 'vitest';
import { METRIC_SERVICE_DIMENSION, METRICS_NAMESPACE } from '../../functions/contract';
import { WorkQueue } from '../../infra/work-queue';
import { freshStack, inlineFunction } from '../helpers/synth';

function setup(): { stack: Stack; wq: WorkQueue; role: Role } {
  const { stack } = freshStack();
  const wq = new WorkQueue(stack, 'Orders', { handler: inlineFunction(stack) });
  const role = new Role(stack, 'Client', { assumedBy: new AccountRootPrincipal() });
  return { stack, wq, role };
}

function policyOf(template: Template, roleIdPattern: string): unknown[] {
  const policies = template.findResources('AWS::IAM::Policy', {
    Properties: { Roles: [{ Ref: Match.stringLikeRegexp(roleIdPattern) }] },
  });
  return Object.values(policies).flatMap((p) => (p as { Properties: { PolicyDocument: { Statement: unknown[] } } }).Properties.PolicyDocument.Statement);
}

describe('grants', () => {
  test('grantSend allows SendMessage on the queue only', () => {
    const { stack, wq, role } = setup();
    wq.grantSend(role);
    const statements = policyOf(Template.fromStack(stack), '^Client');
    expect(statements).toStrictEqual([
      {
        Effect: 'Allow',
        Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^OrdersQueue(?!Dlq)/), 'Arn'] },
      },
    ]);
  });

  test('grantConsume allows receiving and deleting from the queue', () => {
    const { stack, wq, role } = setup();
    wq.grantConsume(role);
    const statements = policyOf(Template.fromStack(stack), '^Client');
    expect(statements).toStrictEqual([
      expect.objectContaining({
        Action: expect.arrayContaining(['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility']),
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^OrdersQueue(?!Dlq)/), 'Arn'] },
      }),
    ]);
  });

  test('grantSend includes the KMS actions of a brought KMS-encrypted queue', () => {
    const { stack } = freshStack();
    const key = new Key(stack, 'Key');
    const dlq = new Queue(stack, 'Dlq', { encryption: QueueEncryption.KMS, encryptionMasterKey: key });
    const queue = new Queue(stack, 'Mine', { encryption: QueueEncryption.KMS, encryptionMasterKey: key, deadLetterQueue: { queue: dlq, maxReceiveCount: 3 } });
    const wq = new WorkQueue(stack, 'Orders', { handler: inlineFunction(stack), ingress: queue });
    const role = new Role(stack, 'Client', { assumedBy: new AccountRootPrincipal() });
    wq.grantSend(role);
    const statements = policyOf(Template.fromStack(stack), '^Client');
    expect(statements).toContainEqual(expect.objectContaining({
      Action: expect.arrayContaining(['kms:Encrypt', 'kms:GenerateDataKey*']),
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^Key/), 'Arn'] },
    }));
  });

  test('the worker may consume the queue and send to the dead-letter queue, nothing more on SQS', () => {
    const { stack } = setup();
    const statements = policyOf(Template.fromStack(stack), '^InlineServiceRole') as { Action: string | string[]; Resource: unknown }[];
    const sqs = statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('sqs:')));
    expect(sqs).toStrictEqual([
      expect.objectContaining({
        Action: expect.arrayContaining(['sqs:ReceiveMessage', 'sqs:DeleteMessage']),
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^OrdersQueue(?!Dlq)/), 'Arn'] },
      }),
      expect.objectContaining({
        Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^OrdersQueueDlq/), 'Arn'] },
      }),
    ]);
  });
});

describe('metrics', () => {
  test('metricBacklog reads ApproximateNumberOfMessagesVisible of the queue', () => {
    const { stack, wq } = setup();
    const m = wq.metricBacklog();
    expect({ ns: m.namespace, name: m.metricName, stat: m.statistic }).toStrictEqual({ ns: 'AWS/SQS', name: 'ApproximateNumberOfMessagesVisible', stat: 'Maximum' });
    expect(stack.resolve(m.dimensions?.QueueName)).toStrictEqual({ 'Fn::GetAtt': [expect.stringMatching(/^OrdersQueue(?!Dlq)/), 'QueueName'] });
  });

  test('metricOldestMessageAge reads ApproximateAgeOfOldestMessage of the queue', () => {
    const { wq } = setup();
    expect(wq.metricOldestMessageAge().metricName).toBe('ApproximateAgeOfOldestMessage');
  });

  test('metricDlqDepth reads the dead-letter queue', () => {
    const { stack, wq } = setup();
    const m = wq.metricDlqDepth();
    expect(m.metricName).toBe('ApproximateNumberOfMessagesVisible');
    expect(stack.resolve(m.dimensions?.QueueName)).toStrictEqual({ 'Fn::GetAtt': [expect.stringMatching(/^OrdersQueueDlq/), 'QueueName'] });
  });

  test('fails if metricDlqDepth is asked of a brought queue without a dead-letter queue', () => {
    const { stack } = freshStack();
    const queue = Queue.fromQueueArn(stack, 'Mine', 'arn:aws:sqs:eu-west-1:123456789012:mine');
    const wq = new WorkQueue(stack, 'Orders', { handler: inlineFunction(stack), ingress: queue });
    expect(() => wq.metricDlqDepth()).toThrow(/metricDlqDepth needs a dead-letter queue/);
  });

  test('metricItemsFailed reads the runtime metric under the worker service dimension', () => {
    const { wq } = setup();
    const m = wq.metricItemsFailed();
    expect({ ns: m.namespace, name: m.metricName, stat: m.statistic, dims: m.dimensions }).toStrictEqual({
      ns: METRICS_NAMESPACE,
      name: 'ItemsFailed',
      stat: 'Sum',
      dims: { [METRIC_SERVICE_DIMENSION]: 'Test/Orders' },
    });
  });

  test('metricItemsProcessed reads the runtime ItemsProcessed metric', () => {
    const { wq } = setup();
    const m = wq.metricItemsProcessed();
    expect({ ns: m.namespace, name: m.metricName, stat: m.statistic }).toStrictEqual({ ns: METRICS_NAMESPACE, name: 'ItemsProcessed', stat: 'Sum' });
  });

  test('metricItemsFailed follows a custom serviceName', () => {
    const { stack } = freshStack();
    const wq = new WorkQueue(stack, 'Orders', { handler: inlineFunction(stack), serviceName: 'orders' });
    expect(wq.metricItemsFailed().dimensions).toStrictEqual({ [METRIC_SERVICE_DIMENSION]: 'orders' });
  });
});
