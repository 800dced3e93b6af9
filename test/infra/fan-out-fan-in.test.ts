import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, test } from 'vitest';
import { FanOutEnv, FanOutMetric, METRICS_NAMESPACE } from '../../functions/contract';
import { FanOutFanIn, type FanOutFanInProps } from '../../infra/fan-out-fan-in';
import { ManualClock } from '../../local-runtime/scheduling/clock';
import { LocalStateMachines } from '../../local-runtime/stepfunctions/local-state-machines';
import { type CfnTemplate, resolveIntrinsics } from '../local-runtime/helpers/resolve-template';
import { freshStack, inlineFunction, WORKER_ENTRY } from '../helpers/synth';

function synth(props: Partial<FanOutFanInProps> = {}): { stack: Stack; template: Template; fan: FanOutFanIn } {
  const { stack } = freshStack();
  const fan = new FanOutFanIn(stack, 'Docs', { workerEntry: WORKER_ENTRY, ...props });
  return { stack, template: Template.fromStack(stack), fan };
}

const definitionOf = (template: Template) => {
  const json = template.toJSON() as CfnTemplate;
  const [machine] = Object.values(json.Resources).filter((r) => r.Type === 'AWS::StepFunctions::StateMachine');
  return JSON.parse(resolveIntrinsics(machine!.Properties?.DefinitionString, json) as string);
};

describe('FanOutFanIn resources', () => {
  test('a Standard machine with X-Ray and full logging, a results table, a TLS-only private encrypted bucket', () => {
    const { template } = synth();
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', { StateMachineType: 'STANDARD', TracingConfiguration: { Enabled: true }, LoggingConfiguration: Match.objectLike({ Level: 'ALL' }) });
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', { KeySchema: [{ AttributeName: 'runId', KeyType: 'HASH' }, { AttributeName: 'key', KeyType: 'RANGE' }], BillingMode: 'PAY_PER_REQUEST' });
    template.hasResourceProperties('AWS::S3::Bucket', { PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true }, BucketEncryption: Match.objectLike({}) });
    template.hasResourceProperties('AWS::S3::BucketPolicy', { PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) } });
  });

  test('wires the join with the table, the bucket and the tolerance; the worker with the table', () => {
    const { template } = synth({ toleratedFailurePercentage: 2.5 });
    template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ [FanOutEnv.resultBucketName]: Match.anyValue(), [FanOutEnv.toleratedFailurePercentage]: '2.5' }) } });
    const joins = template.findResources('AWS::Lambda::Function', { Properties: { Environment: { Variables: Match.objectLike({ [FanOutEnv.toleratedFailureCount]: Match.anyValue() }) } } });
    expect(Object.keys(joins)).toStrictEqual([]);
  });

  test('renders a distributed ItemReader + ItemBatcher + tolerance when asked', () => {
    const { stack } = freshStack();
    new FanOutFanIn(stack, 'Docs', { workerEntry: WORKER_ENTRY, mode: 'distributed', itemSource: 'csv', sourceBucket: new Bucket(stack, 'In'), batchMaxItems: 25, toleratedFailureCount: 3, maxConcurrency: 500 });
    const map = definitionOf(Template.fromStack(stack)).States.FanOutDistributed;
    expect({ reader: map.ItemReader.ReaderConfig, batcher: map.ItemBatcher.MaxItemsPerBatch, tolerated: map.ToleratedFailureCount, concurrency: map.MaxConcurrency, mode: map.ItemProcessor.ProcessorConfig })
      .toStrictEqual({ reader: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' }, batcher: 25, tolerated: 3, concurrency: 500, mode: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' } });
  });

  test('metricProgress* read what the worker publishes', () => {
    const { fan } = synth({ serviceName: 'docs' });
    expect([fan.metricProgressSucceeded(), fan.metricProgressFailed(), fan.metricProgressInvalid(), fan.metricProgressFailedAttempts()].map((m) => [m.namespace, m.metricName, m.dimensions])).toStrictEqual(
      [FanOutMetric.succeeded, FanOutMetric.failed, FanOutMetric.invalid, FanOutMetric.failedAttempts].map((name) => [METRICS_NAMESPACE, name, { service: 'docs' }]),
    );
  });

  test('is cdk-nag clean, with reasoned acknowledgements only', () => {
    const { stack } = freshStack();
    new FanOutFanIn(stack, 'Docs', { workerEntry: WORKER_ENTRY, finalizerHandler: inlineFunction(stack), itemSource: 'prefix', sourceBucket: Bucket.fromBucketName(stack, 'In', 'inbox') });
    const report = new AwsSolutionsChecks(stack).validateScope(stack);
    expect(report.violations.filter((v) => !v.violatingResources.every((r) => r.constructPath?.includes('/Inline'))).map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toStrictEqual([]);
  });
});

