import { Duration } from 'aws-cdk-lib';
import { Metric, MetricOptions } from 'aws-cdk-lib/aws-cloudwatch';
import { AttributeType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Grant, IGrantable } from 'aws-cdk-lib/aws-iam';
import { IFunction } from 'aws-cdk-lib/aws-lambda';
import { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ReduceEnv, ReduceMetric, ReduceTable } from '../functions/contract';
import type { ReadyMergeName } from '../functions/lib/reduce/merges';
import { ingressWorkQueue } from './private/ingress';
import { functionEntry } from './private/paths';
import { validateIngress } from './private/scheduled-rules';
import { secureTable } from './private/secure-table';
import { serviceMetric } from './private/service-metric';
import { PropsValidator } from './private/validation';
import type { QueueIngressProps } from './queue-ingress';
import { WorkQueue } from './work-queue';

/** Props of {@link Reduce}. Give exactly one of `entry` or `merge`. */
export interface ReduceProps extends QueueIngressProps {
  /** Your reducer file, written with the runtime's `reducer({ merge })` (merge associative and commutative). @default - none; give `entry` or `merge` */
  readonly entry?: string;
  /** A ready-made merge: `sum`, `count`, `histogram` or `topK:<k>` (k 1–10,000). @default - none; give `entry` or `merge` */
  readonly merge?: ReadyMergeName;
  /**
   * Shards per aggregation (1–1,000): each holds part of the aggregate and the ids of the
   * partials merged into it, in one item of at most 400 KB. Raise it for many partials or large
   * values; never change it while aggregations are open.
   * @default 8
   */
  readonly shards?: number;
  /** How long an aggregation's items are kept (1 hour–365 days). @default Duration.days(7) */
  readonly aggregateTtl?: Duration;
  /** A queue told about every final aggregate (`{ reduceId, value, count, finalAt }`), at least once. @default - none: read finals from `table` */
  readonly output?: IQueue;
  /** Reducer timeout (1–900 seconds). @default Duration.seconds(30) */
  readonly timeout?: Duration;
  /** Reducer memory in MB (128–10,240). @default 512 */
  readonly memorySize?: number;
  /** Extra environment variables of the reducer. @default - only the variables the construct sets */
  readonly environment?: Record<string, string>;
  /** Powertools service name of the reducer: the `service` dimension of the `metric*` methods. @default - this construct's path */
  readonly serviceName?: string;
}

const DEFAULTS = { shards: 8, aggregateTtl: Duration.days(7), ingressBatchSize: 100, ingressMaxBatchingWindow: Duration.seconds(1), ingressMaxConcurrency: 2 } as const;

/**
 * Reduce: producers send partial results `{ reduceId, partialId, value, expected? }`
 * to the ingress; the reducer merges them in batches, as they arrive (it does not wait for the
 * map to finish), into an aggregate kept in DynamoDB shard items, so it is not capped by the
 * 256 KiB Step Functions payload nor by one item. A partial is merged **once**: its id is
 * written into its shard's applied list by the same conditional write that merges it, so a
 * duplicate delivery (or a retried batch) finds it there and is skipped. When the merged count
 * reaches `expected` the aggregate becomes final: written once with `finalAt`, and sent to `output`.
 *
 * @example
 * const words = new Reduce(this, 'WordCount', { merge: 'histogram', shards: 16 });
 * words.grantSend(mapWorker);   // each worker sends { reduceId, partialId, value: { word: n }, expected }
 */
export class Reduce extends Construct {
  /** The queue producers send partials to. */
  public readonly ingress: IQueue;
  /** Its dead-letter queue (malformed partials with the reason). */
  public readonly ingressDeadLetterQueue?: IQueue;
  /** The reducer function. */
  public readonly reducerFunction: IFunction;
  /** Aggregations: shards, expected counts, finals. */
  public readonly table: TableV2;
  /** The reducer's queue and worker. */
  public readonly reducer: WorkQueue;
  /** The Powertools service name, the `service` dimension of the metrics. */
  public readonly serviceName: string;

  constructor(scope: Construct, id: string, props: ReduceProps) {
    super(scope, id);
    validate(this.node.path, props);
    this.serviceName = props.serviceName ?? this.node.path;
    this.table = secureTable(this, 'Aggregates', {
      partitionKey: { name: ReduceTable.partitionKey, type: AttributeType.STRING },
      sortKey: { name: ReduceTable.sortKey, type: AttributeType.STRING },
      timeToLiveAttribute: ReduceTable.ttlAttribute,
    });
    this.reducer = this.buildReducer(props);
    this.ingress = this.reducer.ingress;
    this.ingressDeadLetterQueue = this.reducer.ingressDeadLetterQueue;
    this.reducerFunction = this.reducer.workerFunction;
  }

