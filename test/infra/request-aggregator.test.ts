import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, test } from 'vitest';
import { Env, RequestAggregatorEnv as E, ResultTable } from '../../functions/contract';
import { RequestAggregator, type RequestAggregatorProps } from '../../infra';
import { WORKER_ENTRY, freshStack, inlineFunction } from '../helpers/synth';

function synth(props: Partial<RequestAggregatorProps> = {}, build?: (stack: Stack) => Partial<RequestAggregatorProps>) {
  const { stack } = freshStack();
  const aggregator = new RequestAggregator(stack, 'Prices', { entry: WORKER_ENTRY, ...props, ...build?.(stack) } as RequestAggregatorProps);
  return { stack, aggregator, template: Template.fromStack(stack) };
}

const variables = (template: Template): Record<string, unknown> => {
  const fns = template.findResources('AWS::Lambda::Function', { Properties: { Environment: { Variables: Match.objectLike({ [E.resultTableName]: Match.anyValue() }) } } });
  return (Object.values(fns)[0]?.Properties as { Environment: { Variables: Record<string, unknown> } }).Environment.Variables;
};

describe('RequestAggregator resources', () => {
  test('creates an encrypted TLS-only ingress with a DLQ, batches of 100 over a 1 s window, partial batch responses', () => {
    const { template } = synth();
    template.resourceCountIs('AWS::SQS::Queue', 2);
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, RedrivePolicy: Match.objectLike({ maxReceiveCount: 3 }) });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { BatchSize: 100, MaximumBatchingWindowInSeconds: 1, FunctionResponseTypes: ['ReportBatchItemFailures'] });
  });

  test('creates a results table keyed by request id with a TTL, on demand, encrypted, with point-in-time recovery', () => {
    const { template } = synth();
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: [{ AttributeName: ResultTable.partitionKey, KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: ResultTable.ttlAttribute, Enabled: true },
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
      Replicas: [Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } })],
    });
  });

  test('tells the function its table, answer TTL, DLQ and reply queue', () => {
    const { template } = synth({ resultTtl: Duration.hours(2) }, (stack) => ({ output: new Queue(stack, 'Replies', { enforceSSL: true }) }));
    const vars = variables(template);
    expect(vars[E.resultTtlSeconds]).toBe('7200');
    expect((vars[E.resultTableName] as { Ref: string }).Ref).toMatch(/^PricesResults/);
    expect((vars[E.replyQueueUrl] as { Ref: string }).Ref).toMatch(/^Replies/);
    expect(vars[Env.deadLetterQueueUrl]).toBeDefined();
  });

  test('grants the function exactly BatchGetItem and BatchWriteItem on the table, and send on the reply queue', () => {
    const { template } = synth({}, (stack) => ({ output: new Queue(stack, 'Replies', { enforceSSL: true }) }));
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: ['dynamodb:BatchGetItem', 'dynamodb:BatchWriteItem'], Effect: 'Allow' })]) },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['sqs:SendMessage']), Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('Replies'), 'Arn'] } })]) },
    });
  });

  test('grantSend and grantReadResults give a caller send on the ingress and reads of answers only', () => {
    const { stack } = freshStack();
    const aggregator = new RequestAggregator(stack, 'Prices', { entry: WORKER_ENTRY });
    const caller = new Role(stack, 'Caller', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    aggregator.grantSend(caller);
    aggregator.grantReadResults(caller);
    const statements = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: Match.stringLikeRegexp('Caller') }] } }))
      .flatMap((policy) => (policy.Properties as { PolicyDocument: { Statement: { Action: string | string[] }[] } }).PolicyDocument.Statement.map((s) => s.Action));
    expect(statements).toStrictEqual([['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'], ['dynamodb:BatchGetItem', 'dynamodb:GetItem']]);
  });

  test('exposes the ingress, its DLQ, the function and metrics named to the contract', () => {
    const { aggregator, stack } = synth({ serviceName: 'prices' });
    expect(aggregator.ingressDeadLetterQueue).toBeDefined();
    expect(stack.resolve(aggregator.metricBackendCalls().metricName)).toBe('BackendCalls');
    expect(aggregator.metricRequestsAnswered().dimensions).toStrictEqual({ service: 'prices' });
    expect(stack.resolve(aggregator.metricDlqDepth().metricName)).toBe('ApproximateNumberOfMessagesVisible');
  });

  test('adds its environment to a brought Function of this app', () => {
    const { template } = synth({ entry: undefined }, (stack) => ({ handler: inlineFunction(stack) }));
    expect(variables(template)[E.resultTtlSeconds]).toBe(String(86_400));
  });

  test('passes cdk-nag AwsSolutions checks', () => {
    const { stack } = freshStack();
    new RequestAggregator(stack, 'Prices', { entry: WORKER_ENTRY });
    const report = new AwsSolutionsChecks(stack).validateScope(stack);
    expect(report.violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toStrictEqual([]);
  });
});

describe('RequestAggregator validation', () => {
  test('fails on every bad prop at once, naming each with its range and value', () => {
    expect(() => synth({ ingressBatchSize: 20_000, ingressMaxBatchingWindow: Duration.seconds(301), timeout: Duration.minutes(16), resultTtl: Duration.seconds(10), ingressMaxConcurrency: 1 }))
      .toThrow(/ingressBatchSize must be an integer between 1 and 10000, received 20000[\s\S]*ingressMaxBatchingWindow must be between[\s\S]*ingressMaxConcurrency must be an integer between 2 and 1000, received 1[\s\S]*timeout must be between[\s\S]*resultTtl must be between 60 seconds and 366 days, received 10 seconds/);
  });

  test('fails if both or neither of entry and handler are given', () => {
    expect(() => synth({ entry: undefined })).toThrow(/entry.*handler/);
    expect(() => synth({}, (stack) => ({ handler: inlineFunction(stack) }))).toThrow(/entry.*handler/);
    expect(() => synth({ entry: undefined, memorySize: 1024 }, (stack) => ({ handler: inlineFunction(stack) }))).toThrow(/handler and memorySize are mutually exclusive/);
  });

  test('fails if a batch above 10 has a window under 1 second', () => {
    expect(() => synth({ ingressMaxBatchingWindow: Duration.millis(500) })).toThrow(/ingressMaxBatchingWindow must be at least 1 second when ingressBatchSize is above 10, received 500 millis with ingressBatchSize 100/);
  });

  test('fails if a brought ingress comes with ingressMaxReceiveCount, or a DLQ without an ingress, or a FIFO ingress', () => {
    expect(() => synth({ ingressMaxReceiveCount: 5 }, (stack) => ({ ingress: new Queue(stack, 'In') }))).toThrow(/ingress and ingressMaxReceiveCount are mutually exclusive/);
    expect(() => synth({}, (stack) => ({ ingressDeadLetterQueue: new Queue(stack, 'Dlq') }))).toThrow(/ingressDeadLetterQueue is only for a brought ingress/);
    expect(() => synth({}, (stack) => ({ ingress: new Queue(stack, 'In', { fifo: true }) }))).toThrow(/ingress must be a standard queue/);
  });
});
