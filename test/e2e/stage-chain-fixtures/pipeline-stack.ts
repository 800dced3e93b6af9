/**
 * The end-to-end pipeline of the stage chain and routing constructs, as a CDK stack:
 * Filter (only shipped orders) → Splitter (by channel: email to the chain, sms and the rest to
 * their own queues) → 3-stage BatchStageChain → DynamoDB sink table, with deterministic
 * faults injected per stage through the stage fixture's `E2E_FAULTS`.
 */
import { CfnOutput, Duration, Stack, type App } from 'aws-cdk-lib';
import { AttributeType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { BatchStageChain } from '../../../infra/batch-stage-chain';
import { Filter } from '../../../infra/routing/filter';
import { Splitter } from '../../../infra/routing/splitter';
import { STAGE_ENTRY } from '../../helpers/stage-chain';
import type { StageFaults } from './stage';

/** Output names of the pipeline stack. */
export const PipelineOutput = {
  ingressUrl: 'IngressUrl',
  smsQueueUrl: 'SmsQueueUrl',
  unmatchedQueueUrl: 'UnmatchedQueueUrl',
  sinkTableName: 'SinkTableName',
} as const;

/**
 * Every function's timeout. With {@link PIPELINE_TIME_SCALE} the queues' visibility timeouts
 * (6 × timeout, plus the window: 60 s of the runtime clock) pass in 15 wall seconds: longer than any batch may run (the runtime kills
 * it at 10 s), so a slow batch on a busy machine is retried once, never received again while
 * it still runs, and retries wait 15 s instead of three minutes.
 */
export const PIPELINE_FUNCTION_TIMEOUT = Duration.seconds(10);

/** The local runtime's `timeScale` for the pipeline: its clock runs 4× wall time, so 60 s visibility timeouts pass in 15 s. */
export const PIPELINE_TIME_SCALE = 0.25;

/** The faults each chain stage injects (by item number). */
export const PIPELINE_FAULTS: readonly StageFaults[] = [
  { poison: { modulus: 101, remainder: 1 }, transient: { modulus: 7, remainder: 0 } },
  { permanent: { modulus: 103, remainder: 2 }, transient: { modulus: 11, remainder: 3 } },
  { poison: { modulus: 107, remainder: 5 }, permanent: { modulus: 109, remainder: 7 }, transient: { modulus: 13, remainder: 4 } },
];

/** Adds the pipeline stack to `app`. */
export function pipelineStack(app: App, id = 'StageChainPipeline'): Stack {
  const stack = new Stack(app, id);
  const sink = new TableV2(stack, 'Sink', { partitionKey: { name: 'id', type: AttributeType.STRING } });
  const chain = new BatchStageChain(stack, 'Chain', {
    stages: ['Render', 'Personalize', 'Send'].map((name, i) => ({
      name,
      entry: STAGE_ENTRY,
      batchSize: i === 2 ? 50 : 10,
      maxBatchingWindow: i === 2 ? Duration.seconds(1) : undefined,
      timeout: PIPELINE_FUNCTION_TIMEOUT,
      environment: { E2E_STAGE_NAME: name, E2E_FAULTS: JSON.stringify(PIPELINE_FAULTS[i]) },
    })),
    sinkTable: sink,
  });
  const sms = new Queue(stack, 'Sms', { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true });
  const splitter = new Splitter(stack, 'ByChannel', { field: 'channel', routes: { email: chain.ingress, sms }, timeout: PIPELINE_FUNCTION_TIMEOUT });
  const filter = new Filter(stack, 'ShippedOnly', { patterns: [{ status: ['shipped'] }], output: splitter.ingress, timeout: PIPELINE_FUNCTION_TIMEOUT });
  new CfnOutput(stack, PipelineOutput.ingressUrl, { value: filter.ingress.queueUrl });
  new CfnOutput(stack, PipelineOutput.smsQueueUrl, { value: sms.queueUrl });
  new CfnOutput(stack, PipelineOutput.unmatchedQueueUrl, { value: splitter.defaultOutput.queueUrl });
  new CfnOutput(stack, PipelineOutput.sinkTableName, { value: sink.tableName });
  return stack;
}
