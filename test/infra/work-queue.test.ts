import { Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, test } from 'vitest';
import { Env, METRICS_NAMESPACE } from '../../functions/contract';
import { WorkQueue, WorkQueueProps } from '../../infra/work-queue';
import { WORKER_ENTRY, freshStack, inlineFunction } from '../helpers/synth';

function synth(props: Partial<WorkQueueProps> = {}): { stack: Stack; template: Template; wq: WorkQueue } {
  const { stack } = freshStack();
  const wq = new WorkQueue(stack, 'Orders', { entry: WORKER_ENTRY, ...props } as WorkQueueProps);
  return { stack, template: Template.fromStack(stack), wq };
}

function mainQueueLogicalId(template: Template): string {
  const queues = template.findResources('AWS::SQS::Queue', { Properties: { RedrivePolicy: Match.anyValue() } });
  return Object.keys(queues)[0] as string;
}

describe('queues', () => {
  test('creates a queue and a dead-letter queue, both with SQS-managed encryption', () => {
    const { template } = synth();
    template.resourceCountIs('AWS::SQS::Queue', 2);
    expect(Object.keys(template.findResources('AWS::SQS::Queue', { Properties: { SqsManagedSseEnabled: true } }))).toHaveLength(2);
  });

  test('denies non-TLS access on both queues', () => {
    const { template } = synth();
    const policies = template.findResources('AWS::SQS::QueuePolicy', {
      Properties: {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      },
    });
    expect(Object.keys(policies)).toHaveLength(2);
  });

  test('redrives to the dead-letter queue after 3 receives by default', () => {
    const { template } = synth();
    template.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('OrdersQueueDlq'), 'Arn'] }, maxReceiveCount: 3 },
    });
  });

  test('uses the given maxReceiveCount', () => {
    const { template } = synth({ maxReceiveCount: 7 });
    template.hasResourceProperties('AWS::SQS::Queue', { RedrivePolicy: Match.objectLike({ maxReceiveCount: 7 }) });
  });

  test('keeps dead letters for 14 days', () => {
    const { template } = synth();
    template.hasResourceProperties('AWS::SQS::Queue', { MessageRetentionPeriod: 1_209_600, RedrivePolicy: Match.absent() });
  });

  test('sets no physical queue names', () => {
    const { template } = synth();
    expect(template.findResources('AWS::SQS::Queue', { Properties: { QueueName: Match.anyValue() } })).toStrictEqual({});
  });

  test('creates FIFO queue and FIFO dead-letter queue when fifo is true', () => {
    const { template } = synth({ fifo: true, contentBasedDeduplication: true });
    expect(Object.keys(template.findResources('AWS::SQS::Queue', { Properties: { FifoQueue: true } }))).toHaveLength(2);
    template.hasResourceProperties('AWS::SQS::Queue', { FifoQueue: true, ContentBasedDeduplication: true });
  });

  test('creates no queue when one is brought, and consumes from it', () => {
    const { stack } = freshStack();
    const queue = Queue.fromQueueArn(stack, 'Mine', 'arn:aws:sqs:eu-west-1:123456789012:mine');
    const dlq = Queue.fromQueueArn(stack, 'MineDlq', 'arn:aws:sqs:eu-west-1:123456789012:mine-dlq');
    new WorkQueue(stack, 'Orders', { entry: WORKER_ENTRY, ingress: queue, ingressDeadLetterQueue: dlq });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SQS::Queue', 0);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { EventSourceArn: 'arn:aws:sqs:eu-west-1:123456789012:mine' });
  });

  test('finds the dead-letter queue of a brought Queue of the same app', () => {
    const { stack } = freshStack();
    const dlq = new Queue(stack, 'MyDlq', { encryption: QueueEncryption.SQS_MANAGED });
    const queue = new Queue(stack, 'Mine', { deadLetterQueue: { queue: dlq, maxReceiveCount: 5 } });
    const wq = new WorkQueue(stack, 'Orders', { entry: WORKER_ENTRY, ingress: queue });
    expect(wq.ingressDeadLetterQueue).toBe(dlq);
  });
});

