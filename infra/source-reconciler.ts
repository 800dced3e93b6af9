import { Duration, Stack } from 'aws-cdk-lib';
import { Metric, MetricOptions } from 'aws-cdk-lib/aws-cloudwatch';
import { AttributeType, ITable, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { Grant, IGrantable } from 'aws-cdk-lib/aws-iam';
import { IFunction } from 'aws-cdk-lib/aws-lambda';
import { IBucket } from 'aws-cdk-lib/aws-s3';
import { IQueue } from 'aws-cdk-lib/aws-sqs';
import { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { LedgerTable, type SourceConfig, SourceReconcilerEnv } from '../functions/contract';
import { handlerFunction } from './private/handler-function';
import { functionEntry } from './private/paths';
import { scheduleFunction } from './private/schedule-loop';
import { secureTable } from './private/secure-table';
import { PropsValidator } from './private/validation';

/** Where a {@link SourceReconciler} lists its items. */
export abstract class ReconcilerSource {
  /** Every object under `prefix` of `bucket` (the ETag is the version: a rewritten object is new work). */
  public static s3Prefix(bucket: IBucket, prefix = ''): ReconcilerSource {
    return new (class extends ReconcilerSource {
      public bind(fn: IFunction): SourceConfig {
        Grant.addToPrincipal({ grantee: fn, actions: ['s3:ListBucket'], resourceArns: [bucket.bucketArn] });
        return { kind: 's3', bucket: bucket.bucketName, prefix };
      }
    })();
  }

  /** One partition of a table or index: items whose `partitionKey` is `partitionValue`, identified by `idAttribute`. */
  public static dynamoQuery(table: ITable, options: { readonly partitionKey: string; readonly partitionValue: string; readonly idAttribute: string; readonly versionAttribute?: string; readonly indexName?: string }): ReconcilerSource {
    return new (class extends ReconcilerSource {
      public bind(fn: IFunction): SourceConfig {
        const arn = options.indexName ? `${table.tableArn}/index/${options.indexName}` : table.tableArn;
        Grant.addToPrincipal({ grantee: fn, actions: ['dynamodb:Query'], resourceArns: [arn] });
        return { kind: 'dynamodb', table: table.tableName, ...options };
      }
    })();
  }

  /** Your listing: a handler file written with the runtime's `sourceReconciler({ list })`; grant it what it reads. */
  public static custom(entry: string): ReconcilerSource {
    return new (class extends ReconcilerSource {
      public override readonly entry = entry;
      public bind(): undefined {
        return undefined;
      }
    })();
  }

  /** The handler file of a custom source. @default - the built-in reconciler */
  public readonly entry?: string;

  /** Grants `fn` the listing; returns the built-in source's configuration. */
  public abstract bind(fn: IFunction): SourceConfig | undefined;
}

/** Props of {@link SourceReconciler}. */
export interface SourceReconcilerProps {
  /** What to list. */
  readonly source: ReconcilerSource;
  /** The work queue new items are sent to (a `WorkQueue`'s `ingress`; standard, not FIFO). */
  readonly output: IQueue;
  /** When runs start, one minute apart or more. Excludes `interval`. @default Schedule.rate(Duration.minutes(5)) */
  readonly schedule?: Schedule;
  /** Runs more often than every minute (1–59 s), by a Step Functions Wait loop. Excludes `schedule`. @default - `schedule` applies */
  readonly interval?: Duration;
  /** How long a run's claim on an item holds before another run may send it (1 minute–12 hours, longer than `timeout`). @default Duration.minutes(15) */
  readonly leaseDuration?: Duration;
  /** Items listed per run at most (1–10,000,000); the rest waits for the next run. @default 100000 */
  readonly maxItemsPerRun?: number;
  /** How long the ledger remembers an enqueued item (1 hour–365 days): keep it longer than the source keeps items. @default Duration.days(30) */
  readonly ledgerTtl?: Duration;
  /** Reconciler timeout (1–900 seconds). @default Duration.minutes(5) */
  readonly timeout?: Duration;
  /** Reconciler memory in MB (128–10,240). @default 512 */
  readonly memorySize?: number;
  /** Extra environment variables of the reconciler. @default - only the variables the construct sets */
  readonly environment?: Record<string, string>;
}

const DEFAULTS = { schedule: Schedule.rate(Duration.minutes(5)), leaseDuration: Duration.minutes(15), maxItemsPerRun: 100_000, ledgerTtl: Duration.days(30), timeout: Duration.minutes(5) } as const;

/**
 * The work-queue manager: on a schedule, lists a source (an S3 prefix, a DynamoDB
 * query, or your paginated list function), diffs it against what it already handed to the
 * work queue, and sends **only the rest**.
 *
 * Bookkeeping, and why: the source has no completion endpoint and SQS cannot be asked "is X
 * queued", so the reconciler keeps one small ledger item per enqueued item version (key,
 * state, lease end, TTL) — nothing else. A run claims an unknown item with one conditional
 * write (so two overlapping runs never both send it), sends it, then marks it enqueued; a run
 * that dies in between leaves a lease that expires, and the next run sends the item again (at
 * least once: work-queue handlers are idempotent). Records expire after `ledgerTtl`; a source
 * that still lists an item after that gets it processed again, so remove or move processed
 * items from the source, or version them.
 *
 * @example
 * new SourceReconciler(this, 'Uploads', {
 *   source: ReconcilerSource.s3Prefix(bucket, 'incoming/'),
 *   output: images.ingress,
 *   schedule: Schedule.rate(Duration.minutes(1)),
 * });
 */
export class SourceReconciler extends Construct {
  /** The ledger of enqueued item versions. */
  public readonly table: TableV2;
  /** The reconciler function. */
  public readonly reconcilerFunction: IFunction;
  /** The rule that starts each run (or each sub-minute loop). */
  public readonly schedule: Rule;
  /** The sub-minute loop, with `interval`. */
  public readonly reconcileLoop?: StateMachine;

  constructor(scope: Construct, id: string, props: SourceReconcilerProps) {
    super(scope, id);
    validate(this.node.path, props);
    this.table = secureTable(this, 'Ledger', { partitionKey: { name: LedgerTable.partitionKey, type: AttributeType.STRING }, timeToLiveAttribute: LedgerTable.ttlAttribute });
    this.reconcilerFunction = this.buildFunction(props);
    const run = scheduleFunction(this, 'Reconcile', this.reconcilerFunction, { schedule: props.interval ? undefined : (props.schedule ?? DEFAULTS.schedule), interval: props.interval });
    this.schedule = run.rule;
    this.reconcileLoop = run.loop;
  }

  /** Lets `grantee` read the ledger: `dynamodb:GetItem`, `BatchGetItem` on the table. */
  public grantReadLedger(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({ grantee, actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem'], resourceArns: [this.table.tableArn] });
  }

  /** Reconciler runs that failed (Sum). */
  public metricRunErrors(props?: MetricOptions): Metric {
    return this.reconcilerFunction.metricErrors({ statistic: 'Sum', ...props });
  }

  private buildFunction(props: SourceReconcilerProps): IFunction {
    const fn = handlerFunction(this, 'Reconciler', {
      entry: props.source.entry ?? functionEntry('source-reconciler', 'built-in-handler.ts'),
      serviceName: this.node.path,
      timeout: props.timeout ?? DEFAULTS.timeout,
      memorySize: props.memorySize,
      description: `pp-patterns SourceReconciler of ${this.node.path}`,
      environment: {
        ...props.environment,
        [SourceReconcilerEnv.ledgerTableName]: this.table.tableName,
        [SourceReconcilerEnv.outputQueueUrl]: props.output.queueUrl,
        [SourceReconcilerEnv.leaseMs]: String((props.leaseDuration ?? DEFAULTS.leaseDuration).toMilliseconds()),
        [SourceReconcilerEnv.maxItems]: String(props.maxItemsPerRun ?? DEFAULTS.maxItemsPerRun),
        [SourceReconcilerEnv.ttlSeconds]: String((props.ledgerTtl ?? DEFAULTS.ledgerTtl).toSeconds()),
      },
    });
    const config = props.source.bind(fn);
    if (config) fn.addEnvironment(SourceReconcilerEnv.source, Stack.of(this).toJsonString(config));
    Grant.addToPrincipal({ grantee: fn, actions: ['dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], resourceArns: [this.table.tableArn] });
    props.output.grantSendMessages(fn);
    return fn;
  }
}

function validate(path: string, props: SourceReconcilerProps): void {
  const v = new PropsValidator(`SourceReconciler at ${path}`);
  v.exclusive('schedule', props.schedule, 'interval', props.interval);
  v.durationInRange('interval', props.interval, 1, 59);
  v.durationInRange('timeout', props.timeout, 1, 900);
  v.durationInRange('leaseDuration', props.leaseDuration, 60, 43_200);
  v.durationInRange('ledgerTtl', props.ledgerTtl, 3600, 31_536_000);
  v.integerInRange('maxItemsPerRun', props.maxItemsPerRun, 1, 10_000_000);
  v.integerInRange('memorySize', props.memorySize, 128, 10_240);
  const lease = (props.leaseDuration ?? DEFAULTS.leaseDuration).toSeconds();
  const timeout = (props.timeout ?? DEFAULTS.timeout).toSeconds();
  v.require(lease > timeout, 'leaseDuration', `must be longer than timeout (a live run's claims must not expire), received ${lease} s with timeout ${timeout} s`);
  v.require(props.output.fifo !== true, 'output', 'must be a standard queue (items are sent without a message group), received a FIFO queue');
  v.throwIfInvalid();
}
