import { Annotations, Duration } from 'aws-cdk-lib';
import { MathExpression, MetricOptions } from 'aws-cdk-lib/aws-cloudwatch';
import { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Grant, IGrantable } from 'aws-cdk-lib/aws-iam';
import { Function as LambdaFunction, IFunction } from 'aws-cdk-lib/aws-lambda';
import { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { FilterPattern } from '../functions/contract';
import { chainEnvironment, isChainFifo, validateChainProps } from './routing/chain-rules';
import { applyFilterCriteria } from './routing/filter-criteria';
import { WorkQueue } from './work-queue';

/** One stage of a {@link BatchStageChain}. Give exactly one of `entry` or `handler`. */
export interface ChainStageProps {
  /** The stage's name: its construct ID (`[A-Za-z][A-Za-z0-9]*`, unique in the chain, ≤ 64 characters). */
  readonly name: string;
  /**
   * Path of the stage's handler file, written with the runtime's `stage()` factory.
   *
   * @default - none; give `entry` or `handler`
   */
  readonly entry?: string;
  /**
   * An existing function built with `stage()`. When it is a `Function` of this app it gets the
   * chain's variables; an imported one must read `PP_NEXT_QUEUE_URL` or the sink variables itself.
   *
   * @default - none; give `entry` or `handler`
   */
  readonly handler?: IFunction;
  /**
   * Messages per invocation (1–10,000). Above 10 needs `maxBatchingWindow` ≥ 1 second.
   *
   * @default 10
   */
  readonly batchSize?: number;
  /**
   * How long the stage's mapping gathers messages before invoking (0–300 seconds).
   *
   * @default - no window
   */
  readonly maxBatchingWindow?: Duration;
  /**
   * Invocations of this stage at once (2–1,000): the stage's concurrency cap.
   *
   * @default - no cap
   */
  readonly maxConcurrency?: number;
  /**
   * Items of one batch processed at once by `processItem` (1–10,000).
   *
   * @default 1
   */
  readonly itemConcurrency?: number;
  /**
   * Function timeout (1–900 seconds).
   *
   * @default Duration.seconds(30)
   */
  readonly timeout?: Duration;
  /**
   * Function memory in MB (128–10,240). Only with `entry`.
   *
   * @default 512
   */
  readonly memorySize?: number;
  /**
   * Extra environment variables. Only with `entry`.
   *
   * @default - only the variables the chain sets
   */
  readonly environment?: Record<string, string>;
  /**
   * Receives before a message moves to this stage's DLQ (1–1,000). Not on the first stage with a brought `ingress`.
   *
   * @default 3
   */
  readonly maxReceiveCount?: number;
  /**
   * Only messages whose body matches one of these Lambda filter patterns invoke the stage; the
   * others are deleted by the mapping (1–5 patterns).
   *
   * @default - every message is processed
   */
  readonly inputFilter?: readonly FilterPattern[];
}

/** Props of {@link BatchStageChain}. Give at most one of `sinkQueue` and `sinkTable`. */
export interface BatchStageChainProps {
  /** The stages, in order (1–25). Stage `i`'s results are stage `i + 1`'s input. */
  readonly stages: readonly ChainStageProps[];
  /**
   * An existing queue as the chain's ingress (the first stage's input).
   *
   * @default - a new queue with SQS-managed encryption, TLS-only policy and a dead-letter queue
   */
  readonly ingress?: IQueue;
  /**
   * The dead-letter queue of a brought `ingress`. Only with `ingress`.
   *
   * @default - the brought queue's own dead-letter queue if it is a `Queue` of this app, else none
   */
  readonly ingressDeadLetterQueue?: IQueue;
  /**
   * Make every stage queue FIFO: each item keeps its message group from stage to stage, and a
   * failure holds back the rest of its group. Stages then take batches of at most 10 and no
   * batching window (Lambda's FIFO limits).
   *
   * @default - FIFO when a brought `ingress` is FIFO, else standard
   */
  readonly fifo?: boolean;
  /**
   * A queue the last stage's results are sent to (10-entry, size-packed batches). FIFO exactly
   * when the chain is.
   *
   * @default - no sink queue
   */
  readonly sinkQueue?: IQueue;
  /**
   * A table the last stage's results are put into with BatchWriteItem (25 per call,
   * UnprocessedItems retried). Each result is one item and must carry the key attributes.
   *
   * @default - no sink table: without a sink, the last stage's work is its own side effect
   */
  readonly sinkTable?: ITable;
  /**
   * The sink table's partition key attribute. Required for an imported table.
   *
   * @default - read from a `Table` or `TableV2` of this app
   */
  readonly sinkTablePartitionKey?: string;
  /**
   * The sink table's sort key attribute, if it has one. Only with `sinkTablePartitionKey`.
   *
   * @default - read from a `Table` or `TableV2` of this app; none for an imported table
   */
  readonly sinkTableSortKey?: string;
}

/**
 * Batch Stage Chain: work broken into stages, each a work queue with its own batch
 * size, batching window, concurrency cap, timeout, memory and DLQ, connected by SQS.
 *
 * A stage's handler (`stage()` from the runtime) receives a batch and returns a result or an
 * error per item; results go to the next stage in full 10-entry, size-packed sends, and the
 * last stage's results go to the sink (a queue, or a table in 25-item BatchWriteItem calls).
 * A failed item never blocks its batch-mates: only it is retried, and after `maxReceiveCount`
 * receives it rests in its stage's DLQ. Every stage scales, throttles and fails on its own.
 *
 * @example
 * const chain = new BatchStageChain(this, 'Orders', {
 *   stages: [
 *     { name: 'Validate', entry: 'functions/orders/validate.ts', batchSize: 10 },
 *     { name: 'Price', entry: 'functions/orders/price.ts', batchSize: 100, maxBatchingWindow: Duration.seconds(2), maxConcurrency: 5 },
 *     { name: 'Store', entry: 'functions/orders/store.ts', batchSize: 50, maxBatchingWindow: Duration.seconds(1) },
 *   ],
 *   sinkTable: ordersTable,
 * });
 * chain.grantSend(api);
 */
export class BatchStageChain extends Construct {
  /** The queue to send items to: the first stage's input. */
  public readonly ingress: IQueue;
  /** The dead-letter queue of the ingress, when known. */
  public readonly ingressDeadLetterQueue?: IQueue;
  /**
   * The stages, in the order of `props.stages`: each a {@link WorkQueue} with its own queue,
   * DLQ, function and metrics, e.g. `chain.stages[1].metricBacklog()`.
   */
  public readonly stages: readonly WorkQueue[];
  /** The sink queue, if any. */
  public readonly sinkQueue?: IQueue;
  /** The sink table, if any. */
  public readonly sinkTable?: ITable;

  constructor(scope: Construct, id: string, props: BatchStageChainProps) {
    super(scope, id);
    validateChainProps(this, props);
    this.sinkQueue = props.sinkQueue;
    this.sinkTable = props.sinkTable;
    this.stages = this.buildStages(props);
    const first = this.stages[0] as WorkQueue;
    this.ingress = first.ingress;
    this.ingressDeadLetterQueue = first.ingressDeadLetterQueue;
  }

  /** Lets `grantee` send items to the ingress: `sqs:SendMessage`, `sqs:GetQueueAttributes`, `sqs:GetQueueUrl` (plus KMS for a CMK queue). */
  public grantSend(grantee: IGrantable): Grant {
    return this.ingress.grantSendMessages(grantee);
  }

  /** Messages in all stages' DLQs together (sum of their depths): items the chain could not finish. */
  public metricTotalDlqDepth(props?: MetricOptions): MathExpression {
    const withDlq = this.stages.filter((s) => s.ingressDeadLetterQueue);
    const usingMetrics = Object.fromEntries(withDlq.map((s, i) => [`dlq${i}`, s.metricDlqDepth(props)]));
    return new MathExpression({
      expression: withDlq.length === 0 ? '0' : Object.keys(usingMetrics).join(' + '),
      usingMetrics,
      label: `${this.node.path} DLQ depth`,
      period: props?.period,
    });
  }

  /** Built last to first, so each stage's function gets the next stage's queue URL in its props. */
  private buildStages(props: BatchStageChainProps): WorkQueue[] {
    const built: WorkQueue[] = [];
    for (let i = props.stages.length - 1; i >= 0; i--) {
      const next = built[0];
      built.unshift(this.buildStage(props, i, next?.ingress));
    }
    return built;
  }

  private buildStage(props: BatchStageChainProps, index: number, nextQueue: IQueue | undefined): WorkQueue {
    const s = props.stages[index] as ChainStageProps;
    const brought = index === 0 && props.ingress !== undefined;
    const chainEnv = chainEnvironment(props, nextQueue);
    const workQueue = new WorkQueue(this, s.name, {
      ingress: brought ? props.ingress : undefined,
      ingressDeadLetterQueue: brought ? props.ingressDeadLetterQueue : undefined,
      // A standard queue after a FIFO one would refuse the results' message group and deduplication ids.
      fifo: !brought && isChainFifo(props) ? true : undefined,
      maxReceiveCount: s.maxReceiveCount,
      entry: s.entry,
      handler: s.handler,
      timeout: s.timeout,
      memorySize: s.memorySize,
      environment: s.entry ? { ...s.environment, ...chainEnv } : undefined,
      itemConcurrency: s.itemConcurrency,
      batchSize: s.batchSize,
      maxBatchingWindow: s.maxBatchingWindow,
      maxConcurrency: s.maxConcurrency,
    });
    if (s.handler) this.wireBroughtHandler(s.handler, chainEnv);
    this.grantOutput(workQueue.workerFunction, nextQueue);
    if (s.inputFilter) applyFilterCriteria(workQueue.workerFunction, workQueue.ingress, s.inputFilter);
    return workQueue;
  }

  private wireBroughtHandler(handler: IFunction, chainEnv: Record<string, string>): void {
    if (handler instanceof LambdaFunction) {
      for (const [key, value] of Object.entries(chainEnv)) handler.addEnvironment(key, value);
    } else if (Object.keys(chainEnv).length > 0) {
      Annotations.of(this).addWarningV2('pp-patterns:BatchStageChain.importedHandler',
        `An imported stage handler (${handler.node.path}) cannot be given ${Object.keys(chainEnv).join(', ')}: set them on it yourself.`);
    }
  }

  /** Only BatchWriteItem on the sink table: the one call `stage()` makes there. */
  private grantOutput(fn: IFunction, nextQueue: IQueue | undefined): void {
    const queue = nextQueue ?? this.sinkQueue;
    if (queue) {
      queue.grantSendMessages(fn);
    } else if (this.sinkTable) {
      this.sinkTable.grant(fn, 'dynamodb:BatchWriteItem');
      this.sinkTable.encryptionKey?.grantEncryptDecrypt(fn);
    }
  }
}
