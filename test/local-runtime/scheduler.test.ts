import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  GetScheduleCommand,
  ListSchedulesCommand,
  ResourceNotFoundException,
  SchedulerClient,
  UpdateScheduleCommand,
  ValidationException,
} from '@aws-sdk/client-scheduler';
import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../local-runtime/scheduling/clock';
import type { DeliveryDetails } from '../../local-runtime/scheduling/delivery';
import { LocalScheduler } from '../../local-runtime/scheduling/scheduler-service';
import { useWireClient } from './helpers/wire-server';

const QUEUE = 'arn:aws:sqs:us-east-1:000000000000:timeouts';
const ROLE = 'arn:aws:iam::000000000000:role/scheduler';
const T0 = Date.UTC(2025, 0, 1);

interface Delivery {
  target: string;
  input: string;
  role?: string;
  details: DeliveryDetails;
  at: number;
}

function setup(failTargets: string[] = []) {
  const clock = new ManualClock({ start: T0 });
  const delivered: Delivery[] = [];
  const errors: unknown[] = [];
  const scheduler = new LocalScheduler({
    clock,
    deliver: async (target, input, role, details) => {
      if (failTargets.includes(target)) throw new Error(`target ${target} is down`);
      delivered.push({ target, input, role, details, at: clock.now() });
    },
    onDeliveryError: (err) => errors.push(err),
  });
  return { clock, delivered, errors, scheduler };
}

const oneTime = (name: string, at: string, extra: Record<string, unknown> = {}) => ({
  Name: name,
  ScheduleExpression: `at(${at})`,
  FlexibleTimeWindow: { Mode: 'OFF' as const },
  Target: { Arn: QUEUE, RoleArn: ROLE, Input: `{"task":"${name}"}` },
  ...extra,
});

