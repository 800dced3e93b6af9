import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { coordinate } from '../../functions/lib/parallel-workflow/coordinator';
import { InMemoryStepRecordStore } from '../../functions/lib/parallel-workflow/memory-store';
import { ParallelWorkflow, type ParallelWorkflowProps } from '../../infra/parallel-workflow';
import { ManualClock } from '../../local-runtime/scheduling/clock';
import { LocalStateMachines } from '../../local-runtime/stepfunctions/local-state-machines';
import { type CfnTemplate, resolveIntrinsics } from '../local-runtime/helpers/resolve-template';
import { WORKER_ENTRY, freshStack, inlineFunction } from '../helpers/synth';

const regions: ParallelWorkflowProps['steps'] = [
  { id: 'region_north', entry: WORKER_ENTRY, timeout: Duration.seconds(20), retry: { maxAttempts: 3 } },
  { id: 'region_south', entry: WORKER_ENTRY },
  { id: 'combine', dependsOn: ['region_north', 'region_south'], entry: WORKER_ENTRY },
];

function synth(props: ParallelWorkflowProps = { steps: regions }) {
  const { stack } = freshStack();
  const workflow = new ParallelWorkflow(stack, 'Report', props);
  return { stack, workflow, template: Template.fromStack(stack) };
}

describe('ParallelWorkflow', () => {
  it('creates a Standard state machine, a step-record table with TTL, a coordinator and one function per step', () => {
    const { template } = synth();
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', { StateMachineType: 'STANDARD', TracingConfiguration: { Enabled: true } });
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: [{ AttributeName: 'run', KeyType: 'HASH' }, { AttributeName: 'step', KeyType: 'RANGE' }],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
    template.resourceCountIs('AWS::Lambda::Function', 4);
    template.hasResourceProperties('AWS::Lambda::Function', { Description: Match.stringLikeRegexp('step region_north'), Timeout: 20 });
  });

  it('uses an existing function for a step given a handler, and gives the step timeout to its Task', () => {
    const { stack } = freshStack();
    const fn = inlineFunction(stack);
    new ParallelWorkflow(stack, 'W', { steps: [{ id: 'only', handler: fn, timeout: Duration.hours(2) }] });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Lambda::Function', 2);
    const [machine] = Object.values((template.toJSON() as CfnTemplate).Resources).filter((r) => r.Type === 'AWS::StepFunctions::StateMachine');
    const definition = JSON.parse(resolveIntrinsics(machine.Properties?.DefinitionString, template.toJSON() as CfnTemplate) as string);
    expect(definition.States.Workflow.Branches[0].States['only.Run'].TimeoutSeconds).toBe(7200);
  });

  it('grants the coordinator exactly the record actions it uses on the table', () => {
    const { template } = synth();
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('CoordinatorRole') }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: ['dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:Query'], Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('StepRecords'), 'Arn'] } })]) },
    });
  });

  it('grantStart and grantReadResults give intent-level access', () => {
    const { stack } = freshStack();
    const workflow = new ParallelWorkflow(stack, 'Report', { steps: regions });
    const fn = inlineFunction(stack);
    workflow.grantStart(fn);
    workflow.grantReadResults(fn);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('InlineServiceRole') }],
      PolicyDocument: { Statement: Match.arrayWith([
        Match.objectLike({ Action: 'states:StartExecution' }),
        Match.objectLike({ Action: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'] }),
      ]) },
    });
  });

  it('exposes run metrics of its state machine', () => {
    const { workflow, stack } = synth();
    expect(stack.resolve(workflow.metricRunsFailed().metricName)).toBe('ExecutionsFailed');
    expect(workflow.metricRunsFailed().statistic).toBe('Sum');
    expect(stack.resolve(workflow.metricRunTime().metricName)).toBe('ExecutionTime');
  });

  it('is clean under cdk-nag AwsSolutions', () => {
    const { stack } = synth();
    const report = new AwsSolutionsChecks(stack).validateScope(stack);
    expect(report.violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toStrictEqual([]);
  });

  it('synthesizes a definition that runs on the local Step Functions runtime', async () => {
    const { template } = synth();
    const json = template.toJSON() as CfnTemplate;
    const [machine] = Object.values(json.Resources).filter((r) => r.Type === 'AWS::StepFunctions::StateMachine');
    const definition = JSON.parse(resolveIntrinsics(machine.Properties?.DefinitionString, json) as string);
    const store = new InMemoryStepRecordStore();
    const local = new LocalStateMachines({
      clock: new ManualClock(),
      invokeLambda: async (arn, payload: any) => {
        if (arn.includes('Coordinator')) return coordinate(store, payload);
        return payload.step === 'combine' ? Object.keys(payload.results).join('+') : payload.step.length;
      },
    });
    const arn = local.register({ name: 'Report', definition });
    const done = await local.waitForExecution(local.startExecution({ stateMachineArn: arn, input: '{}' }).executionArn);
    expect(JSON.parse(done.output as string).results).toStrictEqual({ region_north: 12, region_south: 12, combine: 'region_north+region_south' });
    await local.dispose();
  });

  it('fails if the step graph has a cycle, an unknown or duplicate id, naming the steps and the construct path', () => {
    expect(() => synth({ steps: [
      { id: 'a', dependsOn: ['c'], entry: WORKER_ENTRY },
      { id: 'b', dependsOn: ['a', 'ghost'], entry: WORKER_ENTRY },
      { id: 'c', dependsOn: ['b'], entry: WORKER_ENTRY },
      { id: 'c', entry: WORKER_ENTRY },
    ] })).toThrow(/ParallelWorkflow at Test\/Report: invalid props \(3\)[\s\S]*step id "c" is declared more than once[\s\S]*step "b" depends on unknown step "ghost"[\s\S]*cycle \(each depends on the next\): a → c → b → a/);
  });

  it('fails on bad step and workflow settings, naming each prop, range and value', () => {
    expect(() => synth({
      pollInterval: Duration.seconds(90),
      steps: [
        { id: 'bad id', entry: WORKER_ENTRY, timeout: Duration.minutes(20), retry: { maxAttempts: 11, backoffRate: 0.5 } },
        { id: 'none' },
      ],
    })).toThrow(/pollInterval must be between 1 second and 60 seconds, received 1 minute 30 seconds[\s\S]*steps\["bad id"\]\.timeout must be between 1 second and 900 seconds, received 20 minutes[\s\S]*steps\["bad id"\]\.retry\.maxAttempts must be an integer between 0 and 10, received 11[\s\S]*backoffRate must be between 1 and 10, received 0\.5[\s\S]*exactly one of steps\["none"\]\.entry or steps\["none"\]\.handler must be given, received neither[\s\S]*step id must match/);
  });
});
