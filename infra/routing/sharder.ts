import { Metric, MetricOptions } from 'aws-cdk-lib/aws-cloudwatch';
import { Grant, IGrantable } from 'aws-cdk-lib/aws-iam';
import { IFunction } from 'aws-cdk-lib/aws-lambda';
import { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct, type IConstruct } from 'constructs';
import { RoutingEnv, RoutingMetricName, type RouterConfig } from '../../functions/contract';
import { secureQueue } from '../private/secure-queue';
import { serviceMetric } from '../private/service-metric';
import { PropsValidator } from '../private/validation';
import { WorkQueue } from '../work-queue';
import { buildRouter, MAX_ROUTER_OUTPUTS, validateFieldPath, validateRouterProps, type RouterProps } from './router-queue';

/** Props of {@link Sharder}. Give `shardCount` or `shards`, not both. */
export interface SharderProps extends RouterProps {
  /**
   * Dot path of the body field whose value is the sharding key, e.g. `customerId`. Items
   * without it are sharded by their whole body.
   */
  readonly key: string;
  /**
   * Number of shard queues to create (2–20), each with its own dead-letter queue.
   *
   * @default 4 - unless `shards` is given
   */
  readonly shardCount?: number;
  /**
   * Existing shard queues (2–20), instead of created ones. Shard `i` is named `shard-i`:
   * keep the order stable, or keys move.
   *
   * @default - `shardCount` created queues
   */
  readonly shards?: readonly IQueue[];
  /**
   * Indexes of shards marked unhealthy: their keys spill to the healthy shards (rendezvous
   * hashing, so no other key moves) until they are removed from the list. At least one shard
   * must stay healthy. Changing it redeploys only the router's configuration.
   *
   * @default - every shard healthy
   */
  readonly unhealthyShards?: readonly number[];
}

/** The default number of shards: a bad deploy to one shard touches a quarter of the keys. */
const DEFAULT_SHARD_COUNT = 4;

/**
 * Sharder: spreads items over N shard queues by a hash of a key field, so each
 * key always lands on the same shard and a bad shard (a faulty deploy, a stuck consumer)
 * affects only its share of the keys.
 *
 * Shards are chosen by rendezvous (highest-random-weight) hashing. Marking a shard unhealthy
 * (`unhealthyShards`) spills only that shard's keys, spread over the healthy shards; every
 * other key stays put, and healing the shard moves exactly those keys back.
 *
 * @example
 * const sharder = new Sharder(this, 'ByCustomer', { key: 'customerId', shardCount: 4 });
 * sharder.shards.forEach((queue, i) => new WorkQueue(this, `Shard${i}`, { queue, entry: 'functions/shard-worker.ts' }));
 */
export class Sharder extends Construct {
  /** The queue to send items to. */
  public readonly ingress: IQueue;
  /** The ingress's dead-letter queue, when known. */
  public readonly ingressDeadLetterQueue?: IQueue;
  /** The shard queues, shard `i` at index `i`. */
  public readonly shards: readonly IQueue[];
  /** The router function. */
  public readonly routerFunction: IFunction;
  /** The router's WorkQueue (input queue, mapping, function). */
  public readonly router: WorkQueue;

  constructor(scope: Construct, id: string, props: SharderProps) {
    super(scope, id);
    validateSharderProps(this, props);
    this.shards = props.shards ? [...props.shards] : this.createShards(props.shardCount ?? DEFAULT_SHARD_COUNT);
    const config: RouterConfig = { kind: 'shard', outputs: this.shards.length, key: props.key, shards: this.shards.map((_, i) => shardName(i)) };
    const unhealthy: Record<string, string> = props.unhealthyShards?.length
      ? { [RoutingEnv.unhealthyShards]: props.unhealthyShards.map(shardName).join(',') }
      : {};
    this.router = buildRouter(this, props, config, this.shards, unhealthy);
    this.ingress = this.router.ingress;
    this.ingressDeadLetterQueue = this.router.ingressDeadLetterQueue;
    this.routerFunction = this.router.workerFunction;
  }

  /** Lets `grantee` send items to the ingress: `sqs:SendMessage`, `sqs:GetQueueAttributes`, `sqs:GetQueueUrl` (plus KMS for a CMK queue). */
  public grantSend(grantee: IGrantable): Grant {
    return this.ingress.grantSendMessages(grantee);
  }

  /** Messages waiting in shard `index` (`ApproximateNumberOfMessagesVisible`, Maximum). */
  public metricShardBacklog(index: number, props?: MetricOptions): Metric {
    const shard = this.shards[index];
    if (shard === undefined) throw new Error(`Sharder ${this.node.path}: no shard ${index}; shards are 0–${this.shards.length - 1}`);
    return shard.metricApproximateNumberOfMessagesVisible(props);
  }

  /** Items sent away from their unhealthy home shard (runtime EMF metric `ItemsSpilled`, Sum). */
  public metricItemsSpilled(props?: MetricOptions): Metric {
    return serviceMetric(this.router.serviceName, RoutingMetricName.itemsSpilled, 'Sum', props);
  }

  /** Items routed to a shard (runtime EMF metric `ItemsRouted`, Sum). */
  public metricItemsRouted(props?: MetricOptions): Metric {
    return serviceMetric(this.router.serviceName, RoutingMetricName.itemsRouted, 'Sum', props);
  }

  private createShards(count: number): IQueue[] {
    return Array.from({ length: count }, (_, i) => secureQueue(this, `Shard${i}`).queue);
  }
}

/** The name shard `index` has in the router's hashing (stable across deploys). */
function shardName(index: number): string {
  return `shard-${index}`;
}

function validateSharderProps(scope: IConstruct, props: SharderProps): void {
  const v = new PropsValidator('Sharder', scope);
  validateRouterProps(v, props);
  validateFieldPath(v, 'key', props.key, 'customer.id');
  v.exclusive('shardCount', props.shardCount, 'shards', props.shards);
  v.integerInRange('shardCount', props.shardCount, 2, MAX_ROUTER_OUTPUTS);
  const count = props.shards?.length ?? props.shardCount ?? DEFAULT_SHARD_COUNT;
  if (props.shards) v.integerInRange('shards (count)', props.shards.length, 2, MAX_ROUTER_OUTPUTS);
  const unhealthy = props.unhealthyShards ?? [];
  const outOfRange = unhealthy.filter((i) => !Number.isInteger(i) || i < 0 || i >= count);
  v.require(outOfRange.length === 0, 'unhealthyShards', `must hold shard indexes from 0 to ${count - 1}, received ${JSON.stringify(unhealthy)}`);
  v.require(new Set(unhealthy).size < count, 'unhealthyShards', `must leave at least one of the ${count} shards healthy, received ${JSON.stringify(unhealthy)}`);
  v.throwIfInvalid();
}
