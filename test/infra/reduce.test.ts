import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { Reduce, type ReduceProps } from '../../infra/reduce';
import { freshStack, inlineFunction } from '../helpers/synth';

function synth(props: ReduceProps = { merge: 'sum' }) {
  const { stack } = freshStack();
  const reduce = new Reduce(stack, 'Totals', props);
  return { stack, reduce, template: Template.fromStack(stack) };
}

describe('Reduce', () => {
  it('creates an encrypted ingress with a DLQ, a reducer batching 100 partials a second, and an aggregate table with TTL', () => {
    const { template } = synth({ merge: 'topK:10', shards: 16 });
    template.resourceCountIs('AWS::SQS::Queue', 2);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { BatchSize: 100, MaximumBatchingWindowInSeconds: 1, FunctionResponseTypes: ['ReportBatchItemFailures'] });
    template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ PP_REDUCE_MERGE: 'topK:10', PP_REDUCE_SHARDS: '16', PP_REDUCE_TTL_SECONDS: '604800' }) } });
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: [{ AttributeName: 'reduceId', KeyType: 'HASH' }, { AttributeName: 'item', KeyType: 'RANGE' }],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
  });

  it('grants the reducer exactly its table actions, and send on the output queue', () => {
    const { stack } = freshStack();
    const output = new Queue(stack, 'Finals', { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true });
    new Reduce(stack, 'Totals', { merge: 'sum', output });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([
        Match.objectLike({ Action: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem'], Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('Aggregates'), 'Arn'] } }),
        Match.objectLike({ Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'], Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('Finals'), 'Arn'] } }),
      ]) },
    });
  });

  it('grantSend and grantReadAggregates give intent-level access; metrics use the service dimension', () => {
    const { stack } = freshStack();
    const reduce = new Reduce(stack, 'Totals', { merge: 'count' });
    const fn = inlineFunction(stack);
    reduce.grantSend(fn);
    reduce.grantReadAggregates(fn);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('InlineServiceRole') }],
      PolicyDocument: { Statement: Match.arrayWith([
        Match.objectLike({ Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'] }),
        Match.objectLike({ Action: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'] }),
      ]) },
    });
    expect(reduce.metricItemsMerged().dimensions).toStrictEqual({ service: 'Test/Totals' });
    expect(reduce.metricItemsSkipped().metricName).toBe('DuplicatePartialsSkipped');
  });

  it('is clean under cdk-nag AwsSolutions', () => {
    const { stack } = synth();
    const report = new AwsSolutionsChecks(stack).validateScope(stack);
    expect(report.violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toStrictEqual([]);
  });

  it('fails on bad props, naming the construct path, each prop, range and value', () => {
    expect(() => synth({ merge: 'median' as never, entry: 'x.ts', shards: 0, aggregateTtl: Duration.minutes(5), timeout: Duration.minutes(20) }))
      .toThrow(/Reduce at Test\/Totals: invalid props[\s\S]*exactly one of entry or merge must be given, received both[\s\S]*merge must be sum, count, histogram or topK:<k> with k 1–10000, received "median"[\s\S]*shards must be an integer between 1 and 1000, received 0[\s\S]*aggregateTtl must be between 1 hour and 365 days, received 5 minutes[\s\S]*timeout must be between 1 second and 900 seconds/);
  });

  it('fails when neither entry nor merge is given', () => {
    expect(() => synth({})).toThrow(/exactly one of entry or merge must be given, received neither/);
  });
});
