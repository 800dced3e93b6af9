import { Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AttributeType, Table, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Role } from 'aws-cdk-lib/aws-iam';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, test } from 'vitest';
import { Env, RoutingEnv } from '../../functions/contract';
import { BatchStageChain, type BatchStageChainProps } from '../../infra/batch-stage-chain';
import { WorkQueue } from '../../infra/work-queue';
import { freshStack, inlineFunction } from '../helpers/synth';
import { functionEnv, functionStatements, logicalId, policyStatements, STAGE_ENTRY } from '../helpers/stage-chain';

const threeStages = [
  { name: 'Validate', entry: STAGE_ENTRY },
  { name: 'Enrich', entry: STAGE_ENTRY, batchSize: 100, maxBatchingWindow: Duration.seconds(2), maxConcurrency: 5 },
  { name: 'Store', entry: STAGE_ENTRY, timeout: Duration.seconds(60), memorySize: 1024 },
];

function synth(props: Partial<BatchStageChainProps> = {}, build?: (stack: Stack) => Partial<BatchStageChainProps>) {
  const { stack } = freshStack();
  const chain = new BatchStageChain(stack, 'Chain', { stages: threeStages, ...props, ...build?.(stack) });
  return { stack, chain, template: Template.fromStack(stack) };
}

const ref = (id: string) => ({ Ref: id });

describe('BatchStageChain stages', () => {
  test('creates one queue and one dead-letter queue per stage', () => {
    synth().template.resourceCountIs('AWS::SQS::Queue', 6);
  });

  test('creates one function and one event source mapping per stage', () => {
    const { template } = synth();
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 3);
    expect(Object.keys(template.findResources('AWS::Lambda::Function'))).toHaveLength(3);
  });

  test('gives each stage its own batch size, window and concurrency cap', () => {
    synth().template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 2,
      ScalingConfig: { MaximumConcurrency: 5 },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  test('gives each stage its own timeout and memory', () => {
    synth().template.hasResourceProperties('AWS::Lambda::Function', { Timeout: 60, MemorySize: 1024 });
  });

  test('points each stage at the next stage\'s queue', () => {
    const { template } = synth();
    expect(functionEnv(template, /^ChainValidateWorker[0-9A-F]{8}$/)[Env.nextQueueUrl]).toStrictEqual(ref(logicalId(template, 'AWS::SQS::Queue', /^ChainEnrichQueue[0-9A-F]{8}$/)));
  });

  test('lets each stage send only to the next stage\'s queue and its own DLQ', () => {
    const { template } = synth();
    const arn = (pattern: RegExp) => JSON.stringify({ 'Fn::GetAtt': [logicalId(template, 'AWS::SQS::Queue', pattern), 'Arn'] });
    const sendTargets = (fn: RegExp) =>
      functionStatements(template, fn).filter((s) => JSON.stringify(s.Action).includes('sqs:SendMessage')).map((s) => JSON.stringify(s.Resource)).sort();
    expect([sendTargets(/^ChainValidateWorker[0-9A-F]{8}$/), sendTargets(/^ChainEnrichWorker[0-9A-F]{8}$/), sendTargets(/^ChainStoreWorker[0-9A-F]{8}$/)]).toStrictEqual([
      [arn(/^ChainEnrichQueue[0-9A-F]{8}$/), arn(/^ChainValidateQueueDlq/)].sort(),
      [arn(/^ChainStoreQueue[0-9A-F]{8}$/), arn(/^ChainEnrichQueueDlq/)].sort(),
      [arn(/^ChainStoreQueueDlq/)],
    ]);
  });

  test('gives the last stage no next queue when there is no sink', () => {
    expect(functionEnv(synth().template, /^ChainStoreWorker[0-9A-F]{8}$/)[Env.nextQueueUrl]).toBeUndefined();
  });

  test('gives each stage its dead-letter queue for poison records', () => {
    const { template } = synth();
    expect(functionEnv(template, /^ChainEnrichWorker[0-9A-F]{8}$/)[Env.deadLetterQueueUrl]).toStrictEqual(ref(logicalId(template, 'AWS::SQS::Queue', /^ChainEnrichQueueDlq/)));
  });

  test('exposes the stages in order, each a work queue with its own DLQ', () => {
    const { chain } = synth();
    expect(chain.stages.map((s) => [s.node.id, s instanceof WorkQueue, s.ingressDeadLetterQueue !== undefined])).toStrictEqual([
      ['Validate', true, true],
      ['Enrich', true, true],
      ['Store', true, true],
    ]);
  });

  test('uses the first stage\'s queue as the ingress, and its DLQ as the ingress DLQ', () => {
    const { chain } = synth();
    const first = chain.stages[0] as WorkQueue;
    expect([chain.ingress, chain.ingressDeadLetterQueue]).toStrictEqual([first.ingress, first.ingressDeadLetterQueue]);
  });

  test('filters a stage\'s input with its inputFilter', () => {
    const { template } = synth({ stages: [{ name: 'Only', entry: STAGE_ENTRY, inputFilter: [{ type: ['order'] }] }] });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { FilterCriteria: { Filters: [{ Pattern: '{"body":{"type":["order"]}}' }] } });
  });
});

