import { Duration } from 'aws-cdk-lib';
import {
  Alarm, AlarmStatusWidget, ComparisonOperator, Dashboard, GraphWidget, HorizontalAnnotation, MathExpression, TextWidget, TreatMissingData,
  type IAlarmAction, type IMetric, type MetricOptions,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { monitoringViolations } from './private/monitoring-rules';

/** The metrics of a queue a pattern reads from: `WorkQueue`, each stage of a `BatchStageChain`. */
export interface IMonitoredQueue {
  /** Messages waiting. */
  metricBacklog(props?: MetricOptions): IMetric;
  /** Age of the oldest waiting message, in seconds. */
  metricOldestMessageAge(props?: MetricOptions): IMetric;
  /** Messages in the dead-letter queue. */
  metricDlqDepth(props?: MetricOptions): IMetric;
}

/** The work-queue stability rule checked against the observed arrival rate. */
export interface StabilityWatch {
  /** Items arriving (Sum per period), e.g. `queue.metricNumberOfMessagesSent()`. */
  readonly arrivals: IMetric;
  /** Time one item takes; > 0. */
  readonly itemProcessingTime: Duration;
  /** Items in flight at once: `maxConcurrency × itemConcurrency`; ≥ 1. */
  readonly parallelism: number;
}

/** How a queue is watched. */
export interface QueueMonitoringOptions {
  /** Alarm when the oldest message is older than this; 1 minute – 14 days. @default Duration.minutes(15) */
  readonly oldestMessageAgeSla?: Duration;
  /** Alarm when arrivals × item time reach the parallelism for 3 periods. @default - no stability alarm */
  readonly stability?: StabilityWatch;
}

/** Props of {@link PipelineMonitoring}. */
export interface PipelineMonitoringProps {
  /** What every alarm does. @default - one encrypted SNS topic ({@link PipelineMonitoring.topic}) */
  readonly alarmActions?: readonly IAlarmAction[];
  /** Period of every metric; 1 minute – 1 day. @default Duration.minutes(5) */
  readonly period?: Duration;
}

/**
 * Alarms and one dashboard for the patterns of a stack, built on `aws-cloudwatch` from the
 * constructs' `metric*` methods (so from the contract's metric names).
 *
 * Defaults: any message in a DLQ; the oldest message over its SLA (15 min); the sweep lag of a
 * MarkerSweeper over 10 min; a RollingPoller's completion lag over 15 min; over 5 % of a
 * fan-out's executions failing; and, when an expected item time and parallelism are given,
 * the stability rule broken by the observed arrival rate for three periods in a row. Missing
 * data never alarms (an idle queue publishes nothing). Actions: the user's, or a KMS-encrypted
 * SNS topic CloudWatch may publish to.
 *
 * @example
 * const monitoring = new PipelineMonitoring(this, 'Monitoring');
 * monitoring.monitorQueue('Orders', orders, {
 *   stability: { arrivals: orders.ingress.metricNumberOfMessagesSent(), itemProcessingTime: Duration.millis(20), parallelism: 10 },
 * });
 * monitoring.monitorSweeper('Rooms', rooms);
 */
export class PipelineMonitoring extends Construct {
  /** The dashboard of every monitored pattern. */
  public readonly dashboard: Dashboard;
  /** The topic alarms notify, when no `alarmActions` were given. */
  public readonly topic?: Topic;
  /** Every alarm created so far. */
  public readonly alarms: Alarm[] = [];
  private readonly actions: readonly IAlarmAction[];
  private readonly period: Duration;

  constructor(scope: Construct, id: string, props: PipelineMonitoringProps = {}) {
    super(scope, id);
    this.period = props.period ?? Duration.minutes(5);
    throwIfAny(this, monitoringViolations({ period: this.period }));
    this.topic = props.alarmActions ? undefined : this.buildTopic();
    this.actions = props.alarmActions ?? [new SnsAction(this.topic as Topic)];
    this.dashboard = new Dashboard(this, 'Dashboard');
  }

  /** DLQ depth > 0, oldest message age over its SLA and, optionally, the stability rule. */
  public monitorQueue(name: string, queue: IMonitoredQueue, options: QueueMonitoringOptions = {}): this {
    const sla = options.oldestMessageAgeSla ?? Duration.minutes(15);
    throwIfAny(this, monitoringViolations({ name, oldestMessageAgeSla: sla, stability: options.stability }));
    const p = { period: this.period };
    const dlq = this.alarm(`${name}DlqDepth`, queue.metricDlqDepth(p), 0, `${name}: messages in the dead-letter queue. Look with \`pp status\`, fix the cause, then \`pp redrive\`.`);
    const age = this.alarm(`${name}OldestMessageAge`, queue.metricOldestMessageAge(p), sla.toSeconds(), `${name}: the oldest message waited over ${sla.toHumanString()}: workers do not keep up or do not run.`);
    const alarms = [dlq, age];
    const graphs = [
      graph('Backlog and DLQ depth', [queue.metricBacklog(p), queue.metricDlqDepth(p)]),
      graph('Oldest message age (s)', [queue.metricOldestMessageAge(p)], { value: sla.toSeconds(), label: 'SLA' }),
    ];
    if (options.stability) {
      const demand = demandedParallelism(options.stability);
      alarms.push(this.alarm(`${name}Stability`, demand, options.stability.parallelism, `${name}: arrivals × item time reach the parallelism (${options.stability.parallelism}): the backlog grows without bound.`, 3, true));
      graphs.push(graph('Demanded vs available parallelism', [demand], { value: options.stability.parallelism, label: 'parallelism' }));
    }
    return this.addRow(name, alarms, graphs);
  }

  /** A MarkerSweeper's sweep lag over `maxSweepLag` (default 10 minutes). */
  public monitorSweeper(name: string, sweeper: { metricOldestFlagAge(props?: MetricOptions): IMetric; metricOutstandingFlags(props?: MetricOptions): IMetric }, maxSweepLag = Duration.minutes(10)): this {
    throwIfAny(this, monitoringViolations({ name, maxLag: maxSweepLag }));
    const lag = sweeper.metricOldestFlagAge({ period: this.period });
    const alarm = this.alarm(`${name}SweepLag`, lag, maxSweepLag.toSeconds(), `${name}: flags waited over ${maxSweepLag.toHumanString()} to be swept: the sweeper is late, failing or too small.`);
    return this.addRow(name, [alarm], [graph('Sweep lag (s)', [lag], { value: maxSweepLag.toSeconds(), label: 'max' }), graph('Outstanding flags', [sweeper.metricOutstandingFlags({ period: this.period })])]);
  }

  /** A RollingPoller's completion lag over `maxCompletionLag` (default 15 minutes). */
  public monitorPoller(name: string, poller: { metricCompletionLag(props?: MetricOptions): IMetric; metricActiveItems(props?: MetricOptions): IMetric }, maxCompletionLag = Duration.minutes(15)): this {
    throwIfAny(this, monitoringViolations({ name, maxLag: maxCompletionLag }));
    const lag = poller.metricCompletionLag({ period: this.period });
    const alarm = this.alarm(`${name}CompletionLag`, lag, maxCompletionLag.toSeconds(), `${name}: items take over ${maxCompletionLag.toHumanString()} from watch to completion: polls are late or items are stuck.`);
    return this.addRow(name, [alarm], [graph('Completion lag (s)', [lag], { value: maxCompletionLag.toSeconds(), label: 'max' }), graph('Active polls', [poller.metricActiveItems({ period: this.period })])]);
  }

  /** A fan-out state machine's failed executions over `maxFailurePercent` (default 5) of those that ended. */
  public monitorFanOut(name: string, stateMachine: IStateMachine, maxFailurePercent = 5): this {
    throwIfAny(this, monitoringViolations({ name, maxFailurePercent }));
    const p = { period: this.period };
    const rate = new MathExpression({
      expression: 'IF(f + s > 0, 100 * f / (f + s), 0)',
      usingMetrics: { f: stateMachine.metricFailed(p), s: stateMachine.metricSucceeded(p) },
      label: 'failed %', period: this.period,
    });
    const alarm = this.alarm(`${name}FailureRate`, rate, maxFailurePercent, `${name}: over ${maxFailurePercent} % of executions failed.`);
    return this.addRow(name, [alarm], [graph('Execution failure rate (%)', [rate], { value: maxFailurePercent, label: 'max' }), graph('Executions', [stateMachine.metricStarted(p), stateMachine.metricFailed(p)])]);
  }

  private alarm(id: string, metric: IMetric, threshold: number, description: string, evaluationPeriods = 1, inclusive = false): Alarm {
    const alarm = new Alarm(this, id, {
      metric, threshold, evaluationPeriods, alarmDescription: description,
      comparisonOperator: inclusive ? ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD : ComparisonOperator.GREATER_THAN_THRESHOLD,
      // An idle queue and a sweeper with nothing to sweep publish nothing: that is not a failure.
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(...this.actions);
    this.alarms.push(alarm);
    return alarm;
  }

  private addRow(name: string, alarms: readonly Alarm[], graphs: readonly GraphWidget[]): this {
    this.dashboard.addWidgets(new TextWidget({ markdown: `## ${name}`, width: 24, height: 1 }));
    this.dashboard.addWidgets(new AlarmStatusWidget({ alarms: [...alarms], width: 6, height: 6, title: `${name} alarms` }), ...graphs);
    return this;
  }

  private buildTopic(): Topic {
    // CloudWatch cannot publish to a topic under the AWS-managed SNS key: it needs a key that lets it.
    const key = new Key(this, 'AlarmTopicKey', { enableKeyRotation: true, description: 'Encrypts the pipeline alarm topic' });
    key.grant(new ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    return new Topic(this, 'AlarmTopic', { masterKey: key, enforceSSL: true });
  }
}

/** Items arriving per second × seconds per item: the parallelism the arrivals demand. */
function demandedParallelism(watch: StabilityWatch): MathExpression {
  return new MathExpression({ expression: `a / PERIOD(a) * ${watch.itemProcessingTime.toMilliseconds() / 1000}`, usingMetrics: { a: watch.arrivals }, label: 'demanded parallelism' });
}

function graph(title: string, left: IMetric[], line?: { value: number; label: string }): GraphWidget {
  const leftAnnotations: HorizontalAnnotation[] | undefined = line ? [{ value: line.value, label: line.label }] : undefined;
  return new GraphWidget({ title, left, leftAnnotations, width: 6, height: 6 });
}

function throwIfAny(scope: Construct, violations: readonly string[]): void {
  if (violations.length > 0) throw new Error(`PipelineMonitoring ${scope.node.path}: ${violations.join('; ')}`);
}
