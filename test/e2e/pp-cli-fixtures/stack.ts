/**
 * The stack `pp` is tested against end to end: an ingress with its DLQ (no consumer, so the
 * test sees exactly what `pp` put where), a FIFO ingress, and a table with the MarkerSweeper
 * flag-set key shape, all named by outputs as a deployed stack's would be.
 */
import { CfnOutput, RemovalPolicy, Stack, type App } from 'aws-cdk-lib';
import { AttributeType } from 'aws-cdk-lib/aws-dynamodb';
import { FlagTable } from '../../../functions/contract';
import { secureQueue } from '../../../infra/private/secure-queue';
import { secureTable } from '../../../infra/private/secure-table';

/** The fixture's output keys. */
export const PpCliOutput = {
  ingressUrl: 'IngressUrl',
  ingressDlqUrl: 'IngressDlqUrl',
  fifoUrl: 'FifoIngressUrl',
  flagTableName: 'FlagTableName',
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
  new CfnOutput(stack, PpCliOutput.ingressUrl, { value: ingress.queue.queueUrl });
  new CfnOutput(stack, PpCliOutput.ingressDlqUrl, { value: ingress.deadLetterQueue?.queueUrl ?? '', description: 'Failed items' });
  new CfnOutput(stack, PpCliOutput.fifoUrl, { value: fifo.queue.queueUrl });
  new CfnOutput(stack, PpCliOutput.flagTableName, { value: flags.tableName });
  return stack;
}