describe('BatchStageChain ingress', () => {
  test('uses a brought ingress queue instead of creating one', () => {
    const { template, chain } = synth({}, (stack) => ({ ingress: new Queue(stack, 'Mine') }));
    expect([chain.ingress.node.id, Object.keys(template.findResources('AWS::SQS::Queue'))]).toStrictEqual(['Mine', expect.arrayContaining([expect.stringMatching(/^Mine/)])]);
  });

  test('creates no queue for the first stage when the ingress is brought', () => {
    synth({}, (stack) => ({ ingress: new Queue(stack, 'Mine') })).template.resourceCountIs('AWS::SQS::Queue', 5);
  });
});

describe('BatchStageChain FIFO', () => {
  const fifoStages = [{ name: 'A', entry: STAGE_ENTRY }, { name: 'B', entry: STAGE_ENTRY }];

  test('makes every stage queue after a brought FIFO ingress FIFO', () => {
    const { chain } = synth({ stages: fifoStages }, (stack) => ({ ingress: new Queue(stack, 'In', { fifo: true }) }));
    expect(chain.stages.map((s) => s.ingress.fifo)).toStrictEqual([true, true]);
  });

  test('creates FIFO queues for every stage with fifo: true', () => {
    synth({ stages: fifoStages, fifo: true }).template.resourcePropertiesCountIs('AWS::SQS::Queue', { FifoQueue: true }, 4);
  });

  test('keeps stage queues standard after a standard ingress', () => {
    const { chain } = synth({}, (stack) => ({ ingress: new Queue(stack, 'In') }));
    expect(chain.stages.map((s) => s.ingress.fifo)).toStrictEqual([false, false, false]);
  });

  test('fails if fifo contradicts the brought ingress', () => {
    expect(() => synth({ stages: fifoStages, fifo: true }, (stack) => ({ ingress: new Queue(stack, 'In') }))).toThrow(
      /fifo must match the brought ingress \(a standard queue\), received true/,
    );
  });

  test('fails if a FIFO chain has a standard sink queue', () => {
    expect(() => synth({ stages: fifoStages, fifo: true }, (stack) => ({ sinkQueue: new Queue(stack, 'Out') }))).toThrow(
      /sinkQueue must be a FIFO queue like the chain's stages, received a standard queue/,
    );
  });

  test('fails if a standard chain has a FIFO sink queue', () => {
    expect(() => synth({}, (stack) => ({ sinkQueue: new Queue(stack, 'Out', { fifo: true }) }))).toThrow(
      /sinkQueue must be a standard queue like the chain's stages, received a FIFO queue/,
    );
  });
});

