import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction, SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import { Code, Function as LambdaFn, Runtime } from 'aws-cdk-lib/aws-lambda';
import { Schedule as SchedulerSchedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke, SqsSendMessage } from 'aws-cdk-lib/aws-scheduler-targets';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../local-runtime/scheduling/clock';
import { LocalEventBridge } from '../../local-runtime/scheduling/event-bus';
import { LocalScheduler } from '../../local-runtime/scheduling/scheduler-service';
import { type RegisteredResource, registerScheduleResource, SCHEDULE_RESOURCE_TYPES } from '../../local-runtime/scheduling/template-schedules';
import { newTestApp, type TestApp } from '../helpers/synth';
import { type CfnTemplate, fakeArn, resolveIntrinsics } from './helpers/resolve-template';

const T0 = Date.UTC(2025, 0, 1);

function fixtureTemplate(testApp: TestApp): CfnTemplate {
  const stack = new Stack(testApp.app, 'Schedules');
  const fn = new LambdaFn(stack, 'Sweeper', { runtime: Runtime.NODEJS_22_X, handler: 'index.handler', code: Code.fromInline('exports.handler = async () => {}') });
  const queue = new Queue(stack, 'Done');
  new Rule(stack, 'Every5', { schedule: Schedule.rate(Duration.minutes(5)), targets: [new LambdaFunction(fn, { event: RuleTargetInput.fromObject({ kind: 'sweep' }) })] });
  new Rule(stack, 'OnCompleted', { eventPattern: { source: ['pp.tasks'], detailType: ['TaskCompleted'] }, targets: [new SqsQueue(queue)] });
  new SchedulerSchedule(stack, 'Nightly', {
    schedule: ScheduleExpression.cron({ minute: '0', hour: '2' }),
    target: new LambdaInvoke(fn, { input: ScheduleTargetInput.fromObject({ kind: 'nightly' }) }),
  });
  new SchedulerSchedule(stack, 'Once', { schedule: ScheduleExpression.at(new Date(T0 + 10 * 60_000)), target: new SqsSendMessage(queue) });
  return Template.fromStack(stack).toJSON() as CfnTemplate;
}

describe('template schedules from a synthesized CDK stack', () => {
  let testApp: TestApp;
  let template: CfnTemplate;
  const clock = new ManualClock({ start: T0 });
  const delivered: { target: string; input: string; role?: string; at: number }[] = [];
  const deliver = async (target: string, input: string, role: string | undefined) => void delivered.push({ target, input, role, at: clock.now() });
  const services = { scheduler: new LocalScheduler({ clock, deliver }), eventBridge: new LocalEventBridge({ clock, deliver }) };
  const registered: Record<string, RegisteredResource> = {};

  beforeAll(() => {
    testApp = newTestApp();
    template = fixtureTemplate(testApp);
    for (const [logicalId, res] of Object.entries(template.Resources)) {
      if (!SCHEDULE_RESOURCE_TYPES.includes(res.Type)) continue;
      const properties = resolveIntrinsics(res.Properties ?? {}, template) as Record<string, unknown>;
      const out = registerScheduleResource({ logicalId, type: res.Type, properties }, services);
      if (out) registered[logicalId] = out;
    }
  });
  afterAll(() => testApp.cleanup());

  const idOf = (prefix: string) => Object.keys(template.Resources).find((id) => id.startsWith(prefix) && template.Resources[id].Type !== 'AWS::IAM::Role') as string;
  const fnArn = () => fakeArn(idOf('Sweeper'), 'AWS::Lambda::Function');
  const queueArn = () => fakeArn(idOf('Done'), 'AWS::SQS::Queue');

  it('registers every rule and schedule of the template, named by logical id', () => {
    expect(Object.keys(registered).sort()).toStrictEqual([idOf('Every5'), idOf('Nightly'), idOf('OnCompleted'), idOf('Once')].sort());
    expect(registered[idOf('Every5')].arn).toBe(`arn:aws:events:us-east-1:000000000000:rule/${idOf('Every5')}`);
  });

  it('fires the rate rule and the one-time schedule on the clock, with their inputs', async () => {
    await clock.advanceTo(T0 + 10 * 60_000);
    // Timers due at the same minute fire in registration order: the one-time schedule first.
    expect(delivered.map(({ target, input, at }) => [target, input, (at - T0) / 60_000])).toStrictEqual([
      [fnArn(), '{"kind":"sweep"}', 5],
      [queueArn(), '{}', 10],
      [fnArn(), '{"kind":"sweep"}', 10],
    ]);
  });

  it('fires the cron schedule with its role and input', async () => {
    delivered.length = 0;
    await clock.advanceTo(Date.UTC(2025, 0, 1, 2, 0));
    const nightly = delivered.filter((d) => d.input === '{"kind":"nightly"}');
    expect(nightly.map((d) => [d.target, d.at])).toStrictEqual([[fnArn(), Date.UTC(2025, 0, 1, 2, 0)]]);
    expect(nightly[0].role).toMatch(/^arn:aws:iam::000000000000:role\/SchedulerRoleForTarget/);
  });

  it('routes a matching PutEvents event to the pattern rule target', async () => {
    delivered.length = 0;
    services.eventBridge.putEvents([
      { Source: 'pp.tasks', DetailType: 'TaskCompleted', Detail: '{"taskId":"t9"}' },
      { Source: 'pp.tasks', DetailType: 'TaskStarted', Detail: '{"taskId":"t9"}' },
    ]);
    await services.eventBridge.drain();
    expect(delivered.map((d) => [d.target, JSON.parse(d.input)['detail-type']])).toStrictEqual([[queueArn(), 'TaskCompleted']]);
  });
});
