/**
 * The stage-chain benchmark's stack: the same 3-stage work twice, side by side —
 * a `BatchStageChain` (batched sends, 25-item writes) and a naive per-item chain (batch size
 * 1, SendMessage and PutItem per item) — each ending in its own table.
 */
import { fileURLToPath } from 'node:url';
import { CfnOutput, Duration, Stack, type App } from 'aws-cdk-lib';
import { AttributeType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Env, RoutingEnv } from '../../functions/contract';
import { BatchStageChain } from '../../infra/batch-stage-chain';
import { WorkQueue } from '../../infra/work-queue';
import type { StageShape } from './cost-model';

/** The batched chain's stages: full 10-message batches, then 50 at the sink for two 25-item writes. */
export const BATCHED_STAGES: readonly StageShape[] = [{ batchSize: 10 }, { batchSize: 10 }, { batchSize: 50 }];

/** Output names of the bench stack. */
export const BenchOutput = {
  batchedIngress: 'BatchedIngressUrl',
  batchedTable: 'BatchedTableName',
  naiveIngress: 'NaiveIngressUrl',
  naiveTable: 'NaiveTableName',
} as const;

const entry = (file: string) => fileURLToPath(new URL(`./${file}`, import.meta.url));
const STAGE_NAMES = ['Render', 'Personalize', 'Send'];

/** Adds the bench stack to `app`. */
export function benchStack(app: App, id = 'StageChainBench'): Stack {
  const stack = new Stack(app, id);
  const batchedTable = new TableV2(stack, 'BatchedSink', { partitionKey: { name: 'id', type: AttributeType.STRING } });
  const chain = new BatchStageChain(stack, 'Batched', {
    stages: BATCHED_STAGES.map((shape, i) => ({
      name: STAGE_NAMES[i] as string,
      entry: entry('batched-stage.ts'),
      batchSize: shape.batchSize,
      maxBatchingWindow: shape.batchSize > 10 ? Duration.seconds(1) : undefined,
      environment: { BENCH_STAGE_NAME: STAGE_NAMES[i] as string },
    })),
    sinkTable: batchedTable,
  });
  const naiveTable = new TableV2(stack, 'NaiveSink', { partitionKey: { name: 'id', type: AttributeType.STRING } });
  let next: WorkQueue | undefined;
  for (let i = STAGE_NAMES.length - 1; i >= 0; i--) {
    const env: Record<string, string> = next ? { [Env.nextQueueUrl]: next.ingress.queueUrl } : { [RoutingEnv.sinkTableName]: naiveTable.tableName };
    const wq = new WorkQueue(stack, `Naive${STAGE_NAMES[i]}`, {
      entry: entry('naive-stage.ts'),
      batchSize: 1,
      reportBatchItemFailures: false,
      environment: { ...env, BENCH_STAGE_NAME: STAGE_NAMES[i] as string },
    });
    if (next) next.grantSend(wq.workerFunction);
    else naiveTable.grantWriteData(wq.workerFunction);
    next = wq;
  }
  new CfnOutput(stack, BenchOutput.batchedIngress, { value: chain.ingress.queueUrl });
  new CfnOutput(stack, BenchOutput.batchedTable, { value: batchedTable.tableName });
  new CfnOutput(stack, BenchOutput.naiveIngress, { value: (next as WorkQueue).ingress.queueUrl });
  new CfnOutput(stack, BenchOutput.naiveTable, { value: naiveTable.tableName });
  return stack;
}