describe('FanOutFanIn validation', () => {
  test('fails if props break the Step Functions limits, naming the construct path, every prop, range and value', () => {
    expect(() => synth({ workerHandler: undefined, workerEntry: undefined, maxConcurrency: 41, batchMaxBytes: 300_000, toleratedFailurePercentage: 120, itemTimeout: Duration.minutes(6) })).toThrow(
      /FanOutFanIn at Test\/Docs: invalid props \(5\):\n  - exactly one of workerEntry or workerHandler must be given, received neither\n  - maxConcurrency \(mode auto\) must be an integer between 1 and 40, received 41\n  - batchMaxBytes must be an integer between 1 and 262144, received 300000\n  - itemTimeout \(mode auto\) must be between 1 second and 300 seconds, received 6 minutes\n  - toleratedFailurePercentage must be between 0 and 100, received 120/,
    );
  });

  test('fails if an item source comes without its bucket, or batching is asked of an inline Map', () => {
    expect(() => synth({ itemSource: 'json-lines' })).toThrow(/sourceBucket and itemSource go together.*received itemSource only/);
    expect(() => synth({ mode: 'inline', batchMaxItems: 10 })).toThrow(/batchMaxItems and batchMaxBytes need a Distributed Map \(ItemBatcher\), received mode inline with batchMaxItems 10/);
  });

  test('allows 10,000 concurrent children when forced distributed', () => {
    expect(() => synth({ mode: 'distributed', maxConcurrency: 10_000 })).not.toThrow();
    expect(() => synth({ mode: 'distributed', maxConcurrency: 10_001 })).toThrow(/maxConcurrency \(mode distributed\) must be an integer between 1 and 10000, received 10001/);
  });
});

test('the synthesized definition runs on the local Step Functions service', async () => {
  const { template } = synth({ mode: 'distributed', batchMaxItems: 3, toleratedFailureCount: 0 });
  const calls: unknown[] = [];
  const machines = new LocalStateMachines({
    clock: new ManualClock(),
    invokeLambda: async (_arn, payload: any) => {
      calls.push(payload);
      if ('runId' in payload) return { runId: payload.runId, status: 'SUCCEEDED', total: 7 };
      return { recorded: payload.work.Items.length };
    },
  });
  const arn = machines.register({ name: 'Docs', definition: definitionOf(template) });
  const { executionArn } = machines.startExecution({ stateMachineArn: arn, name: 'r1', input: JSON.stringify({ items: [1, 2, 3, 4, 5, 6, 7] }) });
  const done = await machines.waitForExecution(executionArn);
  expect({ status: done.status, output: JSON.parse(done.output!) }).toStrictEqual({ status: 'SUCCEEDED', output: { runId: 'r1', status: 'SUCCEEDED', total: 7 } });
  expect(calls.slice(0, -1).map((c: any) => c.work.Items.map((i: any) => i.item)).sort()).toStrictEqual([[1, 2, 3], [4, 5, 6], [7]]);
});
