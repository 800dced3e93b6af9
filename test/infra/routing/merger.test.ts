import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, test } from 'vitest';
import { Env, METRICS_NAMESPACE, RoutingEnv, RoutingMetricName } from '../../../functions/contract';
import { Merger, type MergerProps } from '../../../infra/routing/merger';
import { freshStack } from '../../helpers/synth';
import { functionEnv, logicalId } from '../../helpers/stage-chain';

function synth(props: Partial<MergerProps> = {}) {
  const { stack } = freshStack();
  const inputs = [new Queue(stack, 'RepoA'), new Queue(stack, 'RepoB')];
  const merger = new Merger(stack, 'Builds', { inputs, ...props });
  return { stack, merger, inputs, template: Template.fromStack(stack) };
}

describe('Merger', () => {
  test('reads every input through its own mapping with partial batch responses', () => {
    const { template } = synth();
    const mappings = template.findResources('AWS::Lambda::EventSourceMapping', { Properties: { FunctionResponseTypes: ['ReportBatchItemFailures'] } });
    expect(Object.keys(mappings)).toHaveLength(2);
  });

  test('forwards to a created output queue', () => {
    const { template } = synth();
    const env = functionEnv(template, /^BuildsRouter[0-9A-F]{8}$/);
    expect([JSON.parse(String(env[RoutingEnv.routerConfig])), env[`${RoutingEnv.outputUrlPrefix}0`]]).toStrictEqual([
      { kind: 'forward', outputs: 1 },
      { Ref: logicalId(template, 'AWS::SQS::Queue', /^BuildsOutput[0-9A-F]{8}$/) },
    ]);
  });

  test('adds a mapping for an input added later', () => {
    const { stack } = freshStack();
    const merger = new Merger(stack, 'M', { inputs: [new Queue(stack, 'A')] });
    merger.addInput(new Queue(stack, 'B'));
    expect([merger.inputs.length, Object.keys(Template.fromStack(stack).findResources('AWS::Lambda::EventSourceMapping')).length]).toStrictEqual([2, 2]);
  });

  test('applies its batching settings to every mapping', () => {
    const { template } = synth({ batchSize: 50, maxBatchingWindow: Duration.seconds(5) });
    const mappings = template.findResources('AWS::Lambda::EventSourceMapping', { Properties: { BatchSize: 50, MaximumBatchingWindowInSeconds: 5 } });
    expect(Object.keys(mappings)).toHaveLength(2);
  });

  test('reads merged items under the service name its function writes them with', () => {
    const { merger, template } = synth();
    const metric = merger.metricItemsMerged();
    expect([metric.namespace, metric.metricName, metric.statistic, metric.dimensions]).toStrictEqual([
      METRICS_NAMESPACE,
      RoutingMetricName.itemsRouted,
      'Sum',
      { service: functionEnv(template, /^BuildsRouter[0-9A-F]{8}$/)[Env.serviceName] },
    ]);
  });

  test('fails if there is no input', () => {
    const { stack } = freshStack();
    expect(() => new Merger(stack, 'M', { inputs: [] })).toThrow(/inputs must hold at least 1 queue, received 0/);
  });

  test('fails if an input is listed twice', () => {
    const { stack } = freshStack();
    const q = new Queue(stack, 'A');
    expect(() => new Merger(stack, 'M', { inputs: [q, q] })).toThrow(/inputs must not list a queue twice \(it would get two mappings\), received Test\/A again/);
  });

  test('fails if batchSize is above 10 without a batching window', () => {
    expect(() => synth({ batchSize: 20 })).toThrow(/maxBatchingWindow must be at least 1 second .* received none with batchSize 20/);
  });

  test('fails if maxConcurrency is 1', () => {
    expect(() => synth({ maxConcurrency: 1 })).toThrow(/maxConcurrency must be an integer between 2 and 1000, received 1/);
  });
});