describe('LocalScheduler over the real Scheduler client', () => {
  let ctx: ReturnType<typeof setup>;
  const wire = useWireClient((req) => ctx.scheduler.handle(req), (config) => new SchedulerClient(config));

  beforeEach(() => {
    ctx = setup();
  });

  it('creates a one-time schedule that delivers its input once, at its time, then deletes itself', async () => {
    const out = await wire.client.send(new CreateScheduleCommand({ ...oneTime('t-1', '2025-01-01T00:05:00'), ActionAfterCompletion: 'DELETE' }));
    expect(out.ScheduleArn).toBe('arn:aws:scheduler:us-east-1:000000000000:schedule/default/t-1');
    await ctx.clock.advance(4 * 60_000 + 59_999);
    expect(ctx.delivered).toHaveLength(0);
    await ctx.clock.advance(1);
    expect(ctx.delivered.map(({ target, input, role, at }) => ({ target, input, role, at }))).toStrictEqual([
      { target: QUEUE, input: '{"task":"t-1"}', role: ROLE, at: T0 + 300_000 },
    ]);
    expect(ctx.delivered[0].details).toMatchObject({ source: 'scheduler', sourceArn: out.ScheduleArn, scheduledTime: T0 + 300_000 });
    await expect(wire.client.send(new GetScheduleCommand({ Name: 't-1' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('keeps a completed one-time schedule when ActionAfterCompletion is NONE', async () => {
    await wire.client.send(new CreateScheduleCommand(oneTime('t-keep', '2025-01-01T00:01:00')));
    await ctx.clock.advance(3_600_000);
    const got = await wire.client.send(new GetScheduleCommand({ Name: 't-keep' }));
    expect(got.ActionAfterCompletion).toBe('NONE');
    expect(ctx.delivered).toHaveLength(1);
  });

  it('describes a schedule with Date timestamps and the stored target', async () => {
    await wire.client.send(new CreateScheduleCommand({ ...oneTime('t-2', '2025-01-02T00:00:00'), Description: 'timeout', StartDate: new Date(T0) }));
    const got = await wire.client.send(new GetScheduleCommand({ Name: 't-2', GroupName: 'default' }));
    expect(got).toMatchObject({
      Name: 't-2',
      GroupName: 'default',
      State: 'ENABLED',
      ScheduleExpression: 'at(2025-01-02T00:00:00)',
      ScheduleExpressionTimezone: 'UTC',
      Description: 'timeout',
      Target: { Arn: QUEUE, RoleArn: ROLE, Input: '{"task":"t-2"}' },
      FlexibleTimeWindow: { Mode: 'OFF' },
    });
    expect(got.CreationDate?.getTime()).toBe(T0);
    expect(got.StartDate?.getTime()).toBe(T0);
  });

  it('answers a duplicate name with ConflictException', async () => {
    await wire.client.send(new CreateScheduleCommand(oneTime('dup', '2025-01-02T00:00:00')));
    const err = await wire.client.send(new CreateScheduleCommand(oneTime('dup', '2025-01-03T00:00:00'))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictException);
    expect((err as ConflictException).$metadata.httpStatusCode).toBe(409);
  });

  it('deletes a schedule before it fires, so it never delivers', async () => {
    await wire.client.send(new CreateScheduleCommand(oneTime('cancel-me', '2025-01-01T00:05:00')));
    await wire.client.send(new DeleteScheduleCommand({ Name: 'cancel-me' }));
    await ctx.clock.advance(600_000);
    expect(ctx.delivered).toHaveLength(0);
    await expect(wire.client.send(new DeleteScheduleCommand({ Name: 'cancel-me' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('fires a rate schedule every period and stops after EndDate', async () => {
    await wire.client.send(
      new CreateScheduleCommand({
        Name: 'sweep',
        ScheduleExpression: 'rate(5 minutes)',
        FlexibleTimeWindow: { Mode: 'OFF' },
        EndDate: new Date(T0 + 16 * 60_000),
        Target: { Arn: QUEUE, RoleArn: ROLE },
      }),
    );
    await ctx.clock.advance(3_600_000);
    expect(ctx.delivered.map((d) => (d.at - T0) / 60_000)).toStrictEqual([5, 10, 15]);
    expect(ctx.delivered[0].input).toBe('{}');
  });

  it('fires a cron schedule at matching minutes only', async () => {
    await wire.client.send(
      new CreateScheduleCommand({ Name: 'hourly', ScheduleExpression: 'cron(30 * * * ? *)', FlexibleTimeWindow: { Mode: 'OFF' }, Target: { Arn: QUEUE, RoleArn: ROLE } }),
    );
    await ctx.clock.advance(3 * 3_600_000);
    expect(ctx.delivered.map((d) => (d.at - T0) / 60_000)).toStrictEqual([30, 90, 150]);
  });

  it('reschedules on UpdateSchedule and does not fire the old time', async () => {
    await wire.client.send(new CreateScheduleCommand(oneTime('move', '2025-01-01T00:05:00')));
    await wire.client.send(new UpdateScheduleCommand(oneTime('move', '2025-01-01T00:20:00')));
    await ctx.clock.advance(10 * 60_000);
    expect(ctx.delivered).toHaveLength(0);
    await ctx.clock.advance(10 * 60_000);
    expect(ctx.delivered.map((d) => d.at - T0)).toStrictEqual([20 * 60_000]);
  });

  it('does not fire a DISABLED schedule', async () => {
    await wire.client.send(new CreateScheduleCommand({ ...oneTime('off', '2025-01-01T00:05:00'), State: 'DISABLED' }));
    await ctx.clock.advance(600_000);
    expect(ctx.delivered).toHaveLength(0);
  });

  it('lists schedules by prefix, with pagination', async () => {
    for (const name of ['b-2', 'a-1', 'b-1', 'b-3']) await wire.client.send(new CreateScheduleCommand(oneTime(name, '2025-02-01T00:00:00')));
    const first = await wire.client.send(new ListSchedulesCommand({ NamePrefix: 'b-', MaxResults: 2 }));
    expect(first.Schedules?.map((s) => s.Name)).toStrictEqual(['b-1', 'b-2']);
    expect(first.Schedules?.[0].Target?.Arn).toBe(QUEUE);
    const second = await wire.client.send(new ListSchedulesCommand({ NamePrefix: 'b-', MaxResults: 2, NextToken: first.NextToken }));
    expect(second.Schedules?.map((s) => s.Name)).toStrictEqual(['b-3']);
    expect(second.NextToken).toBeUndefined();
  });

  it('answers a bad request with one ValidationException naming every problem', async () => {
    const err = await wire.client
      .send(new CreateScheduleCommand({ Name: 'bad name!', ScheduleExpression: 'rate(0 minutes)', FlexibleTimeWindow: { Mode: 'SOMETIMES' as 'OFF' }, Target: { Arn: QUEUE, RoleArn: 'nope' } }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationException);
    const message = (err as Error).message;
    expect(message).toMatch(/Name must be 1-64/);
    expect(message).toMatch(/FlexibleTimeWindow.Mode must be OFF or FLEXIBLE, got "SOMETIMES"/);
    expect(message).toMatch(/Target.RoleArn must be an ARN, got "nope"/);
    expect(message).toMatch(/rate\(0 minutes\)/);
  });

  it('answers an unknown group with ResourceNotFoundException', async () => {
    const err = await wire.client.send(new GetScheduleCommand({ Name: 'x', GroupName: 'nope' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResourceNotFoundException);
    expect((err as Error).message).toMatch(/Schedule group nope does not exist/);
  });
});

describe('LocalScheduler typed API', () => {
  it('fires a one-time schedule created with a past time once, right away', async () => {
    const { clock, delivered, scheduler } = setup();
    await clock.advance(3_600_000);
    scheduler.createSchedule({ ...oneTime('late', '2025-01-01T00:00:30') });
    await clock.advance(0);
    await clock.advance(3_600_000);
    expect(delivered.map((d) => d.at)).toStrictEqual([T0 + 3_600_000]);
  });

  it('fills Scheduler context attributes into the input', async () => {
    const { clock, delivered, scheduler } = setup();
    scheduler.createSchedule({ ...oneTime('ctx', '2025-01-01T00:01:00'), Target: { Arn: QUEUE, RoleArn: ROLE, Input: '{"arn":"<aws.scheduler.schedule-arn>","at":"<aws.scheduler.scheduled-time>"}' } });
    await clock.advance(60_000);
    expect(JSON.parse(delivered[0].input)).toStrictEqual({ arn: 'arn:aws:scheduler:us-east-1:000000000000:schedule/default/ctx', at: '2025-01-01T00:01:00Z' });
  });

  it('sends a failed delivery to the DLQ and reports it', async () => {
    const dlq = 'arn:aws:sqs:us-east-1:000000000000:scheduler-dlq';
    const { clock, delivered, errors, scheduler } = setup([QUEUE]);
    scheduler.createSchedule({ ...oneTime('fails', '2025-01-01T00:01:00'), Target: { Arn: QUEUE, RoleArn: ROLE, Input: '{"x":1}', DeadLetterConfig: { Arn: dlq } } });
    await clock.advance(60_000);
    expect(delivered.map((d) => [d.target, d.input])).toStrictEqual([[dlq, '{"x":1}']]);
    expect((errors[0] as Error).message).toBe(`target ${QUEUE} is down`);
  });

  it('places schedules in a created group, with the group in the ARN', () => {
    const { scheduler } = setup();
    scheduler.createScheduleGroup('timeouts');
    const { ScheduleArn } = scheduler.createSchedule({ ...oneTime('g', '2025-01-02T00:00:00'), GroupName: 'timeouts' });
    expect(ScheduleArn).toBe('arn:aws:scheduler:us-east-1:000000000000:schedule/timeouts/g');
    expect(() => scheduler.getSchedule('g')).toThrow(/Schedule g does not exist/);
  });

  it('passes the SQS FIFO message group id to deliver', async () => {
    const { clock, delivered, scheduler } = setup();
    scheduler.createSchedule({ ...oneTime('fifo', '2025-01-01T00:01:00'), Target: { Arn: QUEUE, RoleArn: ROLE, SqsParameters: { MessageGroupId: 'g1' } } });
    await clock.advance(60_000);
    expect(delivered[0].details.messageGroupId).toBe('g1');
  });
});