describe('BatchStageChain sinks', () => {
  test('sends the last stage\'s results to the sink queue', () => {
    const { template } = synth({}, (stack) => ({ sinkQueue: new Queue(stack, 'Results') }));
    expect(functionEnv(template, /^ChainStoreWorker[0-9A-F]{8}$/)[Env.nextQueueUrl]).toStrictEqual(ref(logicalId(template, 'AWS::SQS::Queue', /^Results/)));
  });

  test('gives the last stage the sink table name and its key attributes', () => {
    const { template } = synth({}, (stack) => ({
      sinkTable: new Table(stack, 'Out', { partitionKey: { name: 'pk', type: AttributeType.STRING }, sortKey: { name: 'sk', type: AttributeType.NUMBER } }),
    }));
    const env = functionEnv(template, /^ChainStoreWorker[0-9A-F]{8}$/);
    expect([env[RoutingEnv.sinkTableName], env[RoutingEnv.sinkTableKeys]]).toStrictEqual([ref(logicalId(template, 'AWS::DynamoDB::Table', /^Out/)), 'pk,sk']);
  });

  test('reads a TableV2 sink\'s partition key', () => {
    const { template } = synth({}, (stack) => ({ sinkTable: new TableV2(stack, 'Out', { partitionKey: { name: 'id', type: AttributeType.STRING } }) }));
    expect(functionEnv(template, /^ChainStoreWorker[0-9A-F]{8}$/)[RoutingEnv.sinkTableKeys]).toBe('id');
  });

  test('lets the last stage call only BatchWriteItem on the sink table', () => {
    const { template } = synth({}, (stack) => ({ sinkTable: new Table(stack, 'Out', { partitionKey: { name: 'id', type: AttributeType.STRING } }) }));
    const tableStatements = policyStatements(template).filter((s) => JSON.stringify(s.Action).includes('dynamodb:'));
    expect(tableStatements.map((s) => s.Action)).toStrictEqual(['dynamodb:BatchWriteItem']);
  });

  test('uses the given key attributes of an imported sink table', () => {
    const { template } = synth({ sinkTablePartitionKey: 'pk' }, (stack) => ({ sinkTable: Table.fromTableName(stack, 'Imported', 'results') }));
    expect(functionEnv(template, /^ChainStoreWorker[0-9A-F]{8}$/)).toMatchObject({ [RoutingEnv.sinkTableName]: 'results', [RoutingEnv.sinkTableKeys]: 'pk' });
  });

  test('passes the chain variables to a brought stage Function', () => {
    const { stack } = freshStack();
    const fn = inlineFunction(stack);
    new BatchStageChain(stack, 'Chain', { stages: [{ name: 'Only', handler: fn }], sinkQueue: new Queue(stack, 'Results') });
    const template = Template.fromStack(stack);
    expect(functionEnv(template, /^Inline/)[Env.nextQueueUrl]).toStrictEqual(ref(logicalId(template, 'AWS::SQS::Queue', /^Results/)));
  });
});

describe('BatchStageChain metrics', () => {
  test('reads a stage\'s backlog from its own queue', () => {
    const { chain, stack } = synth();
    const metric = (chain.stages[1] as WorkQueue).metricBacklog();
    expect([metric.metricName, stack.resolve(metric.dimensions)]).toStrictEqual([
      'ApproximateNumberOfMessagesVisible',
      { QueueName: { 'Fn::GetAtt': [logicalId(Template.fromStack(stack), 'AWS::SQS::Queue', /^ChainEnrichQueue[0-9A-F]{8}$/), 'QueueName'] } },
    ]);
  });

  test('sums every stage\'s DLQ depth', () => {
    expect(synth().chain.metricTotalDlqDepth().expression).toBe('dlq0 + dlq1 + dlq2');
  });

  test('reads a stage\'s failed items under its service name', () => {
    expect((synth().chain.stages[2] as WorkQueue).metricItemsFailed().dimensions).toStrictEqual({ service: 'Test/Chain/Store' });
  });
});

