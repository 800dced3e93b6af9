/**
 * The end-to-end stack of the RequestAggregator: a price aggregator whose backend calls are
 * recorded on a calls queue, answering into its results table and a reply queue.
 */
import { CfnOutput, Duration, Stack, type App } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { fileURLToPath } from 'node:url';
import { RequestAggregator } from '../../../infra/request-aggregator';

/** Output names of the stack. */
export const AggregatorOutput = {
  ingressUrl: 'IngressUrl',
  tableName: 'ResultsTableName',
  callsUrl: 'CallsUrl',
  repliesUrl: 'RepliesUrl',
} as const;

/** Requests per aggregator invocation in the end-to-end stack. */
export const E2E_BATCH_SIZE = 100;

const queue = (stack: Stack, id: string) => new Queue(stack, id, { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true });

/** Adds the stack to `app`. */
export function requestAggregatorStack(app: App, id = 'RequestAggregatorE2E'): Stack {
  const stack = new Stack(app, id);
  const calls = queue(stack, 'Calls');
  const replies = queue(stack, 'Replies');
  const prices = new RequestAggregator(stack, 'Prices', {
    entry: fileURLToPath(new URL('./price-aggregator.ts', import.meta.url)),
    ingressBatchSize: E2E_BATCH_SIZE,
    ingressMaxBatchingWindow: Duration.seconds(1),
    environment: { E2E_CALLS_QUEUE_URL: calls.queueUrl },
    output: replies,
  });
  calls.grantSendMessages(prices.aggregatorFunction);
  const outputs: Record<string, string> = {
    [AggregatorOutput.ingressUrl]: prices.ingress.queueUrl,
    [AggregatorOutput.tableName]: prices.table.tableName,
    [AggregatorOutput.callsUrl]: calls.queueUrl,
    [AggregatorOutput.repliesUrl]: replies.queueUrl,
  };
  for (const [name, value] of Object.entries(outputs)) new CfnOutput(stack, name, { value });
  return stack;
}
