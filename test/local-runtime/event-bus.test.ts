import {
  DeleteRuleCommand,
  DescribeRuleCommand,
  EventBridgeClient,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-eventbridge';
import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../local-runtime/scheduling/clock';
import { LocalEventBridge } from '../../local-runtime/scheduling/event-bus';
import { useWireClient } from './helpers/wire-server';

const FN = 'arn:aws:lambda:us-east-1:000000000000:function:on-done';
const QUEUE = 'arn:aws:sqs:us-east-1:000000000000:done';
const T0 = Date.UTC(2025, 0, 1);

function setup() {
  const clock = new ManualClock({ start: T0 });
  const delivered: { target: string; input: string; at: number }[] = [];
  const errors: unknown[] = [];
  const bus = new LocalEventBridge({
    clock,
    deliver: async (target, input) => {
      if (target.endsWith(':broken')) throw new Error('unreachable');
      delivered.push({ target, input, at: clock.now() });
    },
    onDeliveryError: (err) => errors.push(err),
  });
  return { clock, delivered, errors, bus };
}

describe('LocalEventBridge over the real EventBridge client', () => {
  let ctx: ReturnType<typeof setup>;
  const wire = useWireClient((req) => ctx.bus.handle(req), (config) => new EventBridgeClient(config));

  beforeEach(() => {
    ctx = setup();
  });

  async function rule(name: string, pattern: object, targets: { Id: string; Arn: string; Input?: string; InputPath?: string }[]) {
    await wire.client.send(new PutRuleCommand({ Name: name, EventPattern: JSON.stringify(pattern) }));
    await wire.client.send(new PutTargetsCommand({ Rule: name, Targets: targets }));
  }

  it('delivers a put event to the targets of matching rules only, as the EventBridge envelope', async () => {
    await rule('done', { source: ['pp.tasks'], 'detail-type': ['TaskCompleted'] }, [{ Id: 'fn', Arn: FN }]);
    await rule('failed', { source: ['pp.tasks'], 'detail-type': ['TaskFailed'] }, [{ Id: 'q', Arn: QUEUE }]);
    const out = await wire.client.send(new PutEventsCommand({ Entries: [{ Source: 'pp.tasks', DetailType: 'TaskCompleted', Detail: '{"taskId":"t1"}' }] }));
    await ctx.bus.drain();
    expect(out.FailedEntryCount).toBe(0);
    expect(ctx.delivered.map((d) => d.target)).toStrictEqual([FN]);
    const event = JSON.parse(ctx.delivered[0].input);
    expect(event).toStrictEqual({
      version: '0',
      id: out.Entries?.[0].EventId,
      'detail-type': 'TaskCompleted',
      source: 'pp.tasks',
      account: '000000000000',
      time: '2025-01-01T00:00:00Z',
      region: 'us-east-1',
      resources: [],
      detail: { taskId: 't1' },
    });
  });

  it('sends a target its constant Input or the InputPath selection instead of the event', async () => {
    await rule('shaped', { source: ['pp.tasks'] }, [
      { Id: 'const', Arn: FN, Input: '{"fixed":true}' },
      { Id: 'path', Arn: QUEUE, InputPath: '$.detail' },
    ]);
    await wire.client.send(new PutEventsCommand({ Entries: [{ Source: 'pp.tasks', DetailType: 'X', Detail: '{"taskId":"t2"}' }] }));
    await ctx.bus.drain();
    expect(Object.fromEntries(ctx.delivered.map((d) => [d.target, d.input]))).toStrictEqual({ [FN]: '{"fixed":true}', [QUEUE]: '{"taskId":"t2"}' });
  });

  it('reports malformed entries per entry and still accepts the good ones', async () => {
    const out = await wire.client.send(
      new PutEventsCommand({
        Entries: [
          { Source: 'pp.tasks', DetailType: 'X', Detail: '{"ok":1}' },
          { Source: 'pp.tasks', DetailType: 'X', Detail: 'not json' },
          { Source: 'pp.tasks', Detail: '{}' },
        ],
      }),
    );
    expect(out.FailedEntryCount).toBe(2);
    expect(out.Entries?.map((e) => e.ErrorCode)).toStrictEqual([undefined, 'MalformedDetail', 'InvalidArgument']);
    expect(out.Entries?.[0].EventId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('stamps the event with the entry Time when given', async () => {
    await rule('any', { source: ['pp.tasks'] }, [{ Id: 'fn', Arn: FN }]);
    await wire.client.send(new PutEventsCommand({ Entries: [{ Source: 'pp.tasks', DetailType: 'X', Detail: '{}', Time: new Date('2024-06-01T12:00:00Z') }] }));
    await ctx.bus.drain();
    expect(JSON.parse(ctx.delivered[0].input).time).toBe('2024-06-01T12:00:00Z');
  });

  it('stops delivering after DeleteRule, and DescribeRule then answers ResourceNotFoundException', async () => {
    await rule('gone', { source: ['pp.tasks'] }, [{ Id: 'fn', Arn: FN }]);
    expect((await wire.client.send(new DescribeRuleCommand({ Name: 'gone' }))).Arn).toBe('arn:aws:events:us-east-1:000000000000:rule/gone');
    await wire.client.send(new DeleteRuleCommand({ Name: 'gone' }));
    await wire.client.send(new PutEventsCommand({ Entries: [{ Source: 'pp.tasks', DetailType: 'X', Detail: '{}' }] }));
    await ctx.bus.drain();
    expect(ctx.delivered).toHaveLength(0);
    await expect(wire.client.send(new DescribeRuleCommand({ Name: 'gone' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('fires a scheduled rule on the clock with a Scheduled Event', async () => {
    await wire.client.send(new PutRuleCommand({ Name: 'tick', ScheduleExpression: 'rate(1 minute)' }));
    await wire.client.send(new PutTargetsCommand({ Rule: 'tick', Targets: [{ Id: 'fn', Arn: FN }] }));
    await ctx.clock.advance(3 * 60_000);
    expect(ctx.delivered.map((d) => (d.at - T0) / 60_000)).toStrictEqual([1, 2, 3]);
    expect(JSON.parse(ctx.delivered[0].input)).toMatchObject({
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      time: '2025-01-01T00:01:00Z',
      resources: ['arn:aws:events:us-east-1:000000000000:rule/tick'],
      detail: {},
    });
  });

  it('answers an invalid pattern with InvalidEventPatternException', async () => {
    const err = await wire.client.send(new PutRuleCommand({ Name: 'bad', EventPattern: '{"source":"x"}' })).catch((e: unknown) => e);
    expect((err as Error).name).toBe('InvalidEventPatternException');
  });
});

describe('LocalEventBridge typed API', () => {
  it('does not deliver events on a disabled rule', async () => {
    const { bus, delivered } = setup();
    bus.putRule({ Name: 'off', EventPattern: { source: ['a'] }, State: 'DISABLED' });
    bus.putTargets('off', [{ Id: '1', Arn: FN }]);
    bus.putEvents([{ Source: 'a', DetailType: 'x', Detail: '{}' }]);
    await bus.drain();
    expect(delivered).toHaveLength(0);
  });

  it('routes events by bus, and rejects entries for an unknown bus', async () => {
    const { bus, delivered } = setup();
    bus.createEventBus('orders');
    bus.putRule({ Name: 'r', EventBusName: 'orders', EventPattern: { source: ['a'] } });
    bus.putTargets('r', [{ Id: '1', Arn: FN }], 'orders');
    const out = bus.putEvents([
      { Source: 'a', DetailType: 'x', Detail: '{}' },
      { Source: 'a', DetailType: 'x', Detail: '{"n":1}', EventBusName: 'arn:aws:events:us-east-1:000000000000:event-bus/orders' },
      { Source: 'a', DetailType: 'x', Detail: '{}', EventBusName: 'nope' },
    ]);
    await bus.drain();
    expect(delivered.map((d) => JSON.parse(d.input).detail)).toStrictEqual([{ n: 1 }]);
    expect(out.Entries[2]).toStrictEqual({ ErrorCode: 'ResourceNotFoundException', ErrorMessage: 'Event bus nope does not exist.' });
  });

  it('sends a failed delivery to the target DLQ and reports it', async () => {
    const { bus, delivered, errors } = setup();
    bus.putRule({ Name: 'r', EventPattern: { source: ['a'] } });
    bus.putTargets('r', [{ Id: '1', Arn: 'arn:aws:lambda:us-east-1:000000000000:function:broken', DeadLetterConfig: { Arn: QUEUE } }]);
    bus.putEvents([{ Source: 'a', DetailType: 'x', Detail: '{"k":1}' }]);
    await bus.drain();
    expect(delivered.map((d) => [d.target, JSON.parse(d.input).detail])).toStrictEqual([[QUEUE, { k: 1 }]]);
    expect((errors[0] as Error).message).toBe('unreachable');
  });

  it('fills an InputTransformer template, raw inside strings and as JSON outside', async () => {
    const { bus, delivered } = setup();
    bus.putRule({ Name: 'r', EventPattern: { source: ['a'] } });
    bus.putTargets('r', [
      { Id: '1', Arn: FN, InputTransformer: { InputPathsMap: { id: '$.detail.id', n: '$.detail.n' }, InputTemplate: '{"msg":"task <id> done","n":<n>,"rule":"<aws.events.rule-name>"}' } },
    ]);
    bus.putEvents([{ Source: 'a', DetailType: 'x', Detail: '{"id":"t\\"1","n":5}' }]);
    await bus.drain();
    expect(JSON.parse(delivered[0].input)).toStrictEqual({ msg: 'task t"1 done', n: 5, rule: 'r' });
  });

  it('fails if a rule has neither pattern nor schedule, or a schedule on a custom bus', () => {
    const { bus } = setup();
    bus.createEventBus('b');
    expect(() => bus.putRule({ Name: 'r' })).toThrow(/needs EventPattern or ScheduleExpression/);
    expect(() => bus.putRule({ Name: 'r', EventBusName: 'b', ScheduleExpression: 'rate(1 minute)' })).toThrow(/only supported on the default bus, got bus "b"/);
    expect(() => bus.putRule({ Name: 'r', ScheduleExpression: 'at(2025-01-01T00:00:00)' })).toThrow(/one-time at/);
  });
});
