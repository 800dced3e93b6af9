import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CfnElement } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, test } from 'vitest';
import { DEMO_OUTPUT_LIST_SEPARATOR, DemoOrdersTable, DemoOutput, Env, RoutingEnv, type RouterConfig } from '../../functions/contract';
import { DemoStack } from '../../infra/stacks/demo-stack';
import type { WorkQueue } from '../../infra/work-queue';
import { freshApp } from '../helpers/synth';

type Resource = { Properties: Record<string, unknown> };

function demo(): { stack: DemoStack; template: Template } {
  const { app } = freshApp();
  const stack = new DemoStack(app, 'Demo');
  return { stack, template: Template.fromStack(stack) };
}

const logicalId = (stack: DemoStack, construct: IFunction | IQueue) => stack.getLogicalId(construct.node.defaultChild as CfnElement);
const arnOf = (stack: DemoStack, queue: IQueue) => ({ 'Fn::GetAtt': [logicalId(stack, queue), 'Arn'] });
const refOf = (stack: DemoStack, construct: IFunction | IQueue) => ({ Ref: logicalId(stack, construct) });

/** The properties of the event source mapping reading `queue`. */
function mappingOf(stack: DemoStack, template: Template, queue: IQueue): Record<string, unknown> {
  const found = Object.values(template.findResources('AWS::Lambda::EventSourceMapping', { Properties: { EventSourceArn: arnOf(stack, queue) } }));
  expect(found).toHaveLength(1);
  return (found[0] as Resource).Properties;
}

/** The environment variables of `fn`. */
function environmentOf(stack: DemoStack, template: Template, fn: IFunction): Record<string, unknown> {
  const resource = template.toJSON().Resources[logicalId(stack, fn)] as { Properties: { Environment: { Variables: Record<string, unknown> } } };
  return resource.Properties.Environment.Variables;
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

  test('is written only by the express worker and the Store stage, each with BatchWriteItem alone', () => {
    const { template } = demo();
    const dynamoByRole = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((policy) => {
      const { Roles, PolicyDocument } = (policy as { Properties: { Roles: { Ref: string }[]; PolicyDocument: { Statement: { Action: unknown; Resource: unknown }[] } } }).Properties;
      return PolicyDocument.Statement.filter((s) => JSON.stringify(s.Action).includes('dynamodb')).map((s) => ({ role: Roles[0]!.Ref, action: s.Action, resource: s.Resource }));
    });
    const table = { 'Fn::GetAtt': [expect.stringMatching(/^OrdersTable/), 'Arn'] };
    expect(dynamoByRole).toStrictEqual([
      { role: expect.stringMatching(/^ExpressWorkerRole/), action: 'dynamodb:BatchWriteItem', resource: table },
      { role: expect.stringMatching(/^StandardStoreWorkerRole/), action: 'dynamodb:BatchWriteItem', resource: table },
    ]);
  });
});

describe('ingress and splitter', () => {
  test('routes by shipping: express to the express worker, standard and anything unmatched to the Validate stage', () => {
    const { stack, template } = demo();
    const env = environmentOf(stack, template, stack.byShipping.routerFunction);
    const config: RouterConfig = { kind: 'split', outputs: 2, field: 'shipping', routes: { express: 0, standard: 1 }, defaultOutput: 1 };
    expect(JSON.parse(env[RoutingEnv.routerConfig] as string)).toStrictEqual(config);
    expect([env[`${RoutingEnv.outputUrlPrefix}0`], env[`${RoutingEnv.outputUrlPrefix}1`]]).toStrictEqual([
      refOf(stack, stack.express.ingress), refOf(stack, (stack.standard.stages[0] as WorkQueue).ingress),
    ]);
  });

  test('lets only order events invoke the router: the ingress mapping filters on the body type', () => {
    const { stack, template } = demo();
    expect(mappingOf(stack, template, stack.ingress)).toMatchObject({
      FunctionName: refOf(stack, stack.byShipping.routerFunction),
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ body: { type: ['order'] } }) }] },
    });
  });

  test('routes 100-record batches with a 1 s window and at most 10 routers', () => {
    const { stack, template } = demo();
    expect(mappingOf(stack, template, stack.ingress)).toMatchObject({ BatchSize: 100, MaximumBatchingWindowInSeconds: 1, ScalingConfig: { MaximumConcurrency: 10 } });
  });

  test('keeps a received order invisible for 6 × the router timeout plus its window', () => {
    const { stack, template } = demo();
    template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ [RoutingEnv.routerConfig]: Match.anyValue() }) }, Timeout: 10 });
    expect((template.toJSON().Resources[logicalId(stack, stack.ingress)] as Resource).Properties.VisibilityTimeout).toBe(61);
  });
});

