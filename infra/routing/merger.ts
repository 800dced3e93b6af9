import { Duration } from 'aws-cdk-lib';
import { Metric, MetricOptions } from 'aws-cdk-lib/aws-cloudwatch';
import { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct, type IConstruct } from 'constructs';
import { RoutingEnv, RoutingMetricName, type RouterConfig } from '../../functions/contract';
import { handlerFunction } from '../private/handler-function';
import { LambdaLimits } from '../private/limits';
import { functionEntry } from '../private/paths';
import { secureQueue } from '../private/secure-queue';
import { serviceMetric } from '../private/service-metric';
import { PropsValidator } from '../private/validation';
import { ROUTER_MEMORY_MB } from './router-queue';

/** Props of {@link Merger}. */
export interface MergerProps {
  /** The queues to merge (at least 1; more with `addInput`). Their visibility timeout must be ≥ the merger's `timeout`. */
  readonly inputs: readonly IQueue[];
  /**
   * The one queue every input's items go to.
   *
   * @default - a new queue (`Output`) with its own dead-letter queue
   */
  readonly output?: IQueue;
  /**
   * Messages per invocation, per input (1–10,000). Above 10 needs `maxBatchingWindow` ≥ 1 second.
   *
   * @default 10
   */
  readonly batchSize?: number;
  /**
   * How long each input's mapping gathers messages before invoking (0–300 seconds).
   *
   * @default - no window
   */
  readonly maxBatchingWindow?: Duration;
  /**
   * Invocations at once, per input (2–1,000).
   *
   * @default - no cap
   */
  readonly maxConcurrency?: number;
  /**
   * Function timeout (1–900 seconds).
   *
   * @default Duration.seconds(30)
   */
  readonly timeout?: Duration;
  /**
   * Function memory in MB (128–10,240).
   *
   * @default 256
   */
  readonly memorySize?: number;
}

/**
 * Merger: joins many input queues into one output stream — e.g. the commits of
 * many repositories into one shared build queue.
 *
 * One forwarding function reads every input (one event source mapping each, with partial
 * batch responses) and sends each batch to the output in 10-entry batches, bodies and String
 * attributes unchanged. Failed messages stay in their input queue, under its own redrive policy.
 *
 * @example
 * const builds = new Merger(this, 'Builds', { inputs: [repoA.queue, repoB.queue] });
 * new WorkQueue(this, 'Build', { queue: builds.output, entry: 'functions/build.ts' });
 */
export class Merger extends Construct {
  /** The merged stream. */
  public readonly output: IQueue;
  /** The forwarding function. */
  public readonly routerFunction: IFunction;
  /** The Powertools service name of the function, the `service` dimension of its metrics. */
  public readonly serviceName: string;
  private readonly inputList: IQueue[] = [];
  private readonly props: MergerProps;

  constructor(scope: Construct, id: string, props: MergerProps) {
    super(scope, id);
    validateMergerProps(this, props);
    this.props = props;
    this.serviceName = this.node.path;
    this.output = props.output ?? secureQueue(this, 'Output').queue;
    const config: RouterConfig = { kind: 'forward', outputs: 1 };
    this.routerFunction = handlerFunction(this, 'Router', {
      entry: functionEntry('routing', 'router-handler.ts'),
      serviceName: this.serviceName,
      timeout: props.timeout,
      memorySize: props.memorySize ?? ROUTER_MEMORY_MB,
      environment: { [RoutingEnv.routerConfig]: JSON.stringify(config), [`${RoutingEnv.outputUrlPrefix}0`]: this.output.queueUrl },
      description: `pp-patterns Merger of ${this.node.path}`,
    });
    this.output.grantSendMessages(this.routerFunction);
    for (const input of props.inputs) this.addInput(input);
  }

  /** The merged queues, in the order they were added. */
  public get inputs(): readonly IQueue[] {
    return [...this.inputList];
  }

  /** Adds one more queue to the merge (its own mapping, with this merger's batching settings). */
  public addInput(queue: IQueue): void {
    this.routerFunction.addEventSource(
      new SqsEventSource(queue, {
        batchSize: this.props.batchSize,
        maxBatchingWindow: this.props.maxBatchingWindow,
        maxConcurrency: this.props.maxConcurrency,
        reportBatchItemFailures: true,
      }),
    );
    this.inputList.push(queue);
  }

  /** Messages waiting in the output (`ApproximateNumberOfMessagesVisible`, Maximum). */
  public metricOutputBacklog(props?: MetricOptions): Metric {
    return this.output.metricApproximateNumberOfMessagesVisible(props);
  }

  /** Items forwarded to the output (runtime EMF metric `ItemsRouted`, Sum). */
  public metricItemsMerged(props?: MetricOptions): Metric {
    return serviceMetric(this.serviceName, RoutingMetricName.itemsRouted, 'Sum', props);
  }
}

function validateMergerProps(scope: IConstruct, props: MergerProps): void {
  const v = new PropsValidator('Merger', scope);
  v.require(props.inputs.length >= 1, 'inputs', `must hold at least 1 queue, received ${props.inputs.length}`);
  const repeated = props.inputs.filter((queue, i) => props.inputs.indexOf(queue) !== i).map((queue) => queue.node.path);
  v.require(repeated.length === 0, 'inputs', `must not list a queue twice (it would get two mappings), received ${repeated.join(', ')} again`);
  v.integerInRange('batchSize', props.batchSize, 1, LambdaLimits.maxSqsBatchSizeStandard);
  v.durationInRange('maxBatchingWindow', props.maxBatchingWindow, 0, LambdaLimits.maxSqsBatchingWindowSeconds);
  const batchSize = props.batchSize ?? 10;
  const windowMs = props.maxBatchingWindow?.isUnresolved() ? Infinity : (props.maxBatchingWindow?.toMilliseconds() ?? 0);
  v.require(batchSize <= LambdaLimits.sqsBatchSizeWithoutWindow || windowMs >= 1000, 'maxBatchingWindow',
    `must be at least 1 second (up to 300 seconds) when batchSize is greater than 10, received ${props.maxBatchingWindow?.toHumanString() ?? 'none'} with batchSize ${batchSize}`);
  v.integerInRange('maxConcurrency', props.maxConcurrency, LambdaLimits.minSqsMaximumConcurrency, LambdaLimits.maxSqsMaximumConcurrency);
  v.durationInRange('timeout', props.timeout, LambdaLimits.minTimeoutSeconds, LambdaLimits.maxTimeoutSeconds);
  v.integerInRange('memorySize', props.memorySize, LambdaLimits.minMemoryMb, LambdaLimits.maxMemoryMb);
  v.throwIfInvalid();
}
