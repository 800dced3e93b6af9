import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, test } from 'vitest';
import { DemoOrdersTable, DemoOutput, Env } from '../../functions/contract';
import { DemoStack } from '../../infra/stacks/demo-stack';
import { freshApp } from '../helpers/synth';

function demo(): { stack: DemoStack; template: Template } {
  const { app } = freshApp();
  const stack = new DemoStack(app, 'Demo');
  return { stack, template: Template.fromStack(stack) };
}

describe('orders table', () => {
  test('is an on-demand table keyed by order id', () => {
    const { template } = demo();
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: DemoOrdersTable.partitionKey, KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: DemoOrdersTable.partitionKey, AttributeType: 'S' }],
    });
  });

  test('is encrypted and has point-in-time recovery', () => {
    const { template } = demo();
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
      Replicas: [Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } })],
    });
  });
});

describe('orders work queue', () => {
  test('tells the worker the table name', () => {
    const { template } = demo();
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ [Env.tableName]: { Ref: Match.stringLikeRegexp('^OrdersTable') } }) },
    });
  });

  test('lets the worker batch-write to the table, and do nothing else with it', () => {
    const { template } = demo();
    const policies = template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: Match.stringLikeRegexp('^OrdersWorkerRole') }] } });
    const statements = Object.values(policies)
      .flatMap((policy) => (policy.Properties as { PolicyDocument: { Statement: { Action: unknown }[] } }).PolicyDocument.Statement)
      .filter((statement) => JSON.stringify(statement.Action).includes('dynamodb'));
    expect(statements).toStrictEqual([
      { Action: 'dynamodb:BatchWriteItem', Effect: 'Allow', Resource: { 'Fn::GetAtt': [expect.stringMatching(/^OrdersTable/), 'Arn'] } },
    ]);
  });

  test('drains 100-record batches with a 1 s window and at most 10 workers', () => {
    const { template } = demo();
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 1,
      ScalingConfig: { MaximumConcurrency: 10 },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  test('declares a load the stability check accepts', () => {
    const { stack } = demo();
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('cannot keep up|may time out'));
  });
});

test('outputs the queue URL, the dead-letter queue URL and the table name', () => {
  const { template } = demo();
  template.hasOutput(DemoOutput.ordersQueueUrl, { Value: { Ref: Match.stringLikeRegexp('^OrdersQueue(?!Dlq)') } });
  template.hasOutput(DemoOutput.ordersDeadLetterQueueUrl, { Value: { Ref: Match.stringLikeRegexp('^OrdersQueueDlq') } });
  template.hasOutput(DemoOutput.ordersTableName, { Value: { Ref: Match.stringLikeRegexp('^OrdersTable') } });
});

test('bundles the worker as an ES module with the AWS SDK left external', () => {
  // The one test that runs esbuild: the bundle is what the local runtime and Lambda load.
  const { app, outdir } = freshApp({ bundling: true });
  const stack = new DemoStack(app, 'Demo');
  const functions = Template.fromStack(stack).findResources('AWS::Lambda::Function');
  const s3Key = (Object.values(functions)[0] as { Properties: { Code: { S3Key: string } } }).Properties.Code.S3Key;
  const bundle = join(outdir, `asset.${s3Key.replace(/\.zip$/, '')}`, 'index.mjs');
  const code = readFileSync(bundle, 'utf8');
  expect(code.startsWith("import { createRequire as __ppCreateRequire } from 'node:module';")).toBe(true);
  expect(code).toMatch(/from "@aws-sdk\/lib-dynamodb"/);
  expect(code).not.toMatch(/class DynamoDBDocumentClient/);
  expect(statSync(bundle).size).toBeLessThan(1_000_000);
});