describe('express work queue', () => {
  test('tells the worker the table name', () => {
    const { stack, template } = demo();
    expect(environmentOf(stack, template, stack.express.workerFunction)[Env.tableName]).toStrictEqual({ Ref: expect.stringMatching(/^OrdersTable/) });
  });

  test('drains 100-record batches with a 1 s window and at most 10 workers', () => {
    const { stack, template } = demo();
    expect(mappingOf(stack, template, stack.express.ingress)).toMatchObject({
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

describe('standard chain', () => {
  test('runs Validate → Price → Store, Store into the orders table', () => {
    const { stack, template } = demo();
    const [validate, price, store] = stack.standard.stages as [WorkQueue, WorkQueue, WorkQueue];
    expect(environmentOf(stack, template, validate!.workerFunction)[Env.nextQueueUrl]).toStrictEqual(refOf(stack, price!.ingress));
    expect(environmentOf(stack, template, price!.workerFunction)[Env.nextQueueUrl]).toStrictEqual(refOf(stack, store!.ingress));
    expect(environmentOf(stack, template, store!.workerFunction)).toMatchObject({
      [RoutingEnv.sinkTableName]: { Ref: expect.stringMatching(/^OrdersTable/) },
      [RoutingEnv.sinkTableKeys]: DemoOrdersTable.partitionKey,
    });
  });

  test('batches each stage for its work: Validate and Price 100, Store two 25-item writes; Price capped at 5', () => {
    const { stack, template } = demo();
    const settings = ['Validate', 'Price', 'Store'].map((name) => {
      const m = mappingOf(stack, template, stageNamed(stack, name).ingress) as { BatchSize: number; MaximumBatchingWindowInSeconds: number; ScalingConfig: { MaximumConcurrency: number } };
      return [name, m.BatchSize, m.MaximumBatchingWindowInSeconds, m.ScalingConfig.MaximumConcurrency];
    });
    expect(settings).toStrictEqual([['Validate', 100, 1, 10], ['Price', 100, 2, 5], ['Store', 50, 1, 10]]);
  });
});

test('moves a message to its DLQ after 5 receives on every queue of the pipeline', () => {
  const { template } = demo();
  const redrives = Object.values(template.findResources('AWS::SQS::Queue', { Properties: { RedrivePolicy: Match.anyValue() } }))
    .map((q) => ((q as Resource).Properties.RedrivePolicy as { maxReceiveCount: number }).maxReceiveCount);
  expect(redrives).toStrictEqual([5, 5, 5, 5, 5]);
});

test('outputs the ingress queue URL, its dead-letter queue URL and the table name', () => {
  const { template } = demo();
  template.hasOutput(DemoOutput.ordersQueueUrl, { Value: { Ref: Match.stringLikeRegexp('^OrdersQueue(?!Dlq)') } });
  template.hasOutput(DemoOutput.ordersDeadLetterQueueUrl, { Value: { Ref: Match.stringLikeRegexp('^OrdersQueueDlq') } });
  template.hasOutput(DemoOutput.ordersTableName, { Value: { Ref: Match.stringLikeRegexp('^OrdersTable') } });
});

test('outputs every dead-letter queue and every consumed queue of the pipeline, ingress first', () => {
  const { stack, template } = demo();
  const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
  const queues = Object.values(template.findResources('AWS::SQS::Queue', { Properties: { RedrivePolicy: Match.anyValue() } })) as Resource[];
  const dlqIds = queues.map((q) => ((q.Properties.RedrivePolicy as { deadLetterTargetArn: { 'Fn::GetAtt': string[] } }).deadLetterTargetArn['Fn::GetAtt'][0]));
  const consumedIds = Object.values(template.findResources('AWS::Lambda::EventSourceMapping'))
    .map((m) => ((m as Resource).Properties.EventSourceArn as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0]);
  const listed = (name: string) => {
    const [separator, refs] = (outputs[name]!.Value as { 'Fn::Join': [string, { Ref: string }[]] })['Fn::Join'];
    expect(separator).toBe(DEMO_OUTPUT_LIST_SEPARATOR);
    return refs.map((r) => r.Ref);
  };
  expect([...listed(DemoOutput.deadLetterQueueUrls)].sort()).toStrictEqual([...dlqIds].sort());
  expect([...listed(DemoOutput.pipelineQueueUrls)].sort()).toStrictEqual([...new Set(consumedIds)].sort());
  expect([listed(DemoOutput.deadLetterQueueUrls)[0], listed(DemoOutput.pipelineQueueUrls)[0]]).toStrictEqual([
    logicalId(stack, stack.ingressDeadLetterQueue), logicalId(stack, stack.ingress),
  ]);
});

test('bundles the express worker and the Store stage as minified ES modules with the AWS SDK inside', () => {
  // The one test that runs esbuild: the bundle is what the local runtime and Lambda load.
  const { app, outdir } = freshApp({ bundling: true });
  const stack = new DemoStack(app, 'Demo');
  const resources = Template.fromStack(stack).toJSON().Resources as Record<string, { Properties: { Code: { S3Key: string } } }>;
  for (const fn of [stack.express.workerFunction, (stack.standard.stages[2] as WorkQueue).workerFunction]) {
    const s3Key = resources[logicalId(stack, fn)]!.Properties.Code.S3Key;
    const bundle = join(outdir, `asset.${s3Key.replace(/\.zip$/, '')}`, 'index.mjs');
    const code = readFileSync(bundle, 'utf8');
    expect(code.startsWith("import { createRequire as __ppCreateRequire } from 'node:module';")).toBe(true);
    // The SDK is bundled (HANDLER_BUNDLING: faster cold starts than the runtime's copy), and minified.
    expect(code).not.toMatch(/from\s*"@aws-sdk\//);
    expect(code).toMatch(/DynamoDB_20120810/);
    expect(code.split('\n').length).toBeLessThan(100);
    expect(statSync(bundle).size).toBeLessThan(1_000_000);
  }
});

/** The standard chain's stage called `name` (its construct id). */
function stageNamed(stack: DemoStack, name: string): WorkQueue {
  const found = stack.standard.stages.find((s) => s.node.id === name);
  if (!found) throw new Error(`no stage ${name}`);
  return found;
}
