import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Pass, StateMachine, DefinitionBody } from 'aws-cdk-lib/aws-stepfunctions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, test } from 'vitest';
import { MarkerSweeperMetric, METRICS_NAMESPACE, RollingPollerMetric } from '../../functions/contract';
import { PipelineMonitoring } from '../../infra/pipeline-monitoring';
import { BatchStageChain } from '../../infra/batch-stage-chain';
import { MarkerSweeper } from '../../infra/marker-sweeper';
import { RollingPoller } from '../../infra/rolling-poller';
import { WorkQueue } from '../../infra/work-queue';
import { WORKER_ENTRY, freshStack } from '../helpers/synth';

function setup(): { stack: Stack; wq: WorkQueue; monitoring: PipelineMonitoring } {
  const { stack } = freshStack();
  const wq = new WorkQueue(stack, 'Orders', { entry: WORKER_ENTRY });
  return { stack, wq, monitoring: new PipelineMonitoring(stack, 'Monitoring') };
}

/** The metric (namespace, name) an alarm watches. */
const watches = (template: Template, namespace: string, metricName: string) =>
  Object.values(template.findResources('AWS::CloudWatch::Alarm', { Properties: { Namespace: namespace, MetricName: metricName } }));

describe('PipelineMonitoring', () => {
  test('alarms when the DLQ holds any message', () => {
    const { stack, wq, monitoring } = setup();
    monitoring.monitorQueue('Orders', wq);
    const alarms = watches(Template.fromStack(stack), 'AWS/SQS', 'ApproximateNumberOfMessagesVisible');
    expect(alarms).toHaveLength(1);
    expect(alarms[0]?.Properties).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', EvaluationPeriods: 1, TreatMissingData: 'notBreaching' });
  });

  test('alarms when the oldest message is older than the SLA (15 minutes by default, or the one given)', () => {
    const { stack, wq, monitoring } = setup();
    monitoring.monitorQueue('Default', wq).monitorQueue('Tight', wq, { oldestMessageAgeSla: Duration.minutes(2) });
    const thresholds = watches(Template.fromStack(stack), 'AWS/SQS', 'ApproximateAgeOfOldestMessage').map((a) => a.Properties.Threshold);
    expect(thresholds).toStrictEqual([900, 120]);
  });

  test('alarms when observed arrivals × item time reach the parallelism for three periods', () => {
    const { stack, wq, monitoring } = setup();
    monitoring.monitorQueue('Orders', wq, { stability: { arrivals: wq.ingress.metricNumberOfMessagesSent(), itemProcessingTime: Duration.millis(250), parallelism: 10 } });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 10, EvaluationPeriods: 3, ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Metrics: Match.arrayWith([Match.objectLike({ Expression: 'a / PERIOD(a) * 0.25' }), Match.objectLike({ Id: 'a', MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: 'NumberOfMessagesSent' }), Stat: 'Sum' }) })]),
    });
  });

  test('alarms on a MarkerSweeper\'s sweep lag and a RollingPoller\'s completion lag, from the contract\'s metric names', () => {
    const { stack, monitoring } = setup();
    monitoring.monitorSweeper('Rooms', new MarkerSweeper(stack, 'Rooms', { sweeperEntry: WORKER_ENTRY }));
    monitoring.monitorPoller('Jobs', new RollingPoller(stack, 'Jobs', { pollerEntry: WORKER_ENTRY }), Duration.minutes(30));
    const template = Template.fromStack(stack);
    expect(watches(template, METRICS_NAMESPACE, MarkerSweeperMetric.oldestFlagAge).map((a) => a.Properties.Threshold)).toStrictEqual([600]);
    expect(watches(template, METRICS_NAMESPACE, RollingPollerMetric.completionLag).map((a) => a.Properties.Threshold)).toStrictEqual([1800]);
  });

  test('watches each stage of a BatchStageChain as a queue of its own', () => {
    const { stack, monitoring } = setup();
    const chain = new BatchStageChain(stack, 'Chain', { stages: [{ name: 'Validate', entry: WORKER_ENTRY }, { name: 'Store', entry: WORKER_ENTRY }] });
    for (const stage of chain.stages) monitoring.monitorQueue(stage.node.id, stage);
    expect(watches(Template.fromStack(stack), 'AWS/SQS', 'ApproximateAgeOfOldestMessage')).toHaveLength(2);
  });

  test('alarms when over 5 % of a fan-out\'s executions fail', () => {
    const { stack, monitoring } = setup();
    const machine = new StateMachine(stack, 'FanOut', { definitionBody: DefinitionBody.fromChainable(new Pass(stack, 'P')) });
    monitoring.monitorFanOut('FanOut', machine);
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 5, Metrics: Match.arrayWith([Match.objectLike({ Expression: 'IF(f + s > 0, 100 * f / (f + s), 0)' })]),
    });
  });

  test('notifies a KMS-encrypted, TLS-only topic CloudWatch may publish to', () => {
    const { stack, wq, monitoring } = setup();
    monitoring.monitorQueue('Orders', wq);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] })]) },
    });
    const topicId = stack.getLogicalId(monitoring.topic?.node.defaultChild as never);
    template.allResourcesProperties('AWS::CloudWatch::Alarm', { AlarmActions: [{ Ref: topicId }] });
  });

  test('uses the user\'s alarm action instead of a topic of its own', () => {
    const { stack } = freshStack();
    const wq = new WorkQueue(stack, 'Orders', { entry: WORKER_ENTRY });
    const pager = new Topic(stack, 'Pager', { enforceSSL: true });
    new PipelineMonitoring(stack, 'Monitoring', { alarmActions: [new SnsAction(pager)] }).monitorQueue('Orders', wq);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.resourceCountIs('AWS::KMS::Key', 0);
    template.allResourcesProperties('AWS::CloudWatch::Alarm', { AlarmActions: [{ Ref: stack.getLogicalId(pager.node.defaultChild as never) }] });
  });

  test('draws one dashboard with a row per monitored pattern, and names no physical resource', () => {
    const { stack, wq, monitoring } = setup();
    monitoring.monitorQueue('Orders', wq).monitorQueue('Refunds', wq);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    const body = JSON.stringify(template.findResources('AWS::CloudWatch::Dashboard'));
    expect(body).toContain('## Orders');
    expect(body).toContain('## Refunds');
    expect(Object.values(template.findResources('AWS::CloudWatch::Alarm')).every((a) => a.Properties.AlarmName === undefined)).toBe(true);
    expect(Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0]?.Properties.DashboardName).toBeUndefined();
  });

  test('fails naming every bad setting, its range and value', () => {
    const { stack, wq } = setup();
    expect(() => new PipelineMonitoring(stack, 'Bad', { period: Duration.seconds(10) })).toThrow(/PipelineMonitoring Test\/Bad: period must be 1 minute – 1 day, got 10 seconds/);
    const monitoring = new PipelineMonitoring(stack, 'Ok');
    expect(() => monitoring.monitorQueue('bad name', wq, { oldestMessageAgeSla: Duration.days(30), stability: { arrivals: wq.ingress.metricNumberOfMessagesSent(), itemProcessingTime: Duration.minutes(1), parallelism: 0 } })).toThrow(
      /name must be 1–64 letters and digits starting with a letter .*got "bad name"; oldestMessageAgeSla must be 1 minute – 14 days, got 30 days; stability.parallelism must be an integer ≥ 1, got 0/,
    );
  });

  test('stays cdk-nag clean (AwsSolutions)', () => {
    const { stack, wq, monitoring } = setup();
    monitoring.monitorQueue('Orders', wq, { stability: { arrivals: wq.ingress.metricNumberOfMessagesSent(), itemProcessingTime: Duration.millis(20), parallelism: 10 } });
    const report = new AwsSolutionsChecks(stack).validateScope(monitoring);
    expect(report.violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toStrictEqual([]);
  });
});