describe('worker', () => {
  test('builds the entry on Node.js 24, ARM64, 512 MB, 30 s', () => {
    const { template } = synth();
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      MemorySize: 512,
      Timeout: 30,
      Handler: 'index.handler',
    });
  });

  test('passes the DLQ URL, item concurrency and Powertools names in the environment', () => {
    const { template } = synth({ itemConcurrency: 4, environment: { TABLE: 't' } });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: {
          TABLE: 't',
          [Env.itemConcurrency]: '4',
          [Env.deadLetterQueueUrl]: { Ref: Match.stringLikeRegexp('OrdersQueueDlq') },
          [Env.serviceName]: 'Test/Orders',
          [Env.metricsNamespace]: METRICS_NAMESPACE,
        },
      },
    });
  });

  test('uses the given timeout and memory size', () => {
    const { template } = synth({ timeout: Duration.minutes(2), memorySize: 1024 });
    template.hasResourceProperties('AWS::Lambda::Function', { Timeout: 120, MemorySize: 1024 });
  });

  test('logs to its own log group with a one-month retention', () => {
    const { template } = synth();
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    template.hasResourceProperties('AWS::Lambda::Function', {
      LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('OrdersWorkerLogs') } },
    });
  });

  test('runs under a role without managed policies', () => {
    const { template } = synth();
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectLike({
        Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })],
      }),
      ManagedPolicyArns: Match.absent(),
    });
  });

  test('uses a brought handler instead of building one, and adds the runtime variables to it', () => {
    const { stack } = freshStack();
    const handler = inlineFunction(stack);
    const wq = new WorkQueue(stack, 'Orders', { handler });
    const template = Template.fromStack(stack);
    expect(wq.workerFunction).toBe(handler);
    template.resourceCountIs('AWS::Lambda::Function', 1);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { [Env.itemConcurrency]: '10', [Env.deadLetterQueueUrl]: Match.anyValue() } },
    });
  });
});

describe('event source mapping', () => {
  test('reports batch item failures with batches of 10 by default', () => {
    const { template } = synth();
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('OrdersQueue(?!Dlq)'), 'Arn'] },
    });
  });

  test('omits partial batch responses when reportBatchItemFailures is false', () => {
    const { template } = synth({ reportBatchItemFailures: false });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { FunctionResponseTypes: Match.absent() });
  });

  test('caps concurrency with ScalingConfig.MaximumConcurrency', () => {
    const { template } = synth({ maxConcurrency: 25 });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { ScalingConfig: { MaximumConcurrency: 25 } });
  });

  test('sets a large batch with its batching window', () => {
    const { template } = synth({ batchSize: 500, maxBatchingWindow: Duration.seconds(5) });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { BatchSize: 500, MaximumBatchingWindowInSeconds: 5 });
  });
});

describe('visibility timeout', () => {
  test('is 6 × the function timeout by default', () => {
    const { template } = synth();
    template.hasResource('AWS::SQS::Queue', { Properties: Match.objectLike({ VisibilityTimeout: 180, RedrivePolicy: Match.anyValue() }) });
  });

  test('adds the batching window to 6 × the function timeout', () => {
    const { template } = synth({ timeout: Duration.seconds(60), batchSize: 50, maxBatchingWindow: Duration.seconds(10) });
    const id = mainQueueLogicalId(template);
    expect(template.toJSON().Resources[id].Properties.VisibilityTimeout).toBe(370);
  });

  test('follows the timeout of a brought Function', () => {
    const { stack } = freshStack();
    const handler = inlineFunction(stack, Duration.minutes(2));
    new WorkQueue(stack, 'Orders', { handler });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SQS::Queue', { VisibilityTimeout: 720, RedrivePolicy: Match.anyValue() });
  });

  test('uses an explicit value of at least 6 × the timeout', () => {
    const { template } = synth({ visibilityTimeout: Duration.minutes(10) });
    template.hasResourceProperties('AWS::SQS::Queue', { VisibilityTimeout: 600, RedrivePolicy: Match.anyValue() });
  });
});

test('a brought imported function is used as is', () => {
  const { stack } = freshStack();
  const handler = LambdaFunction.fromFunctionArn(stack, 'Imported', 'arn:aws:lambda:eu-west-1:123456789012:function:worker');
  new WorkQueue(stack, 'Orders', { handler });
  const template = Template.fromStack(stack);
  template.resourceCountIs('AWS::Lambda::Function', 0);
  template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { FunctionName: 'worker' });
  Annotations.fromStack(stack).hasWarning('/Test/Orders', Match.stringLikeRegexp('imported without a role.*grant it yourself'));
});
