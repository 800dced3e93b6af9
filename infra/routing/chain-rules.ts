/**
 * Props validation of the BatchStageChain, and what its stages are told about where results
 * go (the next queue, or the sink table and its key attributes).
 */
import { CfnGlobalTable, Table } from 'aws-cdk-lib/aws-dynamodb';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Env, RoutingEnv } from '../../functions/contract';
import type { BatchStageChainProps } from '../batch-stage-chain';
import { PropsValidator } from '../private/validation';
import { validateFilterPatterns } from './filter-criteria';
import type { IConstruct } from 'constructs';

/** Most stages of one chain: each adds a hop (send, receive, delete, invocation) per batch. */
const MAX_CHAIN_STAGES = 25;

const STAGE_NAME = /^[A-Za-z][A-Za-z0-9]{0,63}$/;

/**
 * Checks the chain's own rules (each stage's WorkQueue then checks its limits, naming the
 * stage in its construct path).
 *
 * @throws Error naming every offending prop, its allowed range and the value received
 */
export function validateChainProps(scope: IConstruct, props: BatchStageChainProps): void {
  const v = new PropsValidator('BatchStageChain', scope);
  const n = props.stages.length;
  v.require(n >= 1 && n <= MAX_CHAIN_STAGES, 'stages', `must hold between 1 and ${MAX_CHAIN_STAGES} stages, received ${n}`);
  const names = props.stages.map((s) => s.name);
  props.stages.forEach((s, i) => {
    // The stage's name beside its index: a user reads "stage Price", not only "stages[1]".
    const stage = `stages[${i}] (stage "${s.name}")`;
    v.require(STAGE_NAME.test(s.name), `${stage}.name`, `must be 1–64 letters and digits starting with a letter, received "${s.name}"`);
    v.require(names.indexOf(s.name) === i, `${stage}.name`, `must be unique in the chain, received "${s.name}" again`);
    validateFilterPatterns(v, `${stage}.inputFilter`, s.inputFilter);
  });
  v.require(props.ingressDeadLetterQueue === undefined || props.ingress !== undefined, 'ingressDeadLetterQueue',
    'is only allowed together with ingress (a created ingress gets its own dead-letter queue), received it without ingress');
  v.exclusive('ingress', props.ingress, 'stages[0].maxReceiveCount', props.stages[0]?.maxReceiveCount);
  v.exclusive('sinkQueue', props.sinkQueue, 'sinkTable', props.sinkTable);
  validateFifo(v, props);
  validateSinkKeys(v, props);
  v.throwIfInvalid();
}

/** Whether the chain's queues are FIFO: the `fifo` prop, else the brought ingress's kind. */
export function isChainFifo(props: BatchStageChainProps): boolean {
  return props.fifo ?? props.ingress?.fifo ?? false;
}

/** One kind of queue from end to end: results carry a message group exactly when their input did. */
function validateFifo(v: PropsValidator, props: BatchStageChainProps): void {
  const kind = (fifo: boolean) => (fifo ? 'a FIFO queue' : 'a standard queue');
  const fifo = isChainFifo(props);
  if (props.ingress && props.fifo !== undefined) {
    v.require(props.ingress.fifo === props.fifo, 'fifo', `must match the brought ingress (${kind(props.ingress.fifo)}), received ${props.fifo}`);
  }
  if (props.sinkQueue) {
    v.require(props.sinkQueue.fifo === fifo, 'sinkQueue', `must be ${kind(fifo)} like the chain's stages, received ${kind(props.sinkQueue.fifo)}`);
  }
}

function validateSinkKeys(v: PropsValidator, props: BatchStageChainProps): void {
  v.require(props.sinkTablePartitionKey === undefined || props.sinkTable !== undefined, 'sinkTablePartitionKey',
    `is only allowed together with sinkTable, received "${props.sinkTablePartitionKey}" without sinkTable`);
  v.require(props.sinkTableSortKey === undefined || props.sinkTablePartitionKey !== undefined, 'sinkTableSortKey',
    `is only allowed together with sinkTablePartitionKey, received "${props.sinkTableSortKey}" without it`);
  if (props.sinkTable && props.sinkTablePartitionKey === undefined) {
    v.require(ownKeyAttributes(props.sinkTable) !== undefined, 'sinkTablePartitionKey',
      `is required with an imported sinkTable (its key schema is unknown at synth time), received none for ${props.sinkTable.node.path}`);
  }
}

/** Where a stage's results go, as its environment: the next stage, else the sink queue, else the sink table. */
export function chainEnvironment(props: BatchStageChainProps, nextQueue: IQueue | undefined): Record<string, string> {
  const queue = nextQueue ?? props.sinkQueue;
  if (queue) return { [Env.nextQueueUrl]: queue.queueUrl };
  if (props.sinkTable) {
    return { [RoutingEnv.sinkTableName]: props.sinkTable.tableName, [RoutingEnv.sinkTableKeys]: tableKeyAttributes(props).join(',') };
  }
  return {};
}

/** The sink table's key attributes (partition key, then sort key): from the props, else from the table. */
function tableKeyAttributes(props: BatchStageChainProps): string[] {
  if (props.sinkTablePartitionKey !== undefined) {
    return props.sinkTableSortKey === undefined ? [props.sinkTablePartitionKey] : [props.sinkTablePartitionKey, props.sinkTableSortKey];
  }
  return props.sinkTable ? (ownKeyAttributes(props.sinkTable) ?? []) : [];
}

/** Key attributes of a `Table` (its schema) or `TableV2` (its GlobalTable's key schema); undefined for an imported table. */
function ownKeyAttributes(table: BatchStageChainProps['sinkTable']): string[] | undefined {
  if (table instanceof Table) {
    const schema = table.schemaV2();
    return [...schema.partitionKeys, ...schema.sortKeys].map((key) => key.name);
  }
  const cfn = table?.node.defaultChild;
  if (cfn instanceof CfnGlobalTable && Array.isArray(cfn.keySchema)) {
    const keys = cfn.keySchema as CfnGlobalTable.KeySchemaProperty[];
    const byType = (type: string) => keys.find((k) => k.keyType === type)?.attributeName;
    return [byType('HASH'), byType('RANGE')].filter((k): k is string => k !== undefined);
  }
  return undefined;
}
