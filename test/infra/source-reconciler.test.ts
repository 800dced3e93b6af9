import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AttributeType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Schedule } from 'aws-cdk-lib/aws-events';
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { ReconcilerSource, SourceReconciler } from '../../infra/source-reconciler';
import { WorkQueue } from '../../infra/work-queue';
import { freshStack, WORKER_ENTRY } from '../helpers/synth';

function setup() {
  const { stack } = freshStack();
  // The reconciler's output is a WorkQueue's ingress, as in the seed's work-queue manager.
  const output = new WorkQueue(stack, 'Work', { entry: WORKER_ENTRY }).ingress;
  return { stack, output };
}

describe('SourceReconciler', () => {
  it('lists an S3 prefix on a schedule, with ListBucket on the bucket, ledger writes, and send on the output', () => {
    const { stack, output } = setup();
    const bucket = new Bucket(stack, 'Uploads', { enforceSSL: true, encryption: BucketEncryption.S3_MANAGED, blockPublicAccess: BlockPublicAccess.BLOCK_ALL });
    new SourceReconciler(stack, 'Incoming', { source: ReconcilerSource.s3Prefix(bucket, 'incoming/'), output, schedule: Schedule.rate(Duration.minutes(1)) });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 minute)' });
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', { KeySchema: [{ AttributeName: 'key', KeyType: 'HASH' }], TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true } });
    template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ PP_RECONCILER_SOURCE: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('"kind":"s3","bucket":"')])] }, PP_RECONCILER_LEASE_MS: '900000', PP_RECONCILER_MAX_ITEMS: '100000' }) } });
    template.hasResourceProperties('AWS::IAM::Policy', { PolicyDocument: { Statement: Match.arrayWith([
      Match.objectLike({ Action: 's3:ListBucket', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('Uploads'), 'Arn'] } }),
      Match.objectLike({ Action: ['dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'] }),
      Match.objectLike({ Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'] }),
    ]) } });
  });

  it('queries a DynamoDB index with Query on that index only', () => {
    const { stack, output } = setup();
    const table = new TableV2(stack, 'Jobs', { partitionKey: { name: 'id', type: AttributeType.STRING }, globalSecondaryIndexes: [{ indexName: 'byStatus', partitionKey: { name: 'status', type: AttributeType.STRING } }] });
    new SourceReconciler(stack, 'Pending', { source: ReconcilerSource.dynamoQuery(table, { indexName: 'byStatus', partitionKey: 'status', partitionValue: 'pending', idAttribute: 'id' }), output });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', { PolicyDocument: { Statement: Match.arrayWith([
      Match.objectLike({ Action: 'dynamodb:Query', Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.stringLikeRegexp('Jobs'), 'Arn'] }, '/index/byStatus']] } }),
    ]) } });
  });

  it('runs a custom list function from its entry', () => {
    const { stack, output } = setup();
    const r = new SourceReconciler(stack, 'Custom', { source: ReconcilerSource.custom(WORKER_ENTRY), output, interval: Duration.seconds(20) });
    expect(r.reconcileLoop).toBeDefined();
    Template.fromStack(stack).resourceCountIs('AWS::StepFunctions::StateMachine', 1);
  });

  it('is clean under cdk-nag AwsSolutions', () => {
    const { stack, output } = setup();
    const table = new TableV2(stack, 'Jobs', { partitionKey: { name: 'id', type: AttributeType.STRING }, pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true } });
    new SourceReconciler(stack, 'Pending', { source: ReconcilerSource.dynamoQuery(table, { partitionKey: 'id', partitionValue: 'x', idAttribute: 'id' }), output });
    const report = new AwsSolutionsChecks(stack).validateScope(stack);
    expect(report.violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toStrictEqual([]);
  });

  it('fails on bad props, naming the construct path, each prop, range and value', () => {
    const { stack, output } = setup();
    expect(() => new SourceReconciler(stack, 'Bad', { source: ReconcilerSource.custom(WORKER_ENTRY), output, schedule: Schedule.rate(Duration.minutes(1)), interval: Duration.seconds(90), leaseDuration: Duration.minutes(2), timeout: Duration.minutes(5), maxItemsPerRun: 0 }))
      .toThrow(/SourceReconciler at Test\/Bad: invalid props[\s\S]*schedule and interval are mutually exclusive[\s\S]*interval must be between 1 second and 59 seconds[\s\S]*maxItemsPerRun must be an integer between 1 and 10000000, received 0[\s\S]*leaseDuration must be longer than timeout/);
  });
});
