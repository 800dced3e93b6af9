import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, test } from 'vitest';
import { Env, METRICS_NAMESPACE, RoutingEnv, RoutingMetricName, type RouterConfig } from '../../../functions/contract';
import { Sharder, type SharderProps } from '../../../infra/routing/sharder';
import { freshStack } from '../../helpers/synth';
import { functionEnv } from '../../helpers/stage-chain';

function synth(props: Partial<SharderProps> = {}, build: (stack: Stack) => Partial<SharderProps> = () => ({})) {
  const { stack } = freshStack();
  const sharder = new Sharder(stack, 'Shard', { key: 'customerId', ...props, ...build(stack) });
  return { stack, sharder, template: Template.fromStack(stack) };
}

const routerEnv = (template: Template) => functionEnv(template, /^ShardRouterWorker[0-9A-F]{8}$/);

describe('Sharder', () => {
  test('creates 4 shard queues with dead-letter queues by default, plus its input and DLQ', () => {
    const { template, sharder } = synth();
    expect([sharder.shards.length, Object.keys(template.findResources('AWS::SQS::Queue')).length]).toStrictEqual([4, 10]);
  });

  test('configures the router with one named shard per output', () => {
    const config = JSON.parse(String(routerEnv(synth({ shardCount: 3 }).template)[RoutingEnv.routerConfig])) as RouterConfig;
    expect(config).toStrictEqual({ kind: 'shard', outputs: 3, key: 'customerId', shards: ['shard-0', 'shard-1', 'shard-2'] });
  });

  test('uses brought shard queues in their order', () => {
    const { sharder } = synth({}, (stack) => ({ shards: [new Queue(stack, 'A'), new Queue(stack, 'B')] }));
    expect(sharder.shards.map((q) => q.node.id)).toStrictEqual(['A', 'B']);
  });

  test('passes the unhealthy shards to the router by name', () => {
    expect(routerEnv(synth({ unhealthyShards: [1, 3] }).template)[RoutingEnv.unhealthyShards]).toBe('shard-1,shard-3');
  });

  test('sets no unhealthy shards variable while all are healthy', () => {
    expect(routerEnv(synth().template)[RoutingEnv.unhealthyShards]).toBeUndefined();
  });

  test('reads a shard\'s backlog from its queue', () => {
    const { sharder, stack } = synth();
    expect(stack.resolve(sharder.metricShardBacklog(2).dimensions)).toStrictEqual({ QueueName: stack.resolve((sharder.shards[2] as Queue).queueName) });
  });

  test('reads spilled items under the service name its router writes them with', () => {
    const { sharder, template } = synth();
    const metric = sharder.metricItemsSpilled();
    expect([metric.namespace, metric.metricName, metric.statistic, metric.dimensions]).toStrictEqual([
      METRICS_NAMESPACE,
      RoutingMetricName.itemsSpilled,
      'Sum',
      { service: routerEnv(template)[Env.serviceName] },
    ]);
  });

  test('fails if asked for a shard that does not exist', () => {
    expect(() => synth().sharder.metricShardBacklog(4)).toThrow(/no shard 4; shards are 0–3/);
  });

  test('fails if shardCount is below 2', () => {
    expect(() => synth({ shardCount: 1 })).toThrow(/shardCount must be an integer between 2 and 20, received 1/);
  });

  test('fails if both shardCount and shards are given', () => {
    expect(() => synth({ shardCount: 2 }, (stack) => ({ shards: [new Queue(stack, 'A'), new Queue(stack, 'B')] }))).toThrow(/shardCount and shards are mutually exclusive/);
  });

  test('fails if an unhealthy shard index is out of range', () => {
    expect(() => synth({ unhealthyShards: [4] })).toThrow(/unhealthyShards must hold shard indexes from 0 to 3, received \[4\]/);
  });

  test('fails if every shard is marked unhealthy', () => {
    expect(() => synth({ shardCount: 2, unhealthyShards: [0, 1] })).toThrow(/must leave at least one of the 2 shards healthy/);
  });

  test('fails if the key is not a dot path', () => {
    expect(() => synth({ key: 'customer id' })).toThrow(/key must be a dot path .* received "customer id"/);
  });
});
