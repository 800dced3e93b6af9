/** The end-to-end stack of Reduce: a sum over 4 shards, finals sent to a queue. */
import { CfnOutput, Stack, type App } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Reduce } from '../../../infra/reduce';

/** Output names of the stack. */
export const ReduceOutput = { ingressUrl: 'IngressUrl', finalsUrl: 'FinalsUrl', tableName: 'TableName' } as const;

/** Adds the stack to `app`. */
export function reduceStack(app: App, id = 'ReduceE2E'): Stack {
  const stack = new Stack(app, id);
  const finals = new Queue(stack, 'Finals', { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true });
  const totals = new Reduce(stack, 'Totals', { merge: 'sum', shards: 4, output: finals, ingressBatchSize: 25 });
  new CfnOutput(stack, ReduceOutput.ingressUrl, { value: totals.ingress.queueUrl });
  new CfnOutput(stack, ReduceOutput.finalsUrl, { value: finals.queueUrl });
  new CfnOutput(stack, ReduceOutput.tableName, { value: totals.table.tableName });
  return stack;
}