describe('BatchStageChain validation', () => {
  test('fails if there is no stage', () => {
    expect(() => synth({ stages: [] })).toThrow(/stages must hold between 1 and 25 stages, received 0/);
  });

  test('fails if there are more than 25 stages', () => {
    const stages = Array.from({ length: 26 }, (_, i) => ({ name: `S${i}`, entry: STAGE_ENTRY }));
    expect(() => synth({ stages })).toThrow(/stages must hold between 1 and 25 stages, received 26/);
  });

  test('fails if two stages share a name', () => {
    expect(() => synth({ stages: [{ name: 'A', entry: STAGE_ENTRY }, { name: 'A', entry: STAGE_ENTRY }] })).toThrow(/^BatchStageChain at Test\/Chain: invalid props[\s\S]*stages\[1\] \(stage \"A\"\)\.name must be unique in the chain, received "A" again/);
  });

  test('fails if a stage name is not a construct-safe identifier', () => {
    expect(() => synth({ stages: [{ name: 'my stage', entry: STAGE_ENTRY }] })).toThrow(/stages\[0\] \(stage \"my stage\"\)\.name must be 1–64 letters and digits starting with a letter, received "my stage"/);
  });

  test('fails if both a sink queue and a sink table are given', () => {
    expect(() =>
      synth({}, (stack) => ({ sinkQueue: new Queue(stack, 'Q'), sinkTable: new Table(stack, 'T', { partitionKey: { name: 'id', type: AttributeType.STRING } }) })),
    ).toThrow(/sinkQueue and sinkTable are mutually exclusive/);
  });

  test('fails if an imported sink table comes without its partition key', () => {
    expect(() => synth({}, (stack) => ({ sinkTable: Table.fromTableName(stack, 'Imported', 'results') }))).toThrow(/sinkTablePartitionKey is required with an imported sinkTable/);
  });

  test('fails if a sink key is given without a sink table', () => {
    expect(() => synth({ sinkTablePartitionKey: 'pk' })).toThrow(/sinkTablePartitionKey is only allowed together with sinkTable/);
  });

  test('fails if a sort key is given without a partition key', () => {
    expect(() => synth({ sinkTableSortKey: 'sk' }, (stack) => ({ sinkTable: Table.fromTableName(stack, 'Imported', 'results') }))).toThrow(/sinkTableSortKey is only allowed together with sinkTablePartitionKey/);
  });

  test('fails if ingressDeadLetterQueue is given without ingress', () => {
    expect(() => synth({}, (stack) => ({ ingressDeadLetterQueue: new Queue(stack, 'D') }))).toThrow(/ingressDeadLetterQueue is only allowed together with ingress/);
  });

  test('fails if the first stage sets maxReceiveCount on a brought ingress', () => {
    expect(() => synth({ stages: [{ name: 'A', entry: STAGE_ENTRY, maxReceiveCount: 5 }] }, (stack) => ({ ingress: new Queue(stack, 'I') }))).toThrow(
      /ingress and stages\[0\]\.maxReceiveCount are mutually exclusive/,
    );
  });

  test('fails if a stage filter has an unknown rule, naming the stage', () => {
    expect(() => synth({ stages: [{ name: 'A', entry: STAGE_ENTRY, inputFilter: [{ t: [{ regex: 'x' }] as never }] }] })).toThrow(
      /stages\[0\] \(stage \"A\"\)\.inputFilter\[0\]\.t has a rule Lambda does not support: \{"regex":"x"\}/,
    );
  });

  test('reports every violation at once', () => {
    expect(() => synth({ stages: [{ name: '1', entry: STAGE_ENTRY }], sinkTablePartitionKey: 'pk' })).toThrow(/invalid props \(2\)/);
  });

  test('passes a stage\'s limit violation on from its WorkQueue', () => {
    expect(() => synth({ stages: [{ name: 'A', entry: STAGE_ENTRY, batchSize: 50 }] })).toThrow(/maxBatchingWindow must be at least 1 second/);
  });

  test('warns when a stage handler is imported and cannot get the chain variables', () => {
    const { stack } = freshStack();
    const imported = LambdaFunction.fromFunctionAttributes(stack, 'Imp', {
      functionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:x',
      role: Role.fromRoleArn(stack, 'ImpRole', 'arn:aws:iam::123456789012:role/x'),
      sameEnvironment: true,
    });
    new BatchStageChain(stack, 'Chain', {
      stages: [{ name: 'Only', handler: imported, timeout: Duration.seconds(30) }],
      sinkQueue: new Queue(stack, 'Results'),
    });
    Annotations.fromStack(stack).hasWarning('/Test/Chain', Match.stringLikeRegexp('cannot be given PP_NEXT_QUEUE_URL'));
  });
});
