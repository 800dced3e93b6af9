import { Duration } from 'aws-cdk-lib';
import { Metric, MetricOptions } from 'aws-cdk-lib/aws-cloudwatch';
import { AttributeType, ProjectionType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { Grant, IGrantable } from 'aws-cdk-lib/aws-iam';
import { IFunction } from 'aws-cdk-lib/aws-lambda';
import { IQueue } from 'aws-cdk-lib/aws-sqs';
import { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { FlagTable, MarkerSweeperEnv, MarkerSweeperMetric } from '../functions/contract';
import { handlerFunction } from './private/handler-function';
import { IngressBackedConstruct } from './private/ingress-backed';
import { ingressWorkQueue } from './private/ingress';
import { leaseDuration, MARKER_SWEEPER_DEFAULTS as D, sweeperTimeout, validateMarkerSweeperProps } from './private/marker-sweeper-rules';
import { functionEntry } from './private/paths';
import { scheduleFunction } from './private/schedule-loop';
import { secureDeadLetterQueue } from './private/secure-queue';
import { secureTable } from './private/secure-table';
import { serviceMetric } from './private/service-metric';
import type { QueueIngressProps } from './queue-ingress';
import { WorkQueue } from './work-queue';

/**
 * Props of {@link MarkerSweeper}. Give exactly one of `sweeperEntry` or `deliveryQueue`. The
 * `ingress*` props shape the marker's queue of events; events naming the same key in one
 * batch cost one write, so a larger `ingressBatchSize` saves writes on bursts of duplicates.
 */
export interface MarkerSweeperProps extends QueueIngressProps {
  /**
   * Dot path of the item key in each event's JSON body (`roomId`, `$.detail.room.id`).
   * Events without a string, number or boolean there go to the ingress DLQ with the reason.
   *
   * @default 'key'
   */
  readonly keyPath?: string;
  /**
   * Write shards of the pending-flags index (1–100): flags spread over this many index
   * partitions, so a hot flag set does not hit one. Never change it on a deployed table.
   *
   * @default 4
   */
  readonly flagShards?: number;
  /**
   * How long after its last mark DynamoDB TTL deletes a flag nobody swept (1 hour–365 days, longer than `leaseDuration`).
   *
   * @default Duration.days(7)
   */
  readonly flagTtl?: Duration;
  /**
   * Path of your sweeper handler file, written with the runtime's `sweeper({ sweep })` factory.
   *
   * @default - none; give `sweeperEntry` or `deliveryQueue`
   */
  readonly sweeperEntry?: string;
  /**
   * A standard queue (e.g. a `WorkQueue`'s; not FIFO) the built-in sweeper sends each claimed flag
   * to, as one message (body: the flag as JSON); the flag is cleared once the message is accepted.
   *
   * @default - none; give `sweeperEntry` or `deliveryQueue`
   */
  readonly deliveryQueue?: IQueue;
  /**
   * Most flags claimed per sweep batch (1–1,000).
   *
   * @default 100
   */
  readonly sweepBatchSize?: number;
  /**
   * Most batches per sweeper run (1–100); a run stops at the first batch that is not full.
   *
   * @default 10
   */
  readonly sweepMaxBatches?: number;
  /**
   * Claims a flag gets (1–100): a flag whose sweep fails on its last claim is parked in
   * `sweeperDeadLetterQueue` with its last error, instead of being retried until `flagTtl`.
   *
   * @default 5
   */
  readonly sweepMaxAttempts?: number;
  /**
   * Least time between two full counts of the outstanding flags (0–1 hour; 0 counts after every
   * sweep). A count reads the whole pending index, so on a large set it costs more reads than
   * the sweep; `metricOutstandingFlags()` gets one point per interval.
   *
   * @default Duration.minutes(5)
   */
  readonly outstandingCountInterval?: Duration;
  /**
   * When the sweeper runs, one minute apart or more. Excludes `sweepInterval`.
   *
   * @default Schedule.rate(Duration.minutes(1))
   */
  readonly sweepSchedule?: Schedule;
  /**
   * Sweep more often than every minute (1–59 seconds): an Express state machine started every
   * minute invokes the sweeper, waits this long, and repeats. Excludes `sweepSchedule`.
   *
   * @default - no sub-minute loop: `sweepSchedule` applies
   */
  readonly sweepInterval?: Duration;
  /**
   * Sweeper timeout (1–900 seconds).
   *
   * @default Duration.minutes(1)
   */
  readonly sweeperTimeout?: Duration;
  /**
   * Sweeper memory in MB (128–10,240).
   *
   * @default 512
   */
  readonly sweeperMemorySize?: number;
  /**
   * Extra environment variables of the sweeper.
   *
   * @default - only the variables the construct sets
   */
  readonly sweeperEnvironment?: Record<string, string>;
  /**
   * How long a sweep holds its flags (1 second–12 hours, longer than `sweeperTimeout`). A crashed
   * sweep's flags are swept again once it ends.
   *
   * @default - twice `sweeperTimeout`
   */
  readonly leaseDuration?: Duration;
  /**
   * Delay before a flag whose processing failed is swept again (0–12 hours).
   *
   * @default Duration.minutes(1)
   */
  readonly retryDelay?: Duration;
  /**
   * Powertools service name of the marker and sweeper: the `service` dimension of the `metric*` methods.
   *
   * @default - this construct's path
   */
  readonly serviceName?: string;
}

/**
 * Marker and Sweeper: a fast marker flags items in a DynamoDB flag set
 * (one conditional write per distinct key, duplicates collapse into a count), and a scheduled
 * sweeper processes the flags in batches at its own pace.
 *
 * - The sweeper claims up to `sweepBatchSize` flags with a lease (conditional update), so two
 *   sweepers never hold one flag; a crashed sweep's lease expires and its flags come back.
 * - A flag is cleared only if it was not re-marked during the sweep (version check); a
 *   re-marked flag is swept again next run.
 * - Pending flags are found through a sparse index spread over `flagShards` partitions.
 * - Sub-minute sweeps: `sweepInterval` (a Step Functions Wait loop, see `scheduleFunction`).
 *
 * @example
 * const cleanup = new MarkerSweeper(this, 'RoomCleanup', {
 *   keyPath: 'roomId',
 *   sweeperEntry: 'functions/rooms/sweeper.ts', // export const handler = sweeper({ sweep: async (flags) => … })
 *   sweepBatchSize: 50,
 * });
 * cleanup.grantSend(eventsFunction);
 */
export class MarkerSweeper extends IngressBackedConstruct {
  /** The flag set. */
  public readonly table: TableV2;
  /** The marker function, draining the ingress into the flag set. */
  public readonly markerFunction: IFunction;
  /** The sweeper function. */
  public readonly sweeperFunction: IFunction;
  /** Where flags that failed `sweepMaxAttempts` sweeps are parked (body: the flag and its last error). */
  public readonly sweeperDeadLetterQueue: IQueue;
  /** The rule that starts each sweep (or each sub-minute loop). */
  public readonly schedule: Rule;
  /** The sub-minute sweep loop, when `sweepInterval` is set. */
  public readonly sweepLoop?: StateMachine;
  /** The Powertools service name, the `service` dimension of the metrics. */
  public readonly serviceName: string;
  protected readonly ingressWorker: WorkQueue;

  constructor(scope: Construct, id: string, props: MarkerSweeperProps) {
    super(scope, id);
    validateMarkerSweeperProps(this, props);
    this.serviceName = props.serviceName ?? this.node.path;
    this.table = this.buildTable();
    this.ingressWorker = this.buildMarker(props);
    this.markerFunction = this.ingressWorker.workerFunction;
    this.sweeperDeadLetterQueue = secureDeadLetterQueue(this, 'SweeperDeadLetterQueue');
    this.sweeperFunction = this.buildSweeper(props);
    const run = scheduleFunction(this, 'Sweep', this.sweeperFunction, { schedule: props.sweepSchedule, interval: props.sweepInterval });
    this.schedule = run.rule;
    this.sweepLoop = run.loop;
  }

  /**
   * Lets `grantee` read the flag set: `dynamodb:BatchGetItem`, `GetRecords`, `GetShardIterator`,
   * `Query`, `GetItem`, `Scan`, `ConditionCheckItem`, `DescribeTable` on the table and its index.
   */
  public grantReadFlags(grantee: IGrantable): Grant {
    return this.table.grantReadData(grantee);
  }

  /** Flags in the set, counted at most once per `outstandingCountInterval` (Maximum over 5 minutes). */
  public metricOutstandingFlags(props?: MetricOptions): Metric {
    return serviceMetric(this.serviceName, MarkerSweeperMetric.outstandingFlags, 'Maximum', props);
  }

  /** Age in seconds of the oldest due flag when a sweep starts: the sweep lag (Maximum). */
  public metricOldestFlagAge(props?: MetricOptions): Metric {
    return serviceMetric(this.serviceName, MarkerSweeperMetric.oldestFlagAge, 'Maximum', props);
  }

  /** Marks folded into existing flags: work saved by deduplication (Sum). */
  public metricMarksCollapsed(props?: MetricOptions): Metric {
    return serviceMetric(this.serviceName, MarkerSweeperMetric.marksCollapsed, 'Sum', props);
  }

  /** Flags processed and cleared (Sum). */
  public metricFlagsSwept(props?: MetricOptions): Metric {
    return serviceMetric(this.serviceName, MarkerSweeperMetric.flagsSwept, 'Sum', props);
  }

  /** Flags whose processing failed and were released for a retry (Sum). */
  public metricSweepFailures(props?: MetricOptions): Metric {
    return serviceMetric(this.serviceName, MarkerSweeperMetric.sweepFailures, 'Sum', props);
  }

  /** Flags that failed their last allowed sweep and were parked in `sweeperDeadLetterQueue` (Sum): alarm on any. */
  public metricFlagsParked(props?: MetricOptions): Metric {
    return serviceMetric(this.serviceName, MarkerSweeperMetric.flagsParked, 'Sum', props);
  }

  private buildTable(): TableV2 {
    return secureTable(this, 'Flags', {
      partitionKey: { name: FlagTable.partitionKey, type: AttributeType.STRING },
      timeToLiveAttribute: FlagTable.ttlAttribute,
      globalSecondaryIndexes: [{
        indexName: FlagTable.pendingIndex,
        partitionKey: { name: FlagTable.shardAttribute, type: AttributeType.NUMBER },
        sortKey: { name: FlagTable.dueAtAttribute, type: AttributeType.NUMBER },
        // The sweeper reads only keys, due times and first-mark times (for the lag metric) from the index.
        projectionType: ProjectionType.INCLUDE,
        nonKeyAttributes: [FlagTable.firstMarkedAtAttribute],
      }],
    });
  }

  private tableEnvironment(props: MarkerSweeperProps): Record<string, string> {
    return {
      [MarkerSweeperEnv.flagTableName]: this.table.tableName,
      [MarkerSweeperEnv.flagShards]: String(props.flagShards ?? D.flagShards),
      [MarkerSweeperEnv.flagTtlSeconds]: String((props.flagTtl ?? D.flagTtl).toSeconds()),
    };
  }

  private buildMarker(props: MarkerSweeperProps): WorkQueue {
    const marker = ingressWorkQueue(this, 'Marker', props, {
      entry: functionEntry('marker-sweeper', 'marker-handler.ts'),
      serviceName: this.serviceName,
      environment: { ...this.tableEnvironment(props), [MarkerSweeperEnv.keyPath]: props.keyPath ?? D.keyPath },
    });
    Grant.addToPrincipal({ grantee: marker.workerFunction, actions: ['dynamodb:UpdateItem'], resourceArns: [this.table.tableArn] });
    return marker;
  }

  private buildSweeper(props: MarkerSweeperProps): IFunction {
    const timeout = sweeperTimeout(props);
    const delivery: Record<string, string> = props.deliveryQueue ? { [MarkerSweeperEnv.deliveryQueueUrl]: props.deliveryQueue.queueUrl } : {};
    const fn = handlerFunction(this, 'Sweeper', {
      entry: props.sweeperEntry ?? functionEntry('marker-sweeper', 'delivery-handler.ts'),
      serviceName: this.serviceName,
      timeout,
      memorySize: props.sweeperMemorySize,
      description: `pp-patterns MarkerSweeper sweeper of ${this.node.path}`,
      environment: {
        ...props.sweeperEnvironment,
        ...this.tableEnvironment(props),
        ...delivery,
        [MarkerSweeperEnv.sweepBatchSize]: String(props.sweepBatchSize ?? D.sweepBatchSize),
        [MarkerSweeperEnv.sweepMaxBatches]: String(props.sweepMaxBatches ?? D.sweepMaxBatches),
        [MarkerSweeperEnv.leaseSeconds]: String(leaseDuration(props).toSeconds()),
        [MarkerSweeperEnv.retryDelaySeconds]: String((props.retryDelay ?? D.retryDelay).toSeconds()),
        [MarkerSweeperEnv.sweepMaxAttempts]: String(props.sweepMaxAttempts ?? D.sweepMaxAttempts),
        [MarkerSweeperEnv.sweepDeadLetterQueueUrl]: this.sweeperDeadLetterQueue.queueUrl,
        [MarkerSweeperEnv.outstandingCountIntervalSeconds]: String((props.outstandingCountInterval ?? D.outstandingCountInterval).toSeconds()),
      },
    });
    // Exact ARNs (no `index/*`): the sweeper queries one index and writes only the table.
    Grant.addToPrincipal({ grantee: fn, actions: ['dynamodb:Query'], resourceArns: [`${this.table.tableArn}/index/${FlagTable.pendingIndex}`] });
    Grant.addToPrincipal({ grantee: fn, actions: ['dynamodb:UpdateItem', 'dynamodb:DeleteItem'], resourceArns: [this.table.tableArn] });
    props.deliveryQueue?.grantSendMessages(fn);
    this.sweeperDeadLetterQueue.grantSendMessages(fn);
    return fn;
  }
}
