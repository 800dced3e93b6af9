/**
 * The end-to-end stack of the routing constructs that the pipeline test does not cover:
 * a Copier over SNS feeding a Sharder (shard 1 marked unhealthy) and a Merger, and a Copier
 * over SQS. None of their outputs has a consumer, so a test can inspect where every item went.
 */
import { CfnOutput, Stack, type App } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Copier, CopierTransport } from '../../../infra/routing/copier';
import { Merger } from '../../../infra/routing/merger';
import { Sharder } from '../../../infra/routing/sharder';

/** Output names of the routing stack. */
export const RoutingOutput = {
  topicArn: 'CopierTopicArn',
  sideQueueUrl: 'SideQueueUrl',
  mergedQueueUrl: 'MergedQueueUrl',
  shardQueueUrl: (i: number) => `Shard${i}QueueUrl`,
  queueCopierInputUrl: 'QueueCopierInputUrl',
  queueCopierOutputUrl: (i: number) => `QueueCopierOutput${i}Url`,
} as const;

/** The sharder's shard count. */
export const SHARDS = 3;
/** The shard marked unhealthy: its keys must spill to the others. */
export const UNHEALTHY_SHARD = 1;

/** Adds the routing stack to `app`. */
export function routingStack(app: App, id = 'RoutingConstructs'): Stack {
  const stack = new Stack(app, id);
  const copier = new Copier(stack, 'Copier', { outputCount: 2 });
  const sharder = new Sharder(stack, 'Sharder', { key: 'customer', ingress: copier.outputs[0], shardCount: SHARDS, unhealthyShards: [UNHEALTHY_SHARD] });
  const side = new Queue(stack, 'Side', { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true });
  const merger = new Merger(stack, 'Merger', { inputs: [copier.outputs[1] as Queue, side] });
  const queueCopier = new Copier(stack, 'QueueCopier', { transport: CopierTransport.QUEUE, outputCount: 2 });
  new CfnOutput(stack, RoutingOutput.topicArn, { value: (copier.topic as { topicArn: string }).topicArn });
  new CfnOutput(stack, RoutingOutput.sideQueueUrl, { value: side.queueUrl });
  new CfnOutput(stack, RoutingOutput.mergedQueueUrl, { value: merger.output.queueUrl });
  sharder.shards.forEach((q, i) => new CfnOutput(stack, RoutingOutput.shardQueueUrl(i), { value: q.queueUrl }));
  new CfnOutput(stack, RoutingOutput.queueCopierInputUrl, { value: (queueCopier.ingress as Queue).queueUrl });
  queueCopier.outputs.forEach((q, i) => new CfnOutput(stack, RoutingOutput.queueCopierOutputUrl(i), { value: q.queueUrl }));
  return stack;
}
