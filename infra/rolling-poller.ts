import { Duration } from 'aws-cdk-lib';
import { Metric, MetricOptions } from 'aws-cdk-lib/aws-cloudwatch';
import { AttributeType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { IEventBus, Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { Grant, IGrantable } from 'aws-cdk-lib/aws-iam';
import { IFunction } from 'aws-cdk-lib/aws-lambda';
import { IQueue } from 'aws-cdk-lib/aws-sqs';
import { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { RollingPollerEnv as E, RollingPollerMetric, WatchTable } from '../functions/contract';
import { handlerFunction } from './private/handler-function';
import { IngressBackedConstruct } from './private/ingress-backed';
import { ingressWorkQueue } from './private/ingress';
import { functionEntry } from './private/paths';
import { ROLLING_POLLER_DEFAULTS as D, tickLease, validateRollingPollerProps } from './private/rolling-poller-rules';
import { scheduleFunction } from './private/schedule-loop';
import { secureQueue } from './private/secure-queue';
import { secureTable } from './private/secure-table';
import { serviceMetric } from './private/service-metric';
import type { QueueIngressProps } from './queue-ingress';
import { WorkQueue } from './work-queue';

/** Props of {@link RollingPoller}. The `ingress*` props shape the queue of watch/unwatch commands. */
export interface RollingPollerProps extends QueueIngressProps {
  /** Path of your poller handler file, written with the runtime's `poller({ checkStatus })` factory. */
  readonly pollerEntry: string;
  /**
   * Most items per status call (1–1,000): set it to your status API's batch limit.
   *
   * @default 100
   */
  readonly windowSize?: number;
  /**
   * Most status calls per tick (1–1,000): your status API's rate limit per tick.
   *
   * @default 10
   */
  readonly maxCallsPerTick?: number;
  /**
   * When a tick runs, one minute apart or more. Excludes `pollInterval`.
   *
   * @default Schedule.rate(Duration.minutes(1))
   */
  readonly pollSchedule?: Schedule;
  /**
   * Tick more often than every minute (1–59 seconds), with an Express Wait loop started every minute. Excludes `pollSchedule`.
   *
   * @default - no sub-minute loop: `pollSchedule` applies
   */
  readonly pollInterval?: Duration;
  /**
   * Poller timeout (1–900 seconds); the tick lease is this plus 30 seconds.
   *
   * @default Duration.minutes(1)
   */
  readonly pollerTimeout?: Duration;
  /**
   * Poller memory in MB (128–10,240).
   *
   * @default 512
   */
  readonly pollerMemorySize?: number;
  /**
   * Extra environment variables of the poller (e.g. your status API's endpoint).
   *
   * @default - only the variables the construct sets
   */
  readonly pollerEnvironment?: Record<string, string>;
  /**
   * Consecutive failed checks after which an item is given up, with a `gave-up` completion event (1–100).
   *
   * @default 10
   */
  readonly maxAttempts?: number;
  /**
   * Back-off after an item's first failed check (1 second–1 day); doubles with each further failure.
   *
   * @default Duration.minutes(1)
   */
  readonly backoffBase?: Duration;
  /**
   * Longest back-off (1 second–1 day, at least `backoffBase`).
   *
   * @default Duration.hours(1)
   */
  readonly backoffMax?: Duration;
  /**
   * A standard queue (not FIFO) the completion events go to. Excludes `completionEventBus`.
   *
   * @default - a new encrypted queue with a dead-letter queue, unless `completionEventBus` is given
   */
  readonly completionQueue?: IQueue;
  /**
   * EventBridge bus the completion events are put on (source `pp-patterns.rolling-poller`). Excludes `completionQueue`.
   *
   * @default - none: completion events go to a queue
   */
  readonly completionEventBus?: IEventBus;
  /**
   * Powertools service name of the poller and ingress: the `service` dimension of the `metric*` methods.
   *
   * @default - this construct's path
   */
  readonly serviceName?: string;
}

/**
 * Rolling Poller Window: polls the status of many watched items in
 * windows — one batch status call per `windowSize` items, at most `maxCallsPerTick` calls per
 * tick — instead of one call per item.
 *
 * - Watch table (DynamoDB): items are added and removed at run time through the ingress queue
 *   (`{"action":"watch","id":…}` / `{"action":"unwatch","id":…}`) or by direct writes (`grantWatchTable`).
 * - Each tick resumes at a persisted cursor, wraps at the end of the table, records results,
 *   emits one completion event per finished item (queue or EventBridge) and removes it, so it
 *   is never polled again; items whose checks fail back off exponentially.
 * - Overlapping ticks cannot poll the same windows: a tick holds a lease on the cursor.
 *
 * @example
 * const jobs = new RollingPoller(this, 'Jobs', {
 *   pollerEntry: 'functions/jobs/status.ts', // export const handler = poller({ checkStatus: async (items) => … })
 *   windowSize: 100,
 *   maxCallsPerTick: 5,
 * });
 * jobs.grantSend(submitFunction);
 */
export class RollingPoller extends IngressBackedConstruct {
  /** The watch table. */
  public readonly table: TableV2;
  /** The function applying watch/unwatch commands to the watch table. */
  public readonly watchFunction: IFunction;
  /** The poller function. */
  public readonly pollerFunction: IFunction;
  /** The rule that starts each tick (or each sub-minute loop). */
  public readonly schedule: Rule;
  /** The sub-minute tick loop, when `pollInterval` is set. */
  public readonly pollLoop?: StateMachine;
  /** Where completion events go, unless `completionEventBus` was given. */
  public readonly completionQueue?: IQueue;
  /** The bus completion events go to, when given. */
  public readonly completionEventBus?: IEventBus;
  /** The Powertools service name, the `service` dimension of the metrics. */
  public readonly serviceName: string;
  protected readonly ingressWorker: WorkQueue;

  constructor(scope: Construct, id: string, props: RollingPollerProps) {
    super(scope, id);
    validateRollingPollerProps(this, props);
    this.serviceName = props.serviceName ?? this.node.path;
    this.table = secureTable(this, 'Watch', { partitionKey: { name: WatchTable.partitionKey, type: AttributeType.STRING } });
    this.completionEventBus = props.completionEventBus;
    this.completionQueue = props.completionEventBus ? undefined : (props.completionQueue ?? secureQueue(this, 'Completions').queue);
    this.ingressWorker = this.buildIngress(props);
    this.watchFunction = this.ingressWorker.workerFunction;
    this.pollerFunction = this.buildPoller(props);
    const run = scheduleFunction(this, 'Poll', this.pollerFunction, { schedule: props.pollSchedule, interval: props.pollInterval });
    this.schedule = run.rule;
    this.pollLoop = run.loop;
  }

  /**
   * Lets `grantee` add and remove items by writing the watch table directly:
   * `dynamodb:PutItem` and `dynamodb:DeleteItem` (see `newWatchItem` in the runtime for the item shape).
   */
  public grantWatchTable(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({ grantee, actions: ['dynamodb:PutItem', 'dynamodb:DeleteItem'], resourceArns: [this.table.tableArn] });
  }

  /** Lets `grantee` consume completion events from the completion queue (`grantConsumeMessages`). */
  public grantConsumeCompletions(grantee: IGrantable): Grant {
    if (!this.completionQueue) throw new Error(`RollingPoller ${this.node.path}: completions go to an event bus, not a queue`);
    return this.completionQueue.grantConsumeMessages(grantee);
  }

  /** Items in the rotation, counted over each full pass (Maximum over 5 minutes). */
  public metricActiveItems(props?: MetricOptions): Metric {
    return serviceMetric(this.serviceName, RollingPollerMetric.activeItems, 'Maximum', props);
  }

  /** Status calls per tick (Average over 5 minutes). */
  public metricPollsPerTick(props?: MetricOptions): Metric {
    return serviceMetric(this.serviceName, RollingPollerMetric.pollsPerTick, 'Average', props);
  }

  /** Seconds from an item being watched to its completion (Average). */
  public metricCompletionLag(props?: MetricOptions): Metric {
    return serviceMetric(this.serviceName, RollingPollerMetric.completionLag, 'Average', props);
  }

  /** Items completed (Sum). */
  public metricItemsCompleted(props?: MetricOptions): Metric {
    return serviceMetric(this.serviceName, RollingPollerMetric.itemsCompleted, 'Sum', props);
  }

  /** Failed item checks (Sum). */
  public metricStatusCheckErrors(props?: MetricOptions): Metric {
    return serviceMetric(this.serviceName, RollingPollerMetric.statusCheckErrors, 'Sum', props);
  }

  private buildIngress(props: RollingPollerProps): WorkQueue {
    const ingress = ingressWorkQueue(this, 'Ingress', props, {
      entry: functionEntry('rolling-poller', 'watch-handler.ts'),
      serviceName: this.serviceName,
      environment: { [E.watchTableName]: this.table.tableName },
    });
    this.grantWatchTable(ingress.workerFunction);
    return ingress;
  }

  private buildPoller(props: RollingPollerProps): IFunction {
    const completion: Record<string, string> = this.completionEventBus
      ? { [E.completionBusName]: this.completionEventBus.eventBusName }
      : { [E.completionQueueUrl]: (this.completionQueue as IQueue).queueUrl };
    const fn = handlerFunction(this, 'Poller', {
      entry: props.pollerEntry,
      serviceName: this.serviceName,
      timeout: props.pollerTimeout ?? D.pollerTimeout,
      memorySize: props.pollerMemorySize,
      description: `pp-patterns RollingPoller poller of ${this.node.path}`,
      environment: {
        ...props.pollerEnvironment,
        ...completion,
        [E.watchTableName]: this.table.tableName,
        [E.windowSize]: String(props.windowSize ?? D.windowSize),
        [E.maxCallsPerTick]: String(props.maxCallsPerTick ?? D.maxCallsPerTick),
        [E.leaseSeconds]: String(tickLease(props).toSeconds()),
        [E.maxAttempts]: String(props.maxAttempts ?? D.maxAttempts),
        [E.backoffBaseSeconds]: String((props.backoffBase ?? D.backoffBase).toSeconds()),
        [E.backoffMaxSeconds]: String((props.backoffMax ?? D.backoffMax).toSeconds()),
      },
    });
    Grant.addToPrincipal({ grantee: fn, actions: ['dynamodb:Scan', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'], resourceArns: [this.table.tableArn] });
    this.completionQueue?.grantSendMessages(fn);
    this.completionEventBus?.grantPutEventsTo(fn);
    return fn;
  }
}
