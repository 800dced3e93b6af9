/**
 * The stack `pp` is tested against end to end: an ingress with its DLQ (no consumer, so the
 * test sees exactly what `pp` put where), a FIFO ingress, tables with the key shapes of a
 * MarkerSweeper flag set, a RollingPoller watch table and a SparseTask task table, and a state
 * machine that waits a minute, all named by outputs as a deployed stack's would be.
 */
import { CfnOutput, Duration, RemovalPolicy, Stack, type App } from 'aws-cdk-lib';
import { AttributeType } from 'aws-cdk-lib/aws-dynamodb';
import { DefinitionBody, StateMachine, Wait, WaitTime } from 'aws-cdk-lib/aws-stepfunctions';
import { FlagTable, TaskTable, WatchTable } from '../../../functions/contract';
import { secureQueue } from '../../../infra/private/secure-queue';
import { secureTable } from '../../../infra/private/secure-table';

/** The fixture's output keys. */
export const PpCliOutput = {
  ingressUrl: 'IngressUrl',
  ingressDlqUrl: 'IngressDlqUrl',
  fifoUrl: 'FifoIngressUrl',
  flagTableName: 'FlagTableName',
  watchTableName: 'WatchTableName',
  taskTableName: 'TaskTableName',
  fanOutArn: 'FanOutArn',
} as const;

/** The fixture's stack name. */
export const PP_CLI_STACK = 'PpCliFixture';

/** Adds the fixture stack to `app`. */
export function ppCliStack(app: App): Stack {
  const stack = new Stack(app, PP_CLI_STACK);
  const ingress = secureQueue(stack, 'Ingress', { maxReceiveCount: 3 });
  const fifo = secureQueue(stack, 'FifoIngress', { fifo: true, maxReceiveCount: 3 });
  const flags = secureTable(stack, 'Flags', { partitionKey: { name: FlagTable.partitionKey, type: AttributeType.STRING }, removalPolicy: RemovalPolicy.DESTROY });
  flags.addGlobalSecondaryIndex({
    indexName: FlagTable.pendingIndex,
    partitionKey: { name: FlagTable.shardAttribute, type: AttributeType.NUMBER },
    sortKey: { name: FlagTable.dueAtAttribute, type: AttributeType.NUMBER },
  });
  const watch = secureTable(stack, 'Watch', { partitionKey: { name: WatchTable.partitionKey, type: AttributeType.STRING }, removalPolicy: RemovalPolicy.DESTROY });
  const tasks = secureTable(stack, 'Tasks', { partitionKey: { name: TaskTable.partitionKey, type: AttributeType.STRING }, removalPolicy: RemovalPolicy.DESTROY });
  tasks.addGlobalSecondaryIndex({
    indexName: TaskTable.pendingIndex,
    partitionKey: { name: TaskTable.shardAttribute, type: AttributeType.NUMBER },
    sortKey: { name: TaskTable.deadlineAttribute, type: AttributeType.NUMBER },
  });
  const fanOut = new StateMachine(stack, 'FanOut', { definitionBody: DefinitionBody.fromChainable(new Wait(stack, 'Minute', { time: WaitTime.duration(Duration.minutes(1)) })) });
  new CfnOutput(stack, PpCliOutput.watchTableName, { value: watch.tableName });
  new CfnOutput(stack, PpCliOutput.taskTableName, { value: tasks.tableName });
  new CfnOutput(stack, PpCliOutput.fanOutArn, { value: fanOut.stateMachineArn });
  new CfnOutput(stack, PpCliOutput.ingressUrl, { value: ingress.queue.queueUrl });
  new CfnOutput(stack, PpCliOutput.ingressDlqUrl, { value: ingress.deadLetterQueue?.queueUrl ?? '', description: 'Failed items' });
  new CfnOutput(stack, PpCliOutput.fifoUrl, { value: fifo.queue.queueUrl });
  new CfnOutput(stack, PpCliOutput.flagTableName, { value: flags.tableName });
  return stack;
}