  /** Lets `grantee` send partials: `sqs:SendMessage`, `sqs:GetQueueAttributes`, `sqs:GetQueueUrl` on the ingress. */
  public grantSend(grantee: IGrantable): Grant {
    return this.ingress.grantSendMessages(grantee);
  }

  /** Lets `grantee` read aggregates and finals: `dynamodb:GetItem`, `BatchGetItem`, `Query` on the table. */
  public grantReadAggregates(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({ grantee, actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'], resourceArns: [this.table.tableArn] });
  }

  /** Partials waiting in the ingress. */
  public metricBacklog(props?: MetricOptions): Metric {
    return this.reducer.metricBacklog(props);
  }

  /** Age of the oldest partial waiting. */
  public metricOldestMessageAge(props?: MetricOptions): Metric {
    return this.reducer.metricOldestMessageAge(props);
  }

  /** Malformed partials set aside in the DLQ. */
  public metricDlqDepth(props?: MetricOptions): Metric {
    return this.reducer.metricDlqDepth(props);
  }

  /** Partials merged (Sum). */
  public metricItemsMerged(props?: MetricOptions): Metric {
    return serviceMetric(this.serviceName, ReduceMetric.partialsMerged, 'Sum', props);
  }

  /** Duplicate deliveries of partials skipped (Sum). */
  public metricItemsSkipped(props?: MetricOptions): Metric {
    return serviceMetric(this.serviceName, ReduceMetric.duplicatesSkipped, 'Sum', props);
  }

  /** Aggregates that became final (Sum). */
  public metricAggregatesFinalized(props?: MetricOptions): Metric {
    return serviceMetric(this.serviceName, ReduceMetric.aggregatesFinalized, 'Sum', props);
  }

  private buildReducer(props: ReduceProps): WorkQueue {
    const environment: Record<string, string> = {
      ...props.environment,
      [ReduceEnv.tableName]: this.table.tableName,
      [ReduceEnv.shards]: String(props.shards ?? DEFAULTS.shards),
      [ReduceEnv.ttlSeconds]: String((props.aggregateTtl ?? DEFAULTS.aggregateTtl).toSeconds()),
      ...(props.merge ? { [ReduceEnv.merge]: props.merge } : {}),
      ...(props.output ? { [ReduceEnv.outputQueueUrl]: props.output.queueUrl } : {}),
    };
    const reducer = ingressWorkQueue(this, 'Reducer', withBatchDefaults(props), { entry: props.entry ?? functionEntry('reduce', 'ready-made-handler.ts'), serviceName: this.serviceName, environment, timeout: props.timeout, memorySize: props.memorySize });
    Grant.addToPrincipal({ grantee: reducer.workerFunction, actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem'], resourceArns: [this.table.tableArn] });
    props.output?.grantSendMessages(reducer.workerFunction);
    return reducer;
  }
}

/** Batches of 100 gathered for a second, two reducers at once: fewer, larger merges, little contention (FIFO: batch and window as given). */
function withBatchDefaults(props: ReduceProps): ReduceProps {
  if (props.ingress?.fifo) return { ...props, ingressMaxConcurrency: props.ingressMaxConcurrency ?? DEFAULTS.ingressMaxConcurrency };
  const batchSize = props.ingressBatchSize ?? DEFAULTS.ingressBatchSize;
  return {
    ...props,
    ingressBatchSize: batchSize,
    ingressMaxBatchingWindow: props.ingressMaxBatchingWindow ?? (batchSize > 10 ? DEFAULTS.ingressMaxBatchingWindow : undefined),
    // Reducers contend for the same shards: few of them, with large batches, merge fastest.
    ingressMaxConcurrency: props.ingressMaxConcurrency ?? DEFAULTS.ingressMaxConcurrency,
  };
}

function validate(path: string, props: ReduceProps): void {
  const v = new PropsValidator(`Reduce at ${path}`);
  validateIngress(v, withBatchDefaults(props));
  v.exactlyOne('entry', props.entry, 'merge', props.merge);
  v.require(props.merge === undefined || /^(sum|count|histogram|topK:([1-9]\d{0,3}|10000))$/.test(props.merge), 'merge', `must be sum, count, histogram or topK:<k> with k 1–10000, received ${JSON.stringify(props.merge)}`);
  v.integerInRange('shards', props.shards, 1, 1_000);
  v.durationInRange('aggregateTtl', props.aggregateTtl, 3600, 31_536_000);
  v.durationInRange('timeout', props.timeout, 1, 900);
  v.integerInRange('memorySize', props.memorySize, 128, 10_240);
  v.require(props.output?.fifo !== true, 'output', 'must be a standard queue (finals are sent without a message group), received a FIFO queue');
  v.throwIfInvalid();
}
