/** The reduce benchmark's stack: a map WorkQueue feeding both a Reduce and a join table. */
import { fileURLToPath } from 'node:url';
import { CfnOutput, Stack, type App } from 'aws-cdk-lib';
import { AttributeType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Reduce } from '../../infra/reduce';
import { WorkQueue } from '../../infra/work-queue';

/** Concurrent map invocations (each works its batch of 10 items at once). */
export const MAP_CONCURRENCY = 10;

/** Output names of the bench stack. */
export const ReduceBenchOutput = { mapUrl: 'MapUrl', reduceTable: 'ReduceTable', joinTable: 'JoinTable' } as const;

/** Adds the bench stack to `app`. */
export function reduceBenchStack(app: App, id = 'ReduceBench'): Stack {
  const stack = new Stack(app, id);
  // The Reduce's defaults: batches of up to 100 gathered for up to a second, two reducers.
  const reduce = new Reduce(stack, 'Words', { merge: 'histogram', shards: 8 });
  const join = new TableV2(stack, 'JoinPartials', { partitionKey: { name: 'reduceId', type: AttributeType.STRING }, sortKey: { name: 'index', type: AttributeType.NUMBER } });
  const map = new WorkQueue(stack, 'Map', {
    entry: fileURLToPath(new URL('./map-worker.ts', import.meta.url)),
    batchSize: 10,
    maxConcurrency: MAP_CONCURRENCY,
    environment: { BENCH_REDUCE_URL: reduce.ingress.queueUrl, BENCH_JOIN_TABLE: join.tableName },
  });
  reduce.grantSend(map.workerFunction);
  join.grantWriteData(map.workerFunction);
  new CfnOutput(stack, ReduceBenchOutput.mapUrl, { value: map.ingress.queueUrl });
  new CfnOutput(stack, ReduceBenchOutput.reduceTable, { value: reduce.table.tableName });
  new CfnOutput(stack, ReduceBenchOutput.joinTable, { value: join.tableName });
  return stack;
}
